#ifndef RT_WEB_OUTCOME_SECTION_H_
#define RT_WEB_OUTCOME_SECTION_H_

#include <string>

#include "app/outcome_report.h"

namespace rt::web {

// The dashboard's outcome section for `report` (app/outcome_report.h), as
// HTML: a diverging bar chart of the 5-point items with the immediate and
// the follow-up check-in side by side for each statement (charts.h, with
// its data table), how many answered each, and the open answers, named only
// where the member agreed. A moment or item under the privacy threshold
// shows "Not enough answers yet (fewer than N)" and no numbers; a report
// with both moments suppressed (no check-ins yet) shows only that. The
// report is trusted to be safe already (the outcomes use case suppresses);
// this only draws it. All text is escaped. Thread-safe.
std::string RenderOutcomeSection(const app::OutcomeReport& report);

}  // namespace rt::web

#endif  // RT_WEB_OUTCOME_SECTION_H_
