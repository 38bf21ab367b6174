#include "policy/guardian.h"

namespace rt::policy {

namespace {
constexpr Decision Allow(std::string_view why = reason::kOk) { return {true, why}; }
constexpr Decision Deny(std::string_view why) { return {false, why}; }
}  // namespace

Decision CanSeeGroup(const Actor& actor, const Group& group) {
  if (group.listed || actor.is_admin || actor.in_group()) return Allow();
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
        case MembershipStanding::State::kNone: return Deny(reason::kMembershipRequired);
      }
      return Deny(reason::kMembershipRequired);
    case JoinPolicy::kRequest:
      return Deny(reason::kApprovalRequired);
    case JoinPolicy::kInvite:
      return Deny(reason::kInvitationRequired);
  }
  return Deny(reason::kMembershipRequired);
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

}  // namespace rt::policy
