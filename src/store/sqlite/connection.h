#ifndef RT_STORE_SQLITE_CONNECTION_H_
#define RT_STORE_SQLITE_CONNECTION_H_

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include <exception>
#include <memory>
#include <string>
#include <unordered_map>

#include "core/result.h"
#include "domain/accounts/account.h"

// Engine internals shared by the SQLite repositories.
namespace rt::store::sqlite {

// A cached statement checked out for one use. Resetting on scope exit matters
// beyond tidiness: a stepped-but-unreset statement keeps its read transaction
// open, pinning an old WAL snapshot and blocking checkpoints.
class Stmt {
 public:
  explicit Stmt(SQLite::Statement& s) : s_(&s) {}
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { s_->tryReset(); }
  SQLite::Statement* operator->() const { return s_; }
  SQLite::Statement& operator*() const { return *s_; }

 private:
  SQLite::Statement* s_;
};

// One SQLite connection with its prepared-statement cache.
class Connection {
 public:
  // Opens (creating) the database file and applies the connection pragmas.
  // Throws SQLite::Exception.
  explicit Connection(const std::string& path);

  SQLite::Database& db() { return db_; }

  // The cached statement for `sql`, reset with bindings cleared. The cache is
  // keyed by address, so `sql` must be a string literal (or otherwise live as
  // long as the connection).
  Stmt Prepare(const char* sql);

  // How deeply InTransaction calls are nested on this connection.
  int& tx_depth() { return tx_depth_; }

 private:
  int tx_depth_ = 0;
  SQLite::Database db_;
  std::unordered_map<const char*, std::unique_ptr<SQLite::Statement>> cache_;
};

// The error a repository reports for an exception. Unique-constraint
// violations become kConflict `conflict_code` when one is given.
Error ToError(const std::exception_ptr& e, const char* conflict_code = nullptr,
              const char* conflict_message = nullptr);

// Runs `fn` (returning Status or Result<T>) and turns any exception into the
// matching error, so no exception leaves a repository.
template <typename Fn>
auto Guard(Fn&& fn, const char* conflict_code = nullptr,
           const char* conflict_message = nullptr) -> decltype(fn()) {
  try {
    return fn();
  } catch (...) {
    return ToError(std::current_exception(), conflict_code, conflict_message);
  }
}

// Account columns as ReadAccount expects them, for table alias "a".
#define RT_ACCOUNT_COLUMNS                                           \
  "a.id, a.email, a.name, a.job_title, a.organisation, a.location, " \
  "a.is_admin, a.created_at"
inline constexpr int kAccountColumnCount = 8;

// Reads RT_ACCOUNT_COLUMNS starting at column `first`.
Account ReadAccount(const SQLite::Statement& s, int first = 0);

}  // namespace rt::store::sqlite

#endif  // RT_STORE_SQLITE_CONNECTION_H_
