#ifndef RT_HTTP_RATE_LIMITER_H_
#define RT_HTTP_RATE_LIMITER_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace rt::http {

// Counts failed attempts (sign-ins) per key — an account or an address — and
// locks a key out for a growing delay once it fails too often. In memory only,
// so a restart forgets everything. All methods are thread-safe.
class FailureLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  struct Options {
    int max_failures;          // failures within the window before a lockout
    int base_lockout_seconds;  // first lockout; doubles per further failure
    int max_lockout_seconds;   // cap on one lockout
    int window_seconds;        // failures are forgotten after this
    size_t max_keys = 100000;  // memory bound; see RecordFailure
  };

  explicit FailureLimiter(Options options);

  // Seconds `key` must still wait before another attempt (0 = go ahead).
  int RetryAfter(std::string_view key, Clock::time_point now);

  // Records a failure. When the failures counted for `key` reach
  // max_failures, the key is locked for base_lockout_seconds, doubling with
  // each further failure up to max_lockout_seconds. A key's count restarts
  // once window_seconds have passed both since its first counted failure and
  // since its last lockout ended, so lockouts longer than the window still
  // escalate. When more than max_keys keys are tracked, expired keys are
  // dropped and then, if needed, those with the oldest last failure.
  void RecordFailure(std::string_view key, Clock::time_point now);

  // Forgets `key` (after a successful sign-in).
  void Reset(std::string_view key);

  // Number of keys tracked; for tests and metrics.
  size_t size() const;

 private:
  struct Entry {
    int failures = 0;
    Clock::time_point window_start;
    Clock::time_point locked_until;  // in the past when not locked
    Clock::time_point last_failure;
  };
  // Lets find() take a string_view without building a std::string.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>()(s);
    }
  };

  bool Expired(const Entry& e, Clock::time_point now) const;
  void Evict(Clock::time_point now);  // requires mu_

  const Options options_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries_;
};

}  // namespace rt::http

#endif  // RT_HTTP_RATE_LIMITER_H_
