#include "web/views.h"

#include "policy/guardian.h"

namespace rt::web {

http::Response Redirect(const std::string& location) {
  http::Response r;
  r.status = 303;
  r.SetHeader("Location", location);
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

http::Response Json(int status, const nlohmann::json& body) {
  http::Response r;
  r.status = status;
  r.SetHeader("Content-Type", "application/json; charset=utf-8");
  r.SetHeader("Cache-Control", "no-store");
  r.body = body.dump();
  return r;
}

Result<nlohmann::json> ParseJsonBody(const http::Request& req) {
  if (req.ContentType() != "application/json") {
    return MakeError(ErrorKind::kUnsupportedType, "unsupported_media_type",
                     "Send the request body as application/json.");
  }
  nlohmann::json j = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return MakeError(ErrorKind::kInvalidInput, "malformed_json",
                     "The request body is not valid JSON (or not valid UTF-8).");
  }
  if (!j.is_object()) {
    return MakeError(ErrorKind::kInvalidInput, "expected_object",
                     "The request body must be a JSON object.");
  }
  return j;
}

Result<std::string> StringField(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::string();
  if (!it->is_string()) {
    return MakeError(ErrorKind::kInvalidInput, "invalid_field",
                     std::string("The field '") + name + "' must be a string.", name);
  }
  return it->get<std::string>();
}

std::string SafeNext(std::string_view next) {
  if (next.size() > 512 || next.empty() || next[0] != '/' ||
      (next.size() > 1 && (next[1] == '/' || next[1] == '\\')) ||
      next.find_first_of("\r\n") != std::string_view::npos) {
    return "/";
  }
  return std::string(next);
}

std::string EncodeCursor(const store::MemberCursor& c) {
  return std::to_string(c.after.value) + "." + text::PercentEncode(c.name_key);
}

std::optional<store::MemberCursor> DecodeCursor(std::string_view s) {
  size_t dot = s.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 18 || s.size() > 1024) return {};
  int64_t id = 0;
  for (char ch : s.substr(0, dot)) {
    if (ch < '0' || ch > '9') return {};
    id = id * 10 + (ch - '0');
  }
  std::string key = text::PercentDecode(s.substr(dot + 1), false);
  if (!text::IsValidUtf8(key)) return {};
  return store::MemberCursor{key, AccountId{id}};
}

std::string NoticeText(std::string_view code) {
  static const std::pair<std::string_view, std::string_view> kNotices[] = {
      {"registered", "Your account is ready and you are signed in."},
      {"signed_in", "You are signed in."},
      {"signed_out", "You are signed out."},
      {"joined", "You have joined this group."},
      {"already_member", "You are already a member of this group."},
      {"left", "You have left this group."},
      {"profile_saved", "Your profile is saved."},
      {"password_changed", "Your password is changed. You have been signed out everywhere else."},
  };
  for (const auto& [k, v] : kNotices) {
    if (k == code) return std::string(v);
  }
  return "";
}

std::string CountText(int64_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

Data GroupData(const app::GroupView& g, const Association& assoc, const std::string& csrf,
               const std::string& here) {
  namespace r = policy::reason;
  const Group& grp = g.listing.group;
  Data d;
  d["slug"] = grp.slug;
  d["name"] = grp.name;
  d["summary"] = grp.summary;
  d["description"] = grp.description;
  d["member_count"] = CountText(g.listing.member_count, "member", "members");
  if (grp.join_policy == JoinPolicy::kOpen) d["open"] = true;
  switch (grp.join_policy) {
    case JoinPolicy::kOpen: d["who_can_join"] = "Anyone with an account"; break;
    case JoinPolicy::kMembersOnly:
      d["who_can_join"] = "Members of " + assoc.name + " with a current membership";
      break;
    case JoinPolicy::kRequest: d["who_can_join"] = "By request, approved by the staff liaison"; break;
    case JoinPolicy::kInvite: d["who_can_join"] = "By invitation only"; break;
  }
  if (g.listing.liaison) {
    d["liaison_name"] = g.listing.liaison->name;
    if (!g.listing.liaison->job_title.empty()) d["liaison_title"] = g.listing.liaison->job_title;
  }
  d["csrf"] = csrf;
  if (g.is_member()) {
    d["is_member"] = true;
    d["role_text"] = g.viewer_role == GroupRole::kLiaison     ? "You are this group's staff liaison."
                     : g.viewer_role == GroupRole::kModerator ? "You moderate this group."
                                                              : "You are a member of this group.";
  }
  if (g.join.allowed && !g.is_member()) d["can_join"] = true;
  if (g.leave.allowed) d["can_leave"] = true;
  if (g.see_members.allowed) d["can_see_members"] = true;
  if (!g.join.allowed) {
    d["refusal"] = g.join_message;
    std::string next = "?next=" + text::PercentEncode(here);
    kainjow::mustache::list actions;
    auto action = [&](const std::string& href, const std::string& label) {
      Data a;
      a["href"] = href;
      a["label"] = label;
      actions.push_back(a);
    };
    const std::string& org = assoc.short_name.empty() ? assoc.name : assoc.short_name;
    if (g.join.reason == r::kNotSignedIn) {
      action("/signin" + next, "Sign in to join");
      action("/register" + next, "Create an account");
    } else if (g.join.reason == r::kMembershipRequired && !assoc.join_url.empty()) {
      action(assoc.join_url, "Join " + org);
    } else if (g.join.reason == r::kMembershipExpired && !assoc.join_url.empty()) {
      action(assoc.join_url, "Renew your " + org + " membership");
    }
    if (!actions.empty()) d["actions"] = actions;
  }
  return d;
}

}  // namespace rt::web
