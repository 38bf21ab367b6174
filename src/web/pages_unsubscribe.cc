// Unsubscribe links from mail (GET shows, POST acts; RFC 8058 one-click),
// and the notice and button of mail paused for bouncing.
#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

// "Data and Measurement", or every group for a digest's link.
std::string WhatStops(const app::Unsubscription& u) {
  return u.group ? u.group->name : std::string("all your groups");
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
  Data d;
  d["confirm"] = true;
  d["what"] = WhatStops(*u);
  d["token"] = token;
  if (!u->group) d["all"] = true;
  return Page(c, 200, "Stop emails from " + WhatStops(*u),
              Templates::Fragment("unsubscribe", std::move(d)));
}

http::Response WebApp::UnsubscribeForm(RequestContext& c) {
  std::string token(c.req.Param("token"));
  auto u = delivery_.Unsubscribe(token);
  if (!u.ok()) return Fail(c, u.error());
  Data d;
  d["done"] = true;
  d["what"] = WhatStops(*u);
  if (!u->group) d["all"] = true;
  return Page(c, 200, "No more emails from " + WhatStops(*u),
              Templates::Fragment("unsubscribe", std::move(d)));
}

http::Response WebApp::ApiUnsubscribe(RequestContext& c) {
  auto u = delivery_.Unsubscribe(std::string(c.req.Param("token")));
  if (!u.ok()) return Fail(c, u.error());
  return Json(200, {{"delivery", "none"},
                    {"group", u->group ? nlohmann::json(u->group->slug) : nlohmann::json()},
                    {"changed", u->changed}});
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
