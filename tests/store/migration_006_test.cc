// Migration 006 rebuilds notifications (its kind CHECK becomes a chain of
// equalities): the rows, their ids, the AUTOINCREMENT counter, the checks
// and the indexes must all survive.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include <string>

#include "store/store_fixture.h"

namespace rt::store::testing {
namespace {

TEST(Migration006Test, RebuildKeepsRowsIdsCounterAndIndexes) {
  SqliteTestDatabase dbf;
  // The schema as it was before 006, with notifications whose counter runs
  // ahead of MAX(id) (the newest row was deleted).
  std::string path = DatabaseBeforeMigration(dbf, 6);
  {
    SQLite::Database d(path, SQLite::OPEN_READWRITE);
    d.exec("INSERT INTO accounts (email, name, name_key, password_hash, created_at, updated_at) "
           "VALUES ('a@x.org', 'A', 'a', 'h', 0, 0)");
    d.exec("INSERT INTO notifications (account_id, kind, actor_id, read, created_at) VALUES "
           "(1, 'reply', 1, 0, 10), (1, 'mention', 1, 1, 11), (1, 'reply', 1, 0, 12)");
    d.exec("DELETE FROM notifications WHERE id = 3");
  }
  Result<std::unique_ptr<Store>> s = OpenStore(dbf.url());
  ASSERT_TRUE(s.ok());
  Result<int> applied = (*s)->Migrate();
  ASSERT_TRUE(applied.ok()) << applied.error().message;
  EXPECT_GE(*applied, 1);

  SQLite::Database d(path, SQLite::OPEN_READWRITE);
  EXPECT_EQ(d.execAndGet("SELECT group_concat(id || kind || read, ',') FROM "
                         "(SELECT * FROM notifications ORDER BY id)")
                .getString(),
            "1reply0,2mention1");
  EXPECT_EQ(d.execAndGet("SELECT seq FROM sqlite_sequence WHERE name = 'notifications'").getInt(),
            3);
  EXPECT_EQ(d.execAndGet("SELECT COUNT(*) FROM sqlite_sequence").getInt(),
            d.execAndGet("SELECT COUNT(DISTINCT name) FROM sqlite_sequence").getInt());
  EXPECT_EQ(d.execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                         "('notifications_account', 'notifications_unread', 'outbox_pending')")
                .getInt(),
            3);
  EXPECT_EQ(d.execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE name = 'notifications_new'")
                .getInt(),
            0);
  // The next id does not reuse the deleted 3; the checks still hold.
  d.exec("INSERT INTO notifications (account_id, kind, actor_id, created_at) "
         "VALUES (1, 'answer_accepted', 1, 13)");
  EXPECT_EQ(d.getLastInsertRowid(), 4);
  EXPECT_THROW(d.exec("INSERT INTO notifications (account_id, kind, actor_id, created_at) "
                      "VALUES (1, 'bogus', 1, 13)"),
               SQLite::Exception);
  EXPECT_THROW(d.exec("INSERT INTO notifications (account_id, kind, actor_id, read, created_at) "
                      "VALUES (1, 'reply', 1, 2, 13)"),
               SQLite::Exception);
  d.exec("PRAGMA foreign_keys = ON");
  EXPECT_THROW(d.exec("INSERT INTO notifications (account_id, kind, actor_id, created_at) "
                      "VALUES (99, 'reply', 1, 13)"),
               SQLite::Exception);
}

}  // namespace
}  // namespace rt::store::testing
