// The discussions JSON API: threads, posts, answers, recommendations,
// follows, private conversations and notifications.
#include "web/json/shapes.h"
#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

Error BadId() {
  return MakeError(ErrorKind::kNotFound, "not_found", "We could not find that.");
}

template <typename IdT>
std::optional<IdT> PathId(const RequestContext& c) {
  auto v = ParseId(c.req.Param("id"));
  if (!v) return std::nullopt;
  return IdT{*v};
}

std::string IdempotencyKey(const RequestContext& c) {
  return std::string(c.req.Header("idempotency-key"));
}

http::Response NoContent() {
  http::Response r;
  r.status = 204;
  return r;
}

// An optional integer id field of a JSON body: 0 when absent or null.
Result<int64_t> IdField(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return int64_t{0};
  if (!it->is_number_integer() || it->get<int64_t>() <= 0) {
    return MakeError(ErrorKind::kInvalidInput, "invalid_field",
                     std::string("The field '") + name + "' must be a positive integer id.", name);
  }
  return it->get<int64_t>();
}

// "resource_ids": resources of the group's library to attach to a post;
// none when absent or null. How many, and which, the use case decides.
Result<std::vector<ResourceId>> ResourceIdsField(const nlohmann::json& body) {
  std::vector<ResourceId> ids;
  auto it = body.find("resource_ids");
  if (it == body.end() || it->is_null()) return ids;
  auto bad = [] {
    return MakeError(ErrorKind::kInvalidInput, "invalid_field",
                     "The field 'resource_ids' must be a list of resource ids.", "resource_ids");
  };
  // Far more than a post may attach is not worth reading.
  if (!it->is_array() || it->size() > 100) return bad();
  for (const auto& v : *it) {
    if (!v.is_number_integer() || v.get<int64_t>() <= 0) return bad();
    ids.push_back(ResourceId{v.get<int64_t>()});
  }
  return ids;
}

Result<bool> BoolField(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || !it->is_boolean()) {
    return MakeError(ErrorKind::kInvalidInput, "invalid_field",
                     std::string("The field '") + name + "' must be true or false.", name);
  }
  return it->get<bool>();
}

nlohmann::json ThreadPageJson(const app::ThreadPage& p) {
  nlohmann::json posts = nlohmann::json::array();
  if (p.first_page) posts.push_back(json::PostItemJson(p.opening));
  for (const app::PostItem& it : p.replies) posts.push_back(json::PostItemJson(it));
  nlohmann::json follow_up = nlohmann::json::array();
  for (const store::PostView& v : p.follow_up) {
    follow_up.push_back({{"post_id", v.post.id.value},
                         {"author", {{"id", v.post.author_id.value}, {"name", v.author_name}}}});
  }
  return {{"thread", json::ThreadJson(p.thread)},
          {"posts", std::move(posts)},
          {"accepted_answer", p.answer ? json::PostItemJson(*p.answer) : nlohmann::json(nullptr)},
          {"next", p.next ? nlohmann::json(std::to_string(p.next->value)) : nlohmann::json(nullptr)},
          {"viewer",
           {{"can_reply", p.can_reply.allowed},
            {"reason", p.can_reply.reason},
            {"message", p.reply_refusal},
            {"can_moderate", p.can_moderate},
            {"following", p.following},
            {"follow_up", std::move(follow_up)}}}};
}

}  // namespace

http::Response WebApp::ApiThreads(RequestContext& c) {
  auto filter = ParseThreadFilter(c.req);
  if (!filter.ok()) return Fail(c, filter.error());
  std::optional<store::ThreadCursor> after;
  if (std::string a = c.req.QueryParam("after"); !a.empty()) {
    after = DecodeThreadCursor(a);
    if (!after) {
      return Fail(c, MakeError(ErrorKind::kInvalidInput, "invalid_cursor",
                               "The 'after' cursor is not valid.", "after"));
    }
  }
  auto page = discussions_.ListThreads(c.viewer, std::string(c.req.Param("slug")), *filter, after);
  if (!page.ok()) return Fail(c, page.error());
  if (!page->content_visible) return Fail(c, BadId());
  nlohmann::json threads = nlohmann::json::array();
  for (const store::ThreadListing& t : page->threads) threads.push_back(json::ThreadJson(t));
  return Json(200, {{"threads", std::move(threads)},
                    {"next", page->next ? nlohmann::json(EncodeThreadCursor(*page->next))
                                        : nlohmann::json(nullptr)},
                    {"viewer",
                     {{"can_post", page->can_post.allowed},
                      {"reason", page->can_post.reason},
                      {"message", page->post_refusal}}}});
}

http::Response WebApp::ApiStartThread(RequestContext& c) {
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  app::NewThread in;
  for (auto [name, out] : {std::pair{"kind", &in.kind}, std::pair{"title", &in.title},
                           std::pair{"body", &in.body}, std::pair{"consent", &in.consent}}) {
    auto v = StringField(*body, name);
    if (!v.ok()) return Fail(c, v.error());
    *out = *v;
  }
  auto ids = ResourceIdsField(*body);
  if (!ids.ok()) return Fail(c, ids.error());
  in.attach.resource_ids = *std::move(ids);
  auto created = discussions_.StartThread(c.viewer, std::string(c.req.Param("slug")), in,
                                          PostVia::kApi, IdempotencyKey(c));
  if (!created.ok()) return Fail(c, created.error());
  auto page = discussions_.GetThread(c.viewer, created->thread, PostId{});
  if (!page.ok()) return Fail(c, page.error());
  return Json(201, {{"thread", json::ThreadJson(page->thread)},
                    {"post", json::PostItemJson(page->opening)}});
}

http::Response WebApp::ApiThread(RequestContext& c) {
  auto id = PathId<ThreadId>(c);
  if (!id) return Fail(c, BadId());
  PostId after;
  if (std::string a = c.req.QueryParam("after"); !a.empty()) {
    auto v = ParseId(a);
    if (!v) {
      return Fail(c, MakeError(ErrorKind::kInvalidInput, "invalid_cursor",
                               "The 'after' cursor is not valid.", "after"));
    }
    after = PostId{*v};
  }
  auto page = discussions_.GetThread(c.viewer, *id, after);
  if (!page.ok()) return Fail(c, page.error());
  return Json(200, ThreadPageJson(*page));
}

http::Response WebApp::ApiReply(RequestContext& c) {
  auto id = PathId<ThreadId>(c);
  if (!id) return Fail(c, BadId());
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto text = StringField(*body, "body");
  if (!text.ok()) return Fail(c, text.error());
  auto reply_to = IdField(*body, "reply_to");
  if (!reply_to.ok()) return Fail(c, reply_to.error());
  app::Attachments attach;
  auto ids = ResourceIdsField(*body);
  if (!ids.ok()) return Fail(c, ids.error());
  attach.resource_ids = *std::move(ids);
  auto created = discussions_.Reply(c.viewer, *id, *text, PostId{*reply_to}, PostVia::kApi,
                                    IdempotencyKey(c), attach);
  if (!created.ok()) return Fail(c, created.error());
  auto post = discussions_.GetPost(c.viewer, created->post);
  if (!post.ok()) return Fail(c, post.error());
  return Json(201, {{"post", json::PostJson(*post)}});
}

http::Response WebApp::ApiEditPost(RequestContext& c) {
  auto id = PathId<PostId>(c);
  if (!id) return Fail(c, BadId());
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto text = StringField(*body, "body");
  if (!text.ok()) return Fail(c, text.error());
  auto post = discussions_.EditPost(c.viewer, *id, *text);
  if (!post.ok()) return Fail(c, post.error());
  return Json(200, {{"post", json::PostJson(*post)}});
}

http::Response WebApp::ApiDeletePost(RequestContext& c) {
  auto id = PathId<PostId>(c);
  if (!id) return Fail(c, BadId());
  Status s = discussions_.DeletePost(c.viewer, *id);
  if (!s.ok()) return Fail(c, s.error());
  return NoContent();
}

http::Response WebApp::ApiRevisions(RequestContext& c) {
  auto id = PathId<PostId>(c);
  if (!id) return Fail(c, BadId());
  auto revs = discussions_.Revisions(c.viewer, *id);
  if (!revs.ok()) return Fail(c, revs.error());
  nlohmann::json out = nlohmann::json::array();
  for (const store::PostRevision& r : *revs) {
    out.push_back({{"body", r.body_source},
                   {"body_html", r.body_html},
                   {"replaced_at", FormatIsoTime(r.replaced_at)}});
  }
  return Json(200, {{"revisions", std::move(out)}});
}

http::Response WebApp::ApiAnswer(RequestContext& c) {
  auto id = PathId<ThreadId>(c);
  if (!id) return Fail(c, BadId());
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto post = IdField(*body, "post_id");
  if (!post.ok()) return Fail(c, post.error());
  Status s = discussions_.AcceptAnswer(c.viewer, *id, PostId{*post});
  if (!s.ok()) return Fail(c, s.error());
  return ApiThread(c);
}

http::Response WebApp::ApiFollow(RequestContext& c) {
  auto id = PathId<ThreadId>(c);
  if (!id) return Fail(c, BadId());
  Status s = discussions_.Follow(c.viewer, *id, true);
  if (!s.ok()) return Fail(c, s.error());
  return Json(200, {{"following", true}});
}

http::Response WebApp::ApiUnfollow(RequestContext& c) {
  auto id = PathId<ThreadId>(c);
  if (!id) return Fail(c, BadId());
  Status s = discussions_.Follow(c.viewer, *id, false);
  if (!s.ok()) return Fail(c, s.error());
  return Json(200, {{"following", false}});
}

http::Response WebApp::ApiPin(RequestContext& c) {
  auto id = PathId<ThreadId>(c);
  if (!id) return Fail(c, BadId());
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto on = BoolField(*body, "pinned");
  if (!on.ok()) return Fail(c, on.error());
  Status s = discussions_.SetPinned(c.viewer, *id, *on);
  if (!s.ok()) return Fail(c, s.error());
  return Json(200, {{"pinned", *on}});
}

http::Response WebApp::ApiLock(RequestContext& c) {
  auto id = PathId<ThreadId>(c);
  if (!id) return Fail(c, BadId());
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto on = BoolField(*body, "locked");
  if (!on.ok()) return Fail(c, on.error());
  Status s = discussions_.SetLocked(c.viewer, *id, *on);
  if (!s.ok()) return Fail(c, s.error());
  return Json(200, {{"locked", *on}});
}

http::Response WebApp::ApiRecommend(RequestContext& c) {
  auto id = PathId<PostId>(c);
  if (!id) return Fail(c, BadId());
  auto count = discussions_.Recommend(c.viewer, *id, true);
  if (!count.ok()) return Fail(c, count.error());
  return Json(200, {{"recommended", true}, {"recommend_count", *count}});
}

http::Response WebApp::ApiUnrecommend(RequestContext& c) {
  auto id = PathId<PostId>(c);
  if (!id) return Fail(c, BadId());
  auto count = discussions_.Recommend(c.viewer, *id, false);
  if (!count.ok()) return Fail(c, count.error());
  return Json(200, {{"recommended", false}, {"recommend_count", *count}});
}

http::Response WebApp::ApiRecommended(RequestContext& c) {
  auto posts = discussions_.MostRecommended(c.viewer, std::string(c.req.Param("slug")));
  if (!posts.ok()) return Fail(c, posts.error());
  nlohmann::json out = nlohmann::json::array();
  for (const store::RecommendedPost& p : *posts) {
    nlohmann::json j = json::PostJson(p.view);
    j["thread_title"] = p.thread_title;
    out.push_back(std::move(j));
  }
  return Json(200, {{"posts", std::move(out)}});
}

http::Response WebApp::ApiPreview(RequestContext& c) {
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto text = StringField(*body, "body");
  if (!text.ok()) return Fail(c, text.error());
  auto html = app::PreviewMarkdown(*text);
  if (!html.ok()) return Fail(c, html.error());
  return Json(200, {{"html", *html}});
}

http::Response WebApp::ApiConversations(RequestContext& c) {
  auto inbox = conversations_.Inbox(c.viewer);
  if (!inbox.ok()) return Fail(c, inbox.error());
  nlohmann::json out = nlohmann::json::array();
  for (const store::ConversationView& v : *inbox) out.push_back(json::ConversationJson(v));
  return Json(200, {{"conversations", std::move(out)}});
}

http::Response WebApp::ApiStartConversation(RequestContext& c) {
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto post = IdField(*body, "post_id");
  if (!post.ok()) return Fail(c, post.error());
  auto account = IdField(*body, "account_id");
  if (!account.ok()) return Fail(c, account.error());
  auto text = StringField(*body, "body");
  if (!text.ok()) return Fail(c, text.error());
  if ((*post > 0) == (*account > 0)) {
    return Fail(c, MakeError(ErrorKind::kInvalidInput, "invalid_field",
                             "Give either post_id or account_id.", "post_id"));
  }
  auto id = conversations_.Start(c.viewer, {PostId{*post}, AccountId{*account}, *text},
                                 IdempotencyKey(c));
  if (!id.ok()) return Fail(c, id.error());
  auto page = conversations_.Get(c.viewer, *id, MessageId{});
  if (!page.ok()) return Fail(c, page.error());
  return Json(201, {{"conversation", json::ConversationJson(page->conversation)}});
}

http::Response WebApp::ApiConversation(RequestContext& c) {
  auto id = PathId<ConversationId>(c);
  if (!id) return Fail(c, BadId());
  MessageId after;
  if (auto a = ParseId(c.req.QueryParam("after"))) after = MessageId{*a};
  auto page = conversations_.Get(c.viewer, *id, after);
  if (!page.ok()) return Fail(c, page.error());
  nlohmann::json messages = nlohmann::json::array();
  for (const store::MessageView& m : page->messages) messages.push_back(json::MessageJson(m));
  return Json(200, {{"conversation", json::ConversationJson(page->conversation)},
                    {"messages", std::move(messages)},
                    {"next", page->next ? nlohmann::json(std::to_string(page->next->value))
                                        : nlohmann::json(nullptr)}});
}

http::Response WebApp::ApiSendMessage(RequestContext& c) {
  auto id = PathId<ConversationId>(c);
  if (!id) return Fail(c, BadId());
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto text = StringField(*body, "body");
  if (!text.ok()) return Fail(c, text.error());
  auto m = conversations_.Send(c.viewer, *id, *text);
  if (!m.ok()) return Fail(c, m.error());
  return Json(201, {{"message", json::MessageJson(*m)}});
}

http::Response WebApp::ApiNotifications(RequestContext& c) {
  NotificationId before;
  if (auto b = ParseId(c.req.QueryParam("before"))) before = NotificationId{*b};
  auto list = notifications_.List(c.viewer, before);
  if (!list.ok()) return Fail(c, list.error());
  auto unread = notifications_.UnreadCount(c.viewer);
  if (!unread.ok()) return Fail(c, unread.error());
  nlohmann::json out = nlohmann::json::array();
  for (const store::NotificationView& n : *list) out.push_back(json::NotificationJson(n));
  return Json(200, {{"notifications", std::move(out)}, {"unread", *unread}});
}

http::Response WebApp::ApiMarkRead(RequestContext& c) {
  NotificationId upto;
  if (!c.req.body.empty()) {
    auto body = ParseJsonBody(c.req);
    if (!body.ok()) return Fail(c, body.error());
    auto v = IdField(*body, "upto");
    if (!v.ok()) return Fail(c, v.error());
    upto = NotificationId{*v};
  }
  Status s = notifications_.MarkRead(c.viewer, upto);
  if (!s.ok()) return Fail(c, s.error());
  return NoContent();
}

}  // namespace rt::web
