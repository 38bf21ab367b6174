#ifndef RT_CORE_DATE_H_
#define RT_CORE_DATE_H_

#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace rt {

// Room for the longest text Date::WriteLong or WriteIsoTime writes.
inline constexpr size_t kMaxDateText = 32;

// A calendar date (no time of day, no zone), stored as days since 1970-01-01.
class Date {
 public:
  constexpr Date() = default;
  constexpr explicit Date(int days) : days_(days) {}
  static Date FromYmd(int y, unsigned m, unsigned d);
  // The UTC date of a point in time.
  static Date FromTime(std::chrono::system_clock::time_point t);

  // Accepts exactly "YYYY-MM-DD" naming a real date; nullopt otherwise.
  static std::optional<Date> ParseIso(std::string_view s);

  int days() const { return days_; }
  Date AddDays(int n) const { return Date(days_ + n); }
  // "2026-03-03"; years before 1000 are zero-padded to four digits, years
  // after 9999 and before year 0 take as many digits as they need ("-0001").
  std::string Iso() const;
  // "3 March 2026" (the year unpadded: "5 June 700", "1 January -1").
  std::string Long() const;
  // Long() written into `buf`, which has room for kMaxDateText bytes;
  // returns its length. For callers that must not allocate.
  size_t WriteLong(char* buf) const;

  friend constexpr bool operator==(Date a, Date b) = default;
  friend constexpr auto operator<=>(Date a, Date b) = default;

 private:
  int days_ = 0;
};

using TimePoint = std::chrono::system_clock::time_point;

// Seconds since the Unix epoch, the form times are stored in.
inline int64_t ToUnix(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
inline TimePoint FromUnix(int64_t s) { return TimePoint(std::chrono::seconds(s)); }

// "2026-03-03T14:05:00Z": the UTC time to the second (a fraction of a
// second is dropped as ToUnix drops it), its date written as Date::Iso
// writes it.
std::string FormatIsoTime(TimePoint t);
// The same written into `buf`, which has room for kMaxDateText bytes;
// returns its length.
size_t WriteIsoTime(TimePoint t, char* buf);

// The source of "now". Production uses SystemClock; tests pin the time.
// Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  Date Today() const { return Date::FromTime(Now()); }
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace rt

#endif  // RT_CORE_DATE_H_
