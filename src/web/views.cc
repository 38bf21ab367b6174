#include "web/views.h"

#include <algorithm>

#include "policy/guardian.h"
#include "web/json/write.h"

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
  r.body = json::WriteJson(body);
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

Error UnknownField(const std::string& field) {
  return MakeError(ErrorKind::kInvalidInput, "unknown_field",
                   "The field '" + field + "' is not one this request takes.", field);
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

std::string_view NoticeText(std::string_view code) {
  static const std::pair<std::string_view, std::string_view> kNotices[] = {
      {"registered",
       "Your account is ready and you are signed in. We sent you an email with a link: open "
       "it to confirm your address."},
      {"verification_sent", "We sent you a new link. Open it to confirm your email address."},
      {"already_verified", "Your email address is confirmed already."},
      {"email_verified",
       "Your email address is confirmed. Any membership your association has recorded for it "
       "is now part of your account."},
      {"password_reset", "Your new password is set. Sign in with it."},
      {"email_change_sent",
       "We sent a link to your new address. Your account switches to it when you open the "
       "link."},
      {"email_changed", "Your email address is changed."},
      {"signed_in", "You are signed in."},
      {"signed_out", "You are signed out."},
      {"joined", "You have joined this group."},
      {"already_member", "You are already a member of this group."},
      {"left", "You have left this group."},
      {"profile_saved", "Your profile is saved."},
      {"group_settings_saved", "The group's settings are saved."},
      {"password_changed", "Your password is changed. You have been signed out everywhere else."},
      {"thread_started", "Your thread is posted."},
      {"replied", "Your reply is posted."},
      {"post_edited", "Your changes are saved."},
      {"post_removed", "The post was removed."},
      {"recommended", "You recommended this post."},
      {"unrecommended", "Your recommendation was withdrawn."},
      {"answer_accepted", "The answer is marked as accepted."},
      {"following", "You are following this thread. You will be told about new replies."},
      {"unfollowed", "You stopped following this thread."},
      {"pinned", "The thread is pinned to the top of the group."},
      {"unpinned", "The thread is no longer pinned."},
      {"locked", "The thread is locked. It takes no new replies."},
      {"unlocked", "The thread is open for replies again."},
      {"message_sent", "Your message is sent."},
      {"notifications_read", "All your notifications are marked as read."},
      {"notification_settings_saved", "Your notification settings are saved."},
      {"mail_resumed", "We will email you again."},
      {"digest_schedule_saved", "The digest schedule is saved."},
      {"feedback_sent",
       "Your feedback is sent. The group's staff will read it; you will be told when they "
       "answer."},
      {"feedback_replied", "Your reply is sent."},
      {"feedback_updated", "The feedback is updated."},
      {"feedback_consent_saved", "Your choice is saved."},
      {"resource_shared", "Thank you: your resource is in the group's library."},
      {"resource_recommended", "You recommended this resource."},
      {"resource_unrecommended", "Your recommendation was withdrawn."},
      {"resource_confirmed", "Thank you: the resource is marked as checked today."},
      {"resource_removed", "The resource was removed from the library."},
      {"checkin_skipped", "All right: we will not ask you about this check-in again."},
      {"checkin_deleted", "Your answers to that check-in are deleted."},
      {"outcomes_saved", "The outcome statements and threshold are saved."},
  };
  for (const auto& [k, v] : kNotices) {
    if (k == code) return v;
  }
  return "";
}

std::string EncodeThreadCursor(const store::ThreadCursor& c) {
  return std::string(c.pinned ? "1" : "0") + "." + std::to_string(c.last_activity) + "." +
         std::to_string(c.id.value);
}

std::optional<store::ThreadCursor> DecodeThreadCursor(std::string_view s) {
  size_t a = s.find('.');
  if (a != 1 || (s[0] != '0' && s[0] != '1')) return std::nullopt;
  size_t b = s.find('.', a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  auto activity = ParseId(s.substr(a + 1, b - a - 1));
  auto id = ParseId(s.substr(b + 1));
  if (!activity || !id) return std::nullopt;
  return store::ThreadCursor{s[0] == '1', *activity, ThreadId{*id}};
}

Result<store::ThreadFilter> ParseThreadFilter(const http::Request& req) {
  store::ThreadFilter f;
  if (std::string kind = req.QueryParam("kind"); !kind.empty() && kind != "all") {
    f.kind = ParseThreadKind(kind);
    if (!f.kind) {
      return MakeError(ErrorKind::kInvalidInput, "invalid_kind",
                       "kind must be discussion, question or story.", "kind");
    }
  }
  std::string unanswered = req.QueryParam("unanswered");
  f.unanswered = unanswered == "1" || unanswered == "true";
  if (std::string consent = req.QueryParam("consent"); !consent.empty() && consent != "any") {
    f.consent = ParseStoryConsent(consent);
    if (!f.consent) {
      return MakeError(ErrorKind::kInvalidInput, "invalid_consent",
                       "consent must be group_only, staff_advocacy or public.", "consent");
    }
  }
  return f;
}

std::optional<int64_t> ParseId(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  int64_t v = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return std::nullopt;
    v = v * 10 + (ch - '0');
  }
  if (v <= 0) return std::nullopt;
  return v;
}

// Every text but a date fits in 16 bytes: "59 minutes ago".
size_t WriteAgo(TimePoint t, TimePoint now, char* buf) {
  int64_t s = ToUnix(now) - ToUnix(t);
  auto put = [buf](std::initializer_list<std::string_view> parts) {
    char* p = buf;
    for (std::string_view part : parts) p = std::copy(part.begin(), part.end(), p);
    return static_cast<size_t>(p - buf);
  };
  if (s < 60) return put({"just now"});
  auto plural = [&](int64_t n, std::string_view unit) {
    // n < 60: at most two digits.
    char digits[2] = {static_cast<char>('0' + n / 10), static_cast<char>('0' + n % 10)};
    std::string_view number =
        n < 10 ? std::string_view(digits + 1, 1) : std::string_view(digits, 2);
    return put({number, " ", unit, n == 1 ? "" : "s", " ago"});
  };
  if (s < 3600) return plural(s / 60, "minute");
  if (s < 86400) return plural(s / 3600, "hour");
  if (s < 86400 * 30) return plural(s / 86400, "day");
  return Date::FromTime(t).WriteLong(buf);
}

std::string Ago(TimePoint t, TimePoint now) {
  char buf[kMaxDateText];
  return std::string(buf, WriteAgo(t, now, buf));
}

Data TimeData(TimePoint t, TimePoint now) {
  // Written into buffers: each text fits in a ViewData without allocating.
  char iso[kMaxDateText];
  size_t iso_size = WriteIsoTime(t, iso);
  // "3 March 2026, 14:05 UTC": the hours and minutes are those of `iso`.
  char exact[kMaxDateText + 16];
  size_t exact_size = Date::FromTime(t).WriteLong(exact);
  std::string_view hh_mm(iso + iso_size - 9, 5);
  for (std::string_view part : {std::string_view(", "), hh_mm, std::string_view(" UTC")}) {
    exact_size = std::copy(part.begin(), part.end(), exact + exact_size) - exact;
  }
  char ago[kMaxDateText];
  size_t ago_size = WriteAgo(t, now, ago);
  Data d = Data::Object(3);
  d["ago"] = std::string_view(ago, ago_size);
  d["iso"] = std::string_view(iso, iso_size);
  d["exact"] = std::string_view(exact, exact_size);
  return d;
}

std::string CountText(int64_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

AssociationTexts::AssociationTexts(const Association& a)
    : assoc(a),
      who_can_join_members_only("Members of " + a.name + " with a current membership"),
      join_label("Join " + (a.short_name.empty() ? a.name : a.short_name)),
      renew_label("Renew your " + (a.short_name.empty() ? a.name : a.short_name) + " membership") {}

void FillGroupData(Data& d, const app::GroupView& g, const AssociationTexts& texts,
                   std::string_view csrf, std::string_view here) {
  namespace r = policy::reason;
  const Group& grp = g.listing.group;
  const Association& assoc = texts.assoc;
  // Room for the members most groups have; 16 keeps the allocation within
  // the allocator's fast per-thread cache.
  d.Reserve(16);
  d["slug"] = Data::Borrow(grp.slug);
  d["name"] = Data::Borrow(grp.name);
  d["summary"] = Data::Borrow(grp.summary);
  d["description"] = Data::Borrow(grp.description);
  d["member_count"] = CountText(g.listing.member_count, "member", "members");
  if (grp.join_policy == JoinPolicy::kOpen) d["open"] = true;
  switch (grp.join_policy) {
    case JoinPolicy::kOpen:
      d["who_can_join"] = Data::Borrow("Anyone with an account");
      break;
    case JoinPolicy::kMembersOnly:
      d["who_can_join"] = Data::Borrow(texts.who_can_join_members_only);
      break;
    case JoinPolicy::kRequest:
      d["who_can_join"] = Data::Borrow("By request, approved by the staff liaison");
      break;
    case JoinPolicy::kInvite:
      d["who_can_join"] = Data::Borrow("By invitation only");
      break;
  }
  if (g.listing.liaison) {
    d["liaison_name"] = Data::Borrow(g.listing.liaison->name);
    if (!g.listing.liaison->job_title.empty()) {
      d["liaison_title"] = Data::Borrow(g.listing.liaison->job_title);
    }
  }
  d["csrf"] = Data::Borrow(csrf);
  if (g.is_member()) {
    d["is_member"] = true;
    d["role_text"] =
        Data::Borrow(g.viewer_role == GroupRole::kLiaison ? "You are this group's staff liaison."
                     : g.viewer_role == GroupRole::kModerator ? "You moderate this group."
                                                              : "You are a member of this group.");
  }
  if (g.join.allowed && !g.is_member()) d["can_join"] = true;
  if (g.leave.allowed) d["can_leave"] = true;
  if (g.see_members.allowed) d["can_see_members"] = true;
  if (g.manage.allowed) d["can_manage"] = true;
  if (g.invite.allowed) d["can_invite"] = true;
  if (g.send_feedback.allowed) d["can_send_feedback"] = true;
  if (g.manage_feedback.allowed) d["manage_feedback"] = true;
  if (g.see_outcomes.allowed) d["see_outcomes"] = true;
  if (!g.join.allowed) {
    d["refusal"] = Data::Borrow(g.join_message);
    Data actions = Data::List(2);
    auto action = [&](Data href, std::string_view label) {
      Data& a = actions.AppendObject();
      a["href"] = std::move(href);
      a["label"] = Data::Borrow(label);
    };
    if (g.join.reason == r::kNotSignedIn) {
      std::string next = "?next=" + (here.empty() ? "%2Fgroups%2F" + text::PercentEncode(grp.slug)
                                                  : text::PercentEncode(here));
      action("/signin" + next, "Sign in to join");
      action("/register" + next, "Create an account");
    } else if (g.join.reason == r::kMembershipRequired && !assoc.join_url.empty()) {
      action(Data::Borrow(assoc.join_url), texts.join_label);
    } else if (g.join.reason == r::kMembershipExpired && !assoc.join_url.empty()) {
      action(Data::Borrow(assoc.join_url), texts.renew_label);
    }
    if (!actions.list_value().empty()) d["actions"] = std::move(actions);
  }
}

// "2.4 MB", "18 KB", "120 bytes".
std::string SizeText(int64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " bytes";
  if (bytes < 1024 * 1024) return std::to_string((bytes + 1023) / 1024) + " KB";
  int64_t tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " MB";
}

// What a stored type is, in words.
std::string TypeLabel(std::string_view type) {
  if (type == "application/pdf") return "PDF";
  if (type == "image/png") return "PNG image";
  if (type == "image/jpeg") return "JPEG image";
  if (type == "image/gif") return "GIF image";
  if (type == "image/webp") return "WebP image";
  if (type == "text/plain") return "Text file";
  if (type == "text/csv") return "CSV file";
  if (type == "application/zip") return "ZIP archive";
  if (type.find("wordprocessing") != std::string_view::npos || type == "application/msword" ||
      type.find("opendocument.text") != std::string_view::npos) {
    return "Document";
  }
  if (type.find("sheet") != std::string_view::npos || type == "application/vnd.ms-excel") {
    return "Spreadsheet";
  }
  return "Presentation";
}

std::string AttachmentLabel(const store::PostAttachment& a) {
  if (a.kind == ResourceKind::kLink) return "Link";
  return TypeLabel(a.file_type) + ", " + SizeText(a.file_size);
}

}  // namespace rt::web
