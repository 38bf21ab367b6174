// The account mail API: the same use cases as pages_account_mail.cc.
// Requests that may send mail are counted per client address (429 with
// Retry-After past MailLimits) and, per recipient address, limited quietly
// by the use cases; their answers never tell whether an address has an
// account.
#include "web/json/shapes.h"
#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

Error NotSignedIn() {
  return MakeError(ErrorKind::kUnauthenticated, "not_signed_in",
                   "Sign in first: send a bearer token or the session cookie.");
}

http::Response Accepted(const std::string& message) {
  return Json(202, {{"message", message}});
}

}  // namespace

http::Response WebApp::ApiResendVerification(RequestContext& c) {
  if (!c.session) return Fail(c, NotSignedIn());
  if (Status s = ThrottleMail(c); !s.ok()) return Fail(c, s.error());
  Status s = account_mail_.ResendVerification(c.session->account.id);
  if (!s.ok()) return Fail(c, s.error());
  return Accepted("We sent a new link to " + c.session->account.email + ".");
}

http::Response WebApp::ApiVerify(RequestContext& c) {
  auto verified = account_mail_.Verify(std::string(c.req.Param("token")));
  if (!verified.ok()) return Fail(c, verified.error());
  return Json(200, {{"account", json::AccountJson(*verified, true)}});
}

http::Response WebApp::ApiRequestPasswordReset(RequestContext& c) {
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto email = StringField(*body, "email");
  if (!email.ok()) return Fail(c, email.error());
  if (Status s = ThrottleMail(c); !s.ok()) return Fail(c, s.error());
  Status s = account_mail_.RequestPasswordReset(*email);
  if (!s.ok()) return Fail(c, s.error());
  return Accepted("If an account uses that address, we sent it a link to choose a new "
                  "password. The link works for one hour.");
}

http::Response WebApp::ApiResetPassword(RequestContext& c) {
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto password = StringField(*body, "password");
  if (!password.ok()) return Fail(c, password.error());
  Status s = account_mail_.ResetPassword(std::string(c.req.Param("token")), *password);
  if (!s.ok()) return Fail(c, s.error());
  http::Response r;
  r.status = 204;
  return r;
}

http::Response WebApp::ApiRequestEmailChange(RequestContext& c) {
  if (!c.session) return Fail(c, NotSignedIn());
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto email = StringField(*body, "email");
  if (!email.ok()) return Fail(c, email.error());
  auto password = StringField(*body, "current_password");
  if (!password.ok()) return Fail(c, password.error());
  if (Status s = ThrottleMail(c); !s.ok()) return Fail(c, s.error());
  Status s = account_mail_.RequestEmailChange(*c.session, *email, *password);
  if (!s.ok()) return Fail(c, s.error());
  return Accepted("We sent a link to the new address. The account switches to it when the "
                  "link is used.");
}

http::Response WebApp::ApiConfirmEmailChange(RequestContext& c) {
  auto changed = account_mail_.ConfirmEmailChange(std::string(c.req.Param("token")));
  if (!changed.ok()) return Fail(c, changed.error());
  return Json(200, {{"account", json::AccountJson(*changed, true)}});
}

}  // namespace rt::web
