// CanInvite as a table (who may invite colleagues to a group), and what an
// invitation in hand changes in CanJoinGroup.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "policy/guardian.h"
#include "policy/policy_table.h"

namespace rt::policy {
namespace {

namespace r = reason;
using State = MembershipStanding::State;

struct Row {
  testing::Who who;
  JoinPolicy join_policy;
  bool listed;
  bool allowed;
  std::string_view reason;
};

TEST(InvitePolicyTest, MembersWhoMayPostAndStaffInvite) {
  const JoinPolicy kMembers = JoinPolicy::kMembersOnly;
  const JoinPolicy kOpen = JoinPolicy::kOpen;
  const JoinPolicy kInvite = JoinPolicy::kInvite;
  const JoinPolicy kRequest = JoinPolicy::kRequest;
  const std::vector<Row> rows = {
      {{"visitor", false, State::kNone, GroupRole::kNone, false},
       kMembers,
       true,
       false,
       r::kNotSignedIn},
      {{"visitor", false, State::kNone, GroupRole::kNone, false},
       kMembers,
       false,
       false,
       r::kNotFound},
      {{"account", true, State::kNone, GroupRole::kNone, false},
       kOpen,
       true,
       false,
       r::kNotGroupMember},
      {{"assoc member", true, State::kActive, GroupRole::kNone, false},
       kMembers,
       true,
       false,
       r::kNotGroupMember},
      {{"assoc member", true, State::kActive, GroupRole::kNone, false},
       kMembers,
       false,
       false,
       r::kNotFound},
      {{"member", true, State::kActive, GroupRole::kMember, false},
       kMembers,
       true,
       true,
       r::kOk},
      {{"member", true, State::kActive, GroupRole::kMember, false},
       kMembers,
       false,
       true,
       r::kOk},
      // A lapsed member of a members-only group may not post, so may not
      // invite.
      {{"lapsed member", true, State::kExpired, GroupRole::kMember, false},
       kMembers,
       true,
       false,
       r::kMembershipExpired},
      {{"member without membership", true, State::kNone, GroupRole::kMember,
        false},
       kMembers,
       true,
       false,
       r::kMembershipRequired},
      // Open groups need no association membership to post, nor to invite.
      {{"open member", true, State::kNone, GroupRole::kMember, false},
       kOpen,
       true,
       true,
       r::kOk},
      {{"lapsed open member", true, State::kExpired, GroupRole::kMember, false},
       kOpen,
       true,
       true,
       r::kOk},
      {{"moderator", true, State::kActive, GroupRole::kModerator, false},
       kMembers,
       true,
       true,
       r::kOk},
      {{"lapsed moderator", true, State::kExpired, GroupRole::kModerator,
        false},
       kMembers,
       true,
       false,
       r::kMembershipExpired},
      {{"lapsed liaison", true, State::kExpired, GroupRole::kLiaison, false},
       kMembers,
       true,
       true,
       r::kOk},
      {{"admin", true, State::kNone, GroupRole::kNone, true},
       kMembers,
       false,
       true,
       r::kOk},
      // Invitation and request groups: an invitation lets people in, so only
      // the group's staff send them.
      {{"member", true, State::kActive, GroupRole::kMember, false},
       kInvite,
       true,
       false,
       r::kNotStaff},
      {{"member", true, State::kActive, GroupRole::kMember, false},
       kRequest,
       true,
       false,
       r::kNotStaff},
      {{"liaison", true, State::kNone, GroupRole::kLiaison, false},
       kInvite,
       true,
       true,
       r::kOk},
      {{"admin", true, State::kNone, GroupRole::kNone, true},
       kRequest,
       true,
       true,
       r::kOk},
  };
  for (const Row& row : rows) {
    Actor a = testing::ActorFor(row.who);
    Group g;
    g.id = GroupId{1};
    g.join_policy = row.join_policy;
    g.listed = row.listed;
    g.visibility = ContentVisibility::kMembers;
    Decision d = CanInvite(a, g);
    std::string where = std::string(row.who.name) + " " +
                        std::string(ToString(row.join_policy)) +
                        (row.listed ? " listed" : " unlisted");
    EXPECT_EQ(d.allowed, row.allowed) << where;
    EXPECT_EQ(d.reason, row.reason) << where;
  }
}

struct JoinRow {
  testing::Who who;
  JoinPolicy join_policy;
  bool holds_invitation;
  bool allowed;
  std::string_view reason;
};

TEST(InvitePolicyTest, AnInvitationOpensOnlyWhatTheGroupsRulesLetItOpen) {
  const std::vector<JoinRow> rows = {
      // Members-only stays members-only: the invitation changes nothing.
      {{"account", true, State::kNone, GroupRole::kNone, false},
       JoinPolicy::kMembersOnly,
       true,
       false,
       r::kMembershipRequired},
      {{"lapsed", true, State::kExpired, GroupRole::kNone, false},
       JoinPolicy::kMembersOnly,
       true,
       false,
       r::kMembershipExpired},
      {{"assoc member", true, State::kActive, GroupRole::kNone, false},
       JoinPolicy::kMembersOnly,
       true,
       true,
       r::kOk},
      {{"account", true, State::kNone, GroupRole::kNone, false},
       JoinPolicy::kOpen,
       true,
       true,
       r::kOk},
      // Invitation and request groups open with an invitation only.
      {{"account", true, State::kNone, GroupRole::kNone, false},
       JoinPolicy::kInvite,
       false,
       false,
       r::kInvitationRequired},
      {{"account", true, State::kNone, GroupRole::kNone, false},
       JoinPolicy::kInvite,
       true,
       true,
       r::kOk},
      {{"account", true, State::kNone, GroupRole::kNone, false},
       JoinPolicy::kRequest,
       false,
       false,
       r::kApprovalRequired},
      {{"account", true, State::kNone, GroupRole::kNone, false},
       JoinPolicy::kRequest,
       true,
       true,
       r::kOk},
      {{"visitor", false, State::kNone, GroupRole::kNone, false},
       JoinPolicy::kOpen,
       true,
       false,
       r::kNotSignedIn},
      {{"member", true, State::kActive, GroupRole::kMember, false},
       JoinPolicy::kMembersOnly,
       true,
       true,
       r::kAlreadyMember},
  };
  for (const JoinRow& row : rows) {
    Actor a = testing::ActorFor(row.who);
    a.holds_invitation = row.holds_invitation;
    Group g;
    g.id = GroupId{1};
    g.join_policy = row.join_policy;
    g.listed = true;
    Decision d = CanJoinGroup(a, g);
    std::string where = std::string(row.who.name) + " " +
                        std::string(ToString(row.join_policy)) +
                        (row.holds_invitation ? " invited" : "");
    EXPECT_EQ(d.allowed, row.allowed) << where;
    EXPECT_EQ(d.reason, row.reason) << where;
  }
}

// An unlisted group is hidden (404) from everyone outside it, except the
// people invited to it: the invitation told them of it.
TEST(InvitePolicyTest, AnInvitationShowsAnUnlistedGroupToTheInvitedOnly) {
  const struct {
    testing::Who who;
    bool holds_invitation;
    bool sees;
  } rows[] = {
      {{"account", true, State::kNone, GroupRole::kNone, false}, false, false},
      {{"account", true, State::kNone, GroupRole::kNone, false}, true, true},
      {{"assoc member", true, State::kActive, GroupRole::kNone, false}, false, false},
      {{"assoc member", true, State::kActive, GroupRole::kNone, false}, true, true},
      {{"member", true, State::kActive, GroupRole::kMember, false}, false, true},
  };
  for (const auto& row : rows) {
    Actor a = testing::ActorFor(row.who);
    a.holds_invitation = row.holds_invitation;
    Group g;
    g.id = GroupId{1};
    g.join_policy = JoinPolicy::kInvite;
    g.listed = false;
    std::string where = std::string(row.who.name) + (row.holds_invitation ? " invited" : "");
    EXPECT_EQ(CanSeeGroup(a, g).allowed, row.sees) << where;
    EXPECT_EQ(CanSeeGroup(a, g).reason, row.sees ? r::kOk : r::kNotFound) << where;
    // Joining follows: the invited may join the unlisted invitation group.
    EXPECT_EQ(CanJoinGroup(a, g).allowed, row.sees) << where;
  }
}

}  // namespace
}  // namespace rt::policy
