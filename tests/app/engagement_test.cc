#include "app/engagement.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/demo.h"
#include "app/discussions.h"
#include "app/groups.h"
#include "support/app_fixture.h"

namespace rt::app {
namespace {

Date D(int y, unsigned m, unsigned d) { return Date::FromYmd(y, m, d); }

TEST(ParsePeriodTest, DefaultsToTwelveMonthsEndingToday) {
  auto p = ParsePeriod("", "", D(2026, 3, 15));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->from, D(2025, 4, 1));
  EXPECT_EQ(p->to, D(2026, 3, 15));
  EXPECT_EQ(MonthsOf(*p).size(), 12u);
  EXPECT_EQ(MonthsOf(*p).front(), "2025-04");
  EXPECT_EQ(MonthsOf(*p).back(), "2026-03");
}

TEST(ParsePeriodTest, ReadsBothEndsAndStopsAtToday) {
  auto p = ParsePeriod("2025-12-31", "2026-01-01", D(2026, 3, 15));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(MonthsOf(*p), (std::vector<std::string>{"2025-12", "2026-01"}));
  p = ParsePeriod("2026-01-01", "2027-06-01", D(2026, 3, 15));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->to, D(2026, 3, 15));
  // Without a start, the 12 months ending with the end's month.
  p = ParsePeriod("", "2025-06-10", D(2026, 3, 15));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->from, D(2024, 7, 1));
}

TEST(ParsePeriodTest, RefusesWhatIsNotAPeriod) {
  const Date today = D(2026, 3, 15);
  struct Case {
    const char* from;
    const char* to;
    const char* code;
    const char* field;
  };
  for (const Case& c : std::vector<Case>{
           {"2026-02-30", "", "invalid_date", "from"},
           {"yesterday", "", "invalid_date", "from"},
           {"", "2026-13-01", "invalid_date", "to"},
           {"2026-01-01T00:00", "", "invalid_date", "from"},
           {"2026-02-02", "2026-02-01", "period_reversed", "from"},
           {"2026-04-01", "", "period_reversed", "from"},  // starts after today
           {"2021-01-01", "2026-01-01", "period_too_long", "to"},
       }) {
    auto p = ParsePeriod(c.from, c.to, today);
    ASSERT_FALSE(p.ok()) << c.from << " " << c.to;
    EXPECT_EQ(p.error().kind, ErrorKind::kRuleBroken);
    EXPECT_EQ(p.error().code, c.code) << c.from << " " << c.to;
    EXPECT_EQ(p.error().field, c.field) << c.from << " " << c.to;
  }
  // Exactly five years is allowed.
  EXPECT_TRUE(ParsePeriod("2021-01-01", "2025-12-31", today).ok());
  EXPECT_TRUE(ParsePeriod("2024-02-29", "2029-02-27", today.AddDays(2000)).ok());
  EXPECT_FALSE(ParsePeriod("2024-02-29", "2029-02-28", today.AddDays(2000)).ok());
}

TEST(FillMonthsTest, MembersAtEachMonthEndAddUpAndQuietMonthsAreZero) {
  store::GroupEngagementCounts counts;
  counts.group = GroupId{1};
  counts.members_before = 10;
  counts.months["2026-01"].members_new = 3;
  counts.months["2026-03"].members_new = 2;
  counts.months["2026-03"].threads = {1, 4, 0};
  counts.months["2026-03"].questions_answered = 3;
  counts.period.members_new = 5;
  counts.period.threads = {1, 4, 0};
  counts.period.questions_answered = 3;
  EngagementReport r;
  FillMonths({D(2026, 1, 1), D(2026, 3, 31)}, &counts, r);
  ASSERT_EQ(r.months.size(), 3u);
  EXPECT_EQ(r.months[0].figures.members_total, 13);
  EXPECT_EQ(r.months[1].month, "2026-02");
  EXPECT_EQ(r.months[1].figures.members_total, 13);
  EXPECT_EQ(r.months[1].figures.threads_total(), 0);
  EXPECT_FALSE(r.months[1].figures.answered_share().has_value());
  EXPECT_EQ(r.months[2].figures.members_total, 15);
  EXPECT_EQ(r.months[2].figures.answered_share(), std::optional<double>(0.75));
  EXPECT_EQ(r.totals.members_total, 15);
  EXPECT_EQ(r.totals.threads_total(), 5);

  EngagementReport quiet;
  FillMonths({D(2026, 1, 1), D(2026, 2, 1)}, nullptr, quiet);
  ASSERT_EQ(quiet.months.size(), 2u);
  EXPECT_EQ(quiet.totals.members_total, 0);
}

// The demo association: Lena is the liaison of every group, Avery an
// admin, Ana a member.
class EngagementServiceTest : public testing::AppTest {
 protected:
  void SetUp() override {
    auto seeded = DemoSeeder(ctx_).Seed(/*with_discussions=*/false);
    ASSERT_TRUE(seeded.ok()) << seeded.error().message;
    ana_ = As("active@demo.roundtable.test");
    lena_ = As("liaison@demo.roundtable.test");
    avery_ = As("admin@demo.roundtable.test");
    ASSERT_TRUE(GroupsService(ctx_).Join(ana_, kGroup).ok());
  }
  Period Year() { return *ParsePeriod("", "", ctx_.clock->Today()); }

  static constexpr const char* kGroup = "data-measurement";
  EngagementService engagement_{ctx_};
  Viewer ana_, lena_, avery_;
};

TEST_F(EngagementServiceTest, OnlyTheGroupsStaffSeeItsFigures) {
  auto r = engagement_.ForGroup(lena_, kGroup, Year());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->months.size(), 12u);
  EXPECT_GE(r->totals.members_new, 1);  // Ana, who joined today
  EXPECT_TRUE(engagement_.ForGroup(avery_, kGroup, Year()).ok());

  auto member = engagement_.ForGroup(ana_, kGroup, Year());
  ASSERT_FALSE(member.ok());
  EXPECT_EQ(member.error().kind, ErrorKind::kForbidden);
  EXPECT_EQ(member.error().code, "not_staff");
  auto visitor = engagement_.ForGroup(Viewer{}, kGroup, Year());
  ASSERT_FALSE(visitor.ok());
  EXPECT_EQ(visitor.error().kind, ErrorKind::kUnauthenticated);
  auto missing = engagement_.ForGroup(lena_, "no-such-group", Year());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
}

TEST_F(EngagementServiceTest, TheAssociationViewIsForAdminsAndSorts) {
  auto all = engagement_.ForAssociation(avery_, Year(), "");
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(all->sort, "name");
  ASSERT_GE(all->groups.size(), 2u);
  for (size_t i = 1; i < all->groups.size(); ++i) {
    EXPECT_LE(all->groups[i - 1].listing.group.name, all->groups[i].listing.group.name);
  }
  auto by_members = engagement_.ForAssociation(avery_, Year(), "members");
  ASSERT_TRUE(by_members.ok());
  for (size_t i = 1; i < by_members->groups.size(); ++i) {
    EXPECT_GE(by_members->groups[i - 1].totals.members_total,
              by_members->groups[i].totals.members_total);
  }

  auto bad = engagement_.ForAssociation(avery_, Year(), "popularity");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "invalid_sort");
  auto liaison = engagement_.ForAssociation(lena_, Year(), "");
  ASSERT_FALSE(liaison.ok());
  EXPECT_EQ(liaison.error().kind, ErrorKind::kNotFound);
  auto visitor = engagement_.ForAssociation(Viewer{}, Year(), "");
  ASSERT_FALSE(visitor.ok());
  EXPECT_EQ(visitor.error().kind, ErrorKind::kUnauthenticated);
}

}  // namespace
}  // namespace rt::app
