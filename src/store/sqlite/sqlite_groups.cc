#include <algorithm>
#include <stdexcept>
#include <string>
#include <unordered_set>

#include "core/text.h"
#include "store/sqlite/sqlite_cache.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_util.h"

// Groups with member count and first liaison, one row per group. The
// correlated subqueries run per group over the group_members primary key,
// so the whole page costs one statement however many groups there are.
#define RT_LISTING_SELECT                                            \
  "SELECT " RT_GROUP_COLUMNS ", g.member_count, " RT_ACCOUNT_COLUMNS \
  " FROM interest_groups g LEFT JOIN accounts a ON a.id = ("         \
  "SELECT MIN(l.account_id) FROM group_members l "                   \
  "WHERE l.group_id = g.id AND l.role = 'liaison') "

namespace rt::store::sqlite {

namespace {

// The most name keys FindMembersByNameKeys looks up (store.h).
constexpr int kMaxNameKeys = 50;

// "... IN (?2, ..., ?51)": one statement for any number of keys, the unused
// slots bound to NULL (which matches nothing), so it is prepared once and
// stays cached. Built once; the cache is keyed by the text's address, so it
// must live as long as the process.
const char* MembersByNameKeysSql() {
  static const std::string sql = [] {
    std::string s = "SELECT " RT_ACCOUNT_COLUMNS
                    " FROM group_members m JOIN accounts a ON a.id = "
                    "m.account_id WHERE m.group_id = ?1 AND a.name_key IN (";
    for (int i = 0; i < kMaxNameKeys; ++i) {
      if (i > 0) s += ", ";
      s += "?" + std::to_string(i + 2);
    }
    s += ") ORDER BY a.name_key, a.id";
    return s;
  }();
  return sql.c_str();
}

template <typename T>
T Checked(std::optional<T> v) {
  // CHECK constraints keep enum columns valid; anything else is corruption.
  if (!v) throw std::runtime_error("corrupt enum column");
  return *v;
}

GroupRole ReadRole(const SQLite::Statement& s, int i) {
  return Checked(ParseGroupRole(s.getColumn(i).getString()));
}

GroupListing ReadListing(const SQLite::Statement& s) {
  GroupListing l;
  l.group = ReadGroup(s);
  l.member_count = s.getColumn(kGroupColumnCount).getInt64();
  if (!s.isColumnNull(kGroupColumnCount + 1)) {
    l.liaison = ReadAccount(s, kGroupColumnCount + 1);
  }
  return l;
}

}  // namespace

Group ReadGroup(const SQLite::Statement& s, int first) {
  Group g;
  g.id = GroupId{s.getColumn(first).getInt64()};
  g.association_id = AssociationId{s.getColumn(first + 1).getInt64()};
  g.slug = s.getColumn(first + 2).getString();
  g.name = s.getColumn(first + 3).getString();
  g.summary = s.getColumn(first + 4).getString();
  g.description = s.getColumn(first + 5).getString();
  g.join_policy = Checked(ParseJoinPolicy(s.getColumn(first + 6).getString()));
  g.visibility = Checked(ParseContentVisibility(s.getColumn(first + 7).getString()));
  g.listed = s.getColumn(first + 8).getInt() != 0;
  g.position = s.getColumn(first + 9).getInt();
  g.default_delivery = Checked(ParseDelivery(s.getColumn(first + 10).getString()));
  return g;
}

Result<Group> SqliteGroups::Upsert(const Group& g) {
  return Guard([&]() -> Result<Group> {
    Stmt s = c_.Prepare(
        "INSERT INTO interest_groups (association_id, slug, name, summary, "
        "description, "
        "join_policy, visibility, listed, position, default_delivery) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (association_id, slug) DO UPDATE SET name = "
        "excluded.name, "
        "summary = excluded.summary, description = excluded.description, "
        "join_policy = excluded.join_policy, visibility = excluded.visibility, "
        "listed = excluded.listed, position = excluded.position, "
        "default_delivery = excluded.default_delivery RETURNING id");
    s->bind(1, g.association_id.value);
    s->bind(2, g.slug);
    s->bind(3, g.name);
    s->bind(4, g.summary);
    s->bind(5, g.description);
    s->bind(6, std::string(ToString(g.join_policy)));
    s->bind(7, std::string(ToString(g.visibility)));
    s->bind(8, g.listed ? 1 : 0);
    s->bind(9, g.position);
    s->bind(10, std::string(ToString(g.default_delivery)));
    s->executeStep();
    Group out = g;
    out.id = GroupId{s->getColumn(0).getInt64()};
    return out;
  });
}

Result<std::optional<Group>> SqliteGroups::FindBySlug(AssociationId assoc,
                                                      const std::string& slug) {
  return Guard([&]() -> Result<std::optional<Group>> {
    Stmt s = c_.Prepare("SELECT " RT_GROUP_COLUMNS
                        " FROM interest_groups g WHERE g.association_id = ? AND g.slug = ?");
    s->bind(1, assoc.value);
    s->bind(2, slug);
    if (!s->executeStep()) return std::optional<Group>();
    return std::optional<Group>(ReadGroup(*s));
  });
}

Result<std::optional<Group>> SqliteGroups::FindById(GroupId id) {
  return Guard([&]() -> Result<std::optional<Group>> {
    Stmt s = c_.Prepare("SELECT " RT_GROUP_COLUMNS " FROM interest_groups g WHERE g.id = ?");
    s->bind(1, id.value);
    if (!s->executeStep()) return std::optional<Group>();
    return std::optional<Group>(ReadGroup(*s));
  });
}

Result<int64_t> SqliteGroups::ListingsVersion() {
  return Guard([&]() -> Result<int64_t> { return ReadGroupsVersion(c_).value_or(0); });
}

Result<std::vector<GroupListing>> SqliteGroups::ListWithStats(AssociationId assoc) {
  return Guard([&]() -> Result<std::vector<GroupListing>> {
    // Every view of the groups page reads every group (~20k instructions a
    // group), and the rows change only when groups, memberships or
    // liaisons do: read them from this thread's copy while the groups
    // version stands (sqlite_cache.h).
    GroupsCache* cache = GroupsCacheFor(c_);
    if (cache != nullptr) {
      auto it = cache->lists.find(assoc.value);
      if (it != cache->lists.end()) return it->second;
    }
    Stmt s = c_.Prepare(RT_LISTING_SELECT
                        "WHERE g.association_id = ? ORDER BY g.position, g.name, g.id");
    s->bind(1, assoc.value);
    std::vector<GroupListing> out;
    while (s->executeStep()) out.push_back(ReadListing(*s));
    if (cache != nullptr && MayFill(c_)) cache->lists.emplace(assoc.value, out);
    return out;
  });
}

Result<std::optional<GroupListing>> SqliteGroups::FindListing(AssociationId assoc,
                                                              const std::string& slug) {
  return Guard([&]() -> Result<std::optional<GroupListing>> {
    // Every request in a group reads its listing: from this thread's copy
    // while the groups version stands, as in ListWithStats.
    GroupsCache* cache = GroupsCacheFor(c_);
    std::pair<int64_t, std::string> key(assoc.value, slug);
    if (cache != nullptr) {
      auto it = cache->listings.find(key);
      if (it != cache->listings.end()) return std::optional<GroupListing>(it->second);
    }
    Stmt s = c_.Prepare(RT_LISTING_SELECT "WHERE g.association_id = ? AND g.slug = ?");
    s->bind(1, assoc.value);
    s->bind(2, slug);
    std::optional<GroupListing> found;
    if (s->executeStep()) found = ReadListing(*s);
    // Only groups that exist are filed: slugs come from URLs, and a copy of
    // every slug anyone tried would grow without bound.
    if (found && cache != nullptr && MayFill(c_)) {
      cache->listings.emplace(std::move(key), *found);
    }
    return found;
  });
}

Result<GroupRole> SqliteGroups::RoleOf(GroupId group, AccountId account) {
  return Guard([&]() -> Result<GroupRole> {
    // Every request in a group asks: group_members is under the groups
    // version, so this thread's copy answers while it stands.
    GroupsCache* cache = GroupsCacheFor(c_);
    const std::pair<int64_t, int64_t> key(group.value, account.value);
    if (cache != nullptr) {
      auto it = cache->roles.find(key);
      if (it != cache->roles.end()) return it->second;
    }
    Stmt s = c_.Prepare("SELECT role FROM group_members WHERE group_id = ? AND account_id = ?");
    s->bind(1, group.value);
    s->bind(2, account.value);
    GroupRole role = s->executeStep() ? ReadRole(*s, 0) : GroupRole::kNone;
    if (cache != nullptr && MayFill(c_)) {
      if (cache->roles.size() >= GroupsCache::kMaxRoles) cache->roles.clear();
      cache->roles.emplace(key, role);
    }
    return role;
  });
}

Result<std::unordered_map<GroupId, GroupRole>> SqliteGroups::RolesOf(AssociationId assoc,
                                                                     AccountId account) {
  return Guard([&]() -> Result<std::unordered_map<GroupId, GroupRole>> {
    Stmt s = c_.Prepare(
        "SELECT m.group_id, m.role FROM group_members m "
        "JOIN interest_groups g ON g.id = m.group_id "
        "WHERE m.account_id = ? AND g.association_id = ?");
    s->bind(1, account.value);
    s->bind(2, assoc.value);
    std::unordered_map<GroupId, GroupRole> out;
    while (s->executeStep()) out[GroupId{s->getColumn(0).getInt64()}] = ReadRole(*s, 1);
    return out;
  });
}

Result<bool> SqliteGroups::AddMember(GroupId group, AccountId account, GroupRole role,
                                     TimePoint now) {
  return Guard([&]() -> Result<bool> {
    // A new member hears from the group as the association chose for it.
    // (SQLite needs the SELECT's WHERE to parse the ON CONFLICT after it.)
    Stmt s = c_.Prepare(
        "INSERT INTO group_members (group_id, account_id, role, joined_at, "
        "delivery) SELECT g.id, ?2, ?3, ?4, g.default_delivery "
        "FROM interest_groups g WHERE g.id = ?1"
        "ON CONFLICT (group_id, account_id) DO NOTHING");
    s->bind(1, group.value);
    s->bind(2, account.value);
    s->bind(3, std::string(ToString(role)));
    s->bind(4, ToUnix(now));
    return s->exec() == 1;
  });
}

Status SqliteGroups::SetDefaultDelivery(GroupId group, Delivery delivery) {
  return Guard([&]() -> Status {
    // interest_groups_version_update (migration 005) bumps the listings'
    // version in the same statement's transaction.
    Stmt s = c_.Prepare("UPDATE interest_groups SET default_delivery = ? WHERE id = ?");
    s->bind(1, std::string(ToString(delivery)));
    s->bind(2, group.value);
    if (s->exec() == 0) {
      return MakeError(ErrorKind::kNotFound, "group_not_found", "We could not find that group.");
    }
    return OkStatus();
  });
}

Status SqliteGroups::SetRole(GroupId group, AccountId account, GroupRole role, TimePoint now) {
  return Guard([&]() -> Status {
    // Delivery as in AddMember; a role change keeps the member's own.
    Stmt s = c_.Prepare(
        "INSERT INTO group_members (group_id, account_id, role, joined_at, "
        "delivery) SELECT g.id, ?2, ?3, ?4, g.default_delivery "
        "FROM interest_groups g WHERE g.id = ?1"
        "ON CONFLICT (group_id, account_id) DO UPDATE SET role = excluded.role");
    s->bind(1, group.value);
    s->bind(2, account.value);
    s->bind(3, std::string(ToString(role)));
    s->bind(4, ToUnix(now));
    s->exec();
    return OkStatus();
  });
}

Result<bool> SqliteGroups::RemoveMember(GroupId group, AccountId account) {
  return Guard([&]() -> Result<bool> {
    Stmt s = c_.Prepare("DELETE FROM group_members WHERE group_id = ? AND account_id = ?");
    s->bind(1, group.value);
    s->bind(2, account.value);
    return s->exec() > 0;
  });
}

Result<std::vector<MemberListing>> SqliteGroups::ListMembers(
    GroupId group, const std::optional<MemberCursor>& cursor, int limit) {
  return Guard([&]() -> Result<std::vector<MemberListing>> {
    std::vector<MemberListing> out;
    if (limit <= 0) return out;
    // Without a cursor ('', 0) sorts before every row, so one statement
    // serves the first page too.
    Stmt s = c_.Prepare("SELECT " RT_ACCOUNT_COLUMNS
                        ", m.role, m.joined_at FROM group_members m "
                        "JOIN accounts a ON a.id = m.account_id "
                        "WHERE m.group_id = ? AND (a.name_key, a.id) > (?, ?) "
                        "ORDER BY a.name_key, a.id LIMIT ?");
    s->bind(1, group.value);
    s->bind(2, cursor ? cursor->name_key : std::string());
    s->bind(3, cursor ? cursor->after.value : int64_t{0});
    s->bind(4, limit);
    out.reserve(std::min(limit, 100));
    while (s->executeStep()) {
      out.push_back(MemberListing{ReadAccount(*s), ReadRole(*s, kAccountColumnCount),
                                  FromUnix(s->getColumn(kAccountColumnCount + 1).getInt64())});
    }
    return out;
  });
}

Result<std::unordered_set<int64_t>> SqliteGroups::MembersAmong(
    GroupId group, const std::vector<AccountId>& accounts) {
  return Guard([&]() -> Result<std::unordered_set<int64_t>> {
    std::unordered_set<int64_t> out;
    if (accounts.empty()) return out;
    std::string ids = JsonIdArray(accounts);
    // One primary-key probe per id, in the order given: CROSS JOIN keeps
    // SQLite from scanning the group's members instead (it cannot estimate
    // json_each), and unlike IN (SELECT ...) builds no temp index of the ids.
    Stmt s = c_.Prepare(
        "SELECT m.account_id FROM json_each(?2) j CROSS JOIN group_members m "
        "ON m.group_id = ?1 AND m.account_id = j.value");
    s->bind(1, group.value);
    s->bind(2, ids);
    while (s->executeStep()) out.insert(s->getColumn(0).getInt64());
    return out;
  });
}

Result<std::vector<Account>> SqliteGroups::FindMembersByNameKeys(
    GroupId group, const std::vector<std::string>& name_keys) {
  return Guard([&]() -> Result<std::vector<Account>> {
    std::vector<Account> out;
    // Keys are lower-cased like accounts.name_key (a caller passing "@Ada"
    // as written still finds Ada) and deduplicated so repeats do not use up
    // the 50 slots.
    std::vector<std::string> keys;
    std::unordered_set<std::string> seen;
    for (const std::string& k : name_keys) {
      if (static_cast<int>(keys.size()) == kMaxNameKeys) break;
      std::string key = text::ToLowerAscii(k);
      if (key.empty() || !seen.insert(key).second) continue;
      keys.push_back(std::move(key));
    }
    if (keys.empty()) return out;
    Stmt s = c_.Prepare(MembersByNameKeysSql());
    s->bind(1, group.value);
    for (int i = 0; i < kMaxNameKeys; ++i) {
      if (i < static_cast<int>(keys.size())) {
        s->bind(i + 2, keys[i]);
      } else {
        s->bind(i + 2);
      }
    }
    while (s->executeStep()) out.push_back(ReadAccount(*s));
    return out;
  });
}

}  // namespace rt::store::sqlite
