#ifndef RT_STORE_INVITATIONS_H_
#define RT_STORE_INVITATIONS_H_

#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/date.h"
#include "core/ids.h"
#include "core/result.h"
#include "domain/invitations/invitation.h"

// Invitations to groups (migration 018). Errors every method may return are
// those of store.h.
namespace rt::store {

// An invitation with the names its pages and lists show beside it.
struct InvitationView {
  Invitation invitation;
  std::string group_slug;
  std::string group_name;
  std::string inviter_name;
};

class InvitationRepository {
 public:
  virtual ~InvitationRepository() = default;
  // Stores `inv` (its id is ignored) and returns it with its id.
  virtual Result<Invitation> Create(const Invitation& inv) = 0;
  // The invitation whose link has this token hash, with its names.
  virtual Result<std::optional<InvitationView>> FindByTokenHash(
      const std::string& token_hash) = 0;
  // The invitation with this id, with its names (for its invitee's signed-in
  // page, which has no token).
  virtual Result<std::optional<InvitationView>> FindById(InvitationId id) = 0;
  // Invitations of `email` to the group that are neither accepted nor
  // expired at `now`, oldest first. One query.
  virtual Result<std::vector<InvitationView>> PendingForGroup(GroupId group,
                                                              const std::string& email,
                                                              TimePoint now) = 0;
  // How many invitations `inviter` sent after `since` (the daily cap).
  virtual Result<int> CountSentSince(AccountId inviter, TimePoint since) = 0;
  // Which of `emails` (normalised) have an invitation to the group that is
  // neither accepted nor expired at `now`. One query.
  virtual Result<std::unordered_set<std::string>> PendingAmong(
      GroupId group, const std::vector<std::string>& emails, TimePoint now) = 0;
  // Which of `emails` belong to accounts that are in the group. One query.
  virtual Result<std::unordered_set<std::string>> MemberEmailsAmong(
      GroupId group, const std::vector<std::string>& emails) = 0;
  // Records the first opening of the link; later ones change nothing.
  virtual Status MarkOpened(InvitationId id, TimePoint now) = 0;
  // Marks the invitation accepted by `account`. Returns false (changing
  // nothing) when it was accepted already, so of two racing accepts only
  // one proceeds.
  virtual Result<bool> MarkAccepted(InvitationId id, AccountId account,
                                    TimePoint now) = 0;
  // The invitations `inviter` sent, newest first: up to `limit` with ids
  // below `before` (from the newest when invalid). One query.
  virtual Result<std::vector<InvitationView>> ListByInviter(AccountId inviter,
                                                            InvitationId before,
                                                            int limit) = 0;
  // Invitations to `email` that are neither accepted nor expired at `now`,
  // newest first, at most `limit`. One query.
  virtual Result<std::vector<InvitationView>> PendingForEmail(
      const std::string& email, TimePoint now, int limit) = 0;
  // Records that the account's membership of the group came from `via`
  // (group_members.joined_via_invitation). False when it is not in the group.
  virtual Result<bool> SetJoinedVia(GroupId group, AccountId account,
                                    InvitationId via) = 0;
  // How many current members of the group joined through an invitation.
  virtual Result<int64_t> CountJoinedVia(GroupId group) = 0;
};

}  // namespace rt::store

#endif  // RT_STORE_INVITATIONS_H_
