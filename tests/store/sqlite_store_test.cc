// SQLite-only behaviour: connection settings and how engine errors surface.

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include <chrono>

#include "store/sqlite/connection.h"
#include "store/store.h"
#include "store/store_fixture.h"

namespace rt::store::testing {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Store>> s = OpenStore(db_.url());
    ASSERT_TRUE(s.ok());
    store_ = std::move(s).value();
    ASSERT_TRUE(store_->Migrate().ok());
  }
  std::string path() const { return db_.url().substr(7); }

  SqliteTestDatabase db_;
  std::unique_ptr<Store> store_;
};

std::string Pragma(SQLite::Database& db, const char* name) {
  return db.execAndGet(std::string("PRAGMA ") + name).getString();
}

TEST_F(SqliteStoreTest, ConnectionPragmas) {
  // journal_mode is a property of the file, visible to any connection.
  SQLite::Database plain(path(), SQLite::OPEN_READONLY);
  EXPECT_EQ(Pragma(plain, "journal_mode"), "wal");

  // The rest are per connection, so check the connection the store uses.
  sqlite::Connection c(path());
  EXPECT_EQ(Pragma(c.db(), "journal_mode"), "wal");
  EXPECT_EQ(Pragma(c.db(), "synchronous"), "2");  // FULL
  EXPECT_EQ(Pragma(c.db(), "foreign_keys"), "1");
  EXPECT_EQ(Pragma(c.db(), "busy_timeout"), "5000");
}

TEST_F(SqliteStoreTest, ForeignKeysAreEnforcedThroughTheStore) {
  Status s = store_->sessions().Create(
      {"t", AccountId{777}, "csrf", kNow, kNow + std::chrono::hours(1)});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, ErrorKind::kInternal);
  EXPECT_EQ(s.error().code, "internal");
  EXPECT_EQ(s.error().message.find("FOREIGN"),
            std::string::npos);  // no SQL details
}

TEST_F(SqliteStoreTest, BusyDatabaseIsUnavailable) {
  SQLite::Database blocker(path(), SQLite::OPEN_READWRITE);
  blocker.exec("BEGIN IMMEDIATE");
  auto start = std::chrono::steady_clock::now();
  Result<Account> a =
      store_->accounts().Create({"busy@example.org", "B", "h"}, kNow);
  auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(a.error().code, "database_unavailable");
  EXPECT_EQ(a.error().message, "The database is busy. Please try again.");
  EXPECT_EQ(a.error().retry_after_seconds, 1);
  EXPECT_GE(waited, std::chrono::seconds(4));  // it waited busy_timeout first

  Status tx = store_->InTransaction([] { return OkStatus(); });
  ASSERT_FALSE(tx.ok());
  EXPECT_EQ(tx.error().code, "database_unavailable");

  blocker.exec("ROLLBACK");
  EXPECT_TRUE(
      store_->accounts().Create({"busy@example.org", "B", "h"}, kNow).ok());
}

TEST_F(SqliteStoreTest, CheckReadyNoticesNewerSchemaIsMissing) {
  ASSERT_TRUE(store_->CheckReady().ok());
  SQLite::Database plain(path(), SQLite::OPEN_READWRITE);
  plain.exec("DELETE FROM schema_migrations");
  Status s = store_->CheckReady();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "migrations_pending");
}

}  // namespace
}  // namespace rt::store::testing
