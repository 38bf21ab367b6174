#include "domain/accounts/account_token.h"

#include <gtest/gtest.h>

namespace rt {
namespace {

using namespace std::chrono_literals;

TEST(AccountTokenTest, PurposesRoundTripAndUnknownOnesAreRefused) {
  for (TokenPurpose p : {TokenPurpose::kVerify, TokenPurpose::kReset, TokenPurpose::kEmailChange}) {
    EXPECT_EQ(ParseTokenPurpose(ToString(p)), p);
  }
  EXPECT_EQ(ToString(TokenPurpose::kEmailChange), "email_change");
  EXPECT_FALSE(ParseTokenPurpose("Reset").has_value());
  EXPECT_FALSE(ParseTokenPurpose("").has_value());
}

TEST(AccountTokenTest, ResetLinksLiveAnHourTheOthersTwoDays) {
  EXPECT_EQ(TokenLifetime(TokenPurpose::kReset), 1h);
  EXPECT_EQ(TokenLifetime(TokenPurpose::kVerify), 48h);
  EXPECT_EQ(TokenLifetime(TokenPurpose::kEmailChange), 48h);
}

TEST(AccountTokenTest, StateAtExpiryAndUse) {
  const TimePoint t0 = FromUnix(1772366400);
  AccountToken t;
  t.created_at = t0;
  t.expires_at = t0 + 1h;
  EXPECT_EQ(StateAt(t, t0), TokenState::kUsable);
  EXPECT_EQ(StateAt(t, t0 + 1h - 1s), TokenState::kUsable);
  EXPECT_EQ(StateAt(t, t0 + 1h), TokenState::kExpired);
  t.used_at = t0 + 1min;
  EXPECT_EQ(StateAt(t, t0 + 2min), TokenState::kUsed);
  EXPECT_EQ(StateAt(t, t0 + 2h), TokenState::kUsed);  // used says more than expired
}

}  // namespace
}  // namespace rt
