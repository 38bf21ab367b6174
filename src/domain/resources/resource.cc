#include "domain/resources/resource.h"

#include <chrono>

#include "core/text.h"

namespace rt {

namespace {

struct LicenseInfo {
  License license;
  std::string_view code;
  std::string_view short_name;
  std::string_view label;
  std::string_view url;
};

constexpr LicenseInfo kLicenses[] = {
    {License::kAllRightsReserved, "all-rights-reserved", "All rights reserved",
     "All rights reserved: others may read it, but need permission to reuse it",
     ""},
    {License::kCcBy, "cc-by", "CC BY 4.0", "CC BY 4.0: reuse with credit",
     "https://creativecommons.org/licenses/by/4.0/"},
    {License::kCcBySa, "cc-by-sa", "CC BY-SA 4.0",
     "CC BY-SA 4.0: reuse with credit, share changes alike",
     "https://creativecommons.org/licenses/by-sa/4.0/"},
    {License::kCcByNc, "cc-by-nc", "CC BY-NC 4.0",
     "CC BY-NC 4.0: reuse with credit, not commercially",
     "https://creativecommons.org/licenses/by-nc/4.0/"},
    {License::kCcByNcSa, "cc-by-nc-sa", "CC BY-NC-SA 4.0",
     "CC BY-NC-SA 4.0: reuse with credit, not commercially, share changes "
     "alike",
     "https://creativecommons.org/licenses/by-nc-sa/4.0/"},
    {License::kCcByNd, "cc-by-nd", "CC BY-ND 4.0",
     "CC BY-ND 4.0: reuse with credit, unchanged",
     "https://creativecommons.org/licenses/by-nd/4.0/"},
    {License::kCcByNcNd, "cc-by-nc-nd", "CC BY-NC-ND 4.0",
     "CC BY-NC-ND 4.0: reuse with credit, unchanged, not commercially",
     "https://creativecommons.org/licenses/by-nc-nd/4.0/"},
    {License::kCc0, "cc0", "CC0 1.0",
     "CC0 1.0: no rights reserved, anyone may reuse it",
     "https://creativecommons.org/publicdomain/zero/1.0/"},
};

const LicenseInfo& InfoOf(License l) {
  for (const LicenseInfo& i : kLicenses) {
    if (i.license == l) return i;
  }
  return kLicenses[0];
}

bool IsBidiControl(char32_t cp) {
  return cp == 0x061C || cp == 0x200E || cp == 0x200F ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

// Appends code point `cp` as UTF-8.
void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::string_view ToString(ResourceKind k) {
  return k == ResourceKind::kFile ? "file" : "link";
}

std::optional<ResourceKind> ParseResourceKind(std::string_view s) {
  if (s == "file") return ResourceKind::kFile;
  if (s == "link") return ResourceKind::kLink;
  return std::nullopt;
}

const std::vector<License>& AllLicenses() {
  static const std::vector<License> all = [] {
    std::vector<License> v;
    for (const LicenseInfo& i : kLicenses) v.push_back(i.license);
    return v;
  }();
  return all;
}

std::string_view ToString(License l) { return InfoOf(l).code; }
std::string_view LicenseLabel(License l) { return InfoOf(l).label; }
std::string_view LicenseShortName(License l) { return InfoOf(l).short_name; }
std::string_view LicenseUrl(License l) { return InfoOf(l).url; }

std::optional<License> ParseLicense(std::string_view code) {
  for (const LicenseInfo& i : kLicenses) {
    if (i.code == code) return i.license;
  }
  return std::nullopt;
}

namespace resources {

Result<std::string> ValidateTitle(std::string_view title) {
  std::string_view t = text::Trim(title);
  if (t.empty()) {
    return MakeError(ErrorKind::kInvalidInput, "title_required",
                     "Enter a title.", "title");
  }
  if (!text::IsValidUtf8(t) || text::HasControlChars(t, false)) {
    return MakeError(ErrorKind::kInvalidInput, "invalid_title",
                     "The title contains characters we cannot show.", "title");
  }
  if (text::CodePointCount(t) > kMaxTitleChars) {
    return MakeError(ErrorKind::kInvalidInput, "title_too_long",
                     "The title must be " + std::to_string(kMaxTitleChars) +
                         " characters or fewer.",
                     "title");
  }
  return std::string(t);
}

Result<std::string> ValidateDescription(std::string_view description) {
  std::string_view d = text::Trim(description);
  if (d.size() > kMaxDescriptionBytes) {
    return MakeError(ErrorKind::kTooLarge, "description_too_long",
                     "The description must be " +
                         std::to_string(kMaxDescriptionBytes) +
                         " characters or fewer.",
                     "description");
  }
  if (!text::IsValidUtf8(d) || text::HasControlChars(d, true)) {
    return MakeError(ErrorKind::kInvalidInput, "invalid_description",
                     "The description contains characters we cannot show.",
                     "description");
  }
  return std::string(d);
}

std::optional<std::string> NormaliseTag(std::string_view raw) {
  std::string_view t = text::Trim(raw);
  if (t.empty() || !text::IsValidUtf8(t)) return std::nullopt;
  std::string out;
  bool pending_hyphen = false;
  for (size_t i = 0; i < t.size();) {
    char32_t cp = 0;
    size_t n = text::DecodeUtf8(t, i, &cp);
    if (n == 0) return std::nullopt;
    i += n;
    if (cp == ' ' || cp == '-' || cp == '_' || cp == '\t') {
      pending_hyphen = !out.empty();
      continue;
    }
    bool ascii_alnum = (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9');
    if (cp >= 'A' && cp <= 'Z') {
      cp = cp - 'A' + 'a';
      ascii_alnum = true;
    }
    // Letters beyond ASCII (é, ü, ñ ...) are kept as written: lower-casing
    // them would need locale data, and a tag is a label, not an identifier.
    bool other_letter = cp >= 0xC0 && cp != 0xD7 && cp != 0xF7 && cp < 0x2000;
    if (!ascii_alnum && !other_letter) return std::nullopt;
    if (pending_hyphen) out += '-';
    pending_hyphen = false;
    AppendUtf8(out, cp);
  }
  if (out.empty()) return std::nullopt;
  return out;
}

Result<std::vector<std::string>> NormaliseTags(std::string_view input) {
  std::vector<std::string> tags;
  size_t start = 0;
  while (start <= input.size()) {
    size_t comma = input.find(',', start);
    if (comma == std::string_view::npos) comma = input.size();
    std::string_view part = input.substr(start, comma - start);
    start = comma + 1;
    if (text::Trim(part).empty()) continue;
    std::optional<std::string> tag = NormaliseTag(part);
    if (!tag) {
      return MakeError(
          ErrorKind::kInvalidInput, "invalid_tag",
          "Tags may contain only letters, digits, spaces and hyphens. Separate "
          "tags with commas.",
          "tags");
    }
    if (text::CodePointCount(*tag) > kMaxTagChars) {
      return MakeError(ErrorKind::kInvalidInput, "tag_too_long",
                       "Each tag must be " + std::to_string(kMaxTagChars) +
                           " characters or fewer.",
                       "tags");
    }
    bool seen = false;
    for (const std::string& t : tags) seen |= t == *tag;
    if (seen) continue;
    if (tags.size() == kMaxTags) {
      return MakeError(ErrorKind::kInvalidInput, "too_many_tags",
                       "Give at most " + std::to_string(kMaxTags) + " tags.",
                       "tags");
    }
    tags.push_back(*std::move(tag));
  }
  return tags;
}

Result<std::string> ValidateLinkUrl(std::string_view url) {
  std::string_view u = text::Trim(url);
  if (u.empty()) {
    return MakeError(ErrorKind::kInvalidInput, "url_required",
                     "Enter the link's address.", "url");
  }
  if (u.size() > kMaxUrlBytes) {
    return MakeError(ErrorKind::kInvalidInput, "url_too_long",
                     "The address must be " + std::to_string(kMaxUrlBytes) +
                         " characters or fewer.",
                     "url");
  }
  // Browsers drop whitespace and control characters inside a scheme
  // ("java\tscript:"), so the scheme is read the way they read it.
  std::string scheme;
  size_t colon = std::string_view::npos;
  for (size_t i = 0; i < u.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(u[i]);
    if (c <= 0x20 || c == 0x7f) continue;
    if (c == ':') {
      colon = i;
      break;
    }
    if (c == '/' || c == '?' || c == '#') break;
    scheme += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  if (colon == std::string_view::npos) {
    return MakeError(
        ErrorKind::kInvalidInput, "invalid_url",
        "Enter the full address, starting with https:// or http://.", "url");
  }
  if (scheme != "http" && scheme != "https") {
    return MakeError(ErrorKind::kRuleBroken, "url_scheme_not_allowed",
                     "Only web links (https:// or http://) can be shared.",
                     "url");
  }
  if (!text::IsValidUtf8(u) || text::HasControlChars(u, false) ||
      u.find_first_of(" \t") != std::string_view::npos) {
    return MakeError(
        ErrorKind::kInvalidInput, "invalid_url",
        "The address contains spaces or characters that cannot be in a link.",
        "url");
  }
  std::string_view rest = u.substr(colon + 1);
  if (!rest.starts_with("//") || rest.size() < 3 || rest[2] == '/' ||
      rest[2] == '?' || rest[2] == '#') {
    return MakeError(
        ErrorKind::kInvalidInput, "invalid_url",
        "Enter the full address, starting with https:// or http://.", "url");
  }
  return std::string(u);
}

std::string CleanFileName(std::string_view name) {
  size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name = name.substr(slash + 1);
  std::string out;
  for (size_t i = 0; i < name.size();) {
    char32_t cp = 0;
    size_t n = text::DecodeUtf8(name, i, &cp);
    if (n == 0) {
      cp = 0xFFFD;
      n = 1;
    }
    i += n;
    if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xA0) ||
        IsBidiControl(cp) || cp == 0xFEFF) {
      continue;
    }
    if (cp == '"') cp = '\'';
    if (out.empty() && (cp == '.' || cp == ' ')) continue;
    std::string piece;
    AppendUtf8(piece, cp);
    if (out.size() + piece.size() > kMaxFileNameBytes) break;
    out += piece;
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '.'))
    out.pop_back();
  if (out.empty()) return "file";
  return out;
}

std::string FileExtension(std::string_view name) {
  size_t dot = name.find_last_of('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == name.size())
    return "";
  return text::ToLowerAscii(name.substr(dot + 1));
}

bool IsStale(TimePoint last_checked, TimePoint now) {
  return now - last_checked > std::chrono::hours(24) * kStaleAfterDays;
}

}  // namespace resources
}  // namespace rt
