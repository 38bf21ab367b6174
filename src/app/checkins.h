#ifndef RT_APP_CHECKINS_H_
#define RT_APP_CHECKINS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/groups.h"
#include "app/mail_queue.h"
#include "domain/outcomes/checkins.h"
#include "store/store.h"

// Outcome check-ins (issue 7, points 1 and 2): a member of a group says how
// far they agree with each of the association's active outcome statements
// (1 strongly disagree .. 5 strongly agree, all required) and may answer two
// open questions, at two moments (domain/outcomes/checkins.h DueMoment). At
// most one check-in per moment per member per group; always skippable, never
// in the way of anything else. Offered on the group page (CheckinsService::
// StatusFor) and by one email per due moment (SendOffers). A member sees and
// deletes their own answers; staff only ever see them in aggregate
// (app/outcomes.h). Who may check in is policy::CanCheckIn: everyone else
// gets kNotFound, as if the check-in did not exist.
namespace rt::app {

// A question of a check-in: a statement ("scale", 1..5) or an open question
// ("text", optional).
struct CheckinQuestion {
  std::string id;
  std::string text;
  bool scale = true;
  std::string_view type() const { return scale ? "scale" : "text"; }
};

// The check-in of one moment for one member of one group.
struct CheckinForm {
  GroupView group;
  CheckinMoment moment = CheckinMoment::kImmediate;
  bool due = false;                        // offered now (else the member asked for it)
  std::vector<CheckinQuestion> questions;  // statements first, then open ones
};

// What the group page offers a member: a notice when a moment is due, and
// otherwise a quiet link to the first moment still open.
struct CheckinStatus {
  std::optional<CheckinMoment> due;
  std::optional<CheckinMoment> open;  // not answered or deleted yet
};

// One answer as a client sent it: a number, a string or something else
// (which is refused with the question's id as the field).
struct AnswerIn {
  enum class Type { kNumber, kText, kOther };
  std::string id;
  Type type = Type::kOther;
  int64_t number = 0;
  std::string text;
};

struct NewCheckin {
  std::string moment;  // "immediate" | "follow_up"
  std::vector<AnswerIn> answers;
  bool quote_consent = false;
};

// A page of the member's own answered check-ins, newest first.
struct MyCheckins {
  std::vector<store::CheckinView> items;
  std::optional<CheckinId> next;  // cursor for older ones
};

// What one run of SendOffers did.
struct OfferRun {
  int mailed = 0;   // offers queued as mail
  int skipped = 0;  // recorded without mail (email switched off, paused)
};

// Every problem with `answers` to `questions`, in question order, each
// kRuleBroken naming its field (a question's id, or "answers" for an id
// that is no question): "unknown_question", "duplicate_answer",
// "invalid_answer" (a number for an open question or the reverse),
// "answer_out_of_range", "answer_required" (a statement left out),
// "answer_too_long", "invalid_text" (control characters). Pure.
std::vector<Error> CheckAnswers(const std::vector<CheckinQuestion>& questions,
                                const std::vector<AnswerIn>& answers);

// Thread-safe.
class CheckinsService {
 public:
  // `ctx` must outlive this object.
  explicit CheckinsService(const AppContext& ctx) : ctx_(ctx) {}
  static constexpr int kPageSize = 25;
  // Offers mailed per run, so that a first run after the feature ships
  // (when every long-standing member is due at once) spreads out.
  static constexpr int kOffersPerRun = 200;

  // What the group page offers the viewer in `group`; nothing (no error)
  // for those who may not check in there. Errors: the store's.
  Result<CheckinStatus> StatusFor(const Viewer& viewer, const GroupView& group);

  // The questions of moment `moment` ("" : the one due now). nullopt when
  // `moment` is "" and none is due. A skipped moment may still be answered.
  // Errors: kNotFound "group_not_found" / "not_found" (CanCheckIn);
  // kUnauthenticated; kRuleBroken "invalid_moment" (field "moment");
  // kConflict "already_checked_in" when that moment was answered (or its
  // answers deleted).
  Result<std::optional<CheckinForm>> Form(const Viewer& viewer, const std::string& slug,
                                          const std::string& moment);

  // Records the answers in one transaction. `idempotency_key` may be "".
  // Errors: as Form; CheckAnswers' first error; kInvalidInput
  // "invalid_idempotency_key"; kRuleBroken "idempotency_key_reused".
  Result<store::CheckinView> Answer(const Viewer& viewer, const std::string& slug,
                                    const NewCheckin& in, const std::string& idempotency_key);

  // "Not now": records a skip, so the moment is not offered again (it may
  // still be answered). Skipping twice is not an error. Errors: as Form.
  Result<store::Checkin> Skip(const Viewer& viewer, const std::string& slug,
                              const std::string& moment);

  // The viewer's answered check-ins older than `before` (from the newest
  // when invalid). Errors: kUnauthenticated.
  Result<MyCheckins> Mine(const Viewer& viewer, CheckinId before);

  // One of the viewer's own check-ins. Errors: kUnauthenticated; kNotFound
  // "not_found" for anyone else's, a missing one, or one already deleted.
  Result<store::CheckinView> Get(const Viewer& viewer, CheckinId id);

  // Deletes the answers of one of the viewer's own check-ins; the moment
  // stays closed (it is not offered again). Errors: as Get.
  Status Delete(const Viewer& viewer, CheckinId id);

  // Queues one email per due (member, group, moment) not offered before,
  // at most `limit`, each recorded in checkin_offers in the same
  // transaction as its outbox row so that none is ever mailed twice. A
  // member who switched check-in email off, or whose mail is paused, is
  // recorded without mail. Errors: the store's.
  Result<OfferRun> SendOffers(int limit = kOffersPerRun);

 private:
  struct Loaded;
  Result<Loaded> Load(store::Store& db, const Viewer& viewer, const std::string& slug,
                      const std::string& moment);
  const AppContext& ctx_;
};

// The questions of a check-in: the association's active statements, then
// the open questions.
std::vector<CheckinQuestion> CheckinQuestions(const std::vector<OutcomeStatement>& statements);

// Why the check-in offer `job` must not go to `to` now: "not_found" when the
// group is gone or they may no longer check in there (policy::CanCheckIn),
// "already_checked_in" when they answered or skipped that moment since;
// "" when it may. Errors: the store's.
Result<std::string> WhyNotSendCheckin(const AppContext& ctx, store::Store& db, const MailJob& job,
                                      const Account& to);

}  // namespace rt::app

#endif  // RT_APP_CHECKINS_H_
