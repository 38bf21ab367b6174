#ifndef RT_APP_ENGAGEMENT_H_
#define RT_APP_ENGAGEMENT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/context.h"
#include "app/group_access.h"
#include "app/groups.h"
#include "core/date.h"
#include "domain/discussions/thread.h"
#include "store/engagement.h"
#include "store/store.h"

// Engagement figures per group and period (issue 7, point 3): members,
// threads and replies, questions answered, time to a first reply,
// resources, invitations and feedback, all counted from the data by the
// store (store::EngagementRepository). Staff read them on a group's
// dashboard, on the association-wide comparison and through the API and
// the CSV exports; policy::CanSeeGroupOutcomes and CanManageAssociation say
// who may.
namespace rt::app {

// A period of whole UTC days, both ends included ("2026-01-01" to
// "2026-12-31").
struct Period {
  Date from;
  Date to;
};

// The longest period asked for: five years.
inline constexpr int kMaxPeriodYears = 5;

// The period a request names by its `from` and `to` ("YYYY-MM-DD", either
// may be empty). Without `from`, the period starts on the first day of the
// 12th month before `to` (12 calendar months, the current one included);
// without `to` it ends `today`. A period ending after today ends today.
// Errors (kRuleBroken, naming the field): "invalid_date" for text that is
// not a date, "period_reversed" when it starts after it ends (or after
// today), "period_too_long" for more than five years.
Result<Period> ParsePeriod(std::string_view from, std::string_view to, Date today);

// "2026-01" for each calendar month the period touches, oldest first.
std::vector<std::string> MonthsOf(const Period& p);

// The counts of one group over one span, with what follows from them.
struct EngagementFigures : store::EngagementCounts {
  // Current members who had joined by the end of the span.
  int64_t members_total = 0;

  int64_t threads_total() const { return threads[0] + threads[1] + threads[2]; }
  int64_t replies_total() const { return replies[0] + replies[1] + replies[2]; }
  int64_t questions() const { return threads[static_cast<int>(ThreadKind::kQuestion)]; }
  // Shares from 0 to 1 of the questions started in the span; nullopt when
  // none was.
  std::optional<double> answered_share() const;
  std::optional<double> replied_share() const;
  // Feedback received in the span and not resolved yet.
  int64_t feedback_open() const { return feedback_received - feedback_resolved; }
};

struct MonthFigures {
  std::string month;  // "2026-01"
  EngagementFigures figures;
};

// One group's figures: each month of the period (only the part of a month
// inside the period counts) and the whole period.
struct EngagementReport {
  GroupView group;
  Period period;
  std::vector<MonthFigures> months;  // every month the period touches
  EngagementFigures totals;
};

// One group of the association-wide comparison.
struct GroupEngagementRow {
  store::GroupListing listing;
  EngagementFigures totals;
};

// How the association-wide comparison may be sorted (?sort=): by name
// (A to Z), by the fastest first reply, or by the largest of a figure.
inline constexpr std::string_view kEngagementSorts[] = {
    "name", "members", "active", "threads", "replies", "answered", "first_reply", "feedback_open"};

struct AssociationEngagement {
  Association association;
  Period period;
  std::string sort;                        // one of kEngagementSorts
  std::vector<GroupEngagementRow> groups;  // every group, in `sort` order
};

// Assembles a group's report from the store's counts (`counts` may be null
// when the group had no activity at all). Pure; exposed for tests.
void FillMonths(const Period& p, const store::GroupEngagementCounts* counts,
                EngagementReport& report);

// Thread-safe.
class EngagementService {
 public:
  explicit EngagementService(const AppContext& ctx) : ctx_(ctx) {}

  // The group's figures for the period. Errors: kNotFound "group_not_found"
  // (also when the viewer may not know it exists); kUnauthenticated
  // "not_signed_in"; kForbidden "not_staff" for everyone else who is not
  // the group's staff (policy::CanSeeGroupOutcomes).
  Result<EngagementReport> ForGroup(const Viewer& viewer, const std::string& slug,
                                    const Period& period);

  // The group as the viewer sees it, when they may see its figures;
  // otherwise ForGroup's errors. For what shows no figures (column
  // definitions, a period that is not valid).
  Result<GroupView> MaySee(const Viewer& viewer, const std::string& slug);

  // Ok for association admins; otherwise ForAssociation's errors of who asks.
  Status MaySeeAssociation(const Viewer& viewer);

  // Every group of the association with its figures for the period, in
  // `sort` order ("" for by name), counted with one query per kind of
  // figure for all groups together. Errors: kUnauthenticated
  // "not_signed_in"; kNotFound "not_found" for anyone but an association
  // admin (policy::CanManageAssociation); kInvalidInput "invalid_sort"
  // (field "sort").
  Result<AssociationEngagement> ForAssociation(const Viewer& viewer, const Period& period,
                                               std::string_view sort);

 private:
  Result<GroupAccess> Authorise(store::Store& db, const Viewer& viewer, const std::string& slug);
  const AppContext& ctx_;
};

}  // namespace rt::app

#endif  // RT_APP_ENGAGEMENT_H_
