#ifndef RT_WEB_WEB_APP_H_
#define RT_WEB_WEB_APP_H_

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/account_mail.h"
#include "app/accounts.h"
#include "app/association_settings.h"
#include "app/checkins.h"
#include "app/context.h"
#include "app/conversations.h"
#include "app/delivery.h"
#include "app/discussions.h"
#include "app/engagement.h"
#include "app/feedback.h"
#include "app/groups.h"
#include "app/invitations.h"
#include "app/outcomes.h"
#include "app/resources.h"
#include "core/config.h"
#include "http/message.h"
#include "http/rate_limiter.h"
#include "http/router.h"
#include "mail/multipart.h"
#include "store/versioned_cache.h"
#include "web/page_cache.h"
#include "web/row_cache.h"
#include "web/templates.h"

namespace rt::web {

struct FormSpec;

struct WebOptions {
  std::string base_url = "http://127.0.0.1:8080";
  LoginLimits login;
  MailLimits mail_limits;
  // Where shared files are kept (none: files cannot be shared) and the
  // upload limits (issue 6).
  const store::FileStore* files = nullptr;
  app::ResourceLimits resource_limits;
  // Invitations per client address (ThrottleInvitations).
  MailLimits invite_limits{100, 60 * 60};
};

// One request after routing: who is asking and how they authenticated.
struct RequestContext {
  http::Request& req;
  app::Viewer viewer;
  std::optional<app::SessionInfo> session;
  bool via_cookie = false;                                // writes need the CSRF token
  bool is_api = false;                                    // path under /api/: answer in JSON
  std::vector<std::pair<std::string, std::string>> form;  // parsed HTML form
  // The file of a multipart form (upload routes only); Run deletes what the
  // handler left of it.
  std::optional<mail::UploadedFile> upload;

  // A form field ("" when absent).
  std::string Field(std::string_view name) const;
  // The session's CSRF token for forms, "" when signed out. Lives as long as
  // the request, so template data may borrow it.
  std::string_view Csrf() const {
    return session ? std::string_view(session->csrf_token) : std::string_view();
  }
};

// Adds "mail_paused" (for templates/mail_paused.mustache) to page data
// when the signed-in viewer's mail is paused.
void AddMailPausedNotice(const RequestContext& c, ViewData& d);

// A post's HTML without what depends on the viewer or the time: `parts[0]`
// ends where the relative time goes, `parts[1]` where the viewer's actions
// go (a removed post has no actions: then parts[2] is empty and unused).
struct PostPieces {
  std::string parts[3];
  bool has_actions = false;

  // The viewer's actions (post_actions.mustache) depend on the post and on
  // a handful of yes/no facts about the viewer (see ActionFlags), nothing
  // else: each combination met is rendered once and kept here.
  struct Actions {
    int flags = 0;
    std::string html;
  };
  // Guards `actions`, which requests fill as they meet new combinations
  // (a handful per post: reader, recommender, author, moderator).
  mutable std::mutex actions_mu;
  mutable std::vector<std::shared_ptr<const Actions>> actions;
};

// The shared parts of every post on one page of a thread, in page order:
// the opening post, the accepted answer when the page shows it in its own
// section, then the replies. An entry is nullptr for a post whose text
// holds a hole marker itself (it is rendered whole, every time). Kept per
// page, not per post, so that a page costs one cache lookup.
struct PagePieces {
  std::vector<std::shared_ptr<const PostPieces>> posts;
};

// The web face of Roundtable: HTML pages and the JSON API, both calling the
// same app use cases. Thread-safe; one instance serves every thread.
class WebApp {
 public:
  WebApp(const app::AppContext& ctx, WebOptions options);
  WebApp(const WebApp&) = delete;
  WebApp& operator=(const WebApp&) = delete;

  http::Response Handle(http::Request& req);

  // Whether a request may send a large multipart/form-data body: the share
  // forms of the resources page and API, and the post forms (new thread,
  // reply), which may share a file with the post.
  static bool IsUploadRoute(std::string_view method, std::string_view path);
  // http::UploadOptions::accepts: an upload route, asked by someone signed
  // in (a valid bearer token or session cookie). Whether they may share in
  // that group is the handler's to decide; this only keeps strangers from
  // making the server receive a large body. Thread-safe.
  bool MayUpload(const http::Request& head);

 private:
  using Method = http::Response (WebApp::*)(RequestContext&);
  void Add(const char* method, const char* pattern, Method fn);
  http::Response Run(http::Request& req, Method fn);

  // Pages (pages_*.cc).
  http::Response HomePage(RequestContext& c);
  http::Response GroupPage(RequestContext& c);
  http::Response JoinForm(RequestContext& c);
  http::Response LeaveForm(RequestContext& c);
  http::Response MembersPage(RequestContext& c);
  http::Response RegisterPage(RequestContext& c);
  http::Response RegisterForm(RequestContext& c);
  http::Response SignInPage(RequestContext& c);
  http::Response SignInForm(RequestContext& c);
  http::Response SignOutForm(RequestContext& c);
  http::Response AccountPage(RequestContext& c);
  http::Response AccountForm(RequestContext& c);
  http::Response PasswordPage(RequestContext& c);
  http::Response PasswordForm(RequestContext& c);
  // Account mail pages (pages_account_mail.cc).
  http::Response ResendVerificationForm(RequestContext& c);
  http::Response VerifyPage(RequestContext& c);
  http::Response VerifyForm(RequestContext& c);
  http::Response ForgotPasswordPage(RequestContext& c);
  http::Response ForgotPasswordForm(RequestContext& c);
  http::Response ResetPage(RequestContext& c);
  http::Response ResetForm(RequestContext& c);
  http::Response EmailPage(RequestContext& c);
  http::Response EmailForm(RequestContext& c);
  http::Response EmailChangePage(RequestContext& c);
  http::Response EmailChangeForm(RequestContext& c);
  http::Response StaticFile(RequestContext& c);

  // Discussion pages (pages_discussions.cc).
  http::Response NewThreadPage(RequestContext& c);
  http::Response NewThreadForm(RequestContext& c);
  http::Response ThreadPage(RequestContext& c);
  http::Response ReplyForm(RequestContext& c);
  http::Response PostLink(RequestContext& c);
  http::Response EditPostPage(RequestContext& c);
  http::Response EditPostForm(RequestContext& c);
  http::Response DeletePostPage(RequestContext& c);
  http::Response DeletePostForm(RequestContext& c);
  http::Response RevisionsPage(RequestContext& c);
  http::Response RecommendForm(RequestContext& c);
  http::Response AnswerForm(RequestContext& c);
  http::Response FollowForm(RequestContext& c);
  http::Response PinForm(RequestContext& c);
  http::Response LockForm(RequestContext& c);
  http::Response RecommendedPage(RequestContext& c);

  http::Response ThreadSwitch(RequestContext& c,
                              Status (app::DiscussionsService::*set)(const app::Viewer&, ThreadId,
                                                                     bool),
                              const char* on_notice, const char* off_notice);
  // The shared parts of the posts of `page`, from page_pieces_ when the
  // thread's contents carry a valid version, else made for this request.
  std::shared_ptr<const PagePieces> PiecesFor(const app::ThreadPage& page, TimePoint now);
  // One post of a thread page, appended to `out`, from its shared parts
  // (`pieces`; nullptr: rendered whole).
  void AppendPost(const app::PostItem& it, const PostPieces* pieces, std::string_view csrf,
                  TimePoint now, bool is_answer, bool in_answer_section, std::string* out);
  // The thread page with `reply_form` (template data for the reply form,
  // possibly carrying errors or a preview).
  http::Response RenderThread(const app::ThreadPage& page, const RequestContext& c, Data reply_form,
                              int status);

  // Conversation and notification pages (pages_conversations.cc).
  http::Response InboxPage(RequestContext& c);
  http::Response ConversationPage(RequestContext& c);
  http::Response MessageForm(RequestContext& c);
  http::Response NewMessagePage(RequestContext& c);
  http::Response StartConversationForm(RequestContext& c);
  http::Response NotificationsPage(RequestContext& c);
  http::Response MarkReadForm(RequestContext& c);
  // Email delivery settings (pages_settings.cc, api_delivery.cc).
  http::Response NotificationSettingsPage(RequestContext& c);
  http::Response NotificationSettingsForm(RequestContext& c);
  http::Response GroupSettingsPage(RequestContext& c);
  http::Response GroupSettingsForm(RequestContext& c);
  http::Response ApiUpdateGroup(RequestContext& c);
  http::Response ApiSetMembership(RequestContext& c);
  http::Response ApiNotificationSettings(RequestContext& c);
  http::Response ApiUpdateNotificationSettings(RequestContext& c);
  // Unsubscribe links from mail and paused mail (pages_unsubscribe.cc).
  // The unsubscribe POSTs carry no CSRF token (RFC 8058: a mail provider
  // posts them): the token in the path is the credential, and they act only
  // on its account, never on the session's. Undoing a notification mail's
  // link (Resubscribe) is not one-click, so it keeps the usual checks.
  http::Response UnsubscribePage(RequestContext& c);
  http::Response UnsubscribeForm(RequestContext& c);
  http::Response ResubscribeForm(RequestContext& c);
  http::Response ApiUnsubscribe(RequestContext& c);
  http::Response ApiResubscribe(RequestContext& c);
  http::Response ResumeMailForm(RequestContext& c);
  http::Response ApiResumeMail(RequestContext& c);
  // The association's settings, for its admins (pages_association.cc,
  // api_association.cc); 404 for everyone else signed in.
  http::Response DigestSchedulePage(RequestContext& c);
  http::Response DigestScheduleForm(RequestContext& c);
  http::Response ApiDigestSchedule(RequestContext& c);
  http::Response ApiUpdateDigestSchedule(RequestContext& c);
  // Adds the member's delivery ("You get a daily digest · Change") to a
  // group page's data; nothing for visitors and non-members.
  void AddDeliveryLine(const RequestContext& c, const app::GroupView& g, Data& d);
  // Invitations (pages_invitations.cc, api_invitations.cc).
  http::Response InviteFormPage(RequestContext& c);
  http::Response InviteForm(RequestContext& c);
  http::Response MyInvitationsPage(RequestContext& c);
  http::Response InvitationPage(RequestContext& c);
  http::Response AcceptInvitationForm(RequestContext& c);
  // The same page and button for an invitation on the invitee's own list,
  // by id (/me/invitations/{id}).
  http::Response MyInvitationPage(RequestContext& c);
  http::Response AcceptMyInvitationForm(RequestContext& c);
  http::Response ApiMyInvitation(RequestContext& c);
  http::Response ApiAcceptMyInvitation(RequestContext& c);
  http::Response ApiInvite(RequestContext& c);
  http::Response ApiMyInvitations(RequestContext& c);
  http::Response ApiInvitation(RequestContext& c);
  http::Response ApiAcceptInvitation(RequestContext& c);
  // Feedback to the staff liaison (pages_feedback.cc, api_feedback.cc).
  http::Response FeedbackInboxPage(RequestContext& c);
  http::Response NewFeedbackPage(RequestContext& c);
  http::Response SendFeedbackForm(RequestContext& c);
  http::Response FeedbackPage(RequestContext& c);
  http::Response FeedbackReplyForm(RequestContext& c);
  http::Response FeedbackUpdateForm(RequestContext& c);
  http::Response FeedbackSummaryPage(RequestContext& c);
  http::Response FeedbackSummaryForm(RequestContext& c);
  // The item page with the reply form's text and errors (`errors` keyed by
  // field: body, status, liaison).
  http::Response RenderFeedback(const RequestContext& c, const app::FeedbackItem& item,
                                const std::string& body, const Error* error, int status);
  http::Response ApiFeedbackList(RequestContext& c);
  http::Response ApiSendFeedback(RequestContext& c);
  http::Response ApiFeedback(RequestContext& c);
  http::Response ApiUpdateFeedback(RequestContext& c);
  http::Response ApiFeedbackReply(RequestContext& c);
  http::Response ApiFeedbackSummary(RequestContext& c);
  // Resources: each group's library (pages_resources.cc, api_resources.cc).
  http::Response LibraryPage(RequestContext& c);
  http::Response ShareResourcePage(RequestContext& c);
  http::Response ShareResourceForm(RequestContext& c);
  http::Response ResourcePage(RequestContext& c);
  http::Response ResourceFile(RequestContext& c);
  http::Response ResourcePreview(RequestContext& c);
  http::Response RecommendResourceForm(RequestContext& c);
  http::Response ConfirmResourceForm(RequestContext& c);
  http::Response DeleteResourceForm(RequestContext& c);
  http::Response DiscussResourceForm(RequestContext& c);
  http::Response ApiResources(RequestContext& c);
  http::Response ApiShareResource(RequestContext& c);
  http::Response ApiResource(RequestContext& c);
  http::Response ApiResourceFile(RequestContext& c);
  http::Response ApiRecommendResource(RequestContext& c);
  http::Response ApiUnrecommendResource(RequestContext& c);
  http::Response ApiConfirmResource(RequestContext& c);
  http::Response ApiDeleteResource(RequestContext& c);
  http::Response ApiDiscussResource(RequestContext& c);
  // A resource's page, with `discussion` (template data for its comment
  // form, possibly with errors).
  http::Response RenderResource(const RequestContext& c, const app::ResourcePage& p,
                                Data discussion, int status);
  // The file of a resource as an attachment, or inline for previews.
  http::Response SendResourceFile(const RequestContext& c, bool preview);
  // Attaching resources to a post (pages_resources.cc). The choices for a
  // post form in group `slug` (template resource_attach.mustache): the
  // newest of the library as checkboxes (`selected` checked) and a new
  // file to share, with `error` beside its field when it is theirs; none
  // when the viewer may not share there.
  void AddAttachChoices(const RequestContext& c, const std::string& slug,
                        const std::vector<ResourceId>& selected, const Error* error, Data& form);
  // The form's "resource_ids" checkboxes, in order.
  static std::vector<ResourceId> AttachedIds(const RequestContext& c);
  // The form's new file ("file", titled "attachment_title"), if one came.
  static std::optional<app::NewResource> AttachedUpload(RequestContext& c);
  // Reads the share form or the API's multipart body into a NewResource.
  app::NewResource ResourceInput(RequestContext& c);
  // Outcome check-ins and their results (issue 7: pages_checkins.cc,
  // api_checkins.cc, pages_outcomes.cc, api_outcomes.cc).
  http::Response CheckinPage(RequestContext& c);
  http::Response CheckinAnswerForm(RequestContext& c);
  http::Response CheckinSkipForm(RequestContext& c);
  http::Response CheckinThanksPage(RequestContext& c);
  http::Response MyCheckinsPage(RequestContext& c);
  http::Response DeleteCheckinPage(RequestContext& c);
  http::Response DeleteCheckinForm(RequestContext& c);
  http::Response OutcomeSettingsPage(RequestContext& c);
  http::Response OutcomeSettingsForm(RequestContext& c);
  http::Response OutcomesCsv(RequestContext& c);
  http::Response OutcomeAnswersCsv(RequestContext& c);
  http::Response OutcomeColumnsCsv(RequestContext& c);
  http::Response ApiCheckin(RequestContext& c);
  http::Response ApiAnswerCheckin(RequestContext& c);
  http::Response ApiSkipCheckin(RequestContext& c);
  http::Response ApiMyCheckins(RequestContext& c);
  http::Response ApiDeleteCheckin(RequestContext& c);
  http::Response ApiOutcomes(RequestContext& c);
  http::Response ApiOutcomeSettings(RequestContext& c);
  http::Response ApiUpdateOutcomeSettings(RequestContext& c);
  // Adds the check-in notice (a moment is due) or the quiet "Check in"
  // link to a group page's data; nothing for those who may not check in.
  void AddCheckinNotice(const RequestContext& c, const app::GroupView& g, Data& d);
  // Engagement dashboards and exports, for staff (issue 7;
  // pages_dashboard.cc, api_engagement.cc).
  http::Response DashboardPage(RequestContext& c);
  http::Response EngagementCsv(RequestContext& c);
  http::Response EngagementColumnsCsv(RequestContext& c);
  http::Response AssociationDashboardPage(RequestContext& c);
  http::Response AssociationEngagementCsv(RequestContext& c);
  http::Response AssociationEngagementColumnsCsv(RequestContext& c);
  http::Response ApiGroupEngagement(RequestContext& c);
  http::Response ApiAssociationEngagement(RequestContext& c);
  // The period the request asks for (?from=&to=, app::ParsePeriod).
  Result<app::Period> RequestedPeriod(const RequestContext& c) const;
  // The engagement report of the request's group ({slug}) over its period,
  // who asks checked first (a hidden group is 404 whatever the dates).
  Result<app::EngagementReport> RequestedGroupEngagement(const RequestContext& c);
  http::Response Healthz(RequestContext& c);
  http::Response Readyz(RequestContext& c);

  // JSON API (api_*.cc).
  http::Response ApiCreateAccount(RequestContext& c);
  http::Response ApiSignIn(RequestContext& c);
  http::Response ApiSignOut(RequestContext& c);
  http::Response ApiMe(RequestContext& c);
  http::Response ApiUpdateMe(RequestContext& c);
  http::Response ApiChangePassword(RequestContext& c);
  // Account mail API (api_account_mail.cc).
  http::Response ApiResendVerification(RequestContext& c);
  http::Response ApiVerify(RequestContext& c);
  http::Response ApiRequestPasswordReset(RequestContext& c);
  http::Response ApiResetPassword(RequestContext& c);
  http::Response ApiRequestEmailChange(RequestContext& c);
  http::Response ApiConfirmEmailChange(RequestContext& c);
  http::Response ApiGroups(RequestContext& c);
  http::Response ApiGroup(RequestContext& c);
  http::Response ApiGroupMembers(RequestContext& c);
  http::Response ApiJoin(RequestContext& c);
  http::Response ApiLeave(RequestContext& c);

  // Discussions JSON API (api_discussions.cc).
  http::Response ApiThreads(RequestContext& c);
  http::Response ApiStartThread(RequestContext& c);
  http::Response ApiThread(RequestContext& c);
  http::Response ApiReply(RequestContext& c);
  http::Response ApiEditPost(RequestContext& c);
  http::Response ApiDeletePost(RequestContext& c);
  http::Response ApiRevisions(RequestContext& c);
  http::Response ApiAnswer(RequestContext& c);
  http::Response ApiFollow(RequestContext& c);
  http::Response ApiUnfollow(RequestContext& c);
  http::Response ApiPin(RequestContext& c);
  http::Response ApiLock(RequestContext& c);
  http::Response ApiRecommend(RequestContext& c);
  http::Response ApiUnrecommend(RequestContext& c);
  http::Response ApiRecommended(RequestContext& c);
  http::Response ApiPreview(RequestContext& c);
  http::Response ApiConversations(RequestContext& c);
  http::Response ApiStartConversation(RequestContext& c);
  http::Response ApiConversation(RequestContext& c);
  http::Response ApiSendMessage(RequestContext& c);
  http::Response ApiNotifications(RequestContext& c);
  http::Response ApiMarkRead(RequestContext& c);

  // Sign-in shared by the page and the API: throttles, then signs in.
  Result<app::SignedIn> ThrottledSignIn(const RequestContext& c, const std::string& email,
                                        const std::string& password);
  // Counts a request that may send account mail against the client's
  // address; kRateLimited "too_many_requests" (with retry_after_seconds)
  // once the address has used up MailLimits. Thread-safe.
  Status ThrottleMail(const RequestContext& c);
  // The form page `f` with ThrottleMail's refusal (429, Retry-After) when
  // the client's address is over its limit; nullopt when it may go on.
  std::optional<http::Response> MailLimitedForm(const RequestContext& c, FormSpec& f);
  // Invitations from the client's address: kRateLimited "too_many_requests"
  // (with retry_after_seconds) once WebOptions::invite_limits is used up;
  // CountInvitations records `n` invitations sent. Thread-safe.
  Status ThrottleInvitations(const RequestContext& c);
  void CountInvitations(const RequestContext& c, int n);
  // Renders a full HTML page around `body`, the content: a fragment
  // (Templates::Fragment) or a string of HTML.
  http::Response Page(const RequestContext& c, int status, std::string_view title, Data body,
                      std::string_view notice = "");
  // A form page (web/forms.h); a status other than 200 marks the title as an error.
  http::Response FormPage(const RequestContext& c, int status, const FormSpec& f);
  // Renders an error for either face.
  http::Response Fail(const RequestContext& c, const Error& e);
  std::string SessionCookie(const std::string& token, bool clear) const;

  const app::AppContext& ctx_;
  WebOptions options_;
  app::AccountsService accounts_;
  app::AccountMailService account_mail_;
  app::GroupsService groups_;
  PageCache page_cache_;  // signed-out directory pages
  // What every viewer of a post sees, rendered once per version of its
  // thread (pages_discussions.cc). Thread-safe; bounded at 3 MB.
  store::VersionedCache<PagePieces> page_pieces_{8 << 20};
  RowCache row_cache_;  // rows of group thread lists
  app::DiscussionsService discussions_;
  app::ConversationsService conversations_;
  app::NotificationsService notifications_;
  app::DeliveryService delivery_;
  app::AssociationSettingsService association_settings_;
  app::InvitationsService invitations_;
  app::FeedbackService feedback_;
  app::ResourcesService resources_;
  app::CheckinsService checkins_;
  app::OutcomesService outcomes_;
  app::EngagementService engagement_;
  http::Router router_;
  http::FailureLimiter account_limiter_;
  http::FailureLimiter ip_limiter_;
  http::FailureLimiter mail_ip_limiter_;    // every request counts, not failures
  http::FailureLimiter invite_ip_limiter_;  // each invitation sent counts
};

}  // namespace rt::web

#endif  // RT_WEB_WEB_APP_H_
