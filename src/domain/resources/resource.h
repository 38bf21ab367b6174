#ifndef RT_DOMAIN_RESOURCES_RESOURCE_H_
#define RT_DOMAIN_RESOURCES_RESOURCE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/ids.h"
#include "core/result.h"

// A group's library (issue 6): files and links members share, with a
// licence, subject tags and a "last checked" date. Pure rules, no I/O.
namespace rt {

using ResourceId = Id<struct ResourceTag>;

enum class ResourceKind { kFile, kLink };

std::string_view ToString(ResourceKind k);
std::optional<ResourceKind> ParseResourceKind(std::string_view s);

// All rights reserved, or one of the Creative Commons 4.0 licences (and
// CC0). Stored and sent as their codes ("cc-by-sa").
enum class License {
  kAllRightsReserved,
  kCcBy,
  kCcBySa,
  kCcByNc,
  kCcByNcSa,
  kCcByNd,
  kCcByNcNd,
  kCc0,
};

// Every licence in the order the share form offers them.
const std::vector<License>& AllLicenses();
std::string_view ToString(License l);          // "cc-by-nc"
std::string_view LicenseLabel(License l);      // "CC BY-NC 4.0: ..."
std::string_view LicenseShortName(License l);  // "CC BY-NC 4.0"
std::string_view LicenseUrl(License l);        // "" for all rights reserved
std::optional<License> ParseLicense(std::string_view code);

struct Resource {
  ResourceId id;
  GroupId group_id;
  AccountId shared_by;
  ResourceKind kind = ResourceKind::kLink;
  std::string title;
  std::string description_source;  // Markdown
  std::string description_html;    // markdown::Render of the source
  License license = License::kAllRightsReserved;
  std::vector<std::string> tags;  // normalised (NormaliseTags)
  // Links: the URL exactly as given (http or https only).
  std::string url;
  // Files: the stored object (hex SHA-256 of the content), the cleaned
  // display name, the detected type from the allow-list and the size.
  std::string file_sha256;
  std::string file_name;
  std::string file_type;
  int64_t file_size = 0;
  int image_width = 0;  // images, when known; 0 otherwise
  int image_height = 0;
  ThreadId thread_id;  // its discussion, once someone started one
  int64_t recommend_count = 0;
  TimePoint last_checked_at;  // when it was shared, then each confirmation
  AccountId checked_by;       // invalid until a liaison confirmed it
  TimePoint created_at;
};

namespace resources {

inline constexpr size_t kMaxTitleChars = 200;
inline constexpr size_t kMaxDescriptionBytes = 20000;
inline constexpr size_t kMaxTags = 8;
inline constexpr size_t kMaxTagChars = 32;
inline constexpr size_t kMaxUrlBytes = 2000;
inline constexpr size_t kMaxFileNameBytes = 150;
// A resource not confirmed for this long is shown as stale.
inline constexpr int kStaleAfterDays = 365;

// The title, trimmed. Errors: kInvalidInput "title_required",
// "title_too_long", "invalid_title" (control characters), field "title".
Result<std::string> ValidateTitle(std::string_view title);

// The description (Markdown, may be empty), trimmed. Errors: kTooLarge
// "description_too_long", kInvalidInput "invalid_description", field
// "description".
Result<std::string> ValidateDescription(std::string_view description);

// Tags from "Reading, early-years,  Story Time": split on commas, trimmed,
// lower-cased, inner spaces become hyphens, duplicates dropped, order kept.
// Errors (field "tags"): kInvalidInput "invalid_tag" for characters other
// than letters, digits and hyphens, "tag_too_long", "too_many_tags".
Result<std::vector<std::string>> NormaliseTags(std::string_view input);

// One tag as NormaliseTags would make it, for ?tag= filters; nullopt when
// it could not be a tag.
std::optional<std::string> NormaliseTag(std::string_view tag);

// The URL of a link, trimmed but otherwise exactly as given: http:// or
// https:// with a host, no spaces or control characters. Errors (field
// "url"): kInvalidInput "url_required" / "invalid_url" / "url_too_long",
// kRuleBroken "url_scheme_not_allowed" for javascript:, data:, ftp: and
// every other scheme.
Result<std::string> ValidateLinkUrl(std::string_view url);

// A file name fit for display and for Content-Disposition: only the part
// after the last '/' or '\', without NUL, control characters, bidirectional
// overrides and isolates, or leading dots; invalid UTF-8 becomes U+FFFD;
// cut to kMaxFileNameBytes at a character boundary. Never empty ("file").
// The result is never used as a path: files are stored by content hash.
std::string CleanFileName(std::string_view name);

// The extension of a cleaned file name, lower-case, without the dot
// ("pdf"); "" when there is none.
std::string FileExtension(std::string_view name);

// Whether a resource last checked at `last_checked` counts as stale at `now`.
bool IsStale(TimePoint last_checked, TimePoint now);

}  // namespace resources
}  // namespace rt

#endif  // RT_DOMAIN_RESOURCES_RESOURCE_H_
