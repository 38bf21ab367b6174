#include "jobs/outbox_runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <string>
#include <utility>

#include "app/discussions.h"

namespace rt::jobs {


OutboxRunner::OutboxRunner(const app::AppContext& ctx, app::OutboxSignal& signal,
                           OutboxRunnerOptions options, FanOut fan_out)
    : ctx_(ctx), signal_(signal), options_(options) {
  if (!fan_out) {
    fan_out = [this](store::Store& db, PostId post) {
      return app::DiscussionsService(ctx_).FanOutPost(db, post);
    };
  }
  handlers_.emplace_back(
      app::kPostFanoutKind,
      [fan_out = std::move(fan_out)](store::Store& db, const store::OutboxItem& item) -> Result<int> {
        PostId post = app::PostIdOfPayload(item.payload);
        if (!post.valid()) {
          return MakeError(ErrorKind::kInternal, "bad_payload",
                           "The outbox row does not name a post.");
        }
        return fan_out(db, post);
      });
}

OutboxRunner::OutboxRunner(const app::AppContext& ctx, app::OutboxSignal& signal,
                           OutboxRunnerOptions options,
                           std::vector<std::pair<std::string, OutboxHandler>> handlers)
    : ctx_(ctx), signal_(signal), options_(options), handlers_(std::move(handlers)) {}

OutboxRunner::~OutboxRunner() { Stop(); }

TimePoint RetryAt(const OutboxRunnerOptions& options, TimePoint now, int failed_attempts) {
  auto wait = options.first_backoff;
  for (int i = 1; i < failed_attempts && wait < options.max_backoff; ++i) wait *= 2;
  return now + std::min(wait, options.max_backoff);
}

Result<OutboxPass> OutboxRunner::RunOnce() {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  OutboxPass total;
  for (const auto& [kind, handler] : handlers_) {
    RT_ASSIGN_OR_RETURN(std::vector<store::OutboxItem> items,
                        db->outbox().Due(kind, ctx_.Now(), options_.batch));
    RT_ASSIGN_OR_RETURN(OutboxPass pass, Process(items));
    // The loop goes on at once while any kind filled its batch.
    total.claimed = std::max(total.claimed, pass.claimed);
    total.done += pass.done;
    total.skipped += pass.skipped;
    total.failed += pass.failed;
    total.notifications += pass.notifications;
  }
  return total;
}

Result<OutboxPass> OutboxRunner::Process(const std::vector<store::OutboxItem>& items) {
  OutboxPass pass;
  pass.claimed = static_cast<int>(items.size());
  if (items.empty()) return pass;
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  TimePoint now = ctx_.Now();
  struct Failure {
    const store::OutboxItem* item;
    Error error;
  };
  std::vector<Failure> failures;
  Status s = db->InTransaction([&]() -> Status {
    // Counted from zero inside the closure, should the store run it twice.
    pass = OutboxPass{};
    pass.claimed = static_cast<int>(items.size());
    failures.clear();
    for (const store::OutboxItem& item : items) {
      bool mine = false;
      int written = 0;
      Status one = db->InTransaction([&]() -> Status {
        RT_ASSIGN_OR_RETURN(mine, db->outbox().MarkSent(item.id, now));
        if (!mine) return OkStatus();
        auto handler = std::find_if(handlers_.begin(), handlers_.end(),
                                    [&](const auto& h) { return h.first == item.kind; });
        if (handler == handlers_.end()) {
          return MakeError(ErrorKind::kInternal, "unknown_kind",
                           "This runner does not handle outbox rows of kind " + item.kind + ".");
        }
        RT_ASSIGN_OR_RETURN(written, handler->second(*db, item));
        return OkStatus();
      });
      if (!one.ok()) {
        // The savepoint undid this row's notifications and its sent mark;
        // the other rows go on.
        int attempts = item.attempts + 1;
        bool give_up = attempts >= options_.max_attempts;
        RT_RETURN_IF_ERROR(
            db->outbox().MarkFailed(item.id, one.error().code,
                                   RetryAt(options_, ctx_.Now(), attempts), give_up));
        failures.push_back({&item, one.error()});
        ++pass.failed;
      } else if (mine) {
        ++pass.done;
        pass.notifications += written;
      } else {
        ++pass.skipped;
      }
    }
    return OkStatus();
  });
  if (!s.ok()) return s.take_error();
  for (const Failure& f : failures) {
    int attempts = f.item->attempts + 1;
    if (attempts >= options_.max_attempts) {
      spdlog::error("outbox: gave up on {} after {} attempts: {} ({})", f.item->dedupe_key,
                    attempts, f.error.message, f.error.code);
    } else {
      spdlog::warn("outbox: {} failed (attempt {}), will retry: {} ({})", f.item->dedupe_key,
                   attempts, f.error.message, f.error.code);
    }
  }
  return pass;
}

void OutboxRunner::Start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void OutboxRunner::Stop() {
  stopping_ = true;
  signal_.Notify();
  if (thread_.joinable()) thread_.join();
}

void OutboxRunner::Loop() {
  while (!stopping_) {
    Result<OutboxPass> pass = RunOnce();
    if (!pass.ok()) {
      spdlog::warn("outbox: pass failed: {} ({})", pass.error().message, pass.error().code);
    } else {
      if (pass->done > 0) signal_.NotifyNext();
      if (pass->claimed == options_.batch && !stopping_) continue;  // probably more due now
    }
    if (stopping_) break;
    signal_.WaitFor(options_.poll);
  }
}

}  // namespace rt::jobs
