#include "domain/invitations/invitation.h"

#include <gtest/gtest.h>

#include <string>

namespace rt {
namespace {

using namespace std::chrono_literals;

TEST(InvitationTest, StateFollowsOpeningAcceptingAndExpiry) {
  const TimePoint t0 = FromUnix(1772366400);
  Invitation inv;
  inv.created_at = t0;
  inv.expires_at = t0 + kInvitationLifetime;
  EXPECT_EQ(StateAt(inv, t0), InvitationState::kSent);
  inv.opened_at = t0 + 1h;
  EXPECT_EQ(StateAt(inv, t0 + 2h), InvitationState::kOpened);
  EXPECT_EQ(StateAt(inv, inv.expires_at - 1s), InvitationState::kOpened);
  EXPECT_EQ(StateAt(inv, inv.expires_at), InvitationState::kExpired);
  inv.accepted_at = t0 + 3h;
  // Joined stays joined after the link would have expired.
  EXPECT_EQ(StateAt(inv, inv.expires_at + 1h), InvitationState::kJoined);
  EXPECT_EQ(ToString(InvitationState::kJoined), "joined");
  EXPECT_EQ(ToString(InvitationState::kExpired), "expired");
  EXPECT_EQ(ToString(InvitationState::kSent), "sent");
  EXPECT_EQ(ToString(InvitationState::kOpened), "opened");
}

TEST(InvitationTest, NotesArePlainTextWithinTheLimit) {
  auto ok = ValidateInvitationNote("  Hi Sam,\r\nthis group is great.\r\n  ");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, "Hi Sam,\nthis group is great.");
  EXPECT_EQ(*ValidateInvitationNote(""), "");
  // Exactly the limit in code points (2 bytes each) passes; one more fails.
  std::string at_limit;
  for (size_t i = 0; i < kMaxInvitationNoteChars; ++i) at_limit += "é";
  EXPECT_TRUE(ValidateInvitationNote(at_limit).ok());
  auto too_long = ValidateInvitationNote(at_limit + "x");
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().code, "note_too_long");
  EXPECT_EQ(too_long.error().field, "note");
  for (std::string bad :
       {std::string("nul\0here", 8), std::string("bell\a"),
        std::string("\xff\xfe"), std::string("c1 \xc2\x85")}) {
    auto r = ValidateInvitationNote(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, "invalid_note");
  }
}

}  // namespace
}  // namespace rt
