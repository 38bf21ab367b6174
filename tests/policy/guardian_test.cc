// The Guardian as tables: each row is a role and a group setting, and the
// decision and reason expected for it.
#include "policy/guardian.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rt::policy {
namespace {

enum class Who { kVisitor, kAccount, kActiveMember, kExpiredMember, kGroupMember, kLiaison, kAdmin };

const char* Name(Who w) {
  switch (w) {
    case Who::kVisitor: return "visitor";
    case Who::kAccount: return "account holder";
    case Who::kActiveMember: return "association member";
    case Who::kExpiredMember: return "expired member";
    case Who::kGroupMember: return "group member";
    case Who::kLiaison: return "staff liaison";
    case Who::kAdmin: return "admin";
  }
  return "?";
}

Actor MakeActor(Who w) {
  Actor a;
  if (w == Who::kVisitor) return a;
  a.account = AccountId{7};
  switch (w) {
    case Who::kActiveMember:
    case Who::kGroupMember:
    case Who::kLiaison:
      a.standing.state = MembershipStanding::State::kActive;
      break;
    case Who::kExpiredMember:
      a.standing.state = MembershipStanding::State::kExpired;
      a.standing.ended_on = Date::FromYmd(2026, 3, 3);
      break;
    default:
      break;
  }
  if (w == Who::kGroupMember) a.role = GroupRole::kMember;
  if (w == Who::kLiaison) a.role = GroupRole::kLiaison;
  if (w == Who::kAdmin) a.is_admin = true;
  return a;
}

Group MakeGroup(JoinPolicy p, bool listed = true) {
  Group g;
  g.id = GroupId{1};
  g.slug = "data-measurement";
  g.join_policy = p;
  g.listed = listed;
  return g;
}

struct Row {
  Who who;
  JoinPolicy policy;
  bool listed;
  bool allowed;
  std::string_view reason;
};

void CheckTable(const char* rule, Decision (*fn)(const Actor&, const Group&),
                const std::vector<Row>& rows) {
  for (const Row& r : rows) {
    Decision d = fn(MakeActor(r.who), MakeGroup(r.policy, r.listed));
    EXPECT_EQ(d.allowed, r.allowed) << rule << " for " << Name(r.who) << " on "
                                    << ToString(r.policy) << (r.listed ? "" : " unlisted");
    EXPECT_EQ(d.reason, r.reason) << rule << " for " << Name(r.who) << " on "
                                  << ToString(r.policy) << (r.listed ? "" : " unlisted");
  }
}

using JP = JoinPolicy;
namespace r = reason;

TEST(GuardianTest, CanSeeGroup) {
  CheckTable("CanSeeGroup", CanSeeGroup,
             {
                 {Who::kVisitor, JP::kMembersOnly, true, true, r::kOk},
                 {Who::kAccount, JP::kOpen, true, true, r::kOk},
                 {Who::kVisitor, JP::kInvite, false, false, r::kNotFound},
                 {Who::kAccount, JP::kInvite, false, false, r::kNotFound},
                 {Who::kActiveMember, JP::kInvite, false, false, r::kNotFound},
                 {Who::kGroupMember, JP::kInvite, false, true, r::kOk},
                 {Who::kLiaison, JP::kInvite, false, true, r::kOk},
                 {Who::kAdmin, JP::kInvite, false, true, r::kOk},
             });
}

TEST(GuardianTest, CanJoinGroup) {
  CheckTable("CanJoinGroup", CanJoinGroup,
             {
                 {Who::kVisitor, JP::kMembersOnly, true, false, r::kNotSignedIn},
                 {Who::kVisitor, JP::kOpen, true, false, r::kNotSignedIn},
                 {Who::kAccount, JP::kMembersOnly, true, false, r::kMembershipRequired},
                 {Who::kAccount, JP::kOpen, true, true, r::kOk},
                 {Who::kAccount, JP::kRequest, true, false, r::kApprovalRequired},
                 {Who::kAccount, JP::kInvite, true, false, r::kInvitationRequired},
                 {Who::kActiveMember, JP::kMembersOnly, true, true, r::kOk},
                 {Who::kActiveMember, JP::kOpen, true, true, r::kOk},
                 {Who::kActiveMember, JP::kRequest, true, false, r::kApprovalRequired},
                 {Who::kExpiredMember, JP::kMembersOnly, true, false, r::kMembershipExpired},
                 {Who::kExpiredMember, JP::kOpen, true, true, r::kOk},
                 {Who::kGroupMember, JP::kMembersOnly, true, true, r::kAlreadyMember},
                 {Who::kLiaison, JP::kMembersOnly, true, true, r::kAlreadyMember},
                 {Who::kAdmin, JP::kMembersOnly, true, true, r::kOk},
                 {Who::kAdmin, JP::kInvite, true, true, r::kOk},
                 {Who::kAccount, JP::kInvite, false, false, r::kNotFound},
             });
}

TEST(GuardianTest, CanLeaveGroup) {
  CheckTable("CanLeaveGroup", CanLeaveGroup,
             {
                 {Who::kVisitor, JP::kMembersOnly, true, false, r::kNotSignedIn},
                 {Who::kAccount, JP::kOpen, true, false, r::kNotGroupMember},
                 {Who::kActiveMember, JP::kMembersOnly, true, false, r::kNotGroupMember},
                 {Who::kGroupMember, JP::kMembersOnly, true, true, r::kOk},
                 {Who::kGroupMember, JP::kInvite, false, true, r::kOk},
                 {Who::kLiaison, JP::kMembersOnly, true, false, r::kLiaisonCannotLeave},
                 {Who::kAdmin, JP::kMembersOnly, true, false, r::kNotGroupMember},
                 {Who::kAccount, JP::kInvite, false, false, r::kNotFound},
             });
}

TEST(GuardianTest, CanSeeMembers) {
  CheckTable("CanSeeMembers", CanSeeMembers,
             {
                 {Who::kVisitor, JP::kOpen, true, false, r::kNotSignedIn},
                 {Who::kAccount, JP::kOpen, true, false, r::kNotGroupMember},
                 {Who::kActiveMember, JP::kMembersOnly, true, false, r::kNotGroupMember},
                 {Who::kExpiredMember, JP::kMembersOnly, true, false, r::kNotGroupMember},
                 {Who::kGroupMember, JP::kMembersOnly, true, true, r::kOk},
                 {Who::kLiaison, JP::kMembersOnly, true, true, r::kOk},
                 {Who::kAdmin, JP::kMembersOnly, true, true, r::kOk},
                 {Who::kVisitor, JP::kInvite, false, false, r::kNotFound},
             });
}

}  // namespace
}  // namespace rt::policy
