// Account pages: register, sign in, sign out, profile and password.
#include "web/forms.h"
#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

FormSpec RegisterSpec(const RequestContext& c) {
  FormSpec f;
  f.title = "Create an account";
  f.intro = "An account lets you join interest groups. Use the email address your "
            "association has on record, so your membership is recognised.";
  f.action = "/register";
  f.submit = "Create account";
  f.next = SafeNext(c.req.QueryParam("next"));
  f.fields = {
      {"name", "Full name", "text", "", "", "name", ""},
      {"email", "Email address", "email", "", "", "email", ""},
      {"password", "Password", "password", "",
       "At least 12 characters. A few unrelated words make a strong password.",
       "new-password", ""},
  };
  f.links = {{"/signin", "I already have an account"}};
  if (f.next != "/") f.links[0].first += "?next=" + text::PercentEncode(f.next);
  return f;
}

FormSpec SignInSpec(const RequestContext& c) {
  FormSpec f;
  f.title = "Sign in";
  f.action = "/signin";
  f.submit = "Sign in";
  f.next = SafeNext(c.req.QueryParam("next"));
  f.fields = {
      {"email", "Email address", "email", "", "", "email", ""},
      {"password", "Password", "password", "", "", "current-password", ""},
  };
  f.links = {{"/forgot-password", "Forgot your password?"}, {"/register", "Create an account"}};
  if (f.next != "/") f.links[1].first += "?next=" + text::PercentEncode(f.next);
  return f;
}

FormSpec ProfileSpec(const RequestContext& c) {
  FormSpec f;
  f.title = "Your profile";
  f.intro = "Other members of your groups see your name, job title, library and city.";
  f.action = "/account";
  f.submit = "Save profile";
  f.csrf = c.session->csrf_token;
  const Account& a = c.session->account;
  f.fields = {
      {"name", "Full name", "text", a.name, "", "name", ""},
      {"job_title", "Job title (optional)", "text", a.job_title, "", "organization-title", ""},
      {"organisation", "Library or organisation (optional)", "text", a.organisation, "",
       "organization", ""},
      {"location", "City or region (optional)", "text", a.location, "", "address-level2", ""},
  };
  f.links = {{"/account/password", "Change your password"},
             {"/account/email", "Change your email address"},
             {"/settings/notifications", "Choose how you hear from your groups by email"},
             {"/invitations", "Your invitations"}};
  f.links.emplace_back("/me/checkins", "Your check-in answers");
  if (a.is_admin) f.links.emplace_back("/admin/digests", "Digest schedule");
  if (a.is_admin) f.links.emplace_back("/admin/outcomes", "Outcome statements");
  if (a.is_admin) f.links.emplace_back("/admin/groups/dashboard", "Groups compared");
  return f;
}

FormSpec PasswordSpec(const RequestContext& c) {
  FormSpec f;
  f.title = "Change your password";
  f.intro = "Changing your password signs you out everywhere else.";
  f.action = "/account/password";
  f.submit = "Change password";
  f.csrf = c.session->csrf_token;
  f.fields = {
      {"current_password", "Current password", "password", "", "", "current-password", ""},
      {"new_password", "New password", "password", "", "At least 12 characters.",
       "new-password", ""},
  };
  f.links = {{"/account", "Back to your profile"}};
  return f;
}

std::string WithNotice(const std::string& path, const char* notice) {
  return path + (path.find('?') == std::string::npos ? "?" : "&") + "notice=" + notice;
}

}  // namespace

http::Response WebApp::FormPage(const RequestContext& c, int status, const FormSpec& f) {
  // GOV.UK pattern: the title says there is an error, so screen readers hear it first.
  return Page(c, status, status == 200 ? f.title : "Error: " + f.title,
              Templates::Fragment("form", FormData(f)));
}

http::Response WebApp::RegisterPage(RequestContext& c) {
  if (c.session) return Redirect("/account");
  FormSpec f = RegisterSpec(c);
  // An invitation's page passes the invited address along.
  f.SetValue("email", c.req.QueryParam("email").substr(0, 254));
  return FormPage(c, 200, f);
}

http::Response WebApp::RegisterForm(RequestContext& c) {
  FormSpec f = RegisterSpec(c);
  f.next = SafeNext(c.Field("next"));
  app::RegisterInput in{c.Field("name"), c.Field("email"), c.Field("password")};
  f.SetValue("name", in.name);
  f.SetValue("email", in.email);
  auto account = accounts_.Register(in);
  if (!account.ok()) {
    if (account.error().kind != ErrorKind::kInvalidInput &&
        account.error().kind != ErrorKind::kConflict) {
      return Fail(c, account.error());
    }
    f.ApplyError(account.error());
    return FormPage(c, account.error().kind == ErrorKind::kConflict ? 409 : 400, f);
  }
  auto signed_in = accounts_.SignIn(in.email, in.password);
  if (!signed_in.ok()) return Fail(c, signed_in.error());
  http::Response r = Redirect(WithNotice(f.next, "registered"));
  r.AddHeader("Set-Cookie", SessionCookie(signed_in->token, false));
  return r;
}

http::Response WebApp::SignInPage(RequestContext& c) {
  if (c.session) return Redirect(SafeNext(c.req.QueryParam("next")));
  FormSpec f = SignInSpec(c);
  return FormPage(c, 200, f);
}

http::Response WebApp::SignInForm(RequestContext& c) {
  FormSpec f = SignInSpec(c);
  f.next = SafeNext(c.Field("next"));
  f.SetValue("email", c.Field("email"));
  auto signed_in = ThrottledSignIn(c, c.Field("email"), c.Field("password"));
  if (!signed_in.ok()) {
    const Error& e = signed_in.error();
    if (e.kind != ErrorKind::kUnauthenticated && e.kind != ErrorKind::kRateLimited) {
      return Fail(c, e);
    }
    f.general_error = e.message;
    http::Response r = FormPage(c, e.kind == ErrorKind::kRateLimited ? 429 : 401, f);
    if (e.retry_after_seconds > 0) {
      r.SetHeader("Retry-After", std::to_string(e.retry_after_seconds));
    }
    return r;
  }
  // The old session (if any) ends: a sign-in always gets a fresh id.
  if (c.session) (void)accounts_.SignOut(c.session->token_hash);
  http::Response r = Redirect(WithNotice(f.next, "signed_in"));
  r.AddHeader("Set-Cookie", SessionCookie(signed_in->token, false));
  return r;
}

http::Response WebApp::SignOutForm(RequestContext& c) {
  if (c.session) {
    Status s = accounts_.SignOut(c.session->token_hash);
    if (!s.ok()) return Fail(c, s.error());
  }
  http::Response r = Redirect("/?notice=signed_out");
  r.AddHeader("Set-Cookie", SessionCookie("", true));
  return r;
}

http::Response WebApp::AccountPage(RequestContext& c) {
  if (!c.session) return Redirect("/signin?next=%2Faccount");
  FormSpec f = ProfileSpec(c);
  return FormPage(c, 200, f);
}

http::Response WebApp::AccountForm(RequestContext& c) {
  if (!c.session) return Redirect("/signin?next=%2Faccount");
  FormSpec f = ProfileSpec(c);
  Profile p{c.Field("name"), c.Field("job_title"), c.Field("organisation"), c.Field("location")};
  auto saved = accounts_.UpdateProfile(c.session->account.id, p);
  if (!saved.ok()) {
    if (saved.error().kind != ErrorKind::kInvalidInput) return Fail(c, saved.error());
    f.SetValue("name", p.name);
    f.SetValue("job_title", p.job_title);
    f.SetValue("organisation", p.organisation);
    f.SetValue("location", p.location);
    f.ApplyError(saved.error());
    return FormPage(c, 400, f);
  }
  return Redirect("/account?notice=profile_saved");
}

http::Response WebApp::PasswordPage(RequestContext& c) {
  if (!c.session) return Redirect("/signin?next=%2Faccount%2Fpassword");
  FormSpec f = PasswordSpec(c);
  return FormPage(c, 200, f);
}

http::Response WebApp::PasswordForm(RequestContext& c) {
  if (!c.session) return Redirect("/signin?next=%2Faccount%2Fpassword");
  FormSpec f = PasswordSpec(c);
  Status s = accounts_.ChangePassword(*c.session, c.Field("current_password"),
                                      c.Field("new_password"));
  if (!s.ok()) {
    if (s.error().kind != ErrorKind::kInvalidInput) return Fail(c, s.error());
    f.ApplyError(s.error());
    return FormPage(c, 400, f);
  }
  return Redirect("/account?notice=password_changed");
}

}  // namespace rt::web
