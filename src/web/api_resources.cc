// The resources JSON API: a group's library, sharing links (JSON) and files
// (multipart/form-data), a resource, its file, recommendations,
// confirmation, removal and its discussion.
#include "domain/resources/resource.h"
#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

Error NoSuchResource() {
  return MakeError(ErrorKind::kNotFound, "not_found",
                   "We could not find that resource.");
}

Error NotSignedIn() {
  return MakeError(ErrorKind::kUnauthenticated, "not_signed_in",
                   "Sign in first: send a bearer token or the session cookie.");
}

std::optional<ResourceId> PathResourceId(const RequestContext& c) {
  auto v = ParseId(c.req.Param("id"));
  if (!v) return std::nullopt;
  return ResourceId{*v};
}

// {"id","group","kind","title","description","description_html",
//  "license":{"code","name","url"},"tags","shared_by":{"id","name"},
//  "created_at","last_checked_at","stale","recommend_count","url",
//  "file":{"name","type","size","download_url","preview_url","width","height"}|null,
//  "thread_id","page_url"}
nlohmann::json ResourceJson(const store::ResourceListing& l,
                            const std::string& group_slug, TimePoint now,
                            bool previewable) {
  const Resource& r = l.resource;
  const std::string id = std::to_string(r.id.value);
  nlohmann::json file = nullptr;
  if (r.kind == ResourceKind::kFile) {
    file = {{"name", r.file_name},
            {"type", r.file_type},
            {"size", r.file_size},
            {"download_url", "/api/v1/resources/" + id + "/file"},
            {"preview_url",
             previewable ? nlohmann::json("/resources/" + id + "/preview")
                         : nlohmann::json(nullptr)},
            {"width", r.image_width > 0 ? nlohmann::json(r.image_width)
                                        : nlohmann::json(nullptr)},
            {"height", r.image_height > 0 ? nlohmann::json(r.image_height)
                                          : nlohmann::json(nullptr)}};
  }
  std::string_view license_url = LicenseUrl(r.license);
  return {
      {"id", r.id.value},
      {"group", group_slug},
      {"kind", ToString(r.kind)},
      {"title", r.title},
      {"description", r.description_source},
      {"description_html", r.description_html},
      {"license",
       {{"code", ToString(r.license)},
        {"name", LicenseShortName(r.license)},
        {"url", license_url.empty() ? nlohmann::json(nullptr)
                                    : nlohmann::json(license_url)}}},
      {"tags", r.tags},
      {"shared_by", {{"id", r.shared_by.value}, {"name", l.shared_by_name}}},
      {"created_at", FormatIsoTime(r.created_at)},
      {"last_checked_at", FormatIsoTime(r.last_checked_at)},
      {"stale", resources::IsStale(r.last_checked_at, now)},
      {"recommend_count", r.recommend_count},
      {"url", r.kind == ResourceKind::kLink ? nlohmann::json(r.url)
                                            : nlohmann::json(nullptr)},
      {"file", std::move(file)},
      {"thread_id", r.thread_id.valid() ? nlohmann::json(r.thread_id.value)
                                        : nlohmann::json(nullptr)},
      {"page_url", "/resources/" + id}};
}

nlohmann::json ResourcePageJson(const app::ResourcePage& p, TimePoint now) {
  nlohmann::json j = ResourceJson(p.item, p.group.slug, now, p.previewable);
  j["viewer"] = {{"can_recommend", p.can_recommend},
                 {"recommended", p.recommended},
                 {"can_confirm", p.can_confirm},
                 {"can_delete", p.can_delete},
                 {"can_discuss", p.can_discuss}};
  return j;
}

}  // namespace

http::Response WebApp::ApiResources(RequestContext& c) {
  ResourceId before;
  if (std::string b = c.req.QueryParam("cursor"); !b.empty()) {
    auto v = ParseId(b);
    if (!v) {
      return Fail(c, MakeError(ErrorKind::kInvalidInput, "invalid_cursor",
                               "The 'cursor' is not valid.", "cursor"));
    }
    before = ResourceId{*v};
  }
  auto page = resources_.List(c.viewer, std::string(c.req.Param("slug")),
                              c.req.QueryParam("tag"), before);
  if (!page.ok()) return Fail(c, page.error());
  const TimePoint now = ctx_.Now();
  nlohmann::json list = nlohmann::json::array();
  for (const store::ResourceListing& l : page->resources) {
    list.push_back(ResourceJson(l, page->group.slug, now, false));
  }
  nlohmann::json tags = nlohmann::json::array();
  for (const store::TagCount& t : page->tags)
    tags.push_back({{"tag", t.tag}, {"count", t.count}});
  return Json(
      200,
      {{"resources", std::move(list)},
       {"tags", std::move(tags)},
       {"next_cursor", page->next
                           ? nlohmann::json(std::to_string(page->next->value))
                           : nlohmann::json(nullptr)},
       {"viewer",
        {{"can_share", page->can_share}, {"message", page->share_refusal}}}});
}

http::Response WebApp::ApiShareResource(RequestContext& c) {
  if (!c.session) return Fail(c, NotSignedIn());
  app::NewResource in;
  if (c.req.ContentType() == "multipart/form-data") {
    in = ResourceInput(c);
    if (in.kind.empty()) in.kind = "file";
  } else {
    auto body = ParseJsonBody(c.req);
    if (!body.ok()) return Fail(c, body.error());
    for (const auto& [key, value] : body->items()) {
      if (key != "kind" && key != "title" && key != "url" &&
          key != "description" && key != "license" && key != "tags") {
        return Fail(c, MakeError(ErrorKind::kInvalidInput, "unknown_field",
                                 "The field '" + key +
                                     "' is not one this request takes.",
                                 key));
      }
    }
    for (auto [name, out] :
         {std::pair{"kind", &in.kind}, std::pair{"title", &in.title},
          std::pair{"url", &in.url}, std::pair{"description", &in.description},
          std::pair{"license", &in.license}}) {
      auto v = StringField(*body, name);
      if (!v.ok()) return Fail(c, v.error());
      *out = *v;
    }
    // Tags: a list of strings, or one comma-separated string.
    if (auto it = body->find("tags"); it != body->end() && !it->is_null()) {
      if (it->is_string()) {
        in.tags = it->get<std::string>();
      } else if (it->is_array() && it->size() <= 100) {
        for (const auto& t : *it) {
          if (!t.is_string()) {
            return Fail(c,
                        MakeError(ErrorKind::kInvalidInput, "invalid_field",
                                  "The field 'tags' must be a list of strings.",
                                  "tags"));
          }
          std::string tag = t.get<std::string>();
          if (tag.find(',') != std::string::npos) {
            return Fail(c, MakeError(ErrorKind::kInvalidInput, "invalid_tag",
                                     "A tag cannot contain a comma.", "tags"));
          }
          in.tags += (in.tags.empty() ? "" : ",") + tag;
        }
      } else {
        return Fail(c, MakeError(ErrorKind::kInvalidInput, "invalid_field",
                                 "The field 'tags' must be a list of strings.",
                                 "tags"));
      }
    }
    if (in.kind != "link") {
      return Fail(c, MakeError(ErrorKind::kInvalidInput, "invalid_kind",
                               "Send \"kind\":\"link\" with JSON, or a file as "
                               "multipart/form-data.",
                               "kind"));
    }
  }
  auto shared = resources_.Share(c.viewer, std::string(c.req.Param("slug")), in,
                                 std::string(c.req.Header("idempotency-key")));
  if (!shared.ok()) return Fail(c, shared.error());
  auto page = resources_.Get(c.viewer, shared->resource.id);
  if (!page.ok()) return Fail(c, page.error());
  http::Response r =
      Json(201, {{"resource", ResourcePageJson(*page, ctx_.Now())}});
  r.SetHeader("Location",
              "/api/v1/resources/" + std::to_string(shared->resource.id.value));
  return r;
}

http::Response WebApp::ApiResource(RequestContext& c) {
  auto id = PathResourceId(c);
  if (!id) return Fail(c, NoSuchResource());
  auto p = resources_.Get(c.viewer, *id);
  if (!p.ok()) return Fail(c, p.error());
  auto attached = resources_.Discussions(c.viewer, *id);
  if (!attached.ok()) return Fail(c, attached.error());
  nlohmann::json resource = ResourcePageJson(*p, ctx_.Now());
  nlohmann::json in = nlohmann::json::array();
  for (const store::ResourceDiscussion& x : *attached) {
    in.push_back({{"thread_id", x.thread.value},
                  {"title", x.title},
                  {"post_id", x.post.value},
                  {"posted_at", FormatIsoTime(x.posted_at)}});
  }
  // The discussions whose posts attach it, most recent first.
  resource["attached_in"] = std::move(in);
  return Json(200, {{"resource", std::move(resource)}});
}

http::Response WebApp::ApiResourceFile(RequestContext& c) {
  return SendResourceFile(c, false);
}

http::Response WebApp::ApiRecommendResource(RequestContext& c) {
  auto id = PathResourceId(c);
  if (!id) return Fail(c, NoSuchResource());
  auto n = resources_.Recommend(c.viewer, *id, true);
  if (!n.ok()) return Fail(c, n.error());
  return Json(200, {{"recommend_count", *n}, {"recommended", true}});
}

http::Response WebApp::ApiUnrecommendResource(RequestContext& c) {
  auto id = PathResourceId(c);
  if (!id) return Fail(c, NoSuchResource());
  auto n = resources_.Recommend(c.viewer, *id, false);
  if (!n.ok()) return Fail(c, n.error());
  return Json(200, {{"recommend_count", *n}, {"recommended", false}});
}

http::Response WebApp::ApiConfirmResource(RequestContext& c) {
  auto id = PathResourceId(c);
  if (!id) return Fail(c, NoSuchResource());
  Status s = resources_.Confirm(c.viewer, *id);
  if (!s.ok()) return Fail(c, s.error());
  return ApiResource(c);
}

http::Response WebApp::ApiDeleteResource(RequestContext& c) {
  auto id = PathResourceId(c);
  if (!id) return Fail(c, NoSuchResource());
  Status s = resources_.Delete(c.viewer, *id);
  if (!s.ok()) return Fail(c, s.error());
  http::Response r;
  r.status = 204;
  return r;
}

http::Response WebApp::ApiDiscussResource(RequestContext& c) {
  auto id = PathResourceId(c);
  if (!id) return Fail(c, NoSuchResource());
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto text = StringField(*body, "body");
  if (!text.ok()) return Fail(c, text.error());
  auto created = resources_.Discuss(c.viewer, *id, *text);
  if (!created.ok()) return Fail(c, created.error());
  return Json(201, {{"thread_id", created->thread.value},
                    {"post_id", created->post.value}});
}

}  // namespace rt::web
