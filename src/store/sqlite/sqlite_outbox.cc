// The outbox as a work queue (see OutboxRepository in store/discussions.h).

#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_util.h"

namespace rt::store::sqlite {

Result<bool> SqliteOutbox::Enqueue(const std::string& kind, const std::string& dedupe_key,
                                   const std::string& payload, TimePoint now) {
  return Guard([&]() -> Result<bool> {
    Stmt s = c_.Prepare(
        "INSERT INTO outbox (kind, dedupe_key, payload, created_at, next_attempt_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING");
    s->bind(1, kind);
    s->bind(2, dedupe_key);
    s->bind(3, payload);
    s->bind(4, ToUnix(now));
    s->bind(5, ToUnix(now));
    return s->exec() == 1;
  });
}

Result<std::vector<OutboxItem>> SqliteOutbox::Due(const std::string& kind, TimePoint now,
                                                  int limit) {
  return Guard([&]() -> Result<std::vector<OutboxItem>> {
    std::vector<OutboxItem> out;
    if (limit <= 0) return out;
    // outbox_pending (migration 006) holds only pending rows, by kind in id
    // order, so the unsent "notification" rows that pile up until the mail
    // worker exists cost nothing here.
    Stmt s = c_.Prepare(
        "SELECT id, kind, dedupe_key, payload, attempts, created_at, next_attempt_at "
        "FROM outbox INDEXED BY outbox_pending "
        "WHERE kind = ? AND sent_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= ? "
        "ORDER BY id LIMIT ?");
    s->bind(1, kind);
    s->bind(2, ToUnix(now));
    s->bind(3, limit);
    while (s->executeStep()) {
      OutboxItem it;
      it.id = s->getColumn(0).getInt64();
      it.kind = s->getColumn(1).getString();
      it.dedupe_key = s->getColumn(2).getString();
      it.payload = s->getColumn(3).getString();
      it.attempts = s->getColumn(4).getInt();
      it.created_at = ReadTime(*s, 5);
      it.next_attempt_at = ReadTime(*s, 6);
      out.push_back(std::move(it));
    }
    return out;
  });
}

Result<bool> SqliteOutbox::MarkSent(int64_t id, TimePoint now) {
  return Guard([&]() -> Result<bool> {
    Stmt s = c_.Prepare(
        "UPDATE outbox SET sent_at = ? WHERE id = ? AND sent_at IS NULL AND gave_up_at IS NULL");
    s->bind(1, ToUnix(now));
    s->bind(2, id);
    return s->exec() == 1;
  });
}

Status SqliteOutbox::MarkFailed(int64_t id, const std::string& error, TimePoint retry_at,
                                bool give_up) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, "
        "gave_up_at = CASE WHEN ? THEN ? ELSE gave_up_at END "
        "WHERE id = ? AND sent_at IS NULL");
    s->bind(1, error);
    s->bind(2, ToUnix(retry_at));
    s->bind(3, give_up ? 1 : 0);
    s->bind(4, ToUnix(retry_at));
    s->bind(5, id);
    s->exec();
    return OkStatus();
  });
}

Status SqliteOutbox::Reopen(int64_t id) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare("UPDATE outbox SET sent_at = NULL WHERE id = ? AND sent_at IS NOT NULL");
    s->bind(1, id);
    s->exec();
    return OkStatus();
  });
}

Status SqliteOutbox::Note(int64_t id, const std::string& note) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare("UPDATE outbox SET last_error = ? WHERE id = ?");
    s->bind(1, note);
    s->bind(2, id);
    s->exec();
    return OkStatus();
  });
}

Result<int64_t> SqliteOutbox::PendingCount(const std::string& kind) {
  return Guard([&]() -> Result<int64_t> {
    Stmt s = c_.Prepare(
        "SELECT COUNT(*) FROM outbox INDEXED BY outbox_pending "
        "WHERE kind = ? AND sent_at IS NULL AND gave_up_at IS NULL");
    s->bind(1, kind);
    s->executeStep();
    return s->getColumn(0).getInt64();
  });
}

}  // namespace rt::store::sqlite
