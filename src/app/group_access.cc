#include "app/group_access.h"

namespace rt::app {

namespace r = policy::reason;

std::string ExplainRefusal(std::string_view reason, const Association& association,
                           const MembershipStanding& standing) {
  const std::string& org = association.short_name.empty() ? association.name
                                                          : association.short_name;
  if (reason == r::kNotSignedIn) return "Sign in to join this group.";
  if (reason == r::kMembershipRequired) {
    return "This group is for " + org + " members. Join " + org +
           " to take part, then come back to join the group.";
  }
  if (reason == r::kEmailUnverified) {
    return "Confirm your email address first: open the link we sent you. Then your " + org +
           " membership is recognised and you can join this group.";
  }
  if (reason == r::kMembershipExpired) {
    return "Your " + org + " membership ended on " + standing.ended_on.Long() +
           ". Renew it to rejoin this group.";
  }
  if (reason == r::kApprovalRequired) {
    return "This group takes new members by request. Contact its staff liaison to ask to join.";
  }
  if (reason == r::kInvitationRequired) {
    return "This group is by invitation only. Ask a member or its staff liaison to invite you.";
  }
  if (reason == r::kNotGroupMember) return "Only members of this group can do that. Join the group first.";
  if (reason == r::kLiaisonCannotLeave) {
    return "You are this group's staff liaison. Ask an administrator to name another liaison "
           "before you leave.";
  }
  if (reason == r::kThreadLocked) {
    return "This thread is locked, so it takes no new replies. Start a new thread instead.";
  }
  if (reason == r::kNotModerator) return "Only the group's moderators and staff liaison can do that.";
  if (reason == r::kNotAuthor) return "You can only change your own posts.";
  if (reason == r::kNotAQuestion) return "Only questions have accepted answers.";
  if (reason == r::kNotTheAsker) return "Only the person who asked can accept an answer.";
  if (reason == r::kOwnPost) return "You cannot recommend your own post.";
  if (reason == r::kNotAReply) return "Choose one of the replies as the answer.";
  if (reason == r::kNotStaff) return "Only the group's staff can do that.";
  if (reason == r::kOwnResource) return "You cannot recommend something you shared yourself.";
  if (reason == r::kNotSharer) {
    return "Only the person who shared it and the group's moderators can remove it.";
  }
  return "We could not find that.";
}

Error RefusalError(std::string_view reason, const Association& association,
                   const MembershipStanding& standing) {
  ErrorKind kind = ErrorKind::kForbidden;
  if (reason == r::kNotSignedIn) kind = ErrorKind::kUnauthenticated;
  if (reason == r::kNotFound) kind = ErrorKind::kNotFound;
  if (reason == r::kLiaisonCannotLeave || reason == r::kThreadLocked ||
      reason == r::kNotAQuestion || reason == r::kOwnPost || reason == r::kNotAReply ||
      reason == r::kOwnResource) {
    kind = ErrorKind::kRuleBroken;
  }
  std::string code = reason == r::kNotFound ? "not_found" : std::string(reason);
  return MakeError(kind, code, ExplainRefusal(reason, association, standing));
}

Error GroupNotFound() {
  return MakeError(ErrorKind::kNotFound, "group_not_found", "We could not find that group.");
}

Result<MembershipStanding> StandingOf(store::Store& db, const Association& assoc,
                                      const Viewer& viewer, Date today) {
  if (!viewer.account) return MembershipStanding{};
  RT_ASSIGN_OR_RETURN(std::optional<Membership> m,
                      db.memberships().FindForAccount(assoc.id, viewer.account->id));
  return StandingOn(m, assoc.grace_days, today);
}

policy::Actor MakeActor(const Viewer& viewer, const MembershipStanding& standing, GroupRole role) {
  policy::Actor a;
  if (viewer.account) {
    a.account = viewer.account->id;
    a.is_admin = viewer.account->is_admin;
    a.email_verified = viewer.account->email_verified();
  }
  a.standing = standing;
  a.role = role;
  return a;
}

Result<GroupAccess> LoadGroupAccess(const AppContext& ctx, store::Store& db, const Viewer& viewer,
                                    const std::string& slug, bool invited) {
  GroupAccess l;
  RT_ASSIGN_OR_RETURN(l.association, LoadAssociation(ctx, db));
  RT_ASSIGN_OR_RETURN(std::optional<store::GroupListing> listing,
                      db.groups().FindListing(l.association.id, slug));
  if (!listing) return GroupNotFound();
  RT_ASSIGN_OR_RETURN(l.standing, StandingOf(db, l.association, viewer, ctx.clock->Today()));
  GroupRole role = GroupRole::kNone;
  if (viewer.account) {
    RT_ASSIGN_OR_RETURN(role, db.groups().RoleOf(listing->group.id, viewer.account->id));
  }
  l.actor = MakeActor(viewer, l.standing, role);
  l.actor.holds_invitation = invited;
  if (!policy::CanSeeGroup(l.actor, listing->group).allowed) return GroupNotFound();
  l.listing = *std::move(listing);
  return l;
}

}  // namespace rt::app
