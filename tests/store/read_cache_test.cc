// The association and group listings that every request reads may come from
// a copy kept across calls (SQLite: sqlite_cache.h). Whatever an engine
// keeps, every way of writing must show in the next read. TEST_P tests join
// the StoreTest suite instantiated in store_test.cc.

#include "store/store_fixture.h"

namespace rt::store::testing {
namespace {

using namespace std::chrono_literals;

TEST_P(StoreTest, GroupListingsFollowEveryWrite) {
  AssociationId assoc = MakeAssociation("pla");
  Group g = MakeGroup(assoc, "alpha", "Alpha", 1);
  Account a = MakeAccount("a@example.org", "Ada");
  Account b = MakeAccount("b@example.org", "Bob");

  auto listing = [&]() -> GroupListing {
    Result<std::optional<GroupListing>> one = store_->groups().FindListing(assoc, "alpha");
    EXPECT_TRUE(one.ok() && one->has_value());
    Result<std::vector<GroupListing>> all = store_->groups().ListWithStats(assoc);
    EXPECT_TRUE(all.ok() && all->size() == 1u);
    // Both reads must agree, whichever of them was served from a copy.
    if (all.ok() && all->size() == 1u && one.ok() && one->has_value()) {
      EXPECT_EQ((*all)[0].member_count, (*one)->member_count);
      EXPECT_EQ((*all)[0].group.name, (*one)->group.name);
      EXPECT_EQ((*all)[0].liaison.has_value(), (*one)->liaison.has_value());
      if ((*all)[0].liaison && (*one)->liaison) {
        EXPECT_EQ((*all)[0].liaison->name, (*one)->liaison->name);
      }
    }
    return one.ok() && one->has_value() ? **one : GroupListing{};
  };
  auto association_name = [&]() -> std::string {
    Result<std::optional<Association>> found = store_->associations().FindBySlug("pla");
    EXPECT_TRUE(found.ok() && found->has_value());
    return found.ok() && found->has_value() ? (*found)->name : "";
  };

  // Read twice first, so that a copy exists before each write.
  EXPECT_EQ(listing().member_count, 0);
  EXPECT_EQ(listing().member_count, 0);
  EXPECT_EQ(association_name(), "Assoc pla");
  EXPECT_EQ(association_name(), "Assoc pla");

  ASSERT_TRUE(*store_->groups().AddMember(g.id, a.id, GroupRole::kMember, kNow));
  EXPECT_EQ(listing().member_count, 1);
  EXPECT_FALSE(listing().liaison.has_value());

  // A role change alone (no count change) shows too.
  ASSERT_TRUE(store_->groups().SetRole(g.id, a.id, GroupRole::kLiaison, kNow).ok());
  GroupListing l = listing();
  EXPECT_EQ(l.member_count, 1);
  ASSERT_TRUE(l.liaison.has_value());
  EXPECT_EQ(l.liaison->name, "Ada");

  // So does the liaison editing their profile.
  Profile p;
  p.name = "Ada Lovelace";
  p.job_title = "Analyst";
  ASSERT_TRUE(store_->accounts().UpdateProfile(a.id, p, kNow).ok());
  l = listing();
  ASSERT_TRUE(l.liaison.has_value());
  EXPECT_EQ(l.liaison->name, "Ada Lovelace");
  EXPECT_EQ(l.liaison->job_title, "Analyst");

  // And a liaison promoted from another account, then leaving.
  ASSERT_TRUE(*store_->groups().AddMember(g.id, b.id, GroupRole::kMember, kNow));
  EXPECT_EQ(listing().member_count, 2);
  ASSERT_TRUE(*store_->groups().RemoveMember(g.id, a.id));
  l = listing();
  EXPECT_EQ(l.member_count, 1);
  EXPECT_FALSE(l.liaison.has_value());

  // Group and association edits.
  g.name = "Alpha Renamed";
  ASSERT_TRUE(store_->groups().Upsert(g).ok());
  EXPECT_EQ(listing().group.name, "Alpha Renamed");
  ASSERT_TRUE(store_->associations()
                  .Upsert(Association{{}, "pla", "Renamed Assoc", "A", "https://j.example", 30})
                  .ok());
  EXPECT_EQ(association_name(), "Renamed Assoc");

  // A write through another connection (another process, say the CLI)
  // shows in this one.
  std::unique_ptr<Store> other = OpenMigrated();
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(*other->groups().AddMember(g.id, a.id, GroupRole::kModerator, kNow));
  EXPECT_EQ(listing().member_count, 2);
  g.name = "Alpha Again";
  ASSERT_TRUE(other->groups().Upsert(g).ok());
  EXPECT_EQ(listing().group.name, "Alpha Again");

  // New groups appear in the list; groups of unknown slugs stay unknown.
  MakeGroup(assoc, "beta", "Beta", 0);
  Result<std::vector<GroupListing>> all = store_->groups().ListWithStats(assoc);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].group.slug, "beta");
  Result<std::optional<GroupListing>> none = store_->groups().FindListing(assoc, "gamma");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  MakeGroup(assoc, "gamma", "Gamma", 2);
  none = store_->groups().FindListing(assoc, "gamma");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->has_value());
}

TEST_P(StoreTest, GroupListingsShowOwnWritesButNeverRolledBackOnes) {
  AssociationId assoc = MakeAssociation("pla");
  Group g = MakeGroup(assoc, "alpha", "Alpha", 1);
  auto name = [&]() -> std::string {
    Result<std::optional<GroupListing>> one = store_->groups().FindListing(assoc, "alpha");
    EXPECT_TRUE(one.ok() && one->has_value());
    return one.ok() && one->has_value() ? (*one)->group.name : "";
  };
  auto listed_name = [&]() -> std::string {
    Result<std::vector<GroupListing>> all = store_->groups().ListWithStats(assoc);
    EXPECT_TRUE(all.ok() && all->size() == 1u);
    return all.ok() && all->size() == 1u ? (*all)[0].group.name : "";
  };
  EXPECT_EQ(name(), "Alpha");
  EXPECT_EQ(listed_name(), "Alpha");

  // Inside a transaction its own write shows; then it rolls back.
  auto rename_then_roll_back = [&](const std::string& to) {
    Status st = store_->InTransaction([&]() -> Status {
      Group renamed = g;
      renamed.name = to;
      RT_RETURN_IF_ERROR(ToStatus(store_->groups().Upsert(renamed)));
      EXPECT_EQ(name(), to);
      EXPECT_EQ(listed_name(), to);
      return MakeError(ErrorKind::kRuleBroken, "later_step_failed", "x");
    });
    ASSERT_FALSE(st.ok());
  };
  rename_then_roll_back("Rolled Back");
  EXPECT_EQ(name(), "Alpha");
  EXPECT_EQ(listed_name(), "Alpha");

  // A committed write that changes what the rolled-back one changed must
  // show its own result, not the rolled-back one, even with no read in
  // between.
  rename_then_roll_back("Rolled Back Again");
  Group committed = g;
  committed.name = "Committed";
  ASSERT_TRUE(store_->groups().Upsert(committed).ok());
  EXPECT_EQ(name(), "Committed");
  EXPECT_EQ(listed_name(), "Committed");
}

// Every signed-in request reads its session, its account's membership and
// its role in the group; SQLite keeps copies of all three (migration 023).
TEST_P(StoreTest, SessionsMembershipsAndRolesFollowEveryWrite) {
  AssociationId assoc = MakeAssociation("pla");
  Group g = MakeGroup(assoc, "alpha", "Alpha", 1);
  Account a = MakeAccount("a@example.org", "Ada");
  std::unique_ptr<Store> other = OpenMigrated();
  ASSERT_NE(other, nullptr);

  auto session_name = [&](const std::string& hash) -> std::string {
    auto found = store_->sessions().FindWithAccount(hash, kNow);
    EXPECT_TRUE(found.ok());
    return found.ok() && found->has_value() ? (*found)->second.name : "(none)";
  };
  ASSERT_TRUE(store_->sessions().Create({"t1", a.id, "csrf", kNow, kNow + 24h}).ok());
  EXPECT_EQ(session_name("t1"), "Ada");
  EXPECT_EQ(session_name("t1"), "Ada");
  // A copy still honours the expiry.
  auto later = store_->sessions().FindWithAccount("t1", kNow + 25h);
  ASSERT_TRUE(later.ok());
  EXPECT_FALSE(later->has_value());

  Profile p;
  p.name = "Ada Lovelace";
  ASSERT_TRUE(store_->accounts().UpdateProfile(a.id, p, kNow).ok());
  EXPECT_EQ(session_name("t1"), "Ada Lovelace");
  ASSERT_TRUE(other->accounts().SetAdmin(a.id, true).ok());
  auto admin = store_->sessions().FindWithAccount("t1", kNow);
  ASSERT_TRUE(admin.ok() && admin->has_value());
  EXPECT_TRUE((*admin)->second.is_admin);

  // Signing out here, or anywhere else, ends the session at once.
  ASSERT_TRUE(store_->sessions().Delete("t1").ok());
  EXPECT_EQ(session_name("t1"), "(none)");
  ASSERT_TRUE(store_->sessions().Create({"t2", a.id, "csrf", kNow, kNow + 24h}).ok());
  EXPECT_EQ(session_name("t2"), "Ada Lovelace");
  // Inside a read snapshot the copy stands for the snapshot; after it, the
  // other connection's sign-out shows.
  store_->BeginRead();
  EXPECT_EQ(session_name("t2"), "Ada Lovelace");
  ASSERT_TRUE(other->sessions().DeleteAllForAccount(a.id, "").ok());
  EXPECT_EQ(session_name("t2"), "Ada Lovelace");
  store_->EndRead();
  EXPECT_EQ(session_name("t2"), "(none)");

  auto paid_through = [&]() -> std::string {
    auto m = store_->memberships().FindForAccount(assoc, a.id);
    EXPECT_TRUE(m.ok());
    return m.ok() && m->has_value() ? (*m)->paid_through.Iso() : "(none)";
  };
  EXPECT_EQ(paid_through(), "(none)");
  EXPECT_EQ(paid_through(), "(none)");
  Membership m;
  m.association_id = assoc;
  m.email = "a@example.org";
  m.account_id = a.id;
  m.member_type = "Full";
  m.paid_through = Date::FromYmd(2026, 6, 30);
  Result<Membership> inserted = store_->memberships().Insert(m, kNow);
  ASSERT_TRUE(inserted.ok());
  EXPECT_EQ(paid_through(), "2026-06-30");
  Membership renewed = *inserted;
  renewed.paid_through = Date::FromYmd(2027, 6, 30);
  ASSERT_TRUE(other->memberships().Update(renewed, kNow).ok());
  EXPECT_EQ(paid_through(), "2027-06-30");

  auto role = [&]() {
    Result<GroupRole> r = store_->groups().RoleOf(g.id, a.id);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : GroupRole::kModerator;
  };
  EXPECT_EQ(role(), GroupRole::kNone);
  EXPECT_EQ(role(), GroupRole::kNone);
  ASSERT_TRUE(*store_->groups().AddMember(g.id, a.id, GroupRole::kMember, kNow));
  EXPECT_EQ(role(), GroupRole::kMember);
  ASSERT_TRUE(other->groups().SetRole(g.id, a.id, GroupRole::kLiaison, kNow).ok());
  EXPECT_EQ(role(), GroupRole::kLiaison);

  // The member's delivery choice, changed elsewhere, shows too.
  auto delivery = [&]() -> std::string {
    Result<std::optional<Delivery>> d = store_->delivery().DeliveryOf(g.id, a.id);
    EXPECT_TRUE(d.ok());
    return d.ok() && d->has_value() ? std::string(ToString(**d)) : "(none)";
  };
  const std::string first = delivery();
  EXPECT_EQ(delivery(), first);
  const Delivery other_choice = first == "weekly" ? Delivery::kDaily : Delivery::kWeekly;
  ASSERT_TRUE(*other->delivery().SetDelivery(g.id, a.id, other_choice));
  EXPECT_EQ(delivery(), ToString(other_choice));
  ASSERT_TRUE(*other->groups().RemoveMember(g.id, a.id));
  EXPECT_EQ(role(), GroupRole::kNone);
  EXPECT_EQ(delivery(), "(none)");
}

}  // namespace
}  // namespace rt::store::testing
