#ifndef RT_APP_OUTCOMES_H_
#define RT_APP_OUTCOMES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/context.h"
#include "app/outcome_report.h"
#include "domain/outcomes/checkins.h"
#include "store/store.h"

// What the outcome check-ins (app/checkins.h) tell staff, and the
// association's outcome settings.
//
// THE RULE that keeps any one member's answers from being seen. Answered
// check-ins are grouped into calendar months (UTC, by when they were
// answered). Per group and moment, months are joined oldest first into
// consecutive "release blocks", each closed as soon as it holds at least
// `threshold` check-ins (the association's setting, never below 3); the
// trailing block that has not reached the threshold is never released.
//  - A requested period [from, to) is widened to the whole blocks it
//    touches; OutcomeReport::from/to say what was covered. Data in blocks
//    not yet released is left out.
//  - A moment with fewer than `threshold` check-ins in the covered blocks
//    (that is, none) is suppressed: no numbers at all.
//  - An item (statement) counts only in the blocks where at least
//    `threshold` check-ins answered it (a statement added or retired in the
//    middle of a block may have fewer); an item with fewer than `threshold`
//    answers in all is suppressed.
//  - Open answers come from released blocks only, without names unless the
//    member agreed to be quoted, dated to the month, never in the order
//    they were given.
// Every released figure is therefore a sum over whole blocks of at least
// `threshold` check-ins, so the difference of ANY two reports (two
// overlapping periods, say) is also such a sum: subtracting cannot single
// out fewer than `threshold` people. Blocks are worked out from the data
// as it is now, so a member deleting their answers can merge two blocks;
// the rule then still holds for every report made from that moment on.
namespace rt::app {

// A reporting period in unix time, [from, to).
struct OutcomePeriod {
  TimePoint from;
  TimePoint to;
};

// The period of `from` and `to` ("YYYY-MM-DD", both inclusive; "" : from
// the beginning / through `today`). Errors: kRuleBroken "invalid_date"
// naming the field, "invalid_period" (field "from") when from is after to.
Result<OutcomePeriod> ParseOutcomePeriod(std::string_view from, std::string_view to, Date today);

// The report of one group's answered check-ins (any order) over `period`,
// by THE RULE above. `statements` gives the items and their order: every
// active statement, and retired ones that have answers in the covered
// blocks. Pure.
OutcomeReport BuildOutcomeReport(const std::vector<store::AnsweredCheckin>& checkins,
                                 const std::vector<OutcomeStatement>& statements, int64_t threshold,
                                 const OutcomePeriod& period);

// One anonymised check-in of an export: no id, no account, a row number
// drawn at random for each export, and the months of its release block
// rather than its own ("2026-02", or "2026-02/2026-04" for a block of
// several months), so that rows cannot be told apart within a block.
struct ExportedCheckin {
  int64_t row = 0;
  std::string months;
  std::string moment;
  // Per column of AnswerExport::statements: 1..5, or 0 (blank) when not
  // answered or when too few answered it in the block to show.
  std::vector<int> values;
  std::string learned;
  std::string improve;
  std::string quoted_name;  // "" unless the member agreed to be named
};

// The anonymised answers of one group's released blocks over a period
// (moments that are suppressed are left out), in row-number order.
struct AnswerExport {
  OutcomeReport coverage;                    // what BuildOutcomeReport says of the same data
  std::vector<OutcomeStatement> statements;  // the columns, in order
  std::vector<ExportedCheckin> rows;
};

// The export of `checkins` by THE RULE, rows shuffled with `seed`. Pure.
AnswerExport BuildAnswerExport(const std::vector<store::AnsweredCheckin>& checkins,
                               const std::vector<OutcomeStatement>& statements, int64_t threshold,
                               const OutcomePeriod& period, uint64_t seed);

// One group's report, for the association-wide comparison.
struct GroupOutcomes {
  GroupId group;
  std::string slug;
  std::string name;
  OutcomeReport report;
};

// The association's outcome statements (active and retired, in order) and
// privacy threshold.
struct OutcomeSettings {
  std::vector<OutcomeStatement> statements;
  int threshold = kDefaultOutcomeThreshold;
};

// A change to the settings: statements listed are added or updated by id
// (others stay as they are; statements are retired, never deleted), and
// the threshold when given.
struct OutcomeSettingsChange {
  std::vector<OutcomeStatement> statements;
  std::optional<int> threshold;
};

// Thread-safe.
class OutcomesService {
 public:
  // `ctx` must outlive this object.
  explicit OutcomesService(const AppContext& ctx) : ctx_(ctx) {}

  // OkStatus when the viewer may see the group's outcomes, else the errors
  // of Report. For handlers that check before they read a request's values.
  Status MaySee(const Viewer& viewer, const std::string& slug);

  // The group's report. Errors: kNotFound "group_not_found" (hidden or
  // missing); refusals of policy::CanSeeGroupOutcomes (not_signed_in 401,
  // not_staff 403).
  Result<OutcomeReport> Report(const Viewer& viewer, const std::string& slug,
                               const OutcomePeriod& period);

  // The group's anonymised answers (the CSV export). Errors: as Report.
  Result<AnswerExport> ExportAnswers(const Viewer& viewer, const std::string& slug,
                                     const OutcomePeriod& period);

  // One report per group of the association whose outcomes the viewer may
  // see (every group for an admin, a liaison's own groups), in the groups
  // page's order. A constant number of queries, whatever the number of
  // groups. Errors: kUnauthenticated.
  Result<std::vector<GroupOutcomes>> ReportsByGroup(const Viewer& viewer,
                                                    const OutcomePeriod& period);

  // Whether the viewer may read and change the settings (policy::
  // CanManageAssociation). Errors: kUnauthenticated "not_signed_in";
  // kNotFound "not_found" for everyone else signed in.
  Status MayManage(const Viewer& viewer) const;
  // Errors: MayManage's.
  Result<OutcomeSettings> Settings(const Viewer& viewer);
  // Applies all of `change` or, on any error, none of it (one transaction,
  // recorded in the audit log), and returns the settings as they now are.
  // Errors: MayManage's; kRuleBroken (with the field) "threshold_invalid"
  // ("threshold": below 3 or above 1000), "statement_id_invalid",
  // "statement_text_invalid", "statement_duplicate", "too_many_statements"
  // and "no_active_statement" (field "statements" or
  // "statements.<id>.text").
  Result<OutcomeSettings> SaveSettings(const Viewer& viewer, const OutcomeSettingsChange& change);

 private:
  struct GroupData;
  // Once the viewer may see the group's outcomes, its statements, threshold
  // and answered check-ins (only the permission check without
  // `with_answers`).
  Result<GroupData> Load(const Viewer& viewer, const std::string& slug, bool with_answers);

  const AppContext& ctx_;
};

}  // namespace rt::app

#endif  // RT_APP_OUTCOMES_H_
