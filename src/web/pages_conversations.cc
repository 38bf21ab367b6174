// Private conversations and notifications: the inbox, one conversation, the
// "Reply privately" form, the notifications list and marking it read.
#include "core/crypto.h"
#include "domain/discussions/markdown.h"
#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

Error PageNotFound() {
  return MakeError(ErrorKind::kNotFound, "not_found",
                   "We could not find that page. Check the address, or start from the list of "
                   "interest groups.");
}

// A form posted without a session goes to sign in, then back to the page
// (a GET) the form lives on: the POST address cannot be followed.
http::Response SignInFirst(const std::string& back) {
  return Redirect("/signin?next=" + text::PercentEncode(back));
}

// Errors that belong beside the message box; everything else is a refusal
// shown as an error page.
bool IsBodyError(const Error& e) {
  return e.field == "body" &&
         (e.kind == ErrorKind::kInvalidInput || e.kind == ErrorKind::kTooLarge);
}

// A key sent back by our own form. Anything else (too long, odd characters)
// is dropped rather than refused: it only guards against double submits.
std::string FormIdempotencyKey(const RequestContext& c) {
  std::string key = c.Field("idempotency_key");
  if (key.size() > 128 || text::HasControlChars(key, false) || !text::IsValidUtf8(key)) return "";
  return key;
}

// Template data for templates/message_form.mustache and the error summary
// that goes with it. `error` is "" when the form is shown for the first time.
Data MessageFormData(const std::string& action, std::string_view csrf, const std::string& hint,
                     const std::string& submit, const std::string& body,
                     const std::string& error) {
  Data d;
  d["action"] = action;
  d["csrf"] = csrf;
  d["hint"] = hint;
  d["submit"] = submit;
  d["body"] = body;
  if (!error.empty()) d["error"] = error;
  return d;
}

// The snippet is the start of the Markdown source: one line reads better in
// a list than the source's own line breaks.
std::string OneLine(std::string_view s) {
  std::string out;
  bool space = false;
  for (char ch : s) {
    if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += ch;
  }
  return out;
}

// How a person is named when their account is gone.
std::string NameOr(const std::string& name) { return name.empty() ? "a former member" : name; }

std::string PrivateHint(const std::string& other_name) {
  return "Markdown works here. Only you and " +
         (other_name.empty() ? std::string("the other person") : other_name) +
         " can read this conversation.";
}

// Template data for templates/conversation.mustache. `after` is the cursor
// the page was read from (invalid for the first page).
Data ConversationData(const app::ConversationPage& page, MessageId after, TimePoint now,
                      std::string_view csrf, const std::string& body,
                      const std::string& error) {
  const store::ConversationView& v = page.conversation;
  const std::string id = std::to_string(v.conversation.id.value);
  Data d;
  d["other_name"] = NameOr(v.other_name);
  if (page.about) {
    d["about_href"] = "/posts/" + std::to_string(page.about->post.id.value);
    d["about_title"] = page.about_thread_title.empty() ? "a discussion" : page.about_thread_title;
  }
  Data messages = Data::List(page.messages.size());
  for (size_t i = 0; i < page.messages.size(); ++i) {
    const store::MessageView& m = page.messages[i];
    Data& md = messages.AppendObject();
    // The redirect after sending lands on #latest. When more messages follow
    // on a later page, the "Later messages" link takes that anchor instead.
    md["anchor"] = (i + 1 == page.messages.size() && !page.next)
                       ? std::string("latest")
                       : "message-" + std::to_string(m.message.id.value);
    md["author"] = m.author_name.empty() ? "A former member" : m.author_name;
    md["time"] = TimeData(m.message.created_at, now);
    md["body_html"] = m.message.body_html;
  }
  if (page.messages.empty()) d["no_messages"] = true;
  d["messages"] = std::move(messages);
  if (page.next) {
    d["next"] = "/conversations/" + id + "?after=" + std::to_string(page.next->value);
  }
  if (after.valid()) d["first"] = "/conversations/" + id;
  d["form"] = MessageFormData("/conversations/" + id + "/messages", csrf,
                              PrivateHint(v.other_name), "Send message", body, error);
  return d;
}

std::string Sentence(const store::NotificationView& n) {
  const std::string actor = n.actor_name.empty() ? "Someone" : n.actor_name;
  const std::string thread = n.thread_title.empty() ? "a discussion" : n.thread_title;
  switch (n.notification.kind) {
    case NotificationKind::kReply: return actor + " replied in " + thread;
    case NotificationKind::kAnswerAccepted: return actor + " accepted your answer in " + thread;
    case NotificationKind::kPrivateMessage: return actor + " sent you a private message";
    case NotificationKind::kMention: return actor + " mentioned you in " + thread;
    case NotificationKind::kFeedback:
      return n.notification.account_id == n.feedback_author
                 ? actor + " answered your feedback to " + n.feedback_group
                 : actor + " wrote about feedback to " + n.feedback_group;
    case NotificationKind::kCheckin: return "A group asks how it is helping you";
  }
  return actor + " did something in " + thread;
}

std::string TargetOf(const Notification& n) {
  if (n.kind == NotificationKind::kFeedback && n.feedback_id.valid()) {
    return "/feedback/" + std::to_string(n.feedback_id.value);
  }
  if (n.kind == NotificationKind::kPrivateMessage && n.conversation_id.valid()) {
    return "/conversations/" + std::to_string(n.conversation_id.value);
  }
  if (n.post_id.valid()) return "/posts/" + std::to_string(n.post_id.value);
  if (n.thread_id.valid()) return "/threads/" + std::to_string(n.thread_id.value);
  return "/notifications";
}

// Enough of the post to recall it while keeping the form in view: long
// posts are cut at a paragraph break or a space and rendered again.
constexpr size_t kExcerptBytes = 600;

std::string ExcerptHtml(const Post& p, bool* shortened) {
  *shortened = false;
  std::string_view s = p.body_source;
  if (s.size() <= kExcerptBytes) return p.body_html;
  size_t cut = s.rfind("\n\n", kExcerptBytes);
  if (cut == std::string_view::npos || cut < kExcerptBytes / 2) {
    cut = s.find_last_of(" \n\t", kExcerptBytes);
  }
  if (cut == std::string_view::npos || cut == 0) {
    // One long word: back up to the start of a UTF-8 sequence.
    cut = kExcerptBytes;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  }
  *shortened = true;
  return markdown::Render(std::string(s.substr(0, cut)) + " …");
}

// The "Reply privately" form for a post (templates/new_message.mustache).
Data NewMessageData(const store::PostView& p, TimePoint now, std::string_view csrf,
                    const std::string& idempotency_key, const std::string& body,
                    const std::string& error) {
  Data d;
  d["name"] = NameOr(p.author_name);
  d["post"] = true;
  d["post_href"] = "/posts/" + std::to_string(p.post.id.value);
  bool shortened = false;
  d["post_html"] = ExcerptHtml(p.post, &shortened);
  if (shortened) d["shortened"] = true;
  d["time"] = TimeData(p.post.created_at, now);
  Data form = MessageFormData("/conversations", csrf, PrivateHint(p.author_name),
                              "Send private message", body, error);
  form["post_id"] = std::to_string(p.post.id.value);
  form["idempotency_key"] = idempotency_key;
  d["form"] = std::move(form);
  return d;
}

}  // namespace

http::Response WebApp::InboxPage(RequestContext& c) {
  auto inbox = conversations_.Inbox(c.viewer);
  if (!inbox.ok()) return Fail(c, inbox.error());
  TimePoint now = ctx_.Now();
  Data d;
  Data items = Data::List(inbox->size());
  for (const store::ConversationView& v : *inbox) {
    Data& cd = items.AppendObject();
    cd["href"] = "/conversations/" + std::to_string(v.conversation.id.value);
    cd["other_name"] = NameOr(v.other_name);
    if (std::string snippet = OneLine(v.last_snippet); !snippet.empty()) cd["snippet"] = snippet;
    cd["time"] = TimeData(v.conversation.last_message_at, now);
    if (v.unread > 0) cd["unread"] = CountText(v.unread, "unread", "unread");
  }
  if (items.list_value().empty()) d["empty"] = true;
  d["conversations"] = std::move(items);
  return Page(c, 200, "Private conversations", Templates::Fragment("inbox", std::move(d)));
}

http::Response WebApp::ConversationPage(RequestContext& c) {
  std::optional<int64_t> id = ParseId(c.req.Param("id"));
  if (!id) return Fail(c, PageNotFound());
  MessageId after;
  if (std::string a = c.req.QueryParam("after"); !a.empty()) {
    std::optional<int64_t> v = ParseId(a);
    if (!v) {
      return Fail(c, MakeError(ErrorKind::kInvalidInput, "invalid_cursor",
                               "That page link is not valid. Start again from the first page."));
    }
    after = MessageId{*v};
  }
  auto page = conversations_.Get(c.viewer, ConversationId{*id}, after);
  if (!page.ok()) return Fail(c, page.error());
  Data d = ConversationData(*page, after, ctx_.Now(), c.Csrf(), "", "");
  return Page(c, 200, "Conversation with " + NameOr(page->conversation.other_name),
              Templates::Fragment("conversation", std::move(d)));
}

http::Response WebApp::MessageForm(RequestContext& c) {
  std::optional<int64_t> id = ParseId(c.req.Param("id"));
  if (!id) return Fail(c, PageNotFound());
  const std::string back = "/conversations/" + std::to_string(*id);
  if (!c.session) return SignInFirst(back);
  std::string body = c.Field("body");
  auto sent = conversations_.Send(c.viewer, ConversationId{*id}, body);
  if (sent.ok()) return Redirect(back + "?notice=message_sent#latest");
  if (!IsBodyError(sent.error())) return Fail(c, sent.error());
  // Reading the page again also checks that the sender takes part: the body
  // is validated before the conversation is looked up.
  auto page = conversations_.Get(c.viewer, ConversationId{*id}, MessageId{});
  if (!page.ok()) return Fail(c, page.error());
  Data d = ConversationData(*page, MessageId{}, ctx_.Now(), c.Csrf(), body, sent.error().message);
  return Page(c, 400, "Error: Conversation with " + NameOr(page->conversation.other_name),
              Templates::Fragment("conversation", std::move(d)));
}

http::Response WebApp::NewMessagePage(RequestContext& c) {
  std::optional<int64_t> id = ParseId(c.req.Param("id"));
  if (!id) return Fail(c, PageNotFound());
  if (!c.session) {
    return Fail(c, MakeError(ErrorKind::kUnauthenticated, "not_signed_in",
                             "Sign in to send messages."));
  }
  auto post = discussions_.GetPost(c.viewer, PostId{*id});
  if (!post.ok()) return Fail(c, post.error());
  if (post->post.author_id == c.session->account.id) {
    return Fail(c, MakeError(ErrorKind::kRuleBroken, "cannot_message_self",
                             "You cannot send a private message to yourself."));
  }
  // A fresh key per form: sending twice (a double click, a resubmitted
  // page) starts one conversation with one message.
  Data d = NewMessageData(*post, ctx_.Now(), c.Csrf(), "form-" + crypto::FormToken(), "", "");
  return Page(c, 200, "Reply privately to " + NameOr(post->author_name),
              Templates::Fragment("new_message", std::move(d)));
}

http::Response WebApp::StartConversationForm(RequestContext& c) {
  std::optional<int64_t> post_id = ParseId(c.Field("post_id"));
  std::optional<int64_t> account_id = ParseId(c.Field("account_id"));
  if (!post_id && !account_id) {
    return Fail(c, MakeError(ErrorKind::kInvalidInput, "missing_recipient",
                             "Choose who to write to: start from “Reply privately” under a "
                             "post."));
  }
  if (!c.session) {
    return SignInFirst(post_id ? "/posts/" + std::to_string(*post_id) + "/message"
                               : std::string("/conversations"));
  }
  std::string body = c.Field("body");
  std::string key = FormIdempotencyKey(c);
  app::StartConversation in{post_id ? PostId{*post_id} : PostId{},
                            account_id ? AccountId{*account_id} : AccountId{}, body};
  auto started = conversations_.Start(c.viewer, in, key);
  if (started.ok()) {
    return Redirect("/conversations/" + std::to_string(started->value) +
                    "?notice=message_sent#latest");
  }
  const Error& e = started.error();
  if (!IsBodyError(e)) return Fail(c, e);
  if (post_id) {
    // The body is checked before the post: look the post up again so that
    // someone who cannot read it learns nothing from the form.
    auto post = discussions_.GetPost(c.viewer, PostId{*post_id});
    if (!post.ok()) return Fail(c, post.error());
    Data d = NewMessageData(*post, ctx_.Now(), c.Csrf(), key, body, e.message);
    return Page(c, 400, "Error: Reply privately to " + NameOr(post->author_name),
                Templates::Fragment("new_message", std::move(d)));
  }
  // Writing to an account directly has no page of its own (the API uses
  // it); show just the form.
  Data d;
  Data form = MessageFormData("/conversations", c.Csrf(), PrivateHint(""), "Send private message",
                              body, e.message);
  form["account_id"] = std::to_string(*account_id);
  form["idempotency_key"] = key;
  d["form"] = std::move(form);
  return Page(c, 400, "Error: Send a private message", Templates::Fragment("new_message", std::move(d)));
}

http::Response WebApp::NotificationsPage(RequestContext& c) {
  NotificationId before;
  if (std::optional<int64_t> b = ParseId(c.req.QueryParam("before"))) before = NotificationId{*b};
  auto list = notifications_.List(c.viewer, before);
  if (!list.ok()) return Fail(c, list.error());
  auto unread = notifications_.UnreadCount(c.viewer);
  if (!unread.ok()) return Fail(c, unread.error());
  TimePoint now = ctx_.Now();
  Data d;
  Data items = Data::List(list->size());
  for (const store::NotificationView& n : *list) {
    Data& nd = items.AppendObject();
    nd["sentence"] = Sentence(n);
    nd["href"] = TargetOf(n.notification);
    nd["time"] = TimeData(n.notification.created_at, now);
    if (!n.notification.read) nd["unread"] = true;
  }
  if (items.list_value().empty()) d["empty"] = before.valid() ? "There are no older notifications."
                                                 : "You have no notifications yet. You will "
                                                   "hear here when someone replies to you, "
                                                   "mentions you or writes to you privately.";
  d["notifications"] = std::move(items);
  d["unread_text"] = *unread == 0 ? std::string("You have no unread notifications.")
                                  : "You have " + CountText(*unread, "unread notification",
                                                            "unread notifications") + ".";
  if (*unread > 0) {
    d["csrf"] = c.Csrf();
    // On the newest page, only what was shown is marked: anything arriving
    // while the page was open stays unread.
    if (!before.valid() && !list->empty()) {
      d["upto"] = std::to_string(list->front().notification.id.value);
    }
  }
  if (list->size() == static_cast<size_t>(app::NotificationsService::kPageSize)) {
    d["older"] = "/notifications?before=" + std::to_string(list->back().notification.id.value);
  }
  if (before.valid()) d["newest"] = "/notifications";
  return Page(c, 200, "Notifications", Templates::Fragment("notifications", std::move(d)));
}

http::Response WebApp::MarkReadForm(RequestContext& c) {
  if (!c.session) return SignInFirst("/notifications");
  NotificationId upto;
  if (std::string u = c.Field("upto"); !u.empty()) {
    std::optional<int64_t> v = ParseId(u);
    if (!v) {
      return Fail(c, MakeError(ErrorKind::kInvalidInput, "invalid_field",
                               "That form was not valid. Go back, reload the page and try again.",
                               "upto"));
    }
    upto = NotificationId{*v};
  }
  Status s = notifications_.MarkRead(c.viewer, upto);
  if (!s.ok()) return Fail(c, s.error());
  return Redirect("/notifications?notice=notifications_read");
}

}  // namespace rt::web
