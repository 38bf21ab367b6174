#include "store/sqlite/sqlite_store.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <system_error>
#include <vector>

#include "core/assets.h"

namespace rt::store::sqlite {

namespace {

Error Unavailable() {
  Error e = MakeError(ErrorKind::kUnavailable, "database_unavailable",
                      "The database is unavailable. Please try again.");
  e.retry_after_seconds = 1;
  return e;
}

struct Migration {
  int version = 0;
  std::string_view sql;
};

// Embedded migrations in name order; a file's version is its leading number.
Result<std::vector<Migration>> EmbeddedMigrations() {
  constexpr std::string_view kPrefix = "migrations/";
  std::vector<std::pair<std::string_view, std::string_view>> files;
  for (const assets::Asset& a : assets::All()) {
    if (a.name.starts_with(kPrefix) && a.name.ends_with(".sql")) {
      files.emplace_back(a.name, a.data);
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<Migration> out;
  for (const auto& [name, sql] : files) {
    std::string_view base = name.substr(kPrefix.size());
    int version = 0;
    size_t i = 0;
    for (; i < base.size() && base[i] >= '0' && base[i] <= '9'; ++i) {
      version = version * 10 + (base[i] - '0');
    }
    // A misnamed or duplicate file would silently reorder or skip schema
    // changes, so refuse to run any.
    if (i == 0 || (!out.empty() && out.back().version >= version)) {
      return MakeError(ErrorKind::kInternal, "bad_migration",
                       "A migration file is misnamed: " + std::string(name));
    }
    out.push_back({version, sql});
  }
  return out;
}

void RollbackQuietly(SQLite::Database& db, const char* sql) {
  try {
    db.exec(sql);
  } catch (...) {
    // SQLite may already have rolled back on its own (e.g. SQLITE_FULL).
  }
}

}  // namespace

SqliteStore::SqliteStore(const std::string& path) : c_(path) {}

Result<std::unique_ptr<Store>> SqliteStore::Open(const std::string& path) {
  if (path.empty()) return Unavailable();
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) return Unavailable();
  }
  try {
    return std::unique_ptr<Store>(new SqliteStore(path));
  } catch (...) {
    return Unavailable();
  }
}

Status SqliteStore::InTransaction(const std::function<Status()>& fn) {
  // The outermost call joins the file's group commit; see WriteQueue.
  if (c_.tx_depth() == 0) return c_.RunTransaction(fn);
  // A nested call gets a savepoint, so its failure undoes only its own writes
  // while the outermost call still owns the transaction. It may run on a
  // WriteQueue leader's thread, where c_ stands for the leader's connection.
  SQLite::Database& db = c_.db();
  Status s = Guard([&]() -> Status {
    db.exec("SAVEPOINT rt_nested");
    return OkStatus();
  });
  if (!s.ok()) return s;
  ++c_.tx_depth();
  try {
    s = fn();
  } catch (...) {
    s = ToError(std::current_exception());
  }
  --c_.tx_depth();
  if (s.ok()) {
    s = Guard([&]() -> Status {
      db.exec("RELEASE rt_nested");
      return OkStatus();
    });
    if (s.ok()) return s;
  }
  RollbackQuietly(db, "ROLLBACK TO rt_nested; RELEASE rt_nested");
  return s;
}

void SqliteStore::BeginRead() {
  try {
    c_.BeginReadSnapshot();
  } catch (...) {
    // Reads still work without the snapshot, one statement at a time.
  }
}

void SqliteStore::EndRead() { c_.EndReadSnapshot(); }

Result<int> SqliteStore::Migrate() {
  RT_ASSIGN_OR_RETURN(std::vector<Migration> migrations, EmbeddedMigrations());
  RT_RETURN_IF_ERROR(Guard([&]() -> Status {
    c_.db().exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
    return OkStatus();
  }));
  int applied = 0;
  for (const Migration& m : migrations) {
    // Checked inside the write transaction so that two processes migrating at
    // once apply each file exactly once.
    RT_RETURN_IF_ERROR(InTransaction([&]() -> Status {
      Stmt seen =
          c_.Prepare("SELECT 1 FROM schema_migrations WHERE version = ?");
      seen->bind(1, m.version);
      if (seen->executeStep()) return OkStatus();
      c_.db().exec(std::string(m.sql));
      Stmt ins = c_.Prepare(
          "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)");
      ins->bind(1, m.version);
      ins->bind(2, ToUnix(std::chrono::system_clock::now()));
      ins->exec();
      ++applied;
      return OkStatus();
    }));
  }
  return applied;
}

Status SqliteStore::CheckReady() {
  RT_ASSIGN_OR_RETURN(std::vector<Migration> migrations, EmbeddedMigrations());
  int want = migrations.empty() ? 0 : migrations.back().version;
  int have = 0;
  try {
    Stmt ping = c_.Prepare("SELECT 1");
    if (!ping->executeStep()) return Unavailable();
    Stmt table = c_.Prepare(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = "
        "'schema_migrations'");
    if (table->executeStep()) {
      Stmt max =
          c_.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
      max->executeStep();
      have = max->getColumn(0).getInt();
    }
  } catch (...) {
    return Unavailable();
  }
  if (have != want) {
    Error e =
        MakeError(ErrorKind::kUnavailable, "migrations_pending",
                  "The database schema is out of date. Run the migrations.");
    e.retry_after_seconds = 1;
    return e;
  }
  return OkStatus();
}

}  // namespace rt::store::sqlite
