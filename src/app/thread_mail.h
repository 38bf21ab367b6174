#ifndef RT_APP_THREAD_MAIL_H_
#define RT_APP_THREAD_MAIL_H_

#include <kainjow/mustache.hpp>

#include <string>
#include <string_view>

#include "app/context.h"
#include "app/mail_queue.h"
#include "app/mail_tokens.h"
#include "core/config.h"
#include "core/ids.h"
#include "core/result.h"
#include "domain/discussions/conversation.h"
#include "mail/outgoing.h"
#include "store/store.h"

// Mail about discussions (issue 5, points 1 and 3): one message per post
// per recipient, composed from templates/mail/*.mustache, queued as
// MailJobs (app/mail_queue.h) and sent by jobs::MailSender.
namespace rt::app {

// Everything one mail about a post says to one recipient. Plain data, so
// that composing is a pure function (ComposePostMail) and testable alone.
struct PostMailFacts {
  MailSettings settings;  // domain, base_url and from_address are used
  std::string group_name;
  std::string group_slug;
  ThreadId thread;
  PostId first_post;  // the thread's opening post (the root of References)
  std::string title;
  PostId post;
  PostId reply_to;  // the post it answers; invalid for a reply to the thread
  std::string author_name;
  std::string body_source;  // Markdown: the text part
  std::string body_html;    // sanitised rendering: the HTML part
  TimePoint created_at;
  mail::Mailbox to;
  AccountId recipient;
  // True: the recipient's delivery in the group is real-time (list mail,
  // with List-Unsubscribe). False: a notification to them (`kind`).
  bool group_delivery = false;
  NotificationKind kind = NotificationKind::kReply;
  std::string reply_token;  // MailTokens::ReplyToken(recipient, thread)
  // MailTokens::UnsubscribeToken(recipient, group) for group delivery,
  // MailTokens::KindUnsubscribeToken(recipient, kind) for a notification.
  std::string unsubscribe_token;
};

// The message for `f`:
//  - From "Author via Group" <slug@domain> (noreply when the slug cannot be
//    an address), Reply-To reply+TOKEN@domain, To the recipient;
//  - Message-ID post-<id>@domain, the same in every copy, with In-Reply-To
//    the post it answers (or the thread's opening post) and References
//    <opening post> <parent>, so each thread is one conversation;
//  - List-Id slug.domain with a one-click List-Unsubscribe for group
//    delivery; for a notification, Auto-Submitted: auto-generated and a
//    one-click List-Unsubscribe that turns off email of its kind, but no
//    List-Id (it is personal mail, not the group's list);
//  - text (from the Markdown source) and HTML (the stored rendering), both
//    ending with links to reply on the site, reply privately, start a new
//    discussion, and change this group's delivery (group mail) or stop this
//    kind of email and change which emails come (a notification).
// Names and titles are made one line (control characters become spaces):
// nothing a member writes can add a header. Pure; thread-safe.
mail::OutgoingMessage ComposePostMail(const PostMailFacts& f);

// The Message-ID of post `post`'s mail: "post-<id>@<domain>".
std::string PostMessageId(PostId post, std::string_view domain);

// Queues mail about discussions. Thread-safe (holds only constants).
class ThreadMail {
 public:
  // `ctx` must outlive this object.
  ThreadMail(const AppContext& ctx, MailTokens tokens) : ctx_(ctx), tokens_(std::move(tokens)) {}

  // Queues one MailJob per recipient of post `post` (dedupe key
  // "post:<post>:to:<account>"): members of the group whose delivery is
  // real-time, and the people notified in-app of it (DiscussionsService::
  // Audience) whose email switch for that kind is on. One mail per person:
  // a real-time member who was also replied to gets the group mail only.
  // Never the author; never an account whose mail is paused; only those
  // policy::CanReceivePostMail allows now. Must run inside a transaction
  // on `db`. Returns how many were queued (0 for a deleted post).
  // Errors: the store's.
  Result<int> QueuePostMail(store::Store& db, PostId post);

  // Queues the mail of a one-recipient notification (private message,
  // accepted answer) named by a "notification" outbox row's payload, when
  // the recipient's switch for that kind is on. Like every notification
  // mail it carries a one-click List-Unsubscribe for that kind (no
  // List-Id) and the same link in its footer. Returns how many were
  // queued (0 or 1). Errors: kInternal "bad_payload"; the store's.
  Result<int> QueueNotificationMail(store::Store& db, std::string_view payload);

 private:
  const AppContext& ctx_;
  MailTokens tokens_;
};

// Finishes `job` as a short notice (templates mail/notice_*: `d` holds
// "headline", "action" and "url"; the subject is job.message.subject) with
// a new Message-ID and a link to the email settings, and queues it. With
// job.notification set it also carries a one-click List-Unsubscribe from
// that kind (and a link to it).
// Returns 1 when queued, 0 when its dedupe key was queued before. Errors:
// QueueMail's.
Result<int> QueueNotice(const AppContext& ctx, store::Store& db, MailJob job,
                        kainjow::mustache::data d);

// Outbox kind of the one-recipient notifications' rows (written by
// store::NotificationRepository::Create).
inline constexpr char kNotificationKind[] = "notification";

// Why `job` must not be sent now, or "" when it may: "account_gone",
// "mail_paused", a policy reason ("not_group_member", "membership_expired",
// "membership_required", "not_found"), "already_checked_in" (a check-in
// offer whose moment was answered or skipped since), "kind_switched_off" (a notification
// of a kind the account has since stopped by email), or "delivery_changed" (group mail to
// someone who no longer has real-time delivery there). Jobs without an
// account (an invitation) are only checked for their group. Errors: the
// store's.
Result<std::string> WhyNotSend(const AppContext& ctx, store::Store& db, const MailJob& job);

}  // namespace rt::app

#endif  // RT_APP_THREAD_MAIL_H_
