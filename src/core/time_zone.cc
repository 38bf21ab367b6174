#include "core/time_zone.h"

#include <algorithm>
#include <fstream>
#include <iterator>

namespace rt {

namespace {

constexpr size_t kMaxZoneNameLength = 64;
constexpr size_t kMaxTzifBytes = 512 * 1024;

Error InvalidZone(std::string_view name) {
  return MakeError(ErrorKind::kInvalidInput, "time_zone_invalid",
                   "\"" + std::string(name) + "\" is not a time zone we know.", "time_zone");
}

// Big-endian integers of the TZif header and data.
int64_t ReadBe(const std::string& s, size_t at, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  if (bytes == 4) return static_cast<int32_t>(static_cast<uint32_t>(v));
  return static_cast<int64_t>(v);
}

struct TzifCounts {
  int64_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
  size_t DataSize(int time_bytes) const {
    return static_cast<size_t>(timecnt * time_bytes + timecnt + typecnt * 6 + charcnt +
                               leapcnt * (time_bytes + 4) + isstdcnt + isutcnt);
  }
};

bool ReadCounts(const std::string& s, size_t at, TzifCounts* c) {
  if (s.size() < at + 44 || s.compare(at, 4, "TZif") != 0) return false;
  c->isutcnt = ReadBe(s, at + 20, 4);
  c->isstdcnt = ReadBe(s, at + 24, 4);
  c->leapcnt = ReadBe(s, at + 28, 4);
  c->timecnt = ReadBe(s, at + 32, 4);
  c->typecnt = ReadBe(s, at + 36, 4);
  c->charcnt = ReadBe(s, at + 40, 4);
  for (int64_t n : {c->isutcnt, c->isstdcnt, c->leapcnt, c->timecnt, c->typecnt, c->charcnt}) {
    if (n < 0 || n > 100000) return false;
  }
  return c->typecnt > 0;
}

}  // namespace

bool TimeZone::WellFormedName(std::string_view name) {
  if (name.empty() || name.size() > kMaxZoneNameLength) return false;
  bool component_start = true;
  for (char ch : name) {
    bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '-' || ch == '+';
    if (ch == '/') {
      if (component_start) return false;  // "//" or a leading '/'
      component_start = true;
      continue;
    }
    // A component may not start with '-' or '.'; '.' is refused anyway,
    // so ".." can never appear.
    if (!ok || (component_start && ch == '-')) return false;
    component_start = false;
  }
  return !component_start;
}

Result<TimeZone> TimeZone::Load(std::string_view name, const std::string& dir) {
  if (!WellFormedName(name)) return InvalidZone(name);
  std::ifstream in(dir + "/" + std::string(name), std::ios::binary);
  if (!in) return InvalidZone(name);
  std::string s;
  s.reserve(4096);
  char buf[4096];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    s.append(buf, static_cast<size_t>(in.gcount()));
    if (s.size() > kMaxTzifBytes) return InvalidZone(name);
  }
  TzifCounts c{};
  if (!ReadCounts(s, 0, &c)) return InvalidZone(name);
  size_t at = 44;
  int time_bytes = 4;
  // Version 2+ files repeat the data with 64-bit times after the v1 block.
  if (s[4] >= '2') {
    at += c.DataSize(4);
    if (!ReadCounts(s, at, &c)) return InvalidZone(name);
    at += 44;
    time_bytes = 8;
  }
  if (s.size() < at + c.DataSize(time_bytes)) return InvalidZone(name);
  const size_t types_at = at + c.timecnt * time_bytes + c.timecnt;
  auto offset_of_type = [&](int64_t type) -> int32_t {
    return static_cast<int32_t>(ReadBe(s, types_at + type * 6, 4));
  };
  TimeZone tz;
  tz.name_ = std::string(name);
  tz.transitions_.reserve(c.timecnt);
  tz.offsets_.reserve(c.timecnt);
  for (int64_t i = 0; i < c.timecnt; ++i) {
    int64_t type = static_cast<unsigned char>(s[at + c.timecnt * time_bytes + i]);
    if (type >= c.typecnt) return InvalidZone(name);
    tz.transitions_.push_back(ReadBe(s, at + i * time_bytes, time_bytes));
    tz.offsets_.push_back(offset_of_type(type));
  }
  // RFC 8536: local time before the first transition uses type 0.
  tz.initial_offset_ = offset_of_type(0);
  if (!std::is_sorted(tz.transitions_.begin(), tz.transitions_.end())) return InvalidZone(name);
  return tz;
}

int64_t TimeZone::OffsetAt(TimePoint t) const {
  const int64_t u = ToUnix(t);
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), u);
  if (it == transitions_.begin()) return initial_offset_;
  return offsets_[std::distance(transitions_.begin(), it) - 1];
}

LocalTime TimeZone::ToLocal(TimePoint t) const {
  const int64_t local = ToUnix(t) + OffsetAt(t);
  int64_t days = local / 86400;
  int64_t secs = local % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  LocalTime out;
  out.date = Date(static_cast<int>(days));
  out.hour = static_cast<int>(secs / 3600);
  // 1970-01-01 was a Thursday (4).
  out.weekday = static_cast<int>(((days % 7) + 7 + 4) % 7);
  return out;
}

}  // namespace rt
