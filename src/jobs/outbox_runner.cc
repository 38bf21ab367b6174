#include "jobs/outbox_runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <string>
#include <utility>

#include "app/discussions.h"

namespace rt::jobs {

namespace {

// The post id of a kPostFanoutKind payload ({"post_id":N}, written by
// DiscussionsService); invalid when the payload is not that.
PostId ParsePostId(const std::string& payload) {
  constexpr std::string_view kPrefix = "{\"post_id\":";
  if (!payload.starts_with(kPrefix)) return PostId{};
  int64_t v = 0;
  size_t i = kPrefix.size();
  size_t digits = 0;
  for (; i < payload.size() && payload[i] >= '0' && payload[i] <= '9' && digits < 18;
       ++i, ++digits) {
    v = v * 10 + (payload[i] - '0');
  }
  if (digits == 0 || i + 1 != payload.size() || payload[i] != '}') return PostId{};
  return PostId{v};
}

}  // namespace

OutboxRunner::OutboxRunner(const app::AppContext& ctx, app::OutboxSignal& signal,
                           OutboxRunnerOptions options, FanOut fan_out)
    : ctx_(ctx), signal_(signal), options_(options), fan_out_(std::move(fan_out)) {
  if (!fan_out_) {
    fan_out_ = [this](store::Store& db, PostId post) {
      return app::DiscussionsService(ctx_).FanOutPost(db, post);
    };
  }
}

OutboxRunner::~OutboxRunner() { Stop(); }

TimePoint OutboxRunner::RetryAt(int failed_attempts) const {
  auto wait = options_.first_backoff;
  for (int i = 1; i < failed_attempts && wait < options_.max_backoff; ++i) wait *= 2;
  return ctx_.Now() + std::min(wait, options_.max_backoff);
}

Result<OutboxPass> OutboxRunner::RunOnce() {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(std::vector<store::OutboxItem> items,
                      db->outbox().Due(app::kPostFanoutKind, ctx_.Now(), options_.batch));
  return Process(items);
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
        PostId post = ParsePostId(item.payload);
        if (!post.valid()) {
          return MakeError(ErrorKind::kInternal, "bad_payload",
                           "The outbox row does not name a post.");
        }
        RT_ASSIGN_OR_RETURN(written, fan_out_(*db, post));
        return OkStatus();
      });
      if (!one.ok()) {
        // The savepoint undid this row's notifications and its sent mark;
        // the other rows go on.
        int attempts = item.attempts + 1;
        bool give_up = attempts >= options_.max_attempts;
        RT_RETURN_IF_ERROR(
            db->outbox().MarkFailed(item.id, one.error().code, RetryAt(attempts), give_up));
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
    } else if (pass->claimed == options_.batch && !stopping_) {
      continue;  // probably more due right now
    }
    if (stopping_) break;
    signal_.WaitFor(options_.poll);
  }
}

}  // namespace rt::jobs
