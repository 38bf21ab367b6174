#ifndef RT_STORE_FEEDBACK_H_
#define RT_STORE_FEEDBACK_H_

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/ids.h"
#include "core/result.h"
#include "domain/feedback/feedback.h"

// Feedback to a group's staff liaison (migration 017). Same error contract
// as store.h: kUnavailable "database_unavailable" and kInternal may come
// from any method.
namespace rt::store {

// Feedback with the names its pages show beside it.
struct FeedbackView {
  Feedback feedback;
  std::string author_name;   // "" when the account is gone
  std::string liaison_name;  // "" when none
  std::string group_slug;
  std::string group_name;
  int64_t reply_count = 0;
};

struct FeedbackReplyView {
  FeedbackReply reply;
  std::string author_name;
};

// Which feedback of one group a list shows, newest first.
struct FeedbackFilter {
  std::optional<AccountId> author;       // only this member's
  std::optional<FeedbackStatus> status;  // only this status
};

// A liaison of a group, for handing feedback over.
struct LiaisonName {
  AccountId id;
  std::string name;
  std::string email;
};

class FeedbackRepository {
 public:
  virtual ~FeedbackRepository() = default;
  // Inserts `f` (id ignored) and returns it with its id.
  virtual Result<Feedback> Create(const Feedback& f) = 0;
  virtual Result<std::optional<FeedbackView>> Find(FeedbackId id) = 0;
  // Up to `limit` items of the group matching `filter` with id < `before`
  // (from the newest when invalid), newest first, with reply counts. One
  // query.
  virtual Result<std::vector<FeedbackView>> List(GroupId group,
                                                 const FeedbackFilter& filter,
                                                 FeedbackId before,
                                                 int limit) = 0;
  // The items of the group among `ids` (others are left out), in id order.
  virtual Result<std::vector<FeedbackView>> FindMany(
      GroupId group, const std::vector<FeedbackId>& ids) = 0;
  // Each setter also sets updated_at to `now`. Errors: kNotFound
  // "not_found" when the item does not exist.
  virtual Status SetStatus(FeedbackId id, FeedbackStatus status,
                           TimePoint now) = 0;
  virtual Status SetLiaison(FeedbackId id, AccountId liaison,
                            TimePoint now) = 0;
  virtual Status SetQuoteConsent(FeedbackId id, bool consent,
                                 TimePoint now) = 0;
  // Records that `ids` were published in the summary thread `thread`.
  virtual Status SetSummaryThread(const std::vector<FeedbackId>& ids,
                                  ThreadId thread, TimePoint now) = 0;
  // Appends a reply and sets the item's updated_at.
  virtual Result<FeedbackReply> AddReply(const FeedbackReply& r) = 0;
  // Up to `limit` replies, oldest first.
  virtual Result<std::vector<FeedbackReplyView>> Replies(FeedbackId id,
                                                         int limit) = 0;
  // The group's liaisons, by account id (the first is the default owner of
  // new feedback).
  virtual Result<std::vector<LiaisonName>> Liaisons(GroupId group) = 0;
  // Gives the group's open (not resolved) feedback whose liaison is none
  // or no longer a liaison of the group to `preferred` when it is a liaison
  // of the group, else to the remaining liaison with the lowest id, else to
  // nobody. Call in the transaction that changes a role. Returns how many
  // items moved.
  virtual Result<int> RehomeOpen(GroupId group, AccountId preferred,
                                 TimePoint now) = 0;
};

}  // namespace rt::store

#endif  // RT_STORE_FEEDBACK_H_
