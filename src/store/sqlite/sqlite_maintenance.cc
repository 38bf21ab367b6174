#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_util.h"

namespace rt::store::sqlite {

Result<PurgeCounts> SqliteMaintenance::Purge(const PurgeCutoffs& c) {
  return Guard([&]() -> Result<PurgeCounts> {
    // Each statement deletes the oldest rows first, through an index where
    // the table can be large (outbox_due on sent_at), so a call costs about
    // what it deletes.
    auto run = [&](const char* sql, TimePoint cutoff) -> int64_t {
      Stmt s = c_.Prepare(sql);
      s->bind(1, ToUnix(cutoff));
      s->bind(2, c.limit);
      return s->exec();
    };
    PurgeCounts n;
    n.sessions =
        run("DELETE FROM sessions WHERE token_hash IN (SELECT token_hash FROM "
            "sessions "
            "WHERE expires_at <= ? LIMIT ?)",
            c.sessions_expired);
    n.tokens =
        run("DELETE FROM account_tokens WHERE token_hash IN (SELECT token_hash "
            "FROM account_tokens "
            "WHERE expires_at < ?1 OR used_at < ?1 LIMIT ?2)",
            c.tokens_done);
    n.outbox =
        run("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox "
            "WHERE sent_at IS NOT NULL AND sent_at < ? ORDER BY sent_at LIMIT ?)",
            c.outbox_sent);
    n.idempotency =
        run("DELETE FROM idempotency_keys WHERE rowid IN (SELECT rowid FROM "
            "idempotency_keys "
            "WHERE created_at < ? LIMIT ?)",
            c.idempotency);
    return n;
  });
}

}  // namespace rt::store::sqlite
