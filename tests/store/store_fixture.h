#ifndef RT_TESTS_STORE_STORE_FIXTURE_H_
#define RT_TESTS_STORE_STORE_FIXTURE_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

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

}  // namespace rt::store::testing

#endif  // RT_TESTS_STORE_STORE_FIXTURE_H_
