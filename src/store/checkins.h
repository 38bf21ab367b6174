#ifndef RT_STORE_CHECKINS_H_
#define RT_STORE_CHECKINS_H_

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/ids.h"
#include "core/result.h"
#include "domain/outcomes/checkins.h"

// Outcome statements, check-ins and their answers (migration 020). Same
// error contract as store.h: kUnavailable "database_unavailable" and
// kInternal may come from any method.
namespace rt::store {

// One answer as stored: `value` 1..5 for a statement, `text` for an open
// question; `question` is the text the member was shown.
struct CheckinAnswer {
  std::string question_id;
  std::string question;
  int value = 0;  // 0 for open questions
  std::string text;
};

struct Checkin {
  CheckinId id;
  GroupId group;
  AccountId account;
  CheckinMoment moment = CheckinMoment::kImmediate;
  CheckinState state = CheckinState::kAnswered;
  bool quote_consent = false;
  TimePoint created_at;
  std::vector<CheckinAnswer> answers;  // empty unless answered
};

// What decides when a member's check-ins are due, besides the check-ins.
struct MemberCheckinFacts {
  std::optional<TimePoint> joined;  // nullopt: not in the group
  bool accepted = false;            // an accepted answer, given or received
};

// A member's own check-in, with the group it is about.
struct CheckinView {
  Checkin checkin;
  std::string group_slug;
  std::string group_name;
};

// An answered check-in as the aggregate reads it: no account id, only the
// name, and that only when the member agreed to be quoted.
struct AnsweredCheckin {
  CheckinId id;
  GroupId group;
  CheckinMoment moment = CheckinMoment::kImmediate;
  TimePoint created_at;
  std::string quoted_name;  // "" unless quote_consent
  std::vector<CheckinAnswer> answers;
};

// A (member, group, moment) whose check-in is due and not yet offered by
// email, with what the offer needs.
struct CheckinOffer {
  GroupId group;
  std::string group_slug;
  std::string group_name;
  AccountId account;
  std::string name;
  std::string email;
  CheckinMoment moment = CheckinMoment::kImmediate;
};

class CheckinRepository {
 public:
  virtual ~CheckinRepository() = default;

  // The association's statements, active and retired, by position then id.
  virtual Result<std::vector<OutcomeStatement>> Statements(AssociationId assoc) = 0;
  // Inserts or updates each of `statements` by id; others stay as they are.
  virtual Status SaveStatements(AssociationId assoc,
                                const std::vector<OutcomeStatement>& statements) = 0;
  virtual Result<int> Threshold(AssociationId assoc) = 0;
  // Errors: kInvalidInput "threshold_invalid" below kMinOutcomeThreshold.
  virtual Status SetThreshold(AssociationId assoc, int threshold) = 0;

  // The member's check-ins in the group (at most one per moment), any state.
  virtual Result<std::vector<Checkin>> OfMember(GroupId group, AccountId account) = 0;
  // When the account joined the group (nullopt when it is not in it), and
  // whether a question of theirs in the group has an accepted answer or an
  // answer of theirs was accepted there: what makes a check-in due, read in
  // one statement because every group page a member opens asks.
  virtual Result<MemberCheckinFacts> MemberFacts(GroupId group, AccountId account) = 0;
  // Records an answered check-in with its answers (a skipped one of the
  // same moment becomes answered), or a skip (`c.state` kSkipped, no
  // answers). Returns it with its id. Errors: kConflict
  // "already_checked_in" when the moment is answered or deleted already
  // (or, for a skip, answered or deleted).
  virtual Result<Checkin> Record(const Checkin& c) = 0;
  // A check-in with its answers; nullopt when missing.
  virtual Result<std::optional<CheckinView>> Find(CheckinId id) = 0;
  // Up to `limit` of the account's answered check-ins with id < `before`
  // (from the newest when invalid), newest first, with their answers. Two
  // queries, whatever `limit`.
  virtual Result<std::vector<CheckinView>> ListMine(AccountId account, CheckinId before,
                                                    int limit) = 0;
  // Deletes the answers of the account's check-in `id` and marks it
  // deleted. Returns false (and changes nothing) when it is not theirs or
  // not answered.
  virtual Result<bool> DeleteAnswers(CheckinId id, AccountId account) = 0;

  // Up to `limit` due offers at `now` in groups of `assoc`: members (not
  // liaisons) with no check-in and no offer yet for the moment, whose
  // immediate check-in is due (joined at least kImmediateAfterDays ago, or
  // an accepted answer) or whose follow-up is (kFollowUpAfterDays after the
  // immediate one). One query.
  virtual Result<std::vector<CheckinOffer>> DueOffers(AssociationId assoc, TimePoint now,
                                                      int limit) = 0;
  // Records the offer (mailed or not). Returns false when it was recorded
  // before.
  virtual Result<bool> RecordOffer(GroupId group, AccountId account, CheckinMoment moment,
                                   bool mailed, TimePoint now) = 0;

  // Every answered check-in in `groups` (all groups of `assoc` when empty),
  // oldest first, with its answers. Two queries, whatever the number of
  // groups.
  virtual Result<std::vector<AnsweredCheckin>> Answered(AssociationId assoc,
                                                        const std::vector<GroupId>& groups) = 0;
};

}  // namespace rt::store

#endif  // RT_STORE_CHECKINS_H_
