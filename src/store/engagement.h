#ifndef RT_STORE_ENGAGEMENT_H_
#define RT_STORE_ENGAGEMENT_H_

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/ids.h"
#include "core/result.h"

// Engagement figures (issue 7), counted from the rows themselves by SQL
// aggregates: there is no counter of its own that could drift from the data.
// Errors as in store/store.h.
namespace rt::store {

// Which groups and which span of time to count. Months are UTC calendar
// months ("2026-01").
struct EngagementScope {
  AssociationId association;
  GroupId group;       // invalid: every group of `association`
  TimePoint from, to;  // [from, to), whole UTC days
  int grace_days = 0;  // the association's: a membership lapses after them
};

// What happened in one group over one span (a month, or the whole scope).
// Threads and replies are indexed by ThreadKind (discussion, question,
// story).
struct EngagementCounts {
  int64_t members_new = 0;     // joined in the span (and still members)
  int64_t members_lapsed = 0;  // members-only groups: membership lapsed
  // Distinct accounts that posted, replied or recommended a post in the
  // group. Not additive: the whole span has its own count.
  int64_t members_active = 0;
  std::array<int64_t, 3> threads{};  // started in the span, by kind
  std::array<int64_t, 3> replies{};  // visible replies written in the span
  // Of the questions started in the span, those with an accepted answer and
  // those with any visible reply (as they stand now).
  int64_t questions_answered = 0;
  int64_t questions_replied = 0;
  // Threads started in the span that someone other than their author has
  // answered, and the median of the seconds until the first such reply
  // (exact; the mean of the two middle values for an even count). Not
  // additive: the whole span has its own median.
  int64_t first_reply_threads = 0;
  std::optional<double> median_first_reply_seconds;
  int64_t resources_shared = 0;
  int64_t invitations_sent = 0;      // sent in the span
  int64_t invitations_accepted = 0;  // accepted in the span
  int64_t feedback_received = 0;     // sent in the span
  int64_t feedback_resolved = 0;     // of those, resolved now
};

// One group's counts, by month and for the whole scope.
struct GroupEngagementCounts {
  GroupId group;
  // Current members who had joined before the scope began. Leaving removes
  // the membership row, so no count here includes people who have left.
  int64_t members_before = 0;
  std::map<std::string, EngagementCounts> months;  // only months with data
  EngagementCounts period;
};

class EngagementRepository {
 public:
  virtual ~EngagementRepository() = default;
  // The counts of every group in `scope` that has any, ordered by group id
  // (groups without any are left out). One query per kind of figure,
  // whatever the number of groups or months: never one per group or month.
  virtual Result<std::vector<GroupEngagementCounts>> Count(const EngagementScope& scope) = 0;
};

}  // namespace rt::store

#endif  // RT_STORE_ENGAGEMENT_H_
