// CanReceivePostMail as a table: who, how the group is set up, why the mail
// would go, and the decision and reason expected.
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
  JoinPolicy join;
  ContentVisibility visibility;
  PostMail why;
  bool allowed;
  std::string_view reason;
};

TEST(PostMailPolicyTest, OnlyThoseWhoMayStillReadGetPostMail) {
  constexpr auto kPub = ContentVisibility::kPublic;
  constexpr auto kMem = ContentVisibility::kMembers;
  constexpr auto kOnly = JoinPolicy::kMembersOnly;
  constexpr auto kOpen = JoinPolicy::kOpen;
  constexpr auto kGroup = PostMail::kGroupDelivery;
  constexpr auto kNote = PostMail::kNotification;
  const std::vector<Row> rows = {
      // Nobody signed in gets mail.
      {{"visitor", false, State::kNone, GroupRole::kNone, false}, kOpen, kPub, kNote, false,
       r::kNotSignedIn},
      // Left the group: no more group mail; members-only content is gone.
      {{"left", true, State::kActive, GroupRole::kNone, false}, kOpen, kPub, kGroup, false,
       r::kNotGroupMember},
      {{"left", true, State::kActive, GroupRole::kNone, false}, kOnly, kMem, kGroup, false,
       r::kNotFound},
      {{"left", true, State::kActive, GroupRole::kNone, false}, kOnly, kMem, kNote, false,
       r::kNotFound},
      // A follower outside an open, public group still hears replies to them.
      {{"follower", true, State::kNone, GroupRole::kNone, false}, kOpen, kPub, kNote, true, r::kOk},
      // Lapsed members of members-only groups hear nothing, though they read.
      {{"lapsed", true, State::kExpired, GroupRole::kMember, false}, kOnly, kMem, kGroup, false,
       r::kMembershipExpired},
      {{"lapsed", true, State::kExpired, GroupRole::kMember, false}, kOnly, kMem, kNote, false,
       r::kMembershipExpired},
      {{"no membership", true, State::kNone, GroupRole::kMember, false}, kOnly, kPub, kGroup,
       false, r::kMembershipRequired},
      // ... but in an open group standing does not matter.
      {{"lapsed", true, State::kExpired, GroupRole::kMember, false}, kOpen, kPub, kGroup, true,
       r::kOk},
      // Members in good standing, whatever their role.
      {{"member", true, State::kActive, GroupRole::kMember, false}, kOnly, kMem, kGroup, true,
       r::kOk},
      {{"moderator", true, State::kActive, GroupRole::kModerator, false}, kOnly, kMem, kNote, true,
       r::kOk},
      // Staff keep hearing from their group.
      {{"liaison", true, State::kNone, GroupRole::kLiaison, false}, kOnly, kMem, kGroup, true,
       r::kOk},
      {{"admin member", true, State::kNone, GroupRole::kMember, true}, kOnly, kMem, kGroup, true,
       r::kOk},
      // An admin outside the group has no delivery there.
      {{"admin", true, State::kNone, GroupRole::kNone, true}, kOnly, kMem, kGroup, false,
       r::kNotGroupMember},
  };
  for (const Row& row : rows) {
    Actor a = testing::ActorFor(row.who);
    Group g;
    g.id = GroupId{1};
    g.listed = true;
    g.join_policy = row.join;
    g.visibility = row.visibility;
    Decision d = CanReceivePostMail(a, g, row.why);
    std::string where = std::string(row.who.name) + " " + std::string(ToString(row.join)) + " " +
                        std::string(ToString(row.visibility)) +
                        (row.why == kGroup ? " group mail" : " notification");
    EXPECT_EQ(d.allowed, row.allowed) << where;
    EXPECT_EQ(d.reason, row.reason) << where;
  }
}

}  // namespace
}  // namespace rt::policy
