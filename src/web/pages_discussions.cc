// Discussion pages: a group's threads (on the group page), starting a
// thread, the thread page with replies, editing, deleting, revisions,
// recommendations, accepted answers and moderation.
#include "core/crypto.h"
#include "domain/discussions/markdown.h"
#include "http/error_status.h"
#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

template <typename IdT>
std::optional<IdT> PathId(const RequestContext& c) {
  auto v = ParseId(c.req.Param("id"));
  if (!v) return std::nullopt;
  return IdT{*v};
}

Error NotFoundError() {
  return MakeError(ErrorKind::kNotFound, "not_found", "We could not find that page.");
}

const char* KindLabel(ThreadKind k) {
  switch (k) {
    case ThreadKind::kDiscussion:
      return "Discussion";
    case ThreadKind::kQuestion:
      return "Question";
    case ThreadKind::kStory:
      return "Story";
  }
  return "Discussion";
}

const char* ConsentLabel(StoryConsent c) {
  switch (c) {
    case StoryConsent::kGroupOnly:
      return "Only this group may read it";
    case StoryConsent::kStaffAdvocacy:
      return "Association staff may quote it in advocacy";
    case StoryConsent::kPublic:
      return "May be shared publicly";
  }
  return "";
}

// The member that checks the radio button or option for a thread kind or a
// story consent.
ViewKey KindKey(ThreadKind k) {
  switch (k) {
    case ThreadKind::kDiscussion:
      return "kind_discussion";
    case ThreadKind::kQuestion:
      return "kind_question";
    case ThreadKind::kStory:
      return "kind_story";
  }
  return "kind_discussion";
}

ViewKey ConsentKey(StoryConsent c) {
  switch (c) {
    case StoryConsent::kGroupOnly:
      return "consent_group_only";
    case StoryConsent::kStaffAdvocacy:
      return "consent_staff_advocacy";
    case StoryConsent::kPublic:
      return "consent_public";
  }
  return "consent_group_only";
}

// The text area for Markdown with its label, hint, error and preview.
Data MarkdownField(const std::string& label, const std::string& value, const std::string& error,
                   const std::string& preview_html) {
  Data d;
  d["label"] = label;
  d["value"] = value;
  if (!error.empty()) d["error"] = error;
  if (!preview_html.empty()) d["preview_html"] = preview_html;
  return d;
}

// Error summary data for one field error.
// Whether a failed post goes back to its form with the error beside a
// field, rather than to an error page.
bool IsFormError(const Error& e) {
  if (e.kind == ErrorKind::kInvalidInput || e.kind == ErrorKind::kTooLarge) return true;
  return !e.field.empty() && e.kind != ErrorKind::kNotFound &&
         e.kind != ErrorKind::kUnauthenticated && e.kind != ErrorKind::kForbidden;
}

void AddError(Data& d, const Error& e, const std::string& default_field) {
  Data errors = Data::List(1);
  Data& item = errors.AppendObject();
  item["message"] = e.message;
  item["href"] = "#field-" + (e.field.empty() ? default_field : e.field);
  d["errors"] = std::move(errors);
  d["has_errors"] = true;
}

// Borrows from `l`, which must outlive the rendering.
void FillThreadRow(Data& d, const store::ThreadListing& l, TimePoint now,
                   std::string_view ago_hole = {}) {
  const Thread& t = l.thread;
  d.Reserve(10);  // as many members as a row can have
  d["id"] = std::to_string(t.id.value);
  d["title"] = Data::Borrow(t.title);
  d["kind"] = Data::Borrow(KindLabel(t.kind));
  d["author"] = Data::Borrow(l.author_name);
  d["replies"] = CountText(t.reply_count, "reply", "replies");
  Data activity = TimeData(t.last_activity_at, now);
  if (!ago_hole.empty()) activity["ago"] = ago_hole;
  d["activity"] = std::move(activity);
  if (t.pinned) d["pinned"] = true;
  if (t.locked) d["locked"] = true;
  if (t.kind == ThreadKind::kQuestion)
    d[t.answered() ? ViewKey("answered") : ViewKey("unanswered")] = true;
  if (t.kind == ThreadKind::kStory) d["consent"] = Data::Borrow(ConsentLabel(t.consent));
}

// What every viewer sees of a post: everything but the relative time and
// the actions. `in_answer_section` marks the copy of the accepted answer
// shown above the replies; it gets its own anchor so ids stay unique on the
// page. Borrows from `v`, which must outlive the rendering.
Data SharedPostData(const store::PostView& v, bool is_answer, bool in_answer_section) {
  const Post& p = v.post;
  // Room for the members most posts have; 16 keeps the allocation within
  // the allocator's fast per-thread cache.
  Data d = Data::Object(16);
  d["id"] = std::to_string(p.id.value);
  d["anchor"] = (in_answer_section ? "answer-" : "post-") + std::to_string(p.id.value);
  d["author"] = Data::Borrow(v.author_name);
  if (!v.author_title.empty()) d["author_title"] = Data::Borrow(v.author_title);
  if (is_answer) d["is_answer"] = true;
  if (p.deleted) {
    d["deleted"] = true;
    return d;
  }
  d["body_html"] = Data::Borrow(p.body_html);
  if (p.reply_to.valid()) {
    d["reply_to"] = std::to_string(p.reply_to.value);
    d["reply_to_author"] = Data::Borrow(v.reply_to_author);
  }
  if (p.edited_at) d["edited"] = true;
  d["recommend_count"] = std::to_string(p.recommend_count);
  if (p.recommend_count > 0) d["has_recommendations"] = true;
  if (!v.attachments.empty()) {
    Data list = Data::List(v.attachments.size());
    for (const store::PostAttachment& a : v.attachments) {
      Data& item = list.AppendObject();
      item["id"] = std::to_string(a.id.value);
      item["title"] = Data::Borrow(a.title);
      item["label"] = AttachmentLabel(a);
    }
    d["attachments"] = std::move(list);
    d["has_attachments"] = true;
  }
  return d;
}

// The viewer's actions on a post (post_actions.mustache). Borrows from `it`,
// which must outlive the rendering. The buttons submit the page's one
// "post-action" form (thread.mustache), which carries the CSRF token, so the
// actions themselves hold nothing of the session and can be shared.
Data PostActionsData(const app::PostItem& it, bool signed_in) {
  const Post& p = it.view->post;
  Data d = Data::Object(10);
  d["id"] = std::to_string(p.id.value);
  d["thread_id"] = std::to_string(p.thread_id.value);
  d["author"] = Data::Borrow(it.view->author_name);
  if (signed_in) d["signed_in"] = true;
  if (it.can_recommend) {
    d[it.recommended ? ViewKey("can_unrecommend") : ViewKey("can_recommend")] = true;
  }
  if (it.can_edit) d["can_edit"] = true;
  if (it.can_delete) d["can_delete"] = true;
  if (it.can_accept) d["can_accept"] = true;
  return d;
}

// The facts about the viewer that post_actions.mustache depends on, as bits.
int ActionFlags(const app::PostItem& it, bool signed_in) {
  int flags = signed_in ? 1 : 0;
  if (it.can_recommend) flags |= it.recommended ? 2 : 4;
  if (it.can_edit) flags |= 8;
  if (it.can_delete) flags |= 16;
  if (it.can_accept) flags |= 32;
  return flags;
}

// Marks the holes of a shared rendering. Neither byte survives Markdown
// rendering or escaping into a post (Split checks anyway).
constexpr char kAgoHole = '\x01';
constexpr char kActionsHole = '\x02';

// Appends the viewer's actions on `it` to `out`: the variant for the
// viewer's rights kept in `pieces`, rendered and kept on first use.
void AppendActions(const PostPieces& pieces, const app::PostItem& it, bool signed_in,
                   std::string* out) {
  const int flags = ActionFlags(it, signed_in);
  {
    std::lock_guard<std::mutex> lock(pieces.actions_mu);
    for (const auto& a : pieces.actions) {
      if (a->flags == flags) {
        *out += a->html;
        return;
      }
    }
  }
  auto fresh = std::make_shared<PostPieces::Actions>();
  fresh->flags = flags;
  fresh->html = Templates::Render("post_actions", PostActionsData(it, signed_in));
  *out += fresh->html;
  std::lock_guard<std::mutex> lock(pieces.actions_mu);
  pieces.actions.push_back(std::move(fresh));
}

// Everything a thread row (thread_row.mustache) is rendered from but the
// time, as one text: RowCache serves a kept row only while this is equal.
std::string ThreadRowSource(const store::ThreadListing& l) {
  const Thread& t = l.thread;
  std::string s;
  s.reserve(64 + t.title.size() + l.author_name.size());
  // The numbers as raw bytes: only compared, never shown.
  for (int64_t n :
       {static_cast<int64_t>(t.kind), t.reply_count, ToUnix(t.last_activity_at),
        static_cast<int64_t>(t.pinned), static_cast<int64_t>(t.locked), t.accepted_post_id.value,
        static_cast<int64_t>(t.consent), static_cast<int64_t>(t.title.size())}) {
    s.append(reinterpret_cast<const char*>(&n), sizeof n);
  }
  s += t.title;
  s += l.author_name;
  return s;
}

// A thread row split at its relative time, or nullptr when the row's text
// holds the hole marker itself.
std::shared_ptr<RowCache::Row> RenderThreadRow(const store::ThreadListing& l, TimePoint now) {
  Data d;
  FillThreadRow(d, l, now, std::string_view(&kAgoHole, 1));
  std::string html = Templates::Render("thread_row", d);
  size_t at = html.find(kAgoHole);
  if (at == std::string::npos || html.find(kAgoHole, at + 1) != std::string::npos) return nullptr;
  auto row = std::make_shared<RowCache::Row>();
  row->before = html.substr(0, at);
  row->after = html.substr(at + 1);
  return row;
}

// The shared parts of `v`, or nullptr when the text holds a hole marker
// itself (then the post is rendered whole, every time).
std::shared_ptr<const PostPieces> RenderPieces(const store::PostView& v, bool is_answer,
                                               bool in_answer_section, TimePoint now) {
  Data d = SharedPostData(v, is_answer, in_answer_section);
  Data time = TimeData(v.post.created_at, now);
  time["ago"] = std::string_view(&kAgoHole, 1);
  d["time"] = std::move(time);
  if (!v.post.deleted) d["actions"] = std::string_view(&kActionsHole, 1);
  std::string html = Templates::Render("post", d);
  auto pieces = std::make_shared<PostPieces>();
  size_t ago = html.find(kAgoHole);
  if (ago == std::string::npos || html.find(kAgoHole, ago + 1) != std::string::npos) return nullptr;
  size_t actions = html.find(kActionsHole);
  if (actions != std::string::npos && (actions < ago || v.post.deleted ||
                                       html.find(kActionsHole, actions + 1) != std::string::npos)) {
    return nullptr;
  }
  if (actions == std::string::npos && !v.post.deleted) return nullptr;
  pieces->parts[0] = html.substr(0, ago);
  if (actions == std::string::npos) {
    pieces->parts[1] = html.substr(ago + 1);
  } else {
    pieces->has_actions = true;
    pieces->parts[1] = html.substr(ago + 1, actions - ago - 1);
    pieces->parts[2] = html.substr(actions + 1);
  }
  return pieces;
}

// The edit form for post `id` of `thread`, with `body` in the editor and,
// after a failed or previewed save, the error or the preview.
Data EditData(const RequestContext& c, PostId id, ThreadId thread, const std::string& body,
              const Error* error, const std::string& preview_html) {
  Data d;
  d["id"] = std::to_string(id.value);
  d["thread_id"] = std::to_string(thread.value);
  d["csrf"] = c.Csrf();
  d["body"] = MarkdownField("Your post", body, error ? error->message : "", preview_html);
  if (error) AddError(d, *error, "body");
  return d;
}

}  // namespace

http::Response WebApp::GroupPage(RequestContext& c) {
  std::string slug(c.req.Param("slug"));
  auto filter = ParseThreadFilter(c.req);
  if (!filter.ok()) return Fail(c, filter.error());
  std::optional<store::ThreadCursor> after;
  if (std::string a = c.req.QueryParam("after"); !a.empty()) {
    after = DecodeThreadCursor(a);
    if (!after)
      return Fail(c, MakeError(ErrorKind::kInvalidInput, "invalid_cursor",
                               "That page link is not valid.", "after"));
  }
  auto page = discussions_.ListThreads(c.viewer, slug, *filter, after);
  if (!page.ok()) return Fail(c, page.error());
  auto db = ctx_.Db();
  if (!db.ok()) return Fail(c, db.error());
  auto assoc = app::LoadAssociation(ctx_, **db);
  if (!assoc.ok()) return Fail(c, assoc.error());
  // The data borrows from `page`, `assoc` and `texts`, which outlive the
  // rendering.
  AssociationTexts texts(*assoc);
  Data d = Data::Object(32);
  FillGroupData(d, page->group, texts, c.Csrf(), c.req.path);
  AddDeliveryLine(c, page->group, d);
  AddCheckinNotice(c, page->group, d);
  TimePoint now = ctx_.Now();
  if (page->content_visible) {
    d["content_visible"] = true;
    // Rows are the same for every viewer but for the time: kept rendered.
    std::vector<RowCache::Want> wants;
    wants.reserve(page->threads.size());
    for (const store::ThreadListing& t : page->threads) {
      wants.push_back({t.thread.id.value, ThreadRowSource(t)});
    }
    auto rows =
        row_cache_.Get(wants, [&](size_t i) { return RenderThreadRow(page->threads[i], now); });
    Data threads = Data::List(page->threads.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      const store::ThreadListing& t = page->threads[i];
      if (!rows[i]) {
        Data row;
        FillThreadRow(row, t, now);
        threads.AppendObject()["html"] = Templates::Render("thread_row", row);
        continue;
      }
      std::string html;
      std::string ago = Ago(t.thread.last_activity_at, now);  // words and digits
      html.reserve(rows[i]->before.size() + ago.size() + rows[i]->after.size());
      html += rows[i]->before;
      html += ago;
      html += rows[i]->after;
      threads.AppendObject()["html"] = std::move(html);
    }
    d["threads"] = std::move(threads);
    if (page->threads.empty()) d["no_threads"] = true;
    if (page->next) {
      std::string q = "?after=" + EncodeThreadCursor(*page->next);
      if (filter->kind) q += "&kind=" + std::string(ToString(*filter->kind));
      if (filter->unanswered) q += "&unanswered=1";
      d["next"] = "/groups/" + slug + q + "#threads";
    }
    if (after) d["first"] = "/groups/" + slug + "#threads";
    d[filter->kind ? KindKey(*filter->kind) : ViewKey("kind_all")] = true;
    if (filter->unanswered) d["unanswered_checked"] = true;
    if (page->can_filter_consent) {
      d["can_filter_consent"] = true;
      d[filter->consent ? ConsentKey(*filter->consent) : ViewKey("consent_any")] = true;
    }
  }
  if (page->can_post.allowed) {
    d["can_post"] = true;
  } else if (c.session && page->group.is_member()) {
    d["post_refusal"] = Data::Borrow(page->post_refusal);
  }
  return Page(c, 200, page->group.listing.group.name, Templates::Fragment("group", std::move(d)));
}

http::Response WebApp::NewThreadPage(RequestContext& c) {
  std::string slug(c.req.Param("slug"));
  if (!c.session) return Redirect("/signin?next=" + text::PercentEncode(c.req.target));
  auto page = discussions_.ListThreads(c.viewer, slug, {}, store::ThreadCursor{false, 0, {}});
  if (!page.ok()) return Fail(c, page.error());
  if (!page->can_post.allowed) {
    return Fail(c, MakeError(ErrorKind::kForbidden, std::string(page->can_post.reason),
                             page->post_refusal));
  }
  Data d;
  d["slug"] = slug;
  d["group"] = page->group.listing.group.name;
  d["csrf"] = c.Csrf();
  d["idempotency_key"] = crypto::FormToken();
  std::optional<ThreadKind> kind = ParseThreadKind(c.req.QueryParam("kind"));
  d[KindKey(kind.value_or(ThreadKind::kDiscussion))] = true;
  d["consent_group_only"] = true;
  d["body"] = MarkdownField("Your message", "", "", "");
  std::vector<ResourceId> preselected;
  if (auto r = ParseId(c.req.QueryParam("resource"))) preselected.push_back(ResourceId{*r});
  AddAttachChoices(c, slug, preselected, nullptr, d);
  return Page(c, 200, "New thread — " + page->group.listing.group.name,
              Templates::Fragment("thread_new", std::move(d)));
}

http::Response WebApp::NewThreadForm(RequestContext& c) {
  std::string slug(c.req.Param("slug"));
  if (!c.session) return Redirect("/signin?next=" + text::PercentEncode("/groups/" + slug));
  app::NewThread in{c.Field("kind"), c.Field("title"), c.Field("body"), c.Field("consent")};
  in.attach.resource_ids = AttachedIds(c);
  std::optional<app::NewResource> upload = AttachedUpload(c);
  bool preview = !c.Field("preview").empty();
  Error error;
  bool failed = false;
  std::string preview_html;
  if (preview) {
    auto html = app::PreviewMarkdown(in.body);
    if (html.ok()) {
      preview_html = *html;
    } else {
      error = html.error();
      failed = true;
    }
  } else {
    const std::string key = c.Field("idempotency_key");
    auto created = upload ? resources_.StartThreadSharing(c.viewer, slug, in, *std::move(upload),
                                                          PostVia::kWeb, key)
                          : discussions_.StartThread(c.viewer, slug, in, PostVia::kWeb, key);
    if (created.ok()) {
      return Redirect("/threads/" + std::to_string(created->thread.value) +
                      "?notice=thread_started");
    }
    error = created.error();
    if (!IsFormError(error)) return Fail(c, error);
    failed = true;
  }
  auto page = discussions_.ListThreads(c.viewer, slug, {}, store::ThreadCursor{false, 0, {}});
  if (!page.ok()) return Fail(c, page.error());
  Data d;
  d["slug"] = slug;
  d["group"] = page->group.listing.group.name;
  d["csrf"] = c.Csrf();
  d["idempotency_key"] = c.Field("idempotency_key");
  d["title_value"] = in.title;
  d[KindKey(ParseThreadKind(in.kind).value_or(ThreadKind::kDiscussion))] = true;
  d[ConsentKey(ParseStoryConsent(in.consent).value_or(StoryConsent::kGroupOnly))] = true;
  std::string body_error = failed && error.field == "body" ? error.message : "";
  d["body"] = MarkdownField("Your message", in.body, body_error, preview_html);
  AddAttachChoices(c, slug, in.attach.resource_ids, failed ? &error : nullptr, d);
  if (failed) {
    AddError(d, error, "body");
    if (error.field == "title") d["title_error"] = error.message;
    if (error.field == "kind" || error.field == "consent") d["choice_error"] = error.message;
  }
  int status = failed ? http::StatusFor(error.kind) : 200;
  return Page(c, status, std::string(failed ? "Error: " : "") + "New thread — " +
                             page->group.listing.group.name,
              Templates::Fragment("thread_new", std::move(d)));
}

http::Response WebApp::ThreadPage(RequestContext& c) {
  auto id = PathId<ThreadId>(c);
  if (!id) return Fail(c, NotFoundError());
  PostId after;
  if (std::string a = c.req.QueryParam("after"); !a.empty()) {
    auto v = ParseId(a);
    if (!v) return Fail(c, NotFoundError());
    after = PostId{*v};
  }
  auto page = discussions_.GetThread(c.viewer, *id, after);
  if (!page.ok()) return Fail(c, page.error());
  Data form;
  std::string text;
  if (auto q = ParseId(c.req.QueryParam("quote"))) {
    auto quoted = discussions_.GetPost(c.viewer, PostId{*q});
    if (quoted.ok() && quoted->post.thread_id == *id) {
      text = markdown::Quote(quoted->author_name, quoted->post.body_source);
      form["reply_to"] = std::to_string(*q);
      form["reply_to_author"] = quoted->author_name;
    }
  } else if (auto r = ParseId(c.req.QueryParam("reply_to"))) {
    auto target = discussions_.GetPost(c.viewer, PostId{*r});
    if (target.ok() && target->post.thread_id == *id) {
      form["reply_to"] = std::to_string(*r);
      form["reply_to_author"] = target->author_name;
    }
  }
  form["body"] = MarkdownField("Your reply", text, "", "");
  // The library's choices cost queries, so the page offers them on request.
  if (c.req.QueryParam("attach") == "1") {
    AddAttachChoices(c, page->group.listing.group.slug, {}, nullptr, form);
  } else if (c.session) {
    form["offer_attach"] = "/threads/" + std::to_string(id->value) + "?attach=1#field-resource_ids";
  }
  return RenderThread(*page, c, std::move(form), 200);
}

http::Response WebApp::ReplyForm(RequestContext& c) {
  auto id = PathId<ThreadId>(c);
  if (!id) return Fail(c, NotFoundError());
  if (!c.session)
    return Redirect("/signin?next=" +
                    text::PercentEncode("/threads/" + std::string(c.req.Param("id"))));
  std::string body = c.Field("body");
  PostId reply_to;
  if (auto r = ParseId(c.Field("reply_to"))) reply_to = PostId{*r};
  bool preview = !c.Field("preview").empty();
  app::Attachments attach;
  attach.resource_ids = AttachedIds(c);
  std::optional<app::NewResource> upload = AttachedUpload(c);
  Error error;
  bool failed = false;
  std::string preview_html;
  if (preview) {
    auto html = app::PreviewMarkdown(body);
    if (html.ok())
      preview_html = *html;
    else {
      error = html.error();
      failed = true;
    }
  } else {
    const std::string key = c.Field("idempotency_key");
    auto created =
        upload ? resources_.ReplySharing(c.viewer, *id, body, reply_to, attach, *std::move(upload),
                                         PostVia::kWeb, key)
               : discussions_.Reply(c.viewer, *id, body, reply_to, PostVia::kWeb, key, attach);
    if (created.ok()) {
      std::string pid = std::to_string(created->post.value);
      return Redirect("/posts/" + pid + "?notice=replied");
    }
    error = created.error();
    if (!IsFormError(error)) return Fail(c, error);
    failed = true;
  }
  auto page = discussions_.GetThread(c.viewer, *id, PostId{});
  if (!page.ok()) return Fail(c, page.error());
  Data form;
  if (reply_to.valid()) form["reply_to"] = std::to_string(reply_to.value);
  const bool body_error = failed && (error.field.empty() || error.field == "body");
  form["body"] = MarkdownField("Your reply", body, body_error ? error.message : "", preview_html);
  form["idempotency_key"] = c.Field("idempotency_key");
  // The library's choices again when they were on the form.
  if (!attach.resource_ids.empty() || c.upload || c.req.ContentType() == "multipart/form-data") {
    AddAttachChoices(c, page->group.listing.group.slug, attach.resource_ids,
                     failed ? &error : nullptr, form);
  }
  if (failed) AddError(form, error, "body");
  int status = failed ? http::StatusFor(error.kind) : 200;
  return RenderThread(*page, c, std::move(form), status);
}

std::shared_ptr<const PagePieces> WebApp::PiecesFor(const app::ThreadPage& page, TimePoint now) {
  // Everything but the time and the actions depends only on the posts (and
  // the answer flags), all covered by the thread's versions: render it once
  // per version for every viewer. The page's posts are named by the thread,
  // its opening post and answer, and the first and last reply shown.
  const store::ContentVersion version =
      page.contents ? page.contents->version : store::ContentVersion();
  std::string key;
  if (version.valid()) {
    auto add = [&key](int64_t v) {
      key += std::to_string(v);
      key += ':';
    };
    key.reserve(64);
    add(page.thread.thread.id.value);
    add(page.opening.view->post.id.value);
    add(page.answer ? page.answer->view->post.id.value : 0);
    add(page.replies.empty() ? 0 : page.replies.front().view->post.id.value);
    add(page.replies.empty() ? 0 : page.replies.back().view->post.id.value);
    add(static_cast<int64_t>(page.replies.size()));
    if (auto hit = page_pieces_.Find(key, version)) return hit;
  }
  auto made = std::make_shared<PagePieces>();
  made->posts.reserve(page.replies.size() + 2);
  made->posts.push_back(RenderPieces(*page.opening.view, false, false, now));
  if (page.answer) made->posts.push_back(RenderPieces(*page.answer->view, true, true, now));
  for (const app::PostItem& it : page.replies) {
    const bool is_answer = page.answer && page.answer->view->post.id == it.view->post.id;
    made->posts.push_back(RenderPieces(*it.view, is_answer, false, now));
  }
  if (version.valid()) {
    size_t bytes = sizeof(PagePieces);
    for (const auto& pieces : made->posts) {
      if (!pieces) continue;
      // Plus an allowance for the action variants requests add later.
      bytes += sizeof(PostPieces) + 1024;
      for (const std::string& part : pieces->parts) bytes += part.capacity();
    }
    page_pieces_.Keep(key, version, made, bytes);
  }
  return made;
}

void WebApp::AppendPost(const app::PostItem& it, const PostPieces* pieces, std::string_view csrf,
                        TimePoint now, bool is_answer, bool in_answer_section, std::string* out) {
  const store::PostView& v = *it.view;
  if (!pieces) {
    Data d = SharedPostData(v, is_answer, in_answer_section);
    d["time"] = TimeData(v.post.created_at, now);
    if (!v.post.deleted) {
      d["actions"] = Templates::Fragment("post_actions", PostActionsData(it, !csrf.empty()));
    }
    *out += Templates::Render("post", d);
    return;
  }
  char ago[kMaxDateText];  // plain words and digits: nothing to escape
  const size_t ago_size = WriteAgo(v.post.created_at, now, ago);
  // The actions are a few hundred bytes; one reserve covers them. Growth
  // stays geometric: `out` may hold the posts before this one.
  const size_t needed = out->size() + pieces->parts[0].size() + ago_size + pieces->parts[1].size() +
                        pieces->parts[2].size() + 2048;
  if (needed > out->capacity()) out->reserve(std::max(needed, 2 * out->capacity()));
  *out += pieces->parts[0];
  out->append(ago, ago_size);
  *out += pieces->parts[1];
  if (pieces->has_actions) {
    AppendActions(*pieces, it, !csrf.empty(), out);
    *out += pieces->parts[2];
  }
}

http::Response WebApp::RenderThread(const app::ThreadPage& page, const RequestContext& c,
                                    Data reply_form, int status) {
  TimePoint now = ctx_.Now();
  const Thread& t = page.thread.thread;
  std::string_view csrf = c.Csrf();
  Data d = Data::Object(26);  // as many as a thread can have
  d["id"] = std::to_string(t.id.value);
  d["title"] = Data::Borrow(t.title);
  d["kind"] = Data::Borrow(KindLabel(t.kind));
  d["group"] = Data::Borrow(page.group.listing.group.name);
  d["slug"] = Data::Borrow(page.group.listing.group.slug);
  d["author"] = Data::Borrow(page.thread.author_name);
  d["time"] = TimeData(t.created_at, now);
  d["csrf"] = Data::Borrow(csrf);
  if (t.pinned) d["pinned"] = true;
  if (t.locked) d["locked"] = true;
  if (t.kind == ThreadKind::kQuestion)
    d[t.answered() ? ViewKey("answered") : ViewKey("unanswered")] = true;
  if (t.kind == ThreadKind::kStory) d["consent"] = Data::Borrow(ConsentLabel(t.consent));
  // Each post is a fragment: rendered with only its own data as context (no
  // name falls through to the thread's), straight into the page.
  const std::shared_ptr<const PagePieces> pieces = PiecesFor(page, now);
  size_t next_piece = 0;
  auto pieces_of_next = [&]() { return pieces->posts[next_piece++].get(); };
  std::string opening;
  AppendPost(page.opening, pieces_of_next(), csrf, now, false, false, &opening);
  d["opening_html"] = std::move(opening);
  if (page.answer) {
    std::string answer;
    AppendPost(*page.answer, pieces_of_next(), csrf, now, true, true, &answer);
    d["answer_html"] = std::move(answer);
  }
  // The replies, most of the page, are written straight into it when the
  // template prints them (Page renders before this function returns).
  struct Replies {
    WebApp* app;
    const app::ThreadPage* page;
    const PagePieces* pieces;
    size_t first_piece;
    std::string_view csrf;
    TimePoint now;
  } replies{this, &page, pieces.get(), next_piece, csrf, now};
  auto write_replies = [](const void* context, std::string* out) {
    const Replies& r = *static_cast<const Replies*>(context);
    size_t piece = r.first_piece;
    for (const app::PostItem& it : r.page->replies) {
      bool is_answer = r.page->answer && r.page->answer->view->post.id == it.view->post.id;
      r.app->AppendPost(it, r.pieces->posts[piece++].get(), r.csrf, r.now, is_answer, false, out);
    }
  };
  if (!page.replies.empty()) d["replies_html"] = Data::Writer(write_replies, &replies);
  d["reply_count"] = CountText(t.reply_count, "reply", "replies");
  if (page.replies.empty() && page.first_page) d["no_replies"] = true;
  if (page.next)
    d["next"] =
        "/threads/" + std::to_string(t.id.value) + "?after=" + std::to_string(page.next->value);
  if (!page.first_page) d["first"] = "/threads/" + std::to_string(t.id.value);
  if (page.can_moderate) d["can_moderate"] = true;
  if (page.can_follow) d[page.following ? ViewKey("following") : ViewKey("not_following")] = true;
  if (!page.follow_up.empty()) {
    Data people = Data::List(page.follow_up.size());
    for (const store::PostView& v : page.follow_up) {
      Data& p = people.AppendObject();
      p["post_id"] = std::to_string(v.post.id.value);
      p["name"] = Data::Borrow(v.author_name);
    }
    d["follow_up"] = std::move(people);
    d["has_follow_up"] = true;
  }
  if (page.can_reply.allowed) {
    reply_form["csrf"] = Data::Borrow(csrf);
    reply_form["thread_id"] = std::to_string(t.id.value);
    if (!reply_form.get("idempotency_key")) reply_form["idempotency_key"] = crypto::FormToken();
    d["reply_form"] = std::move(reply_form);
  } else if (c.session) {
    d["reply_refusal"] = Data::Borrow(page.reply_refusal);
  } else {
    d["sign_in_to_reply"] = "/signin?next=" + text::PercentEncode(c.req.path);
  }
  return Page(c, status, t.title + " — " + page.group.listing.group.name,
              Templates::Fragment("thread", std::move(d)));
}

http::Response WebApp::PostLink(RequestContext& c) {
  auto id = PathId<PostId>(c);
  if (!id) return Fail(c, NotFoundError());
  auto post = discussions_.GetPost(c.viewer, *id);
  if (!post.ok()) return Fail(c, post.error());
  std::string notice = c.req.QueryParam("notice");
  // Keyset pages start after a post id, so the page that starts just
  // before this post always contains it.
  return Redirect("/threads/" + std::to_string(post->post.thread_id.value) +
                  "?after=" + std::to_string(id->value - 1) +
                  (notice.empty() ? "" : "&notice=" + text::PercentEncode(notice)) + "#post-" +
                  std::to_string(id->value));
}

http::Response WebApp::EditPostPage(RequestContext& c) {
  auto id = PathId<PostId>(c);
  if (!id) return Fail(c, NotFoundError());
  if (!c.session) return Redirect("/signin?next=" + text::PercentEncode(c.req.path));
  auto post = discussions_.GetPost(c.viewer, *id);
  if (!post.ok()) return Fail(c, post.error());
  Data d = EditData(c, *id, post->post.thread_id, post->post.body_source, nullptr, "");
  return Page(c, 200, "Edit your post", Templates::Fragment("post_edit", std::move(d)));
}

http::Response WebApp::EditPostForm(RequestContext& c) {
  auto id = PathId<PostId>(c);
  if (!id) return Fail(c, NotFoundError());
  if (!c.session) return Redirect("/signin?next=" + text::PercentEncode(c.req.path));
  std::string body = c.Field("body");
  Error error;
  bool failed = false;
  std::string preview_html;
  if (!c.Field("preview").empty()) {
    auto html = app::PreviewMarkdown(body);
    if (html.ok())
      preview_html = *html;
    else {
      error = html.error();
      failed = true;
    }
  } else {
    auto saved = discussions_.EditPost(c.viewer, *id, body);
    if (saved.ok()) return Redirect("/posts/" + std::to_string(id->value) + "?notice=post_edited");
    error = saved.error();
    if (error.kind != ErrorKind::kInvalidInput && error.kind != ErrorKind::kTooLarge) {
      return Fail(c, error);
    }
    failed = true;
  }
  auto post = discussions_.GetPost(c.viewer, *id);
  if (!post.ok()) return Fail(c, post.error());
  Data d = EditData(c, *id, post->post.thread_id, body, failed ? &error : nullptr, preview_html);
  return Page(c, failed ? 400 : 200, std::string(failed ? "Error: " : "") + "Edit your post",
              Templates::Fragment("post_edit", std::move(d)));
}

http::Response WebApp::DeletePostPage(RequestContext& c) {
  auto id = PathId<PostId>(c);
  if (!id) return Fail(c, NotFoundError());
  if (!c.session) return Redirect("/signin?next=" + text::PercentEncode(c.req.path));
  auto post = discussions_.GetPost(c.viewer, *id);
  if (!post.ok()) return Fail(c, post.error());
  Data d;
  d["id"] = std::to_string(id->value);
  d["thread_id"] = std::to_string(post->post.thread_id.value);
  d["csrf"] = c.Csrf();
  d["body_html"] = post->post.body_html;
  return Page(c, 200, "Remove this post?", Templates::Fragment("post_delete", std::move(d)));
}

http::Response WebApp::DeletePostForm(RequestContext& c) {
  auto id = PathId<PostId>(c);
  if (!id) return Fail(c, NotFoundError());
  auto post = discussions_.GetPost(c.viewer, *id);
  if (!post.ok()) return Fail(c, post.error());
  Status s = discussions_.DeletePost(c.viewer, *id);
  if (!s.ok()) return Fail(c, s.error());
  return Redirect("/threads/" + std::to_string(post->post.thread_id.value) +
                  "?notice=post_removed");
}

http::Response WebApp::RevisionsPage(RequestContext& c) {
  auto id = PathId<PostId>(c);
  if (!id) return Fail(c, NotFoundError());
  auto post = discussions_.GetPost(c.viewer, *id);
  if (!post.ok()) return Fail(c, post.error());
  auto revs = discussions_.Revisions(c.viewer, *id);
  if (!revs.ok()) return Fail(c, revs.error());
  TimePoint now = ctx_.Now();
  Data d;
  d["id"] = std::to_string(id->value);
  d["author"] = post->author_name;
  d["current_html"] = post->post.body_html;
  Data list = Data::List(revs->size());
  for (auto it = revs->rbegin(); it != revs->rend(); ++it) {
    Data& r = list.AppendObject();
    r["body_html"] = it->body_html;
    r["time"] = TimeData(it->replaced_at, now);
  }
  if (list.list_value().empty()) d["none"] = true;
  d["revisions"] = std::move(list);
  return Page(c, 200, "Earlier versions of a post", Templates::Fragment("revisions", std::move(d)));
}

http::Response WebApp::RecommendForm(RequestContext& c) {
  auto id = PathId<PostId>(c);
  if (!id) return Fail(c, NotFoundError());
  if (!c.session)
    return Redirect("/signin?next=" + text::PercentEncode("/posts/" + std::to_string(id->value)));
  bool on = c.Field("on") != "0";
  auto count = discussions_.Recommend(c.viewer, *id, on);
  if (!count.ok()) return Fail(c, count.error());
  return Redirect("/posts/" + std::to_string(id->value) +
                  "?notice=" + (on ? "recommended" : "unrecommended"));
}

http::Response WebApp::AnswerForm(RequestContext& c) {
  auto id = PathId<ThreadId>(c);
  auto post = ParseId(c.Field("post_id"));
  if (!id || !post) return Fail(c, NotFoundError());
  Status s = discussions_.AcceptAnswer(c.viewer, *id, PostId{*post});
  if (!s.ok()) return Fail(c, s.error());
  return Redirect("/threads/" + std::to_string(id->value) + "?notice=answer_accepted");
}

// Follow, pin and lock: a form with on=1|0 that flips one thread setting
// and comes back to the thread with a notice saying what changed.
http::Response WebApp::ThreadSwitch(RequestContext& c,
                                    Status (app::DiscussionsService::*set)(const app::Viewer&,
                                                                           ThreadId, bool),
                                    const char* on_notice, const char* off_notice) {
  auto id = PathId<ThreadId>(c);
  if (!id) return Fail(c, NotFoundError());
  bool on = c.Field("on") != "0";
  Status s = (discussions_.*set)(c.viewer, *id, on);
  if (!s.ok()) return Fail(c, s.error());
  return Redirect("/threads/" + std::to_string(id->value) +
                  "?notice=" + (on ? on_notice : off_notice));
}

http::Response WebApp::FollowForm(RequestContext& c) {
  return ThreadSwitch(c, &app::DiscussionsService::Follow, "following", "unfollowed");
}

http::Response WebApp::PinForm(RequestContext& c) {
  return ThreadSwitch(c, &app::DiscussionsService::SetPinned, "pinned", "unpinned");
}

http::Response WebApp::LockForm(RequestContext& c) {
  return ThreadSwitch(c, &app::DiscussionsService::SetLocked, "locked", "unlocked");
}

http::Response WebApp::RecommendedPage(RequestContext& c) {
  std::string slug(c.req.Param("slug"));
  auto g = groups_.Get(c.viewer, slug);
  if (!g.ok()) return Fail(c, g.error());
  auto posts = discussions_.MostRecommended(c.viewer, slug);
  if (!posts.ok()) return Fail(c, posts.error());
  TimePoint now = ctx_.Now();
  Data d;
  d["slug"] = slug;
  d["group"] = g->listing.group.name;
  Data list = Data::List(posts->size());
  for (const store::RecommendedPost& p : *posts) {
    Data& item = list.AppendObject();
    item["id"] = std::to_string(p.view.post.id.value);
    item["thread_title"] = p.thread_title;
    item["author"] = p.view.author_name;
    item["body_html"] = p.view.post.body_html;
    item["count"] = CountText(p.view.post.recommend_count, "recommendation", "recommendations");
    item["time"] = TimeData(p.view.post.created_at, now);
  }
  if (list.list_value().empty()) d["empty"] = true;
  d["posts"] = std::move(list);
  return Page(c, 200, "Most recommended — " + g->listing.group.name,
              Templates::Fragment("recommended", std::move(d)));
}

}  // namespace rt::web
