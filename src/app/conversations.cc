#include "app/conversations.h"

#include "app/group_access.h"
#include "app/idempotency.h"
#include "domain/discussions/markdown.h"
#include "policy/guardian.h"

namespace rt::app {

namespace {

Error NotSignedIn() {
  return MakeError(ErrorKind::kUnauthenticated, "not_signed_in", "Sign in to send messages.");
}

Error ConversationNotFound() {
  return MakeError(ErrorKind::kNotFound, "not_found", "We could not find that conversation.");
}

// The conversation as `viewer` sees it, or not found for non-participants.
Result<store::ConversationView> ViewOf(store::Store& db, const Account& viewer, ConversationId id) {
  RT_ASSIGN_OR_RETURN(std::optional<store::ConversationView> v,
                      db.conversations().FindView(id, viewer.id));
  if (!v || !policy::CanReadConversation(viewer.id, v->conversation.a, v->conversation.b).allowed) {
    return ConversationNotFound();
  }
  return *std::move(v);
}

}  // namespace

Result<std::vector<store::ConversationView>> ConversationsService::Inbox(const Viewer& viewer) {
  if (!viewer.account) return NotSignedIn();
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  return db->conversations().Inbox(viewer.account->id, kInboxSize);
}

Result<store::MessageView> ConversationsService::Append(store::Store& db, const Account& author,
                                                        const Conversation& c, PostId about,
                                                        const std::string& body) {
  Message m;
  m.conversation_id = c.id;
  m.author_id = author.id;
  m.about_post = about;
  m.body_source = body;
  m.body_html = markdown::Render(body);
  m.created_at = ctx_.Now();
  RT_ASSIGN_OR_RETURN(Message saved, db.conversations().AddMessage(m));
  Notification n;
  n.account_id = c.a == author.id ? c.b : c.a;
  n.kind = NotificationKind::kPrivateMessage;
  n.actor_id = author.id;
  n.conversation_id = c.id;
  n.post_id = about;
  n.created_at = m.created_at;
  RT_RETURN_IF_ERROR(db.notifications().Create(n));
  // Writing implies having read everything before.
  RT_RETURN_IF_ERROR(db.conversations().MarkRead(c.id, author.id, m.created_at));
  return store::MessageView{saved, author.name};
}

Result<ConversationId> ConversationsService::Start(const Viewer& viewer,
                                                   const StartConversation& in,
                                                   const std::string& idempotency_key) {
  if (!viewer.account) return NotSignedIn();
  RT_ASSIGN_OR_RETURN(std::string body, ValidateBody(in.body));
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  ConversationId out;
  TimePoint now = ctx_.Now();
  RT_RETURN_IF_ERROR(CheckIdempotencyKey(idempotency_key));
  std::string fingerprint =
      RequestFingerprint("conversation\n" + std::to_string(in.post.value) + "\n" +
                         std::to_string(in.account.value) + "\n" + body);
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(std::optional<std::string> earlier,
                        ReplayIdempotent(*db, viewer.account->id, idempotency_key, fingerprint));
    if (earlier) {
      out = ConversationId{std::stoll(*earlier)};
      return OkStatus();
    }
    AccountId other = in.account;
    if (in.post.valid()) {
      // Following up on a post: the viewer must be able to read it.
      RT_ASSIGN_OR_RETURN(std::optional<store::PostView> post, db->posts().Find(in.post));
      if (!post || post->post.deleted) return ConversationNotFound();
      RT_ASSIGN_OR_RETURN(std::optional<store::ThreadListing> thread,
                          db->threads().Find(post->post.thread_id));
      if (!thread) return ConversationNotFound();
      auto g = LoadGroupAccess(ctx_, *db, viewer, thread->group_slug);
      if (!g.ok() || !policy::CanReadContent(g->actor, g->group()).allowed) {
        return ConversationNotFound();
      }
      other = post->post.author_id;
    } else {
      RT_ASSIGN_OR_RETURN(std::optional<Account> target, db->accounts().FindById(other));
      if (!target) {
        return MakeError(ErrorKind::kNotFound, "account_not_found", "We could not find that person.");
      }
    }
    if (other == viewer.account->id) {
      return MakeError(ErrorKind::kRuleBroken, "cannot_message_self",
                       "You cannot send a private message to yourself.");
    }
    RT_ASSIGN_OR_RETURN(Conversation c,
                        db->conversations().FindOrCreate(viewer.account->id, other, now));
    RT_ASSIGN_OR_RETURN(store::MessageView first, Append(*db, *viewer.account, c, in.post, body));
    (void)first;
    out = c.id;
    return RememberIdempotent(*db, viewer.account->id, idempotency_key, fingerprint,
                              std::to_string(c.id.value), now);
  }));
  return out;
}

Result<ConversationPage> ConversationsService::Get(const Viewer& viewer, ConversationId id,
                                                   MessageId after) {
  if (!viewer.account) return NotSignedIn();
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  ConversationPage page;
  RT_ASSIGN_OR_RETURN(page.conversation, ViewOf(*db, *viewer.account, id));
  RT_ASSIGN_OR_RETURN(page.messages,
                      db->conversations().Messages(id, after, kMessagesPageSize + 1));
  if (page.messages.size() > static_cast<size_t>(kMessagesPageSize)) {
    page.messages.pop_back();
    page.next = page.messages.back().message.id;
  }
  if (!page.messages.empty() && page.messages.front().message.about_post.valid()) {
    auto post = db->posts().Find(page.messages.front().message.about_post);
    if (post.ok() && *post && !(*post)->post.deleted) {
      auto thread = db->threads().Find((*post)->post.thread_id);
      if (thread.ok() && *thread) page.about_thread_title = (*thread)->thread.title;
      page.about = **post;
    }
  }
  RT_RETURN_IF_ERROR(db->conversations().MarkRead(id, viewer.account->id, ctx_.Now()));
  page.conversation.unread = 0;  // just read
  return page;
}

Result<store::MessageView> ConversationsService::Send(const Viewer& viewer, ConversationId id,
                                                     const std::string& body_in) {
  if (!viewer.account) return NotSignedIn();
  RT_ASSIGN_OR_RETURN(std::string body, ValidateBody(body_in));
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  std::optional<store::MessageView> out;
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(store::ConversationView v, ViewOf(*db, *viewer.account, id));
    RT_ASSIGN_OR_RETURN(out, Append(*db, *viewer.account, v.conversation, PostId{}, body));
    return OkStatus();
  }));
  return *std::move(out);
}

Result<std::vector<store::NotificationView>> NotificationsService::List(const Viewer& viewer,
                                                                        NotificationId before) {
  if (!viewer.account) return NotSignedIn();
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  return db->notifications().List(viewer.account->id, before, kPageSize);
}

Result<std::string> NotificationsService::UnreadBadge(const Viewer& viewer) {
  if (!viewer.account) return std::string();
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(int64_t n,
                      db->notifications().UnreadCountUpTo(viewer.account->id, kMaxBadge + 1));
  if (n == 0) return std::string();
  return n > kMaxBadge ? std::to_string(kMaxBadge) + "+" : std::to_string(n);
}

Result<int64_t> NotificationsService::UnreadCount(const Viewer& viewer) {
  if (!viewer.account) return int64_t{0};
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  return db->notifications().UnreadCount(viewer.account->id);
}

Status NotificationsService::MarkRead(const Viewer& viewer, NotificationId upto) {
  if (!viewer.account) return NotSignedIn();
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  return db->notifications().MarkRead(viewer.account->id, upto);
}

}  // namespace rt::app
