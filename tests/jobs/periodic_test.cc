#include "jobs/periodic.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace rt::jobs {
namespace {

using std::chrono::milliseconds;

TEST(PeriodicTest, RunsRepeatedlyUntilStopped) {
  std::atomic<int> runs{0};
  Periodic p(milliseconds(0), milliseconds(1), [&] { ++runs; });
  p.Start();
  for (int i = 0; i < 5000 && runs < 3; ++i) std::this_thread::sleep_for(milliseconds(1));
  p.Stop();
  int after_stop = runs;
  EXPECT_GE(after_stop, 3);
  std::this_thread::sleep_for(milliseconds(20));
  EXPECT_EQ(runs, after_stop);  // nothing runs once Stop has returned
}

// A server stopping must not wait an hour for its housekeeper.
TEST(PeriodicTest, StopDoesNotWaitOutTheInterval) {
  std::atomic<int> runs{0};
  Periodic p(std::chrono::hours(1), std::chrono::hours(1), [&] { ++runs; });
  p.Start();
  p.Stop();
  p.Stop();  // idempotent
  EXPECT_EQ(runs, 0);
}

}  // namespace
}  // namespace rt::jobs
