#ifndef RT_APP_OUTBOX_SIGNAL_H_
#define RT_APP_OUTBOX_SIGNAL_H_

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace rt::app {

// Tells the outbox runner of this process that a transaction which added
// outbox rows has committed, so it need not wait for its next poll. Use cases
// call Notify after InTransaction returns (never inside it: the rows are not
// visible to the runner before the commit). Thread-safe.
class OutboxSignal {
 public:
  void Notify() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      pending_ = true;
    }
    cv_.notify_all();
    NotifyNext();
  }

  // Makes Notify also notify `next` (another runner's signal: the mail
  // sender's), which must outlive this signal; call before any runner
  // starts. Each signal has one waiter, since a wait clears the flag.
  void Chain(OutboxSignal* next) { next_ = next; }
  // Notifies only the chained signal, if any: for a runner whose work
  // queued rows for the next one.
  void NotifyNext() {
    if (next_ != nullptr) next_->Notify();
  }

  // Waits until Notify was called since the last wait returned true, or for
  // `timeout`. Returns whether it was notified (and clears the flag).
  bool WaitFor(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    bool notified = cv_.wait_for(lock, timeout, [this] { return pending_; });
    pending_ = false;
    return notified;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool pending_ = false;
  OutboxSignal* next_ = nullptr;
};

}  // namespace rt::app

#endif  // RT_APP_OUTBOX_SIGNAL_H_
