// The liaison's dashboard (/groups/{slug}/dashboard), the association-wide
// comparison (/admin/groups/dashboard) and their CSV exports (issue 7).
// Both pages read one period from a GET form (?from=&to=), so a period can
// be bookmarked and shared, and work without JavaScript; they print cleanly
// (site.css, @media print).
#include <iterator>
#include <string>

#include "app/engagement.h"
#include "app/outcome_report.h"
#include "http/error_status.h"
#include "web/charts.h"
#include "web/csv.h"
#include "web/engagement_view.h"
#include "web/outcome_section.h"
#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

std::string PeriodText(const app::Period& p) { return p.from.Long() + " to " + p.to.Long(); }

// "?from=2026-01-01&to=2026-12-31", for links that keep the period.
std::string PeriodQuery(const app::Period& p) {
  return "?from=" + p.from.Iso() + "&to=" + p.to.Iso();
}

// The period form's data (period_form.mustache) with what was asked for
// and, when it is not a period, the error by its field.
void AddPeriodForm(Data& d, const RequestContext& c, std::string action, const Error* error) {
  d["action"] = std::move(action);
  d["from"] = c.req.QueryParam("from").substr(0, 32);
  d["to"] = c.req.QueryParam("to").substr(0, 32);
  if (error == nullptr) return;
  (error->field == "to" ? d["to_error"] : d["from_error"]) = error->message;
  Data errors = Data::List(1);
  Data& e = errors.AppendObject();
  e["message"] = error->message;
  e["href"] = "#field-" + (error->field.empty() ? std::string("from") : error->field);
  d["has_errors"] = true;
  d["errors"] = std::move(errors);
}

charts::Series SeriesOf(const app::EngagementReport& r, std::string name,
                        std::optional<double> (*value)(const app::EngagementFigures&)) {
  charts::Series s;
  s.name = std::move(name);
  s.values.reserve(r.months.size());
  for (const app::MonthFigures& m : r.months) s.values.push_back(value(m.figures));
  return s;
}

std::optional<double> Active(const app::EngagementFigures& f) {
  return static_cast<double>(f.members_active);
}
std::optional<double> New(const app::EngagementFigures& f) {
  return static_cast<double>(f.members_new);
}
std::optional<double> Threads(const app::EngagementFigures& f) {
  return static_cast<double>(f.threads_total());
}
std::optional<double> Replies(const app::EngagementFigures& f) {
  return static_cast<double>(f.replies_total());
}
std::optional<double> Answered(const app::EngagementFigures& f) { return f.answered_share(); }
std::optional<double> Replied(const app::EngagementFigures& f) { return f.replied_share(); }
std::optional<double> FirstReply(const app::EngagementFigures& f) {
  return f.median_first_reply_seconds;
}

// The four trend charts of the dashboard.
std::string TrendCharts(const app::EngagementReport& r) {
  std::vector<charts::AxisLabel> labels;
  labels.reserve(r.months.size());
  for (size_t i = 0; i < r.months.size(); ++i) {
    labels.push_back(MonthAxisLabel(r.months[i].month, i == 0));
  }
  struct Spec {
    const char* id;
    const char* title;
    charts::Format format;
    std::vector<charts::Series> series;
  };
  Spec specs[] = {
      {"chart-members",
       "Active people and new members",
       charts::Format::kCount,
       {SeriesOf(r, "Active people", Active), SeriesOf(r, "New members", New)}},
      {"chart-threads",
       "Threads started and replies",
       charts::Format::kCount,
       {SeriesOf(r, "Threads started", Threads), SeriesOf(r, "Replies", Replies)}},
      {"chart-questions",
       "Share of questions answered",
       charts::Format::kPercent,
       {SeriesOf(r, "With an accepted answer", Answered), SeriesOf(r, "With a reply", Replied)}},
      {"chart-first-reply",
       "Median time to a first reply",
       charts::Format::kDuration,
       {SeriesOf(r, "Median time to a first reply", FirstReply)}},
  };
  std::string out;
  for (Spec& s : specs) {
    charts::LineChart c;
    c.id = s.id;
    c.title = s.title;
    c.labels = labels;
    c.series = std::move(s.series);
    c.format = s.format;
    out += charts::RenderLineChart(c);
  }
  return out;
}

std::string Value(const FigureColumn& col, const app::EngagementFigures& f) {
  return charts::FormatValue(col.value(f), col.format);
}

// One moment of a group's outcome report as two cells of the comparison:
// how many checked in, and the share of their answers that agree (4 or 5)
// across every statement; "too few to show" under the threshold.
void AddMomentCells(const app::OutcomeMomentResult& m, Data& cells) {
  if (m.suppressed) {
    cells.Append("too few to show");
    cells.Append("—");
    return;
  }
  int64_t answered = 0, agree = 0;
  for (const app::OutcomeItemResult& it : m.items) {
    if (it.suppressed) continue;
    answered += it.answered;
    agree += it.counts[3] + it.counts[4];
  }
  cells.Append(std::to_string(m.respondents));
  cells.Append(charts::FormatValue(
      answered > 0 ? std::optional<double>(static_cast<double>(agree) / answered) : std::nullopt,
      charts::Format::kPercent));
}

}  // namespace

http::Response WebApp::DashboardPage(RequestContext& c) {
  std::string slug(c.req.Param("slug"));
  auto group = engagement_.MaySee(c.viewer, slug);
  if (!group.ok()) return Fail(c, group.error());
  const std::string& name = group->listing.group.name;
  Data d;
  d["slug"] = slug;
  d["group"] = Data::Borrow(name);
  auto period = RequestedPeriod(c);
  if (!period.ok()) {
    AddPeriodForm(d, c, "/groups/" + slug + "/dashboard", &period.error());
    return Page(c, http::StatusFor(period.error().kind), "Error: Dashboard — " + name,
                Templates::Fragment("dashboard", std::move(d)));
  }
  auto report = engagement_.ForGroup(c.viewer, slug, *period);
  if (!report.ok()) return Fail(c, report.error());
  AddPeriodForm(d, c, "/groups/" + slug + "/dashboard", nullptr);
  d["from"] = period->from.Iso();
  d["to"] = period->to.Iso();
  d["period_text"] = PeriodText(*period);
  // The outcome check-ins over the same days, widened to whole release
  // blocks by the privacy rule (app/outcomes.h).
  auto outcome_period =
      app::ParseOutcomePeriod(period->from.Iso(), period->to.Iso(), ctx_.clock->Today());
  if (!outcome_period.ok()) return Fail(c, outcome_period.error());
  auto outcomes = outcomes_.Report(c.viewer, slug, *outcome_period);
  if (!outcomes.ok()) return Fail(c, outcomes.error());
  d["outcomes"] = RenderOutcomeSection(*outcomes);
  Data totals = Data::List(EngagementColumns().size());
  for (const FigureColumn& col : EngagementColumns()) {
    Data& row = totals.AppendObject();
    row["label"] = col.label;
    row["value"] = Value(col, report->totals);
  }
  d["totals"] = std::move(totals);
  d["charts"] = TrendCharts(*report);
  d["engagement_csv"] = "/groups/" + slug + "/engagement.csv" + PeriodQuery(*period);
  return Page(c, 200, "Dashboard — " + name, Templates::Fragment("dashboard", std::move(d)));
}

Result<app::Period> WebApp::RequestedPeriod(const RequestContext& c) const {
  return app::ParsePeriod(c.req.QueryParam("from"), c.req.QueryParam("to"), ctx_.clock->Today());
}

Result<app::EngagementReport> WebApp::RequestedGroupEngagement(const RequestContext& c) {
  const std::string slug(c.req.Param("slug"));
  RT_RETURN_IF_ERROR(ToStatus(engagement_.MaySee(c.viewer, slug)));
  RT_ASSIGN_OR_RETURN(app::Period period, RequestedPeriod(c));
  return engagement_.ForGroup(c.viewer, slug, period);
}

http::Response WebApp::EngagementCsv(RequestContext& c) {
  const std::string slug(c.req.Param("slug"));
  auto report = RequestedGroupEngagement(c);
  if (!report.ok()) return Fail(c, report.error());
  const app::Period* period = &report->period;
  CsvWriter csv;
  std::vector<std::string> cells = {"month"};
  for (const FigureColumn& col : EngagementColumns()) cells.emplace_back(col.name);
  csv.Row(cells);
  auto row = [&](std::string first, const app::EngagementFigures& f) {
    cells.clear();
    cells.push_back(std::move(first));
    for (const FigureColumn& col : EngagementColumns()) {
      cells.push_back(CsvNumber(col.value(f), col.format));
    }
    csv.Row(cells);
  };
  for (const app::MonthFigures& m : report->months) row(m.month, m.figures);
  row("total", report->totals);
  return CsvDownload(
      slug + "-engagement-" + period->from.Iso() + "-to-" + period->to.Iso() + ".csv", csv.Take());
}

namespace {

// column,meaning for the figures after the `first` columns.
std::string ColumnsCsv(std::initializer_list<std::pair<const char*, const char*>> first) {
  CsvWriter csv;
  csv.Row({"column", "meaning"});
  for (const auto& [name, meaning] : first) csv.Row({name, meaning});
  for (const FigureColumn& col : EngagementColumns()) csv.Row({col.name, col.meaning});
  return csv.Take();
}

}  // namespace

http::Response WebApp::EngagementColumnsCsv(RequestContext& c) {
  std::string slug(c.req.Param("slug"));
  auto group = engagement_.MaySee(c.viewer, slug);
  if (!group.ok()) return Fail(c, group.error());
  return CsvDownload(
      slug + "-engagement-columns.csv",
      ColumnsCsv({{"month",
                   "The calendar month (UTC) as YYYY-MM; only the days inside the period "
                   "count. The last row, \"total\", is the whole period: people are counted "
                   "once however many months they were active in, and its median is over "
                   "every thread of the period"}}));
}

namespace {

struct SortColumn {
  const char* sort;
  const char* label;
  const char* direction;  // how this column sorts, for aria-sort
};

constexpr SortColumn kSortColumns[] = {
    {"name", "Group", "ascending"},
    {"members", "Members", "descending"},
    {"active", "Active people", "descending"},
    {"threads", "Threads", "descending"},
    {"replies", "Replies", "descending"},
    {"answered", "Questions answered", "descending"},
    {"first_reply", "Median first reply", "ascending"},
    {"feedback_open", "Feedback open", "descending"},
};

// The association-wide figures, one per sort column after the name: the
// figures named here are those of EngagementColumns.
constexpr const char* kAssociationFigures[] = {
    "members_total", "members_active",           "threads",
    "replies",       "questions_answered_share", "median_first_reply_seconds",
    "feedback_open"};

const FigureColumn& ColumnNamed(std::string_view name) {
  for (const FigureColumn& col : EngagementColumns()) {
    if (name == col.name) return col;
  }
  return EngagementColumns().front();  // unreachable: the names above exist
}

}  // namespace

http::Response WebApp::AssociationDashboardPage(RequestContext& c) {
  if (Status may = engagement_.MaySeeAssociation(c.viewer); !may.ok()) {
    return Fail(c, may.error());
  }
  Data d;
  std::string sort = c.req.QueryParam("sort");
  auto period = RequestedPeriod(c);
  if (!period.ok()) {
    AddPeriodForm(d, c, "/admin/groups/dashboard", &period.error());
    return Page(c, http::StatusFor(period.error().kind), "Error: Groups compared",
                Templates::Fragment("association_dashboard", std::move(d)));
  }
  auto all = engagement_.ForAssociation(c.viewer, *period, sort);
  if (!all.ok()) return Fail(c, all.error());
  AddPeriodForm(d, c, "/admin/groups/dashboard", nullptr);
  d["from"] = period->from.Iso();
  d["to"] = period->to.Iso();
  d["sort"] = all->sort;
  d["period_text"] = PeriodText(*period);
  const std::string query = PeriodQuery(*period);
  Data columns = Data::List(std::size(kSortColumns));
  for (const SortColumn& col : kSortColumns) {
    Data& o = columns.AppendObject();
    o["label"] = col.label;
    if (all->sort == col.sort) {
      o["current"] = true;
      o["direction"] = col.direction;
      d["sorted_by"] = text::ToLowerAscii(col.label);
    }
    o["href"] = "/admin/groups/dashboard" + query + "&sort=" + col.sort;
  }
  d["columns"] = std::move(columns);
  Data rows = Data::List(all->groups.size());
  for (const app::GroupEngagementRow& g : all->groups) {
    Data& row = rows.AppendObject();
    row["slug"] = Data::Borrow(g.listing.group.slug);
    row["name"] = Data::Borrow(g.listing.group.name);
    row["query"] = query;
    Data cells = Data::List(std::size(kAssociationFigures));
    for (const char* name : kAssociationFigures) cells.Append(Value(ColumnNamed(name), g.totals));
    row["cells"] = std::move(cells);
  }
  if (all->groups.empty()) d["empty"] = true;
  d["rows"] = std::move(rows);
  d["csv"] = "/admin/groups/engagement.csv" + query;
  // The outcome check-ins of the same days, each group under the privacy
  // rule of app/outcomes.h.
  auto outcome_period =
      app::ParseOutcomePeriod(period->from.Iso(), period->to.Iso(), ctx_.clock->Today());
  if (!outcome_period.ok()) return Fail(c, outcome_period.error());
  auto outcomes = outcomes_.ReportsByGroup(c.viewer, *outcome_period);
  if (!outcomes.ok()) return Fail(c, outcomes.error());
  Data outcome_rows = Data::List(outcomes->size());
  for (const app::GroupOutcomes& g : *outcomes) {
    Data& row = outcome_rows.AppendObject();
    row["slug"] = Data::Borrow(g.slug);
    row["name"] = Data::Borrow(g.name);
    row["query"] = query;
    Data cells = Data::List(4);
    AddMomentCells(g.report.immediate, cells);
    AddMomentCells(g.report.follow_up, cells);
    row["cells"] = std::move(cells);
    d["threshold"] = std::to_string(g.report.threshold);
  }
  if (!outcomes->empty()) d["outcome_rows"] = std::move(outcome_rows);
  return Page(c, 200, "Groups compared",
              Templates::Fragment("association_dashboard", std::move(d)));
}

http::Response WebApp::AssociationEngagementCsv(RequestContext& c) {
  if (Status may = engagement_.MaySeeAssociation(c.viewer); !may.ok()) {
    return Fail(c, may.error());
  }
  auto period = RequestedPeriod(c);
  if (!period.ok()) return Fail(c, period.error());
  auto all = engagement_.ForAssociation(c.viewer, *period, c.req.QueryParam("sort"));
  if (!all.ok()) return Fail(c, all.error());
  CsvWriter csv;
  std::vector<std::string> cells = {"group_slug", "group_name"};
  for (const FigureColumn& col : EngagementColumns()) cells.emplace_back(col.name);
  csv.Row(cells);
  for (const app::GroupEngagementRow& g : all->groups) {
    cells = {g.listing.group.slug, g.listing.group.name};
    for (const FigureColumn& col : EngagementColumns()) {
      cells.push_back(CsvNumber(col.value(g.totals), col.format));
    }
    csv.Row(cells);
  }
  return CsvDownload("groups-engagement-" + period->from.Iso() + "-to-" + period->to.Iso() + ".csv",
                     csv.Take());
}

http::Response WebApp::AssociationEngagementColumnsCsv(RequestContext& c) {
  if (Status may = engagement_.MaySeeAssociation(c.viewer); !may.ok()) {
    return Fail(c, may.error());
  }
  return CsvDownload("groups-engagement-columns.csv",
                     ColumnsCsv({{"group_slug", "The group's short name, as in its address"},
                                 {"group_name", "The group's name"}}));
}

}  // namespace rt::web
