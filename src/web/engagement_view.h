#ifndef RT_WEB_ENGAGEMENT_VIEW_H_
#define RT_WEB_ENGAGEMENT_VIEW_H_

#include <nlohmann/json.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "app/engagement.h"
#include "web/charts.h"

// How engagement figures are named, explained and written, the same way in
// the JSON API, the CSV exports and their column definitions
// (pages_dashboard.cc, api_engagement.cc). Thread-safe.
namespace rt::web {

// One figure: its snake_case name (the JSON key and the CSV column), its
// short label on pages, what it means in one sentence, and how to read it
// from the figures.
struct FigureColumn {
  const char* name;
  const char* label;
  const char* meaning;
  charts::Format format;
  std::optional<double> (*value)(const app::EngagementFigures&);
};

// Every figure, in the order the exports list them.
std::span<const FigureColumn> EngagementColumns();

// {"members_total": 12, …, "questions_answered_share": 0.75 or null,
// "median_first_reply_seconds": 5400.0 or null}.
nlohmann::json FiguresJson(const app::EngagementFigures& f);

// A figure as a CSV cell: counts as integers, shares from 0 to 1 with four
// decimals, durations in whole seconds; "" when there is no value.
std::string CsvNumber(std::optional<double> v, charts::Format f);

// "2026-01" -> "January 2026"; the text itself when it is not a month.
std::string MonthText(std::string_view month);

// The x-axis label of a month: "Jan", with the year beneath on the first
// point and on each January.
charts::AxisLabel MonthAxisLabel(std::string_view month, bool first);

}  // namespace rt::web

#endif  // RT_WEB_ENGAGEMENT_VIEW_H_
