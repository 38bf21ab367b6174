#ifndef RT_APP_FEEDBACK_H_
#define RT_APP_FEEDBACK_H_

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/discussions.h"
#include "app/groups.h"
#include "app/mail_queue.h"
#include "domain/feedback/feedback.h"
#include "store/store.h"

// Feedback to a group's staff liaison (issue 6, points 7 to 9): members
// send it, the group's staff (its liaisons and association admins) track it
// in an inbox, both sides reply, and staff publish "you said, we did"
// summaries of resolved items as group threads. Private: only the author
// and the group's staff can see an item; for everyone else it does not
// exist (kNotFound). Who may do what is policy::CanSendFeedback,
// CanSeeFeedback, CanManageFeedback and CanChangeFeedbackConsent.
namespace rt::app {

struct NewFeedback {
  std::string
      category;  // idea | resource_request | concern | program_proposal | other
  std::string body;  // Markdown, as posts (64 KiB)
  bool quote_consent = false;
};

// What a PATCH changes; absent fields stay as they are.
struct FeedbackChange {
  std::optional<std::string> status;   // staff
  std::optional<std::string> liaison;  // staff: an account id ("12") or email
  std::optional<bool> quote_consent;   // the author
};

// One item as one viewer sees it.
struct FeedbackItem {
  store::FeedbackView view;
  std::vector<store::FeedbackReplyView> replies;  // oldest first
  // The group's liaisons, to hand the item to (staff only; else empty).
  std::vector<store::LiaisonName> liaisons;
  bool staff = false;      // may change status and hand it over
  bool is_author = false;  // may change quote_consent
  bool can_reply = false;  // under kMaxFeedbackReplies
};

// A page of a group's feedback: the whole inbox for staff, the viewer's
// own for everyone else.
struct FeedbackList {
  GroupView group;
  bool staff = false;
  std::optional<FeedbackStatus> status;  // the filter
  std::vector<store::FeedbackView> items;
  std::optional<FeedbackId> next;  // cursor for the next (older) page
};

// "You said, we did": a thread in the group by the staff member, with the
// summary text and the chosen resolved items.
struct FeedbackSummary {
  std::string title;
  std::string body;  // what the staff did, in their words (Markdown)
  std::vector<FeedbackId> items;
  PostVia via = PostVia::kWeb;
};

// The resolved items a summary can include, newest first.
struct SummaryChoices {
  GroupView group;
  std::vector<store::FeedbackView> resolved;
};

// Thread-safe.
class FeedbackService {
 public:
  explicit FeedbackService(const AppContext& ctx) : ctx_(ctx) {}
  static constexpr int kPageSize = 25;
  static constexpr int kSummaryChoices = 100;
  // How much of each item's text a summary quotes.
  static constexpr size_t kSummaryExcerptBytes = 400;

  // The group, when the viewer may send it feedback (the form). Errors:
  // kNotFound "group_not_found"; refusals of CanSendFeedback
  // (not_signed_in 401, not_group_member 403).
  Result<GroupView> SendForm(const Viewer& viewer, const std::string& slug);

  // Sends feedback to the group's staff: it goes to the group's first
  // liaison (or to nobody yet, when it has none: admins still see it), who
  // is notified in-app and, if their settings allow, by email (through the
  // outbox). `idempotency_key` may be empty. Errors: as SendForm; kRuleBroken
  // "invalid_category" (field "category"); the body's field errors.
  Result<store::FeedbackView> Send(const Viewer& viewer,
                                   const std::string& slug,
                                   const NewFeedback& in,
                                   const std::string& idempotency_key);

  // A page of the group's feedback, newest first, optionally of one status
  // ("" for all). Errors: kNotFound "group_not_found"; kUnauthenticated;
  // kRuleBroken "invalid_status" (field "status").
  Result<FeedbackList> List(const Viewer& viewer, const std::string& slug,
                            const std::string& status, FeedbackId before);

  // One item with its replies. Errors: kUnauthenticated; kNotFound
  // "not_found" (missing, or not the viewer's to see).
  Result<FeedbackItem> Get(const Viewer& viewer, FeedbackId id);

  // Changes status, owner or consent, all or nothing, and returns the item.
  // A new owner must be a liaison of the group and is notified. Errors: as
  // Get; kForbidden "not_staff" (status, liaison) or "not_author"
  // (quote_consent) for someone who can see the item; kInvalidInput
  // "nothing_to_change"; kRuleBroken "invalid_status" / "invalid_liaison"
  // naming the field.
  Result<FeedbackItem> Update(const Viewer& viewer, FeedbackId id,
                              const FeedbackChange& change);

  // Adds a reply. Staff replying notify the author; the author replying
  // notifies the item's liaison (in-app, and by email as their settings
  // allow). Errors: as Get; the body's field errors; kRuleBroken
  // "too_many_replies".
  Result<store::FeedbackReplyView> Reply(const Viewer& viewer, FeedbackId id,
                                         const std::string& body);

  // The resolved items a summary may include. Errors: kNotFound;
  // kUnauthenticated; kForbidden "not_staff".
  Result<SummaryChoices> Choices(const Viewer& viewer, const std::string& slug);

  // Publishes a "you said, we did" thread in the group, written by the
  // viewer through DiscussionsService::StartThread, in one transaction
  // with marking the items published. Each item is quoted (its category
  // and the start of its text) and credited to its author only when they
  // agreed (quote_consent), else to "a member". Errors: as Choices;
  // kRuleBroken "no_items" / "not_resolved" / "too_many_items" (field
  // "feedback_ids"), kNotFound "not_found" for an id that is not this
  // group's feedback; the thread's field errors (title, body).
  Result<Created> PublishSummary(const Viewer& viewer, const std::string& slug,
                                 const FeedbackSummary& in,
                                 const std::string& idempotency_key);

 private:
  struct Access;
  Result<Access> Load(store::Store& db, const Viewer& viewer, FeedbackId id);
  Result<FeedbackItem> ItemFor(store::Store& db, const Access& a);
  const AppContext& ctx_;
};

// The mail of a kFeedback notification (called by ThreadMail::
// QueueNotificationMail inside its transaction): a short notice with a
// link to the item, for `to` when they may still see it. Returns how many
// were queued (0 or 1). Errors: the store's.
Result<int> QueueFeedbackMail(const AppContext& ctx, store::Store& db,
                              const store::NotificationView& n,
                              const Account& to);

// Why mail about feedback `job.feedback` must not go to `job.account` now:
// "not_found" when the item is gone or they may no longer see it (a
// liaison who stopped being one); "" when it may. Errors: the store's.
Result<std::string> WhyNotSendFeedback(const AppContext& ctx, store::Store& db,
                                       const MailJob& job, const Account& to);

}  // namespace rt::app

#endif  // RT_APP_FEEDBACK_H_
