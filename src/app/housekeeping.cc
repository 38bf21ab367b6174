#include "app/housekeeping.h"

namespace rt::app {

store::PurgeCutoffs HousekeepingCutoffs(TimePoint now) {
  store::PurgeCutoffs c;
  c.sessions_expired = now;
  c.tokens_done = now - kKeepDoneTokens;
  c.outbox_sent = now - kKeepSentOutbox;
  c.idempotency = now - kKeepIdempotencyKeys;
  return c;
}

Result<store::PurgeCounts> Housekeep(const AppContext& ctx, TimePoint now) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx.Db());
  const store::PurgeCutoffs cutoffs = HousekeepingCutoffs(now);
  store::PurgeCounts total;
  for (;;) {
    store::PurgeCounts batch;
    RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
      RT_ASSIGN_OR_RETURN(batch, db->maintenance().Purge(cutoffs));
      return OkStatus();
    }));
    total.sessions += batch.sessions;
    total.tokens += batch.tokens;
    total.outbox += batch.outbox;
    total.idempotency += batch.idempotency;
    bool more = batch.sessions == cutoffs.limit || batch.tokens == cutoffs.limit ||
                batch.outbox == cutoffs.limit || batch.idempotency == cutoffs.limit;
    if (!more) return total;
  }
}

}  // namespace rt::app
