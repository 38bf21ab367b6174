#include "http/rate_limiter.h"

#include <algorithm>
#include <vector>

namespace rt::http {

using std::chrono::seconds;

FailureLimiter::FailureLimiter(Options options) : options_(options) {}

bool FailureLimiter::Expired(const Entry& e, Clock::time_point now) const {
  return now >= std::max(e.window_start, e.locked_until) +
                    seconds(options_.window_seconds);
}

int FailureLimiter::RetryAfter(std::string_view key, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.locked_until <= now) return 0;
  auto left = it->second.locked_until - now;
  // Round up so that a client waiting exactly this long is let in.
  return static_cast<int>(std::chrono::ceil<seconds>(left).count());
}

void FailureLimiter::RecordFailure(std::string_view key,
                                   Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    if (entries_.size() >= options_.max_keys) Evict(now);
    it = entries_.emplace(std::string(key), Entry{0, now, now, now}).first;
  }
  Entry& e = it->second;
  if (Expired(e, now)) e = Entry{0, now, now, now};
  e.last_failure = now;
  if (++e.failures < options_.max_failures) return;
  // Doubling per failure past the threshold; the shift is bounded so it
  // cannot overflow before the cap applies.
  int extra = std::min(e.failures - options_.max_failures, 30);
  long long lockout =
      std::min<long long>(static_cast<long long>(options_.base_lockout_seconds)
                              << extra,
                          options_.max_lockout_seconds);
  e.locked_until = now + seconds(lockout);
}

void FailureLimiter::Reset(std::string_view key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it != entries_.end()) entries_.erase(it);
}

size_t FailureLimiter::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

void FailureLimiter::Evict(Clock::time_point now) {
  std::erase_if(entries_, [&](const auto& kv) { return Expired(kv.second, now); });
  if (entries_.empty() || entries_.size() < options_.max_keys) return;
  // Still full of live keys (a flood): drop the least recently failing tenth
  // at once so that the O(n) pass is not repeated for every new key.
  std::vector<Clock::time_point> times;
  times.reserve(entries_.size());
  for (const auto& [k, e] : entries_) times.push_back(e.last_failure);
  size_t drop = std::max<size_t>(1, entries_.size() / 10);
  std::nth_element(times.begin(), times.begin() + (drop - 1), times.end());
  Clock::time_point cutoff = times[drop - 1];
  for (auto it = entries_.begin(); it != entries_.end() && drop > 0;) {
    if (it->second.last_failure <= cutoff) {
      it = entries_.erase(it);
      --drop;
    } else {
      ++it;
    }
  }
}

}  // namespace rt::http
