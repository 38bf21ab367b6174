#ifndef RT_APP_OUTCOME_REPORT_H_
#define RT_APP_OUTCOME_REPORT_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

// What the outcome check-ins (issue 7) tell staff about one group over one
// period, already made safe to show: every number here has passed the
// association's privacy threshold, and anything that did not carries
// `suppressed = true` with its counts zeroed. Plain values, no behaviour:
// app/outcomes builds it, the dashboard, the JSON API and the CSV export
// render it.
namespace rt::app {

// One 5-point item ("I have grown my professional network") at one moment.
struct OutcomeItemResult {
  std::string statement_id;  // stable id of the outcome statement
  std::string text;          // the statement as members read it
  bool suppressed = false;   // fewer answers than the threshold
  int64_t answered = 0;      // 0 when suppressed
  // counts[0] = strongly disagree … counts[4] = strongly agree; all 0 when
  // suppressed.
  std::array<int64_t, 5> counts{};
};

// All items for one moment ("immediate" or "follow_up").
struct OutcomeMomentResult {
  std::string moment;          // "immediate" | "follow_up"
  bool suppressed = false;     // fewer check-ins than the threshold
  int64_t respondents = 0;     // 0 when suppressed
  std::vector<OutcomeItemResult> items;  // in the association's order
};

// An answer to an open question, shown without a name unless the member
// chose to be quoted.
struct OpenAnswer {
  std::string moment;       // "immediate" | "follow_up"
  std::string question_id;  // "learned" | "improve"
  std::string question;     // the question's text
  std::string text;
  std::string quoted_name;  // empty unless the member agreed to be named
  int64_t answered_at = 0;  // unix seconds, rounded down to the month
};

struct OutcomeReport {
  // The period actually reported, in unix seconds [from, to): a requested
  // period is widened to whole release blocks so that no two reports can be
  // subtracted to reveal fewer answers than the threshold.
  int64_t from = 0;
  int64_t to = 0;
  int64_t threshold = 5;  // the association's setting (never below 3)
  OutcomeMomentResult immediate;
  OutcomeMomentResult follow_up;
  // Empty when both moments are suppressed.
  std::vector<OpenAnswer> open_answers;
};

}  // namespace rt::app

#endif  // RT_APP_OUTCOME_REPORT_H_
