#include "policy/guardian.h"

namespace rt::policy {

namespace {
constexpr Decision Allow(std::string_view why = reason::kOk) { return {true, why}; }
constexpr Decision Deny(std::string_view why) { return {false, why}; }

// Members-only groups need an active association membership (callers
// exempt staff first).
Decision NeedsStanding(const Actor& actor, const Group& group) {
  if (group.join_policy != JoinPolicy::kMembersOnly) return Allow();
  if (actor.standing.state == MembershipStanding::State::kExpired) {
    return Deny(reason::kMembershipExpired);
  }
  if (actor.standing.state == MembershipStanding::State::kNone) {
    return Deny(reason::kMembershipRequired);
  }
  return Allow();
}
}  // namespace

Decision CanSeeGroup(const Actor& actor, const Group& group) {
  // An invitation names the group to the person invited: an unlisted group
  // is no secret to them, and they could not accept it otherwise.
  if (group.listed || actor.is_admin || actor.in_group() || actor.holds_invitation) {
    return Allow();
  }
  return Deny(reason::kNotFound);
}

Decision CanJoinGroup(const Actor& actor, const Group& group) {
  Decision seen = CanSeeGroup(actor, group);
  if (!seen.allowed) return seen;
  if (!actor.signed_in()) return Deny(reason::kNotSignedIn);
  if (actor.in_group()) return Allow(reason::kAlreadyMember);
  if (actor.is_admin) return Allow();
  switch (group.join_policy) {
    case JoinPolicy::kOpen:
      return Allow();
    case JoinPolicy::kMembersOnly:
      switch (actor.standing.state) {
        case MembershipStanding::State::kActive: return Allow();
        case MembershipStanding::State::kExpired: return Deny(reason::kMembershipExpired);
        case MembershipStanding::State::kNone:
          return Deny(actor.email_verified ? reason::kMembershipRequired
                                           : reason::kEmailUnverified);
      }
      return Deny(reason::kMembershipRequired);
    case JoinPolicy::kRequest:
      // Only the group's staff may invite to these groups (CanInvite), so
      // their invitation is the approval.
      if (actor.holds_invitation) return Allow();
      return Deny(reason::kApprovalRequired);
    case JoinPolicy::kInvite:
      if (actor.holds_invitation) return Allow();
      return Deny(reason::kInvitationRequired);
  }
  return Deny(reason::kMembershipRequired);
}

Decision CanInvite(const Actor& actor, const Group& group) {
  Decision seen = CanSeeGroup(actor, group);
  if (!seen.allowed) return seen;
  if (!actor.signed_in()) return Deny(reason::kNotSignedIn);
  if (actor.is_staff_of_group()) return Allow();
  if (!actor.in_group()) return Deny(reason::kNotGroupMember);
  if (group.join_policy == JoinPolicy::kRequest || group.join_policy == JoinPolicy::kInvite) {
    return Deny(reason::kNotStaff);
  }
  return CanPost(actor, group);
}

Decision CanLeaveGroup(const Actor& actor, const Group& group) {
  Decision seen = CanSeeGroup(actor, group);
  if (!seen.allowed) return seen;
  if (!actor.signed_in()) return Deny(reason::kNotSignedIn);
  if (!actor.in_group()) return Deny(reason::kNotGroupMember);
  if (actor.role == GroupRole::kLiaison) return Deny(reason::kLiaisonCannotLeave);
  return Allow();
}

Decision CanSeeMembers(const Actor& actor, const Group& group) {
  Decision seen = CanSeeGroup(actor, group);
  if (!seen.allowed) return seen;
  if (actor.is_admin || actor.in_group()) return Allow();
  if (!actor.signed_in()) return Deny(reason::kNotSignedIn);
  return Deny(reason::kNotGroupMember);
}

Decision CanReadContent(const Actor& actor, const Group& group) {
  Decision seen = CanSeeGroup(actor, group);
  if (!seen.allowed) return seen;
  if (group.visibility == ContentVisibility::kPublic) return Allow();
  if (actor.is_admin || actor.in_group()) return Allow();
  return Deny(reason::kNotFound);
}

Decision CanPost(const Actor& actor, const Group& group) {
  Decision read = CanReadContent(actor, group);
  if (!read.allowed) return read;
  if (!actor.signed_in()) return Deny(reason::kNotSignedIn);
  if (actor.is_admin) return Allow();
  if (!actor.in_group()) return Deny(reason::kNotGroupMember);
  if (actor.role == GroupRole::kLiaison) return Allow();
  return NeedsStanding(actor, group);
}

Decision CanModerate(const Actor& actor, const Group& group) {
  Decision read = CanReadContent(actor, group);
  if (!read.allowed) return read;
  if (!actor.signed_in()) return Deny(reason::kNotSignedIn);
  if (actor.is_admin || actor.role == GroupRole::kLiaison || actor.role == GroupRole::kModerator) {
    return Allow();
  }
  return Deny(reason::kNotModerator);
}

Decision CanReply(const Actor& actor, const Group& group, const Thread& thread) {
  Decision post = CanPost(actor, group);
  if (!post.allowed) return post;
  if (thread.locked && !CanModerate(actor, group).allowed) return Deny(reason::kThreadLocked);
  return Allow();
}

Decision CanEditPost(const Actor& actor, const Group& group, const Post& post) {
  Decision read = CanReadContent(actor, group);
  if (!read.allowed) return read;
  if (post.deleted) return Deny(reason::kNotFound);
  if (!actor.signed_in()) return Deny(reason::kNotSignedIn);
  if (post.author_id != actor.account) return Deny(reason::kNotAuthor);
  return CanPost(actor, group);
}

Decision CanDeletePost(const Actor& actor, const Group& group, const Post& post) {
  Decision read = CanReadContent(actor, group);
  if (!read.allowed) return read;
  if (post.deleted) return Deny(reason::kNotFound);
  if (!actor.signed_in()) return Deny(reason::kNotSignedIn);
  if (post.author_id == actor.account) return Allow();
  if (CanModerate(actor, group).allowed) return Allow();
  return Deny(reason::kNotAuthor);
}

Decision CanAcceptAnswer(const Actor& actor, const Group& group, const Thread& thread,
                         const Post& post) {
  Decision read = CanReadContent(actor, group);
  if (!read.allowed) return read;
  if (post.deleted || post.thread_id != thread.id) return Deny(reason::kNotFound);
  if (!actor.signed_in()) return Deny(reason::kNotSignedIn);
  bool moderator = CanModerate(actor, group).allowed;
  if (thread.author_id != actor.account && !moderator) return Deny(reason::kNotTheAsker);
  if (thread.kind != ThreadKind::kQuestion) return Deny(reason::kNotAQuestion);
  if (post.id == thread.first_post_id) return Deny(reason::kNotAReply);
  return Allow();
}

Decision CanRecommend(const Actor& actor, const Group& group, const Post& post) {
  Decision may = CanPost(actor, group);
  if (!may.allowed) return may;
  if (post.deleted) return Deny(reason::kNotFound);
  if (post.author_id == actor.account) return Deny(reason::kOwnPost);
  return Allow();
}

Decision CanFilterByConsent(const Actor& actor, const Group& group) {
  Decision read = CanReadContent(actor, group);
  if (!read.allowed) return read;
  if (actor.is_staff_of_group()) return Allow();
  if (!actor.signed_in()) return Deny(reason::kNotSignedIn);
  return Deny(reason::kNotStaff);
}

Decision CanManageGroup(const Actor& actor, const Group& group) {
  Decision seen = CanSeeGroup(actor, group);
  if (!seen.allowed) return seen;
  if (!actor.signed_in()) return Deny(reason::kNotSignedIn);
  if (actor.is_staff_of_group()) return Allow();
  return Deny(reason::kNotStaff);
}

Decision CanManageAssociation(const Actor& actor) {
  if (!actor.signed_in()) return Deny(reason::kNotSignedIn);
  if (actor.is_admin) return Allow();
  return Deny(reason::kNotFound);
}

Decision CanFollow(const Actor& actor, const Group& group) {
  Decision read = CanReadContent(actor, group);
  if (!read.allowed) return read;
  if (!actor.signed_in()) return Deny(reason::kNotSignedIn);
  return Allow();
}

Decision CanChooseDelivery(const Actor& actor, const Group& group) {
  Decision seen = CanSeeGroup(actor, group);
  if (!seen.allowed) return seen;
  if (!actor.signed_in()) return Deny(reason::kNotSignedIn);
  if (!actor.in_group()) return Deny(reason::kNotGroupMember);
  return Allow();
}

Decision CanReceivePostMail(const Actor& actor, const Group& group, PostMail why) {
  Decision read = CanReadContent(actor, group);
  if (!read.allowed) return read;
  if (!actor.signed_in()) return Deny(reason::kNotSignedIn);
  if (why == PostMail::kGroupDelivery && !actor.in_group()) return Deny(reason::kNotGroupMember);
  if (actor.is_admin || actor.role == GroupRole::kLiaison) return Allow();
  return NeedsStanding(actor, group);
}

Decision CanReadConversation(AccountId viewer, AccountId a, AccountId b) {
  if (viewer.valid() && (viewer == a || viewer == b)) return Allow();
  return Deny(reason::kNotFound);
}

Decision CanSendFeedback(const Actor& actor, const Group& group) {
  Decision seen = CanSeeGroup(actor, group);
  if (!seen.allowed) return seen;
  if (!actor.signed_in()) return Deny(reason::kNotSignedIn);
  if (!actor.in_group()) return Deny(reason::kNotGroupMember);
  return Allow();
}

Decision CanSeeFeedback(const Actor& actor, const Group& group, AccountId author) {
  // Not CanSeeGroup first: an author who left an unlisted group still sees
  // what they sent.
  if (!actor.signed_in()) return Deny(reason::kNotSignedIn);
  if (actor.account == author || actor.is_staff_of_group()) return Allow();
  return Deny(reason::kNotFound);
}

Decision CanManageFeedback(const Actor& actor, const Group& group) {
  Decision seen = CanSeeGroup(actor, group);
  if (!seen.allowed) return seen;
  if (!actor.signed_in()) return Deny(reason::kNotSignedIn);
  if (actor.is_staff_of_group()) return Allow();
  return Deny(reason::kNotStaff);
}

Decision CanChangeFeedbackConsent(const Actor& actor, const Group& group, AccountId author) {
  Decision see = CanSeeFeedback(actor, group, author);
  if (!see.allowed) return see;
  if (actor.account != author) return Deny(reason::kNotAuthor);
  return Allow();
}

// --- Outcomes -------------------------------------------------------------

Decision CanSeeGroupOutcomes(const Actor& actor, const Group& group) {
  Decision seen = CanSeeGroup(actor, group);
  if (!seen.allowed) return seen;
  if (!actor.signed_in()) return Deny(reason::kNotSignedIn);
  if (actor.is_staff_of_group()) return Allow();
  return Deny(reason::kNotStaff);
}

Decision CanCheckIn(const Actor& actor, const Group& group) {
  Decision seen = CanSeeGroup(actor, group);
  if (!seen.allowed) return seen;
  if (!actor.signed_in()) return Deny(reason::kNotSignedIn);
  if (actor.role == GroupRole::kMember || actor.role == GroupRole::kModerator) return Allow();
  return Deny(reason::kNotFound);
}

// --- Resources ---------------------------------------------------------------

Decision CanSeeResources(const Actor& actor, const Group& group) {
  return CanReadContent(actor, group);
}

Decision CanShareResource(const Actor& actor, const Group& group) { return CanPost(actor, group); }

Decision CanRecommendResource(const Actor& actor, const Group& group, AccountId shared_by) {
  Decision may = CanPost(actor, group);
  if (!may.allowed) return may;
  if (shared_by == actor.account) return Deny(reason::kOwnResource);
  return Allow();
}

Decision CanConfirmResource(const Actor& actor, const Group& group) {
  Decision read = CanReadContent(actor, group);
  if (!read.allowed) return read;
  return CanManageGroup(actor, group);
}

Decision CanDeleteResource(const Actor& actor, const Group& group, AccountId shared_by) {
  Decision read = CanReadContent(actor, group);
  if (!read.allowed) return read;
  if (!actor.signed_in()) return Deny(reason::kNotSignedIn);
  if (shared_by == actor.account) return Allow();
  if (CanModerate(actor, group).allowed) return Allow();
  return Deny(reason::kNotSharer);
}

}  // namespace rt::policy
