#ifndef RT_APP_HOUSEKEEPING_H_
#define RT_APP_HOUSEKEEPING_H_

#include <chrono>

#include "app/context.h"
#include "core/date.h"
#include "core/result.h"
#include "store/store.h"

// Deletes rows that have served their purpose, so that tables that would
// otherwise only grow (sessions, account-mail tokens, sent outbox rows,
// idempotency keys) stay the size of what is in use. Run hourly by the
// worker (jobs::Housekeeper) and by `roundtable housekeep`.
namespace rt::app {

// How long each kind is kept once done. Each is well past the longest use
// of the rows: the per-address mail limit counts tokens of the last hour;
// a crashed worker replays outbox rows within minutes (their dedupe keys
// must outlive that); clients retry a create within minutes.
inline constexpr std::chrono::hours kKeepDoneTokens{24 * 30};
inline constexpr std::chrono::hours kKeepSentOutbox{24 * 30};
inline constexpr std::chrono::hours kKeepIdempotencyKeys{24 * 7};

// The cutoffs of a run at `now`: sessions as soon as they expire, the rest
// after the periods above.
store::PurgeCutoffs HousekeepingCutoffs(TimePoint now);

// Purges every kind at `now`, in batches of one short transaction each
// (the writer is shared with requests). Returns what went. Errors: the
// store's (what earlier batches deleted stays deleted). Thread-safe as far
// as ctx.stores is.
Result<store::PurgeCounts> Housekeep(const AppContext& ctx, TimePoint now);

}  // namespace rt::app

#endif  // RT_APP_HOUSEKEEPING_H_
