// The association's digest schedule: only admins read and change it, bad
// values change nothing, and the digest run follows what was chosen.
#include "app/association_settings.h"

#include <gtest/gtest.h>

#include <string>

#include "app/delivery.h"
#include "app/demo.h"
#include "app/digests.h"
#include "app/discussions.h"
#include "app/groups.h"
#include "support/app_fixture.h"

namespace rt::app {
namespace {

TimePoint At(int y, unsigned m, unsigned d, int h) {
  return FromUnix(int64_t{Date::FromYmd(y, m, d).days()} * 86400 + h * 3600);
}

class AssociationSettingsTest : public testing::AppTest {
 protected:
  void SetUp() override {
    auto seeded = DemoSeeder(ctx_).Seed(/*with_discussions=*/false);
    ASSERT_TRUE(seeded.ok()) << seeded.error().message;
    avery_ = As("admin@demo.roundtable.test");
    lena_ = As("liaison@demo.roundtable.test");
    ana_ = As("active@demo.roundtable.test");
  }

  store::DigestSchedule Stored() {
    auto s = service_.GetDigestScheduleAsOperator();
    EXPECT_TRUE(s.ok());
    return s.ok() ? *s : store::DigestSchedule{};
  }

  AssociationSettingsService service_{ctx_};
  Viewer avery_, lena_, ana_;
};

void ExpectSchedule(const store::DigestSchedule& s, int hour, int weekday,
                    const std::string& zone) {
  EXPECT_EQ(s.hour, hour);
  EXPECT_EQ(s.weekday, weekday);
  EXPECT_EQ(s.time_zone, zone);
}

TEST(WeekdayTest, NamesRoundTripInAnyCase) {
  EXPECT_EQ(WeekdayName(0), "sunday");
  EXPECT_EQ(WeekdayName(1), "monday");
  EXPECT_EQ(WeekdayName(6), "saturday");
  EXPECT_EQ(WeekdayName(7), "");
  EXPECT_EQ(WeekdayName(-1), "");
  EXPECT_EQ(WeekdayNamed("Monday"), 1);
  EXPECT_EQ(WeekdayNamed("SUNDAY"), 0);
  EXPECT_EQ(WeekdayNamed("saturday"), 6);
  EXPECT_EQ(WeekdayNamed("mon"), std::nullopt);
  EXPECT_EQ(WeekdayNamed("mondays"), std::nullopt);
  EXPECT_EQ(WeekdayNamed("1"), std::nullopt);
  EXPECT_EQ(WeekdayNamed(""), std::nullopt);
}

TEST_F(AssociationSettingsTest,
       AnAdminChangesPartOfTheScheduleAndTheRestStays) {
  auto got = service_.GetDigestSchedule(avery_);
  ASSERT_TRUE(got.ok()) << got.error().message;
  ExpectSchedule(*got, 7, 1, "America/Chicago");

  DigestScheduleChange hour;
  hour.hour = 9;
  auto set = service_.SetDigestSchedule(avery_, hour);
  ASSERT_TRUE(set.ok()) << set.error().message;
  ExpectSchedule(*set, 9, 1, "America/Chicago");

  DigestScheduleChange rest;
  rest.weekday = 5;
  rest.time_zone = "Europe/London";
  set = service_.SetDigestSchedule(avery_, rest);
  ASSERT_TRUE(set.ok()) << set.error().message;
  ExpectSchedule(*set, 9, 5, "Europe/London");
  ExpectSchedule(Stored(), 9, 5, "Europe/London");

  // Nothing to change: the schedule as it is.
  set = service_.SetDigestSchedule(avery_, {});
  ASSERT_TRUE(set.ok());
  ExpectSchedule(*set, 9, 5, "Europe/London");
}

TEST_F(AssociationSettingsTest, NobodyElseSeesItWhateverTheyAskFor) {
  DigestScheduleChange bad;
  bad.hour = 99;  // would be an input error for an admin
  for (const Viewer* v : {&lena_, &ana_}) {
    auto got = service_.GetDigestSchedule(*v);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.error().kind, ErrorKind::kNotFound);
    EXPECT_EQ(got.error().code, "not_found");
    DigestScheduleChange fine;
    fine.hour = 3;
    for (const DigestScheduleChange* c : {&fine, &bad}) {
      auto set = service_.SetDigestSchedule(*v, *c);
      ASSERT_FALSE(set.ok());
      EXPECT_EQ(set.error().code, "not_found") << v->account->email;
    }
  }
  auto visitor = service_.SetDigestSchedule(Viewer{}, bad);
  ASSERT_FALSE(visitor.ok());
  EXPECT_EQ(visitor.error().kind, ErrorKind::kUnauthenticated);
  EXPECT_EQ(service_.GetDigestSchedule(Viewer{}).error().code, "not_signed_in");
  ExpectSchedule(Stored(), 7, 1, "America/Chicago");
}

TEST_F(AssociationSettingsTest, BadValuesAreNamedAndChangeNothing) {
  struct Case {
    DigestScheduleChange change;
    const char* code;
    const char* field;
  };
  auto with = [](std::optional<int> h, std::optional<int> w,
                 std::optional<std::string> z) {
    DigestScheduleChange c;
    c.hour = h;
    c.weekday = w;
    c.time_zone = std::move(z);
    return c;
  };
  const Case cases[] = {
      {with(24, {}, {}), "digest_hour_invalid", "hour"},
      {with(-1, {}, {}), "digest_hour_invalid", "hour"},
      {with({}, 7, {}), "digest_weekday_invalid", "weekday"},
      {with({}, -1, {}), "digest_weekday_invalid", "weekday"},
      {with({}, {}, "Mars/Olympus_Mons"), "time_zone_invalid", "time_zone"},
      {with({}, {}, "../../etc/passwd"), "time_zone_invalid", "time_zone"},
      {with({}, {}, ""), "time_zone_invalid", "time_zone"},
      // One bad value spoils the whole change.
      {with(10, 3, "Nowhere/City"), "time_zone_invalid", "time_zone"},
  };
  for (const Case& c : cases) {
    auto set = service_.SetDigestSchedule(avery_, c.change);
    ASSERT_FALSE(set.ok()) << c.code;
    EXPECT_EQ(set.error().kind, ErrorKind::kInvalidInput);
    EXPECT_EQ(set.error().code, c.code);
    EXPECT_EQ(set.error().field, c.field);
    auto op = service_.SetDigestScheduleAsOperator(c.change);
    ASSERT_FALSE(op.ok());
    EXPECT_EQ(op.error().code, c.code);
  }
  ExpectSchedule(Stored(), 7, 1, "America/Chicago");
}

TEST_F(AssociationSettingsTest, TheDigestRunFollowsTheStoredSchedule) {
  // Ana (daily) and Grant (weekly) hear about Lena's post by digest.
  Viewer grant = As("grace@demo.roundtable.test");
  for (const Viewer* v : {&ana_, &grant, &lena_}) {
    ASSERT_TRUE(GroupsService(ctx_).Join(*v, "data-measurement").ok());
  }
  ASSERT_TRUE(
      DeliveryService(ctx_)
          .SetGroupDelivery(grant, "data-measurement", Delivery::kWeekly)
          .ok());
  clock_.Set(At(2026, 3, 2, 9));
  auto posted = DiscussionsService(ctx_).StartThread(
      lena_, "data-measurement",
      {"discussion", "Counting visits", "How do you count?", ""}, PostVia::kWeb,
      "");
  ASSERT_TRUE(posted.ok()) << posted.error().message;

  DigestScheduleChange change;
  change.hour = 9;
  change.weekday = WeekdayNamed("tuesday");
  ASSERT_TRUE(service_.SetDigestScheduleAsOperator(change).ok());
  auto tokens = MailTokens::Load(db());
  ASSERT_TRUE(tokens.ok());
  auto run = [&](Delivery period, TimePoint now) {
    DigestRunOptions o;
    o.period = period;
    o.now = now;
    o.dry_run = true;
    auto r = DigestService(ctx_, *tokens).Send(o);
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->sent : -1;
  };
  // Monday 2 March, 13:00 UTC is 07:00 in Chicago: the default hour, not
  // the chosen one; 15:00 UTC is 09:00 there.
  EXPECT_EQ(run(Delivery::kDaily, At(2026, 3, 2, 13)), 0);
  EXPECT_EQ(run(Delivery::kDaily, At(2026, 3, 2, 15)), 1);  // Ana
  // Weekly digests wait for Tuesday.
  EXPECT_EQ(run(Delivery::kWeekly, At(2026, 3, 2, 15)), 0);
  EXPECT_EQ(run(Delivery::kWeekly, At(2026, 3, 3, 15)), 1);  // Grant

  // The association's zone: 09:00 in Tokyo is 00:00 UTC.
  DigestScheduleChange tokyo;
  tokyo.time_zone = "Asia/Tokyo";
  ASSERT_TRUE(service_.SetDigestScheduleAsOperator(tokyo).ok());
  EXPECT_EQ(run(Delivery::kDaily, At(2026, 3, 2, 23)),
            0);  // 08:00 on 3 March there
  EXPECT_EQ(run(Delivery::kDaily, At(2026, 3, 3, 0)), 1);
}

}  // namespace
}  // namespace rt::app
