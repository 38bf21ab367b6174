#include "http/rate_limiter.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace rt::http {
namespace {

using std::chrono::seconds;
using Clock = FailureLimiter::Clock;

const Clock::time_point kT0 = Clock::time_point() + std::chrono::hours(1000);

FailureLimiter::Options Opts() {
  return {.max_failures = 3,
          .base_lockout_seconds = 60,
          .max_lockout_seconds = 300,
          .window_seconds = 600};
}

TEST(FailureLimiterTest, LocksAfterMaxFailures) {
  FailureLimiter l(Opts());
  EXPECT_EQ(l.RetryAfter("a", kT0), 0);
  l.RecordFailure("a", kT0);
  l.RecordFailure("a", kT0 + seconds(1));
  EXPECT_EQ(l.RetryAfter("a", kT0 + seconds(2)), 0);
  l.RecordFailure("a", kT0 + seconds(2));
  EXPECT_EQ(l.RetryAfter("a", kT0 + seconds(2)), 60);
  EXPECT_EQ(l.RetryAfter("a", kT0 + seconds(30)), 32);
  EXPECT_EQ(l.RetryAfter("b", kT0 + seconds(30)), 0);  // keys are independent
}

TEST(FailureLimiterTest, LockoutDoublesAndIsCapped) {
  FailureLimiter l(Opts());
  Clock::time_point t = kT0;
  for (int i = 0; i < 3; ++i) l.RecordFailure("a", t);
  // Each further failure, made as soon as allowed, doubles the wait.
  struct Step {
    int wait_before;
    int lockout_after;
  } steps[] = {{60, 120}, {120, 240}, {240, 300}, {300, 300}};
  for (const auto& s : steps) {
    EXPECT_EQ(l.RetryAfter("a", t), s.wait_before);
    t += seconds(s.wait_before);
    EXPECT_EQ(l.RetryAfter("a", t), 0) << "owner can try after the delay";
    l.RecordFailure("a", t);
    EXPECT_EQ(l.RetryAfter("a", t), s.lockout_after);
  }
}

TEST(FailureLimiterTest, SubSecondRemainderRoundsUp) {
  FailureLimiter l(Opts());
  for (int i = 0; i < 3; ++i) l.RecordFailure("a", kT0);
  EXPECT_EQ(l.RetryAfter("a", kT0 + std::chrono::milliseconds(59500)), 1);
  EXPECT_EQ(l.RetryAfter("a", kT0 + seconds(60)), 0);
}

TEST(FailureLimiterTest, WindowForgetsOldFailures) {
  FailureLimiter l(Opts());
  l.RecordFailure("a", kT0);
  l.RecordFailure("a", kT0 + seconds(10));
  // The window (600 s from the first failure) has passed: counting restarts.
  l.RecordFailure("a", kT0 + seconds(600));
  l.RecordFailure("a", kT0 + seconds(601));
  EXPECT_EQ(l.RetryAfter("a", kT0 + seconds(601)), 0);
  l.RecordFailure("a", kT0 + seconds(602));
  EXPECT_EQ(l.RetryAfter("a", kT0 + seconds(602)), 60);
}

TEST(FailureLimiterTest, WindowCountsFromEndOfLockout) {
  FailureLimiter::Options o = Opts();
  o.window_seconds = 100;
  o.max_lockout_seconds = 1000;
  FailureLimiter l(o);
  Clock::time_point t = kT0;
  for (int i = 0; i < 5; ++i) l.RecordFailure("a", t);  // 60 << 2 = 240 s
  EXPECT_EQ(l.RetryAfter("a", t), 240);
  // Locked longer than the window, yet the next failure still escalates.
  t += seconds(240);
  l.RecordFailure("a", t);
  EXPECT_EQ(l.RetryAfter("a", t), 480);
  // A full window after the lockout ends, the key starts afresh.
  t += seconds(480 + 100);
  l.RecordFailure("a", t);
  EXPECT_EQ(l.RetryAfter("a", t), 0);
}

TEST(FailureLimiterTest, ResetForgetsKey) {
  FailureLimiter l(Opts());
  for (int i = 0; i < 3; ++i) l.RecordFailure("a", kT0);
  EXPECT_GT(l.RetryAfter("a", kT0), 0);
  l.Reset("a");
  EXPECT_EQ(l.RetryAfter("a", kT0), 0);
  l.RecordFailure("a", kT0);
  EXPECT_EQ(l.RetryAfter("a", kT0), 0);
  l.Reset("never-seen");
}

TEST(FailureLimiterTest, MemoryIsBounded) {
  FailureLimiter::Options o = Opts();
  o.max_keys = 100;
  FailureLimiter l(o);
  for (int i = 0; i < 100; ++i) l.RecordFailure("old" + std::to_string(i), kT0);
  EXPECT_EQ(l.size(), 100u);
  // Expired entries go first.
  l.RecordFailure("new", kT0 + seconds(601));
  EXPECT_EQ(l.size(), 1u);

  // All live: the least recently failing ones are dropped, not the newest.
  for (int i = 0; i < 99; ++i) {
    l.RecordFailure("k" + std::to_string(i), kT0 + seconds(602 + i));
  }
  for (int i = 0; i < 3; ++i) l.RecordFailure("victim", kT0 + seconds(800));
  EXPECT_LE(l.size(), 100u);
  EXPECT_GT(l.RetryAfter("victim", kT0 + seconds(800)), 0);
  for (int i = 0; i < 1000; ++i) {
    l.RecordFailure("flood" + std::to_string(i), kT0 + seconds(801));
    ASSERT_LE(l.size(), 100u);
  }
}

TEST(FailureLimiterTest, ConcurrentUse) {
  FailureLimiter::Options o = Opts();
  o.max_failures = 1000000;
  FailureLimiter l(o);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&l, t] {
      for (int i = 0; i < 2000; ++i) {
        std::string key = "k" + std::to_string(i % 50);
        l.RecordFailure(key, kT0);
        (void)l.RetryAfter(key, kT0);
        if (i % 97 == t) l.Reset(key);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_LE(l.size(), 50u);
}

}  // namespace
}  // namespace rt::http
