// The JSON API under /api/v1. Each handler parses input, calls one use case
// and renders its result with the shapes in web/json/.
#include "web/json/shapes.h"
#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

Error NotSignedIn() {
  return MakeError(ErrorKind::kUnauthenticated, "not_signed_in",
                   "Sign in first: send a bearer token or the session cookie.");
}

// Reads string fields from a JSON body into `out`, in order.
Status ReadFields(const nlohmann::json& body,
                  std::initializer_list<std::pair<const char*, std::string*>> fields) {
  for (auto& [name, out] : fields) {
    RT_ASSIGN_OR_RETURN(*out, StringField(body, name));
  }
  return OkStatus();
}

}  // namespace

http::Response WebApp::ApiCreateAccount(RequestContext& c) {
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  app::RegisterInput in;
  Status s = ReadFields(*body, {{"name", &in.name}, {"email", &in.email}, {"password", &in.password}});
  if (!s.ok()) return Fail(c, s.error());
  auto account = accounts_.Register(in);
  if (!account.ok()) return Fail(c, account.error());
  return Json(201, {{"account", json::AccountJson(*account, true)}});
}

http::Response WebApp::ApiSignIn(RequestContext& c) {
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  std::string email, password;
  Status s = ReadFields(*body, {{"email", &email}, {"password", &password}});
  if (!s.ok()) return Fail(c, s.error());
  auto signed_in = ThrottledSignIn(c, email, password);
  if (!signed_in.ok()) return Fail(c, signed_in.error());
  if (c.session) (void)accounts_.SignOut(c.session->token_hash);
  http::Response r = Json(200, {{"token", signed_in->token},
                                {"csrf_token", signed_in->csrf_token},
                                {"account", json::AccountJson(signed_in->account, true)}});
  r.AddHeader("Set-Cookie", SessionCookie(signed_in->token, false));
  return r;
}

http::Response WebApp::ApiSignOut(RequestContext& c) {
  if (!c.session) return Fail(c, NotSignedIn());
  Status s = accounts_.SignOut(c.session->token_hash);
  if (!s.ok()) return Fail(c, s.error());
  http::Response r;
  r.status = 204;
  r.AddHeader("Set-Cookie", SessionCookie("", true));
  return r;
}

http::Response WebApp::ApiMe(RequestContext& c) {
  if (!c.session) return Fail(c, NotSignedIn());
  return Json(200, {{"account", json::AccountJson(c.session->account, true)},
                    {"csrf_token", c.session->csrf_token}});
}

http::Response WebApp::ApiUpdateMe(RequestContext& c) {
  if (!c.session) return Fail(c, NotSignedIn());
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  const Account& a = c.session->account;
  // Fields left out keep their value.
  Profile p{a.name, a.job_title, a.organisation, a.location};
  std::pair<const char*, std::string*> fields[] = {{"name", &p.name},
                                                   {"job_title", &p.job_title},
                                                   {"organisation", &p.organisation},
                                                   {"location", &p.location}};
  for (auto& [name, out] : fields) {
    if (!body->contains(name)) continue;
    auto v = StringField(*body, name);
    if (!v.ok()) return Fail(c, v.error());
    *out = *v;
  }
  auto saved = accounts_.UpdateProfile(a.id, p);
  if (!saved.ok()) return Fail(c, saved.error());
  return Json(200, {{"account", json::AccountJson(*saved, true)}});
}

http::Response WebApp::ApiChangePassword(RequestContext& c) {
  if (!c.session) return Fail(c, NotSignedIn());
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  std::string current, replacement;
  Status s = ReadFields(*body, {{"current_password", &current}, {"new_password", &replacement}});
  if (!s.ok()) return Fail(c, s.error());
  s = accounts_.ChangePassword(*c.session, current, replacement);
  if (!s.ok()) return Fail(c, s.error());
  http::Response r;
  r.status = 204;
  return r;
}

http::Response WebApp::ApiGroups(RequestContext& c) {
  auto page = groups_.List(c.viewer);
  if (!page.ok()) return Fail(c, page.error());
  nlohmann::json groups = nlohmann::json::array();
  for (const app::GroupView& g : page->groups) groups.push_back(json::GroupJson(g));
  return Json(200, {{"groups", std::move(groups)}});
}

http::Response WebApp::ApiGroup(RequestContext& c) {
  auto g = groups_.Get(c.viewer, std::string(c.req.Param("slug")));
  if (!g.ok()) return Fail(c, g.error());
  return Json(200, {{"group", json::GroupJson(*g)}});
}

http::Response WebApp::ApiGroupMembers(RequestContext& c) {
  std::optional<store::MemberCursor> after;
  if (std::string a = c.req.QueryParam("after"); !a.empty()) {
    after = DecodeCursor(a);
    if (!after) {
      return Fail(c, MakeError(ErrorKind::kInvalidInput, "invalid_cursor",
                               "The 'after' cursor is not valid.", "after"));
    }
  }
  auto page = groups_.Members(c.viewer, std::string(c.req.Param("slug")), after);
  if (!page.ok()) return Fail(c, page.error());
  nlohmann::json members = nlohmann::json::array();
  for (const store::MemberListing& m : page->members) members.push_back(json::MemberJson(m));
  nlohmann::json next = nullptr;
  if (page->next) next = EncodeCursor(*page->next);
  return Json(200, {{"members", std::move(members)}, {"next", next}});
}

http::Response WebApp::ApiJoin(RequestContext& c) {
  auto r = groups_.Join(c.viewer, std::string(c.req.Param("slug")));
  if (!r.ok()) return Fail(c, r.error());
  return Json(r->joined_now ? 201 : 200,
              {{"joined", r->joined_now}, {"group", json::GroupJson(r->group)}});
}

http::Response WebApp::ApiLeave(RequestContext& c) {
  auto r = groups_.Leave(c.viewer, std::string(c.req.Param("slug")));
  if (!r.ok()) return Fail(c, r.error());
  return Json(200, {{"group", json::GroupJson(*r)}});
}

}  // namespace rt::web
