#include "core/date.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace rt {

namespace {
constexpr std::array<std::string_view, 12> kMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

struct Civil {
  int64_t year;
  unsigned month;  // 1-12
  unsigned day;    // 1-31
};

// The proleptic Gregorian date of a day count, by Howard Hinnant's
// civil_from_days: pure integer arithmetic, a few dozen instructions where
// std::chrono plus snprintf took thousands (dates are on every page).
Civil CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);                // [0, 146096]
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);              // [0, 365]
  const unsigned mp = (5 * doy + 2) / 153;                                   // [0, 11]
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Civil{static_cast<int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

// Writes `v` in decimal, zero-padded to at least `width` characters
// including a minus sign, as printf's "%0*d" does; returns the end.
char* PutInt(char* p, int64_t v, int width) {
  uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  char digits[20];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (v < 0) {
    *p++ = '-';
    --width;
  }
  for (int i = n; i < width; ++i) *p++ = '0';
  while (n > 0) *p++ = digits[--n];
  return p;
}

char* Put2(char* p, unsigned v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
  return p + 2;
}

// "YYYY-MM-DD" (a longer or signed year when it needs one).
char* PutIsoDate(char* p, int64_t days) {
  Civil c = CivilFromDays(days);
  p = PutInt(p, c.year, 4);
  *p++ = '-';
  p = Put2(p, c.month);
  *p++ = '-';
  return Put2(p, c.day);
}
}  // namespace

Date Date::FromYmd(int y, unsigned m, unsigned d) {
  std::chrono::sys_days sd = std::chrono::year{y} / std::chrono::month{m} /
                             std::chrono::day{d};
  return Date(static_cast<int>(sd.time_since_epoch().count()));
}

Date Date::FromTime(TimePoint t) {
  auto sd = std::chrono::floor<std::chrono::days>(t);
  return Date(static_cast<int>(sd.time_since_epoch().count()));
}

std::optional<Date> Date::ParseIso(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const int starts[3] = {0, 5, 8};
  const int lens[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (int i = 0; i < lens[p]; ++i) {
      char c = s[starts[p] + i];
      if (c < '0' || c > '9') return std::nullopt;
      parts[p] = parts[p] * 10 + (c - '0');
    }
  }
  std::chrono::year_month_day ymd{std::chrono::year{parts[0]},
                                  std::chrono::month{static_cast<unsigned>(parts[1])},
                                  std::chrono::day{static_cast<unsigned>(parts[2])}};
  if (!ymd.ok() || parts[0] < 1900) return std::nullopt;
  return FromYmd(parts[0], static_cast<unsigned>(parts[1]), static_cast<unsigned>(parts[2]));
}

std::string Date::Iso() const {
  char buf[kMaxDateText];
  return std::string(buf, PutIsoDate(buf, days_));
}

std::string Date::Long() const {
  char buf[kMaxDateText];
  return std::string(buf, WriteLong(buf));
}

size_t Date::WriteLong(char* buf) const {
  Civil c = CivilFromDays(days_);
  char* p = PutInt(buf, c.day, 1);
  *p++ = ' ';
  std::string_view month = kMonths[c.month - 1];
  p = std::copy(month.begin(), month.end(), p);
  *p++ = ' ';
  return PutInt(p, c.year, 1) - buf;
}

std::string FormatIsoTime(TimePoint t) {
  char buf[kMaxDateText];
  return std::string(buf, WriteIsoTime(t, buf));
}

size_t WriteIsoTime(TimePoint t, char* buf) {
  int64_t s = ToUnix(t);
  int64_t day = s >= 0 ? s / 86400 : (s - 86399) / 86400;
  auto rem = static_cast<unsigned>(s - day * 86400);
  // Days are narrowed to int as Date does, so both agree on any time.
  char* p = PutIsoDate(buf, static_cast<int>(day));
  *p++ = 'T';
  p = Put2(p, rem / 3600);
  *p++ = ':';
  p = Put2(p, rem / 60 % 60);
  *p++ = ':';
  p = Put2(p, rem % 60);
  *p++ = 'Z';
  return p - buf;
}

}  // namespace rt
