// The outcomes JSON API: a group's report for its staff
// (GET /api/v1/groups/{slug}/outcomes) and the association's outcome
// settings for its admins (GET/PUT /api/v1/association/outcomes). The same
// use cases as pages_outcomes.cc (app/outcomes.h).
#include <string>
#include <vector>

#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

constexpr const char* kLevels[5] = {"strongly_disagree", "disagree", "neutral", "agree",
                                    "strongly_agree"};

std::string IsoDate(int64_t unix_seconds) { return Date::FromTime(FromUnix(unix_seconds)).Iso(); }

nlohmann::json MomentJson(const app::OutcomeMomentResult& m) {
  nlohmann::json items = nlohmann::json::array();
  for (const app::OutcomeItemResult& it : m.items) {
    nlohmann::json j = {
        {"statement_id", it.statement_id}, {"text", it.text}, {"suppressed", it.suppressed}};
    if (!it.suppressed) {
      j["answered"] = it.answered;
      nlohmann::json counts = nlohmann::json::object();
      for (int i = 0; i < 5; ++i) counts[kLevels[i]] = it.counts[i];
      j["counts"] = std::move(counts);
    }
    items.push_back(std::move(j));
  }
  nlohmann::json j = {{"moment", m.moment}, {"suppressed", m.suppressed}};
  if (!m.suppressed) j["respondents"] = m.respondents;
  j["items"] = std::move(items);
  return j;
}

nlohmann::json ReportJson(const app::OutcomeReport& r) {
  nlohmann::json open = nlohmann::json::array();
  for (const app::OpenAnswer& a : r.open_answers) {
    open.push_back({{"moment", a.moment},
                    {"question_id", a.question_id},
                    {"question", a.question},
                    {"text", a.text},
                    {"quoted_name", a.quoted_name.empty() ? nlohmann::json(nullptr)
                                                          : nlohmann::json(a.quoted_name)},
                    {"month", IsoDate(a.answered_at).substr(0, 7)}});
  }
  // `to` as the last day covered, as requests give it.
  return {{"from", IsoDate(r.from)},
          {"to", IsoDate(r.to - 86400)},
          {"threshold", r.threshold},
          {"immediate", MomentJson(r.immediate)},
          {"follow_up", MomentJson(r.follow_up)},
          {"open_answers", std::move(open)}};
}

nlohmann::json SettingsJson(const app::OutcomeSettings& s) {
  nlohmann::json statements = nlohmann::json::array();
  for (const OutcomeStatement& st : s.statements) {
    statements.push_back(
        {{"id", st.id}, {"text", st.text}, {"position", st.position}, {"active", st.active}});
  }
  return {{"statements", std::move(statements)}, {"threshold", s.threshold}};
}

Error InvalidStatements() {
  return MakeError(ErrorKind::kInvalidInput, "invalid_field",
                   "The field 'statements' must be a list of {\"id\",\"text\",\"position\","
                   "\"active\"}.",
                   "statements");
}

// {"statements":[{"id","text","position"?,"active"?}],"threshold"?}
Result<app::OutcomeSettingsChange> ReadSettings(const nlohmann::json& body,
                                                const app::OutcomeSettings& now) {
  app::OutcomeSettingsChange change;
  for (const auto& [key, value] : body.items()) {
    if (key == "threshold") {
      if (!value.is_number_integer()) {
        return MakeError(ErrorKind::kRuleBroken, "threshold_invalid",
                         "The field 'threshold' must be a whole number of at least 3.",
                         "threshold");
      }
      const bool small = value.is_number_unsigned()
                             ? value.get<uint64_t>() <= 100000
                             : value.get<int64_t>() >= -100000 && value.get<int64_t>() <= 100000;
      change.threshold = small ? value.get<int>() : 100000;
    } else if (key == "statements") {
      if (!value.is_array() || value.size() > 100) return InvalidStatements();
      for (const nlohmann::json& s : value) {
        if (!s.is_object()) return InvalidStatements();
        OutcomeStatement st;
        auto id = s.find("id");
        auto text = s.find("text");
        if (id == s.end() || !id->is_string() || id->get_ref<const std::string&>().size() > 64) {
          return InvalidStatements();
        }
        st.id = id->get<std::string>();
        // Left out: as the statement is now (a new one goes last, active).
        st.position = static_cast<int>(now.statements.size()) + 1;
        for (const OutcomeStatement& old : now.statements) {
          if (old.id == st.id) st = old;
        }
        if (text != s.end()) {
          if (!text->is_string()) return InvalidStatements();
          st.text = text->get<std::string>();
        }
        if (auto p = s.find("position"); p != s.end()) {
          if (!p->is_number_integer() || p->get<int64_t>() < -1000 || p->get<int64_t>() > 1000) {
            return InvalidStatements();
          }
          st.position = p->get<int>();
        }
        if (auto a = s.find("active"); a != s.end()) {
          if (!a->is_boolean()) return InvalidStatements();
          st.active = a->get<bool>();
        }
        for (const auto& [k, v] : s.items()) {
          if (k != "id" && k != "text" && k != "position" && k != "active") {
            return UnknownField("statements." + k);
          }
        }
        change.statements.push_back(std::move(st));
      }
    } else {
      return UnknownField(key);
    }
  }
  return change;
}

}  // namespace

http::Response WebApp::ApiOutcomes(RequestContext& c) {
  const std::string slug(c.req.Param("slug"));
  // Who asks is settled before the dates are judged.
  if (Status may = outcomes_.MaySee(c.viewer, slug); !may.ok()) return Fail(c, may.error());
  auto period = app::ParseOutcomePeriod(c.req.QueryParam("from"), c.req.QueryParam("to"),
                                        ctx_.clock->Today());
  if (!period.ok()) return Fail(c, period.error());
  auto report = outcomes_.Report(c.viewer, slug, *period);
  if (!report.ok()) return Fail(c, report.error());
  return Json(200, {{"outcomes", ReportJson(*report)}});
}

http::Response WebApp::ApiOutcomeSettings(RequestContext& c) {
  auto s = outcomes_.Settings(c.viewer);
  if (!s.ok()) return Fail(c, s.error());
  return Json(200, {{"outcomes", SettingsJson(*s)}});
}

http::Response WebApp::ApiUpdateOutcomeSettings(RequestContext& c) {
  auto now = outcomes_.Settings(c.viewer);  // also: may they?
  if (!now.ok()) return Fail(c, now.error());
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto change = ReadSettings(*body, *now);
  if (!change.ok()) return Fail(c, change.error());
  auto saved = outcomes_.SaveSettings(c.viewer, *change);
  if (!saved.ok()) return Fail(c, saved.error());
  return Json(200, {{"outcomes", SettingsJson(*saved)}});
}

}  // namespace rt::web
