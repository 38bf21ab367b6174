#include "domain/members/membership.h"

#include <gtest/gtest.h>

namespace rt {
namespace {

using State = MembershipStanding::State;

TEST(MembershipTest, StandingFollowsPaidThroughPlusGrace) {
  Membership m;
  m.paid_through = Date::FromYmd(2026, 1, 31);
  struct Case {
    Date today;
    int grace;
    State state;
  } cases[] = {
      {Date::FromYmd(2026, 1, 30), 0, State::kActive},
      {Date::FromYmd(2026, 1, 31), 0, State::kActive},   // last paid day
      {Date::FromYmd(2026, 2, 1), 0, State::kExpired},
      {Date::FromYmd(2026, 3, 2), 30, State::kActive},   // 31 Jan + 30 days
      {Date::FromYmd(2026, 3, 3), 30, State::kExpired},
  };
  for (const Case& c : cases) {
    MembershipStanding s = StandingOn(m, c.grace, c.today);
    EXPECT_EQ(s.state, c.state) << c.today.Iso() << " grace " << c.grace;
  }
  MembershipStanding ended = StandingOn(m, 30, Date::FromYmd(2026, 4, 1));
  EXPECT_EQ(ended.ended_on.Long(), "2 March 2026");
}

TEST(MembershipTest, NoMembershipIsNone) {
  EXPECT_EQ(StandingOn(std::nullopt, 30, Date::FromYmd(2026, 1, 1)).state, State::kNone);
}

TEST(MembershipTest, MemberTypeValidation) {
  EXPECT_EQ(*ValidateMemberType("  Personal "), "Personal");
  EXPECT_FALSE(ValidateMemberType("").ok());
  EXPECT_FALSE(ValidateMemberType(std::string(61, 'x')).ok());
  EXPECT_FALSE(ValidateMemberType(std::string("a\0b", 3)).ok());
}

}  // namespace
}  // namespace rt
