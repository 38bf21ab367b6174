// The check-in JSON API: the same use cases as pages_checkins.cc.
#include <algorithm>
#include <string>
#include <vector>

#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

nlohmann::json QuestionsJson(const std::vector<app::CheckinQuestion>& questions) {
  nlohmann::json out = nlohmann::json::array();
  for (const app::CheckinQuestion& q : questions) {
    out.push_back({{"id", q.id}, {"text", q.text}, {"type", q.type()}});
  }
  return out;
}

nlohmann::json CheckinJson(const store::CheckinView& v) {
  const store::Checkin& c = v.checkin;
  nlohmann::json answers = nlohmann::json::array();
  for (const store::CheckinAnswer& a : c.answers) {
    nlohmann::json j = {{"id", a.question_id}, {"question", a.question}};
    if (a.value > 0) {
      j["type"] = "scale";
      j["value"] = a.value;
    } else {
      j["type"] = "text";
      j["value"] = a.text;
    }
    answers.push_back(std::move(j));
  }
  return {{"id", c.id.value},
          {"group", {{"slug", v.group_slug}, {"name", v.group_name}}},
          {"moment", ToString(c.moment)},
          {"state", ToString(c.state)},
          {"quote_consent", c.quote_consent},
          {"created_at", FormatIsoTime(c.created_at)},
          {"answers", std::move(answers)}};
}

Error InvalidField(const char* name, const std::string& what) {
  return MakeError(ErrorKind::kInvalidInput, "invalid_field",
                   std::string("The field '") + name + "' must be " + what + ".", name);
}

// {"moment","answers":[{"id","value"}],"quote_consent"?}
Result<app::NewCheckin> ReadCheckin(const nlohmann::json& body) {
  app::NewCheckin in;
  for (const auto& [key, value] : body.items()) {
    if (key == "moment") {
      if (!value.is_string()) return InvalidField("moment", "\"immediate\" or \"follow_up\"");
      in.moment = value.get<std::string>();
    } else if (key == "quote_consent") {
      if (!value.is_boolean()) return InvalidField("quote_consent", "true or false");
      in.quote_consent = value.get<bool>();
    } else if (key == "answers") {
      if (!value.is_array()) return InvalidField("answers", "a list of {\"id\",\"value\"}");
      // More answers than any check-in has questions is no check-in.
      if (value.size() > 100) {
        return MakeError(ErrorKind::kRuleBroken, "too_many_answers",
                         "A check-in has far fewer questions than that.", "answers");
      }
      for (const nlohmann::json& a : value) {
        auto id = a.is_object() ? a.find("id") : a.end();
        if (!a.is_object() || id == a.end() || !id->is_string() ||
            id->get_ref<const std::string&>().size() > 64) {
          return InvalidField("answers", "a list of {\"id\",\"value\"} with string ids");
        }
        app::AnswerIn in_answer;
        in_answer.id = id->get<std::string>();
        auto v = a.find("value");
        if (v != a.end() && v->is_number_integer()) {
          in_answer.type = app::AnswerIn::Type::kNumber;
          // Anything outside int range is out of the scale's range too.
          in_answer.number = v->is_number_unsigned() && v->get<uint64_t>() > 1000
                                 ? 1000
                                 : std::clamp<int64_t>(v->get<int64_t>(), -1000, 1000);
        } else if (v != a.end() && v->is_string()) {
          in_answer.type = app::AnswerIn::Type::kText;
          in_answer.text = v->get<std::string>();
        }
        in.answers.push_back(std::move(in_answer));
      }
    } else {
      return UnknownField(key);
    }
  }
  return in;
}

}  // namespace

http::Response WebApp::ApiCheckin(RequestContext& c) {
  auto form =
      checkins_.Form(c.viewer, std::string(c.req.Param("slug")), c.req.QueryParam("moment"));
  if (!form.ok()) return Fail(c, form.error());
  if (!*form) {
    http::Response r;
    r.status = 204;
    r.SetHeader("Cache-Control", "no-store");
    return r;
  }
  return Json(200, {{"moment", ToString((*form)->moment)},
                    {"due", (*form)->due},
                    {"questions", QuestionsJson((*form)->questions)}});
}

http::Response WebApp::ApiAnswerCheckin(RequestContext& c) {
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto in = ReadCheckin(*body);
  if (!in.ok()) return Fail(c, in.error());
  auto saved = checkins_.Answer(c.viewer, std::string(c.req.Param("slug")), *in,
                                std::string(c.req.Header("idempotency-key")));
  if (!saved.ok()) return Fail(c, saved.error());
  return Json(201, {{"checkin", CheckinJson(*saved)}});
}

http::Response WebApp::ApiSkipCheckin(RequestContext& c) {
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  std::string moment;
  for (const auto& [key, value] : body->items()) {
    if (key != "moment") return Fail(c, UnknownField(key));
    if (!value.is_string()) {
      return Fail(c, InvalidField("moment", "\"immediate\" or \"follow_up\""));
    }
    moment = value.get<std::string>();
  }
  auto skipped = checkins_.Skip(c.viewer, std::string(c.req.Param("slug")), moment);
  if (!skipped.ok()) return Fail(c, skipped.error());
  return Json(200, {{"checkin",
                     {{"id", skipped->id.value},
                      {"moment", ToString(skipped->moment)},
                      {"state", ToString(skipped->state)}}}});
}

http::Response WebApp::ApiMyCheckins(RequestContext& c) {
  CheckinId before;
  if (std::string b = c.req.QueryParam("before"); !b.empty()) {
    auto v = ParseId(b);
    if (!v) {
      return Fail(c, MakeError(ErrorKind::kInvalidInput, "invalid_cursor",
                               "The 'before' cursor is not valid.", "before"));
    }
    before = CheckinId{*v};
  }
  auto mine = checkins_.Mine(c.viewer, before);
  if (!mine.ok()) return Fail(c, mine.error());
  nlohmann::json items = nlohmann::json::array();
  for (const store::CheckinView& v : mine->items) items.push_back(CheckinJson(v));
  return Json(200, {{"checkins", std::move(items)},
                    {"next", mine->next ? nlohmann::json(std::to_string(mine->next->value))
                                        : nlohmann::json(nullptr)}});
}

http::Response WebApp::ApiDeleteCheckin(RequestContext& c) {
  auto v = ParseId(c.req.Param("id"));
  if (!v) {
    return Fail(c,
                MakeError(ErrorKind::kNotFound, "not_found", "We could not find that check-in."));
  }
  Status s = checkins_.Delete(c.viewer, CheckinId{*v});
  if (!s.ok()) return Fail(c, s.error());
  http::Response r;
  r.status = 204;
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

}  // namespace rt::web
