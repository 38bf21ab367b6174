// Outcome pages for staff: the association's outcome statements and
// threshold for its admins (/admin/outcomes; 404 for everyone else signed
// in), and a group's outcome exports as CSV for its staff. The same use
// cases as api_outcomes.cc (app/outcomes.h).
#include <string>
#include <vector>

#include "http/error_status.h"
#include "web/csv.h"
#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

constexpr const char* kTitle = "Outcome statements";
constexpr int kMaxFormStatements = 100;

constexpr const char* kLevelColumns[5] = {"strongly_disagree", "disagree", "neutral", "agree",
                                          "strongly_agree"};

// What the form shows and what is wrong with it.
struct SettingsForm {
  std::vector<OutcomeStatement> statements;
  std::string threshold;
  std::string new_id;
  std::string new_text;
  std::vector<Error> errors;  // at most one per field
};

Data SettingsData(const RequestContext& c, const SettingsForm& f) {
  Data d;
  d["csrf"] = Data::Borrow(c.Csrf());
  d["threshold"] = Data::Borrow(f.threshold);
  d["count"] = std::to_string(f.statements.size());
  d["new_id"] = Data::Borrow(f.new_id);
  d["new_text"] = Data::Borrow(f.new_text);
  Data summary = Data::List(f.errors.size());
  Data list = Data::List(f.statements.size());
  for (size_t i = 0; i < f.statements.size(); ++i) {
    const OutcomeStatement& s = f.statements[i];
    Data& o = list.AppendObject();
    o["index"] = std::to_string(i);
    o["id"] = Data::Borrow(s.id);
    o["text"] = Data::Borrow(s.text);
    o["position"] = std::to_string(s.position);
    if (s.active) o["active"] = true;
    for (const Error& e : f.errors) {
      if (e.field == "statements." + s.id + ".text") o["error"] = Data::Borrow(e.message);
    }
  }
  for (const Error& e : f.errors) {
    Data& s = summary.AppendObject();
    s["message"] = Data::Borrow(e.message);
    if (e.field == "threshold") {
      s["href"] = "#field-threshold";
      d["threshold_error"] = Data::Borrow(e.message);
    } else if (e.field.starts_with("statements.") && e.field.ends_with(".text")) {
      s["href"] = "#field-text-" + e.field.substr(11, e.field.size() - 16);
    } else {
      s["href"] = "#field-new-id";
      d["new_error"] = Data::Borrow(e.message);
    }
  }
  d["statements"] = std::move(list);
  if (!f.errors.empty()) {
    d["has_errors"] = true;
    d["errors"] = std::move(summary);
  }
  return d;
}

std::string FileName(const std::string& slug, const char* what) {
  return slug + "-" + what + ".csv";
}

}  // namespace

http::Response WebApp::OutcomeSettingsPage(RequestContext& c) {
  auto s = outcomes_.Settings(c.viewer);
  if (!s.ok()) return Fail(c, s.error());
  SettingsForm f;
  f.statements = s->statements;
  f.threshold = std::to_string(s->threshold);
  return Page(c, 200, kTitle, Templates::Fragment("admin_outcomes", SettingsData(c, f)));
}

http::Response WebApp::OutcomeSettingsForm(RequestContext& c) {
  // Who asks is checked before the form is read, as for the API.
  auto now = outcomes_.Settings(c.viewer);
  if (!now.ok()) return Fail(c, now.error());
  SettingsForm f;
  app::OutcomeSettingsChange change;
  f.threshold = std::string(text::Trim(c.Field("threshold")));
  if (auto t = ParseId(f.threshold); t && *t <= 100000) {
    change.threshold = static_cast<int>(*t);
  } else {
    f.errors.push_back(MakeError(ErrorKind::kRuleBroken, "threshold_invalid",
                                 "Enter the threshold as a whole number of at least 3.",
                                 "threshold"));
  }
  int count = static_cast<int>(ParseId(c.Field("count")).value_or(0));
  for (int i = 0; i < std::min(count, kMaxFormStatements); ++i) {
    const std::string n = std::to_string(i);
    OutcomeStatement s;
    s.id = c.Field("id_" + n);
    bool known = false;
    for (const OutcomeStatement& old : now->statements) known = known || old.id == s.id;
    if (!known) continue;  // the form only edits statements that exist
    s.text = c.Field("text_" + n);
    std::string pos(text::Trim(c.Field("position_" + n)));
    bool negative = pos.starts_with("-");
    auto p = ParseId(negative ? pos.substr(1) : pos);
    s.position =
        pos == "0" ? 0
                   : static_cast<int>(std::min<int64_t>(p.value_or(0), 1000)) * (negative ? -1 : 1);
    s.active = c.Field("active_" + n) == "1";
    change.statements.push_back(s);
  }
  f.new_id = std::string(text::Trim(c.Field("new_id")));
  f.new_text = c.Field("new_text");
  if (!f.new_id.empty() || !text::Trim(f.new_text).empty()) {
    change.statements.push_back(
        {f.new_id, f.new_text, static_cast<int>(now->statements.size()) + 1, true});
  }
  if (f.errors.empty()) {
    auto saved = outcomes_.SaveSettings(c.viewer, change);
    if (saved.ok()) return Redirect("/admin/outcomes?notice=outcomes_saved");
    if (saved.error().field.empty()) return Fail(c, saved.error());
    f.errors.push_back(saved.error());
  }
  // The page again with what was sent, so nothing typed is lost.
  f.statements = now->statements;
  for (OutcomeStatement& s : f.statements) {
    for (const OutcomeStatement& sent : change.statements) {
      if (sent.id == s.id) s = sent;
    }
  }
  return Page(c, 422, std::string("Error: ") + kTitle,
              Templates::Fragment("admin_outcomes", SettingsData(c, f)));
}

http::Response WebApp::OutcomesCsv(RequestContext& c) {
  const std::string slug(c.req.Param("slug"));
  if (Status may = outcomes_.MaySee(c.viewer, slug); !may.ok()) return Fail(c, may.error());
  auto period = app::ParseOutcomePeriod(c.req.QueryParam("from"), c.req.QueryParam("to"),
                                        ctx_.clock->Today());
  if (!period.ok()) return Fail(c, period.error());
  auto r = outcomes_.Report(c.viewer, slug, *period);
  if (!r.ok()) return Fail(c, r.error());
  CsvWriter out;
  out.Row({"moment", "statement_id", "statement", "answered", kLevelColumns[0], kLevelColumns[1],
            kLevelColumns[2], kLevelColumns[3], kLevelColumns[4], "suppressed"});
  for (const app::OutcomeMomentResult* m : {&r->immediate, &r->follow_up}) {
    for (const app::OutcomeItemResult& it : m->items) {
      std::vector<std::string> row = {m->moment, it.statement_id, it.text};
      const bool hidden = it.suppressed || m->suppressed;
      row.push_back(hidden ? "" : std::to_string(it.answered));
      for (int64_t n : it.counts) row.push_back(hidden ? "" : std::to_string(n));
      row.push_back(hidden ? "true" : "false");
      out.Row(row);
    }
  }
  return CsvDownload(FileName(slug, "outcomes"), out.Take());
}

http::Response WebApp::OutcomeAnswersCsv(RequestContext& c) {
  const std::string slug(c.req.Param("slug"));
  if (Status may = outcomes_.MaySee(c.viewer, slug); !may.ok()) return Fail(c, may.error());
  auto period = app::ParseOutcomePeriod(c.req.QueryParam("from"), c.req.QueryParam("to"),
                                        ctx_.clock->Today());
  if (!period.ok()) return Fail(c, period.error());
  auto x = outcomes_.ExportAnswers(c.viewer, slug, *period);
  if (!x.ok()) return Fail(c, x.error());
  CsvWriter out;
  std::vector<std::string> header = {"row", "month", "moment"};
  for (const OutcomeStatement& s : x->statements) header.push_back(s.id);
  for (const char* h : {"learned", "improve", "quoted_name"}) header.push_back(h);
  out.Row(header);
  for (const app::ExportedCheckin& r : x->rows) {
    std::vector<std::string> row = {std::to_string(r.row), r.months, r.moment};
    for (int v : r.values) row.push_back(v > 0 ? std::to_string(v) : "");
    row.push_back(r.learned);
    row.push_back(r.improve);
    row.push_back(r.quoted_name);
    out.Row(row);
  }
  return CsvDownload(FileName(slug, "outcome-answers"), out.Take());
}

http::Response WebApp::OutcomeColumnsCsv(RequestContext& c) {
  const std::string slug(c.req.Param("slug"));
  if (Status may = outcomes_.MaySee(c.viewer, slug); !may.ok()) return Fail(c, may.error());
  auto period = app::ParseOutcomePeriod("", "", ctx_.clock->Today());
  if (!period.ok()) return Fail(c, period.error());
  auto x = outcomes_.ExportAnswers(c.viewer, slug, *period);
  if (!x.ok()) return Fail(c, x.error());
  const std::string threshold = std::to_string(x->coverage.threshold);
  CsvWriter out;
  out.Row({"column", "meaning"});
  out.Row({"moment",
                     "immediate: the first check-in (after a first accepted answer or 30 days in "
                     "the group); follow_up: the one six weeks later"});
  out.Row({"statement_id", "outcomes.csv: the outcome statement's stable id"});
  out.Row({"statement", "outcomes.csv: the statement as members read it"});
  out.Row({"answered", "outcomes.csv: how many check-ins answered the statement"});
  const char* levels[5] = {"strongly disagree (1)", "disagree (2)",
                           "neither agree nor disagree (3)", "agree (4)", "strongly agree (5)"};
  for (int i = 0; i < 5; ++i) {
    out.Row({kLevelColumns[i], std::string("outcomes.csv: how many answered ") + levels[i]});
  }
  out.Row({"suppressed", "outcomes.csv: true when fewer than " + threshold +
                                       " check-ins are behind the figure; its numbers are then "
                                       "left empty"});
  out.Row({"row",
                     "answers.csv: a number drawn at random for each export; it names "
                     "nobody"});
  out.Row({"month",
                     "answers.csv: the months (YYYY-MM, or YYYY-MM/YYYY-MM) of the release block "
                     "the check-in is in; answers are released in blocks of at least " +
                         threshold + " check-ins, never one by one"});
  for (const OutcomeStatement& s : x->statements) {
    out.Row({s.id, "answers.csv: agreement with \"" + s.text +
                                 "\" from 1 (strongly disagree) to 5 (strongly agree); empty "
                                 "when not asked, or when fewer than " +
                                 threshold + " in the block answered it"});
  }
  out.Row({"learned",
                     "answers.csv: the answer to \"What did you learn or apply?\" "
                     "(optional)"});
  out.Row({"improve",
                     "answers.csv: the answer to \"What would make this group more "
                     "useful?\" (optional)"});
  out.Row({"quoted_name",
                     "answers.csv: the member's name, only when they agreed to "
                     "be quoted"});
  return CsvDownload(FileName(slug, "outcome-columns"), out.Take());
}

}  // namespace rt::web
