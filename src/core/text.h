#ifndef RT_CORE_TEXT_H_
#define RT_CORE_TEXT_H_

#include <string>
#include <string_view>

namespace rt::text {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view s);

// Decodes the code point that starts at s[i] (i < s.size()) into *cp and
// returns its length in bytes; 0, leaving *cp alone, when the bytes there are
// not well-formed UTF-8 (truncated, overlong, surrogate, past U+10FFFF).
size_t DecodeUtf8(std::string_view s, size_t i, char32_t* cp);

// Number of Unicode code points; `s` must be valid UTF-8.
size_t CodePointCount(std::string_view s);

// True when `s` holds a NUL or another C0/C1 control character. Newline and
// tab are allowed only when `allow_newlines` is set (multi-line fields).
bool HasControlChars(std::string_view s, bool allow_newlines);

// `s` without leading and trailing ASCII whitespace.
std::string_view Trim(std::string_view s);

std::string ToLowerAscii(std::string_view s);

// The start of `s` holding at most `max_chars` code points: `s` itself when
// it is no longer, else cut at the last whitespace before the limit (the
// whitespace dropped) when that keeps at least half of it, else between two
// code points. Never splits a UTF-8 sequence, so valid UTF-8 stays valid.
std::string_view CutAtWord(std::string_view s, size_t max_chars);

// Decodes application/x-www-form-urlencoded / percent-encoding ("+" is a
// space only when `plus_is_space`). Malformed escapes are kept literally.
std::string PercentDecode(std::string_view s, bool plus_is_space);

// Percent-encodes everything except unreserved characters (RFC 3986).
std::string PercentEncode(std::string_view s);

}  // namespace rt::text

#endif  // RT_CORE_TEXT_H_
