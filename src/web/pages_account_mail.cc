// Account mail pages: the links in verification, reset and email-change
// mail, "forgot your password?", changing the address, and sending a new
// verification link. Opening a link (GET) only shows a page with a button;
// the button's POST acts.
#include <initializer_list>

#include "web/forms.h"
#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

// A page from templates/link.mustache: a title, some paragraphs (the first
// one as the lead), and a button that posts to `action` when it is set.
struct LinkSpec {
  std::string title;
  std::vector<std::string> paragraphs;
  std::string action;
  std::string submit;
  std::vector<std::pair<std::string, std::string>> links;  // href, text
};

Data LinkData(const LinkSpec& spec, std::string_view csrf) {
  Data d;
  d["title"] = spec.title;
  Data paragraphs = Data::List(spec.paragraphs.size());
  for (size_t i = 0; i < spec.paragraphs.size(); ++i) {
    Data& p = paragraphs.AppendObject();
    p["text"] = spec.paragraphs[i];
    if (i == 0) p["lead"] = true;
  }
  d["paragraphs"] = std::move(paragraphs);
  if (!spec.action.empty()) {
    d["action"] = spec.action;
    d["submit"] = spec.submit;
    if (!csrf.empty()) d["csrf"] = std::string(csrf);
  }
  Data links = Data::List(spec.links.size());
  for (const auto& [href, label] : spec.links) {
    Data& l = links.AppendObject();
    l["href"] = href;
    l["label"] = label;
  }
  if (!spec.links.empty()) d["links"] = std::move(links);
  return d;
}

FormSpec ForgotSpec() {
  FormSpec f;
  f.title = "Forgot your password?";
  f.intro = "Enter the email address of your account. We will send it a link to choose a "
            "new password.";
  f.action = "/forgot-password";
  f.submit = "Send the link";
  f.fields = {{"email", "Email address", "email", "", "", "email", ""}};
  f.links = {{"/signin", "Back to sign in"}};
  return f;
}

FormSpec ResetSpec(const RequestContext& c, const std::string& token, const std::string& email) {
  FormSpec f;
  f.title = "Choose a new password";
  f.intro = "For the account that uses " + email +
            ". Setting it signs you out everywhere; then you sign in with the new password.";
  f.action = "/reset/" + token;
  f.submit = "Set the new password";
  f.csrf = std::string(c.Csrf());
  f.fields = {{"password", "New password", "password", "",
               "At least 12 characters. A few unrelated words make a strong password.",
               "new-password", ""}};
  return f;
}

FormSpec EmailSpec(const RequestContext& c) {
  FormSpec f;
  f.title = "Change your email address";
  f.intro = "Your account uses " + c.session->account.email +
            ". We will send a link to the new address, and your account switches to it "
            "when you open the link.";
  f.action = "/account/email";
  f.submit = "Send the link";
  f.csrf = c.session->csrf_token;
  f.fields = {
      {"email", "New email address", "email", "", "", "email", ""},
      {"current_password", "Current password", "password", "",
       "So that nobody else can change it while you are signed in.", "current-password", ""},
  };
  f.links = {{"/account", "Back to your profile"}};
  return f;
}

// Where a person goes after a link worked: signed-in people stay in, the
// others sign in.
std::string AfterLink(const RequestContext& c, const char* signed_in_path, const char* notice) {
  return std::string(c.session ? signed_in_path : "/signin") + "?notice=" + notice;
}

}  // namespace

std::optional<http::Response> WebApp::MailLimitedForm(const RequestContext& c, FormSpec& f) {
  Status s = ThrottleMail(c);
  if (s.ok()) return std::nullopt;
  f.general_error = s.error().message;
  http::Response r = FormPage(c, 429, f);
  r.SetHeader("Retry-After", std::to_string(s.error().retry_after_seconds));
  return r;
}

http::Response WebApp::ResendVerificationForm(RequestContext& c) {
  if (!c.session) return Redirect("/signin?next=%2Faccount");
  if (Status s = ThrottleMail(c); !s.ok()) return Fail(c, s.error());
  std::string next = SafeNext(c.Field("next"));
  next += next.find('?') == std::string::npos ? "?" : "&";
  Status s = account_mail_.ResendVerification(c.session->account.id);
  if (!s.ok()) {
    if (s.error().code == "already_verified") return Redirect(next + "notice=already_verified");
    return Fail(c, s.error());
  }
  return Redirect(next + "notice=verification_sent");
}

http::Response WebApp::VerifyPage(RequestContext& c) {
  std::string token(c.req.Param("token"));
  auto link = account_mail_.Inspect(TokenPurpose::kVerify, token);
  if (!link.ok()) return Fail(c, link.error());
  LinkSpec spec{"Confirm your email address",
                {"Confirm that " + link->email + " is your address.",
                 "Then any membership your association has recorded for this address becomes "
                 "part of your account, and you can join the groups for members."},
                "/verify/" + token,
                "Confirm my email address",
                {}};
  return Page(c, 200, spec.title, Templates::Fragment("link", LinkData(spec, c.Csrf())));
}

http::Response WebApp::VerifyForm(RequestContext& c) {
  auto verified = account_mail_.Verify(std::string(c.req.Param("token")));
  if (!verified.ok()) return Fail(c, verified.error());
  return Redirect(AfterLink(c, "/groups", "email_verified"));
}

http::Response WebApp::ForgotPasswordPage(RequestContext& c) {
  return FormPage(c, 200, ForgotSpec());
}

http::Response WebApp::ForgotPasswordForm(RequestContext& c) {
  FormSpec f = ForgotSpec();
  std::string email = c.Field("email");
  f.SetValue("email", email);
  if (auto limited = MailLimitedForm(c, f)) return *std::move(limited);
  Status s = account_mail_.RequestPasswordReset(email);
  if (!s.ok()) {
    if (s.error().kind != ErrorKind::kInvalidInput) return Fail(c, s.error());
    f.ApplyError(s.error());
    return FormPage(c, 400, f);
  }
  // The same page whether or not an account uses the address.
  LinkSpec spec{"Check your email",
                {"If an account uses " + std::string(text::Trim(email)) +
                     ", we sent it a link to choose a new password. The link works for one "
                     "hour.",
                 "No email after a few minutes? Check your spam folder, and check that you "
                 "typed the address your account uses."},
                "",
                "",
                {{"/signin", "Back to sign in"}}};
  return Page(c, 200, spec.title, Templates::Fragment("link", LinkData(spec, c.Csrf())));
}

http::Response WebApp::ResetPage(RequestContext& c) {
  std::string token(c.req.Param("token"));
  auto link = account_mail_.Inspect(TokenPurpose::kReset, token);
  if (!link.ok()) return Fail(c, link.error());
  return FormPage(c, 200, ResetSpec(c, token, link->email));
}

http::Response WebApp::ResetForm(RequestContext& c) {
  std::string token(c.req.Param("token"));
  Status s = account_mail_.ResetPassword(token, c.Field("password"));
  if (!s.ok()) {
    if (s.error().kind != ErrorKind::kInvalidInput) return Fail(c, s.error());
    auto link = account_mail_.Inspect(TokenPurpose::kReset, token);
    if (!link.ok()) return Fail(c, link.error());
    FormSpec f = ResetSpec(c, token, link->email);
    f.ApplyError(s.error());
    return FormPage(c, 400, f);
  }
  // Every session of the account has ended; this browser's may have been one.
  http::Response r = Redirect("/signin?notice=password_reset");
  if (c.session) r.AddHeader("Set-Cookie", SessionCookie("", true));
  return r;
}

http::Response WebApp::EmailPage(RequestContext& c) {
  if (!c.session) return Redirect("/signin?next=%2Faccount%2Femail");
  return FormPage(c, 200, EmailSpec(c));
}

http::Response WebApp::EmailForm(RequestContext& c) {
  if (!c.session) return Redirect("/signin?next=%2Faccount%2Femail");
  FormSpec f = EmailSpec(c);
  f.SetValue("email", c.Field("email"));
  if (auto limited = MailLimitedForm(c, f)) return *std::move(limited);
  Status s =
      account_mail_.RequestEmailChange(*c.session, c.Field("email"), c.Field("current_password"));
  if (!s.ok()) {
    if (s.error().kind != ErrorKind::kInvalidInput) return Fail(c, s.error());
    f.ApplyError(s.error());
    return FormPage(c, 400, f);
  }
  return Redirect("/account?notice=email_change_sent");
}

http::Response WebApp::EmailChangePage(RequestContext& c) {
  std::string token(c.req.Param("token"));
  auto link = account_mail_.Inspect(TokenPurpose::kEmailChange, token);
  if (!link.ok()) return Fail(c, link.error());
  LinkSpec spec{"Confirm your new email address",
                {"Use " + link->email + " for your account from now on?",
                 "We will tell your old address about the change. You sign in with the new "
                 "address from then on."},
                "/email-change/" + token,
                "Use this address",
                {}};
  return Page(c, 200, spec.title, Templates::Fragment("link", LinkData(spec, c.Csrf())));
}

http::Response WebApp::EmailChangeForm(RequestContext& c) {
  auto changed = account_mail_.ConfirmEmailChange(std::string(c.req.Param("token")));
  if (!changed.ok()) return Fail(c, changed.error());
  return Redirect(AfterLink(c, "/account", "email_changed"));
}

}  // namespace rt::web
