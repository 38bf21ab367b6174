// Feedback to the staff liaison as tables of who asks × rule: sending,
// seeing one item, managing the inbox, and the author's naming consent.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "policy/guardian.h"
#include "policy/policy_table.h"

namespace rt::policy {
namespace {

namespace r = reason;
using State = MembershipStanding::State;

// ActorFor signs everyone in as account 7: the author is 7 when the row is
// the author, else someone else (8).
constexpr AccountId kSeven{7};
constexpr AccountId kSomeoneElse{8};

struct Row {
  testing::Who who;
  bool is_author;
  Decision send, see, manage, consent;
};

Group MembersOnlyGroup(bool listed) {
  Group g;
  g.id = GroupId{1};
  g.listed = listed;
  g.join_policy = JoinPolicy::kMembersOnly;
  g.visibility = ContentVisibility::kMembers;
  return g;
}

void Check(const std::vector<Row>& rows, bool listed) {
  const Group g = MembersOnlyGroup(listed);
  for (const Row& row : rows) {
    Actor a = testing::ActorFor(row.who);
    AccountId author = row.is_author ? kSeven : kSomeoneElse;
    std::string where =
        std::string(row.who.name) + (listed ? " listed" : " unlisted");
    auto expect = [&](const char* rule, Decision got, Decision want) {
      EXPECT_EQ(got.allowed, want.allowed) << where << " " << rule;
      EXPECT_EQ(got.reason, want.reason) << where << " " << rule;
    };
    expect("send", CanSendFeedback(a, g), row.send);
    expect("see", CanSeeFeedback(a, g, author), row.see);
    expect("manage", CanManageFeedback(a, g), row.manage);
    expect("consent", CanChangeFeedbackConsent(a, g, author), row.consent);
  }
}

constexpr Decision kAllow{true, r::kOk};
constexpr Decision Deny(std::string_view why) { return {false, why}; }

TEST(FeedbackPolicyTest, OnlyTheAuthorAndTheGroupsStaffSeeFeedback) {
  const std::vector<Row> rows = {
      // who, author?, send, see, manage, consent
      {{"author", true, State::kActive, GroupRole::kMember, false},
       true,
       kAllow,
       kAllow,
       Deny(r::kNotStaff),
       kAllow},
      // A lapsed member may still tell the staff why; they see their own.
      {{"lapsed author", true, State::kExpired, GroupRole::kMember, false},
       true,
       kAllow,
       kAllow,
       Deny(r::kNotStaff),
       kAllow},
      // An author who left the group still sees what they sent.
      {{"author who left", true, State::kActive, GroupRole::kNone, false},
       true,
       Deny(r::kNotGroupMember),
       kAllow,
       Deny(r::kNotStaff),
       kAllow},
      {{"other member", true, State::kActive, GroupRole::kMember, false},
       false,
       kAllow,
       Deny(r::kNotFound),
       Deny(r::kNotStaff),
       Deny(r::kNotFound)},
      {{"moderator", true, State::kActive, GroupRole::kModerator, false},
       false,
       kAllow,
       Deny(r::kNotFound),
       Deny(r::kNotStaff),
       Deny(r::kNotFound)},
      {{"liaison of this group", true, State::kActive, GroupRole::kLiaison,
        false},
       false,
       kAllow,
       kAllow,
       kAllow,
       Deny(r::kNotAuthor)},
      // A liaison of another group is nobody special here.
      {{"liaison of another group", true, State::kActive, GroupRole::kNone,
        false},
       false,
       Deny(r::kNotGroupMember),
       Deny(r::kNotFound),
       Deny(r::kNotStaff),
       Deny(r::kNotFound)},
      {{"admin", true, State::kNone, GroupRole::kNone, true},
       false,
       Deny(r::kNotGroupMember),
       kAllow,
       kAllow,
       Deny(r::kNotAuthor)},
      {{"signed out", false, State::kNone, GroupRole::kNone, false},
       false,
       Deny(r::kNotSignedIn),
       Deny(r::kNotSignedIn),
       Deny(r::kNotSignedIn),
       Deny(r::kNotSignedIn)},
  };
  Check(rows, /*listed=*/true);
}

TEST(FeedbackPolicyTest,
     AnUnlistedGroupHidesItsInboxButNotTheAuthorsOwnFeedback) {
  const std::vector<Row> rows = {
      {{"author who left", true, State::kActive, GroupRole::kNone, false},
       true,
       Deny(r::kNotFound),
       kAllow,
       Deny(r::kNotFound),
       kAllow},
      {{"member", true, State::kActive, GroupRole::kMember, false},
       false,
       kAllow,
       Deny(r::kNotFound),
       Deny(r::kNotStaff),
       Deny(r::kNotFound)},
      {{"liaison of another group", true, State::kActive, GroupRole::kNone,
        false},
       false,
       Deny(r::kNotFound),
       Deny(r::kNotFound),
       Deny(r::kNotFound),
       Deny(r::kNotFound)},
      {{"liaison of this group", true, State::kActive, GroupRole::kLiaison,
        false},
       false,
       kAllow,
       kAllow,
       kAllow,
       Deny(r::kNotAuthor)},
      {{"admin", true, State::kNone, GroupRole::kNone, true},
       false,
       Deny(r::kNotGroupMember),
       kAllow,
       kAllow,
       Deny(r::kNotAuthor)},
      {{"signed out", false, State::kNone, GroupRole::kNone, false},
       false,
       Deny(r::kNotFound),
       Deny(r::kNotSignedIn),
       Deny(r::kNotFound),
       Deny(r::kNotSignedIn)},
  };
  Check(rows, /*listed=*/false);
}

}  // namespace
}  // namespace rt::policy
