// Resource pages: a group's library, the share form, a resource's page with
// its actions and discussion, and the permission-checked file routes.
#include <cstdio>

#include "core/crypto.h"
#include "domain/resources/resource.h"
#include "http/error_status.h"
#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

// A visitor who posts one of a resource page's forms: sign in, then back
// to the page.
http::Response SignInThenBackTo(ResourceId id) {
  return Redirect("/signin?next=" + text::PercentEncode("/resources/" + std::to_string(id.value)));
}

std::optional<ResourceId> PathResourceId(const RequestContext& c) {
  auto v = ParseId(c.req.Param("id"));
  if (!v) return std::nullopt;
  return ResourceId{*v};
}

Error NoSuchResource() {
  return MakeError(ErrorKind::kNotFound, "not_found",
                   "We could not find that resource.");
}

// The host of a link, for lists ("example.org").
std::string HostOf(std::string_view url) {
  size_t start = url.find("://");
  start = start == std::string_view::npos ? 0 : start + 3;
  size_t end = url.find_first_of("/?#", start);
  std::string_view host = url.substr(
      start, end == std::string_view::npos ? url.size() - start : end - start);
  size_t at = host.rfind('@');
  if (at != std::string_view::npos) host = host.substr(at + 1);
  return std::string(host);
}

void AddTags(Data& d, const std::vector<std::string>& tags) {
  Data list = Data::List(tags.size());
  for (const std::string& t : tags) {
    Data& td = list.AppendObject();
    td["tag"] = t;
    td["encoded"] = text::PercentEncode(t);
  }
  if (!tags.empty()) d["has_tags"] = true;
  d["tags"] = std::move(list);
}

// The error summary and the message beside the field `e` names.
void AddFieldError(Data& d, const Error& e) {
  std::string field = e.field.empty() ? "title" : e.field;
  Data errors = Data::List(1);
  Data& item = errors.AppendObject();
  item["message"] = e.message;
  item["href"] = "#field-" + field;
  d["has_errors"] = true;
  d["errors"] = std::move(errors);
  if (field == "kind") d["kind_error"] = e.message;
  if (field == "file") d["file_error"] = e.message;
  if (field == "url") d["url_error"] = e.message;
  if (field == "title") d["title_error"] = e.message;
  if (field == "description") d["description_error"] = e.message;
  if (field == "license") d["license_error"] = e.message;
  if (field == "tags") d["tags_error"] = e.message;
}

}  // namespace

app::NewResource WebApp::ResourceInput(RequestContext& c) {
  app::NewResource in;
  in.kind = c.Field("kind");
  in.title = c.Field("title");
  in.description = c.Field("description");
  in.license = c.Field("license");
  in.tags = c.Field("tags");
  in.url = c.Field("url");
  if (c.upload) {
    in.file =
        app::UploadInput{c.upload->path, c.upload->file_name, c.upload->size};
  }
  return in;
}

void WebApp::AddAttachChoices(const RequestContext& c, const std::string& slug,
                              const std::vector<ResourceId>& selected, const Error* error,
                              Data& form) {
  auto page = resources_.List(c.viewer, slug, "", ResourceId{});
  // Attaching is optional: without a readable library the form goes on.
  if (!page.ok() || !page->can_share) return;
  Data attach;
  attach["slug"] = slug;
  attach["group"] = page->group.name;
  attach["max"] = std::to_string(app::kMaxAttachments);
  attach["max_mb"] = std::to_string(resources_.limits().max_file_bytes / (1024 * 1024));
  attach["attachment_title"] = c.Field("attachment_title");
  if (!page->resources.empty()) {
    Data choices = Data::List(page->resources.size());
    for (const store::ResourceListing& l : page->resources) {
      Data& cd = choices.AppendObject();
      const Resource& r = l.resource;
      cd["id"] = std::to_string(r.id.value);
      cd["title"] = r.title;
      cd["label"] = r.kind == ResourceKind::kLink
                        ? std::string("Link")
                        : TypeLabel(r.file_type) + ", " + SizeText(r.file_size);
      if (std::find(selected.begin(), selected.end(), r.id) != selected.end()) {
        cd["checked"] = true;
      }
    }
    attach["choices"] = std::move(choices);
    attach["has_choices"] = true;
  }
  if (error != nullptr) {
    if (error->field == "resource_ids") attach["attach_error"] = error->message;
    if (error->field == "file") attach["file_error"] = error->message;
    if (error->field == "attachment_title") {
      attach["attachment_title_error"] = error->message;
    }
  }
  form["attach"] = std::move(attach);
}

std::vector<ResourceId> WebApp::AttachedIds(const RequestContext& c) {
  std::vector<ResourceId> ids;
  for (const auto& [k, v] : c.form) {
    if (k != "resource_ids") continue;
    // Far more than a post may attach is not worth reading; the use case
    // refuses more than kMaxAttachments.
    if (ids.size() > 100) break;
    // A value that is not an id cannot name a resource: it is refused as one.
    auto id = ParseId(v);
    ids.push_back(ResourceId{id ? *id : 0});
  }
  return ids;
}

std::optional<app::NewResource> WebApp::AttachedUpload(RequestContext& c) {
  // A form sent with no file chosen has an empty file part.
  if (!c.upload || c.upload->size == 0) return std::nullopt;
  app::NewResource in;
  in.kind = "file";
  in.title = c.Field("attachment_title");
  in.file = app::UploadInput{c.upload->path, c.upload->file_name, c.upload->size};
  return in;
}

http::Response WebApp::LibraryPage(RequestContext& c) {
  std::string slug(c.req.Param("slug"));
  ResourceId before;
  if (std::string b = c.req.QueryParam("before"); !b.empty()) {
    auto v = ParseId(b);
    if (!v) {
      return Fail(
          c,
          MakeError(
              ErrorKind::kInvalidInput, "invalid_cursor",
              "That page link is not valid. Start again from the first page."));
    }
    before = ResourceId{*v};
  }
  auto page = resources_.List(c.viewer, slug, c.req.QueryParam("tag"), before);
  if (!page.ok()) return Fail(c, page.error());
  const TimePoint now = ctx_.Now();
  Data d;
  d["slug"] = page->group.slug;
  d["name"] = page->group.name;
  d["heading"] = "Resources of " + page->group.name;
  if (page->can_share) d["can_share"] = true;
  if (!page->share_refusal.empty()) d["share_refusal"] = page->share_refusal;
  std::string tag_query;
  if (!page->tag.empty()) {
    d["tag"] = page->tag;
    tag_query = "tag=" + text::PercentEncode(page->tag) + "&";
    d["list_heading"] = "Tagged “" + page->tag + "”";
  } else {
    d["list_heading"] = "Newest first";
  }
  Data tags = Data::List(page->tags.size());
  for (const store::TagCount& t : page->tags) {
    Data& td = tags.AppendObject();
    td["tag"] = t.tag;
    td["encoded"] = text::PercentEncode(t.tag);
    td["count"] = std::to_string(t.count);
    if (t.tag == page->tag) td["current"] = true;
  }
  if (!page->tags.empty()) d["has_tags"] = true;
  d["tags"] = std::move(tags);
  Data list = Data::List(page->resources.size());
  for (const store::ResourceListing& l : page->resources) {
    const Resource& r = l.resource;
    Data& rd = list.AppendObject();
    rd["id"] = std::to_string(r.id.value);
    rd["slug"] = page->group.slug;
    rd["title"] = r.title;
    rd["shared_by"] = l.shared_by_name;
    rd["time"] = TimeData(r.created_at, now);
    rd["license"] = LicenseShortName(r.license);
    rd["what"] = r.kind == ResourceKind::kLink
                     ? "Link to " + HostOf(r.url)
                     : TypeLabel(r.file_type) + ", " + SizeText(r.file_size);
    if (r.recommend_count > 0) {
      rd["recommendations"] =
          CountText(r.recommend_count, "recommendation", "recommendations");
    }
    if (resources::IsStale(r.last_checked_at, now)) rd["stale"] = true;
    AddTags(rd, r.tags);
  }
  if (page->resources.empty()) {
    d["empty"] =
        page->tag.empty()
            ? std::string("Nothing has been shared yet.") +
                  (page->can_share ? " Share the first file or link." : "")
            : "Nothing is tagged “" + page->tag + "”.";
  }
  d["resources"] = std::move(list);
  const std::string base = "/groups/" + slug + "/resources";
  if (page->next) {
    d["next"] =
        base + "?" + tag_query + "before=" + std::to_string(page->next->value);
  }
  if (before.valid()) {
    d["first"] = page->tag.empty()
                     ? base
                     : base + "?" + tag_query.substr(0, tag_query.size() - 1);
  }
  std::string title = "Resources — " + page->group.name;
  if (!page->tag.empty()) title = "Tagged " + page->tag + " — " + title;
  return Page(c, 200, title, Templates::Fragment("resources", std::move(d)));
}

namespace {

// The share form's data; `in` keeps what was typed, `error` goes beside its
// field.
Data ShareFormData(const RequestContext& c, const Group& g,
                   const app::NewResource& in, const std::string& kind,
                   int64_t max_bytes, const Error* error) {
  Data d;
  d["slug"] = g.slug;
  d["group"] = g.name;
  d["csrf"] = c.Csrf();
  // A double-clicked or resent form shares once (app/idempotency.h).
  std::string key = c.Field("idempotency_key");
  d["idempotency_key"] = key.empty() ? crypto::FormToken() : key;
  d["max_mb"] = std::to_string(max_bytes / (1024 * 1024));
  if (kind == "link") {
    d["kind_link"] = true;
  } else {
    d["kind_file"] = true;
  }
  d["url_value"] = in.url;
  d["title_value"] = in.title;
  d["description_value"] = in.description;
  d["tags_value"] = in.tags;
  const std::string chosen =
      in.license.empty() ? "all-rights-reserved" : in.license;
  Data licenses = Data::List(AllLicenses().size());
  for (License l : AllLicenses()) {
    Data& ld = licenses.AppendObject();
    ld["code"] = ToString(l);
    ld["label"] = LicenseLabel(l);
    if (ToString(l) == chosen) ld["selected"] = true;
  }
  d["licenses"] = std::move(licenses);
  if (error) AddFieldError(d, *error);
  return d;
}

}  // namespace

http::Response WebApp::ShareResourcePage(RequestContext& c) {
  std::string slug(c.req.Param("slug"));
  if (!c.session)
    return Redirect("/signin?next=" + text::PercentEncode(c.req.target));
  auto page = resources_.List(c.viewer, slug, "", ResourceId{});
  if (!page.ok()) return Fail(c, page.error());
  if (!page->can_share) {
    return Fail(c, MakeError(ErrorKind::kForbidden, "cannot_share",
                             page->share_refusal));
  }
  std::string kind = c.req.QueryParam("kind") == "link" ? "link" : "file";
  return Page(c, 200, "Share a resource — " + page->group.name,
              Templates::Fragment(
                  "resource_new",
                  ShareFormData(c, page->group, app::NewResource{}, kind,
                                resources_.limits().max_file_bytes, nullptr)));
}

http::Response WebApp::ShareResourceForm(RequestContext& c) {
  std::string slug(c.req.Param("slug"));
  if (!c.session)
    return Redirect("/signin?next=" + text::PercentEncode(c.req.path));
  app::NewResource in = ResourceInput(c);
  auto shared = resources_.Share(c.viewer, slug, in, c.Field("idempotency_key"));
  if (shared.ok()) {
    return Redirect("/resources/" + std::to_string(shared->resource.id.value) +
                    "?notice=resource_shared");
  }
  const Error& e = shared.error();
  const bool field_error = !e.field.empty() && e.kind != ErrorKind::kNotFound &&
                           e.kind != ErrorKind::kUnauthenticated;
  if (!field_error) return Fail(c, e);
  auto page = resources_.List(c.viewer, slug, "", ResourceId{});
  if (!page.ok()) return Fail(c, page.error());
  std::string kind =
      in.kind == "link" || (in.kind.empty() && !in.file) ? "link" : "file";
  return Page(c, http::StatusFor(e.kind),
              "Error: Share a resource — " + page->group.name,
              Templates::Fragment(
                  "resource_new",
                  ShareFormData(c, page->group, in, kind,
                                resources_.limits().max_file_bytes, &e)));
}

http::Response WebApp::RenderResource(const RequestContext& c,
                                      const app::ResourcePage& p,
                                      Data discussion, int status) {
  const Resource& r = p.item.resource;
  const TimePoint now = ctx_.Now();
  Data d = std::move(discussion);
  d["id"] = std::to_string(r.id.value);
  d["slug"] = p.group.slug;
  d["group"] = p.group.name;
  d["title"] = r.title;
  d["csrf"] = c.Csrf();
  if (p.stale) d["stale"] = true;
  if (r.kind == ResourceKind::kLink) {
    Data link;
    link["url"] = r.url;
    d["link"] = std::move(link);
  } else {
    Data file;
    file["id"] = std::to_string(r.id.value);
    file["title"] = r.title;
    file["file_name"] = r.file_name;
    file["type_label"] = TypeLabel(r.file_type);
    file["size"] = SizeText(r.file_size);
    if (p.previewable) {
      Data preview;
      if (r.image_width > 0) {
        preview["width"] = std::to_string(r.image_width);
        preview["height"] = std::to_string(r.image_height);
      }
      file["preview"] = std::move(preview);
    }
    d["file"] = std::move(file);
  }
  if (!r.description_html.empty())
    d["description_html"] = Data::Borrow(r.description_html);
  d["shared_by"] = p.item.shared_by_name;
  d["time"] = TimeData(r.created_at, now);
  d["license"] = LicenseShortName(r.license);
  if (!LicenseUrl(r.license).empty()) d["license_url"] = LicenseUrl(r.license);
  AddTags(d, r.tags);
  d["checked"] = Date::FromTime(r.last_checked_at).Long();
  d["recommendations"] = CountText(r.recommend_count, "person", "people");
  if (p.can_recommend) d["can_recommend"] = true;
  if (p.recommended) d["recommended"] = true;
  if (p.can_confirm) d["can_confirm"] = true;
  if (p.can_delete) d["can_delete"] = true;
  if (p.can_discuss) d["can_discuss"] = true;
  if (r.thread_id.valid()) d["thread_id"] = std::to_string(r.thread_id.value);
  // Posts that attach it ("Attached in"): the list is a courtesy, so a
  // failure to read it leaves the page as it is.
  auto attached = resources_.Discussions(c.viewer, r.id);
  if (attached.ok() && !attached->empty()) {
    Data list = Data::List(attached->size());
    for (const store::ResourceDiscussion& x : *attached) {
      Data& item = list.AppendObject();
      item["thread_id"] = std::to_string(x.thread.value);
      item["post_id"] = std::to_string(x.post.value);
      item["title"] = x.title;
      item["time"] = TimeData(x.posted_at, now);
    }
    d["attached_in"] = std::move(list);
    d["has_attached_in"] = true;
  }
  std::string title = r.title + " — Resources — " + p.group.name;
  if (status != 200) title = "Error: " + title;
  return Page(c, status, title, Templates::Fragment("resource", std::move(d)));
}

namespace {

Data CommentField(const std::string& value, const std::string& error) {
  Data d;
  d["label"] = "Your comment";
  d["value"] = value;
  if (!error.empty()) d["error"] = error;
  return d;
}

}  // namespace

http::Response WebApp::ResourcePage(RequestContext& c) {
  auto id = PathResourceId(c);
  if (!id) return Fail(c, NoSuchResource());
  auto p = resources_.Get(c.viewer, *id);
  if (!p.ok()) return Fail(c, p.error());
  Data d;
  d["body"] = CommentField("", "");
  return RenderResource(c, *p, std::move(d), 200);
}

http::Response WebApp::SendResourceFile(const RequestContext& c, bool preview) {
  auto id = PathResourceId(c);
  if (!id) return Fail(c, NoSuchResource());
  auto f = resources_.File(c.viewer, *id, preview);
  if (!f.ok()) return Fail(c, f.error());
  http::Response r;
  r.body_file = f->path;
  r.SetHeader("Content-Type", f->type);
  r.SetHeader("X-Content-Type-Options", "nosniff");
  r.SetHeader("Cache-Control", "private, no-store");
  if (preview) {
    r.SetHeader("Content-Disposition", "inline");
    // Even opened on its own, an image may run nothing.
    r.SetHeader("Content-Security-Policy", "default-src 'none'; sandbox");
  } else {
    // RFC 6266: an ASCII fallback, and the real name in UTF-8 (filename*).
    std::string fallback;
    for (char ch : f->file_name) {
      unsigned char u = static_cast<unsigned char>(ch);
      fallback +=
          (u < 0x20 || u >= 0x7f || ch == '"' || ch == '\\' || ch == '%') ? '_'
                                                                          : ch;
    }
    r.SetHeader("Content-Disposition", "attachment; filename=\"" + fallback +
                                           "\"; filename*=UTF-8''" +
                                           text::PercentEncode(f->file_name));
    r.SetHeader("Content-Security-Policy", "default-src 'none'; sandbox");
  }
  return r;
}

http::Response WebApp::ResourceFile(RequestContext& c) {
  return SendResourceFile(c, false);
}
http::Response WebApp::ResourcePreview(RequestContext& c) {
  return SendResourceFile(c, true);
}

http::Response WebApp::RecommendResourceForm(RequestContext& c) {
  auto id = PathResourceId(c);
  if (!id) return Fail(c, NoSuchResource());
  if (!c.session) return SignInThenBackTo(*id);
  const bool on = c.Field("on") != "0";
  auto n = resources_.Recommend(c.viewer, *id, on);
  if (!n.ok()) return Fail(c, n.error());
  return Redirect("/resources/" + std::to_string(id->value) + "?notice=" +
                  (on ? "resource_recommended" : "resource_unrecommended"));
}

http::Response WebApp::ConfirmResourceForm(RequestContext& c) {
  auto id = PathResourceId(c);
  if (!id) return Fail(c, NoSuchResource());
  if (!c.session) return SignInThenBackTo(*id);
  Status s = resources_.Confirm(c.viewer, *id);
  if (!s.ok()) return Fail(c, s.error());
  return Redirect("/resources/" + std::to_string(id->value) +
                  "?notice=resource_confirmed");
}

http::Response WebApp::DeleteResourceForm(RequestContext& c) {
  auto id = PathResourceId(c);
  if (!id) return Fail(c, NoSuchResource());
  if (!c.session) return SignInThenBackTo(*id);
  auto p = resources_.Get(c.viewer, *id);
  if (!p.ok()) return Fail(c, p.error());
  Status s = resources_.Delete(c.viewer, *id);
  if (!s.ok()) return Fail(c, s.error());
  return Redirect("/groups/" + p->group.slug +
                  "/resources?notice=resource_removed");
}

http::Response WebApp::DiscussResourceForm(RequestContext& c) {
  auto id = PathResourceId(c);
  if (!id) return Fail(c, NoSuchResource());
  if (!c.session) return SignInThenBackTo(*id);
  std::string body = c.Field("body");
  auto created = resources_.Discuss(c.viewer, *id, body);
  if (created.ok()) {
    return Redirect("/threads/" + std::to_string(created->thread.value) +
                    "?notice=replied");
  }
  const Error& e = created.error();
  if (e.field.empty()) return Fail(c, e);
  auto p = resources_.Get(c.viewer, *id);
  if (!p.ok()) return Fail(c, p.error());
  Data d;
  d["body"] = CommentField(body, e.message);
  Data errors = Data::List(1);
  Data& item = errors.AppendObject();
  item["message"] = e.message;
  item["href"] = "#field-body";
  d["has_errors"] = true;
  d["errors"] = std::move(errors);
  return RenderResource(c, *p, std::move(d), http::StatusFor(e.kind));
}

}  // namespace rt::web
