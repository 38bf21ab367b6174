// Invitation pages: the invite form, the link's page, and the inviter's
// list. Each calls one use case of app::InvitationsService.
#include "http/error_status.h"
#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

// The form's addresses: one a line, or separated by commas, semicolons or
// spaces. The use case checks each one and the count.
std::vector<std::string> SplitAddresses(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : text) {
    if (ch == ',' || ch == ';' || ch == ' ' || ch == '\n' || ch == '\r' ||
        ch == '\t') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += ch;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

Data InviteFormData(const RequestContext& c, const app::InviteForm& f,
                    const std::string& emails, const std::string& note,
                    const Error* error) {
  Data d;
  d["slug"] = f.group_slug;
  d["name"] = f.group_name;
  d["requirement"] = f.requirement;
  d["csrf"] = c.Csrf();
  d["remaining"] = std::to_string(f.remaining_today);
  d["max_invitees"] = std::to_string(kMaxInviteesPerRequest);
  d["max_note"] = std::to_string(kMaxInvitationNoteChars);
  d["emails"] = emails;
  d["note"] = note;
  if (error != nullptr) {
    const bool on_note = error->field == "note";
    if (on_note) {
      d["note_error"] = error->message;
    } else {
      d["emails_error"] = error->message;
    }
    Data errors = Data::List(1);
    Data& e = errors.AppendObject();
    e["message"] = error->message;
    e["href"] = on_note ? "#field-note" : "#field-emails";
    d["has_errors"] = true;
    d["errors"] = std::move(errors);
  }
  return d;
}

std::string_view StateText(InvitationState s) {
  switch (s) {
    case InvitationState::kSent:
      return "Sent, not opened yet";
    case InvitationState::kOpened:
      return "Opened, not joined yet";
    case InvitationState::kJoined:
      return "Joined";
    case InvitationState::kExpired:
      return "Expired";
  }
  return "";
}

std::string Here(std::string_view token) {
  return "/invitations/" + std::string(token);
}

// The invitee's own page of an invitation, by id (the token is not kept).
std::string MyInvitationPath(InvitationId id) {
  return "/me/invitations/" + std::to_string(id.value);
}

std::optional<InvitationId> PathInvitationId(const RequestContext& c) {
  std::optional<int64_t> id = ParseId(c.req.Param("id"));
  if (!id) return std::nullopt;
  return InvitationId{*id};
}

}  // namespace

http::Response WebApp::InviteFormPage(RequestContext& c) {
  if (!c.session)
    return Redirect("/signin?next=" + text::PercentEncode(c.req.target));
  auto f = invitations_.Form(c.viewer, std::string(c.req.Param("slug")));
  if (!f.ok()) return Fail(c, f.error());
  return Page(c, 200, "Invite colleagues — " + f->group_name,
              Templates::Fragment("invite_form",
                                  InviteFormData(c, *f, "", "", nullptr)));
}

http::Response WebApp::InviteForm(RequestContext& c) {
  std::string slug(c.req.Param("slug"));
  if (!c.session)
    return Redirect("/signin?next=" + text::PercentEncode("/groups/" + slug));
  std::string emails = c.Field("emails");
  std::string note = c.Field("note");
  Status throttled = ThrottleInvitations(c);
  Result<app::InviteOutcome> sent =
      throttled.ok() ? invitations_.Invite(c.viewer, slug, SplitAddresses(emails), note)
                     : Result<app::InviteOutcome>(throttled.error());
  if (sent.ok()) CountInvitations(c, sent->invited);
  if (!sent.ok()) {
    const Error& e = sent.error();
    if (e.kind != ErrorKind::kInvalidInput && e.kind != ErrorKind::kRuleBroken &&
        e.kind != ErrorKind::kRateLimited) {
      return Fail(c, e);
    }
    // The form again, with what was typed and the error beside its field.
    auto f = invitations_.Form(c.viewer, slug);
    if (!f.ok()) return Fail(c, f.error());
    http::Response r =
        Page(c, http::StatusFor(e.kind), "Error: Invite colleagues — " + f->group_name,
             Templates::Fragment("invite_form", InviteFormData(c, *f, emails, note, &e)));
    if (e.retry_after_seconds > 0) {
      r.SetHeader("Retry-After", std::to_string(e.retry_after_seconds));
    }
    return r;
  }
  Data d;
  d["slug"] = sent->group_slug;
  d["name"] = sent->group_name;
  d["headline"] = sent->invited == 0 ? std::string("Nobody was invited")
                  : sent->invited == 1
                      ? std::string("Your invitation is on its way")
                      : "Your " + std::to_string(sent->invited) +
                            " invitations are on their way";
  d["summary"] = sent->invited == 0
                     ? "Everyone on the list is a member already or has an "
                       "invitation waiting."
                     : "We are emailing each person a link to join " +
                           sent->group_name + ".";
  Data results = Data::List(sent->results.size());
  for (const app::InviteResult& r : sent->results) {
    Data& item = results.AppendObject();
    item["email"] = r.email;
    if (r.invited) item["invited"] = true;
    item["message"] = r.message;
  }
  d["results"] = std::move(results);
  d["remaining"] = std::to_string(sent->remaining_today);
  return Page(c, 200, "Invitations sent — " + sent->group_name,
              Templates::Fragment("invite_sent", std::move(d)));
}

http::Response WebApp::MyInvitationsPage(RequestContext& c) {
  if (!c.session) return Redirect("/signin?next=%2Finvitations");
  InvitationId before;
  if (std::string b = c.req.QueryParam("before"); !b.empty()) {
    std::optional<int64_t> id = ParseId(b);
    if (!id) {
      return Fail(
          c,
          MakeError(
              ErrorKind::kInvalidInput, "invalid_cursor",
              "That page of invitations is not valid. Start from the newest.",
              "before"));
    }
    before = InvitationId{*id};
  }
  auto page = invitations_.Mine(c.viewer, before);
  if (!page.ok()) return Fail(c, page.error());
  Data d;
  if (page->sent.empty()) d["empty"] = true;
  Data sent = Data::List(page->sent.size());
  for (const store::InvitationView& v : page->sent) {
    Data& item = sent.AppendObject();
    item["email"] = Data::Borrow(v.invitation.email);
    item["slug"] = Data::Borrow(v.group_slug);
    item["group"] = Data::Borrow(v.group_name);
    item["time"] = TimeData(v.invitation.created_at, page->now);
    item["state_text"] =
        Data::Borrow(StateText(StateAt(v.invitation, page->now)));
  }
  d["sent"] = std::move(sent);
  if (!page->to_me.empty()) {
    d["to_me_any"] = true;
    Data to_me = Data::List(page->to_me.size());
    for (const app::InvitationToMe& t : page->to_me) {
      Data& item = to_me.AppendObject();
      item["inviter"] = Data::Borrow(t.view.inviter_name);
      item["href"] = MyInvitationPath(t.view.invitation.id);
      item["slug"] = Data::Borrow(t.view.group_slug);
      item["group"] = Data::Borrow(t.view.group_name);
      if (t.can_join_now) item["can_join"] = true;
      item["message"] = Data::Borrow(t.message);
      item["expires"] = Date::FromTime(t.view.invitation.expires_at).Long();
    }
    d["to_me"] = std::move(to_me);
  }
  if (before.valid()) d["newest"] = true;
  if (page->next_before.valid()) {
    d["older"] =
        "/invitations?before=" + std::to_string(page->next_before.value);
  }
  return Page(c, 200, "Your invitations",
              Templates::Fragment("invitations", std::move(d)));
}

namespace {

// The invitation page, at `here`: its link's page or the invitee's own.
Data InvitationData(const RequestContext& c, const app::InvitationLink& link,
                    const std::string& here) {
  const store::InvitationView& v = link.view;
  Data d;
  d["inviter"] = Data::Borrow(v.inviter_name);
  d["group"] = Data::Borrow(v.group_name);
  d["slug"] = Data::Borrow(v.group_slug);
  d["summary"] = Data::Borrow(link.group_summary);
  if (!v.invitation.note.empty()) d["note"] = Data::Borrow(v.invitation.note);
  d["requirement"] = Data::Borrow(link.requirement);
  d["email"] = Data::Borrow(v.invitation.email);
  d["accept_action"] = here + "/accept";
  d["csrf"] = c.Csrf();
  d["expires"] = Date::FromTime(v.invitation.expires_at).Long();
  std::string next = text::PercentEncode(here);
  switch (link.next) {
    case app::InvitationNext::kSignIn:
      d["sign_in"] = true;
      d["register_href"] = "/register?next=" + next +
                           "&email=" + text::PercentEncode(v.invitation.email);
      d["signin_href"] = "/signin?next=" + next;
      break;
    case app::InvitationNext::kAccept:
      d["accept"] = true;
      break;
    case app::InvitationNext::kNotYet:
      d["not_yet"] = true;
      d["message"] = Data::Borrow(link.message);
      if (!link.join_url.empty()) {
        d["join_href"] = Data::Borrow(link.join_url);
        d["join_label"] =
            (link.reason == policy::reason::kMembershipExpired
                 ? "Renew your " + link.association_name + " membership"
                 : "Join " + link.association_name);
      }
      break;
    case app::InvitationNext::kAlreadyMember:
      d["already_member"] = true;
      break;
  }
  return d;
}

}  // namespace

http::Response WebApp::InvitationPage(RequestContext& c) {
  std::string token(c.req.Param("token"));
  auto link = invitations_.Open(c.viewer, token);
  if (!link.ok()) return Fail(c, link.error());
  return Page(c, 200, "Invitation to " + link->view.group_name,
              Templates::Fragment("invitation", InvitationData(c, *link, Here(token))));
}

http::Response WebApp::AcceptInvitationForm(RequestContext& c) {
  std::string token(c.req.Param("token"));
  if (!c.session)
    return Redirect("/signin?next=" + text::PercentEncode(Here(token)));
  auto accepted = invitations_.Accept(c.viewer, token);
  if (accepted.ok()) {
    return Redirect(
        "/groups/" + accepted->group_slug +
        (accepted->joined_now ? "?notice=joined" : "?notice=already_member"));
  }
  const Error& e = accepted.error();
  if (e.kind != ErrorKind::kForbidden && e.kind != ErrorKind::kRuleBroken)
    return Fail(c, e);
  // The group's rules refused: the page again, saying what is required.
  auto link = invitations_.Open(c.viewer, token);
  if (!link.ok()) return Fail(c, link.error());
  return Page(c, http::StatusFor(e.kind), "Invitation to " + link->view.group_name,
              Templates::Fragment("invitation", InvitationData(c, *link, Here(token))));
}

http::Response WebApp::MyInvitationPage(RequestContext& c) {
  if (!c.session) return Redirect("/signin?next=" + text::PercentEncode(c.req.path));
  std::optional<InvitationId> id = PathInvitationId(c);
  auto link =
      id ? invitations_.OpenMine(c.viewer, *id)
         : Result<app::InvitationLink>(MakeError(ErrorKind::kNotFound, "invitation_not_found",
                                                 "We could not find that invitation."));
  if (!link.ok()) return Fail(c, link.error());
  return Page(c, 200, "Invitation to " + link->view.group_name,
              Templates::Fragment("invitation", InvitationData(c, *link, MyInvitationPath(*id))));
}

http::Response WebApp::AcceptMyInvitationForm(RequestContext& c) {
  std::optional<InvitationId> id = PathInvitationId(c);
  if (!id) {
    return Fail(c, MakeError(ErrorKind::kNotFound, "invitation_not_found",
                             "We could not find that invitation."));
  }
  if (!c.session) return Redirect("/signin?next=" + text::PercentEncode(MyInvitationPath(*id)));
  auto accepted = invitations_.AcceptMine(c.viewer, *id);
  if (accepted.ok()) {
    return Redirect("/groups/" + accepted->group_slug +
                    (accepted->joined_now ? "?notice=joined" : "?notice=already_member"));
  }
  const Error& e = accepted.error();
  if (e.kind != ErrorKind::kForbidden && e.kind != ErrorKind::kRuleBroken) return Fail(c, e);
  auto link = invitations_.OpenMine(c.viewer, *id);
  if (!link.ok()) return Fail(c, link.error());
  return Page(c, http::StatusFor(e.kind), "Invitation to " + link->view.group_name,
              Templates::Fragment("invitation", InvitationData(c, *link, MyInvitationPath(*id))));
}

}  // namespace rt::web
