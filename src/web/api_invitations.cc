// The invitations JSON API: invite, list mine, read and accept a link.
#include "web/json/invitations.h"
#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

Error InvalidEmails() {
  return MakeError(ErrorKind::kInvalidInput, "invalid_field",
                   "The field 'emails' must be a list of email addresses.",
                   "emails");
}

}  // namespace

http::Response WebApp::ApiInvite(RequestContext& c) {
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  for (const auto& [key, value] : body->items()) {
    if (key != "emails" && key != "note") {
      return Fail(
          c, MakeError(ErrorKind::kInvalidInput, "unknown_field",
                       "The field '" + key + "' is not one this request takes.",
                       key));
    }
  }
  std::vector<std::string> emails;
  auto it = body->find("emails");
  if (it == body->end() || !it->is_array()) return Fail(c, InvalidEmails());
  for (const nlohmann::json& e : *it) {
    if (!e.is_string()) return Fail(c, InvalidEmails());
    emails.push_back(e.get<std::string>());
  }
  auto note = StringField(*body, "note");
  if (!note.ok()) return Fail(c, note.error());
  if (Status s = ThrottleInvitations(c); !s.ok()) return Fail(c, s.error());
  auto sent = invitations_.Invite(c.viewer, std::string(c.req.Param("slug")),
                                  emails, *note);
  if (!sent.ok()) return Fail(c, sent.error());
  CountInvitations(c, sent->invited);
  return Json(201, json::InviteOutcomeJson(*sent));
}

http::Response WebApp::ApiMyInvitations(RequestContext& c) {
  InvitationId before;
  if (std::string b = c.req.QueryParam("before"); !b.empty()) {
    std::optional<int64_t> id = ParseId(b);
    if (!id) {
      return Fail(c, MakeError(ErrorKind::kInvalidInput, "invalid_cursor",
                               "The 'before' cursor is not valid.", "before"));
    }
    before = InvitationId{*id};
  }
  auto page = invitations_.Mine(c.viewer, before);
  if (!page.ok()) return Fail(c, page.error());
  return Json(200, json::InvitationsPageJson(*page));
}

http::Response WebApp::ApiInvitation(RequestContext& c) {
  auto link = invitations_.Open(c.viewer, std::string(c.req.Param("token")));
  if (!link.ok()) return Fail(c, link.error());
  return Json(200, json::InvitationLinkJson(*link));
}

http::Response WebApp::ApiAcceptInvitation(RequestContext& c) {
  auto accepted =
      invitations_.Accept(c.viewer, std::string(c.req.Param("token")));
  if (!accepted.ok()) return Fail(c, accepted.error());
  return Json(200, json::AcceptOutcomeJson(*accepted));
}

namespace {

// The id in an /api/v1/me/invitations/{id} path; a bad one is no invitation.
Result<InvitationId> PathInvitation(const RequestContext& c) {
  std::optional<int64_t> id = ParseId(c.req.Param("id"));
  if (!id) {
    return MakeError(ErrorKind::kNotFound, "invitation_not_found",
                     "We could not find that invitation.");
  }
  return InvitationId{*id};
}

}  // namespace

http::Response WebApp::ApiMyInvitation(RequestContext& c) {
  auto id = PathInvitation(c);
  if (!id.ok()) return Fail(c, id.error());
  auto link = invitations_.OpenMine(c.viewer, *id);
  if (!link.ok()) return Fail(c, link.error());
  return Json(200, json::InvitationLinkJson(*link));
}

http::Response WebApp::ApiAcceptMyInvitation(RequestContext& c) {
  auto id = PathInvitation(c);
  if (!id.ok()) return Fail(c, id.error());
  auto accepted = invitations_.AcceptMine(c.viewer, *id);
  if (!accepted.ok()) return Fail(c, accepted.error());
  return Json(200, json::AcceptOutcomeJson(*accepted));
}

}  // namespace rt::web
