#ifndef RT_TESTS_STORE_STORE_FIXTURE_H_
#define RT_TESTS_STORE_STORE_FIXTURE_H_

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "core/assets.h"
#include "store/store.h"

namespace rt::store::testing {

// A fresh, empty database for one test, dropped afterwards.
class TestDatabase {
 public:
  virtual ~TestDatabase() = default;
  virtual std::string url() const = 0;
};

// A SQLite file in its own mkdtemp folder. The file sits one folder deeper
// than the temp dir so every test also checks that Open creates the folder.
class SqliteTestDatabase final : public TestDatabase {
 public:
  SqliteTestDatabase() {
    char tmpl[] = "/tmp/rt_store_test_XXXXXX";
    char* d = mkdtemp(tmpl);
    EXPECT_NE(d, nullptr);
    dir_ = d ? d : "";
  }
  ~SqliteTestDatabase() override {
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  std::string url() const override {
    return "sqlite:" + dir_ + "/data/rt.sqlite3";
  }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

// One engine the shared tests run against. PostgreSQL joins the list in
// store_test.cc when it exists.
struct Backend {
  std::string name;
  std::function<std::unique_ptr<TestDatabase>()> make;
};

// Keeps failure messages readable instead of dumping the struct's bytes.
inline void PrintTo(const Backend& b, std::ostream* os) { *os << b.name; }

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param.name;
}

inline const TimePoint kNow = FromUnix(1767225600);  // 2026-01-01T00:00:00Z

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = GetParam().make();
    store_ = OpenMigrated();
    ASSERT_NE(store_, nullptr);
  }

  // Another connection to the same database, migrated.
  std::unique_ptr<Store> OpenMigrated() {
    Result<std::unique_ptr<Store>> s = OpenStore(db_->url());
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    if (!s.ok()) return nullptr;
    Result<int> m = (*s)->Migrate();
    EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
    return std::move(s).value();
  }

  Account MakeAccount(const std::string& email, const std::string& name) {
    Result<Account> a =
        store_->accounts().Create({email, name, "hash:" + email}, kNow);
    EXPECT_TRUE(a.ok()) << (a.ok() ? "" : a.error().code);
    return a.ok() ? a.value() : Account{};
  }

  AssociationId MakeAssociation(const std::string& slug) {
    Result<Association> a = store_->associations().Upsert(Association{
        {}, slug, "Assoc " + slug, "A", "https://join.example/" + slug, 30});
    EXPECT_TRUE(a.ok());
    return a.ok() ? a->id : AssociationId{};
  }

  Group MakeGroup(AssociationId assoc, const std::string& slug,
                  const std::string& name, int position) {
    Group g;
    g.association_id = assoc;
    g.slug = slug;
    g.name = name;
    g.summary = "About " + name;
    g.description = "Long text about " + name;
    g.join_policy = JoinPolicy::kOpen;
    g.visibility = ContentVisibility::kPublic;
    g.position = position;
    Result<Group> r = store_->groups().Upsert(g);
    EXPECT_TRUE(r.ok());
    return r.ok() ? r.value() : Group{};
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<Store> store_;
};

// Creates the SQLite database of `dbf` with the embedded migrations before
// `version` applied, as a database made by an older release was, and
// returns its file path: a test then writes old rows and migrates.
inline std::string DatabaseBeforeMigration(const SqliteTestDatabase& dbf, int version) {
  std::string path = dbf.url().substr(7);
  std::filesystem::create_directories(dbf.dir() + "/data");
  SQLite::Database d(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  d.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
         "applied_at INTEGER NOT NULL)");
  std::vector<std::pair<std::string_view, std::string_view>> files;
  for (const assets::Asset& a : assets::All()) {
    if (a.name.starts_with("migrations/") && a.name.ends_with(".sql")) {
      files.emplace_back(a.name, a.data);
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& [name, sql] : files) {
    int v = std::stoi(std::string(name.substr(11, 3)));
    if (v >= version) break;
    SQLite::Transaction tx(d);
    d.exec(std::string(sql));
    d.exec("INSERT INTO schema_migrations VALUES (" + std::to_string(v) + ", 0)");
    tx.commit();
  }
  return path;
}

}  // namespace rt::store::testing

#endif  // RT_TESTS_STORE_STORE_FIXTURE_H_
