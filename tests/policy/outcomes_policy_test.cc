// Who may see a group's outcome results, engagement figures and dashboard,
// and who may answer its check-ins, as tables of who asks × group kind.
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
  Decision listed, unlisted;
};

Group MembersOnlyGroup(bool listed) {
  Group g;
  g.id = GroupId{1};
  g.listed = listed;
  g.join_policy = JoinPolicy::kMembersOnly;
  g.visibility = ContentVisibility::kMembers;
  return g;
}

constexpr Decision kAllow{true, r::kOk};
constexpr Decision Deny(std::string_view why) { return {false, why}; }

// Checks `rule` against every row, for a listed and an unlisted group.
void ExpectTable(const std::vector<Row>& rows, Decision (*rule)(const Actor&, const Group&)) {
  for (const Row& row : rows) {
    Actor a = testing::ActorFor(row.who);
    for (bool listed : {true, false}) {
      Decision got = rule(a, MembersOnlyGroup(listed));
      Decision want = listed ? row.listed : row.unlisted;
      EXPECT_EQ(got.allowed, want.allowed) << row.who.name << " listed=" << listed;
      EXPECT_EQ(got.reason, want.reason) << row.who.name << " listed=" << listed;
    }
  }
}

TEST(OutcomesPolicyTest, OnlyTheGroupsStaffSeeItsOutcomes) {
  const std::vector<Row> rows = {
      {{"member", true, State::kActive, GroupRole::kMember, false},
       Deny(r::kNotStaff),
       Deny(r::kNotStaff)},
      {{"moderator", true, State::kActive, GroupRole::kModerator, false},
       Deny(r::kNotStaff),
       Deny(r::kNotStaff)},
      {{"lapsed member", true, State::kExpired, GroupRole::kMember, false},
       Deny(r::kNotStaff),
       Deny(r::kNotStaff)},
      {{"liaison of this group", true, State::kActive, GroupRole::kLiaison, false}, kAllow, kAllow},
      // A liaison of another group is nobody special here, and an unlisted
      // group does not exist for them.
      {{"liaison of another group", true, State::kActive, GroupRole::kNone, false},
       Deny(r::kNotStaff),
       Deny(r::kNotFound)},
      {{"admin", true, State::kNone, GroupRole::kNone, true}, kAllow, kAllow},
      {{"signed out", false, State::kNone, GroupRole::kNone, false},
       Deny(r::kNotSignedIn),
       Deny(r::kNotFound)},
  };
  ExpectTable(rows, CanSeeGroupOutcomes);
}

TEST(CheckinsPolicyTest, OnlyMembersOfTheGroupCheckIn) {
  const std::vector<Row> rows = {
      {{"member", true, State::kActive, GroupRole::kMember, false}, kAllow, kAllow},
      {{"moderator", true, State::kActive, GroupRole::kModerator, false}, kAllow, kAllow},
      // Lapsed members are still in the group and may say what it did for them.
      {{"lapsed member", true, State::kExpired, GroupRole::kMember, false}, kAllow, kAllow},
      // Staff measure the group; they are not asked about it.
      {{"liaison of this group", true, State::kActive, GroupRole::kLiaison, false},
       Deny(r::kNotFound),
       Deny(r::kNotFound)},
      {{"association member not in the group", true, State::kActive, GroupRole::kNone, false},
       Deny(r::kNotFound),
       Deny(r::kNotFound)},
      {{"admin not in the group", true, State::kNone, GroupRole::kNone, true},
       Deny(r::kNotFound),
       Deny(r::kNotFound)},
      {{"signed out", false, State::kNone, GroupRole::kNone, false},
       Deny(r::kNotSignedIn),
       Deny(r::kNotFound)},
  };
  ExpectTable(rows, CanCheckIn);
}

}  // namespace
}  // namespace rt::policy
