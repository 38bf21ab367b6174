#include "store/sqlite/connection.h"

#include <sqlite3.h>

namespace rt::store::sqlite {

namespace {

constexpr int kBusyTimeoutMs = 5000;

}  // namespace

Connection::Connection(const std::string& path)
    : db_(path,
          SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX,
          kBusyTimeoutMs) {
  // FULL rather than WAL's usual NORMAL: an acknowledged write must survive a
  // power cut, not just a process crash.
  db_.exec(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
      "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;");
}

Stmt Connection::Prepare(const char* sql) {
  auto& slot = cache_[sql];
  if (!slot) {
    slot = std::make_unique<SQLite::Statement>(db_, sql);
  } else {
    slot->tryReset();  // the error of a failed last step was already reported
    slot->clearBindings();
  }
  return Stmt(*slot);
}

Error ToError(const std::exception_ptr& e, const char* conflict_code,
              const char* conflict_message) {
  try {
    std::rethrow_exception(e);
  } catch (const SQLite::Exception& ex) {
    int code = ex.getErrorCode();
    int ext = ex.getExtendedErrorCode();
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
      Error err = MakeError(ErrorKind::kUnavailable, "database_unavailable",
                            "The database is busy. Please try again.");
      err.retry_after_seconds = 1;
      return err;
    }
    if (conflict_code != nullptr && (ext == SQLITE_CONSTRAINT_UNIQUE ||
                                     ext == SQLITE_CONSTRAINT_PRIMARYKEY)) {
      return MakeError(
          ErrorKind::kConflict, conflict_code,
          conflict_message ? conflict_message : "That already exists.");
    }
  } catch (...) {
  }
  return MakeError(ErrorKind::kInternal, "internal",
                   "Something went wrong on our side. Please try again later.");
}

Account ReadAccount(const SQLite::Statement& s, int first) {
  Account a;
  a.id = AccountId{s.getColumn(first).getInt64()};
  a.email = s.getColumn(first + 1).getString();
  a.name = s.getColumn(first + 2).getString();
  a.job_title = s.getColumn(first + 3).getString();
  a.organisation = s.getColumn(first + 4).getString();
  a.location = s.getColumn(first + 5).getString();
  a.is_admin = s.getColumn(first + 6).getInt() != 0;
  a.created_at = FromUnix(s.getColumn(first + 7).getInt64());
  return a;
}

}  // namespace rt::store::sqlite
