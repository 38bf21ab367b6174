// Engine-neutral repository tests: every backend in kBackends must pass them.

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <stdexcept>
#include <thread>

#include "core/assets.h"
#include "store/store_fixture.h"

namespace rt::store::testing {
namespace {

using namespace std::chrono_literals;

int EmbeddedMigrationCount() {
  int n = 0;
  for (const assets::Asset& a : assets::All()) {
    if (a.name.starts_with("migrations/") && a.name.ends_with(".sql")) ++n;
  }
  return n;
}

TEST_P(StoreTest, MigrateAppliesOnceThenNothing) {
  std::unique_ptr<TestDatabase> fresh = GetParam().make();
  Result<std::unique_ptr<Store>> s = OpenStore(fresh->url());
  ASSERT_TRUE(s.ok());
  Store& store = **s;

  Status before = store.CheckReady();
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(before.error().code, "migrations_pending");

  ASSERT_GE(EmbeddedMigrationCount(), 1);
  Result<int> first = store.Migrate();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, EmbeddedMigrationCount());
  Result<int> second = store.Migrate();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, 0);
  EXPECT_TRUE(store.CheckReady().ok());

  // Another connection finds nothing left to do either.
  Result<std::unique_ptr<Store>> other = OpenStore(fresh->url());
  ASSERT_TRUE(other.ok());
  Result<int> third = (*other)->Migrate();
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(*third, 0);
  EXPECT_TRUE((*other)->CheckReady().ok());
}

TEST_P(StoreTest, AccountCreateFindAndDuplicateEmail) {
  Result<Account> a = store_->accounts().Create(
      {"ada@example.org", "Ada Lovelace", "h1", /*is_admin=*/true}, kNow);
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->id.valid());
  EXPECT_EQ(a->email, "ada@example.org");
  EXPECT_TRUE(a->is_admin);

  Result<std::optional<Account>> by_id = store_->accounts().FindById(a->id);
  ASSERT_TRUE(by_id.ok());
  ASSERT_TRUE(by_id->has_value());
  EXPECT_EQ((*by_id)->email, "ada@example.org");
  EXPECT_EQ((*by_id)->name, "Ada Lovelace");
  EXPECT_TRUE((*by_id)->is_admin);
  EXPECT_EQ((*by_id)->created_at, kNow);

  Result<std::optional<Account>> by_email =
      store_->accounts().FindByEmail("ada@example.org");
  ASSERT_TRUE(by_email.ok());
  ASSERT_TRUE(by_email->has_value());
  EXPECT_EQ((*by_email)->id, a->id);

  Result<std::optional<Account>> missing =
      store_->accounts().FindByEmail("nobody@example.org");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  Result<std::optional<Account>> missing_id =
      store_->accounts().FindById(AccountId{9999});
  ASSERT_TRUE(missing_id.ok());
  EXPECT_FALSE(missing_id->has_value());

  Result<Account> dup =
      store_->accounts().Create({"ada@example.org", "Other", "h2"}, kNow);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(dup.error().code, "email_taken");
  EXPECT_EQ(dup.error().message,
            "An account with this email address already exists.");

  // The failed insert left the store usable and the first account intact.
  Account b = MakeAccount("bob@example.org", "Bob");
  EXPECT_NE(b.id, a->id);
  Result<std::optional<Account>> again =
      store_->accounts().FindByEmail("ada@example.org");
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->name, "Ada Lovelace");
}

TEST_P(StoreTest, CredentialsPasswordAndAdmin) {
  Account a = MakeAccount("cy@example.org", "Cy");
  Result<std::optional<AccountCredentials>> c =
      store_->accounts().FindCredentials("cy@example.org");
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(c->has_value());
  EXPECT_EQ((*c)->password_hash, "hash:cy@example.org");
  EXPECT_EQ((*c)->account.id, a.id);
  EXPECT_FALSE((*c)->account.is_admin);

  ASSERT_TRUE(
      store_->accounts().SetPasswordHash(a.id, "new-hash", kNow + 1h).ok());
  ASSERT_TRUE(store_->accounts().SetAdmin(a.id, true).ok());
  c = store_->accounts().FindCredentials("cy@example.org");
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_EQ((*c)->password_hash, "new-hash");
  EXPECT_TRUE((*c)->account.is_admin);

  Result<std::optional<AccountCredentials>> none =
      store_->accounts().FindCredentials("nobody@example.org");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_P(StoreTest, UpdateProfile) {
  Account a = MakeAccount("di@example.org", "Di");
  Profile p{"Diana Prince", "Librarian", "City Library", "Leeds"};
  ASSERT_TRUE(store_->accounts().UpdateProfile(a.id, p, kNow + 1h).ok());
  Result<std::optional<Account>> r = store_->accounts().FindById(a.id);
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->name, "Diana Prince");
  EXPECT_EQ((*r)->job_title, "Librarian");
  EXPECT_EQ((*r)->organisation, "City Library");
  EXPECT_EQ((*r)->location, "Leeds");
  EXPECT_EQ((*r)->created_at, kNow);

  Status missing = store_->accounts().UpdateProfile(AccountId{4242}, p, kNow);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(missing.error().code, "account_not_found");
}

TEST_P(StoreTest, ProfileRenameMovesAccountInMemberOrder) {
  // The name key follows the name, so the member list re-sorts after a rename.
  AssociationId assoc = MakeAssociation("pla");
  Group g = MakeGroup(assoc, "g", "G", 0);
  Account x = MakeAccount("x@example.org", "Xavier");
  Account y = MakeAccount("y@example.org", "Yvonne");
  ASSERT_TRUE(
      *store_->groups().AddMember(g.id, x.id, GroupRole::kMember, kNow));
  ASSERT_TRUE(
      *store_->groups().AddMember(g.id, y.id, GroupRole::kMember, kNow));
  ASSERT_TRUE(
      store_->accounts().UpdateProfile(y.id, {"aaron", "", "", ""}, kNow).ok());
  Result<std::vector<MemberListing>> page =
      store_->groups().ListMembers(g.id, {}, 10);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].account.id, y.id);
  EXPECT_EQ((*page)[1].account.id, x.id);
}

TEST_P(StoreTest, Sessions) {
  Account a = MakeAccount("ed@example.org", "Ed");
  Account b = MakeAccount("fay@example.org", "Fay");
  auto make = [&](const std::string& hash, AccountId who, TimePoint expires) {
    return store_->sessions().Create(
        {hash, who, "csrf-" + hash, kNow, expires});
  };
  ASSERT_TRUE(make("t1", a.id, kNow + 24h).ok());
  ASSERT_TRUE(make("t2", a.id, kNow + 24h).ok());
  ASSERT_TRUE(make("t3", a.id, kNow + 24h).ok());
  ASSERT_TRUE(make("old", a.id, kNow - 1s).ok());
  ASSERT_TRUE(make("b1", b.id, kNow + 24h).ok());

  Result<std::optional<SessionRecord>> s = store_->sessions().Find("t1", kNow);
  ASSERT_TRUE(s.ok() && s->has_value());
  EXPECT_EQ((*s)->token_hash, "t1");
  EXPECT_EQ((*s)->account_id, a.id);
  EXPECT_EQ((*s)->csrf_token, "csrf-t1");
  EXPECT_EQ((*s)->created_at, kNow);
  EXPECT_EQ((*s)->expires_at, kNow + 24h);

  // The same read with its account, as every signed-in request does it.
  auto both = store_->sessions().FindWithAccount("b1", kNow);
  ASSERT_TRUE(both.ok() && both->has_value());
  EXPECT_EQ((*both)->first.account_id, b.id);
  EXPECT_EQ((*both)->first.csrf_token, "csrf-b1");
  EXPECT_EQ((*both)->first.expires_at, kNow + 24h);
  EXPECT_EQ((*both)->second.id, b.id);
  EXPECT_EQ((*both)->second.email, "fay@example.org");
  EXPECT_EQ((*both)->second.name, "Fay");
  EXPECT_FALSE(store_->sessions().FindWithAccount("old", kNow)->has_value());
  EXPECT_FALSE(store_->sessions().FindWithAccount("nope", kNow)->has_value());

  auto exists = [&](const std::string& hash, TimePoint at) {
    Result<std::optional<SessionRecord>> r = store_->sessions().Find(hash, at);
    EXPECT_TRUE(r.ok());
    return r.ok() && r->has_value();
  };
  EXPECT_FALSE(exists("old", kNow));
  EXPECT_TRUE(exists("old", kNow - 2s));
  EXPECT_FALSE(exists("t1", kNow + 24h));  // expiry instant is already expired
  EXPECT_FALSE(exists("nope", kNow));

  ASSERT_TRUE(store_->sessions().Delete("t1").ok());
  EXPECT_FALSE(exists("t1", kNow));
  EXPECT_TRUE(exists("t2", kNow));

  ASSERT_TRUE(store_->sessions().DeleteAllForAccount(a.id, "t2").ok());
  EXPECT_TRUE(exists("t2", kNow));
  EXPECT_FALSE(exists("t3", kNow));
  EXPECT_TRUE(exists("b1", kNow));  // other accounts untouched

  ASSERT_TRUE(store_->sessions().DeleteAllForAccount(a.id, "").ok());
  EXPECT_FALSE(exists("t2", kNow));
  EXPECT_TRUE(exists("b1", kNow));

  ASSERT_TRUE(make("late", b.id, kNow + 1h).ok());
  ASSERT_TRUE(store_->sessions().DeleteExpired(kNow + 2h).ok());
  EXPECT_FALSE(exists("late", kNow));
  EXPECT_TRUE(exists("b1", kNow));
}

TEST_P(StoreTest, AssociationUpsertIsIdempotent) {
  Association a{{},
                "pla",
                "Public Library Association",
                "PLA",
                "https://pla.example/join",
                30};
  Result<Association> first = store_->associations().Upsert(a);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->id.valid());
  Result<Association> second = store_->associations().Upsert(a);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->id, first->id);

  a.name = "Public Libraries Association";
  a.grace_days = 14;
  Result<Association> third = store_->associations().Upsert(a);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->id, first->id);

  Result<std::optional<Association>> found =
      store_->associations().FindBySlug("pla");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id, first->id);
  EXPECT_EQ((*found)->name, "Public Libraries Association");
  EXPECT_EQ((*found)->short_name, "PLA");
  EXPECT_EQ((*found)->join_url, "https://pla.example/join");
  EXPECT_EQ((*found)->grace_days, 14);

  Result<std::optional<Association>> by_id =
      store_->associations().FindById(first->id);
  ASSERT_TRUE(by_id.ok() && by_id->has_value());
  EXPECT_EQ((*by_id)->slug, "pla");

  Result<Association> other =
      store_->associations().Upsert({{}, "ala", "Other", "", "", 0});
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->id, first->id);
  Result<std::optional<Association>> none =
      store_->associations().FindBySlug("zzz");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_P(StoreTest, MembershipInsertFindUpdateAttach) {
  AssociationId pla = MakeAssociation("pla");
  AssociationId ala = MakeAssociation("ala");
  Membership m;
  m.association_id = pla;
  m.email = "gus@example.org";
  m.member_type = "Full";
  m.paid_through = Date::FromYmd(2026, 6, 30);
  Result<Membership> ins = store_->memberships().Insert(m, kNow);
  ASSERT_TRUE(ins.ok());
  EXPECT_TRUE(ins->id.valid());

  Result<std::optional<Membership>> found =
      store_->memberships().FindByEmail(pla, "gus@example.org");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id, ins->id);
  EXPECT_EQ((*found)->association_id, pla);
  EXPECT_EQ((*found)->member_type, "Full");
  EXPECT_EQ((*found)->paid_through, Date::FromYmd(2026, 6, 30));
  EXPECT_EQ((*found)->source, MembershipSource::kImport);
  EXPECT_FALSE((*found)->account_id.valid());
  Result<std::optional<Membership>> other_assoc =
      store_->memberships().FindByEmail(ala, "gus@example.org");
  ASSERT_TRUE(other_assoc.ok());
  EXPECT_FALSE(other_assoc->has_value());

  Result<Membership> dup = store_->memberships().Insert(m, kNow);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(dup.error().code, "membership_exists");

  Membership changed = **found;
  changed.member_type = "Retired";
  changed.paid_through = Date::FromYmd(2027, 1, 31);
  changed.source = MembershipSource::kAdmin;
  ASSERT_TRUE(store_->memberships().Update(changed, kNow + 1h).ok());
  found = store_->memberships().FindByEmail(pla, "gus@example.org");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->member_type, "Retired");
  EXPECT_EQ((*found)->paid_through, Date::FromYmd(2027, 1, 31));
  EXPECT_EQ((*found)->source, MembershipSource::kAdmin);

  // A second association's record for the same address, plus one for
  // someone else that must not be attached.
  m.association_id = ala;
  ASSERT_TRUE(store_->memberships().Insert(m, kNow).ok());
  m.email = "hal@example.org";
  ASSERT_TRUE(store_->memberships().Insert(m, kNow).ok());

  Account gus = MakeAccount("gus@example.org", "Gus");
  Result<int> attached =
      store_->memberships().AttachToAccount("gus@example.org", gus.id);
  ASSERT_TRUE(attached.ok());
  EXPECT_EQ(*attached, 2);
  Result<int> again =
      store_->memberships().AttachToAccount("gus@example.org", gus.id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);

  Result<std::optional<Membership>> mine =
      store_->memberships().FindForAccount(pla, gus.id);
  ASSERT_TRUE(mine.ok() && mine->has_value());
  EXPECT_EQ((*mine)->id, ins->id);
  EXPECT_EQ((*mine)->account_id, gus.id);
  Result<std::optional<Membership>> hal =
      store_->memberships().FindByEmail(ala, "hal@example.org");
  ASSERT_TRUE(hal.ok() && hal->has_value());
  EXPECT_FALSE((*hal)->account_id.valid());

  // Update can detach again (invalid id is stored as no account).
  Membership detached = **mine;
  detached.account_id = AccountId{};
  ASSERT_TRUE(store_->memberships().Update(detached, kNow).ok());
  mine = store_->memberships().FindForAccount(pla, gus.id);
  ASSERT_TRUE(mine.ok());
  EXPECT_FALSE(mine->has_value());

  // Insert may carry the account already.
  Account ivy = MakeAccount("ivy@example.org", "Ivy");
  Membership with_account{{},
                          pla,
                          "ivy@example.org",
                          ivy.id,
                          "Student",
                          Date::FromYmd(2026, 9, 1),
                          MembershipSource::kAdmin};
  ASSERT_TRUE(store_->memberships().Insert(with_account, kNow).ok());
  Result<std::optional<Membership>> ivys =
      store_->memberships().FindForAccount(pla, ivy.id);
  ASSERT_TRUE(ivys.ok() && ivys->has_value());
  EXPECT_EQ((*ivys)->member_type, "Student");
}

TEST_P(StoreTest, GroupUpsertAndFind) {
  AssociationId assoc = MakeAssociation("pla");
  Group g = MakeGroup(assoc, "rare-books", "Rare Books", 2);
  ASSERT_TRUE(g.id.valid());
  g.name = "Rare Books & Manuscripts";
  g.join_policy = JoinPolicy::kRequest;
  g.visibility = ContentVisibility::kMembers;
  g.listed = false;
  Result<Group> again = store_->groups().Upsert(g);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, g.id);

  Result<std::optional<Group>> found =
      store_->groups().FindBySlug(assoc, "rare-books");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id, g.id);
  EXPECT_EQ((*found)->association_id, assoc);
  EXPECT_EQ((*found)->name, "Rare Books & Manuscripts");
  EXPECT_EQ((*found)->summary, "About Rare Books");
  EXPECT_EQ((*found)->description, "Long text about Rare Books");
  EXPECT_EQ((*found)->join_policy, JoinPolicy::kRequest);
  EXPECT_EQ((*found)->visibility, ContentVisibility::kMembers);
  EXPECT_FALSE((*found)->listed);
  EXPECT_EQ((*found)->position, 2);

  // Same slug in another association is a different group.
  AssociationId other = MakeAssociation("ala");
  Group g2 = MakeGroup(other, "rare-books", "Other Rare Books", 0);
  EXPECT_NE(g2.id, g.id);
  Result<std::optional<Group>> none =
      store_->groups().FindBySlug(assoc, "nope");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_P(StoreTest, ListWithStatsCountsAndLiaisons) {
  AssociationId assoc = MakeAssociation("pla");
  AssociationId other = MakeAssociation("ala");
  std::vector<Account> p;
  for (int i = 0; i < 6; ++i) {
    p.push_back(MakeAccount("p" + std::to_string(i) + "@example.org",
                            "P" + std::to_string(i)));
  }
  // Position first, then name: "Alpha" and "Beta" share position 1.
  Group beta = MakeGroup(assoc, "beta", "Beta", 1);
  Group gamma = MakeGroup(assoc, "gamma", "Gamma", 0);
  Group alpha = MakeGroup(assoc, "alpha", "Alpha", 1);
  Group empty = MakeGroup(assoc, "empty", "Empty", 5);
  Group foreign = MakeGroup(other, "foreign", "Foreign", 0);

  auto add = [&](const Group& g, const Account& a, GroupRole r) {
    ASSERT_TRUE(*store_->groups().AddMember(g.id, a.id, r, kNow));
  };
  // Alpha: 4 members, liaisons p4 and p2 (added in that order) -> p2.
  add(alpha, p[4], GroupRole::kLiaison);
  add(alpha, p[0], GroupRole::kMember);
  add(alpha, p[2], GroupRole::kLiaison);
  add(alpha, p[1], GroupRole::kModerator);
  // Beta: 2 members, a moderator but no liaison.
  add(beta, p[0], GroupRole::kModerator);
  add(beta, p[5], GroupRole::kMember);
  // Gamma: 1 liaison only.
  add(gamma, p[3], GroupRole::kLiaison);
  add(foreign, p[0], GroupRole::kLiaison);

  Result<std::vector<GroupListing>> list =
      store_->groups().ListWithStats(assoc);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 4u);
  const auto& l = *list;
  EXPECT_EQ(l[0].group.id, gamma.id);
  EXPECT_EQ(l[1].group.id, alpha.id);
  EXPECT_EQ(l[2].group.id, beta.id);
  EXPECT_EQ(l[3].group.id, empty.id);

  EXPECT_EQ(l[0].member_count, 1);
  ASSERT_TRUE(l[0].liaison.has_value());
  EXPECT_EQ(l[0].liaison->id, p[3].id);
  EXPECT_EQ(l[1].member_count, 4);
  ASSERT_TRUE(l[1].liaison.has_value());
  EXPECT_EQ(l[1].liaison->id, p[2].id);
  EXPECT_EQ(l[1].liaison->name, "P2");
  EXPECT_EQ(l[1].liaison->email, "p2@example.org");
  EXPECT_EQ(l[2].member_count, 2);
  EXPECT_FALSE(l[2].liaison.has_value());
  EXPECT_EQ(l[3].member_count, 0);
  EXPECT_FALSE(l[3].liaison.has_value());
  EXPECT_EQ(l[1].group.name, "Alpha");
  EXPECT_EQ(l[1].group.summary, "About Alpha");

  Result<std::optional<GroupListing>> one =
      store_->groups().FindListing(assoc, "alpha");
  ASSERT_TRUE(one.ok() && one->has_value());
  EXPECT_EQ((*one)->group.id, alpha.id);
  EXPECT_EQ((*one)->member_count, 4);
  ASSERT_TRUE((*one)->liaison.has_value());
  EXPECT_EQ((*one)->liaison->id, p[2].id);
  Result<std::optional<GroupListing>> wrong_assoc =
      store_->groups().FindListing(assoc, "foreign");
  ASSERT_TRUE(wrong_assoc.ok());
  EXPECT_FALSE(wrong_assoc->has_value());
}

TEST_P(StoreTest, RolesOfAndRoleOf) {
  AssociationId assoc = MakeAssociation("pla");
  AssociationId other = MakeAssociation("ala");
  Account a = MakeAccount("a@example.org", "A");
  Account b = MakeAccount("b@example.org", "B");
  Group g1 = MakeGroup(assoc, "g1", "G1", 0);
  Group g2 = MakeGroup(assoc, "g2", "G2", 0);
  Group g3 = MakeGroup(assoc, "g3", "G3", 0);
  Group g4 = MakeGroup(other, "g4", "G4", 0);
  ASSERT_TRUE(
      *store_->groups().AddMember(g1.id, a.id, GroupRole::kLiaison, kNow));
  ASSERT_TRUE(
      *store_->groups().AddMember(g3.id, a.id, GroupRole::kModerator, kNow));
  ASSERT_TRUE(
      *store_->groups().AddMember(g4.id, a.id, GroupRole::kMember, kNow));
  ASSERT_TRUE(
      *store_->groups().AddMember(g2.id, b.id, GroupRole::kMember, kNow));

  Result<std::unordered_map<GroupId, GroupRole>> roles =
      store_->groups().RolesOf(assoc, a.id);
  ASSERT_TRUE(roles.ok());
  std::unordered_map<GroupId, GroupRole> want = {
      {g1.id, GroupRole::kLiaison}, {g3.id, GroupRole::kModerator}};
  EXPECT_EQ(*roles, want);

  Result<GroupRole> r = store_->groups().RoleOf(g3.id, a.id);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, GroupRole::kModerator);
  r = store_->groups().RoleOf(g2.id, a.id);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, GroupRole::kNone);
}

TEST_P(StoreTest, AddSetRemoveMember) {
  AssociationId assoc = MakeAssociation("pla");
  Group g = MakeGroup(assoc, "g", "G", 0);
  Account a = MakeAccount("a@example.org", "A");
  Account b = MakeAccount("b@example.org", "B");

  Result<bool> first =
      store_->groups().AddMember(g.id, a.id, GroupRole::kMember, kNow);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(*first);
  Result<bool> second =
      store_->groups().AddMember(g.id, a.id, GroupRole::kLiaison, kNow + 1h);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(*second);
  EXPECT_EQ(*store_->groups().RoleOf(g.id, a.id),
            GroupRole::kMember);  // unchanged

  ASSERT_TRUE(store_->groups()
                  .SetRole(g.id, a.id, GroupRole::kModerator, kNow + 2h)
                  .ok());
  EXPECT_EQ(*store_->groups().RoleOf(g.id, a.id), GroupRole::kModerator);
  ASSERT_TRUE(store_->groups()
                  .SetRole(g.id, b.id, GroupRole::kLiaison, kNow + 3h)
                  .ok());
  EXPECT_EQ(*store_->groups().RoleOf(g.id, b.id), GroupRole::kLiaison);

  Result<std::vector<MemberListing>> members =
      store_->groups().ListMembers(g.id, {}, 10);
  ASSERT_TRUE(members.ok());
  ASSERT_EQ(members->size(), 2u);
  EXPECT_EQ((*members)[0].account.id, a.id);
  EXPECT_EQ((*members)[0].role, GroupRole::kModerator);
  EXPECT_EQ((*members)[0].joined_at, kNow);  // SetRole keeps the join time
  EXPECT_EQ((*members)[1].account.id, b.id);
  EXPECT_EQ((*members)[1].role, GroupRole::kLiaison);
  EXPECT_EQ((*members)[1].joined_at, kNow + 3h);

  Result<bool> removed = store_->groups().RemoveMember(g.id, a.id);
  ASSERT_TRUE(removed.ok());
  EXPECT_TRUE(*removed);
  removed = store_->groups().RemoveMember(g.id, a.id);
  ASSERT_TRUE(removed.ok());
  EXPECT_FALSE(*removed);
  EXPECT_EQ(*store_->groups().RoleOf(g.id, a.id), GroupRole::kNone);
  EXPECT_EQ(*store_->groups().RoleOf(g.id, b.id), GroupRole::kLiaison);
}

TEST_P(StoreTest, ListMembersKeysetPagination) {
  AssociationId assoc = MakeAssociation("pla");
  Group g = MakeGroup(assoc, "g", "G", 0);
  Group other = MakeGroup(assoc, "other", "Other", 0);
  // Mixed case so ordering must use the lower-cased key, and repeated names
  // so the id tie-break matters across page boundaries.
  struct Want {
    std::string key;
    AccountId id;
  };
  std::vector<Want> want;
  for (int i = 0; i < 25; ++i) {
    // Three keys, eight or nine accounts each: pages end inside a run of
    // equal keys, where only the id keeps the cursor exact.
    std::string name =
        std::string(
            1, static_cast<char>(((i / 3) % 2 ? 'A' : 'a') + (2 - i % 3))) +
        " Member";
    Account a = MakeAccount("m" + std::to_string(i) + "@example.org", name);
    GroupRole role = i == 3   ? GroupRole::kLiaison
                     : i == 8 ? GroupRole::kModerator
                              : GroupRole::kMember;
    ASSERT_TRUE(*store_->groups().AddMember(g.id, a.id, role, kNow));
    std::string key = name;
    std::transform(key.begin(), key.end(), key.begin(), ::tolower);
    want.push_back({key, a.id});
  }
  Account outsider = MakeAccount("out@example.org", "aaaa outsider");
  ASSERT_TRUE(*store_->groups().AddMember(other.id, outsider.id,
                                          GroupRole::kMember, kNow));
  std::sort(want.begin(), want.end(), [](const Want& x, const Want& y) {
    return std::tie(x.key, x.id) < std::tie(y.key, y.id);
  });

  std::vector<MemberListing> got;
  std::vector<size_t> page_sizes;
  std::optional<MemberCursor> cursor;
  for (int guard = 0; guard < 10; ++guard) {
    Result<std::vector<MemberListing>> page =
        store_->groups().ListMembers(g.id, cursor, 10);
    ASSERT_TRUE(page.ok());
    page_sizes.push_back(page->size());
    if (page->empty()) break;
    got.insert(got.end(), page->begin(), page->end());
    const Account& last = page->back().account;
    std::string key = last.name;
    std::transform(key.begin(), key.end(), key.begin(), ::tolower);
    cursor = MemberCursor{key, last.id};
  }
  EXPECT_EQ(page_sizes, (std::vector<size_t>{10, 10, 5, 0}));
  ASSERT_EQ(got.size(), want.size());
  std::set<int64_t> seen;
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].account.id, want[i].id) << "position " << i;
    seen.insert(got[i].account.id.value);
    const std::string& email = got[i].account.email;
    GroupRole want_role = email == "m3@example.org"   ? GroupRole::kLiaison
                          : email == "m8@example.org" ? GroupRole::kModerator
                                                      : GroupRole::kMember;
    EXPECT_EQ(got[i].role, want_role) << email;
  }
  EXPECT_EQ(seen.size(), 25u);
  EXPECT_EQ(seen.count(outsider.id.value), 0u);

  Result<std::vector<MemberListing>> none =
      store_->groups().ListMembers(g.id, {}, 0);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_P(StoreTest, InTransactionRollsBackOnError) {
  Status s = store_->InTransaction([&]() -> Status {
    RT_RETURN_IF_ERROR(
        store_->accounts().Create({"tx@example.org", "Tx", "h"}, kNow));
    return MakeError(ErrorKind::kRuleBroken, "nope", "Changed my mind.");
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "nope");
  Result<std::optional<Account>> r =
      store_->accounts().FindByEmail("tx@example.org");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
}

TEST_P(StoreTest, InTransactionRollsBackOnException) {
  Status s = store_->InTransaction([&]() -> Status {
    RT_RETURN_IF_ERROR(
        store_->accounts().Create({"ex@example.org", "Ex", "h"}, kNow));
    throw std::runtime_error("boom");
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, ErrorKind::kInternal);
  Result<std::optional<Account>> r =
      store_->accounts().FindByEmail("ex@example.org");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  // The connection is usable afterwards, outside any transaction.
  MakeAccount("after@example.org", "After");
  std::unique_ptr<Store> other = OpenMigrated();
  EXPECT_TRUE(
      (*other->accounts().FindByEmail("after@example.org")).has_value());
}

TEST_P(StoreTest, InTransactionCommitsOnOk) {
  Status s = store_->InTransaction([&]() -> Status {
    RT_RETURN_IF_ERROR(
        store_->accounts().Create({"c1@example.org", "C1", "h"}, kNow));
    RT_RETURN_IF_ERROR(
        store_->accounts().Create({"c2@example.org", "C2", "h"}, kNow));
    return OkStatus();
  });
  ASSERT_TRUE(s.ok());
  std::unique_ptr<Store> other = OpenMigrated();
  ASSERT_NE(other, nullptr);
  EXPECT_TRUE((*other->accounts().FindByEmail("c1@example.org")).has_value());
  EXPECT_TRUE((*other->accounts().FindByEmail("c2@example.org")).has_value());
}

TEST_P(StoreTest, NestedTransactionJoinsOuter) {
  std::unique_ptr<Store> other = OpenMigrated();
  ASSERT_NE(other, nullptr);
  Status s = store_->InTransaction([&]() -> Status {
    RT_RETURN_IF_ERROR(
        store_->accounts().Create({"outer@example.org", "O", "h"}, kNow));
    RT_RETURN_IF_ERROR(store_->InTransaction([&]() -> Status {
      return store_->accounts()
                     .Create({"inner@example.org", "I", "h"}, kNow)
                     .ok()
                 ? OkStatus()
                 : MakeError(ErrorKind::kInternal, "x", "x");
    }));
    // Nothing is visible elsewhere until the outermost call commits.
    EXPECT_FALSE(
        (*other->accounts().FindByEmail("inner@example.org")).has_value());
    // A failing nested call undoes only its own writes.
    Status inner = store_->InTransaction([&]() -> Status {
      (void)store_->accounts().Create({"undone@example.org", "U", "h"}, kNow);
      return MakeError(ErrorKind::kRuleBroken, "inner_failed", "No.");
    });
    EXPECT_FALSE(inner.ok());
    return OkStatus();
  });
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(
      (*other->accounts().FindByEmail("outer@example.org")).has_value());
  EXPECT_TRUE(
      (*other->accounts().FindByEmail("inner@example.org")).has_value());
  EXPECT_FALSE(
      (*other->accounts().FindByEmail("undone@example.org")).has_value());
}

TEST_P(StoreTest, SecondStoreSeesCommittedWrite) {
  std::unique_ptr<Store> other = OpenMigrated();
  ASSERT_NE(other, nullptr);
  // Read first so the second connection has warm cached statements and must
  // still see the later write rather than an old snapshot.
  EXPECT_FALSE(
      (*other->accounts().FindByEmail("seen@example.org")).has_value());
  Account a = MakeAccount("seen@example.org", "Seen");
  Result<std::optional<Account>> r =
      other->accounts().FindByEmail("seen@example.org");
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->id, a.id);
  ASSERT_TRUE(other->accounts().SetAdmin(a.id, true).ok());
  Result<std::optional<Account>> back = store_->accounts().FindById(a.id);
  ASSERT_TRUE(back.ok() && back->has_value());
  EXPECT_TRUE((*back)->is_admin);
}

TEST_P(StoreTest, ConcurrentWritersLoseNothing) {
  constexpr int kPerThread = 200;
  std::atomic<int> failures{0};
  auto writer = [&](int t) {
    std::unique_ptr<Store> s = OpenMigrated();
    if (!s) {
      failures += kPerThread;
      return;
    }
    for (int i = 0; i < kPerThread; ++i) {
      Status st = s->InTransaction([&]() -> Status {
        std::string email =
            "w" + std::to_string(t) + "-" + std::to_string(i) + "@example.org";
        RT_RETURN_IF_ERROR(s->accounts().Create({email, "W", "h"}, kNow));
        return s->audit().Record(AccountId{}, "test.write", email, kNow);
      });
      if (!st.ok()) ++failures;
    }
  };
  std::thread t1(writer, 1), t2(writer, 2);
  t1.join();
  t2.join();
  EXPECT_EQ(failures.load(), 0);
  for (int t = 1; t <= 2; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      std::string email =
          "w" + std::to_string(t) + "-" + std::to_string(i) + "@example.org";
      Result<std::optional<Account>> r = store_->accounts().FindByEmail(email);
      ASSERT_TRUE(r.ok());
      ASSERT_TRUE(r->has_value()) << email;
    }
  }
}

TEST_P(StoreTest, AcknowledgedWriteSurvivesProcessDeath) {
  // The child acknowledges a write and dies without running any destructor,
  // as a crash would; the write must be there on reopen.
  // SQLite connections must not cross a fork, so the parent holds none.
  store_.reset();
  std::string url = db_->url();
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    Result<std::unique_ptr<Store>> s = OpenStore(url);
    if (!s.ok()) _exit(2);
    Result<Account> a =
        (*s)->accounts().Create({"durable@example.org", "D", "h"}, kNow);
    _exit(a.ok() ? 0 : 3);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);

  std::unique_ptr<Store> reopened = OpenMigrated();
  ASSERT_NE(reopened, nullptr);
  Result<std::optional<Account>> r =
      reopened->accounts().FindByEmail("durable@example.org");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->has_value());
}

TEST_P(StoreTest, StorePoolGivesEachThreadItsOwnStore) {
  StorePool pool(db_->url());
  Result<Store*> mine = pool.ForThisThread();
  ASSERT_TRUE(mine.ok());
  Result<Store*> again = pool.ForThisThread();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*mine, *again);

  Store* theirs = nullptr;
  std::thread t([&] {
    Result<Store*> r = pool.ForThisThread();
    if (!r.ok()) return;
    theirs = *r;
    (void)theirs->accounts().Create({"pool@example.org", "Pool", "h"}, kNow);
  });
  t.join();
  ASSERT_NE(theirs, nullptr);
  EXPECT_NE(theirs, *mine);
  EXPECT_TRUE(
      (*(*mine)->accounts().FindByEmail("pool@example.org")).has_value());

  // A second pool never hands out the first pool's stores.
  StorePool pool2(db_->url());
  Result<Store*> second = pool2.ForThisThread();
  ASSERT_TRUE(second.ok());
  EXPECT_NE(*second, *mine);
}

TEST(OpenStoreTest, RejectsUnknownScheme) {
  Result<std::unique_ptr<Store>> s = OpenStore("mysql://localhost/rt");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(s.error().code, "unsupported_database");
}

INSTANTIATE_TEST_SUITE_P(
    Engines, StoreTest,
    ::testing::Values(Backend{
        "sqlite", [] { return std::make_unique<SqliteTestDatabase>(); }}),
    BackendName);

}  // namespace
}  // namespace rt::store::testing

namespace rt::store::testing {
namespace {

TEST_P(StoreTest, PausedMailKeepsTheFirstReasonUntilResumed) {
  Account a = MakeAccount("bounce@example.org", "Bo");
  EXPECT_FALSE((*store_->accounts().FindById(a.id))->mail_paused());
  ASSERT_TRUE(store_->accounts().PauseMail(a.id, "550 No such user", kNow).ok());
  ASSERT_TRUE(store_->accounts()
                  .PauseMail(a.id, "552 Mailbox full", kNow + std::chrono::hours(1))
                  .ok());
  for (const std::optional<Account>& found :
       {*store_->accounts().FindById(a.id), *store_->accounts().FindByEmail(a.email)}) {
    ASSERT_TRUE(found.has_value());
    ASSERT_TRUE(found->mail_paused());
    EXPECT_EQ(ToUnix(*found->mail_paused_at), ToUnix(kNow));
    EXPECT_EQ(found->mail_pause_reason, "550 No such user");
  }
  ASSERT_TRUE(store_->accounts().ResumeMail(a.id).ok());
  auto resumed = *store_->accounts().FindById(a.id);
  EXPECT_FALSE(resumed->mail_paused());
  EXPECT_EQ(resumed->mail_pause_reason, "");
  EXPECT_EQ(store_->accounts().PauseMail(AccountId{999999}, "x", kNow).error().code,
            "account_not_found");
  EXPECT_EQ(store_->accounts().ResumeMail(AccountId{999999}).error().code, "account_not_found");
}

TEST_P(StoreTest, CountsDemoAndRealAccountsApart) {
  NewAccount demo{"demo@example.org", "Demo", "h", false, true};
  NewAccount real{"real@example.org", "Real", "h", false, false};
  ASSERT_TRUE(store_->accounts().Create(demo, kNow).ok());
  EXPECT_EQ(*store_->accounts().CountAccounts(true), 1);
  EXPECT_EQ(*store_->accounts().CountAccounts(false), 0);
  ASSERT_TRUE(store_->accounts().Create(real, kNow).ok());
  EXPECT_EQ(*store_->accounts().CountAccounts(false), 1);
}

}  // namespace
}  // namespace rt::store::testing

namespace rt::store::testing {
namespace {

TEST_P(StoreTest, MemberCountsFollowEveryWayOfJoiningAndLeaving) {
  AssociationId assoc = MakeAssociation("count");
  Group g = MakeGroup(assoc, "counted", "Counted", 1);
  Account a = MakeAccount("a@example.org", "A");
  Account b = MakeAccount("b@example.org", "B");
  Account c = MakeAccount("c@example.org", "C");
  auto count = [&] { return (*store_->groups().FindListing(assoc, "counted"))->member_count; };
  ASSERT_TRUE(store_->groups().AddMember(g.id, a.id, GroupRole::kMember, kNow).ok());
  ASSERT_TRUE(store_->groups().AddMember(g.id, a.id, GroupRole::kMember, kNow).ok());  // again
  ASSERT_TRUE(store_->groups().AddMember(g.id, b.id, GroupRole::kMember, kNow).ok());
  EXPECT_EQ(count(), 2);
  ASSERT_TRUE(store_->groups().SetRole(g.id, b.id, GroupRole::kModerator, kNow).ok());  // existing
  ASSERT_TRUE(store_->groups().SetRole(g.id, c.id, GroupRole::kLiaison, kNow).ok());    // new
  EXPECT_EQ(count(), 3);
  ASSERT_TRUE(store_->groups().RemoveMember(g.id, a.id).ok());
  ASSERT_TRUE(store_->groups().RemoveMember(g.id, a.id).ok());  // not a member any more
  EXPECT_EQ(count(), 2);
  auto listed = store_->groups().ListWithStats(assoc);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].member_count, 2);
}

}  // namespace
}  // namespace rt::store::testing
