#include "core/date.h"

#include <array>
#include <cstdio>

namespace rt {

namespace {
constexpr std::array<const char*, 12> kMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

std::chrono::year_month_day Ymd(int days) {
  return std::chrono::year_month_day(
      std::chrono::sys_days(std::chrono::days(days)));
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
  auto ymd = Ymd(days_);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string Date::Long() const {
  auto ymd = Ymd(days_);
  return std::to_string(static_cast<unsigned>(ymd.day())) + " " +
         kMonths[static_cast<unsigned>(ymd.month()) - 1] + " " +
         std::to_string(static_cast<int>(ymd.year()));
}

std::string FormatIsoTime(TimePoint t) {
  int64_t s = ToUnix(t);
  int64_t day = s >= 0 ? s / 86400 : (s - 86399) / 86400;
  int64_t rem = s - day * 86400;
  std::string date = Date(static_cast<int>(day)).Iso();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", date.c_str(),
                static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                static_cast<int>(rem % 60));
  return buf;
}

}  // namespace rt
