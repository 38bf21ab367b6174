// Migration 020 (outcome check-ins) on a database that has data: existing
// associations get the eight statements and the default threshold, and the
// rebuilt email switches keep every row and admit the kind "checkin".
#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <string>

#include "store/store_fixture.h"

namespace rt::store::testing {
namespace {

TEST(Migration020Test, SeedsStatementsAndKeepsEmailSwitches) {
  SqliteTestDatabase dbf;
  std::string path = DatabaseBeforeMigration(dbf, 20);
  {
    SQLite::Database d(path, SQLite::OPEN_READWRITE);
    d.exec("INSERT INTO associations (slug, name) VALUES ('pla', 'PLA'), ('ala', 'ALA')");
    d.exec(
        "INSERT INTO accounts (email, name, name_key, password_hash, created_at, updated_at) "
        "VALUES ('a@x.org', 'A', 'a', 'h', 0, 0)");
    d.exec(
        "INSERT INTO notification_email_settings (account_id, kind, email) "
        "VALUES (1, 'feedback', 0), (1, 'mention', 0)");
    EXPECT_THROW(d.exec("INSERT INTO notification_email_settings (account_id, kind, email) "
                        "VALUES (1, 'checkin', 0)"),
                 SQLite::Exception);
  }
  Result<std::unique_ptr<Store>> s = OpenStore(dbf.url());
  ASSERT_TRUE(s.ok());
  Result<int> applied = (*s)->Migrate();
  ASSERT_TRUE(applied.ok()) << applied.error().message;

  SQLite::Database d(path, SQLite::OPEN_READWRITE);
  EXPECT_EQ(d.execAndGet("SELECT COUNT(*) FROM outcome_statements").getInt(), 16);
  EXPECT_EQ(d.execAndGet("SELECT group_concat(id, ',') FROM (SELECT id FROM outcome_statements "
                         "WHERE association_id = 1 ORDER BY position)")
                .getString(),
            "network,skills,knowledge,confidence,resources,apply,share,engage");
  EXPECT_EQ(d.execAndGet("SELECT group_concat(outcome_threshold, ',') FROM associations")
                .getString(),
            "5,5");
  EXPECT_EQ(d.execAndGet("SELECT group_concat(kind || email, ',') FROM "
                         "(SELECT * FROM notification_email_settings ORDER BY kind)")
                .getString(),
            "feedback0,mention0");
  d.exec(
      "INSERT INTO notification_email_settings (account_id, kind, email) "
      "VALUES (1, 'checkin', 0)");
  EXPECT_THROW(d.exec("UPDATE associations SET outcome_threshold = 2"), SQLite::Exception);
  // An association created later gets them too.
  d.exec("INSERT INTO associations (slug, name) VALUES ('new', 'New')");
  EXPECT_EQ(d.execAndGet("SELECT COUNT(*) FROM outcome_statements WHERE association_id = 3")
                .getInt(),
            8);
}

}  // namespace
}  // namespace rt::store::testing
