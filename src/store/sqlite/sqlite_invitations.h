#ifndef RT_STORE_SQLITE_SQLITE_INVITATIONS_H_
#define RT_STORE_SQLITE_SQLITE_INVITATIONS_H_

#include "store/invitations.h"
#include "store/sqlite/connection.h"

namespace rt::store::sqlite {

class SqliteInvitations final : public InvitationRepository {
 public:
  explicit SqliteInvitations(Connection& c) : c_(c) {}
  Result<Invitation> Create(const Invitation& inv) override;
  Result<std::optional<InvitationView>> FindByTokenHash(
      const std::string& token_hash) override;
  Result<std::optional<InvitationView>> FindById(InvitationId id) override;
  Result<std::vector<InvitationView>> PendingForGroup(GroupId group, const std::string& email,
                                                      TimePoint now) override;
  Result<int> CountSentSince(AccountId inviter, TimePoint since) override;
  Result<std::unordered_set<std::string>> PendingAmong(
      GroupId group, const std::vector<std::string>& emails,
      TimePoint now) override;
  Result<std::unordered_set<std::string>> MemberEmailsAmong(
      GroupId group, const std::vector<std::string>& emails) override;
  Status MarkOpened(InvitationId id, TimePoint now) override;
  Result<bool> MarkAccepted(InvitationId id, AccountId account,
                            TimePoint now) override;
  Result<std::vector<InvitationView>> ListByInviter(AccountId inviter,
                                                    InvitationId before,
                                                    int limit) override;
  Result<std::vector<InvitationView>> PendingForEmail(const std::string& email,
                                                      TimePoint now,
                                                      int limit) override;
  Result<bool> SetJoinedVia(GroupId group, AccountId account,
                            InvitationId via) override;
  Result<int64_t> CountJoinedVia(GroupId group) override;

 private:
  Connection& c_;
};

}  // namespace rt::store::sqlite

#endif  // RT_STORE_SQLITE_SQLITE_INVITATIONS_H_
