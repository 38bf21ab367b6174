#include "web/json/invitations.h"

namespace rt::web::json {

namespace {

nlohmann::json TimeOrNull(const std::optional<TimePoint>& t) {
  return t ? nlohmann::json(FormatIsoTime(*t)) : nlohmann::json(nullptr);
}

nlohmann::json TextOrNull(const std::string& s) {
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

std::string_view NextName(app::InvitationNext n) {
  switch (n) {
    case app::InvitationNext::kSignIn:
      return "sign_in";
    case app::InvitationNext::kAccept:
      return "accept";
    case app::InvitationNext::kNotYet:
      return "not_yet";
    case app::InvitationNext::kAlreadyMember:
      return "already_member";
  }
  return "sign_in";
}

}  // namespace

nlohmann::json InvitationJson(const store::InvitationView& v, TimePoint now) {
  const Invitation& i = v.invitation;
  return {{"id", i.id.value},
          {"group", {{"slug", v.group_slug}, {"name", v.group_name}}},
          {"email", i.email},
          {"note", i.note},
          {"state", ToString(StateAt(i, now))},
          {"created_at", FormatIsoTime(i.created_at)},
          {"expires_at", FormatIsoTime(i.expires_at)},
          {"opened_at", TimeOrNull(i.opened_at)},
          {"accepted_at", TimeOrNull(i.accepted_at)}};
}

nlohmann::json InviteOutcomeJson(const app::InviteOutcome& o) {
  nlohmann::json results = nlohmann::json::array();
  for (const app::InviteResult& r : o.results) {
    results.push_back({{"email", r.email},
                       {"status", r.invited ? "invited" : "skipped"},
                       {"reason", TextOrNull(r.reason)},
                       {"message", TextOrNull(r.message)}});
  }
  return {{"group", {{"slug", o.group_slug}, {"name", o.group_name}}},
          {"invited", o.invited},
          {"remaining_today", o.remaining_today},
          {"results", std::move(results)}};
}

nlohmann::json InvitationLinkJson(const app::InvitationLink& l) {
  const store::InvitationView& v = l.view;
  return {{"invitation",
           {{"group",
             {{"slug", v.group_slug},
              {"name", v.group_name},
              {"summary", l.group_summary},
              {"join_policy", ToString(l.join_policy)}}},
            {"inviter", {{"name", v.inviter_name}}},
            {"email", v.invitation.email},
            {"note", v.invitation.note},
            {"state", ToString(l.state)},
            {"expires_at", FormatIsoTime(v.invitation.expires_at)}}},
          {"requirement", l.requirement},
          {"next", NextName(l.next)},
          {"reason", TextOrNull(l.reason)},
          {"message", TextOrNull(l.message)}};
}

nlohmann::json AcceptOutcomeJson(const app::AcceptOutcome& a) {
  return {{"joined", a.joined_now}, {"group", {{"slug", a.group_slug}, {"name", a.group_name}}}};
}

nlohmann::json InvitationsPageJson(const app::InvitationsPage& p) {
  nlohmann::json sent = nlohmann::json::array();
  for (const store::InvitationView& v : p.sent)
    sent.push_back(InvitationJson(v, p.now));
  nlohmann::json to_me = nlohmann::json::array();
  for (const app::InvitationToMe& t : p.to_me) {
    const std::string id = std::to_string(t.view.invitation.id.value);
    to_me.push_back({{"id", t.view.invitation.id.value},
                     {"page_url", "/me/invitations/" + id},
                     {"accept_url", "/api/v1/me/invitations/" + id + "/accept"},
                     {"group", {{"slug", t.view.group_slug}, {"name", t.view.group_name}}},
                     {"inviter", {{"name", t.view.inviter_name}}},
                     {"expires_at", FormatIsoTime(t.view.invitation.expires_at)},
                     {"can_join_now", t.can_join_now},
                     {"message", TextOrNull(t.message)}});
  }
  nlohmann::json next = nullptr;
  if (p.next_before.valid()) next = std::to_string(p.next_before.value);
  return {{"invitations", std::move(sent)},
          {"next", next},
          {"to_me", std::move(to_me)}};
}

}  // namespace rt::web::json
