#include "core/time_zone.h"

#include <gtest/gtest.h>

namespace rt {
namespace {

TimePoint At(int y, unsigned m, unsigned d, int h) {
  return FromUnix(int64_t{Date::FromYmd(y, m, d).days()} * 86400 + h * 3600);
}

TEST(TimeZoneTest, ReadsOffsetsAcrossDaylightSavingTime) {
  auto chicago = TimeZone::Load("America/Chicago");
  ASSERT_TRUE(chicago.ok()) << chicago.error().message;
  EXPECT_EQ(chicago->OffsetAt(At(2026, 3, 2, 13)), -6 * 3600);  // CST
  EXPECT_EQ(chicago->OffsetAt(At(2026, 3, 9, 12)), -5 * 3600);  // CDT from 8 March
  LocalTime t = chicago->ToLocal(At(2026, 3, 2, 13));
  EXPECT_EQ(t.date, Date::FromYmd(2026, 3, 2));
  EXPECT_EQ(t.hour, 7);
  EXPECT_EQ(t.weekday, 1);  // a Monday
  auto tokyo = TimeZone::Load("Asia/Tokyo");
  ASSERT_TRUE(tokyo.ok());
  LocalTime k = tokyo->ToLocal(At(2026, 3, 1, 21));
  EXPECT_EQ(k.date, Date::FromYmd(2026, 3, 2));
  EXPECT_EQ(k.hour, 6);
  EXPECT_EQ(TimeZone().ToLocal(At(2026, 3, 1, 21)).hour, 21);  // UTC
}

TEST(TimeZoneTest, RefusesNamesThatAreNotZones) {
  for (const char* bad : {"", "Mars/Olympus", "../../etc/passwd", "America/../etc", "/etc/passwd",
                          "America//Chicago", "America/Chicago/", "-x", "Amer ica"}) {
    auto z = TimeZone::Load(bad);
    ASSERT_FALSE(z.ok()) << bad;
    EXPECT_EQ(z.error().code, "time_zone_invalid");
  }
  EXPECT_TRUE(TimeZone::WellFormedName("America/Argentina/Buenos_Aires"));
  EXPECT_TRUE(TimeZone::WellFormedName("Etc/GMT+5"));
  EXPECT_TRUE(TimeZone::Load("UTC").ok());
}

}  // namespace
}  // namespace rt
