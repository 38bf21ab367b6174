#ifndef RT_APP_GROUPS_H_
#define RT_APP_GROUPS_H_

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/group_access.h"
#include "policy/guardian.h"
#include "store/store.h"

namespace rt::app {

// A group as one viewer sees it: the listing plus what they may do and, when
// they may not, why in plain words with the way forward.
struct GroupView {
  store::GroupListing listing;
  GroupRole viewer_role = GroupRole::kNone;
  policy::Decision join;
  policy::Decision leave;
  policy::Decision see_members;
  policy::Decision manage;  // CanManageGroup: the settings page
  policy::Decision invite;  // CanInvite: the "Invite colleagues" link
  // For the group's staff (Settings, and Get when manage is allowed): how
  // many current members joined through an invitation.
  std::optional<int64_t> joined_via_invitation;
  policy::Decision send_feedback;    // CanSendFeedback: the feedback link
  policy::Decision manage_feedback;  // CanManageFeedback: the feedback inbox
  policy::Decision see_outcomes;     // CanSeeGroupOutcomes: the dashboard
  std::string join_message;  // empty when join is allowed
  bool is_member() const { return viewer_role != GroupRole::kNone; }
};

struct GroupsPage {
  Association association;
  std::vector<GroupView> groups;
  MembershipStanding standing;  // the viewer's, for a banner
};

struct MembersPage {
  GroupView group;
  std::vector<store::MemberListing> members;
  std::optional<store::MemberCursor> next;  // set when there are more
};

// Outcome of a join: whether this call added the person (false when they
// were already in), and the group as they now see it.
struct JoinOutcome {
  bool joined_now = false;
  GroupView group;
};

// The group as `actor` sees it, with join/leave decisions and messages.
GroupView MakeGroupView(store::GroupListing listing, const policy::Actor& actor,
                        const Association& assoc);

// How a join came about. `invited`: the viewer holds a valid invitation to
// the group (only app/invitations.cc sets it, after checking the link); it
// opens groups that take members by invitation or request, never a
// members-only group to someone without a membership.
struct JoinOptions {
  bool invited = false;
};

// Interest group use cases. Thread-safe.
class GroupsService {
 public:
  explicit GroupsService(const AppContext& ctx) : ctx_(ctx) {}

  // Every group the viewer may see, in the association's order.
  Result<GroupsPage> List(const Viewer& viewer);

  // A number that changes whenever what List returns to a signed-out
  // visitor may have changed (by any process); 0 when unknown, which means
  // "do not cache". See GroupRepository::ListingsVersion.
  Result<int64_t> ListingsVersion();

  // One group. Errors: kNotFound "group_not_found" (also when hidden).
  Result<GroupView> Get(const Viewer& viewer, const std::string& slug);

  // Joins the group (idempotent). Errors: kNotFound; kUnauthenticated
  // "not_signed_in"; kForbidden "membership_required" / "membership_expired"
  // (message names the date) / "approval_required" / "invitation_required".
  // Joins the caller's transaction when called inside one.
  Result<JoinOutcome> Join(const Viewer& viewer, const std::string& slug,
                           JoinOptions options = {});

  // Leaves the group. Errors: kNotFound; kUnauthenticated; kForbidden
  // "not_group_member"; kRuleBroken "liaison_cannot_leave".
  Result<GroupView> Leave(const Viewer& viewer, const std::string& slug);

  // A page of the member list (50 a page). Errors: kNotFound;
  // kUnauthenticated; kForbidden "not_group_member".
  Result<MembersPage> Members(const Viewer& viewer, const std::string& slug,
                              const std::optional<store::MemberCursor>& after);

  // Operator: gives the account with `email` the role `role` (liaison or
  // moderator) in the group, adding it to the group when needed. In the
  // same transaction, open feedback owned by someone who is no longer a
  // liaison of the group moves to the new liaison (or to a remaining one;
  // FeedbackRepository::RehomeOpen).
  // Errors: kNotFound "group_not_found" / "account_not_found".
  Result<GroupView> AssignRole(const std::string& slug, const std::string& email, GroupRole role);
  // Operator: makes the liaison with `email` an ordinary member of the
  // group; their open feedback moves to a remaining liaison (or waits,
  // unowned, for the next one) in the same transaction. Errors: kNotFound
  // "group_not_found" / "account_not_found"; kRuleBroken "not_a_liaison".
  Result<GroupView> RemoveLiaison(const std::string& slug, const std::string& email);

  // The group as its staff manage it (the settings page). Errors: as Get;
  // kUnauthenticated "not_signed_in"; kForbidden "not_staff" (CanManageGroup).
  Result<GroupView> Settings(const Viewer& viewer, const std::string& slug);
  // Sets how members who join from now on get the group's mail (members
  // already in keep theirs) and returns the group. Errors: as Settings.
  Result<GroupView> SetDefaultDelivery(const Viewer& viewer, const std::string& slug,
                                       Delivery delivery);
  // Operator: the same without a viewer (`roundtable groups
  // set-default-delivery`). Errors: kNotFound "group_not_found".
  Result<Group> SetDefaultDeliveryAsOperator(const std::string& slug, Delivery delivery);

  static constexpr int kMembersPageSize = 50;

 private:
  const AppContext& ctx_;
};

}  // namespace rt::app

#endif  // RT_APP_GROUPS_H_
