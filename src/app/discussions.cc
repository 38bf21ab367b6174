#include "app/discussions.h"

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "app/idempotency.h"
#include "core/text.h"
#include "domain/discussions/markdown.h"

namespace rt::app {

namespace {

Error NotFound() {
  return MakeError(ErrorKind::kNotFound, "not_found",
                   "We could not find that. It may have been removed, or you may need to "
                   "join the group to see it.");
}

// Created ids as stored under an idempotency key: "thread:post".
std::string EncodeCreated(const Created& c) {
  return std::to_string(c.thread.value) + ":" + std::to_string(c.post.value);
}

// The earlier result for this key and request, if there is one.
Result<std::optional<Created>> ReplayCreated(store::Store& db, AccountId account,
                                             const std::string& key,
                                             const std::string& fingerprint) {
  RT_ASSIGN_OR_RETURN(std::optional<std::string> payload,
                      ReplayIdempotent(db, account, key, fingerprint));
  if (!payload) return std::optional<Created>();
  size_t colon = payload->find(':');
  Created c;
  c.thread = ThreadId{std::stoll(payload->substr(0, colon))};
  c.post = PostId{std::stoll(payload->substr(colon + 1))};
  c.replayed = true;
  return std::optional<Created>(c);
}

// The part of a request's fingerprint that says what the post attaches;
// "" when nothing, so requests without attachments keep their old prints.
std::string AttachmentsFingerprint(const Attachments& a) {
  if (a.count() == 0) return "";
  std::string out = "\nattach";
  for (ResourceId id : a.resource_ids) out += " " + std::to_string(id.value);
  if (a.share) out += "\nshare " + a.share_fingerprint;
  return out;
}

// Checks what can be checked before any reading: how many.
Status CheckAttachmentCount(const Attachments& a) {
  if (a.count() > kMaxAttachments) {
    return MakeError(
        ErrorKind::kRuleBroken, "too_many_attachments",
        "Attach at most " + std::to_string(kMaxAttachments) + " resources to one post.",
        "resource_ids");
  }
  return OkStatus();
}

Post NewPost(AccountId author, const std::string& body, PostVia via, TimePoint now) {
  Post p;
  p.author_id = author;
  p.body_source = body;
  p.body_html = markdown::Render(body);
  p.render_version = markdown::kRenderVersion;
  p.via = via;
  p.created_at = now;
  return p;
}

}  // namespace

std::string PostEventPayload(PostId post) {
  return "{\"post_id\":" + std::to_string(post.value) + "}";
}

PostId PostIdOfPayload(std::string_view payload) {
  constexpr std::string_view kPrefix = "{\"post_id\":";
  if (!payload.starts_with(kPrefix)) return PostId{};
  int64_t v = 0;
  size_t i = kPrefix.size();
  size_t digits = 0;
  for (; i < payload.size() && payload[i] >= '0' && payload[i] <= '9' && digits < 18;
       ++i, ++digits) {
    v = v * 10 + (payload[i] - '0');
  }
  if (digits == 0 || i + 1 != payload.size() || payload[i] != '}') return PostId{};
  return PostId{v};
}

struct DiscussionsService::ThreadAccess {
  GroupAccess g;
  store::ThreadListing thread;
};

struct DiscussionsService::PostAccess {
  ThreadAccess t;
  store::PostView post;
};

Result<DiscussionsService::ThreadAccess> DiscussionsService::LoadThread(store::Store& db,
                                                                        const Viewer& viewer,
                                                                        ThreadId id) {
  RT_ASSIGN_OR_RETURN(std::optional<store::ThreadListing> thread, db.threads().Find(id));
  if (!thread) return NotFound();
  auto g = LoadGroupAccess(ctx_, db, viewer, thread->group_slug);
  if (!g.ok()) return g.error().kind == ErrorKind::kNotFound ? NotFound() : g.take_error();
  if (!policy::CanReadContent(g->actor, g->group()).allowed) return NotFound();
  return ThreadAccess{*std::move(g), *std::move(thread)};
}

Result<DiscussionsService::PostAccess> DiscussionsService::LoadPost(store::Store& db,
                                                                    const Viewer& viewer,
                                                                    PostId id) {
  RT_ASSIGN_OR_RETURN(std::optional<store::PostView> post, db.posts().Find(id));
  if (!post) return NotFound();
  RT_ASSIGN_OR_RETURN(ThreadAccess t, LoadThread(db, viewer, post->post.thread_id));
  return PostAccess{std::move(t), *std::move(post)};
}

Result<ThreadsPage> DiscussionsService::ListThreads(const Viewer& viewer, const std::string& slug,
                                                    const store::ThreadFilter& filter,
                                                    const std::optional<store::ThreadCursor>& after) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(GroupAccess g, LoadGroupAccess(ctx_, *db, viewer, slug));
  ThreadsPage page;
  page.can_post = policy::CanPost(g.actor, g.group());
  if (!page.can_post.allowed) {
    page.post_refusal = ExplainRefusal(page.can_post.reason, g.association, g.standing);
  }
  page.content_visible = policy::CanReadContent(g.actor, g.group()).allowed;
  page.can_filter_consent = policy::CanFilterByConsent(g.actor, g.group()).allowed;
  if (page.content_visible) {
    store::ThreadFilter f = filter;
    if (!page.can_filter_consent) f.consent.reset();
    RT_ASSIGN_OR_RETURN(page.threads,
                        db->threads().List(g.group().id, f, after, kThreadsPageSize + 1));
    if (page.threads.size() > static_cast<size_t>(kThreadsPageSize)) {
      page.threads.pop_back();
      const Thread& last = page.threads.back().thread;
      page.next = store::ThreadCursor{last.pinned, ToUnix(last.last_activity_at), last.id};
    }
  }
  page.group = MakeGroupView(std::move(g.listing), g.actor, g.association);
  return page;
}

Result<Created> DiscussionsService::StartThread(const Viewer& viewer, const std::string& slug,
                                                const NewThread& in, PostVia via,
                                                const std::string& idempotency_key) {
  std::optional<ThreadKind> kind = ParseThreadKind(in.kind.empty() ? "discussion" : in.kind);
  if (!kind) {
    return MakeError(ErrorKind::kInvalidInput, "invalid_kind",
                     "Choose discussion, question or story.", "kind");
  }
  StoryConsent consent = StoryConsent::kGroupOnly;
  if (*kind == ThreadKind::kStory && !in.consent.empty()) {
    auto c = ParseStoryConsent(in.consent);
    if (!c) {
      return MakeError(ErrorKind::kInvalidInput, "invalid_consent",
                       "Choose who may reuse your story.", "consent");
    }
    consent = *c;
  }
  RT_ASSIGN_OR_RETURN(std::string title, ValidateTitle(in.title));
  RT_ASSIGN_OR_RETURN(std::string body, ValidateBody(in.body));
  RT_RETURN_IF_ERROR(CheckAttachmentCount(in.attach));
  RT_RETURN_IF_ERROR(CheckIdempotencyKey(idempotency_key));
  if (!viewer.account) {
    return MakeError(ErrorKind::kUnauthenticated, "not_signed_in", "Sign in to start a thread.");
  }
  TimePoint now = ctx_.Now();
  Post first = NewPost(viewer.account->id, body, via, now);
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  Created out;
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(GroupAccess g, LoadGroupAccess(ctx_, *db, viewer, slug));
    policy::Decision d = policy::CanPost(g.actor, g.group());
    if (!d.allowed) return RefusalError(d.reason, g.association, g.standing);
    std::string fingerprint = RequestFingerprint(
        "thread\n" + slug + "\n" + std::string(ToString(*kind)) + "\n" + title + "\n" + body +
        "\n" + std::string(ToString(consent)) + AttachmentsFingerprint(in.attach));
    RT_ASSIGN_OR_RETURN(std::optional<Created> earlier,
                        ReplayCreated(*db, viewer.account->id, idempotency_key, fingerprint));
    if (earlier) {
      out = *earlier;
      return OkStatus();
    }
    Thread t;
    t.group_id = g.group().id;
    t.author_id = viewer.account->id;
    t.kind = *kind;
    t.title = title;
    t.consent = consent;
    t.created_at = now;
    t.last_activity_at = now;
    RT_ASSIGN_OR_RETURN(auto created, db->threads().Create(t, first));
    out = Created{created.first.id, created.second.id, false};
    RT_RETURN_IF_ERROR(WriteAttachments(*db, g, out.post, out.thread, in.attach));
    RT_RETURN_IF_ERROR(db->follows().Follow(created.first.id, viewer.account->id, now));
    RT_RETURN_IF_ERROR(QueueFanOut(*db, created.second.id, now));
    return RememberIdempotent(*db, viewer.account->id, idempotency_key, fingerprint,
                              EncodeCreated(out), now);
  }));
  if (!out.replayed) ctx_.OutboxChanged();
  return out;
}

Status DiscussionsService::WriteAttachments(store::Store& db, const GroupAccess& g, PostId post,
                                            ThreadId thread, const Attachments& attach) {
  if (attach.count() == 0) return OkStatus();
  auto not_attachable = [] {
    return MakeError(ErrorKind::kRuleBroken, "resource_not_attachable",
                     "Attach resources from this group's library.", "resource_ids");
  };
  if (!policy::CanSeeResources(g.actor, g.group()).allowed) return not_attachable();
  std::vector<ResourceId> ids;
  for (ResourceId id : attach.resource_ids) {
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) continue;
    if (!id.valid()) return not_attachable();
    RT_ASSIGN_OR_RETURN(std::optional<store::ResourceListing> r, db.resources().Find(id));
    if (!r || r->resource.group_id != g.group().id) return not_attachable();
    ids.push_back(id);
  }
  if (attach.share) {
    RT_ASSIGN_OR_RETURN(ResourceId shared, attach.share(db, g));
    ids.push_back(shared);
  }
  return db.resources().Attach(post, thread, ids);
}

Status DiscussionsService::QueueFanOut(store::Store& db, PostId post, TimePoint now) {
  // Fanning out in the reply's own transaction cost ~40k instructions per
  // follower inside the one writer (group commit serialises it), so the
  // reply only records the event; FanOutPost does the rest a moment later.
  return ToStatus(db.outbox().Enqueue(kPostFanoutKind,
                                      std::string(kPostFanoutKind) + ":" + std::to_string(post.value),
                                      PostEventPayload(post), now));
}

Result<std::optional<PostAudience>> DiscussionsService::Audience(store::Store& db,
                                                                 PostId post_id) {
  using Out = std::optional<PostAudience>;
  RT_ASSIGN_OR_RETURN(std::optional<store::PostView> view, db.posts().Find(post_id));
  if (!view || view->post.deleted) return Out();
  const Post& post = view->post;
  RT_ASSIGN_OR_RETURN(std::optional<store::ThreadListing> listing,
                      db.threads().Find(post.thread_id));
  if (!listing) return Out();
  const Thread& thread = listing->thread;
  RT_ASSIGN_OR_RETURN(Association association, LoadAssociation(ctx_, db));
  RT_ASSIGN_OR_RETURN(std::optional<Group> group,
                      db.groups().FindBySlug(association.id, listing->group_slug));
  if (!group) return Out();
  const AccountId author = post.author_id;
  // One notification per person per post; a mention wins over a reply.
  std::unordered_map<AccountId, NotificationKind> to;
  bool is_reply = post.id != thread.first_post_id;
  if (is_reply) {
    RT_ASSIGN_OR_RETURN(std::vector<AccountId> followers, db.follows().Followers(thread.id));
    for (AccountId a : followers) to.emplace(a, NotificationKind::kReply);
    if (post.reply_to.valid()) {
      RT_ASSIGN_OR_RETURN(std::optional<store::PostView> parent, db.posts().Find(post.reply_to));
      if (parent) to.emplace(parent->post.author_id, NotificationKind::kReply);
    }
  }
  std::vector<std::string> mentioned = markdown::Mentions(post.body_source);
  if (!mentioned.empty()) {
    RT_ASSIGN_OR_RETURN(std::vector<Account> members,
                        db.groups().FindMembersByNameKeys(group->id, mentioned));
    for (const Account& m : members) to[m.id] = NotificationKind::kMention;
  }
  to.erase(author);
  // Members-only content: someone who left (or was never in) the group must
  // not learn even the thread's title from a notification.
  if (!to.empty() && group->visibility != ContentVisibility::kPublic) {
    std::vector<AccountId> ids;
    ids.reserve(to.size());
    for (const auto& [account, kind] : to) ids.push_back(account);
    RT_ASSIGN_OR_RETURN(std::unordered_set<int64_t> members,
                        db.groups().MembersAmong(group->id, ids));
    std::erase_if(to, [&](const auto& kv) { return members.count(kv.first.value) == 0; });
  }
  return Out(PostAudience{*std::move(view), *std::move(listing), *std::move(group),
                          std::move(to)});
}

Result<int> DiscussionsService::FanOutPost(store::Store& db, PostId post_id) {
  RT_ASSIGN_OR_RETURN(std::optional<PostAudience> audience, Audience(db, post_id));
  if (!audience) return 0;
  const Post& post = audience->post.post;
  std::vector<Notification> batch;
  batch.reserve(audience->notified.size());
  for (const auto& [account, kind] : audience->notified) {
    Notification n;
    n.account_id = account;
    n.kind = kind;
    n.actor_id = post.author_id;
    n.thread_id = post.thread_id;
    n.post_id = post.id;
    n.created_at = post.created_at;
    batch.push_back(n);
  }
  // Grouped by kind (then recipient, so ids do not follow hash order):
  // CreateMany writes each run of same-kind rows in one statement.
  std::sort(batch.begin(), batch.end(), [](const Notification& a, const Notification& b) {
    return std::pair(a.kind, a.account_id.value) < std::pair(b.kind, b.account_id.value);
  });
  RT_RETURN_IF_ERROR(db.notifications().CreateMany(batch));
  // Mail is composed later, by the mail sender, from this one row: per
  // recipient work (templates, tokens, a row each) stays out of the
  // fan-out transaction that the replies' group commits wait on.
  RT_RETURN_IF_ERROR(ToStatus(db.outbox().Enqueue(
      kPostMailKind, std::string(kPostMailKind) + ":" + std::to_string(post.id.value),
      PostEventPayload(post.id), post.created_at)));
  return static_cast<int>(batch.size());
}

Result<ThreadPage> DiscussionsService::GetThread(const Viewer& viewer, ThreadId id, PostId after) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  // The shared part first (from the process's copy while the thread's
  // versions stand), then who may see it: nothing of it leaves this
  // function unless the viewer may read the group's content.
  RT_ASSIGN_OR_RETURN(std::shared_ptr<const store::ThreadContents> contents,
                      db->threads().Contents(id, after, kPostsPageSize + 2));
  if (!contents) return NotFound();
  auto access = LoadGroupAccess(ctx_, *db, viewer, contents->listing.group_slug);
  if (!access.ok()) {
    return access.error().kind == ErrorKind::kNotFound ? NotFound() : access.take_error();
  }
  GroupAccess& g = *access;
  if (!policy::CanReadContent(g.actor, g.group()).allowed) return NotFound();
  const Thread& thread = contents->listing.thread;
  const Group& group = g.group();
  const policy::Actor& actor = g.actor;

  ThreadPage page;
  page.first_page = !after.valid();
  const store::PostView* opening = contents->opening ? &*contents->opening : nullptr;
  size_t first_reply = 0;
  if (!contents->posts.empty() && contents->posts.front().post.id == thread.first_post_id) {
    opening = &contents->posts.front();
    first_reply = 1;
  }
  if (opening == nullptr) return NotFound();
  size_t end_reply = contents->posts.size();
  if (end_reply - first_reply > static_cast<size_t>(kPostsPageSize)) {
    end_reply = first_reply + kPostsPageSize;
    page.next = contents->posts[end_reply - 1].post.id;
  }
  const store::PostView* answer = contents->answer ? &*contents->answer : nullptr;

  std::unordered_set<int64_t> mine;
  if (viewer.account) {
    std::vector<PostId> ids;
    ids.reserve(end_reply - first_reply + 2);
    ids.push_back(opening->post.id);
    for (size_t i = first_reply; i < end_reply; ++i) ids.push_back(contents->posts[i].post.id);
    if (answer) ids.push_back(answer->post.id);
    RT_ASSIGN_OR_RETURN(mine, db->posts().RecommendedBy(viewer.account->id, ids));
    RT_ASSIGN_OR_RETURN(page.following, db->follows().IsFollowing(id, viewer.account->id));
  }
  auto item = [&](const store::PostView& v) {
    PostItem it;
    it.can_edit = policy::CanEditPost(actor, group, v.post).allowed;
    it.can_delete = policy::CanDeletePost(actor, group, v.post).allowed;
    it.can_recommend = policy::CanRecommend(actor, group, v.post).allowed;
    it.can_accept = !thread.answered() || thread.accepted_post_id != v.post.id
                        ? policy::CanAcceptAnswer(actor, group, thread, v.post).allowed
                        : false;
    it.recommended = mine.count(v.post.id.value) > 0;
    it.view = &v;
    return it;
  };
  page.opening = item(*opening);
  page.opening.can_accept = false;
  if (answer) page.answer = item(*answer);
  page.replies.reserve(end_reply - first_reply);
  for (size_t i = first_reply; i < end_reply; ++i) page.replies.push_back(item(contents->posts[i]));

  page.can_reply = policy::CanReply(actor, group, thread);
  if (!page.can_reply.allowed) {
    page.reply_refusal = ExplainRefusal(page.can_reply.reason, g.association, g.standing);
  }
  page.can_moderate = policy::CanModerate(actor, group).allowed;
  page.can_follow = policy::CanFollow(actor, group).allowed;
  if (viewer.account && thread.author_id == viewer.account->id &&
      thread.kind == ThreadKind::kQuestion && thread.answered()) {
    std::unordered_set<int64_t> seen{viewer.account->id.value};
    auto offer = [&](const PostItem& it) {
      if (!it.view->post.deleted && seen.insert(it.view->post.author_id.value).second) {
        page.follow_up.push_back(*it.view);
      }
    };
    if (page.answer) offer(*page.answer);
    for (const PostItem& it : page.replies) offer(it);
  }
  page.thread = contents->listing;
  page.group = MakeGroupView(std::move(g.listing), actor, g.association);
  page.contents = std::move(contents);
  return page;
}

Result<Created> DiscussionsService::Reply(const Viewer& viewer, ThreadId thread_id,
                                          const std::string& body, PostId reply_to, PostVia via,
                                          const std::string& idempotency_key) {
  return Reply(viewer, thread_id, body, reply_to, via, idempotency_key, Attachments{});
}

Result<Created> DiscussionsService::Reply(const Viewer& viewer, ThreadId thread_id,
                                          const std::string& body_in, PostId reply_to, PostVia via,
                                          const std::string& idempotency_key,
                                          const Attachments& attach) {
  RT_ASSIGN_OR_RETURN(std::string body, ValidateBody(body_in));
  RT_RETURN_IF_ERROR(CheckAttachmentCount(attach));
  RT_RETURN_IF_ERROR(CheckIdempotencyKey(idempotency_key));
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  TimePoint now = ctx_.Now();
  Post post = NewPost(viewer.account ? viewer.account->id : AccountId{}, body, via, now);
  post.thread_id = thread_id;
  post.reply_to = reply_to;
  Created out;
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(ThreadAccess t, LoadThread(*db, viewer, thread_id));
    policy::Decision d = policy::CanReply(t.g.actor, t.g.group(), t.thread.thread);
    if (!d.allowed) return RefusalError(d.reason, t.g.association, t.g.standing);
    std::string fingerprint = RequestFingerprint("reply\n" + std::to_string(thread_id.value) +
                                                 "\n" + std::to_string(reply_to.value) + "\n" +
                                                 body + AttachmentsFingerprint(attach));
    RT_ASSIGN_OR_RETURN(std::optional<Created> earlier,
                        ReplayCreated(*db, viewer.account->id, idempotency_key, fingerprint));
    if (earlier) {
      out = *earlier;
      return OkStatus();
    }
    if (reply_to.valid()) {
      RT_ASSIGN_OR_RETURN(std::optional<store::PostView> parent, db->posts().Find(reply_to));
      if (!parent || parent->post.thread_id != thread_id || parent->post.deleted) {
        return MakeError(ErrorKind::kInvalidInput, "invalid_reply_to",
                         "The post you are replying to is not in this thread.", "reply_to");
      }
    }
    RT_ASSIGN_OR_RETURN(Post created, db->posts().Create(post));
    out = Created{thread_id, created.id, false};
    RT_RETURN_IF_ERROR(WriteAttachments(*db, t.g, created.id, thread_id, attach));
    RT_RETURN_IF_ERROR(db->follows().Follow(thread_id, viewer.account->id, now));
    RT_RETURN_IF_ERROR(QueueFanOut(*db, created.id, now));
    return RememberIdempotent(*db, viewer.account->id, idempotency_key, fingerprint,
                              EncodeCreated(out), now);
  }));
  if (!out.replayed) ctx_.OutboxChanged();
  return out;
}

Result<store::PostView> DiscussionsService::GetPost(const Viewer& viewer, PostId id) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(PostAccess p, LoadPost(*db, viewer, id));
  if (p.post.post.deleted) return NotFound();
  RT_ASSIGN_OR_RETURN(p.post.attachments, db->resources().AttachmentsOf(id));
  return p.post;
}

Result<store::PostView> DiscussionsService::EditPost(const Viewer& viewer, PostId id,
                                                     const std::string& body_in) {
  RT_ASSIGN_OR_RETURN(std::string body, ValidateBody(body_in));
  std::string html = markdown::Render(body);
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  TimePoint now = ctx_.Now();
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(PostAccess p, LoadPost(*db, viewer, id));
    policy::Decision d = policy::CanEditPost(p.t.g.actor, p.t.g.group(), p.post.post);
    if (!d.allowed) return RefusalError(d.reason, p.t.g.association, p.t.g.standing);
    if (p.post.post.body_source == body) return OkStatus();  // nothing changed
    return db->posts().Edit(id, body, html, markdown::kRenderVersion, now);
  }));
  RT_ASSIGN_OR_RETURN(std::optional<store::PostView> v, db->posts().Find(id));
  if (!v) return NotFound();
  return *std::move(v);
}

Status DiscussionsService::DeletePost(const Viewer& viewer, PostId id) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  TimePoint now = ctx_.Now();
  return db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(PostAccess p, LoadPost(*db, viewer, id));
    policy::Decision d = policy::CanDeletePost(p.t.g.actor, p.t.g.group(), p.post.post);
    if (!d.allowed) return RefusalError(d.reason, p.t.g.association, p.t.g.standing);
    RT_RETURN_IF_ERROR(db->posts().SoftDelete(id, now));
    return db->audit().Record(p.t.g.actor.account, "post.delete", std::to_string(id.value), now);
  });
}

Result<std::vector<store::PostRevision>> DiscussionsService::Revisions(const Viewer& viewer,
                                                                       PostId id) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(PostAccess p, LoadPost(*db, viewer, id));
  if (p.post.post.deleted) return NotFound();
  return db->posts().Revisions(id);
}

Status DiscussionsService::AcceptAnswer(const Viewer& viewer, ThreadId thread_id, PostId post_id) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  TimePoint now = ctx_.Now();
  return db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(ThreadAccess t, LoadThread(*db, viewer, thread_id));
    RT_ASSIGN_OR_RETURN(std::optional<store::PostView> post, db->posts().Find(post_id));
    if (!post) {
      return MakeError(ErrorKind::kInvalidInput, "invalid_post", "Choose a reply in this thread.",
                       "post_id");
    }
    policy::Decision d =
        policy::CanAcceptAnswer(t.g.actor, t.g.group(), t.thread.thread, post->post);
    if (!d.allowed) {
      if (d.reason == policy::reason::kNotFound) {
        return MakeError(ErrorKind::kInvalidInput, "invalid_post",
                         "Choose a reply in this thread.", "post_id");
      }
      return RefusalError(d.reason, t.g.association, t.g.standing);
    }
    RT_RETURN_IF_ERROR(db->threads().SetAcceptedPost(thread_id, post_id));
    if (post->post.author_id != t.g.actor.account) {
      Notification n;
      n.account_id = post->post.author_id;
      n.kind = NotificationKind::kAnswerAccepted;
      n.actor_id = t.g.actor.account;
      n.thread_id = thread_id;
      n.post_id = post_id;
      n.created_at = now;
      RT_RETURN_IF_ERROR(db->notifications().Create(n));
    }
    return OkStatus();
  });
}

Status DiscussionsService::SetPinned(const Viewer& viewer, ThreadId thread, bool pinned) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  return db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(ThreadAccess t, LoadThread(*db, viewer, thread));
    policy::Decision d = policy::CanModerate(t.g.actor, t.g.group());
    if (!d.allowed) return RefusalError(d.reason, t.g.association, t.g.standing);
    return db->threads().SetPinned(thread, pinned);
  });
}

Status DiscussionsService::SetLocked(const Viewer& viewer, ThreadId thread, bool locked) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  return db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(ThreadAccess t, LoadThread(*db, viewer, thread));
    policy::Decision d = policy::CanModerate(t.g.actor, t.g.group());
    if (!d.allowed) return RefusalError(d.reason, t.g.association, t.g.standing);
    return db->threads().SetLocked(thread, locked);
  });
}

Result<int64_t> DiscussionsService::Recommend(const Viewer& viewer, PostId id, bool on) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  int64_t count = 0;
  TimePoint now = ctx_.Now();
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(PostAccess p, LoadPost(*db, viewer, id));
    policy::Decision d = policy::CanRecommend(p.t.g.actor, p.t.g.group(), p.post.post);
    if (!d.allowed) return RefusalError(d.reason, p.t.g.association, p.t.g.standing);
    if (on) {
      RT_RETURN_IF_ERROR(db->posts().Recommend(id, p.t.g.actor.account, now));
    } else {
      RT_RETURN_IF_ERROR(db->posts().Unrecommend(id, p.t.g.actor.account));
    }
    RT_ASSIGN_OR_RETURN(std::optional<store::PostView> after, db->posts().Find(id));
    count = after ? after->post.recommend_count : 0;
    return OkStatus();
  }));
  return count;
}

Result<std::vector<store::RecommendedPost>> DiscussionsService::MostRecommended(
    const Viewer& viewer, const std::string& slug) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(GroupAccess g, LoadGroupAccess(ctx_, *db, viewer, slug));
  if (!policy::CanReadContent(g.actor, g.group()).allowed) return NotFound();
  return db->posts().MostRecommended(g.group().id, 20);
}

Status DiscussionsService::Follow(const Viewer& viewer, ThreadId thread, bool on) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(ThreadAccess t, LoadThread(*db, viewer, thread));
  policy::Decision d = policy::CanFollow(t.g.actor, t.g.group());
  if (!d.allowed) return RefusalError(d.reason, t.g.association, t.g.standing);
  if (on) return db->follows().Follow(thread, t.g.actor.account, ctx_.Now());
  return db->follows().Unfollow(thread, t.g.actor.account);
}

Result<int> DiscussionsService::RerenderStale() {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  int done = 0;
  while (true) {
    RT_ASSIGN_OR_RETURN(std::vector<Post> stale,
                        db->posts().ListStale(markdown::kRenderVersion, 500));
    if (stale.empty()) return done;
    RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
      for (const Post& p : stale) {
        RT_RETURN_IF_ERROR(db->posts().SetRendered(p.id, markdown::Render(p.body_source),
                                                   markdown::kRenderVersion));
      }
      return OkStatus();
    }));
    done += static_cast<int>(stale.size());
  }
}

Result<std::string> PreviewMarkdown(const std::string& body) {
  RT_ASSIGN_OR_RETURN(std::string clean, ValidateBody(body));
  return markdown::Render(clean);
}

}  // namespace rt::app
