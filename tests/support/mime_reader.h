#ifndef RT_TESTS_SUPPORT_MIME_READER_H_
#define RT_TESTS_SUPPORT_MIME_READER_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rt::testing {

// One leaf part, its text decoded from its transfer encoding and charset.
struct ParsedPart {
  std::string content_type;  // "text/plain"
  std::string charset;
  std::string transfer_encoding;  // "quoted-printable", "base64", "7bit", ...
  std::string text;
};

struct ParsedAddress {
  std::string name;  // RFC 2047-decoded
  std::string address;
};

// A message as GMime's parser reads it back: an independent check of what
// src/mail renders, with no code shared with the renderer.
struct ParsedMessage {
  bool ok = false;
  // Every header in order: name and value (unfolded, RFC 2047-decoded).
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<ParsedAddress> from, to, reply_to;
  std::string subject;                  // decoded
  std::string message_id;               // without brackets
  std::vector<std::string> references;  // without brackets
  std::string content_type;  // of the top-level body, "multipart/alternative"
  std::vector<ParsedPart> parts;  // leaves, depth first

  // The value of the first header with this name (case-insensitive), or "".
  std::string Header(std::string_view name) const;
  int HeaderCount(std::string_view name) const;
};

ParsedMessage ParseMessage(const std::string& bytes);

}  // namespace rt::testing

#endif  // RT_TESTS_SUPPORT_MIME_READER_H_
