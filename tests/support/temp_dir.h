#ifndef RT_TESTS_SUPPORT_TEMP_DIR_H_
#define RT_TESTS_SUPPORT_TEMP_DIR_H_

#include <string>

#include "core/date.h"

namespace rt::testing {

// A fresh directory under /tmp, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A clock that stays where the test puts it.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(TimePoint t) : now_(t) {}
  TimePoint Now() const override { return now_; }
  void Set(TimePoint t) { now_ = t; }
  void SetDate(Date d) { now_ = FromUnix(int64_t{d.days()} * 86400 + 12 * 3600); }

 private:
  TimePoint now_;
};

}  // namespace rt::testing

#endif  // RT_TESTS_SUPPORT_TEMP_DIR_H_
