#ifndef RT_DOMAIN_OUTCOMES_CHECKINS_H_
#define RT_DOMAIN_OUTCOMES_CHECKINS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/ids.h"

// Outcome check-ins (issue 7): a member says, for one group, how far they
// agree with each of the association's outcome statements, at two moments.
// Pure rules only: when a check-in is due, and how answers are grouped into
// release blocks before staff may see any figure (app/outcomes.h).
namespace rt {

using CheckinId = Id<struct CheckinTag>;

// The two moments of library outcome measurement: soon after the member
// got something from the group, and six weeks later (did they apply it?).
enum class CheckinMoment { kImmediate, kFollowUp };
inline constexpr std::array<CheckinMoment, 2> kCheckinMoments = {CheckinMoment::kImmediate,
                                                                 CheckinMoment::kFollowUp};
std::string_view ToString(CheckinMoment m);  // "immediate" | "follow_up"
std::optional<CheckinMoment> ParseCheckinMoment(std::string_view s);

// What became of one moment for one member of one group.
enum class CheckinState {
  kAnswered,
  kSkipped,  // "Not now": never offered again, may still be answered
  kDeleted,  // the member deleted their answers: not offered again
};
std::string_view ToString(CheckinState s);
std::optional<CheckinState> ParseCheckinState(std::string_view s);

// One of the association's outcome statements ("I have grown my
// professional network"). `id` is stable: answers refer to it.
struct OutcomeStatement {
  std::string id;  // [a-z0-9_], 1..32 characters
  std::string text;
  int position = 0;
  bool active = true;  // retired statements are no longer asked
};

// The eight statements every association starts with (also seeded by
// migration 020, which must say the same).
std::vector<OutcomeStatement> DefaultOutcomeStatements();

// Whether `id` may name a statement: 1..32 of [a-z0-9_], not one of the
// open questions' ids.
bool IsValidStatementId(std::string_view id);

// The two open questions asked after the statements.
struct OpenQuestion {
  std::string_view id;
  std::string_view text;
};
inline constexpr std::array<OpenQuestion, 2> kOpenQuestions = {{
    {"learned", "What did you learn or apply?"},
    {"improve", "What would make this group more useful?"},
}};

// Limits of what a check-in takes.
inline constexpr int kScaleMin = 1;                  // strongly disagree
inline constexpr int kScaleMax = 5;                  // strongly agree
inline constexpr size_t kMaxOpenAnswerChars = 2000;  // code points
inline constexpr size_t kMaxStatementBytes = 200;
inline constexpr int kMaxStatements = 20;
// The smallest privacy threshold an association may choose.
inline constexpr int kMinOutcomeThreshold = 3;
inline constexpr int kDefaultOutcomeThreshold = 5;

// When each moment comes due.
inline constexpr int kImmediateAfterDays = 30;  // of group membership
inline constexpr int kFollowUpAfterDays = 42;   // after the immediate one

// What the due rule needs to know about one member of one group.
struct CheckinFacts {
  TimePoint joined_at;
  // Whether a question of theirs got an accepted answer, or an answer of
  // theirs was accepted, in the group.
  bool has_accepted_answer = false;
  // When the immediate check-in was answered, skipped or deleted; nullopt
  // while it is still open.
  std::optional<TimePoint> immediate_done_at;
  bool follow_up_done = false;
};

// The moment due at `now`, if any: the immediate one after the first
// accepted answer or 30 days of membership, whichever comes first; the
// follow-up 42 days after the immediate one was answered or skipped. Each
// at most once.
std::optional<CheckinMoment> DueMoment(const CheckinFacts& f, TimePoint now);

// --- Release blocks -------------------------------------------------------

// Months are counted from January 1970 (0) in UTC: a check-in belongs to
// the month in which it was answered.
int MonthIndex(TimePoint t);
TimePoint MonthStart(int month_index);

// The answered check-ins of one calendar month.
struct MonthCount {
  int month = 0;  // MonthIndex
  int64_t checkins = 0;
};

// A run of consecutive months whose check-ins are released together.
struct ReleaseBlock {
  int first_month = 0;
  int end_month = 0;  // exclusive
  int64_t checkins = 0;
};

// Joins `months` (ascending, without repeats) oldest first into blocks, each
// closed as soon as it holds >= `threshold` check-ins. The trailing block
// that has not reached the threshold is left out: it is never released.
std::vector<ReleaseBlock> ReleaseBlocks(const std::vector<MonthCount>& months, int64_t threshold);

}  // namespace rt

#endif  // RT_DOMAIN_OUTCOMES_CHECKINS_H_
