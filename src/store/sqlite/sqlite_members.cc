#include <stdexcept>

#include "store/sqlite/content_cache.h"
#include "store/sqlite/sqlite_cache.h"
#include "store/sqlite/sqlite_store.h"

#define RT_ASSOCIATION_COLUMNS "id, slug, name, short_name, join_url, grace_days"
#define RT_MEMBERSHIP_COLUMNS \
  "id, association_id, email, account_id, member_type, paid_through, source"

namespace rt::store::sqlite {

namespace {

std::optional<Association> FirstAssociation(Stmt& s) {
  if (!s->executeStep()) return std::nullopt;
  return Association{AssociationId{s->getColumn(0).getInt64()},
                     s->getColumn(1).getString(),
                     s->getColumn(2).getString(),
                     s->getColumn(3).getString(),
                     s->getColumn(4).getString(),
                     s->getColumn(5).getInt()};
}

Membership ReadMembership(const SQLite::Statement& s) {
  Membership m;
  m.id = MembershipId{s.getColumn(0).getInt64()};
  m.association_id = AssociationId{s.getColumn(1).getInt64()};
  m.email = s.getColumn(2).getString();
  m.account_id = AccountId{s.getColumn(3).getInt64()};  // NULL reads as 0
  m.member_type = s.getColumn(4).getString();
  // The schema only ever receives Iso() and the enum's ToString, so a parse
  // failure means the row was written by something else: report it.
  std::optional<Date> paid = Date::ParseIso(s.getColumn(5).getString());
  std::optional<MembershipSource> source = ParseMembershipSource(s.getColumn(6).getString());
  if (!paid || !source) throw std::runtime_error("corrupt membership row");
  m.paid_through = *paid;
  m.source = *source;
  return m;
}

std::optional<Membership> FirstMembership(Stmt& s) {
  if (!s->executeStep()) return std::nullopt;
  return ReadMembership(*s);
}

// Binds an account id, or NULL for an invalid one.
void BindAccount(Stmt& s, int index, AccountId id) {
  if (id.valid()) {
    s->bind(index, id.value);
  } else {
    s->bind(index);
  }
}

}  // namespace

Result<Association> SqliteAssociations::Upsert(const Association& a) {
  return Guard([&]() -> Result<Association> {
    Stmt s = c_.Prepare(
        "INSERT INTO associations (slug, name, short_name, join_url, "
        "grace_days) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (slug) DO UPDATE SET name = "
        "excluded.name, "
        "short_name = excluded.short_name, join_url = excluded.join_url, "
        "grace_days = excluded.grace_days RETURNING id");
    s->bind(1, a.slug);
    s->bind(2, a.name);
    s->bind(3, a.short_name);
    s->bind(4, a.join_url);
    s->bind(5, a.grace_days);
    s->executeStep();
    Association out = a;
    out.id = AssociationId{s->getColumn(0).getInt64()};
    return out;
  });
}

Result<std::optional<Association>> SqliteAssociations::FindBySlug(const std::string& slug) {
  return Guard([&]() -> Result<std::optional<Association>> {
    // Every request reads the association, so it comes from this thread's
    // copy while the groups version stands (sqlite_cache.h).
    GroupsCache* cache = GroupsCacheFor(c_);
    if (cache != nullptr) {
      auto it = cache->associations.find(slug);
      if (it != cache->associations.end()) return it->second;
    }
    Stmt s = c_.Prepare("SELECT " RT_ASSOCIATION_COLUMNS " FROM associations WHERE slug = ?");
    s->bind(1, slug);
    std::optional<Association> found = FirstAssociation(s);
    if (cache != nullptr && MayFill(c_)) cache->associations.emplace(slug, found);
    return found;
  });
}

Result<std::optional<Association>> SqliteAssociations::FindById(AssociationId id) {
  return Guard([&]() -> Result<std::optional<Association>> {
    Stmt s = c_.Prepare("SELECT " RT_ASSOCIATION_COLUMNS " FROM associations WHERE id = ?");
    s->bind(1, id.value);
    return FirstAssociation(s);
  });
}

Result<std::optional<Membership>> SqliteMemberships::FindByEmail(AssociationId assoc,
                                                                 const std::string& email) {
  return Guard([&]() -> Result<std::optional<Membership>> {
    Stmt s = c_.Prepare("SELECT " RT_MEMBERSHIP_COLUMNS
                        " FROM memberships WHERE association_id = ? AND email = ?");
    s->bind(1, assoc.value);
    s->bind(2, email);
    return FirstMembership(s);
  });
}

namespace {

// A member's standing is read on every request in a group: the process
// keeps each account's membership row (or its absence) under the
// "memberships" version (migration 023), as content_cache.h keeps thread
// contents.
VersionedCache<std::optional<Membership>>& MembershipCache() {
  static auto* cache = new VersionedCache<std::optional<Membership>>(256 << 10);
  return *cache;
}

}  // namespace

Result<std::optional<Membership>> SqliteMemberships::FindForAccount(AssociationId assoc,
                                                                    AccountId account) {
  return Guard([&]() -> Result<std::optional<Membership>> {
    const ContentVersion version{VersionsFor(c_).memberships, 0, 0};
    std::string key;
    if (version.valid()) {
      key = DatabaseFile(c_);
      key.push_back('\0');
      key += std::to_string(assoc.value);
      key.push_back(':');
      key += std::to_string(account.value);
      if (auto hit = MembershipCache().Find(key, version)) return *hit;
    }
    // Several rows can reach one account (an address changed after import);
    // the one paid furthest ahead is the one that counts.
    Stmt s = c_.Prepare("SELECT " RT_MEMBERSHIP_COLUMNS
                        " FROM memberships WHERE association_id = ? AND account_id = ? "
                        "ORDER BY paid_through DESC, id LIMIT 1");
    s->bind(1, assoc.value);
    s->bind(2, account.value);
    std::optional<Membership> found = FirstMembership(s);
    if (version.valid() && MayFill(c_)) {
      size_t bytes = sizeof(found) + (found ? found->email.size() + found->member_type.size() : 0);
      MembershipCache().Keep(key, version, std::make_shared<const std::optional<Membership>>(found),
                             bytes);
    }
    return found;
  });
}

Result<Membership> SqliteMemberships::Insert(const Membership& m, TimePoint now) {
  return Guard(
      [&]() -> Result<Membership> {
        Stmt s = c_.Prepare(
            "INSERT INTO memberships (association_id, email, account_id, "
            "member_type, "
            "paid_through, source, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        s->bind(1, m.association_id.value);
        s->bind(2, m.email);
        BindAccount(s, 3, m.account_id);
        s->bind(4, m.member_type);
        s->bind(5, m.paid_through.Iso());
        s->bind(6, std::string(ToString(m.source)));
        s->bind(7, ToUnix(now));
        s->bind(8, ToUnix(now));
        s->exec();
        Membership out = m;
        out.id = MembershipId{c_.db().getLastInsertRowid()};
        return out;
      },
      "membership_exists", "A membership is already recorded for this email address.");
}

Status SqliteMemberships::Update(const Membership& m, TimePoint now) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare(
        "UPDATE memberships SET member_type = ?, paid_through = ?, source = ?, "
        "account_id = ?, updated_at = ? WHERE id = ?");
    s->bind(1, m.member_type);
    s->bind(2, m.paid_through.Iso());
    s->bind(3, std::string(ToString(m.source)));
    BindAccount(s, 4, m.account_id);
    s->bind(5, ToUnix(now));
    s->bind(6, m.id.value);
    s->exec();
    return OkStatus();
  });
}

Result<int> SqliteMemberships::AttachToAccount(const std::string& email, AccountId account) {
  return Guard([&]() -> Result<int> {
    Stmt s = c_.Prepare(
        "UPDATE memberships SET account_id = ? WHERE email = ? AND account_id "
        "IS NULL");
    s->bind(1, account.value);
    s->bind(2, email);
    return s->exec();
  });
}

Status SqliteAudit::Record(AccountId actor, const std::string& action, const std::string& detail,
                           TimePoint now) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare(
        "INSERT INTO audit_log (at, actor_account_id, action, detail) VALUES "
        "(?, ?, ?, ?)");
    s->bind(1, ToUnix(now));
    BindAccount(s, 2, actor);
    s->bind(3, action);
    s->bind(4, detail);
    s->exec();
    return OkStatus();
  });
}

}  // namespace rt::store::sqlite
