// Delivery settings (migration 008). The TEST_P tests join the
// engine-parameterised StoreTest suite instantiated in store_test.cc; the
// TEST_F tests at the end write to the SQLite tables directly to check that
// the schema itself refuses bad values.

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>

#include <string>
#include <vector>

#include "store/store_fixture.h"

namespace rt::store::testing {
namespace {

TEST_P(StoreTest, JoiningSetsTheGroupsDefaultDelivery) {
  AssociationId assoc = MakeAssociation("pla");
  Group daily = MakeGroup(assoc, "daily-group", "Daily", 1);
  Group weekly = MakeGroup(assoc, "weekly-group", "Weekly", 2);
  EXPECT_EQ(daily.default_delivery, Delivery::kDaily);  // the default default
  weekly.default_delivery = Delivery::kWeekly;
  ASSERT_TRUE(store_->groups().Upsert(weekly).ok());
  auto found = store_->groups().FindBySlug(assoc, "weekly-group");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->default_delivery, Delivery::kWeekly);

  Account ada = MakeAccount("ada@example.org", "Ada");
  Account bob = MakeAccount("bob@example.org", "Bob");
  ASSERT_TRUE(store_->groups().AddMember(daily.id, ada.id, GroupRole::kMember, kNow).ok());
  ASSERT_TRUE(store_->groups().AddMember(weekly.id, ada.id, GroupRole::kMember, kNow).ok());
  // SetRole adding someone uses the default too.
  ASSERT_TRUE(store_->groups().SetRole(weekly.id, bob.id, GroupRole::kLiaison, kNow).ok());

  auto d = store_->delivery().DeliveryOf(daily.id, ada.id);
  ASSERT_TRUE(d.ok() && d->has_value());
  EXPECT_EQ(**d, Delivery::kDaily);
  d = store_->delivery().DeliveryOf(weekly.id, ada.id);
  ASSERT_TRUE(d.ok() && d->has_value());
  EXPECT_EQ(**d, Delivery::kWeekly);
  d = store_->delivery().DeliveryOf(weekly.id, bob.id);
  ASSERT_TRUE(d.ok() && d->has_value());
  EXPECT_EQ(**d, Delivery::kWeekly);
  d = store_->delivery().DeliveryOf(daily.id, bob.id);
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->has_value());

  // A later change of the group's default leaves existing members alone.
  weekly.default_delivery = Delivery::kNone;
  ASSERT_TRUE(store_->groups().Upsert(weekly).ok());
  d = store_->delivery().DeliveryOf(weekly.id, ada.id);
  ASSERT_TRUE(d.ok() && d->has_value());
  EXPECT_EQ(**d, Delivery::kWeekly);
}

TEST_P(StoreTest, SetDeliveryOnlyForMembersAndKeptAcrossRoleChanges) {
  AssociationId assoc = MakeAssociation("pla");
  Group g = MakeGroup(assoc, "rare-books", "Rare Books", 1);
  Account ada = MakeAccount("ada@example.org", "Ada");
  Account bob = MakeAccount("bob@example.org", "Bob");
  ASSERT_TRUE(store_->groups().AddMember(g.id, ada.id, GroupRole::kMember, kNow).ok());

  for (Delivery want : {Delivery::kRealtime, Delivery::kWeekly, Delivery::kNone,
                        Delivery::kDaily, Delivery::kRealtime}) {
    auto set = store_->delivery().SetDelivery(g.id, ada.id, want);
    ASSERT_TRUE(set.ok());
    EXPECT_TRUE(*set);
    auto d = store_->delivery().DeliveryOf(g.id, ada.id);
    ASSERT_TRUE(d.ok() && d->has_value());
    EXPECT_EQ(**d, want) << ToString(want);
  }
  // Becoming a moderator keeps the member's own choice.
  ASSERT_TRUE(store_->groups().SetRole(g.id, ada.id, GroupRole::kModerator, kNow).ok());
  auto d = store_->delivery().DeliveryOf(g.id, ada.id);
  ASSERT_TRUE(d.ok() && d->has_value());
  EXPECT_EQ(**d, Delivery::kRealtime);

  // Not a member: nothing is set, nothing is added.
  auto set = store_->delivery().SetDelivery(g.id, bob.id, Delivery::kWeekly);
  ASSERT_TRUE(set.ok());
  EXPECT_FALSE(*set);
  auto role = store_->groups().RoleOf(g.id, bob.id);
  ASSERT_TRUE(role.ok());
  EXPECT_EQ(*role, GroupRole::kNone);

  // Leaving and joining again starts from the group's default.
  ASSERT_TRUE(store_->groups().RemoveMember(g.id, ada.id).ok());
  ASSERT_TRUE(store_->groups().AddMember(g.id, ada.id, GroupRole::kMember, kNow).ok());
  d = store_->delivery().DeliveryOf(g.id, ada.id);
  ASSERT_TRUE(d.ok() && d->has_value());
  EXPECT_EQ(**d, Delivery::kDaily);
}

TEST_P(StoreTest, ListForAccountInGroupsPageOrder) {
  AssociationId assoc = MakeAssociation("pla");
  AssociationId other = MakeAssociation("ala");
  Group c = MakeGroup(assoc, "c", "Charlie", 3);
  Group a = MakeGroup(assoc, "a", "Alpha", 1);
  Group b = MakeGroup(assoc, "b", "Bravo", 2);
  Group elsewhere = MakeGroup(other, "x", "Elsewhere", 0);
  Account ada = MakeAccount("ada@example.org", "Ada");
  for (const Group& g : {c, a, elsewhere}) {
    ASSERT_TRUE(store_->groups().AddMember(g.id, ada.id, GroupRole::kMember, kNow).ok());
  }
  ASSERT_TRUE(store_->groups().SetRole(b.id, ada.id, GroupRole::kLiaison, kNow).ok());
  ASSERT_TRUE(store_->delivery().SetDelivery(c.id, ada.id, Delivery::kNone).ok());

  auto list = store_->delivery().ListForAccount(assoc, ada.id);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].group.slug, "a");
  EXPECT_EQ((*list)[0].group.name, "Alpha");
  EXPECT_EQ((*list)[0].group.id, a.id);
  EXPECT_EQ((*list)[0].delivery, Delivery::kDaily);
  EXPECT_EQ((*list)[1].group.slug, "b");
  EXPECT_EQ((*list)[1].role, GroupRole::kLiaison);
  EXPECT_EQ((*list)[2].group.slug, "c");
  EXPECT_EQ((*list)[2].delivery, Delivery::kNone);

  Account bob = MakeAccount("bob@example.org", "Bob");
  auto none = store_->delivery().ListForAccount(assoc, bob.id);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_P(StoreTest, EmailSwitchesDefaultOnAndKeptPerAccount) {
  Account ada = MakeAccount("ada@example.org", "Ada");
  Account bob = MakeAccount("bob@example.org", "Bob");
  auto s = store_->delivery().EmailSwitchesOf(ada.id);
  ASSERT_TRUE(s.ok());
  for (NotificationKind k : kNotificationKinds) EXPECT_TRUE(s->enabled(k)) << ToString(k);

  EmailSwitches want;
  want.set(NotificationKind::kMention, false);
  want.set(NotificationKind::kReply, false);
  ASSERT_TRUE(store_->delivery().SetEmailSwitches(ada.id, want).ok());
  // Storing the same choice twice is fine.
  ASSERT_TRUE(store_->delivery().SetEmailSwitches(ada.id, want).ok());
  s = store_->delivery().EmailSwitchesOf(ada.id);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, want);
  EXPECT_FALSE(s->enabled(NotificationKind::kMention));
  EXPECT_TRUE(s->enabled(NotificationKind::kPrivateMessage));

  // Bob is untouched.
  auto other = store_->delivery().EmailSwitchesOf(bob.id);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(*other, EmailSwitches());

  // Turning one back on.
  want.set(NotificationKind::kReply, true);
  ASSERT_TRUE(store_->delivery().SetEmailSwitches(ada.id, want).ok());
  s = store_->delivery().EmailSwitchesOf(ada.id);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->enabled(NotificationKind::kReply));
  EXPECT_FALSE(s->enabled(NotificationKind::kMention));
}

TEST_P(StoreTest, ChangingDeliveryKeepsTheListingsVersion) {
  // Delivery is not part of the listings, so changing it must not make
  // every process drop its listing copies (migration 008's trigger).
  AssociationId assoc = MakeAssociation("pla");
  Group g = MakeGroup(assoc, "rare-books", "Rare Books", 1);
  Account ada = MakeAccount("ada@example.org", "Ada");
  ASSERT_TRUE(store_->groups().AddMember(g.id, ada.id, GroupRole::kMember, kNow).ok());
  auto before = store_->groups().ListingsVersion();
  ASSERT_TRUE(before.ok());
  ASSERT_TRUE(store_->delivery().SetDelivery(g.id, ada.id, Delivery::kWeekly).ok());
  auto after = store_->groups().ListingsVersion();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*after, *before);
  // A role change still bumps it.
  ASSERT_TRUE(store_->groups().SetRole(g.id, ada.id, GroupRole::kLiaison, kNow).ok());
  auto role_changed = store_->groups().ListingsVersion();
  ASSERT_TRUE(role_changed.ok());
  EXPECT_NE(*role_changed, *after);
}

class SqliteDeliverySchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenStore(db_.url());
    ASSERT_TRUE(s.ok());
    store_ = std::move(s).value();
    ASSERT_TRUE(store_->Migrate().ok());
    auto assoc = store_->associations().Upsert(Association{{}, "pla", "PLA", "P", "", 0});
    ASSERT_TRUE(assoc.ok());
    Group g;
    g.association_id = assoc->id;
    g.slug = "g";
    g.name = "G";
    auto group = store_->groups().Upsert(g);
    ASSERT_TRUE(group.ok());
    auto a = store_->accounts().Create({"ada@example.org", "Ada", "h"}, kNow);
    ASSERT_TRUE(a.ok());
    ASSERT_TRUE(store_->groups().AddMember(group->id, a->id, GroupRole::kMember, kNow).ok());
  }

  // Runs `sql` on a connection of its own; true when SQLite accepted it.
  bool Accepts(const std::string& sql) {
    SQLite::Database db(db_.url().substr(7), SQLite::OPEN_READWRITE);
    try {
      db.exec(sql);
      return true;
    } catch (const SQLite::Exception& e) {
      EXPECT_NE(std::string(e.what()).find("constraint failed"), std::string::npos) << e.what();
      return false;
    }
  }

  SqliteTestDatabase db_;
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteDeliverySchemaTest, ChecksRefuseValuesOutsideTheLists) {
  for (const char* v : {"realtime", "daily", "weekly", "none"}) {
    EXPECT_TRUE(Accepts(std::string("UPDATE group_members SET delivery = '") + v + "'")) << v;
    EXPECT_TRUE(Accepts(std::string("UPDATE interest_groups SET default_delivery = '") + v +
                        "'"))
        << v;
  }
  for (const char* v : {"hourly", "Daily", "", "daily "}) {
    EXPECT_FALSE(Accepts(std::string("UPDATE group_members SET delivery = '") + v + "'")) << v;
    EXPECT_FALSE(Accepts(std::string("UPDATE interest_groups SET default_delivery = '") + v +
                         "'"))
        << v;
  }
  EXPECT_FALSE(Accepts("UPDATE group_members SET delivery = NULL"));
  EXPECT_TRUE(Accepts(
      "INSERT INTO notification_email_settings (account_id, kind, email) "
      "SELECT id, 'mention', 0 FROM accounts"));
  EXPECT_FALSE(Accepts(
      "INSERT INTO notification_email_settings (account_id, kind, email) "
      "SELECT id, 'digest', 0 FROM accounts"));
  EXPECT_FALSE(Accepts(
      "INSERT INTO notification_email_settings (account_id, kind, email) "
      "SELECT id, 'reply', 2 FROM accounts"));
}

}  // namespace
}  // namespace rt::store::testing
