#include "web/outcome_section.h"

#include <string_view>
#include <vector>

#include "web/charts.h"
#include "web/engagement_view.h"
#include "web/templates.h"

namespace rt::web {

namespace {

std::string_view MomentName(std::string_view moment) {
  return moment == "follow_up" ? "Follow-up check-in" : "Immediate check-in";
}

std::string Respondents(int64_t n) {
  return std::to_string(n) + (n == 1 ? " member answered" : " members answered");
}

// Statements in the association's order: the immediate moment's, then any
// only the follow-up has.
std::vector<const app::OutcomeItemResult*> Statements(const app::OutcomeReport& r) {
  std::vector<const app::OutcomeItemResult*> out;
  auto add = [&](const app::OutcomeMomentResult& m) {
    for (const app::OutcomeItemResult& it : m.items) {
      bool seen = false;
      for (const auto* o : out) seen = seen || o->statement_id == it.statement_id;
      if (!seen) out.push_back(&it);
    }
  };
  add(r.immediate);
  add(r.follow_up);
  return out;
}

charts::DivergingBar BarFor(const app::OutcomeMomentResult& m, const std::string& statement,
                            std::string_view name) {
  charts::DivergingBar bar;
  bar.name = std::string(name);
  bar.suppressed = true;
  if (m.suppressed) return bar;
  for (const app::OutcomeItemResult& it : m.items) {
    if (it.statement_id != statement) continue;
    bar.suppressed = it.suppressed;
    bar.counts = it.counts;
  }
  return bar;
}

}  // namespace

std::string RenderOutcomeSection(const app::OutcomeReport& r) {
  Data d;
  const std::string threshold = std::to_string(r.threshold);
  d["threshold"] = threshold;
  const bool none = r.immediate.suppressed && r.follow_up.suppressed;
  if (none) d["none"] = true;
  std::string chart;
  if (!none) {
    Data moments = Data::List(2);
    for (const app::OutcomeMomentResult* m : {&r.immediate, &r.follow_up}) {
      Data& o = moments.AppendObject();
      o["name"] = MomentName(m == &r.immediate ? "immediate" : "follow_up");
      if (m->suppressed) {
        o["suppressed"] = true;
      } else {
        o["respondents"] = Respondents(m->respondents);
      }
    }
    d["moments"] = std::move(moments);
    charts::DivergingChart c;
    c.id = "chart-outcomes";
    c.title = "How members rate what the group did for them";
    c.suppressed_text = "Not enough answers yet (fewer than " + threshold + ")";
    for (const app::OutcomeItemResult* it : Statements(r)) {
      charts::DivergingRow row;
      row.label = it->text;
      row.bars.push_back(BarFor(r.immediate, it->statement_id, "Immediate"));
      row.bars.push_back(BarFor(r.follow_up, it->statement_id, "Follow-up"));
      c.rows.push_back(std::move(row));
    }
    chart = charts::RenderDivergingChart(c);
    d["chart"] = Data::Borrow(chart);
  }
  // Open answers, grouped by question in the order they first appear.
  std::vector<std::string_view> order;
  for (const app::OpenAnswer& a : r.open_answers) {
    bool seen = false;
    for (std::string_view q : order) seen = seen || q == a.question;
    if (!seen) order.push_back(a.question);
  }
  Data questions = Data::List(order.size());
  for (std::string_view q : order) {
    Data& qd = questions.AppendObject();
    qd["question"] = Data::Borrow(q);
    Data answers = Data::List();
    for (const app::OpenAnswer& a : r.open_answers) {
      if (a.question != q) continue;
      Data& ad = answers.AppendObject();
      ad["text"] = Data::Borrow(a.text);
      ad["who"] = a.quoted_name.empty() ? Data("a member") : Data::Borrow(a.quoted_name);
      ad["moment"] = MomentName(a.moment);
      ad["month"] = MonthText(Date::FromTime(FromUnix(a.answered_at)).Iso().substr(0, 7));
    }
    qd["answers"] = std::move(answers);
  }
  if (order.empty()) d["no_answers"] = true;
  d["questions"] = std::move(questions);
  return Templates::Render("outcome_section", d);
}

}  // namespace rt::web
