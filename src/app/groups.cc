#include "app/groups.h"

#include "app/group_access.h"
#include "core/text.h"

namespace rt::app {

namespace r = policy::reason;

namespace {

// The account an operator names by (normalised) address.
Result<Account> AccountByEmail(store::Store& db, const std::string& normalized) {
  RT_ASSIGN_OR_RETURN(std::optional<Account> account, db.accounts().FindByEmail(normalized));
  if (!account) {
    return MakeError(ErrorKind::kNotFound, "account_not_found",
                     "No account has the email address " + normalized + ".");
  }
  return *std::move(account);
}

// The group an operator names by slug, whether listed or not. Errors:
// kNotFound "group_not_found".
Result<store::GroupListing> OperatorGroup(const AppContext& ctx, store::Store& db,
                                          const std::string& slug) {
  RT_ASSIGN_OR_RETURN(Association assoc, LoadAssociation(ctx, db));
  RT_ASSIGN_OR_RETURN(std::optional<store::GroupListing> found,
                      db.groups().FindListing(assoc.id, slug));
  if (!found) return GroupNotFound();
  return *std::move(found);
}

// Joining on one's own answers the invitations waiting for the account's
// address in that group, as accepting one would: the first is marked used
// and recorded as where the membership came from (the inviter sees
// "joined", the liaison counts it), any others are closed with it. Only a
// verified address shows that the invitations are this account's.
Status AnswerPendingInvitations(store::Store& db, GroupId group, const Account& account,
                                TimePoint now) {
  if (!account.email_verified()) return OkStatus();
  RT_ASSIGN_OR_RETURN(std::vector<store::InvitationView> pending,
                      db.invitations().PendingForGroup(group, account.email, now));
  bool recorded = false;
  for (const store::InvitationView& v : pending) {
    const InvitationId id = v.invitation.id;
    RT_ASSIGN_OR_RETURN(bool marked, db.invitations().MarkAccepted(id, account.id, now));
    if (!marked || recorded) continue;
    RT_ASSIGN_OR_RETURN(recorded, db.invitations().SetJoinedVia(group, account.id, id));
    RT_RETURN_IF_ERROR(db.audit().Record(account.id, "invitation.accept",
                                         v.group_slug + " " + std::to_string(id.value), now));
  }
  return OkStatus();
}

}  // namespace

GroupView MakeGroupView(store::GroupListing listing, const policy::Actor& actor,
                        const Association& assoc) {
  GroupView v;
  v.viewer_role = actor.role;
  v.join = policy::CanJoinGroup(actor, listing.group);
  v.leave = policy::CanLeaveGroup(actor, listing.group);
  v.see_members = policy::CanSeeMembers(actor, listing.group);
  v.manage = policy::CanManageGroup(actor, listing.group);
  v.invite = policy::CanInvite(actor, listing.group);
  v.send_feedback = policy::CanSendFeedback(actor, listing.group);
  v.manage_feedback = policy::CanManageFeedback(actor, listing.group);
  v.see_outcomes = policy::CanSeeGroupOutcomes(actor, listing.group);
  if (!v.join.allowed) v.join_message = ExplainRefusal(v.join.reason, assoc, actor.standing);
  v.listing = std::move(listing);
  return v;
}

Result<GroupsPage> GroupsService::List(const Viewer& viewer) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  GroupsPage page;
  RT_ASSIGN_OR_RETURN(page.association, LoadAssociation(ctx_, *db));
  RT_ASSIGN_OR_RETURN(page.standing,
                      StandingOf(*db, page.association, viewer, ctx_.clock->Today()));
  std::unordered_map<GroupId, GroupRole> roles;
  if (viewer.account) {
    RT_ASSIGN_OR_RETURN(roles, db->groups().RolesOf(page.association.id, viewer.account->id));
  }
  RT_ASSIGN_OR_RETURN(std::vector<store::GroupListing> listings,
                      db->groups().ListWithStats(page.association.id));
  page.groups.reserve(listings.size());
  for (store::GroupListing& l : listings) {
    auto it = roles.find(l.group.id);
    policy::Actor actor =
        MakeActor(viewer, page.standing, it == roles.end() ? GroupRole::kNone : it->second);
    if (!policy::CanSeeGroup(actor, l.group).allowed) continue;
    page.groups.push_back(MakeGroupView(std::move(l), actor, page.association));
  }
  return page;
}

Result<int64_t> GroupsService::ListingsVersion() {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  return db->groups().ListingsVersion();
}

Result<GroupView> GroupsService::Get(const Viewer& viewer, const std::string& slug) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(GroupAccess l, LoadGroupAccess(ctx_, *db, viewer, slug));
  GroupView v = MakeGroupView(std::move(l.listing), l.actor, l.association);
  if (v.manage.allowed) {
    RT_ASSIGN_OR_RETURN(v.joined_via_invitation,
                        db->invitations().CountJoinedVia(v.listing.group.id));
  }
  return v;
}

Result<JoinOutcome> GroupsService::Join(const Viewer& viewer, const std::string& slug,
                                        JoinOptions options) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  JoinOutcome out;
  TimePoint now = ctx_.Now();
  // Decide and write in one transaction so that a racing leave or a second
  // join cannot slip between the check and the insert.
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(GroupAccess l,
                        LoadGroupAccess(ctx_, *db, viewer, slug, options.invited));
    policy::Decision d = policy::CanJoinGroup(l.actor, l.listing.group);
    if (!d.allowed) return RefusalError(d.reason, l.association, l.standing);
    if (d.reason != r::kAlreadyMember) {
      RT_ASSIGN_OR_RETURN(out.joined_now, db->groups().AddMember(l.listing.group.id,
                                                                 l.actor.account,
                                                                 GroupRole::kMember, now));
      if (out.joined_now) {
        ++l.listing.member_count;
        l.actor.role = GroupRole::kMember;
        RT_RETURN_IF_ERROR(db->audit().Record(l.actor.account, "group.join", slug, now));
        // InvitationsService::Accept marks its own invitation.
        if (!options.invited && viewer.account) {
          RT_RETURN_IF_ERROR(
              AnswerPendingInvitations(*db, l.listing.group.id, *viewer.account, now));
        }
      }
    }
    out.group = MakeGroupView(std::move(l.listing), l.actor, l.association);
    return OkStatus();
  }));
  return out;
}

Result<GroupView> GroupsService::Leave(const Viewer& viewer, const std::string& slug) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  std::optional<GroupView> out;
  TimePoint now = ctx_.Now();
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(GroupAccess l, LoadGroupAccess(ctx_, *db, viewer, slug));
    policy::Decision d = policy::CanLeaveGroup(l.actor, l.listing.group);
    if (!d.allowed) return RefusalError(d.reason, l.association, l.standing);
    RT_ASSIGN_OR_RETURN(bool removed,
                        db->groups().RemoveMember(l.listing.group.id, l.actor.account));
    if (removed) {
      --l.listing.member_count;
      RT_RETURN_IF_ERROR(db->audit().Record(l.actor.account, "group.leave", slug, now));
    }
    l.actor.role = GroupRole::kNone;
    out = MakeGroupView(std::move(l.listing), l.actor, l.association);
    return OkStatus();
  }));
  return *std::move(out);
}

Result<MembersPage> GroupsService::Members(const Viewer& viewer, const std::string& slug,
                                           const std::optional<store::MemberCursor>& after) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(GroupAccess l, LoadGroupAccess(ctx_, *db, viewer, slug));
  policy::Decision d = policy::CanSeeMembers(l.actor, l.listing.group);
  if (!d.allowed) return RefusalError(d.reason, l.association, l.standing);
  MembersPage page;
  RT_ASSIGN_OR_RETURN(page.members, db->groups().ListMembers(l.listing.group.id, after,
                                                             kMembersPageSize + 1));
  if (page.members.size() > static_cast<size_t>(kMembersPageSize)) {
    page.members.pop_back();
    const Account& last = page.members.back().account;
    page.next = store::MemberCursor{text::ToLowerAscii(last.name), last.id};
  }
  page.group = MakeGroupView(std::move(l.listing), l.actor, l.association);
  return page;
}

Result<GroupView> GroupsService::Settings(const Viewer& viewer, const std::string& slug) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(GroupAccess g, LoadGroupAccess(ctx_, *db, viewer, slug));
  policy::Decision d = policy::CanManageGroup(g.actor, g.group());
  if (!d.allowed) return RefusalError(d.reason, g.association, g.standing);
  GroupView v = MakeGroupView(std::move(g.listing), g.actor, g.association);
  RT_ASSIGN_OR_RETURN(v.joined_via_invitation,
                      db->invitations().CountJoinedVia(v.listing.group.id));
  return v;
}

Result<GroupView> GroupsService::SetDefaultDelivery(const Viewer& viewer, const std::string& slug,
                                                    Delivery delivery) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  TimePoint now = ctx_.Now();
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(GroupAccess g, LoadGroupAccess(ctx_, *db, viewer, slug));
    policy::Decision d = policy::CanManageGroup(g.actor, g.group());
    if (!d.allowed) return RefusalError(d.reason, g.association, g.standing);
    RT_RETURN_IF_ERROR(db->groups().SetDefaultDelivery(g.group().id, delivery));
    return db->audit().Record(viewer.account->id, "group.default_delivery",
                              slug + " " + std::string(ToString(delivery)), now);
  }));
  return Settings(viewer, slug);
}

Result<Group> GroupsService::SetDefaultDeliveryAsOperator(const std::string& slug,
                                                         Delivery delivery) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  TimePoint now = ctx_.Now();
  Group group;
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(store::GroupListing found, OperatorGroup(ctx_, *db, slug));
    RT_RETURN_IF_ERROR(db->groups().SetDefaultDelivery(found.group.id, delivery));
    group = found.group;
    group.default_delivery = delivery;
    return db->audit().Record(AccountId{}, "group.default_delivery",
                              slug + " " + std::string(ToString(delivery)), now);
  }));
  return group;
}

Result<GroupView> GroupsService::AssignRole(const std::string& slug, const std::string& email,
                                            GroupRole role) {
  RT_ASSIGN_OR_RETURN(std::string normalized, NormalizeEmail(email));
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(Account account, AccountByEmail(*db, normalized));
  Viewer staff{account};
  TimePoint now = ctx_.Now();
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(store::GroupListing found, OperatorGroup(ctx_, *db, slug));
    RT_RETURN_IF_ERROR(db->groups().SetRole(found.group.id, account.id, role, now));
    // Whoever stopped being a liaison (this account, if it was one) hands
    // their open feedback on; a new liaison takes what had no owner.
    RT_RETURN_IF_ERROR(ToStatus(db->feedback().RehomeOpen(
        found.group.id, role == GroupRole::kLiaison ? account.id : AccountId{}, now)));
    RT_RETURN_IF_ERROR(db->audit().Record(AccountId{}, "group.assign_" + std::string(ToString(role)), slug + " " + normalized, now));
    return OkStatus();
  }));
  return Get(staff, slug);
}

Result<GroupView> GroupsService::RemoveLiaison(const std::string& slug, const std::string& email) {
  RT_ASSIGN_OR_RETURN(std::string normalized, NormalizeEmail(email));
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(Account account, AccountByEmail(*db, normalized));
  TimePoint now = ctx_.Now();
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(store::GroupListing found, OperatorGroup(ctx_, *db, slug));
    RT_ASSIGN_OR_RETURN(GroupRole role, db->groups().RoleOf(found.group.id, account.id));
    if (role != GroupRole::kLiaison) {
      return MakeError(ErrorKind::kRuleBroken, "not_a_liaison",
                       normalized + " is not a staff liaison of " + found.group.name + ".");
    }
    RT_RETURN_IF_ERROR(db->groups().SetRole(found.group.id, account.id, GroupRole::kMember, now));
    RT_RETURN_IF_ERROR(
        ToStatus(db->feedback().RehomeOpen(found.group.id, AccountId{}, now)));
    return db->audit().Record(AccountId{}, "group.remove_liaison", slug + " " + normalized, now);
  }));
  return Get(Viewer{account}, slug);
}

}  // namespace rt::app
