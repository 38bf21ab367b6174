#ifndef RT_JOBS_PERIODIC_H_
#define RT_JOBS_PERIODIC_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace rt::jobs {

// Runs a function on its own thread: first `first` after Start, then every
// `every`, until Stop. For upkeep that needs no signal (housekeeping). A
// run in progress finishes before Stop returns; Stop does not wait out the
// interval.
//
// Thread-safety: Start and Stop are called from the owning thread; `fn`
// runs on the periodic thread only, never twice at once.
class Periodic {
 public:
  Periodic(std::chrono::milliseconds first, std::chrono::milliseconds every,
           std::function<void()> fn)
      : first_(first), every_(every), fn_(std::move(fn)) {}
  ~Periodic() { Stop(); }

  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

  void Start();
  // Idempotent.
  void Stop();

 private:
  void Loop();

  const std::chrono::milliseconds first_;
  const std::chrono::milliseconds every_;
  const std::function<void()> fn_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace rt::jobs

#endif  // RT_JOBS_PERIODIC_H_
