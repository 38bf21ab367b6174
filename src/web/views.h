#ifndef RT_WEB_VIEWS_H_
#define RT_WEB_VIEWS_H_

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "app/groups.h"
#include "core/text.h"
#include "http/message.h"
#include "store/store.h"
#include "web/templates.h"

// Small pieces shared by the page and API handlers.
namespace rt::web {

// A 303 redirect (after a form post) to a local path.
http::Response Redirect(const std::string& location);

// A JSON response with the API's content type, never cached.
http::Response Json(int status, const nlohmann::json& body);

// The JSON body of a request. Errors: kUnsupportedType "unsupported_media_type"
// unless Content-Type is application/json; kInvalidInput "malformed_json"
// (also for invalid UTF-8) or "expected_object".
Result<nlohmann::json> ParseJsonBody(const http::Request& req);

// A string member of a JSON object: "" when absent; kInvalidInput
// "invalid_field" naming the field when present but not a string.
Result<std::string> StringField(const nlohmann::json& body, const char* name);

// kInvalidInput "unknown_field" for a member of a request's JSON body that
// the request does not take, naming it.
Error UnknownField(const std::string& field);

// Only local paths are followed after sign-in ("/groups/x"), never
// "//evil.example" or absolute URLs; anything else becomes "/".
std::string SafeNext(std::string_view next);

// Member list cursors, opaque to clients: "<id>.<percent-encoded name key>".
std::string EncodeCursor(const store::MemberCursor& c);
std::optional<store::MemberCursor> DecodeCursor(std::string_view s);

// The confirmation shown after an action redirects with ?notice=CODE;
// "" for unknown codes (only fixed texts are ever shown).
std::string_view NoticeText(std::string_view code);

// Thread list cursors: "<pinned>.<last activity>.<id>".
std::string EncodeThreadCursor(const store::ThreadCursor& c);
std::optional<store::ThreadCursor> DecodeThreadCursor(std::string_view s);

// The thread list filter from ?kind=&unanswered=1&consent=. Errors:
// kInvalidInput naming the parameter.
Result<store::ThreadFilter> ParseThreadFilter(const http::Request& req);

// A positive decimal id from a path or form ("12"); nullopt otherwise.
std::optional<int64_t> ParseId(std::string_view s);

// Relative time in words ("just now", "5 minutes ago", "3 days ago",
// "12 March 2026") for `t` as seen at `now`.
std::string Ago(TimePoint t, TimePoint now);
// The same written into `buf` (kMaxDateText bytes); returns its length.
size_t WriteAgo(TimePoint t, TimePoint now, char* buf);

// Template data describing a time: {"ago", "iso", "exact"} for a <time>
// element with the exact UTC time in its title.
Data TimeData(TimePoint t, TimePoint now);

// "1 member", "12 members".
std::string CountText(int64_t n, std::string_view one, std::string_view many);

// A shared file's size in words: "2.4 MB", "18 KB", "120 bytes".
std::string SizeText(int64_t bytes);

// What a stored file type (store::CheckedFile::type) is, in words: "PDF",
// "Spreadsheet".
std::string TypeLabel(std::string_view type);

// A resource attached to a post, as the post's list shows it after the
// title: "PDF, 2.4 MB", or "Link".
std::string AttachmentLabel(const store::PostAttachment& a);

// Texts that every group of one association shows alike, made once per
// page rather than once per group.
struct AssociationTexts {
  explicit AssociationTexts(const Association& a);

  const Association& assoc;
  std::string who_can_join_members_only;  // "Members of X with a current membership"
  std::string join_label;                 // "Join PLA"
  std::string renew_label;                // "Renew your PLA membership"
};

// Writes the template data for one group card or page into `d` (an object,
// possibly a list item built in place): name, summary, counts, liaison,
// join/leave controls and the refusal with its way forward. `here` is the
// page sign-in returns to; empty means the group's own page. The data
// borrows text from `g`, `texts` and `csrf` (web/view_data.h), which must
// outlive its rendering.
void FillGroupData(Data& d, const app::GroupView& g, const AssociationTexts& texts,
                   std::string_view csrf, std::string_view here);

}  // namespace rt::web

#endif  // RT_WEB_VIEWS_H_
