#include "web/web_app.h"

#include "core/assets.h"
#include "core/crypto.h"

#include <cstdio>
#include "http/error_status.h"
#include "web/views.h"

namespace rt::web {

namespace {

constexpr const char* kSessionCookie = "rt_session";

bool IsSafeMethod(std::string_view m) { return m == "GET" || m == "HEAD" || m == "OPTIONS"; }

// "https://example.org:8443/path" -> "https://example.org:8443".
std::string OriginOf(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  size_t slash = url.find('/', scheme + 3);
  return std::string(url.substr(0, slash));
}

// Sign-in throttling for one kind of key (an account, or an address).
http::FailureLimiter::Options LimiterOptions(const LoginLimits& l, int max_failures) {
  http::FailureLimiter::Options o;
  o.max_failures = max_failures;
  o.base_lockout_seconds = l.lockout_seconds;
  o.max_lockout_seconds = l.max_lockout_seconds;
  o.window_seconds = l.ip_window_seconds;
  return o;
}

http::FailureLimiter::Options MailLimiterOptions(const MailLimits& l) {
  http::FailureLimiter::Options o;
  o.max_failures = l.max_per_ip;
  o.base_lockout_seconds = l.window_seconds;
  o.max_lockout_seconds = l.window_seconds;
  o.window_seconds = l.window_seconds;
  return o;
}

}  // namespace

std::string RequestContext::Field(std::string_view name) const {
  for (const auto& [k, v] : form) {
    if (k == name) return v;
  }
  return "";
}

WebApp::WebApp(const app::AppContext& ctx, WebOptions options)
    : ctx_(ctx),
      options_(std::move(options)),
      accounts_(ctx),
      account_mail_(ctx),
      groups_(ctx),
      discussions_(ctx),
      conversations_(ctx),
      notifications_(ctx),
      delivery_(ctx),
      association_settings_(ctx),
      invitations_(ctx),
      feedback_(ctx),
      resources_(ctx, options_.files, options_.resource_limits),
      checkins_(ctx),
      outcomes_(ctx),
      engagement_(ctx),
      account_limiter_(LimiterOptions(options_.login, options_.login.max_failures_per_account)),
      ip_limiter_(LimiterOptions(options_.login, options_.login.max_failures_per_ip)),
      mail_ip_limiter_(MailLimiterOptions(options_.mail_limits)),
      invite_ip_limiter_(MailLimiterOptions(options_.invite_limits)) {
  Add("GET", "/healthz", &WebApp::Healthz);
  Add("GET", "/readyz", &WebApp::Readyz);
  Add("GET", "/static/{file}", &WebApp::StaticFile);

  Add("GET", "/", &WebApp::HomePage);
  Add("GET", "/groups", &WebApp::HomePage);
  Add("GET", "/groups/{slug}", &WebApp::GroupPage);
  Add("POST", "/groups/{slug}/join", &WebApp::JoinForm);
  Add("POST", "/groups/{slug}/leave", &WebApp::LeaveForm);
  Add("GET", "/groups/{slug}/members", &WebApp::MembersPage);
  Add("GET", "/groups/{slug}/settings", &WebApp::GroupSettingsPage);
  Add("POST", "/groups/{slug}/settings", &WebApp::GroupSettingsForm);
  Add("GET", "/register", &WebApp::RegisterPage);
  Add("POST", "/register", &WebApp::RegisterForm);
  Add("GET", "/signin", &WebApp::SignInPage);
  Add("POST", "/signin", &WebApp::SignInForm);
  Add("POST", "/signout", &WebApp::SignOutForm);
  Add("GET", "/account", &WebApp::AccountPage);
  Add("POST", "/account", &WebApp::AccountForm);
  Add("GET", "/account/password", &WebApp::PasswordPage);
  Add("POST", "/account/password", &WebApp::PasswordForm);
  Add("POST", "/account/verification", &WebApp::ResendVerificationForm);
  Add("GET", "/verify/{token}", &WebApp::VerifyPage);
  Add("POST", "/verify/{token}", &WebApp::VerifyForm);
  Add("GET", "/forgot-password", &WebApp::ForgotPasswordPage);
  Add("POST", "/forgot-password", &WebApp::ForgotPasswordForm);
  Add("GET", "/reset/{token}", &WebApp::ResetPage);
  Add("POST", "/reset/{token}", &WebApp::ResetForm);
  Add("GET", "/account/email", &WebApp::EmailPage);
  Add("POST", "/account/email", &WebApp::EmailForm);
  Add("GET", "/email-change/{token}", &WebApp::EmailChangePage);
  Add("POST", "/email-change/{token}", &WebApp::EmailChangeForm);

  Add("GET", "/groups/{slug}/threads/new", &WebApp::NewThreadPage);
  Add("POST", "/groups/{slug}/threads", &WebApp::NewThreadForm);
  Add("GET", "/groups/{slug}/recommended", &WebApp::RecommendedPage);
  Add("GET", "/threads/{id}", &WebApp::ThreadPage);
  Add("POST", "/threads/{id}/posts", &WebApp::ReplyForm);
  Add("POST", "/threads/{id}/answer", &WebApp::AnswerForm);
  Add("POST", "/threads/{id}/follow", &WebApp::FollowForm);
  Add("POST", "/threads/{id}/pin", &WebApp::PinForm);
  Add("POST", "/threads/{id}/lock", &WebApp::LockForm);
  Add("GET", "/posts/{id}", &WebApp::PostLink);
  Add("GET", "/posts/{id}/edit", &WebApp::EditPostPage);
  Add("POST", "/posts/{id}/edit", &WebApp::EditPostForm);
  Add("GET", "/posts/{id}/delete", &WebApp::DeletePostPage);
  Add("POST", "/posts/{id}/delete", &WebApp::DeletePostForm);
  Add("GET", "/posts/{id}/revisions", &WebApp::RevisionsPage);
  Add("POST", "/posts/{id}/recommend", &WebApp::RecommendForm);
  Add("GET", "/posts/{id}/message", &WebApp::NewMessagePage);
  Add("GET", "/conversations", &WebApp::InboxPage);
  Add("POST", "/conversations", &WebApp::StartConversationForm);
  Add("GET", "/conversations/{id}", &WebApp::ConversationPage);
  Add("POST", "/conversations/{id}/messages", &WebApp::MessageForm);
  Add("GET", "/notifications", &WebApp::NotificationsPage);
  Add("POST", "/notifications/read", &WebApp::MarkReadForm);
  Add("GET", "/settings/notifications", &WebApp::NotificationSettingsPage);
  Add("POST", "/settings/notifications", &WebApp::NotificationSettingsForm);

  Add("POST", "/api/v1/accounts", &WebApp::ApiCreateAccount);
  Add("POST", "/api/v1/session", &WebApp::ApiSignIn);
  Add("DELETE", "/api/v1/session", &WebApp::ApiSignOut);
  Add("GET", "/api/v1/me", &WebApp::ApiMe);
  Add("PATCH", "/api/v1/me", &WebApp::ApiUpdateMe);
  Add("PUT", "/api/v1/me/password", &WebApp::ApiChangePassword);
  Add("POST", "/api/v1/me/verification", &WebApp::ApiResendVerification);
  Add("POST", "/api/v1/verification/{token}", &WebApp::ApiVerify);
  Add("POST", "/api/v1/password-reset", &WebApp::ApiRequestPasswordReset);
  Add("POST", "/api/v1/password-reset/{token}", &WebApp::ApiResetPassword);
  Add("PATCH", "/api/v1/me/email", &WebApp::ApiRequestEmailChange);
  Add("POST", "/api/v1/email-change/{token}", &WebApp::ApiConfirmEmailChange);
  Add("GET", "/api/v1/groups", &WebApp::ApiGroups);
  Add("GET", "/api/v1/groups/{slug}", &WebApp::ApiGroup);
  Add("PATCH", "/api/v1/groups/{slug}", &WebApp::ApiUpdateGroup);
  Add("GET", "/api/v1/groups/{slug}/members", &WebApp::ApiGroupMembers);
  Add("POST", "/api/v1/groups/{slug}/membership", &WebApp::ApiJoin);
  Add("DELETE", "/api/v1/groups/{slug}/membership", &WebApp::ApiLeave);
  Add("GET", "/api/v1/groups/{slug}/threads", &WebApp::ApiThreads);
  Add("POST", "/api/v1/groups/{slug}/threads", &WebApp::ApiStartThread);
  Add("GET", "/api/v1/groups/{slug}/recommended", &WebApp::ApiRecommended);
  Add("GET", "/api/v1/threads/{id}", &WebApp::ApiThread);
  Add("POST", "/api/v1/threads/{id}/posts", &WebApp::ApiReply);
  Add("POST", "/api/v1/threads/{id}/answer", &WebApp::ApiAnswer);
  Add("POST", "/api/v1/threads/{id}/follow", &WebApp::ApiFollow);
  Add("DELETE", "/api/v1/threads/{id}/follow", &WebApp::ApiUnfollow);
  Add("PUT", "/api/v1/threads/{id}/pinned", &WebApp::ApiPin);
  Add("PUT", "/api/v1/threads/{id}/locked", &WebApp::ApiLock);
  Add("PATCH", "/api/v1/posts/{id}", &WebApp::ApiEditPost);
  Add("DELETE", "/api/v1/posts/{id}", &WebApp::ApiDeletePost);
  Add("GET", "/api/v1/posts/{id}/revisions", &WebApp::ApiRevisions);
  Add("POST", "/api/v1/posts/{id}/recommendation", &WebApp::ApiRecommend);
  Add("DELETE", "/api/v1/posts/{id}/recommendation", &WebApp::ApiUnrecommend);
  Add("POST", "/api/v1/preview", &WebApp::ApiPreview);
  Add("GET", "/api/v1/conversations", &WebApp::ApiConversations);
  Add("POST", "/api/v1/conversations", &WebApp::ApiStartConversation);
  Add("GET", "/api/v1/conversations/{id}", &WebApp::ApiConversation);
  Add("POST", "/api/v1/conversations/{id}/messages", &WebApp::ApiSendMessage);
  Add("GET", "/api/v1/notifications", &WebApp::ApiNotifications);
  Add("POST", "/api/v1/notifications/read", &WebApp::ApiMarkRead);
  Add("PATCH", "/api/v1/groups/{slug}/membership", &WebApp::ApiSetMembership);
  Add("GET", "/api/v1/me/notification-settings", &WebApp::ApiNotificationSettings);
  Add("PATCH", "/api/v1/me/notification-settings", &WebApp::ApiUpdateNotificationSettings);
  Add("GET", "/unsubscribe/{token}", &WebApp::UnsubscribePage);
  Add("POST", "/unsubscribe/{token}", &WebApp::UnsubscribeForm);
  Add("POST", "/api/v1/unsubscribe/{token}", &WebApp::ApiUnsubscribe);
  Add("POST", "/unsubscribe/{token}/undo", &WebApp::ResubscribeForm);
  Add("DELETE", "/api/v1/unsubscribe/{token}", &WebApp::ApiResubscribe);
  Add("POST", "/settings/mail/resume", &WebApp::ResumeMailForm);
  Add("DELETE", "/api/v1/me/mail-pause", &WebApp::ApiResumeMail);
  Add("GET", "/admin/digests", &WebApp::DigestSchedulePage);
  Add("POST", "/admin/digests", &WebApp::DigestScheduleForm);
  Add("GET", "/api/v1/association/digest-schedule", &WebApp::ApiDigestSchedule);
  Add("PATCH", "/api/v1/association/digest-schedule", &WebApp::ApiUpdateDigestSchedule);

  // Invitations.
  Add("GET", "/groups/{slug}/invitations/new", &WebApp::InviteFormPage);
  Add("POST", "/groups/{slug}/invitations", &WebApp::InviteForm);
  Add("GET", "/invitations", &WebApp::MyInvitationsPage);
  Add("GET", "/invitations/{token}", &WebApp::InvitationPage);
  Add("POST", "/invitations/{token}/accept", &WebApp::AcceptInvitationForm);
  Add("POST", "/api/v1/groups/{slug}/invitations", &WebApp::ApiInvite);
  Add("GET", "/api/v1/invitations", &WebApp::ApiMyInvitations);
  Add("GET", "/api/v1/invitations/{token}", &WebApp::ApiInvitation);
  Add("POST", "/api/v1/invitations/{token}/accept", &WebApp::ApiAcceptInvitation);
  // An invitation on the invitee's own list, by id (the token is only hashed).
  Add("GET", "/me/invitations/{id}", &WebApp::MyInvitationPage);
  Add("POST", "/me/invitations/{id}/accept", &WebApp::AcceptMyInvitationForm);
  Add("GET", "/api/v1/me/invitations/{id}", &WebApp::ApiMyInvitation);
  Add("POST", "/api/v1/me/invitations/{id}/accept", &WebApp::ApiAcceptMyInvitation);

  // Feedback to the staff liaison.
  Add("GET", "/groups/{slug}/feedback", &WebApp::FeedbackInboxPage);
  Add("GET", "/groups/{slug}/feedback/new", &WebApp::NewFeedbackPage);
  Add("POST", "/groups/{slug}/feedback", &WebApp::SendFeedbackForm);
  Add("GET", "/groups/{slug}/feedback/summary", &WebApp::FeedbackSummaryPage);
  Add("POST", "/groups/{slug}/feedback/summary", &WebApp::FeedbackSummaryForm);
  Add("GET", "/feedback/{id}", &WebApp::FeedbackPage);
  Add("POST", "/feedback/{id}", &WebApp::FeedbackUpdateForm);
  Add("POST", "/feedback/{id}/replies", &WebApp::FeedbackReplyForm);
  Add("GET", "/api/v1/groups/{slug}/feedback", &WebApp::ApiFeedbackList);
  Add("POST", "/api/v1/groups/{slug}/feedback", &WebApp::ApiSendFeedback);
  Add("POST", "/api/v1/groups/{slug}/feedback/summary", &WebApp::ApiFeedbackSummary);
  Add("GET", "/api/v1/feedback/{id}", &WebApp::ApiFeedback);
  Add("PATCH", "/api/v1/feedback/{id}", &WebApp::ApiUpdateFeedback);
  Add("POST", "/api/v1/feedback/{id}/replies", &WebApp::ApiFeedbackReply);

  // Resources (issue 6).
  Add("GET", "/groups/{slug}/resources", &WebApp::LibraryPage);
  Add("GET", "/groups/{slug}/resources/new", &WebApp::ShareResourcePage);
  Add("POST", "/groups/{slug}/resources", &WebApp::ShareResourceForm);
  Add("GET", "/resources/{id}", &WebApp::ResourcePage);
  Add("GET", "/resources/{id}/file", &WebApp::ResourceFile);
  Add("GET", "/resources/{id}/preview", &WebApp::ResourcePreview);
  Add("POST", "/resources/{id}/recommend", &WebApp::RecommendResourceForm);
  Add("POST", "/resources/{id}/confirm", &WebApp::ConfirmResourceForm);
  Add("POST", "/resources/{id}/delete", &WebApp::DeleteResourceForm);
  Add("POST", "/resources/{id}/discussion", &WebApp::DiscussResourceForm);
  Add("GET", "/api/v1/groups/{slug}/resources", &WebApp::ApiResources);
  Add("POST", "/api/v1/groups/{slug}/resources", &WebApp::ApiShareResource);
  Add("GET", "/api/v1/resources/{id}", &WebApp::ApiResource);
  Add("DELETE", "/api/v1/resources/{id}", &WebApp::ApiDeleteResource);
  Add("GET", "/api/v1/resources/{id}/file", &WebApp::ApiResourceFile);
  Add("POST", "/api/v1/resources/{id}/recommendation", &WebApp::ApiRecommendResource);
  Add("DELETE", "/api/v1/resources/{id}/recommendation", &WebApp::ApiUnrecommendResource);
  Add("POST", "/api/v1/resources/{id}/confirmation", &WebApp::ApiConfirmResource);
  Add("POST", "/api/v1/resources/{id}/discussion", &WebApp::ApiDiscussResource);

  // Outcome check-ins and their results (issue 7).
  Add("GET", "/groups/{slug}/checkin", &WebApp::CheckinPage);
  Add("POST", "/groups/{slug}/checkin", &WebApp::CheckinAnswerForm);
  Add("POST", "/groups/{slug}/checkin/skip", &WebApp::CheckinSkipForm);
  Add("GET", "/groups/{slug}/checkin/thanks", &WebApp::CheckinThanksPage);
  Add("GET", "/me/checkins", &WebApp::MyCheckinsPage);
  Add("GET", "/me/checkins/{id}/delete", &WebApp::DeleteCheckinPage);
  Add("POST", "/me/checkins/{id}/delete", &WebApp::DeleteCheckinForm);
  Add("GET", "/admin/outcomes", &WebApp::OutcomeSettingsPage);
  Add("POST", "/admin/outcomes", &WebApp::OutcomeSettingsForm);
  Add("GET", "/groups/{slug}/outcomes.csv", &WebApp::OutcomesCsv);
  Add("GET", "/groups/{slug}/outcomes/answers.csv", &WebApp::OutcomeAnswersCsv);
  Add("GET", "/groups/{slug}/outcomes/columns.csv", &WebApp::OutcomeColumnsCsv);
  Add("GET", "/api/v1/groups/{slug}/checkin", &WebApp::ApiCheckin);
  Add("POST", "/api/v1/groups/{slug}/checkin", &WebApp::ApiAnswerCheckin);
  Add("POST", "/api/v1/groups/{slug}/checkin/skip", &WebApp::ApiSkipCheckin);
  Add("GET", "/api/v1/me/checkins", &WebApp::ApiMyCheckins);
  Add("DELETE", "/api/v1/checkins/{id}", &WebApp::ApiDeleteCheckin);
  Add("GET", "/api/v1/groups/{slug}/outcomes", &WebApp::ApiOutcomes);
  Add("GET", "/api/v1/association/outcomes", &WebApp::ApiOutcomeSettings);
  Add("PUT", "/api/v1/association/outcomes", &WebApp::ApiUpdateOutcomeSettings);
  // Engagement dashboards and exports (issue 7).
  Add("GET", "/groups/{slug}/dashboard", &WebApp::DashboardPage);
  Add("GET", "/groups/{slug}/engagement.csv", &WebApp::EngagementCsv);
  Add("GET", "/groups/{slug}/engagement/columns.csv", &WebApp::EngagementColumnsCsv);
  Add("GET", "/admin/groups/dashboard", &WebApp::AssociationDashboardPage);
  Add("GET", "/admin/groups/engagement.csv", &WebApp::AssociationEngagementCsv);
  Add("GET", "/admin/groups/engagement/columns.csv", &WebApp::AssociationEngagementColumnsCsv);
  Add("GET", "/api/v1/groups/{slug}/engagement", &WebApp::ApiGroupEngagement);
  Add("GET", "/api/v1/association/engagement", &WebApp::ApiAssociationEngagement);
}

bool WebApp::IsUploadRoute(std::string_view method, std::string_view path) {
  if (method != "POST") return false;
  // The post forms, which may share a new file with the post (the JSON API
  // attaches library resources by id only).
  auto one_segment = [](std::string_view s) { return !s.empty() && s.find('/') == s.npos; };
  if (path.size() > 16 && path.starts_with("/groups/") && path.ends_with("/threads")) {
    return one_segment(path.substr(8, path.size() - 8 - 8));
  }
  if (path.size() > 15 && path.starts_with("/threads/") && path.ends_with("/posts")) {
    return one_segment(path.substr(9, path.size() - 9 - 6));
  }
  if (path.starts_with("/api/v1")) path.remove_prefix(7);
  if (!path.starts_with("/groups/") || !path.ends_with("/resources")) return false;
  std::string_view slug = path.substr(8, path.size() - 8 - 10);
  return !slug.empty() && slug.find('/') == std::string_view::npos;
}

bool WebApp::MayUpload(const http::Request& head) {
  if (!IsUploadRoute(head.method, head.path)) return false;
  std::string_view auth = head.Header("authorization");
  std::string token = auth.rfind("Bearer ", 0) == 0 ? std::string(auth.substr(7))
                                                    : head.Cookie(kSessionCookie);
  if (token.empty()) return false;
  auto session = accounts_.Authenticate(token);
  return session.ok() && session->has_value();
}

void WebApp::Add(const char* method, const char* pattern, Method fn) {
  router_.Add(method, pattern, [this, fn](http::Request& req) { return Run(req, fn); });
}

http::Response WebApp::Handle(http::Request& req) {
  std::optional<http::Response> r = router_.Dispatch(req);
  if (r) return *std::move(r);
  return Run(req, nullptr);
}

http::Response WebApp::Run(http::Request& req, Method fn) {
  RequestContext c{req, {}, {}, false, req.path.rfind("/api/", 0) == 0, {}, {}};
  // Health checks must not touch sessions or the database.
  if (fn == &WebApp::Healthz || fn == &WebApp::StaticFile) return (this->*fn)(c);
  std::optional<app::ReadSnapshot> snapshot;
  if (IsSafeMethod(req.method)) snapshot.emplace(ctx_);

  std::string_view auth = req.Header("authorization");
  if (auth.rfind("Bearer ", 0) == 0) {
    auto s = accounts_.Authenticate(std::string(auth.substr(7)));
    if (!s.ok()) return Fail(c, s.error());
    if (!*s) {
      return Fail(c, MakeError(ErrorKind::kUnauthenticated, "invalid_token",
                               "This sign-in token is not valid or has expired. Sign in again."));
    }
    c.session = **s;
  } else if (std::string cookie = req.Cookie(kSessionCookie); !cookie.empty()) {
    auto s = accounts_.Authenticate(cookie);
    if (!s.ok()) return Fail(c, s.error());
    if (*s) {
      c.session = **s;
      c.via_cookie = true;
    }
  }
  if (c.session) c.viewer.account = c.session->account;

  // One-click unsubscribe (RFC 8058) is posted by mail providers, with no
  // session, CSRF token or Origin of ours: its token is its credential.
  const bool token_is_credential =
      fn == &WebApp::UnsubscribeForm || fn == &WebApp::ApiUnsubscribe;
  // Whatever the handler leaves of an uploaded file goes with the request.
  struct RemoveUpload {
    RequestContext& c;
    ~RemoveUpload() {
      if (c.upload) std::remove(c.upload->path.c_str());
    }
  } remove_upload{c};
  if (!IsSafeMethod(req.method)) {
    if (req.ContentType() == "application/x-www-form-urlencoded") {
      if (!text::IsValidUtf8(req.body)) {
        return Fail(c, MakeError(ErrorKind::kInvalidInput, "invalid_utf8",
                                 "The form contained text that is not valid UTF-8."));
      }
      c.form = http::ParseForm(req.body);
    } else if (req.ContentType() == "multipart/form-data" && !req.body_file.empty()) {
      mail::MultipartLimits limits;
      limits.max_file_bytes = resources_.limits().max_file_bytes;
      std::string path = resources_.NewUploadPath();
      auto parsed = mail::ParseMultipartFile(req.body_file, req.Header("content-type"), path,
                                             limits);
      if (!parsed.ok()) return Fail(c, parsed.error());
      for (const auto& [k, v] : parsed->fields) {
        if (!text::IsValidUtf8(v) || !text::IsValidUtf8(k)) {
          return Fail(c, MakeError(ErrorKind::kInvalidInput, "invalid_utf8",
                                   "The form contained text that is not valid UTF-8."));
        }
      }
      c.form = std::move(parsed->fields);
      c.upload = std::move(parsed->file);
    }
    if (token_is_credential) {
      // Checked by the handler.
    } else if (c.via_cookie) {
      std::string token(req.Header("x-csrf-token"));
      if (token.empty()) token = c.Field("csrf_token");
      if (!crypto::ConstantTimeEquals(token, c.session->csrf_token)) {
        return Fail(c, MakeError(ErrorKind::kForbidden, "csrf_failed",
                                 "The security check for this form failed. Go back, reload "
                                 "the page and try again."));
      }
    } else if (!c.session) {
      // Forms sent without a session (sign in, register) must come from our
      // own pages: a browser always sends Origin on such a POST.
      std::string_view origin = req.Header("origin");
      if (!origin.empty() && origin != "null" && origin != OriginOf(options_.base_url)) {
        return Fail(c, MakeError(ErrorKind::kForbidden, "bad_origin",
                                 "This form was sent from another site."));
      }
    }
  }
  if (fn == nullptr) {
    return Fail(c, MakeError(ErrorKind::kNotFound, "not_found",
                             "We could not find that page. Check the address, or start from "
                             "the list of interest groups."));
  }
  return (this->*fn)(c);
}

Result<app::SignedIn> WebApp::ThrottledSignIn(const RequestContext& c, const std::string& email,
                                              const std::string& password) {
  auto now = std::chrono::steady_clock::now();
  std::string account_key = text::ToLowerAscii(text::Trim(email)).substr(0, 254);
  const std::string& ip_key = c.req.remote_ip;
  int wait = std::max(account_limiter_.RetryAfter(account_key, now),
                      ip_limiter_.RetryAfter(ip_key, now));
  if (wait > 0) {
    Error e = MakeError(ErrorKind::kRateLimited, "too_many_attempts",
                        "Too many failed sign-in attempts. Wait " + std::to_string(wait) +
                            " seconds, then try again.");
    e.retry_after_seconds = wait;
    return e;
  }
  auto r = accounts_.SignIn(email, password);
  if (!r.ok() && r.error().code == "invalid_credentials") {
    account_limiter_.RecordFailure(account_key, now);
    ip_limiter_.RecordFailure(ip_key, now);
  } else if (r.ok()) {
    account_limiter_.Reset(account_key);
  }
  return r;
}

namespace {

// 429 "too_many_requests" for a client address that must wait `wait`
// seconds: "Too many <what> from your network. Wait N minutes, ...".
Error SlowDown(std::string_view what, int wait) {
  Error e = MakeError(ErrorKind::kRateLimited, "too_many_requests",
                      "Too many " + std::string(what) + " from your network. Wait " +
                          std::to_string((wait + 59) / 60) + " minutes, then try again.");
  e.retry_after_seconds = wait;
  return e;
}

}  // namespace

Status WebApp::ThrottleMail(const RequestContext& c) {
  auto now = std::chrono::steady_clock::now();
  int wait = mail_ip_limiter_.RetryAfter(c.req.remote_ip, now);
  if (wait > 0) return SlowDown("requests for email", wait);
  mail_ip_limiter_.RecordFailure(c.req.remote_ip, now);
  return OkStatus();
}

Status WebApp::ThrottleInvitations(const RequestContext& c) {
  int wait = invite_ip_limiter_.RetryAfter(c.req.remote_ip, std::chrono::steady_clock::now());
  if (wait > 0) return SlowDown("invitations were sent", wait);
  return OkStatus();
}

void WebApp::CountInvitations(const RequestContext& c, int n) {
  auto now = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) invite_ip_limiter_.RecordFailure(c.req.remote_ip, now);
}

std::string WebApp::SessionCookie(const std::string& token, bool clear) const {
  std::string c = std::string(kSessionCookie) + "=" + (clear ? "" : token) +
                  "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
                  (clear ? "0" : std::to_string(app::kSessionDays * 86400));
  if (options_.base_url.rfind("https://", 0) == 0) c += "; Secure";
  return c;
}

http::Response WebApp::Fail(const RequestContext& c, const Error& e) {
  if (c.is_api) return http::ErrorResponse(e);
  if (e.kind == ErrorKind::kUnauthenticated) {
    return Redirect("/signin?next=" + text::PercentEncode(c.req.path));
  }
  Data d;
  d["message"] = e.message;
  int status = http::StatusFor(e.kind);
  std::string title = status == 404   ? "Page not found"
                      : status == 403 ? "You cannot do that"
                      : status == 410 ? "This link no longer works"
                      : status == 429 ? "Too many attempts"
                      : status >= 500 ? "Sorry, something went wrong"
                                      : "There is a problem";
  d["title"] = title;
  http::Response r = Page(c, status, title, Templates::Fragment("error", std::move(d)));
  if (e.retry_after_seconds > 0) r.SetHeader("Retry-After", std::to_string(e.retry_after_seconds));
  return r;
}

http::Response WebApp::Page(const RequestContext& c, int status, std::string_view title,
                            Data body, std::string_view notice) {
  // The body, usually most of the page, renders straight into the response
  // buffer, which is sized for it up front.
  Data d = Data::Object(10);
  d["title"] = Data::Borrow(title);
  d["body"] = std::move(body);
  auto db = ctx_.Db();
  if (db.ok()) {
    auto assoc = app::LoadAssociation(ctx_, **db);
    if (assoc.ok()) {
      d["site_name"] =
          (assoc->short_name.empty() ? assoc->name : assoc->short_name) + " Interest Groups";
    }
  }
  std::string_view shown = notice.empty() ? NoticeText(c.req.QueryParam("notice")) : notice;
  if (!shown.empty()) d["notice"] = Data::Borrow(shown);
  if (c.session) {
    // The notice asks for what the verification page itself does.
    if (!c.session->account.email_verified() && !c.req.path.starts_with("/verify/")) {
      d["unverified_email"] = Data::Borrow(c.session->account.email);
      d["here"] = Data::Borrow(c.req.path);
    }
    d["signed_in"] = true;
    d["user_name"] = Data::Borrow(c.session->account.name);
    d["csrf"] = Data::Borrow(c.session->csrf_token);
    auto unread = notifications_.UnreadBadge(c.viewer);
    if (unread.ok() && !unread->empty()) d["unread"] = *std::move(unread);
  }
  http::Response r;
  r.status = status;
  r.SetHeader("Content-Type", "text/html; charset=utf-8");
  r.SetHeader("Cache-Control", "no-store");
  r.body = Templates::Render("layout", d);
  return r;
}

http::Response WebApp::StaticFile(RequestContext& c) {
  std::string name(c.req.Param("file"));
  auto data = assets::Find("static/" + name);
  if (!data) {
    return http::ErrorResponse(MakeError(ErrorKind::kNotFound, "not_found", "No such file."));
  }
  http::Response r;
  std::string type = "application/octet-stream";
  if (name.ends_with(".css")) type = "text/css; charset=utf-8";
  if (name.ends_with(".js")) type = "text/javascript; charset=utf-8";
  if (name.ends_with(".svg")) type = "image/svg+xml";
  if (name.ends_with(".ico")) type = "image/x-icon";
  r.SetHeader("Content-Type", type);
  r.SetHeader("Cache-Control", "public, max-age=3600");
  r.body = std::string(*data);
  return r;
}

http::Response WebApp::Healthz(RequestContext&) { return Json(200, {{"status", "ok"}}); }

http::Response WebApp::Readyz(RequestContext& c) {
  auto db = ctx_.Db();
  Status s = db.ok() ? (*db)->CheckReady() : Status(db.error());
  if (!s.ok()) {
    Error e = s.error();
    if (e.retry_after_seconds == 0) e.retry_after_seconds = 5;
    return http::ErrorResponse(e);
  }
  return Json(200, {{"status", "ready"}});
}

}  // namespace rt::web
