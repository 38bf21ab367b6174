// Feedback to the staff liaison: the form on every group, the inbox (the
// whole group's for staff, one's own for members), an item with its
// replies, and the "you said, we did" summary form.
#include "core/crypto.h"
#include "domain/discussions/markdown.h"
#include "http/error_status.h"
#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

// How much of an item's text its row in a list shows.
constexpr size_t kRowExcerptBytes = 90;

std::string Excerpt(std::string_view text, size_t max_bytes) {
  std::string one;
  one.reserve(std::min(text.size(), max_bytes + 4));
  for (char ch : text) {
    if (one.size() >= max_bytes) break;
    one += (ch == '\n' || ch == '\r' || ch == '\t') ? ' ' : ch;
  }
  size_t end = one.size();
  // Back up to the first byte of a code point that was cut.
  if (text.size() > max_bytes) {
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
      --end;
    one.resize(end);
    one += "…";
  }
  return one;
}

std::optional<FeedbackId> FeedbackIdOf(const RequestContext& c) {
  auto v = ParseId(c.req.Param("id"));
  if (!v) return std::nullopt;
  return FeedbackId{*v};
}

Error NotFound() {
  return MakeError(ErrorKind::kNotFound, "not_found",
                   "We could not find that feedback.");
}

// Adds an error summary entry for `e` linking to its field (or `fallback`).
void AddSummaryError(Data& d, Data& errors, const Error& e,
                     std::string_view fallback) {
  Data& item = errors.AppendObject();
  item["message"] = e.message;
  item["href"] =
      "#field-" + (e.field.empty() ? std::string(fallback) : e.field);
  d["has_errors"] = true;
}

Data StatusOptions(std::optional<FeedbackStatus> selected, bool with_all) {
  Data list = Data::List(kFeedbackStatuses.size() + 1);
  if (with_all) {
    Data& o = list.AppendObject();
    o["value"] = "";
    o["label"] = "All";
    if (!selected) o["selected"] = true;
  }
  for (FeedbackStatus s : kFeedbackStatuses) {
    Data& o = list.AppendObject();
    o["value"] = Data::Borrow(ToString(s));
    o["label"] = Data::Borrow(Label(s));
    if (selected == s) o["selected"] = true;
  }
  return list;
}

// The form to send feedback, with what was typed and what is wrong.
Data NewFeedbackData(const RequestContext& c, const app::GroupView& g,
                     const app::NewFeedback& in,
                     const std::string& idempotency_key, const Error* error) {
  Data d;
  d["slug"] = g.listing.group.slug;
  d["group"] = g.listing.group.name;
  d["csrf"] = c.Csrf();
  d["idempotency_key"] = idempotency_key;
  std::optional<FeedbackCategory> chosen = ParseFeedbackCategory(in.category);
  Data categories = Data::List(kFeedbackCategories.size());
  for (FeedbackCategory k : kFeedbackCategories) {
    Data& o = categories.AppendObject();
    o["value"] = Data::Borrow(ToString(k));
    o["label"] = Data::Borrow(Label(k));
    if (chosen == k) o["checked"] = true;
  }
  d["categories"] = std::move(categories);
  d["body"] = in.body;
  if (in.quote_consent) d["quote_consent"] = true;
  if (error != nullptr) {
    Data errors = Data::List();
    AddSummaryError(d, errors, *error, "body");
    if (error->field == "category") {
      d["category_error"] = error->message;
    } else {
      d["body_error"] = error->message;
    }
    d["errors"] = std::move(errors);
  }
  return d;
}

}  // namespace

http::Response WebApp::NewFeedbackPage(RequestContext& c) {
  std::string slug(c.req.Param("slug"));
  if (!c.session)
    return Redirect("/signin?next=" + text::PercentEncode(c.req.target));
  auto g = feedback_.SendForm(c.viewer, slug);
  if (!g.ok()) return Fail(c, g.error());
  return Page(c, 200, "Send feedback — " + g->listing.group.name,
              Templates::Fragment(
                  "feedback_new",
                  NewFeedbackData(c, *g, {}, crypto::FormToken(), nullptr)));
}

http::Response WebApp::SendFeedbackForm(RequestContext& c) {
  std::string slug(c.req.Param("slug"));
  if (!c.session)
    return Redirect("/signin?next=" + text::PercentEncode("/groups/" + slug));
  app::NewFeedback in{c.Field("category"), c.Field("body"),
                      c.Field("quote_consent") == "1"};
  auto sent = feedback_.Send(c.viewer, slug, in, c.Field("idempotency_key"));
  if (sent.ok()) {
    return Redirect("/feedback/" + std::to_string(sent->feedback.id.value) +
                    "?notice=feedback_sent");
  }
  const Error& e = sent.error();
  if (e.field.empty()) return Fail(c, e);
  auto g = feedback_.SendForm(c.viewer, slug);
  if (!g.ok()) return Fail(c, g.error());
  return Page(c, http::StatusFor(e.kind),
              "Error: Send feedback — " + g->listing.group.name,
              Templates::Fragment(
                  "feedback_new",
                  NewFeedbackData(c, *g, in, c.Field("idempotency_key"), &e)));
}

http::Response WebApp::FeedbackInboxPage(RequestContext& c) {
  std::string slug(c.req.Param("slug"));
  if (!c.session)
    return Redirect("/signin?next=" + text::PercentEncode(c.req.target));
  FeedbackId before;
  if (std::string a = c.req.QueryParam("after"); !a.empty()) {
    auto v = ParseId(a);
    if (!v) {
      return Fail(
          c,
          MakeError(
              ErrorKind::kInvalidInput, "invalid_cursor",
              "That page link is not valid. Start again from the first page.",
              "after"));
    }
    before = FeedbackId{*v};
  }
  std::string status = c.req.QueryParam("status");
  auto page = feedback_.List(c.viewer, slug, status, before);
  if (!page.ok()) return Fail(c, page.error());
  TimePoint now = ctx_.Now();
  const Group& grp = page->group.listing.group;
  Data d;
  d["slug"] = grp.slug;
  d["group"] = grp.name;
  d["heading"] = page->staff ? "Feedback inbox" : "Your feedback to the staff";
  if (page->staff) d["staff"] = true;
  if (page->group.send_feedback.allowed && !page->staff) d["can_send"] = true;
  d["statuses"] = StatusOptions(page->status, /*with_all=*/true);
  Data items = Data::List(page->items.size());
  for (const store::FeedbackView& v : page->items) {
    Data& it = items.AppendObject();
    it["id"] = std::to_string(v.feedback.id.value);
    it["category"] = Data::Borrow(Label(v.feedback.category));
    it["excerpt"] = Excerpt(v.feedback.body, kRowExcerptBytes);
    it["status"] = Data::Borrow(Label(v.feedback.status));
    if (page->staff) {
      it["author"] = v.author_name.empty() ? std::string("a former member")
                                           : v.author_name;
      if (!v.liaison_name.empty()) it["liaison"] = Data::Borrow(v.liaison_name);
    }
    it["replies"] = CountText(v.reply_count, "reply", "replies");
    it["time"] = TimeData(v.feedback.created_at, now);
  }
  d["items"] = std::move(items);
  if (page->items.empty()) {
    std::string empty;
    if (page->status) {
      empty = "No feedback has the status “" +
              std::string(Label(*page->status)) + "”.";
    } else if (page->staff) {
      empty = "No feedback yet. When members send some, it appears here.";
    } else {
      empty = "You have not sent feedback to this group yet.";
    }
    d["empty"] = empty;
  }
  std::string filter =
      page->status ? "&status=" + std::string(ToString(*page->status)) : "";
  if (page->next) {
    d["next"] = "/groups/" + grp.slug +
                "/feedback?after=" + std::to_string(page->next->value) + filter;
  }
  if (before.valid()) {
    d["first"] = "/groups/" + grp.slug + "/feedback" +
                 (filter.empty() ? "" : "?" + filter.substr(1));
  }
  std::string title =
      (page->staff ? "Feedback inbox — " : "Your feedback — ") + grp.name;
  return Page(c, 200, title,
              Templates::Fragment("feedback_inbox", std::move(d)));
}

http::Response WebApp::RenderFeedback(const RequestContext& c,
                                      const app::FeedbackItem& item,
                                      const std::string& body,
                                      const Error* error, int status) {
  const store::FeedbackView& v = item.view;
  const Feedback& f = v.feedback;
  TimePoint now = ctx_.Now();
  Data d;
  d["id"] = std::to_string(f.id.value);
  d["slug"] = v.group_slug;
  d["group"] = v.group_name;
  d["list_label"] = item.staff ? "Feedback inbox" : "Your feedback";
  d["csrf"] = c.Csrf();
  d["category"] = Data::Borrow(Label(f.category));
  d["status"] = Data::Borrow(Label(f.status));
  d["author"] = item.is_author          ? std::string("You")
                : v.author_name.empty() ? std::string("A former member")
                                        : v.author_name;
  d["time"] = TimeData(f.created_at, now);
  if (!v.liaison_name.empty()) d["liaison"] = v.liaison_name;
  if (f.quote_consent) d["quote_consent"] = true;
  if (f.summary_thread.valid()) {
    d["summary_href"] = "/threads/" + std::to_string(f.summary_thread.value);
  }
  d["body_html"] = markdown::Render(f.body);
  Data replies = Data::List(item.replies.size());
  for (const store::FeedbackReplyView& r : item.replies) {
    Data& rd = replies.AppendObject();
    rd["id"] = std::to_string(r.reply.id.value);
    rd["author"] =
        r.reply.author_id == f.author_id
            ? (item.is_author ? std::string("You") : r.author_name)
            : (r.author_name.empty() ? std::string("Staff") : r.author_name);
    if (r.reply.author_id != f.author_id) rd["staff_badge"] = true;
    rd["time"] = TimeData(r.reply.created_at, now);
    rd["body_html"] = markdown::Render(r.reply.body);
  }
  if (!item.replies.empty()) d["has_replies"] = true;
  d["replies"] = std::move(replies);
  if (item.can_reply) d["can_reply"] = true;
  d["reply_hint"] =
      item.staff
          ? "The author is told of your reply, in the site and by email."
          : "The staff are told of your reply. Only they and you can read "
            "it.";
  d["body"] = body;
  if (item.staff) {
    d["staff"] = true;
    d["statuses"] = StatusOptions(f.status, /*with_all=*/false);
    Data liaisons = Data::List(item.liaisons.size());
    for (const store::LiaisonName& l : item.liaisons) {
      Data& o = liaisons.AppendObject();
      o["value"] = std::to_string(l.id.value);
      o["label"] = l.name;
      if (l.id == f.liaison_id) o["selected"] = true;
    }
    if (!item.liaisons.empty()) d["has_liaisons"] = true;
    d["liaisons"] = std::move(liaisons);
  }
  if (item.is_author) d["is_author"] = true;
  if (error != nullptr) {
    Data errors = Data::List();
    AddSummaryError(d, errors, *error, "body");
    if (error->field == "status") {
      d["status_error"] = error->message;
    } else if (error->field == "liaison") {
      d["liaison_error"] = error->message;
    } else {
      d["body_error"] = error->message;
    }
    d["errors"] = std::move(errors);
  }
  std::string title = std::string(error != nullptr ? "Error: " : "") +
                      "Feedback: " + std::string(Label(f.category)) + " — " +
                      v.group_name;
  return Page(c, status, title,
              Templates::Fragment("feedback_item", std::move(d)));
}

http::Response WebApp::FeedbackPage(RequestContext& c) {
  auto id = FeedbackIdOf(c);
  if (!c.session)
    return Redirect("/signin?next=" + text::PercentEncode(c.req.target));
  if (!id) return Fail(c, NotFound());
  auto item = feedback_.Get(c.viewer, *id);
  if (!item.ok()) return Fail(c, item.error());
  return RenderFeedback(c, *item, "", nullptr, 200);
}

http::Response WebApp::FeedbackReplyForm(RequestContext& c) {
  auto id = FeedbackIdOf(c);
  if (!id) return Fail(c, NotFound());
  if (!c.session) {
    return Redirect(
        "/signin?next=" +
        text::PercentEncode("/feedback/" + std::to_string(id->value)));
  }
  std::string body = c.Field("body");
  auto reply = feedback_.Reply(c.viewer, *id, body);
  if (reply.ok()) {
    return Redirect("/feedback/" + std::to_string(id->value) +
                    "?notice=feedback_replied#reply-" +
                    std::to_string(reply->reply.id.value));
  }
  Error e = reply.error();
  if (e.field.empty()) return Fail(c, e);
  auto item = feedback_.Get(c.viewer, *id);
  if (!item.ok()) return Fail(c, item.error());
  return RenderFeedback(c, *item, body, &e, http::StatusFor(e.kind));
}

http::Response WebApp::FeedbackUpdateForm(RequestContext& c) {
  auto id = FeedbackIdOf(c);
  if (!id) return Fail(c, NotFound());
  const std::string here = "/feedback/" + std::to_string(id->value);
  if (!c.session) return Redirect("/signin?next=" + text::PercentEncode(here));
  // One form per change: status, liaison, or the author's consent (whose
  // unticked checkbox sends nothing, hence the "change" field).
  app::FeedbackChange change;
  const char* notice = "feedback_updated";
  if (c.Field("change") == "quote_consent") {
    change.quote_consent = c.Field("quote_consent") == "1";
    notice = "feedback_consent_saved";
  }
  for (const auto& [name, value] : c.form) {
    if (name == "status") change.status = value;
    if (name == "liaison") change.liaison = value;
  }
  auto item = feedback_.Update(c.viewer, *id, change);
  if (item.ok()) return Redirect(here + "?notice=" + notice);
  Error e = item.error();
  if (e.field.empty()) return Fail(c, e);
  auto current = feedback_.Get(c.viewer, *id);
  if (!current.ok()) return Fail(c, current.error());
  return RenderFeedback(c, *current, "", &e, http::StatusFor(e.kind));
}

namespace {

Data SummaryData(const RequestContext& c, const app::SummaryChoices& s,
                 const app::FeedbackSummary& in,
                 const std::string& idempotency_key, const Error* error) {
  Data d;
  const Group& g = s.group.listing.group;
  d["slug"] = g.slug;
  d["group"] = g.name;
  d["csrf"] = c.Csrf();
  d["idempotency_key"] = idempotency_key;
  d["title"] = in.title;
  d["body"] = in.body;
  Data items = Data::List(s.resolved.size());
  for (const store::FeedbackView& v : s.resolved) {
    Data& it = items.AppendObject();
    it["id"] = std::to_string(v.feedback.id.value);
    it["category"] = Data::Borrow(Label(v.feedback.category));
    it["excerpt"] = Excerpt(v.feedback.body, kRowExcerptBytes);
    it["credit"] = v.feedback.quote_consent && !v.author_name.empty()
                       ? "shown as " + v.author_name
                       : std::string("shown as “a member”");
    if (v.feedback.summary_thread.valid()) it["published"] = true;
    for (FeedbackId id : in.items) {
      if (id == v.feedback.id) it["checked"] = true;
    }
  }
  if (s.resolved.empty()) d["no_items"] = true;
  d["items"] = std::move(items);
  if (error != nullptr) {
    Data errors = Data::List();
    AddSummaryError(d, errors, *error, "body");
    if (error->field == "title") {
      d["title_error"] = error->message;
    } else if (error->field == "feedback_ids") {
      d["items_error"] = error->message;
    } else {
      d["body_error"] = error->message;
    }
    d["errors"] = std::move(errors);
  }
  return d;
}

}  // namespace

http::Response WebApp::FeedbackSummaryPage(RequestContext& c) {
  std::string slug(c.req.Param("slug"));
  if (!c.session)
    return Redirect("/signin?next=" + text::PercentEncode(c.req.target));
  auto s = feedback_.Choices(c.viewer, slug);
  if (!s.ok()) return Fail(c, s.error());
  app::FeedbackSummary in;
  in.title = "You said, we did";
  return Page(c, 200, "You said, we did — " + s->group.listing.group.name,
              Templates::Fragment(
                  "feedback_summary",
                  SummaryData(c, *s, in, crypto::FormToken(), nullptr)));
}

http::Response WebApp::FeedbackSummaryForm(RequestContext& c) {
  std::string slug(c.req.Param("slug"));
  if (!c.session)
    return Redirect("/signin?next=" + text::PercentEncode("/groups/" + slug));
  app::FeedbackSummary in;
  in.title = c.Field("title");
  in.body = c.Field("body");
  Error error;
  bool bad_id = false;
  for (const auto& [name, value] : c.form) {
    if (name != "feedback_ids") continue;
    auto v = ParseId(value);
    if (!v) {
      bad_id = true;
      continue;
    }
    in.items.push_back(FeedbackId{*v});
  }
  if (bad_id) {
    error = MakeError(ErrorKind::kInvalidInput, "invalid_field",
                      "Choose feedback from the list.", "feedback_ids");
  } else {
    auto created = feedback_.PublishSummary(c.viewer, slug, in,
                                            c.Field("idempotency_key"));
    if (created.ok()) {
      return Redirect("/threads/" + std::to_string(created->thread.value) +
                      "?notice=thread_started");
    }
    error = created.error();
    if (error.field.empty()) return Fail(c, error);
  }
  auto s = feedback_.Choices(c.viewer, slug);
  if (!s.ok()) return Fail(c, s.error());
  return Page(c, http::StatusFor(error.kind),
              "Error: You said, we did — " + s->group.listing.group.name,
              Templates::Fragment(
                  "feedback_summary",
                  SummaryData(c, *s, in, c.Field("idempotency_key"), &error)));
}

}  // namespace rt::web
