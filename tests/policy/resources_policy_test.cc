// The resource rules as tables: who may see, share, recommend, confirm and
// remove a group's resources.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "policy/guardian.h"
#include "policy/policy_table.h"

namespace rt::policy {
namespace {

namespace r = reason;
using State = MembershipStanding::State;

// The account ActorFor gives signed-in rows; resources below are shared by
// someone else unless a row says `own`.
constexpr AccountId kMe{7};
constexpr AccountId kSomeoneElse{8};

struct Expect {
  bool allowed;
  std::string_view reason;
};

struct Row {
  testing::Who who;
  Expect see, share, recommend, confirm, remove;
};

Group MembersOnly() {
  Group g;
  g.id = GroupId{1};
  g.listed = true;
  g.join_policy = JoinPolicy::kMembersOnly;
  g.visibility = ContentVisibility::kMembers;
  return g;
}

void Check(const Row& row, const Group& g, bool own, const std::string& where) {
  Actor a = testing::ActorFor(row.who);
  AccountId sharer = own ? kMe : kSomeoneElse;
  auto expect = [&](Decision d, Expect e, const char* rule) {
    EXPECT_EQ(d.allowed, e.allowed) << where << " " << rule;
    EXPECT_EQ(d.reason, e.reason) << where << " " << rule;
  };
  expect(CanSeeResources(a, g), row.see, "see");
  expect(CanShareResource(a, g), row.share, "share");
  expect(CanRecommendResource(a, g, sharer), row.recommend, "recommend");
  expect(CanConfirmResource(a, g), row.confirm, "confirm");
  expect(CanDeleteResource(a, g, sharer), row.remove, "remove");
}

constexpr Expect kYes{true, r::kOk};
constexpr Expect kHidden{false, r::kNotFound};

TEST(ResourcesPolicyTest, MembersOnlyGroupWithMembersOnlyContent) {
  const Group g = MembersOnly();
  const std::vector<Row> rows = {
      // Outsiders cannot even tell the library exists.
      {{"visitor", false, State::kNone, GroupRole::kNone, false},
       kHidden,
       kHidden,
       kHidden,
       kHidden,
       kHidden},
      {{"account", true, State::kNone, GroupRole::kNone, false},
       kHidden,
       kHidden,
       kHidden,
       kHidden,
       kHidden},
      {{"assoc member", true, State::kActive, GroupRole::kNone, false},
       kHidden,
       kHidden,
       kHidden,
       kHidden,
       kHidden},
      {{"member", true, State::kActive, GroupRole::kMember, false},
       kYes,
       kYes,
       kYes,
       {false, r::kNotStaff},
       {false, r::kNotSharer}},
      // A lapsed member still reads, but shares and recommends no more.
      {{"lapsed member", true, State::kExpired, GroupRole::kMember, false},
       kYes,
       {false, r::kMembershipExpired},
       {false, r::kMembershipExpired},
       {false, r::kNotStaff},
       {false, r::kNotSharer}},
      {{"moderator", true, State::kActive, GroupRole::kModerator, false},
       kYes,
       kYes,
       kYes,
       {false, r::kNotStaff},
       kYes},
      {{"liaison", true, State::kExpired, GroupRole::kLiaison, false},
       kYes,
       kYes,
       kYes,
       kYes,
       kYes},
      {{"admin", true, State::kNone, GroupRole::kNone, true},
       kYes,
       kYes,
       kYes,
       kYes,
       kYes},
  };
  for (const Row& row : rows) Check(row, g, false, row.who.name);
}

TEST(ResourcesPolicyTest, OwnResources) {
  const Group g = MembersOnly();
  const std::vector<Row> rows = {
      {{"member", true, State::kActive, GroupRole::kMember, false},
       kYes,
       kYes,
       {false, r::kOwnResource},
       {false, r::kNotStaff},
       kYes},
      // Someone who lapsed can still take down what they shared.
      {{"lapsed member", true, State::kExpired, GroupRole::kMember, false},
       kYes,
       {false, r::kMembershipExpired},
       {false, r::kMembershipExpired},
       {false, r::kNotStaff},
       kYes},
      // Once out of the group, its library is hidden, their own items too.
      {{"left", true, State::kActive, GroupRole::kNone, false},
       kHidden,
       kHidden,
       kHidden,
       kHidden,
       kHidden},
  };
  for (const Row& row : rows)
    Check(row, g, true, std::string(row.who.name) + " own");
}

TEST(ResourcesPolicyTest, PublicContentIsReadableButNotWritableByOutsiders) {
  Group g = MembersOnly();
  g.join_policy = JoinPolicy::kOpen;
  g.visibility = ContentVisibility::kPublic;
  const std::vector<Row> rows = {
      {{"visitor", false, State::kNone, GroupRole::kNone, false},
       kYes,
       {false, r::kNotSignedIn},
       {false, r::kNotSignedIn},
       {false, r::kNotSignedIn},
       {false, r::kNotSignedIn}},
      {{"account", true, State::kNone, GroupRole::kNone, false},
       kYes,
       {false, r::kNotGroupMember},
       {false, r::kNotGroupMember},
       {false, r::kNotStaff},
       {false, r::kNotSharer}},
      // Open groups need no association membership.
      {{"member", true, State::kNone, GroupRole::kMember, false},
       kYes,
       kYes,
       kYes,
       {false, r::kNotStaff},
       {false, r::kNotSharer}},
  };
  for (const Row& row : rows)
    Check(row, g, false, std::string(row.who.name) + " public");
}

TEST(ResourcesPolicyTest, UnlistedGroupIsHiddenFromOutsiders) {
  Group g = MembersOnly();
  g.listed = false;
  g.visibility = ContentVisibility::kPublic;
  Row visitor{{"visitor", false, State::kNone, GroupRole::kNone, false},
              kHidden,
              kHidden,
              kHidden,
              kHidden,
              kHidden};
  Check(visitor, g, false, "visitor unlisted");
}

}  // namespace
}  // namespace rt::policy
