#include "mail/outgoing.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <memory>
#include <string>

#include "core/crypto.h"
#include "core/text.h"
#include "mail/address.h"
#include "mail/gmime_init.h"
#include "mail/gobject_ptr.h"

namespace rt::mail {

namespace {

Error Refuse(std::string code, std::string message, std::string field) {
  return MakeError(ErrorKind::kInvalidInput, std::move(code),
                   std::move(message), std::move(field));
}

Error TooLong(const std::string& field) {
  return MakeError(ErrorKind::kTooLarge, "mail_too_long",
                   "The " + field + " of the message is too long.", field);
}

// The checks every one-line header field shares. Control characters are
// refused outright: a CR or LF would end the header and start another.
Status CheckOneLine(std::string_view value, const std::string& field,
                    size_t max_bytes) {
  if (text::HasControlChars(value, /*allow_newlines=*/false)) {
    return Refuse(
        "mail_control_chars",
        "The " + field + " must not contain line breaks or control characters.",
        field);
  }
  if (!text::IsValidUtf8(value)) {
    return Refuse("mail_invalid_utf8", "The " + field + " is not valid UTF-8.",
                  field);
  }
  if (value.size() > max_bytes) return TooLong(field);
  return OkStatus();
}

Status CheckBody(std::string_view body, const std::string& field) {
  if (body.size() > kMaxBodyBytes) return TooLong(field);
  if (text::HasControlChars(body, /*allow_newlines=*/true)) {
    return Refuse(
        "mail_control_chars",
        "The " + field + " must not contain NUL or control characters.", field);
  }
  if (!text::IsValidUtf8(body)) {
    return Refuse("mail_invalid_utf8", "The " + field + " is not valid UTF-8.",
                  field);
  }
  return OkStatus();
}

Status CheckMailbox(const Mailbox& box, const std::string& field) {
  // The name is cleaned, not refused, but it must be text.
  if (!text::IsValidUtf8(box.name)) {
    return Refuse("mail_invalid_utf8", "The name is not valid UTF-8.",
                  field + ".name");
  }
  RT_RETURN_IF_ERROR(
      CheckOneLine(box.address, field + ".address", kMaxAddressBytes));
  return ValidateAddress(box.address, field + ".address");
}

Status CheckMessageId(std::string_view id, const std::string& field) {
  RT_RETURN_IF_ERROR(CheckOneLine(id, field, kMaxMessageIdBytes));
  if (!IsValidMessageId(id)) {
    return Refuse(
        "mail_invalid_message_id",
        "The " + field + " is not a message id of the form left@right.", field);
  }
  return OkStatus();
}

// A URL inside "<...>" of List-Unsubscribe: printable ASCII, none of the
// characters that would end or split the bracketed list (RFC 2369 asks for
// commas and spaces to be percent-encoded).
Status CheckListUrl(std::string_view url, std::string_view scheme_a,
                    std::string_view scheme_b, const std::string& field) {
  RT_RETURN_IF_ERROR(CheckOneLine(url, field, kMaxUrlBytes));
  bool scheme_ok = url.rfind(scheme_a, 0) == 0 ||
                   (!scheme_b.empty() && url.rfind(scheme_b, 0) == 0);
  if (!scheme_ok || url.size() <= scheme_a.size()) {
    return Refuse(
        "mail_invalid_url",
        "The " + field + " must start with " + std::string(scheme_a) + ".",
        field);
  }
  for (char c : url) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == '<' || c == '>' || c == ',' ||
        c == '"') {
      return Refuse(
          "mail_invalid_url",
          "The " + field + " has a character that must be percent-encoded.",
          field);
    }
  }
  return OkStatus();
}

bool IsListIdLabelChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-';
}

// RFC 2919 list-id: dot-atom-text; we keep to host-name characters and
// require a dot so that it is namespaced under a domain.
bool IsValidListId(std::string_view id) {
  if (id.empty() || id.size() > 255 || id.find('.') == std::string_view::npos) {
    return false;
  }
  if (id.front() == '.' || id.back() == '.') return false;
  char prev = 0;
  for (char c : id) {
    if (c == '.' ? prev == '.' : !IsListIdLabelChar(c)) return false;
    prev = c;
  }
  return true;
}

// CRLF, lone CR and LF all become LF; GMime writes LF and the CRLF newline
// format then turns each into CRLF exactly once.
std::string NormalizeNewlines(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::vector<std::string> TrimReferences(const std::vector<std::string>& refs) {
  if (refs.size() <= kMaxReferences) return refs;
  std::vector<std::string> out;
  out.push_back(refs.front());
  out.insert(out.end(), refs.end() - (kMaxReferences - 1), refs.end());
  return out;
}

// The part's bytes are the UTF-8 text as given: g_mime_text_part_set_text
// would convert it to the smallest charset that fits (often ISO-8859-1).
GPtr<GMimeTextPart> MakeTextPart(const char* subtype, std::string_view body) {
  GPtr<GMimeTextPart> part(g_mime_text_part_new_with_subtype(subtype));
  std::string normalized = NormalizeNewlines(body);
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(
      reinterpret_cast<const char*>(normalized.data()), normalized.size()));
  GPtr<GMimeDataWrapper> content(g_mime_data_wrapper_new_with_stream(
      stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
  g_mime_part_set_content(GMIME_PART(part.get()), content.get());
  g_mime_object_set_content_type_parameter(GMIME_OBJECT(part.get()), "charset",
                                           "utf-8");
  GMimeContentEncoding encoding = g_mime_part_get_best_content_encoding(
      GMIME_PART(part.get()), GMIME_ENCODING_CONSTRAINT_7BIT);
  g_mime_part_set_content_encoding(GMIME_PART(part.get()), encoding);
  return part;
}

// Names are encoded as UTF-8 when they need encoding, like everything else
// we send (GMime would otherwise pick the smallest charset that fits).
void AddMailbox(GMimeMessage* msg, GMimeAddressType type, const Mailbox& box) {
  std::string name = CleanDisplayName(box.name);
  GPtr<InternetAddress> address(internet_address_mailbox_new(
      name.empty() ? nullptr : name.c_str(), box.address.c_str()));
  internet_address_set_charset(address.get(), "utf-8");
  internet_address_list_add(g_mime_message_get_addresses(msg, type),
                            address.get());
}

// Sets a header whose value we have built from checked ASCII pieces. The
// value is given raw (already encoded), so GMime neither re-encodes nor
// re-folds it; we fold it at its spaces to keep lines near 78 characters.
// Every token is a URL, an encoded word, a quoted-string piece or an id, and
// folding at a space inside a quoted-string is allowed (RFC 5322 3.2.4).
void SetRawHeader(GMimeObject* obj, const char* name,
                  const std::string& value) {
  std::string raw;
  size_t line = std::char_traits<char>::length(name) + 1;
  size_t start = 0;
  while (start <= value.size()) {
    size_t space = value.find(' ', start);
    if (space == std::string::npos) space = value.size();
    std::string_view token(value.data() + start, space - start);
    if (line + 1 + token.size() > 78 && line > 0 && !raw.empty()) {
      raw += "\n";
      line = 0;
    }
    raw += ' ';
    raw += token;
    line += 1 + token.size();
    start = space + 1;
  }
  raw += "\n";
  g_mime_object_set_header(obj, name, "", nullptr);
  GMimeHeader* header =
      g_mime_header_list_get_header(g_mime_object_get_header_list(obj), name);
  g_mime_header_set_raw_value(header, raw.c_str());
}

// RFC 2919 shows the list name as a quoted string; names with non-ASCII
// characters become encoded words instead, which may not sit inside quotes.
std::string ListIdValue(const ListInfo& list, GMimeFormatOptions* options) {
  std::string name = CleanDisplayName(list.name);
  std::string value;
  bool ascii = std::all_of(name.begin(), name.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x80;
  });
  if (name.empty()) {
    // nothing before the id
  } else if (ascii) {
    value = "\"";
    for (char c : name) {
      if (c == '"' || c == '\\') value += '\\';
      value += c;
    }
    value += "\" ";
  } else {
    char* phrase =
        g_mime_utils_header_encode_phrase(options, name.c_str(), "utf-8");
    value = phrase;
    g_free(phrase);
    value += ' ';
  }
  return value + "<" + list.id + ">";
}

}  // namespace

Result<std::string> NewMessageId(std::string_view mail_domain) {
  if (!IsValidDomain(mail_domain)) {
    return MakeError(ErrorKind::kInvalidInput, "mail_invalid_domain",
                     "The mail domain is not a valid host name.",
                     "mail_domain");
  }
  // 18 bytes encode to 24 base64url characters, all of them atext.
  return crypto::RandomToken(18) + "@" + std::string(mail_domain);
}

bool IsValidMessageId(std::string_view id) {
  if (id.empty() || id.size() > kMaxMessageIdBytes) return false;
  size_t at = id.find('@');
  if (at == std::string_view::npos ||
      id.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  auto dot_atom = [](std::string_view s) {
    if (s.empty() || s.front() == '.' || s.back() == '.') return false;
    char prev = 0;
    for (char c : s) {
      auto u = static_cast<unsigned char>(c);
      if (c == '.') {
        if (prev == '.') return false;
      } else if (u <= 0x20 || u >= 0x7F ||
                 std::string_view("()<>[]:;@\\,\"").find(c) !=
                     std::string_view::npos) {
        return false;
      }
      prev = c;
    }
    return true;
  };
  return dot_atom(id.substr(0, at)) && dot_atom(id.substr(at + 1));
}

Status Validate(const OutgoingMessage& m) {
  RT_RETURN_IF_ERROR(CheckMailbox(m.from, "from"));
  if (m.to.empty()) {
    return Refuse("mail_missing", "A message needs at least one recipient.",
                  "to");
  }
  if (m.to.size() > kMaxRecipients) {
    return MakeError(ErrorKind::kTooLarge, "mail_too_many_recipients",
                     "A message may have at most 100 recipients.", "to");
  }
  for (size_t i = 0; i < m.to.size(); ++i) {
    RT_RETURN_IF_ERROR(CheckMailbox(m.to[i], "to[" + std::to_string(i) + "]"));
  }
  if (m.reply_to) RT_RETURN_IF_ERROR(CheckMailbox(*m.reply_to, "reply_to"));
  RT_RETURN_IF_ERROR(CheckOneLine(m.subject, "subject", kMaxSubjectBytes));
  if (text::Trim(m.subject).empty()) {
    return Refuse("mail_missing", "A message needs a subject.", "subject");
  }
  if (m.text_body.empty()) {
    return Refuse("mail_missing", "A message needs a plain-text body.",
                  "text_body");
  }
  RT_RETURN_IF_ERROR(CheckBody(m.text_body, "text_body"));
  RT_RETURN_IF_ERROR(CheckBody(m.html_body, "html_body"));
  if (m.message_id.empty()) {
    return Refuse("mail_missing", "A message needs a Message-ID.",
                  "message_id");
  }
  RT_RETURN_IF_ERROR(CheckMessageId(m.message_id, "message_id"));
  if (!m.in_reply_to.empty()) {
    RT_RETURN_IF_ERROR(CheckMessageId(m.in_reply_to, "in_reply_to"));
  }
  for (size_t i = 0; i < m.references.size(); ++i) {
    RT_RETURN_IF_ERROR(CheckMessageId(m.references[i],
                                      "references[" + std::to_string(i) + "]"));
  }
  if (m.list) {
    const ListInfo& list = *m.list;
    if (!text::IsValidUtf8(list.name)) {
      return Refuse("mail_invalid_utf8", "The list name is not valid UTF-8.",
                    "list.name");
    }
    RT_RETURN_IF_ERROR(CheckOneLine(list.id, "list.id", 255));
    if (list.id.empty() && !list.name.empty()) {
      return Refuse("mail_missing", "A list name needs a list id.", "list.id");
    }
    if (!list.id.empty() && !IsValidListId(list.id)) {
      return Refuse(
          "mail_invalid_list_id",
          "The list id must look like a domain name (group.example.org).",
          "list.id");
    }
    if (list.unsubscribe_url.empty()) {
      return Refuse("mail_missing", "List mail needs an unsubscribe link.",
                    "list.unsubscribe_url");
    }
    RT_RETURN_IF_ERROR(CheckListUrl(list.unsubscribe_url, "https://", "http://",
                                    "list.unsubscribe_url"));
    if (!list.unsubscribe_mailto.empty()) {
      RT_RETURN_IF_ERROR(CheckListUrl(list.unsubscribe_mailto, "mailto:", "",
                                      "list.unsubscribe_mailto"));
    }
  }
  return OkStatus();
}

Result<std::string> Render(const OutgoingMessage& m) {
  RT_RETURN_IF_ERROR(Validate(m));
  EnsureGMimeInitialized();

  std::unique_ptr<GMimeFormatOptions, decltype(&g_mime_format_options_free)>
      options(g_mime_format_options_new(), &g_mime_format_options_free);
  g_mime_format_options_set_newline_format(options.get(),
                                           GMIME_NEWLINE_FORMAT_DOS);

  GPtr<GMimeMessage> msg(g_mime_message_new(TRUE));
  GMimeObject* obj = GMIME_OBJECT(msg.get());

  AddMailbox(msg.get(), GMIME_ADDRESS_TYPE_FROM, m.from);
  for (const Mailbox& to : m.to)
    AddMailbox(msg.get(), GMIME_ADDRESS_TYPE_TO, to);
  if (m.reply_to)
    AddMailbox(msg.get(), GMIME_ADDRESS_TYPE_REPLY_TO, *m.reply_to);
  g_mime_message_set_subject(msg.get(), m.subject.c_str(), "utf-8");

  std::unique_ptr<GDateTime, decltype(&g_date_time_unref)> date(
      g_date_time_new_from_unix_utc(ToUnix(m.date)), &g_date_time_unref);
  g_mime_message_set_date(msg.get(), date.get());
  g_mime_message_set_message_id(msg.get(), m.message_id.c_str());

  if (!m.in_reply_to.empty()) {
    g_mime_object_set_header(obj, "In-Reply-To",
                             ("<" + m.in_reply_to + ">").c_str(), nullptr);
  }
  if (!m.references.empty()) {
    std::string refs;
    for (const std::string& id : TrimReferences(m.references)) {
      if (!refs.empty()) refs += ' ';
      refs += "<" + id + ">";
    }
    g_mime_object_set_header(obj, "References", refs.c_str(), nullptr);
  }

  // Personal mail with an unsubscribe link is not list mail (ListInfo).
  const bool list_mail = m.list && !m.list->id.empty();
  if (m.list) {
    if (list_mail) {
      SetRawHeader(obj, "List-Id", ListIdValue(*m.list, options.get()));
    }
    std::string unsubscribe = "<" + m.list->unsubscribe_url + ">";
    if (!m.list->unsubscribe_mailto.empty()) {
      unsubscribe += ", <" + m.list->unsubscribe_mailto + ">";
    }
    SetRawHeader(obj, "List-Unsubscribe", unsubscribe);
    if (m.list->unsubscribe_url.rfind("https://", 0) == 0) {
      g_mime_object_set_header(obj, "List-Unsubscribe-Post",
                               "List-Unsubscribe=One-Click", nullptr);
    }
  }
  if (list_mail) {
    g_mime_object_set_header(obj, "Precedence", "list", nullptr);
  } else if (m.auto_submitted == AutoSubmitted::kAutoReplied) {
    g_mime_object_set_header(obj, "Precedence", "bulk", nullptr);
  }
  switch (m.auto_submitted) {
    case AutoSubmitted::kNo:
      break;
    case AutoSubmitted::kAutoGenerated:
      g_mime_object_set_header(obj, "Auto-Submitted", "auto-generated",
                               nullptr);
      break;
    case AutoSubmitted::kAutoReplied:
      g_mime_object_set_header(obj, "Auto-Submitted", "auto-replied", nullptr);
      break;
  }
  if (m.list || m.auto_submitted != AutoSubmitted::kNo) {
    // Exchange and Outlook honour this and send no out-of-office replies,
    // which would otherwise land on reply+ addresses or loop.
    g_mime_object_set_header(obj, "X-Auto-Response-Suppress", "All", nullptr);
  }

  GPtr<GMimeTextPart> text = MakeTextPart("plain", m.text_body);
  if (m.html_body.empty()) {
    g_mime_message_set_mime_part(msg.get(), GMIME_OBJECT(text.get()));
  } else {
    GPtr<GMimeMultipart> alternative(
        g_mime_multipart_new_with_subtype("alternative"));
    GPtr<GMimeTextPart> html = MakeTextPart("html", m.html_body);
    g_mime_multipart_add(alternative.get(), GMIME_OBJECT(text.get()));
    g_mime_multipart_add(alternative.get(), GMIME_OBJECT(html.get()));
    g_mime_message_set_mime_part(msg.get(), GMIME_OBJECT(alternative.get()));
  }

  char* bytes = g_mime_object_to_string(obj, options.get());
  if (bytes == nullptr) {
    return MakeError(ErrorKind::kInternal, "mail_render_failed",
                     "The message could not be rendered.");
  }
  std::string out(bytes);
  g_free(bytes);
  return out;
}

}  // namespace rt::mail
