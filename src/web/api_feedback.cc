// The feedback JSON API: the same use cases as pages_feedback.cc.
#include "web/json/shapes.h"
#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

Error NotFound() {
  return MakeError(ErrorKind::kNotFound, "not_found",
                   "We could not find that feedback.");
}

std::optional<FeedbackId> FeedbackIdOf(const RequestContext& c) {
  auto v = ParseId(c.req.Param("id"));
  if (!v) return std::nullopt;
  return FeedbackId{*v};
}

Error InvalidField(const char* name, const std::string& what) {
  return MakeError(
      ErrorKind::kInvalidInput, "invalid_field",
      std::string("The field '") + name + "' must be " + what + ".", name);
}

// An optional boolean member: nullopt when absent or null.
Result<std::optional<bool>> OptionalBool(const nlohmann::json& body,
                                         const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::optional<bool>();
  if (!it->is_boolean()) return InvalidField(name, "true or false");
  return std::optional<bool>(it->get<bool>());
}

nlohmann::json ItemJson(const app::FeedbackItem& item) {
  nlohmann::json j = json::FeedbackJson(item.view);
  nlohmann::json replies = nlohmann::json::array();
  for (const store::FeedbackReplyView& r : item.replies) {
    replies.push_back(json::FeedbackReplyJson(r));
  }
  j["replies"] = std::move(replies);
  nlohmann::json liaisons = nlohmann::json::array();
  for (const store::LiaisonName& l : item.liaisons) {
    liaisons.push_back({{"id", l.id.value}, {"name", l.name}});
  }
  j["viewer"] = {{"is_author", item.is_author},
                 {"is_staff", item.staff},
                 {"can_reply", item.can_reply},
                 {"liaisons", std::move(liaisons)}};
  return j;
}

}  // namespace

http::Response WebApp::ApiFeedbackList(RequestContext& c) {
  FeedbackId before;
  if (std::string a = c.req.QueryParam("after"); !a.empty()) {
    auto v = ParseId(a);
    if (!v) {
      return Fail(c, MakeError(ErrorKind::kInvalidInput, "invalid_cursor",
                               "The 'after' cursor is not valid.", "after"));
    }
    before = FeedbackId{*v};
  }
  auto page = feedback_.List(c.viewer, std::string(c.req.Param("slug")),
                             c.req.QueryParam("status"), before);
  if (!page.ok()) return Fail(c, page.error());
  nlohmann::json items = nlohmann::json::array();
  for (const store::FeedbackView& v : page->items)
    items.push_back(json::FeedbackJson(v));
  return Json(
      200,
      {{"feedback", std::move(items)},
       {"scope", page->staff ? "group" : "mine"},
       {"next", page->next ? nlohmann::json(std::to_string(page->next->value))
                           : nlohmann::json(nullptr)}});
}

http::Response WebApp::ApiSendFeedback(RequestContext& c) {
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  app::NewFeedback in;
  auto category = StringField(*body, "category");
  if (!category.ok()) return Fail(c, category.error());
  auto text = StringField(*body, "body");
  if (!text.ok()) return Fail(c, text.error());
  auto consent = OptionalBool(*body, "quote_consent");
  if (!consent.ok()) return Fail(c, consent.error());
  in.category = *category;
  in.body = *text;
  in.quote_consent = consent->value_or(false);
  auto sent = feedback_.Send(c.viewer, std::string(c.req.Param("slug")), in,
                             std::string(c.req.Header("idempotency-key")));
  if (!sent.ok()) return Fail(c, sent.error());
  return Json(201, {{"feedback", json::FeedbackJson(*sent)}});
}

http::Response WebApp::ApiFeedback(RequestContext& c) {
  auto id = FeedbackIdOf(c);
  if (!id) return Fail(c, NotFound());
  auto item = feedback_.Get(c.viewer, *id);
  if (!item.ok()) return Fail(c, item.error());
  return Json(200, {{"feedback", ItemJson(*item)}});
}

http::Response WebApp::ApiUpdateFeedback(RequestContext& c) {
  auto id = FeedbackIdOf(c);
  if (!id) return Fail(c, NotFound());
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  app::FeedbackChange change;
  for (const auto& [key, value] : body->items()) {
    if (key == "status") {
      if (!value.is_string())
        return Fail(c, InvalidField("status", "a string"));
      change.status = value.get<std::string>();
    } else if (key == "liaison") {
      // An account id, or the liaison's email address.
      if (value.is_number_integer()) {
        change.liaison = std::to_string(value.get<int64_t>());
      } else if (value.is_string()) {
        change.liaison = value.get<std::string>();
      } else {
        return Fail(
            c, InvalidField("liaison", "an account id or an email address"));
      }
    } else if (key == "quote_consent") {
      auto v = OptionalBool(*body, "quote_consent");
      if (!v.ok()) return Fail(c, v.error());
      change.quote_consent = *v;
    } else {
      return Fail(
          c,
          MakeError(
              ErrorKind::kInvalidInput, "unknown_field",
              "The field '" + key +
                  "' cannot be changed. Send status, liaison or quote_consent.",
              key));
    }
  }
  auto item = feedback_.Update(c.viewer, *id, change);
  if (!item.ok()) return Fail(c, item.error());
  return Json(200, {{"feedback", ItemJson(*item)}});
}

http::Response WebApp::ApiFeedbackReply(RequestContext& c) {
  auto id = FeedbackIdOf(c);
  if (!id) return Fail(c, NotFound());
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto text = StringField(*body, "body");
  if (!text.ok()) return Fail(c, text.error());
  auto reply = feedback_.Reply(c.viewer, *id, *text);
  if (!reply.ok()) return Fail(c, reply.error());
  return Json(201, {{"reply", json::FeedbackReplyJson(*reply)}});
}

http::Response WebApp::ApiFeedbackSummary(RequestContext& c) {
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  app::FeedbackSummary in;
  in.via = PostVia::kApi;
  auto title = StringField(*body, "title");
  if (!title.ok()) return Fail(c, title.error());
  auto text = StringField(*body, "body");
  if (!text.ok()) return Fail(c, text.error());
  in.title = *title;
  in.body = *text;
  auto ids = body->find("feedback_ids");
  if (ids == body->end() || !ids->is_array()) {
    return Fail(c, InvalidField("feedback_ids", "a list of feedback ids"));
  }
  if (ids->size() > 1000) {
    return Fail(c,
                MakeError(ErrorKind::kRuleBroken, "too_many_items",
                          "Choose at most " + std::to_string(kMaxSummaryItems) +
                              " pieces of feedback for one summary.",
                          "feedback_ids"));
  }
  for (const nlohmann::json& v : *ids) {
    if (!v.is_number_integer() || v.get<int64_t>() <= 0) {
      return Fail(c, InvalidField("feedback_ids", "a list of feedback ids"));
    }
    in.items.push_back(FeedbackId{v.get<int64_t>()});
  }
  auto created =
      feedback_.PublishSummary(c.viewer, std::string(c.req.Param("slug")), in,
                               std::string(c.req.Header("idempotency-key")));
  if (!created.ok()) return Fail(c, created.error());
  auto page = discussions_.GetThread(c.viewer, created->thread, PostId{});
  if (!page.ok()) return Fail(c, page.error());
  return Json(201, {{"thread", json::ThreadJson(page->thread)},
                    {"post", json::PostItemJson(page->opening)}});
}

}  // namespace rt::web
