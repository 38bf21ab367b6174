// CanManageGroup as a table: who may change a group's settings (such as how
// new members get its mail).
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
  bool allowed;
  std::string_view reason;
};

TEST(GroupSettingsPolicyTest, OnlyTheGroupsStaffManageIt) {
  const std::vector<Row> rows = {
      // A group someone cannot see does not exist for them.
      {{"visitor", false, State::kNone, GroupRole::kNone, false}, true, false, r::kNotSignedIn},
      {{"visitor", false, State::kNone, GroupRole::kNone, false}, false, false, r::kNotFound},
      {{"account", true, State::kNone, GroupRole::kNone, false}, false, false, r::kNotFound},
      {{"account", true, State::kNone, GroupRole::kNone, false}, true, false, r::kNotStaff},
      {{"assoc member", true, State::kActive, GroupRole::kNone, false}, true, false, r::kNotStaff},
      {{"member", true, State::kActive, GroupRole::kMember, false}, true, false, r::kNotStaff},
      {{"moderator", true, State::kActive, GroupRole::kModerator, false}, true, false, r::kNotStaff},
      {{"lapsed liaison", true, State::kExpired, GroupRole::kLiaison, false}, false, true, r::kOk},
      {{"liaison", true, State::kActive, GroupRole::kLiaison, false}, true, true, r::kOk},
      {{"admin", true, State::kNone, GroupRole::kNone, true}, false, true, r::kOk},
      {{"admin member", true, State::kActive, GroupRole::kMember, true}, true, true, r::kOk},
  };
  for (const Row& row : rows) {
    Actor a = testing::ActorFor(row.who);
    Group g;
    g.id = GroupId{1};
    g.listed = row.listed;
    g.visibility = ContentVisibility::kMembers;
    Decision d = CanManageGroup(a, g);
    std::string where = std::string(row.who.name) + (row.listed ? " listed" : " unlisted");
    EXPECT_EQ(d.allowed, row.allowed) << where;
    EXPECT_EQ(d.reason, row.reason) << where;
  }
}

}  // namespace
}  // namespace rt::policy
