#ifndef RT_CORE_TIME_ZONE_H_
#define RT_CORE_TIME_ZONE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/result.h"

namespace rt {

// A person's wall clock at one instant.
struct LocalTime {
  Date date;
  int hour = 0;     // 0..23
  int weekday = 0;  // 0 Sunday .. 6 Saturday
};

// An IANA time zone ("America/Chicago") read from the system's tz database
// (/usr/share/zoneinfo, TZif files). g++ 12's libstdc++ has no
// std::chrono::locate_zone, and the TZif format is small enough to read
// here rather than add a library for one lookup.
//
// Limits: offsets come from the file's transitions; past the last one (the
// Debian files list them to 2037) the last offset stays in force, and the
// POSIX rule in the file's footer is not applied. Immutable once loaded:
// thread-safe.
class TimeZone {
 public:
  // UTC.
  TimeZone() : name_("UTC") {}

  // Loads zone `name` from `dir` (the system database by default).
  // Errors: kInvalidInput "time_zone_invalid" for a name that is not a
  // zone there (only letters, digits, '_', '-', '+' and '/' between
  // components are looked up, so no name can leave `dir`), or a file that
  // is not TZif.
  static Result<TimeZone> Load(std::string_view name,
                               const std::string& dir = "/usr/share/zoneinfo");

  // Whether `name` could be a zone name at all (the shape Load checks
  // before reading anything).
  static bool WellFormedName(std::string_view name);

  const std::string& name() const { return name_; }
  // Seconds east of UTC at `t`.
  int64_t OffsetAt(TimePoint t) const;
  LocalTime ToLocal(TimePoint t) const;

 private:
  std::string name_;
  std::vector<int64_t> transitions_;  // UTC seconds, ascending
  std::vector<int32_t> offsets_;      // offset in force from transitions_[i]
  int32_t initial_offset_ = 0;        // before the first transition
};

}  // namespace rt

#endif  // RT_CORE_TIME_ZONE_H_
