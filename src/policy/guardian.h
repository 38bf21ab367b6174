#ifndef RT_POLICY_GUARDIAN_H_
#define RT_POLICY_GUARDIAN_H_

#include <string_view>

#include "core/ids.h"
#include "domain/groups/group.h"
#include "domain/members/membership.h"

// The Guardian: every "may this person do this?" of Roundtable is answered
// here and nowhere else. Each function is pure (no I/O), thread-safe, and
// returns a Decision whose reason says why, so the caller can tell the person
// in plain words what to do next.
namespace rt::policy {

// Stable reason codes; they appear in the JSON API.
namespace reason {
inline constexpr std::string_view kOk = "ok";
inline constexpr std::string_view kAlreadyMember = "already_member";
inline constexpr std::string_view kNotSignedIn = "not_signed_in";
inline constexpr std::string_view kMembershipRequired = "membership_required";
inline constexpr std::string_view kMembershipExpired = "membership_expired";
inline constexpr std::string_view kNotGroupMember = "not_group_member";
inline constexpr std::string_view kNotFound = "not_found";
inline constexpr std::string_view kApprovalRequired = "approval_required";
inline constexpr std::string_view kInvitationRequired = "invitation_required";
inline constexpr std::string_view kLiaisonCannotLeave = "liaison_cannot_leave";
}  // namespace reason

// Who is asking, as far as one group is concerned.
struct Actor {
  AccountId account;        // invalid for a visitor
  bool is_admin = false;    // association staff with admin rights
  MembershipStanding standing;  // with the group's association
  GroupRole role = GroupRole::kNone;  // in the group being decided on

  bool signed_in() const { return account.valid(); }
  bool in_group() const { return role != GroupRole::kNone; }
  bool is_staff_of_group() const { return is_admin || role == GroupRole::kLiaison; }
};

struct Decision {
  bool allowed = false;
  std::string_view reason = reason::kOk;
};

// May the actor know the group exists? Listed groups are public; unlisted
// ones exist only for their members and admins (others get not_found).
Decision CanSeeGroup(const Actor& actor, const Group& group);

// May the actor join? Joining again when already in is allowed with reason
// already_member, so that join is idempotent.
Decision CanJoinGroup(const Actor& actor, const Group& group);

// May the actor leave? The group's liaison may not (an admin reassigns them).
Decision CanLeaveGroup(const Actor& actor, const Group& group);

// May the actor see who is in the group? Its members and admins may.
Decision CanSeeMembers(const Actor& actor, const Group& group);

}  // namespace rt::policy

#endif  // RT_POLICY_GUARDIAN_H_
