#ifndef RT_WEB_CHARTS_H_
#define RT_WEB_CHARTS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Charts drawn on the server as inline SVG (issue 7): a line chart of
// figures over months and a diverging bar chart of 5-point answers. Each is
// a <figure> holding the SVG (role="img", with a <title> and a <desc> that
// summarises the data in words) and, beside it, a <table> of every value
// with a <caption> and header cells, so that screen readers, printers and
// browsers without JavaScript get all of it. Colours keep at least 3:1
// against the chart's white ground, and every series also differs by dash
// pattern and marker shape (every answer by position and hatching), so the
// charts read in greyscale and without colour vision. All text is escaped.
// Pure functions; thread-safe.
namespace rt::web::charts {

// How values are written and scaled.
enum class Format {
  kCount,     // whole numbers
  kPercent,   // shares from 0 to 1, shown as "75%"
  kDuration,  // seconds, shown as "45 min", "3 h 20 min", "2 days 4 h"
};

// `v` as a person reads it; "no data" for nullopt.
std::string FormatValue(std::optional<double> v, Format f);

struct Series {
  std::string name;
  std::vector<std::optional<double>> values;  // one per label; nullopt: a gap
};

// One point of the x axis: `text` in the table and the description
// ("January 2026"), `axis` under the axis (a short first line, and a second
// line such as the year, which may be empty).
struct AxisLabel {
  std::string text;
  std::string axis;
  std::string axis_second;
};

struct LineChart {
  // Unique on the page; letters, digits and '-' (ids in the SVG build on it).
  std::string id;
  std::string title;
  std::string label_heading = "Month";  // the table's first column
  std::vector<AxisLabel> labels;
  std::vector<Series> series;  // up to 4 are told apart; more repeat styles
  Format format = Format::kCount;
};

std::string RenderLineChart(const LineChart& chart);

// One bar: the answers of one group of people (a moment) to one item,
// counts[0] = strongly disagree … counts[4] = strongly agree.
struct DivergingBar {
  std::string name;  // "Immediate"
  bool suppressed = false;
  std::array<int64_t, 5> counts{};
};

// One item (a statement) with its bars.
struct DivergingRow {
  std::string label;
  std::vector<DivergingBar> bars;
};

struct DivergingChart {
  std::string id;
  std::string title;
  std::array<std::string, 5> scale = {"Strongly disagree", "Disagree", "Neither agree nor disagree",
                                      "Agree", "Strongly agree"};
  std::vector<DivergingRow> rows;
  // Shown in place of a suppressed bar, and in the table.
  std::string suppressed_text = "Not enough answers yet";
};

// Bars centred on the neutral answer: disagreement to the left, agreement
// to the right, each as a share of the bar's answers.
std::string RenderDivergingChart(const DivergingChart& chart);

}  // namespace rt::web::charts

#endif  // RT_WEB_CHARTS_H_
