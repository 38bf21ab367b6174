#ifndef RT_APP_CONTEXT_H_
#define RT_APP_CONTEXT_H_

#include <optional>
#include <string>

#include "core/config.h"
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
  // Addresses and links for the mail use cases compose (Config::Mail()).
  MailSettings mail;

  void OutboxChanged() const {
    if (outbox_signal != nullptr) outbox_signal->Notify();
  }

  Result<store::Store*> Db() const { return pool->ForThisThread(); }
  TimePoint Now() const { return clock->Now(); }
};

// For the lifetime of this object, the calling thread's reads see one
// snapshot of the database (store::Store::BeginRead): a page is consistent,
// and SQLite takes its file locks once per page instead of once per query.
// For requests that only read; a write inside still works (it ends the
// snapshot first). Not copyable; use on one thread.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(const AppContext& ctx) {
    auto db = ctx.Db();
    if (db.ok()) {
      db_ = *db;
      db_->BeginRead();
    }
  }
  ~ReadSnapshot() {
    if (db_ != nullptr) db_->EndRead();
  }
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  store::Store* db_ = nullptr;
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
