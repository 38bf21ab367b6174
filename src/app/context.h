#ifndef RT_APP_CONTEXT_H_
#define RT_APP_CONTEXT_H_

#include <optional>
#include <string>

#include "core/date.h"
#include "core/result.h"
#include "domain/accounts/account.h"
#include "domain/members/membership.h"
#include "app/outbox_signal.h"
#include "store/store.h"

namespace rt::app {

// What every use case needs: the database and the time. None is owned.
// Thread-safe: each thread gets its own Store from the pool.
struct AppContext {
  store::StorePool* pool = nullptr;
  const Clock* clock = nullptr;
  // The association this installation serves ("pla"); empty means the first
  // one in the database.
  std::string association_slug;
  // Woken after a commit that queued outbox work; null when no runner runs
  // in this process (the rows then wait for another process's poll).
  OutboxSignal* outbox_signal = nullptr;

  void OutboxChanged() const {
    if (outbox_signal != nullptr) outbox_signal->Notify();
  }

  Result<store::Store*> Db() const { return pool->ForThisThread(); }
  TimePoint Now() const { return clock->Now(); }
};

// The person making a request: nobody, or a signed-in account.
struct Viewer {
  std::optional<Account> account;
  bool signed_in() const { return account.has_value(); }
};

// The association this installation serves.
// Errors: kNotFound "association_not_found" when none is set up yet.
Result<Association> LoadAssociation(const AppContext& ctx, store::Store& db);

}  // namespace rt::app

#endif  // RT_APP_CONTEXT_H_
