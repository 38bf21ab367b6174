#include <string>

#include "store/sqlite/content_cache.h"
#include "store/sqlite/sqlite_cache.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_util.h"

namespace rt::store::sqlite {

namespace {

VersionedCache<std::optional<Delivery>>& DeliveryCache() {
  static auto* cache = new VersionedCache<std::optional<Delivery>>(256 << 10);
  return *cache;
}

}  // namespace

Result<std::optional<Delivery>> SqliteDelivery::DeliveryOf(GroupId group, AccountId account) {
  return Guard([&]() -> Result<std::optional<Delivery>> {
    // Every group page shows it to members: the process keeps it under the
    // "delivery" version (migration 024) and the "groups" one, which
    // joining and leaving bump.
    const CacheVersions& versions = VersionsFor(c_);
    const ContentVersion version{versions.delivery, versions.groups, 0};
    std::string key;
    if (version.valid() && versions.groups != 0) {
      key = DatabaseFile(c_);
      key.push_back('\0');
      key += std::to_string(group.value);
      key.push_back(':');
      key += std::to_string(account.value);
      if (auto hit = DeliveryCache().Find(key, version)) return *hit;
    }
    Stmt s = c_.Prepare("SELECT delivery FROM group_members WHERE group_id = ? AND account_id = ?");
    s->bind(1, group.value);
    s->bind(2, account.value);
    std::optional<Delivery> found;
    if (s->executeStep()) found = CheckedEnum(ParseDelivery(s->getColumn(0).getString()));
    if (!key.empty() && MayFill(c_)) {
      DeliveryCache().Keep(key, version, std::make_shared<const std::optional<Delivery>>(found),
                           sizeof(found));
    }
    return found;
  });
}

Result<bool> SqliteDelivery::SetDelivery(GroupId group, AccountId account, Delivery delivery) {
  return Guard([&]() -> Result<bool> {
    Stmt s =
        c_.Prepare("UPDATE group_members SET delivery = ? WHERE group_id = ? AND account_id = ?");
    s->bind(1, std::string(ToString(delivery)));
    s->bind(2, group.value);
    s->bind(3, account.value);
    return s->exec() > 0;
  });
}

Result<std::vector<AccountId>> SqliteDelivery::MembersWithDelivery(GroupId group,
                                                                   Delivery delivery) {
  return Guard([&]() -> Result<std::vector<AccountId>> {
    Stmt s = c_.Prepare(
        "SELECT account_id FROM group_members WHERE group_id = ? AND delivery = ? "
        "ORDER BY account_id");
    s->bind(1, group.value);
    s->bind(2, std::string(ToString(delivery)));
    std::vector<AccountId> out;
    while (s->executeStep()) out.push_back(AccountId{s->getColumn(0).getInt64()});
    return out;
  });
}

Result<std::vector<GroupDelivery>> SqliteDelivery::ListForAccount(AssociationId assoc,
                                                                  AccountId account) {
  return Guard([&]() -> Result<std::vector<GroupDelivery>> {
    // group_members_account finds the account's rows; a person is in a
    // handful of groups, so sorting them costs nothing.
    Stmt s = c_.Prepare("SELECT " RT_GROUP_COLUMNS
                        ", m.role, m.delivery FROM group_members m "
                        "JOIN interest_groups g ON g.id = m.group_id "
                        "WHERE m.account_id = ? AND g.association_id = ? "
                        "ORDER BY g.position, g.name, g.id");
    s->bind(1, account.value);
    s->bind(2, assoc.value);
    std::vector<GroupDelivery> out;
    while (s->executeStep()) {
      GroupDelivery d;
      d.group = ReadGroup(*s);
      d.role = CheckedEnum(ParseGroupRole(s->getColumn(kGroupColumnCount).getString()));
      d.delivery = CheckedEnum(ParseDelivery(s->getColumn(kGroupColumnCount + 1).getString()));
      out.push_back(std::move(d));
    }
    return out;
  });
}

Result<EmailSwitches> SqliteDelivery::EmailSwitchesOf(AccountId account) {
  return Guard([&]() -> Result<EmailSwitches> {
    // Rows exist only for choices away from the default (migration 008).
    Stmt s = c_.Prepare("SELECT kind, email FROM notification_email_settings WHERE account_id = ?");
    s->bind(1, account.value);
    EmailSwitches out;
    while (s->executeStep()) {
      NotificationKind k = CheckedEnum(NotificationKindNamed(s->getColumn(0).getString()));
      out.set(k, s->getColumn(1).getInt() != 0);
    }
    return out;
  });
}

Status SqliteDelivery::SetEmailSwitches(AccountId account, const EmailSwitches& switches) {
  return Guard([&]() -> Status {
    return Atomically(c_, [&]() -> Status {
      Stmt off = c_.Prepare(
          "INSERT INTO notification_email_settings (account_id, kind, email) "
          "VALUES (?, ?, 0) ON CONFLICT (account_id, kind) DO NOTHING");
      Stmt on =
          c_.Prepare("DELETE FROM notification_email_settings WHERE account_id = ? AND kind = ?");
      for (NotificationKind k : kNotificationKinds) {
        Stmt& s = switches.enabled(k) ? on : off;
        s->bind(1, account.value);
        s->bind(2, std::string(ToString(k)));
        s->exec();
        s->reset();
      }
      return OkStatus();
    });
  });
}

}  // namespace rt::store::sqlite
