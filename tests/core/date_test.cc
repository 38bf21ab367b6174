// Date and time formatting: fixed cases a reader can check by eye, and a
// sweep against std::chrono plus snprintf, the straightforward (and slow)
// way to write the same text.
#include "core/date.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <limits>

namespace rt {
namespace {

using std::chrono::sys_days;

// The reference: std::chrono's calendar and printf's padding.
std::string ReferenceIso(int days) {
  std::chrono::year_month_day ymd{sys_days(std::chrono::days(days))};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string ReferenceLong(int days) {
  static const char* const kMonths[] = {"January", "February", "March",     "April",
                                        "May",     "June",     "July",      "August",
                                        "September", "October", "November", "December"};
  std::chrono::year_month_day ymd{sys_days(std::chrono::days(days))};
  return std::to_string(static_cast<unsigned>(ymd.day())) + " " +
         kMonths[static_cast<unsigned>(ymd.month()) - 1] + " " +
         std::to_string(static_cast<int>(ymd.year()));
}

std::string ReferenceIsoTime(int64_t unix_seconds) {
  TimePoint t = FromUnix(unix_seconds);
  auto day = std::chrono::floor<std::chrono::days>(t);
  std::chrono::hh_mm_ss hms{t - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ",
                ReferenceIso(static_cast<int>(day.time_since_epoch().count())).c_str(),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

int DaysOf(int y, unsigned m, unsigned d) { return Date::FromYmd(y, m, d).days(); }

TEST(DateTest, FixedDates) {
  EXPECT_EQ(Date(0).Iso(), "1970-01-01");
  EXPECT_EQ(Date(0).Long(), "1 January 1970");
  EXPECT_EQ(Date(-1).Iso(), "1969-12-31");
  EXPECT_EQ(Date(-1).Long(), "31 December 1969");
  EXPECT_EQ(Date::FromYmd(2026, 3, 3).Iso(), "2026-03-03");
  EXPECT_EQ(Date::FromYmd(2026, 3, 3).Long(), "3 March 2026");
  EXPECT_EQ(Date::FromYmd(2024, 2, 29).Long(), "29 February 2024");
  EXPECT_EQ(Date::FromYmd(2000, 2, 29).Iso(), "2000-02-29");
  EXPECT_EQ(Date::FromYmd(9999, 12, 31).Iso(), "9999-12-31");
  EXPECT_EQ(Date::FromYmd(9999, 12, 31).Long(), "31 December 9999");
  EXPECT_EQ(Date::FromYmd(10000, 1, 1).Iso(), "10000-01-01");
  EXPECT_EQ(Date::FromYmd(700, 6, 5).Iso(), "0700-06-05");
  EXPECT_EQ(Date::FromYmd(700, 6, 5).Long(), "5 June 700");
  EXPECT_EQ(Date::FromYmd(0, 1, 1).Iso(), "0000-01-01");
  EXPECT_EQ(Date::FromYmd(-1, 12, 31).Iso(), "-001-12-31");
  EXPECT_EQ(Date::FromYmd(-1, 12, 31).Long(), "31 December -1");
}

TEST(DateTest, LeapYearsFollowTheGregorianRules) {
  // 1900 and 2100 are not leap years, 2000 and 2024 are.
  EXPECT_EQ(Date(DaysOf(1900, 2, 28) + 1).Iso(), "1900-03-01");
  EXPECT_EQ(Date(DaysOf(2100, 2, 28) + 1).Iso(), "2100-03-01");
  EXPECT_EQ(Date(DaysOf(2000, 2, 28) + 1).Iso(), "2000-02-29");
  EXPECT_EQ(Date(DaysOf(2024, 2, 28) + 1).Iso(), "2024-02-29");
  EXPECT_EQ(Date(DaysOf(2023, 2, 28) + 1).Iso(), "2023-03-01");
  EXPECT_EQ(Date(DaysOf(2024, 12, 31) - DaysOf(2024, 1, 1)).days(), 365);
}

TEST(DateTest, AgreesWithChronoOverEveryDayOfSixHundredYears) {
  // Two full 400-year cycles around the epoch, and the far ends of the
  // range chrono can name.
  for (int days = DaysOf(1700, 1, 1); days <= DaysOf(2300, 1, 1); ++days) {
    ASSERT_EQ(Date(days).Iso(), ReferenceIso(days)) << days;
    ASSERT_EQ(Date(days).Long(), ReferenceLong(days)) << days;
  }
  for (int y : {-32000, -401, -400, -1, 1, 399, 400, 401, 9998, 9999, 10000, 32000}) {
    for (int days = DaysOf(y, 1, 1) - 2; days <= DaysOf(y, 12, 31) + 2; ++days) {
      ASSERT_EQ(Date(days).Iso(), ReferenceIso(days)) << days;
      ASSERT_EQ(Date(days).Long(), ReferenceLong(days)) << days;
    }
  }
}

TEST(DateTest, WritersFitTheLongestTexts) {
  // The widest values an int day count and a TimePoint can hold.
  for (int days : {std::numeric_limits<int>::min(), std::numeric_limits<int>::max(),
                   DaysOf(2026, 9, 30)}) {
    char buf[kMaxDateText];
    size_t n = Date(days).WriteLong(buf);
    ASSERT_LE(n, kMaxDateText);
    EXPECT_EQ(std::string(buf, n), Date(days).Long());
  }
  // Checked with Python: 1970-01-01 plus the day count, shifted by 400-year cycles.
  EXPECT_EQ(Date(std::numeric_limits<int>::min()).Long(), "23 June -5877641");
  EXPECT_EQ(Date(std::numeric_limits<int>::max()).Long(), "11 July 5881580");
  for (TimePoint t : {TimePoint::min(), TimePoint::max(), FromUnix(1772546700)}) {
    char buf[kMaxDateText];
    size_t n = WriteIsoTime(t, buf);
    ASSERT_LE(n, kMaxDateText);
    EXPECT_EQ(std::string(buf, n), FormatIsoTime(t));
  }
}

TEST(FormatIsoTimeTest, FixedTimes) {
  EXPECT_EQ(FormatIsoTime(FromUnix(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIsoTime(FromUnix(-1)), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatIsoTime(FromUnix(-86400)), "1969-12-31T00:00:00Z");
  EXPECT_EQ(FormatIsoTime(FromUnix(-86401)), "1969-12-30T23:59:59Z");
  EXPECT_EQ(FormatIsoTime(FromUnix(1772546700)), "2026-03-03T14:05:00Z");
  EXPECT_EQ(FormatIsoTime(FromUnix(951782400)), "2000-02-29T00:00:00Z");
  // A TimePoint counts nanoseconds in 64 bits: these are its last whole
  // seconds (the years 9999 and 0 are only reachable as a Date).
  EXPECT_EQ(FormatIsoTime(FromUnix(9223372036)), "2262-04-11T23:47:16Z");
  EXPECT_EQ(FormatIsoTime(FromUnix(-9223372036)), "1677-09-21T00:12:44Z");
  // Fractions of a second are dropped towards the epoch, as ToUnix does.
  EXPECT_EQ(FormatIsoTime(TimePoint(std::chrono::milliseconds(1999))), "1970-01-01T00:00:01Z");
  EXPECT_EQ(FormatIsoTime(TimePoint(std::chrono::milliseconds(-1))), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIsoTime(TimePoint(std::chrono::milliseconds(-1001))), "1969-12-31T23:59:59Z");
}

TEST(FormatIsoTimeTest, AgreesWithChrono) {
  // Every second of the hours around midnight and the epoch, then steps
  // that are prime so that every time of day and many dates are reached.
  for (int64_t s = -7200; s <= 7200; ++s) {
    ASSERT_EQ(FormatIsoTime(FromUnix(s)), ReferenceIsoTime(s)) << s;
  }
  for (int64_t s = -9223372036; s <= 9223372036; s += 1000003) {
    ASSERT_EQ(FormatIsoTime(FromUnix(s)), ReferenceIsoTime(s)) << s;
  }
}

}  // namespace
}  // namespace rt
