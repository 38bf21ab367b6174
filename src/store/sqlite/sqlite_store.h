#ifndef RT_STORE_SQLITE_SQLITE_STORE_H_
#define RT_STORE_SQLITE_SQLITE_STORE_H_

#include <memory>
#include <string>

#include "store/sqlite/connection.h"
#include "store/store.h"

namespace rt::store::sqlite {

class SqliteAccounts final : public AccountRepository {
 public:
  explicit SqliteAccounts(Connection& c) : c_(c) {}
  Result<Account> Create(const NewAccount& a, TimePoint now) override;
  Result<std::optional<Account>> FindById(AccountId id) override;
  Result<std::optional<Account>> FindByEmail(const std::string& email) override;
  Result<std::optional<AccountCredentials>> FindCredentials(
      const std::string& email) override;
  Status UpdateProfile(AccountId id, const Profile& p, TimePoint now) override;
  Status SetPasswordHash(AccountId id, const std::string& hash,
                         TimePoint now) override;
  Status SetAdmin(AccountId id, bool is_admin) override;
  Result<int64_t> CountAccounts(bool demo) override;

 private:
  Connection& c_;
};

class SqliteSessions final : public SessionRepository {
 public:
  explicit SqliteSessions(Connection& c) : c_(c) {}
  Status Create(const SessionRecord& s) override;
  Result<std::optional<SessionRecord>> Find(const std::string& token_hash,
                                            TimePoint now) override;
  Status Delete(const std::string& token_hash) override;
  Status DeleteAllForAccount(AccountId id,
                             const std::string& keep_hash) override;
  Status DeleteExpired(TimePoint now) override;

 private:
  Connection& c_;
};

class SqliteAssociations final : public AssociationRepository {
 public:
  explicit SqliteAssociations(Connection& c) : c_(c) {}
  Result<Association> Upsert(const Association& a) override;
  Result<std::optional<Association>> FindBySlug(
      const std::string& slug) override;
  Result<std::optional<Association>> FindById(AssociationId id) override;

 private:
  Connection& c_;
};

class SqliteMemberships final : public MembershipRepository {
 public:
  explicit SqliteMemberships(Connection& c) : c_(c) {}
  Result<std::optional<Membership>> FindByEmail(
      AssociationId assoc, const std::string& email) override;
  Result<std::optional<Membership>> FindForAccount(AssociationId assoc,
                                                   AccountId account) override;
  Result<Membership> Insert(const Membership& m, TimePoint now) override;
  Status Update(const Membership& m, TimePoint now) override;
  Result<int> AttachToAccount(const std::string& email,
                              AccountId account) override;

 private:
  Connection& c_;
};

class SqliteGroups final : public GroupRepository {
 public:
  explicit SqliteGroups(Connection& c) : c_(c) {}
  Result<Group> Upsert(const Group& g) override;
  Result<std::optional<Group>> FindBySlug(AssociationId assoc,
                                          const std::string& slug) override;
  Result<std::vector<GroupListing>> ListWithStats(AssociationId assoc) override;
  Result<std::optional<GroupListing>> FindListing(
      AssociationId assoc, const std::string& slug) override;
  Result<GroupRole> RoleOf(GroupId group, AccountId account) override;
  Result<std::unordered_map<GroupId, GroupRole>> RolesOf(
      AssociationId assoc, AccountId account) override;
  Result<bool> AddMember(GroupId group, AccountId account, GroupRole role,
                         TimePoint now) override;
  Status SetRole(GroupId group, AccountId account, GroupRole role,
                 TimePoint now) override;
  Result<bool> RemoveMember(GroupId group, AccountId account) override;
  Result<std::vector<MemberListing>> ListMembers(
      GroupId group, const std::optional<MemberCursor>& cursor,
      int limit) override;

 private:
  Connection& c_;
};

class SqliteAudit final : public AuditLog {
 public:
  explicit SqliteAudit(Connection& c) : c_(c) {}
  Status Record(AccountId actor, const std::string& action,
                const std::string& detail, TimePoint now) override;

 private:
  Connection& c_;
};

class SqliteStore final : public Store {
 public:
  // Opens the database at `path`, creating it and its folder.
  // Errors: kUnavailable "database_unavailable".
  static Result<std::unique_ptr<Store>> Open(const std::string& path);

  AccountRepository& accounts() override { return accounts_; }
  SessionRepository& sessions() override { return sessions_; }
  AssociationRepository& associations() override { return associations_; }
  MembershipRepository& memberships() override { return memberships_; }
  GroupRepository& groups() override { return groups_; }
  AuditLog& audit() override { return audit_; }

  Status InTransaction(const std::function<Status()>& fn) override;
  Result<int> Migrate() override;
  Status CheckReady() override;

 private:
  explicit SqliteStore(const std::string& path);

  Connection c_;
  SqliteAccounts accounts_{c_};
  SqliteSessions sessions_{c_};
  SqliteAssociations associations_{c_};
  SqliteMemberships memberships_{c_};
  SqliteGroups groups_{c_};
  SqliteAudit audit_{c_};
};

}  // namespace rt::store::sqlite

#endif  // RT_STORE_SQLITE_SQLITE_STORE_H_
