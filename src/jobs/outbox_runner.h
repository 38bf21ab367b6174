#ifndef RT_JOBS_OUTBOX_RUNNER_H_
#define RT_JOBS_OUTBOX_RUNNER_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "app/context.h"
#include "app/outbox_signal.h"
#include "core/result.h"
#include "store/store.h"

namespace rt::jobs {

struct OutboxRunnerOptions {
  // Posts fanned out per transaction. The transaction joins the group
  // commit of the requests' writes, so a bigger batch saves commits but
  // makes the replies that share them wait longer. On the bench data (~84
  // recipients a post), on a quiet machine, reply_32 p99 was 46.6 ms with 4,
  // 35.9 ms with 2 and 30.4 ms with 1 (2,540 replies/s).
  int batch = 1;
  // How often to look for rows that no signal announced (written by another
  // process, or retries coming due).
  std::chrono::milliseconds poll{1000};
  // Failed attempts after which a row is given up (and logged).
  int max_attempts = 8;
  // Wait after the first failure; doubled after each further one, up to
  // max_backoff.
  std::chrono::seconds first_backoff{5};
  std::chrono::seconds max_backoff{3600};
};

// When a row that failed `failed_attempts` times (1 or more) is due
// again: options.first_backoff after `now`, doubled per further failure, at
// most options.max_backoff.
TimePoint RetryAt(const OutboxRunnerOptions& options, TimePoint now, int failed_attempts);

// What one pass did.
struct OutboxPass {
  int claimed = 0;        // due rows read
  int done = 0;           // rows this pass marked sent
  int skipped = 0;        // rows another runner had finished first
  int failed = 0;         // rows whose attempt failed (retried later or given up)
  int notifications = 0;  // notifications written
};

// Handles one outbox row inside the pass's transaction (and the row's own
// savepoint); returns how many things it wrote (notifications, mails).
using OutboxHandler = std::function<Result<int>(store::Store& db, const store::OutboxItem& item)>;

// Drains the outbox rows of the kinds it is given handlers for (by default
// app::kPostFanoutKind: DiscussionsService::FanOutPost). Each pass reads up
// to `batch` due rows of each kind, oldest first, and handles them in one
// transaction per kind:
// each row in its own savepoint, marked sent in the same savepoint as the
// work it stands for, so a crash loses nothing and repeats nothing, and a
// row whose work fails is rolled back alone and rescheduled with back-off.
// Several runners (processes) may drain the same database: MarkSent decides
// which one does each row.
//
// Thread-safety: RunOnce and Process are for one thread at a time; Start
// and Stop are called from the owning thread.
class OutboxRunner {
 public:
  // Handles one kPostFanoutKind row's post, inside the pass's transaction.
  // Returns the number of notifications written.
  using FanOut = std::function<Result<int>(store::Store& db, PostId post)>;

  // `ctx` and `signal` must outlive the runner. The runner waits on
  // `signal`; the app notifies it through ctx.outbox_signal (normally the
  // same object). `fan_out` replaces DiscussionsService::FanOutPost (tests).
  OutboxRunner(const app::AppContext& ctx, app::OutboxSignal& signal,
               OutboxRunnerOptions options = {}, FanOut fan_out = {});
  // A runner for other kinds: `handlers` maps each kind to its handler.
  OutboxRunner(const app::AppContext& ctx, app::OutboxSignal& signal, OutboxRunnerOptions options,
               std::vector<std::pair<std::string, OutboxHandler>> handlers);
  ~OutboxRunner();  // stops the thread if it runs

  OutboxRunner(const OutboxRunner&) = delete;
  OutboxRunner& operator=(const OutboxRunner&) = delete;

  // One pass over the rows due now. Errors: the store's (nothing is then
  // marked; the rows stay due).
  Result<OutboxPass> RunOnce();
  // Handles `items` (rows read by Due, of kinds this runner handles) in one
  // transaction; exposed so tests can hand a runner rows another runner has
  // already finished.
  Result<OutboxPass> Process(const std::vector<store::OutboxItem>& items);

  // Runs passes on a background thread until Stop: right away while rows
  // are due, else after the signal or the poll interval. After a pass that
  // did work it notifies signal.next (see OutboxSignal::Chain), so a
  // runner of the rows this work queued (mail) need not wait for its poll.
  void Start();
  // Asks the thread to stop after its current pass and joins it. Idempotent.
  void Stop();

 private:
  void Loop();

  const app::AppContext& ctx_;
  app::OutboxSignal& signal_;
  OutboxRunnerOptions options_;
  std::vector<std::pair<std::string, OutboxHandler>> handlers_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace rt::jobs

#endif  // RT_JOBS_OUTBOX_RUNNER_H_
