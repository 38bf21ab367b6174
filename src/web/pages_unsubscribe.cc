// Unsubscribe links from mail (GET shows, POST acts; RFC 8058 one-click),
// and the notice and button of mail paused for bouncing.
#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

// What a link stops, to follow "Stop emails ": "from Data and Measurement",
// "from all your groups" (a digest's link), or "about mentions of you" (a
// notification mail's link).
std::string Subject(const app::Unsubscription& u) {
  if (u.kind) return "about " + std::string(app::EmailKindTopic(*u.kind));
  return "from " + (u.group ? u.group->name : std::string("all your groups"));
}

// What the unsubscribe page shows: the question, what was stopped, or
// (a kind's link) that it is back on.
enum class LinkState { kConfirm, kDone, kUndone };

// The unsubscribe template's data in `state` for the link with `token`.
Data UnsubscribeData(const RequestContext& c, const app::Unsubscription& u,
                     const std::string& token, LinkState state) {
  Data d;
  switch (state) {
    case LinkState::kConfirm:
      d["confirm"] = true;
      break;
    case LinkState::kDone:
      d["done"] = true;
      break;
    case LinkState::kUndone:
      d["undone"] = true;
      break;
  }
  d["subject"] = Subject(u);
  d["token"] = token;
  if (u.kind) {
    d["kind"] = true;
    d["topic"] = Data::Borrow(app::EmailKindTopic(*u.kind));
  } else if (u.group) {
    d["what"] = u.group->name;
  } else {
    d["all"] = true;
  }
  // Acts on the token's account; a signed-in viewer's form needs the CSRF
  // token all the same (only the one-click POST goes without).
  if (c.session) d["csrf"] = Data::Borrow(c.Csrf());
  return d;
}

// The JSON of an unsubscribe link's result: for a group's or digest's link
// the delivery it set; for a notification mail's link, its kind's switch.
nlohmann::json UnsubscribeJson(const app::Unsubscription& u, bool email) {
  if (u.kind) {
    return {{"kind", ToString(*u.kind)}, {"email", email}, {"changed", u.changed}};
  }
  return {{"delivery", "none"},
          {"group", u.group ? nlohmann::json(u.group->slug) : nlohmann::json()},
          {"changed", u.changed}};
}

}  // namespace

void AddMailPausedNotice(const RequestContext& c, Data& d) {
  if (!c.session || !c.session->account.mail_paused()) return;
  const Account& a = c.session->account;
  Data n;
  n["email"] = Data::Borrow(a.email);
  n["paused_on"] = Date::FromTime(*a.mail_paused_at).Long();
  if (!a.mail_pause_reason.empty()) n["reason"] = Data::Borrow(a.mail_pause_reason);
  n["csrf"] = Data::Borrow(c.Csrf());
  d["mail_paused"] = std::move(n);
}

http::Response WebApp::UnsubscribePage(RequestContext& c) {
  std::string token(c.req.Param("token"));
  auto u = delivery_.DescribeUnsubscribe(token);
  if (!u.ok()) return Fail(c, u.error());
  return Page(
      c, 200, "Stop emails " + Subject(*u),
      Templates::Fragment("unsubscribe", UnsubscribeData(c, *u, token, LinkState::kConfirm)));
}

http::Response WebApp::UnsubscribeForm(RequestContext& c) {
  std::string token(c.req.Param("token"));
  auto u = delivery_.Unsubscribe(token);
  if (!u.ok()) return Fail(c, u.error());
  return Page(c, 200, "No more emails " + Subject(*u),
              Templates::Fragment("unsubscribe", UnsubscribeData(c, *u, token, LinkState::kDone)));
}

http::Response WebApp::ResubscribeForm(RequestContext& c) {
  std::string token(c.req.Param("token"));
  auto u = delivery_.Resubscribe(token);
  if (!u.ok()) return Fail(c, u.error());
  return Page(
      c, 200, "Emails " + Subject(*u) + " are back on",
      Templates::Fragment("unsubscribe", UnsubscribeData(c, *u, token, LinkState::kUndone)));
}

http::Response WebApp::ApiUnsubscribe(RequestContext& c) {
  auto u = delivery_.Unsubscribe(std::string(c.req.Param("token")));
  if (!u.ok()) return Fail(c, u.error());
  return Json(200, UnsubscribeJson(*u, /*email=*/false));
}

http::Response WebApp::ApiResubscribe(RequestContext& c) {
  auto u = delivery_.Resubscribe(std::string(c.req.Param("token")));
  if (!u.ok()) return Fail(c, u.error());
  return Json(200, UnsubscribeJson(*u, /*email=*/true));
}

http::Response WebApp::ResumeMailForm(RequestContext& c) {
  if (!c.session) return Redirect("/signin?next=%2Fsettings%2Fnotifications");
  Status s = delivery_.ResumeMail(c.viewer);
  if (!s.ok()) return Fail(c, s.error());
  return Redirect("/settings/notifications?notice=mail_resumed");
}

http::Response WebApp::ApiResumeMail(RequestContext& c) {
  Status s = delivery_.ResumeMail(c.viewer);
  if (!s.ok()) return Fail(c, s.error());
  return Json(200, {{"mail_paused", nullptr}});
}

}  // namespace rt::web
