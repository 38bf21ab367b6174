// The server-rendered charts, the outcome section and the CSV writer:
// well-formed markup, values where they belong, text alternatives, and
// escaping.
#include "web/charts.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "web/csv.h"
#include "web/outcome_section.h"

namespace rt::web {
namespace {

size_t Count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t i = s.find(what); i != std::string::npos; i = s.find(what, i + 1)) ++n;
  return n;
}

// Whether `s` is well-formed as XML: every tag closed in order, attribute
// values quoted, and no raw '<' or bare '&' in text or attributes. Returns
// "" or what is wrong. (The charts are written to be XML as well as HTML.)
std::string WellFormed(const std::string& s) {
  std::vector<std::string> open;
  auto entity_ok = [&](size_t i) {
    size_t semi = s.find(';', i);
    if (semi == std::string::npos || semi - i > 8) return false;
    for (size_t k = i + 1; k < semi; ++k) {
      if (!isalnum(static_cast<unsigned char>(s[k])) && s[k] != '#') return false;
    }
    return true;
  };
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '&') {
      if (!entity_ok(i)) return "bare & at " + std::to_string(i);
      ++i;
      continue;
    }
    if (s[i] != '<') {
      if (s[i] == '>') return "raw > at " + std::to_string(i);
      ++i;
      continue;
    }
    size_t end = i + 1;
    char quote = 0;
    for (; end < s.size(); ++end) {
      if (quote) {
        if (s[end] == quote)
          quote = 0;
        else if (s[end] == '<')
          return "< in an attribute at " + std::to_string(end);
        else if (s[end] == '&' && !entity_ok(end))
          return "bare & in an attribute";
      } else if (s[end] == '"' || s[end] == '\'') {
        quote = s[end];
      } else if (s[end] == '>') {
        break;
      } else if (s[end] == '<') {
        return "< inside a tag at " + std::to_string(end);
      }
    }
    if (end >= s.size()) return "unclosed tag at " + std::to_string(i);
    std::string tag = s.substr(i + 1, end - i - 1);
    bool closing = !tag.empty() && tag[0] == '/';
    bool self_closing = !tag.empty() && tag.back() == '/';
    std::string name =
        tag.substr(closing ? 1 : 0, tag.find_first_of(" /", closing ? 1 : 0) - (closing ? 1 : 0));
    if (name.empty()) return "empty tag name at " + std::to_string(i);
    if (closing) {
      if (open.empty() || open.back() != name) return "</" + name + "> closes nothing open";
      open.pop_back();
    } else if (!self_closing) {
      open.push_back(name);
    }
    i = end + 1;
  }
  if (!open.empty()) return "<" + open.back() + "> is never closed";
  return "";
}

charts::LineChart TwoMonths() {
  charts::LineChart c;
  c.id = "chart-test";
  c.title = "Active people";
  c.labels = {{"January 2026", "Jan", "2026"}, {"February 2026", "Feb", ""}};
  c.series = {{"Active", {0.0, 10.0}}};
  return c;
}

TEST(LineChartTest, IsWellFormedWithATextAlternativeAndATable) {
  std::string html = charts::RenderLineChart(TwoMonths());
  EXPECT_EQ(WellFormed(html), "") << html;
  EXPECT_NE(html.find("role=\"img\""), std::string::npos);
  EXPECT_NE(html.find("aria-labelledby=\"chart-test-title\""), std::string::npos);
  EXPECT_NE(html.find("aria-describedby=\"chart-test-desc\""), std::string::npos);
  EXPECT_NE(html.find("<title id=\"chart-test-title\">Active people</title>"), std::string::npos);
  EXPECT_NE(html.find("<desc id=\"chart-test-desc\">Active: 0 in January 2026, 10 in February "
                      "2026; highest 10 in February 2026."),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<caption>Active people</caption>"), std::string::npos);
  EXPECT_NE(html.find("<th scope=\"col\">Month</th><th scope=\"col\">Active</th>"),
            std::string::npos);
  EXPECT_NE(html.find("<tr><th scope=\"row\">February 2026</th><td>10</td></tr>"),
            std::string::npos);
}

TEST(LineChartTest, PlacesValuesOnTheScale) {
  std::string html = charts::RenderLineChart(TwoMonths());
  // The plot runs from x 64 to 624 and from y 252 (0) up to 40 (10, the
  // top of a 0..10 axis in steps of 2).
  EXPECT_NE(html.find("points=\"64.0,252.0 624.0,40.0\""), std::string::npos) << html;
  EXPECT_NE(html.find(">10</text>"), std::string::npos);
  EXPECT_NE(html.find(">Jan</text>"), std::string::npos);
  EXPECT_NE(html.find(">2026</text>"), std::string::npos);
}

TEST(LineChartTest, BreaksLinesAtGapsAndTellsSeriesApartWithoutColour) {
  charts::LineChart c = TwoMonths();
  c.labels.push_back({"March 2026", "Mar", ""});
  c.series = {{"Active", {1.0, std::nullopt, 3.0}}, {"New", {1.0, 2.0, 3.0}}};
  std::string html = charts::RenderLineChart(c);
  EXPECT_EQ(WellFormed(html), "");
  // The first series has only single points between gaps: no line, two
  // markers (and one in the legend); the second one line, dashed.
  EXPECT_EQ(Count(html, "<polyline"), 1u);
  EXPECT_EQ(Count(html, "<circle"), 3u);
  EXPECT_EQ(Count(html, "stroke-dasharray=\"8 4\""), 2u);  // its line and its legend
  EXPECT_EQ(Count(html, "width=\"8\" height=\"8\""), 4u);  // square markers
  EXPECT_NE(html.find("<td>no data</td>"), std::string::npos);
}

TEST(LineChartTest, FormatsSharesAndDurations) {
  charts::LineChart c = TwoMonths();
  c.format = charts::Format::kPercent;
  c.series = {{"Answered", {0.5, 0.25}}};
  std::string html = charts::RenderLineChart(c);
  EXPECT_NE(html.find("<td>50%</td>"), std::string::npos);
  EXPECT_NE(html.find(">100%</text>"), std::string::npos);
  EXPECT_EQ(charts::FormatValue(5400, charts::Format::kDuration), "1 h 30 min");
  EXPECT_EQ(charts::FormatValue(20, charts::Format::kDuration), "under a minute");
  EXPECT_EQ(charts::FormatValue(2 * 86400 + 4 * 3600, charts::Format::kDuration), "2 days 4 h");
  EXPECT_EQ(charts::FormatValue(std::nullopt, charts::Format::kCount), "no data");
}

TEST(LineChartTest, EscapesEveryText) {
  charts::LineChart c = TwoMonths();
  c.title = "A <b>&\"title\"";
  c.series[0].name = "<script>alert('x')</script>";
  c.labels[0].text = "Jan <i>";
  std::string html = charts::RenderLineChart(c);
  EXPECT_EQ(WellFormed(html), "") << html;
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("A &lt;b&gt;&amp;&quot;title&quot;"), std::string::npos);
}

charts::DivergingChart OneItem() {
  charts::DivergingChart c;
  c.id = "chart-div";
  c.title = "Outcomes";
  c.suppressed_text = "Not enough answers yet (fewer than 5)";
  charts::DivergingRow row;
  row.label = "I know more about the topic";
  charts::DivergingBar now{"Immediate", false, {1, 1, 2, 3, 3}};
  charts::DivergingBar later{"Follow-up", true, {}};
  row.bars = {now, later};
  c.rows = {row};
  return c;
}

TEST(DivergingChartTest, CentresBarsOnTheNeutralAnswer) {
  std::string html = charts::RenderDivergingChart(OneItem());
  EXPECT_EQ(WellFormed(html), "") << html;
  // 10 answers: 10% + 10% + half of 20% to the left of the centre (368),
  // on a half-width of 256 for 100%.
  EXPECT_NE(html.find("<rect x=\"291.2\""), std::string::npos) << html;
  EXPECT_NE(html.find("width=\"25.6\""), std::string::npos);
  EXPECT_NE(html.find("width=\"76.8\""), std::string::npos);  // 30% agree
  // Disagree and agree are hatched, so the five differ without colour.
  EXPECT_NE(html.find("fill=\"url(#chart-div-hatch-1)\""), std::string::npos);
  EXPECT_NE(html.find("<pattern id=\"chart-div-hatch-3\""), std::string::npos);
  EXPECT_NE(html.find("I know more about the topic, Immediate: 60% agree, 20% neither, 20% "
                      "disagree (10 answers)."),
            std::string::npos);
  EXPECT_NE(html.find("<td>3 (30%)</td>"), std::string::npos);
  EXPECT_NE(html.find("<td colspan=\"6\">Not enough answers yet (fewer than 5)</td>"),
            std::string::npos);
  EXPECT_NE(html.find(">Not enough answers yet (fewer than 5)</text>"), std::string::npos);
}

app::OutcomeReport EmptyReport() {
  app::OutcomeReport r;
  r.threshold = 5;
  r.immediate = {"immediate", true, 0, {}};
  r.follow_up = {"follow_up", true, 0, {}};
  return r;
}

TEST(OutcomeSectionTest, NoCheckInsYetSaysSoWithoutAChart) {
  std::string html = RenderOutcomeSection(EmptyReport());
  EXPECT_EQ(WellFormed(html), "") << html;
  EXPECT_NE(html.find("Not enough answers yet (fewer than 5)"), std::string::npos);
  EXPECT_NE(html.find("No open answers to show yet."), std::string::npos);
  EXPECT_EQ(html.find("<svg"), std::string::npos);
}

TEST(OutcomeSectionTest, DrawsTheMomentsSideBySideAndNamesOnlyThoseWhoAgreed) {
  app::OutcomeReport r = EmptyReport();
  r.threshold = 3;
  r.immediate.suppressed = false;
  r.immediate.respondents = 7;
  r.immediate.items = {
      {"network", "I have grown my <professional> network", false, 7, {0, 1, 1, 3, 2}},
      {"skills", "I have built skills", true, 0, {}}};
  r.follow_up.suppressed = false;
  r.follow_up.respondents = 4;
  r.follow_up.items = {
      {"network", "I have grown my <professional> network", false, 4, {0, 0, 1, 1, 2}}};
  r.open_answers = {
      {"immediate", "learned", "What did you learn or apply?", "Ask <b>early</b>", "", 0},
      {"follow_up", "learned", "What did you learn or apply?", "Shared it", "Ana Active",
       1772323200},
      {"immediate", "improve", "What would make this group more useful?", "More events", "", 0}};
  std::string html = RenderOutcomeSection(r);
  EXPECT_EQ(WellFormed(html), "") << html;
  EXPECT_NE(html.find("Immediate check-in: 7 members answered"), std::string::npos) << html;
  EXPECT_NE(html.find("Follow-up check-in: 4 members answered"), std::string::npos);
  EXPECT_NE(html.find("role=\"img\""), std::string::npos);
  EXPECT_NE(html.find("I have grown my &lt;professional&gt; network, Immediate: 71% agree"),
            std::string::npos);
  EXPECT_NE(html.find("I have grown my &lt;professional&gt; network, Follow-up: 75% agree"),
            std::string::npos);
  // An item under the threshold shows no numbers, in the chart or table.
  EXPECT_NE(html.find("I have built skills, Immediate: Not enough answers yet (fewer than 3)"),
            std::string::npos);
  EXPECT_NE(html.find("Ask &lt;b&gt;early&lt;/b&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<b>early"), std::string::npos);
  EXPECT_NE(html.find("— a member · Immediate check-in"), std::string::npos);
  EXPECT_NE(html.find("— Ana Active · Follow-up check-in · March 2026"), std::string::npos);
  EXPECT_EQ(Count(html, "<h4>"), 2u);  // the two questions
}

// A full report drawn for tests/e2e/sweep.test.mjs, which puts it into a
// real dashboard page for axe and vnu (RT_OUTCOME_SAMPLE names the file).
TEST(OutcomeSectionTest, WritesASampleForTheAccessibilitySweep) {
  app::OutcomeReport r = EmptyReport();
  r.immediate.suppressed = false;
  r.immediate.respondents = 12;
  r.follow_up.suppressed = false;
  r.follow_up.respondents = 6;
  const char* statements[][2] = {{"network", "I have grown my professional network"},
                                 {"skills", "I have built professional skills"},
                                 {"knowledge", "I know more about the topic"},
                                 {"confidence", "I feel more confident about the topic"},
                                 {"resources", "I am more aware of resources"},
                                 {"apply", "I have applied what I learned in my library"},
                                 {"share", "I have shared what I learned with colleagues"},
                                 {"engage", "I engage more with the association"}};
  int i = 0;
  for (auto [id, text] : statements) {
    r.immediate.items.push_back({id, text, false, 12, {i % 2, 1, 2, 5 - i % 3, 4 + i % 3}});
    r.follow_up.items.push_back(
        {id, text, i == 5, i == 5 ? 0 : 6,
         i == 5 ? std::array<int64_t, 5>{} : std::array<int64_t, 5>{0, 1, 1, 2, 2}});
    ++i;
  }
  r.open_answers = {{"immediate", "learned", "What did you learn or apply?",
                     "A simple survey for programs.", "", 0},
                    {"follow_up", "improve", "What would make this group more useful?",
                     "Evening meetings.", "Ana Active", 1772323200}};
  std::string html = RenderOutcomeSection(r);
  ASSERT_EQ(WellFormed(html), "");
  EXPECT_EQ(Count(html, ", Follow-up: "), 8u);  // every statement, in the description
  EXPECT_EQ(Count(html, "<td colspan=\"6\">Not enough answers yet (fewer than 5)</td>"), 1u);
  if (const char* path = std::getenv("RT_OUTCOME_SAMPLE")) {
    std::ofstream(path) << html;
  }
}

TEST(CsvTest, QuotesWhatMustBeQuotedAndDefusesFormulas) {
  EXPECT_EQ(CsvCell("plain"), "plain");
  EXPECT_EQ(CsvCell("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvCell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvCell("two\r\nlines"), "\"two\r\nlines\"");
  EXPECT_EQ(CsvCell("=SUM(A1:A2)"), "'=SUM(A1:A2)");
  EXPECT_EQ(CsvCell("+1"), "'+1");
  EXPECT_EQ(CsvCell("-1"), "'-1");
  EXPECT_EQ(CsvCell("@cmd"), "'@cmd");
  EXPECT_EQ(CsvCell("=1,2"), "\"'=1,2\"");
  EXPECT_EQ(CsvCell(""), "");
  CsvWriter w;
  w.Row({"month", "members"});
  w.Row(std::vector<std::string>{"2026-01", "12"});
  EXPECT_EQ(w.text(), "month,members\r\n2026-01,12\r\n");
  http::Response r = CsvDownload("data measurement/ä.csv", w.Take());
  EXPECT_EQ(r.GetHeader("Content-Disposition"), "attachment; filename=\"data-measurement---.csv\"");
  EXPECT_EQ(r.GetHeader("Content-Type"), "text/csv; charset=utf-8; header=present");
}

}  // namespace
}  // namespace rt::web
