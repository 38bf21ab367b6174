// Migration 017 rebuilds notifications and notification_email_settings to
// admit the kind "feedback": rows, ids, the AUTOINCREMENT counter and the
// members' email switches must all survive.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include <string>

#include "store/store_fixture.h"

namespace rt::store::testing {
namespace {

TEST(Migration017Test, RebuildKeepsNotificationsAndSwitches) {
  SqliteTestDatabase dbf;
  std::string path = DatabaseBeforeMigration(dbf, 17);
  {
    SQLite::Database d(path, SQLite::OPEN_READWRITE);
    d.exec(
        "INSERT INTO accounts (email, name, name_key, password_hash, "
        "created_at, updated_at) "
        "VALUES ('a@x.org', 'A', 'a', 'h', 0, 0)");
    d.exec(
        "INSERT INTO notifications (account_id, kind, actor_id, read, "
        "created_at) VALUES "
        "(1, 'reply', 1, 0, 10), (1, 'mention', 1, 1, 11), (1, 'reply', 1, 0, "
        "12)");
    d.exec("DELETE FROM notifications WHERE id = 3");
    d.exec(
        "INSERT INTO notification_email_settings (account_id, kind, email) "
        "VALUES (1, 'mention', 0)");
    // Before 017 the new kind is refused.
    EXPECT_THROW(d.exec("INSERT INTO notifications (account_id, kind, "
                        "actor_id, created_at) "
                        "VALUES (1, 'feedback', 1, 13)"),
                 SQLite::Exception);
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
  EXPECT_EQ(d.execAndGet(
                 "SELECT seq FROM sqlite_sequence WHERE name = 'notifications'")
                .getInt(),
            3);
  EXPECT_EQ(
      d.execAndGet("SELECT kind || email FROM notification_email_settings")
          .getString(),
      "mention0");
  EXPECT_EQ(d.execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE type = "
                         "'index' AND name IN "
                         "('notifications_account', 'notifications_unread')")
                .getInt(),
            2);
  d.exec(
      "INSERT INTO notifications (account_id, kind, actor_id, created_at) "
      "VALUES (1, 'feedback', 1, 13)");
  EXPECT_EQ(d.getLastInsertRowid(), 4);
  d.exec(
      "INSERT INTO notification_email_settings (account_id, kind, email) "
      "VALUES (1, 'feedback', 0)");
  EXPECT_THROW(
      d.exec(
          "INSERT INTO notifications (account_id, kind, actor_id, created_at) "
          "VALUES (1, 'bogus', 1, 13)"),
      SQLite::Exception);
  EXPECT_THROW(d.exec("INSERT INTO feedback (group_id, author_id, category, "
                      "body, created_at, "
                      "updated_at) VALUES (1, 1, 'rant', 'x', 0, 0)"),
               SQLite::Exception);
}

}  // namespace
}  // namespace rt::store::testing
