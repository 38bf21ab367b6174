// CanChooseDelivery as a table: each row is who asks and how the group is
// set up, and the decision and reason expected.
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
  bool listed;
  ContentVisibility visibility;
  bool allowed;
  std::string_view reason;
};

TEST(DeliveryPolicyTest, OnlyMembersOfAGroupTheyCanSeeChooseDelivery) {
  constexpr auto kPub = ContentVisibility::kPublic;
  constexpr auto kMem = ContentVisibility::kMembers;
  const std::vector<Row> rows = {
      // Outsiders: a group they cannot see does not exist for them.
      {{"visitor", false, State::kNone, GroupRole::kNone, false}, true, kPub, false, r::kNotSignedIn},
      {{"visitor", false, State::kNone, GroupRole::kNone, false}, false, kMem, false, r::kNotFound},
      {{"account", true, State::kNone, GroupRole::kNone, false}, true, kPub, false, r::kNotGroupMember},
      {{"account", true, State::kNone, GroupRole::kNone, false}, false, kMem, false, r::kNotFound},
      {{"assoc member", true, State::kActive, GroupRole::kNone, false}, true, kMem, false,
       r::kNotGroupMember},
      // An admin sees everything but has no membership to set.
      {{"admin", true, State::kNone, GroupRole::kNone, true}, false, kMem, false, r::kNotGroupMember},
      // Members, whatever their role, standing or the group's settings.
      {{"member", true, State::kActive, GroupRole::kMember, false}, true, kMem, true, r::kOk},
      {{"member", true, State::kActive, GroupRole::kMember, false}, false, kMem, true, r::kOk},
      {{"lapsed member", true, State::kExpired, GroupRole::kMember, false}, true, kMem, true, r::kOk},
      {{"moderator", true, State::kActive, GroupRole::kModerator, false}, true, kPub, true, r::kOk},
      {{"liaison", true, State::kNone, GroupRole::kLiaison, false}, false, kMem, true, r::kOk},
      {{"admin member", true, State::kNone, GroupRole::kMember, true}, true, kPub, true, r::kOk},
  };
  for (const Row& row : rows) {
    Actor a = testing::ActorFor(row.who);
    Group g;
    g.id = GroupId{1};
    g.listed = row.listed;
    g.visibility = row.visibility;
    Decision d = CanChooseDelivery(a, g);
    std::string where = std::string(row.who.name) + (row.listed ? " listed " : " unlisted ") +
                        std::string(ToString(row.visibility));
    EXPECT_EQ(d.allowed, row.allowed) << where;
    EXPECT_EQ(d.reason, row.reason) << where;
  }
}

}  // namespace
}  // namespace rt::policy
