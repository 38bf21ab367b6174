// Store::BeginRead/EndRead: the reads of one page see one snapshot, and a
// write never gets stuck behind (or hidden by) that snapshot. TEST_P tests
// join the StoreTest suite instantiated in store_test.cc.

#include "store/store_fixture.h"

namespace rt::store::testing {
namespace {

TEST_P(StoreTest, ReadSnapshotHidesOtherWritesUntilItEnds) {
  AssociationId assoc = MakeAssociation("pla");
  Group g = MakeGroup(assoc, "alpha", "Alpha", 1);
  Account a = MakeAccount("a@example.org", "Ada");
  std::unique_ptr<Store> other = OpenMigrated();
  ASSERT_NE(other, nullptr);
  auto members = [&] { return (*store_->groups().FindListing(assoc, "alpha"))->member_count; };

  store_->BeginRead();
  EXPECT_EQ(members(), 0);
  ASSERT_TRUE(*other->groups().AddMember(g.id, a.id, GroupRole::kMember, kNow));
  EXPECT_EQ(members(), 0) << "the snapshot taken by the first read stands";
  store_->EndRead();
  EXPECT_EQ(members(), 1) << "after the snapshot, the other write shows";
  store_->EndRead();  // ending twice is harmless
  EXPECT_EQ(members(), 1);
}

TEST_P(StoreTest, WriteInsideReadSnapshotEndsItAndShowsAfterwards) {
  AssociationId assoc = MakeAssociation("pla");
  Group g = MakeGroup(assoc, "alpha", "Alpha", 1);
  Account a = MakeAccount("a@example.org", "Ada");
  Account b = MakeAccount("b@example.org", "Bob");
  std::unique_ptr<Store> other = OpenMigrated();
  ASSERT_NE(other, nullptr);
  auto members = [&] { return (*store_->groups().FindListing(assoc, "alpha"))->member_count; };

  store_->BeginRead();
  EXPECT_EQ(members(), 0);
  ASSERT_TRUE(*other->groups().AddMember(g.id, b.id, GroupRole::kMember, kNow));
  // A single-statement write and a transaction, each through this store.
  ASSERT_TRUE(*store_->groups().AddMember(g.id, a.id, GroupRole::kMember, kNow));
  EXPECT_EQ(members(), 2) << "this store's write ended the snapshot";
  store_->BeginRead();
  EXPECT_EQ(members(), 2);
  ASSERT_TRUE(store_
                  ->InTransaction([&]() -> Status {
                    return store_->groups().SetRole(g.id, a.id, GroupRole::kLiaison, kNow);
                  })
                  .ok());
  auto l = store_->groups().FindListing(assoc, "alpha");
  ASSERT_TRUE(l.ok() && l->has_value());
  ASSERT_TRUE((*l)->liaison.has_value());
  EXPECT_EQ((*l)->liaison->name, "Ada");
  store_->EndRead();
}

// The groups version is read once per snapshot (sqlite_cache.cc): the next
// snapshot must read it again.
TEST_P(StoreTest, EachReadSnapshotSeesWritesBeforeIt) {
  AssociationId assoc = MakeAssociation("pla");
  Group g = MakeGroup(assoc, "alpha", "Alpha", 1);
  std::unique_ptr<Store> other = OpenMigrated();
  ASSERT_NE(other, nullptr);
  auto members = [&] { return (*store_->groups().FindListing(assoc, "alpha"))->member_count; };
  for (int i = 1; i <= 3; ++i) {
    Account a = MakeAccount("a" + std::to_string(i) + "@example.org", "Ada");
    ASSERT_TRUE(*other->groups().AddMember(g.id, a.id, GroupRole::kMember, kNow));
    store_->BeginRead();
    EXPECT_EQ(members(), i);
    EXPECT_EQ(members(), i);
    store_->EndRead();
  }
}

}  // namespace
}  // namespace rt::store::testing
