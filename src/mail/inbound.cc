#include "mail/inbound.h"

#include <gmime/gmime.h>
#include <strings.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <memory>
#include <set>
#include <string>

#include "core/text.h"
#include "mail/address.h"
#include "mail/body_text.h"
#include "mail/gmime_init.h"
#include "mail/gobject_ptr.h"

namespace rt::mail {

namespace {

// More recipients than this in one header are ignored: we only look for
// our own addresses among them.
constexpr size_t kMaxAddressesPerField = 100;
constexpr size_t kMaxInboundReferences = 100;
constexpr size_t kMaxHeaderValueBytes = 4096;
constexpr size_t kMaxDeliveryStatuses = 100;
constexpr size_t kMaxFilenameBytes = 200;

Error Refuse(ErrorKind kind, std::string code, std::string message) {
  return MakeError(kind, std::move(code), std::move(message));
}

Error TooManyParts() {
  return Refuse(ErrorKind::kTooLarge, "mail_too_many_parts",
                "The message has too many MIME parts.");
}

Error TooDeep() {
  return Refuse(ErrorKind::kTooLarge, "mail_too_deep",
                "The message's MIME parts are nested too deeply.");
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         EqualsNoCase(s.substr(0, prefix.size()), prefix);
}

// A header field name followed by optional blanks and ":". RFC 5322 allows
// any printable ASCII in a name; real ones use letters, digits, "-" and "_",
// and keeping to those tells a message from JSON or HTML.
bool IsHeaderLine(std::string_view line) {
  size_t i = 0;
  while (i < line.size() &&
         (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '-' ||
          line[i] == '_' || line[i] == '.'))
    ++i;
  if (i == 0) return false;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  return i < line.size() && line[i] == ':';
}

// Looks at the raw bytes before GMime builds anything. GMime allocates an
// object per part, nests up to 1024 levels and checks every "--" line
// against every open boundary, so a 10 MB message of tiny parts costs
// gigabytes and seconds. Every boundary line starts with "--" and every
// nested part needs a Content-Type line, so counting those lines bounds
// what GMime will build. Returns the body without an mbox "From " line.
Result<std::string_view> Preflight(std::string_view bytes,
                                   const InboundLimits& limits) {
  if (bytes.size() > limits.max_message_bytes) {
    return Refuse(ErrorKind::kTooLarge, "mail_too_large",
                  "The message is larger than " +
                      std::to_string(limits.max_message_bytes / (1024 * 1024)) +
                      " MB.");
  }
  if (text::Trim(bytes).empty()) {
    return Refuse(ErrorKind::kInvalidInput, "mail_empty",
                  "The message is empty.");
  }
  if (bytes.substr(0, 5) == "From ") {
    size_t eol = bytes.find('\n');
    bytes = eol == std::string_view::npos ? std::string_view()
                                          : bytes.substr(eol + 1);
  }
  size_t first_eol = bytes.find('\n');
  if (!IsHeaderLine(bytes.substr(0, first_eol))) {
    return Refuse(ErrorKind::kInvalidInput, "mail_not_a_message",
                  "The input does not start with a mail header.");
  }
  size_t dash_lines = 0, type_lines = 0, headers = 0;
  bool in_header = true;
  for (size_t start = 0; start < bytes.size();) {
    size_t end = bytes.find('\n', start);
    if (end == std::string_view::npos) end = bytes.size();
    std::string_view line = bytes.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (in_header) {
      if (line.empty()) {
        in_header = false;
      } else if (line[0] != ' ' && line[0] != '\t' &&
                 ++headers > limits.max_headers) {
        return Refuse(ErrorKind::kTooLarge, "mail_too_many_headers",
                      "The message has too many header fields.");
      }
    }
    if (line.size() > 2 && line[0] == '-' && line[1] == '-' && line != "-- ") {
      ++dash_lines;
    } else if (StartsWithNoCase(line, "content-type") && IsHeaderLine(line)) {
      ++type_lines;
    }
  }
  if (dash_lines > 8 * limits.max_parts + 16 ||
      type_lines > 2 * limits.max_parts + 4) {
    return TooManyParts();
  }
  return bytes;
}

std::string LowerMimeType(GMimeContentType* ct) {
  if (ct == nullptr) return "text/plain";
  const char* type = g_mime_content_type_get_media_type(ct);
  const char* sub = g_mime_content_type_get_media_subtype(ct);
  return text::ToLowerAscii(std::string(type ? type : "text") + "/" +
                            (sub ? sub : "plain"));
}

std::string ContentTypeParam(GMimeObject* obj, const char* name) {
  GMimeContentType* ct = g_mime_object_get_content_type(obj);
  const char* v = ct ? g_mime_content_type_get_parameter(ct, name) : nullptr;
  return v ? text::ToLowerAscii(text::Trim(v)) : std::string();
}

std::string CleanFilename(const char* raw) {
  if (raw == nullptr) return "";
  std::string name = SanitizeLine(raw);
  size_t slash = name.find_last_of("/\\");
  if (slash != std::string::npos) name.erase(0, slash + 1);
  for (char& c : name) {
    if (std::string_view(":*?\"<>|").find(c) != std::string_view::npos) c = '_';
  }
  size_t lead = name.find_first_not_of(". ");
  name.erase(0, lead == std::string::npos ? name.size() : lead);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  if (name.size() > kMaxFilenameBytes) {
    // Keep a short extension: it is what tells people what the file is.
    std::string ext;
    size_t dot = name.rfind('.');
    if (dot != std::string::npos && name.size() - dot <= 16)
      ext = name.substr(dot);
    size_t cut = kMaxFilenameBytes - ext.size();
    while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80)
      --cut;
    name = name.substr(0, cut) + ext;
  }
  return name;
}

// The content of a leaf part with its transfer encoding undone.
std::string DecodedBytes(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) return "";
  GPtr<GMimeStream> stream(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, stream.get());
  GByteArray* array =
      g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream.get()));
  return std::string(reinterpret_cast<const char*>(array->data), array->len);
}

// Converts with iconv, replacing what it cannot read with U+FFFD. False
// when iconv does not know the charset.
bool IconvToUtf8(const std::string& charset, std::string_view in,
                 std::string* out) {
  iconv_t cd = g_mime_iconv_open("UTF-8", charset.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  out->clear();
  out->reserve(in.size() + in.size() / 2);
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  char buffer[4096];
  while (true) {
    char* dst = buffer;
    size_t dst_left = sizeof(buffer);
    size_t rc =
        iconv(cd, src_left > 0 ? &src : nullptr, &src_left, &dst, &dst_left);
    out->append(buffer, dst - buffer);
    if (rc != static_cast<size_t>(-1)) {
      if (src_left == 0) {
        // Flush the shift state of stateful encodings.
        dst = buffer;
        dst_left = sizeof(buffer);
        iconv(cd, nullptr, nullptr, &dst, &dst_left);
        out->append(buffer, dst - buffer);
        break;
      }
      continue;
    }
    if (errno == E2BIG) continue;
    out->append("\xEF\xBF\xBD");  // EILSEQ or EINVAL: skip one byte
    if (src_left == 0) break;
    ++src;
    --src_left;
    if (src_left == 0) break;
  }
  g_mime_iconv_close(cd);
  return true;
}

// The part's text as UTF-8 whatever its declared charset (see ParseInbound).
std::string DecodeText(GMimePart* part) {
  std::string raw = DecodedBytes(part);
  std::string charset = ContentTypeParam(GMIME_OBJECT(part), "charset");
  if (!charset.empty() && charset.front() == '"') charset.erase(0, 1);
  if (!charset.empty() && charset.back() == '"') charset.pop_back();
  std::string utf8;
  bool latin = charset.empty() || charset == "us-ascii" || charset == "ascii" ||
               charset == "iso-8859-1" || charset == "iso8859-1" ||
               charset == "latin1" || charset == "iso_8859-1" ||
               charset == "windows-1252" || charset == "cp1252" ||
               charset == "x-cp1252";
  if (charset == "utf-8" || charset == "utf8") {
    utf8 = std::move(raw);
  } else if (latin || !IconvToUtf8(charset, raw, &utf8)) {
    // Unlabelled or mislabelled 8-bit text is most often UTF-8, and
    // Latin-1 text almost never forms valid multi-byte UTF-8 by accident.
    utf8 = text::IsValidUtf8(raw) ? std::move(raw) : DecodeWindows1252(raw);
  }
  return SanitizeText(utf8);
}

// Content-IDs an HTML body shows with <img src="cid:...">.
void CollectCids(std::string_view html, std::set<std::string>& cids) {
  size_t pos = 0;
  while (cids.size() < 1000) {
    size_t found = std::string_view::npos;
    for (size_t i = pos; i + 4 <= html.size(); ++i) {
      if ((html[i] == 'c' || html[i] == 'C') &&
          StartsWithNoCase(html.substr(i), "cid:")) {
        found = i;
        break;
      }
    }
    if (found == std::string_view::npos) return;
    size_t start = found + 4, end = start;
    while (end < html.size() && std::string_view("\"' <>)").find(html[end]) ==
                                    std::string_view::npos) {
      ++end;
    }
    cids.insert(text::PercentDecode(html.substr(start, end - start), false));
    pos = end;
  }
}

void ParseDeliveryStatus(std::string_view text,
                         std::vector<DeliveryStatus>& out) {
  DeliveryStatus current;
  auto flush = [&] {
    if (!current.recipient.empty() && out.size() < kMaxDeliveryStatuses)
      out.push_back(current);
    current = DeliveryStatus{};
  };
  std::string last_field;
  auto address_of = [](std::string_view v) {
    size_t semi = v.find(';');  // "rfc822; user@example.org"
    if (semi != std::string_view::npos) v = v.substr(semi + 1);
    v = text::Trim(v);
    if (v.size() >= 2 && v.front() == '<' && v.back() == '>')
      v = v.substr(1, v.size() - 2);
    return SanitizeLine(v);
  };
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (text::Trim(line).empty()) {
      flush();
      continue;
    }
    if ((line[0] == ' ' || line[0] == '\t') &&
        last_field == "diagnostic-code") {
      current.diagnostic =
          SanitizeLine(current.diagnostic + " " + std::string(line));
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    last_field = text::ToLowerAscii(text::Trim(line.substr(0, colon)));
    std::string_view value = text::Trim(line.substr(colon + 1));
    if (last_field == "final-recipient") {
      current.recipient = address_of(value);
    } else if (last_field == "original-recipient" &&
               current.recipient.empty()) {
      current.recipient = address_of(value);
    } else if (last_field == "action") {
      current.action = text::ToLowerAscii(SanitizeLine(value));
    } else if (last_field == "status") {
      current.status = SanitizeLine(value);
    } else if (last_field == "diagnostic-code") {
      current.diagnostic = SanitizeLine(value);
    }
  }
  flush();
}

std::vector<Mailbox> Mailboxes(InternetAddressList* list, size_t max) {
  std::vector<Mailbox> out;
  if (list == nullptr) return out;
  // Groups ("team: a@x, b@y;") are flattened one level; deeper is junk.
  for (int i = 0; i < internet_address_list_length(list) && out.size() < max;
       ++i) {
    InternetAddress* ia = internet_address_list_get_address(list, i);
    auto add = [&](InternetAddress* a) {
      if (!INTERNET_ADDRESS_IS_MAILBOX(a) || out.size() >= max) return;
      const char* addr =
          internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
      const char* name = internet_address_get_name(a);
      Mailbox box{CleanDisplayName(SanitizeLine(name ? name : "")),
                  SanitizeLine(addr ? addr : "")};
      if (!box.address.empty()) out.push_back(std::move(box));
    };
    if (INTERNET_ADDRESS_IS_GROUP(ia)) {
      InternetAddressList* members =
          internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia));
      for (int j = 0; members && j < internet_address_list_length(members); ++j)
        add(internet_address_list_get_address(members, j));
    } else {
      add(ia);
    }
  }
  return out;
}

std::vector<std::string> MessageIds(const char* value, size_t max) {
  std::vector<std::string> out;
  if (value == nullptr) return out;
  GMimeReferences* refs = g_mime_references_parse(nullptr, value);
  if (refs == nullptr) return out;
  for (int i = 0; i < g_mime_references_length(refs) && out.size() < max; ++i) {
    // Ids we could not put back into a header are of no use for threading.
    std::string id = SanitizeLine(g_mime_references_get_message_id(refs, i));
    if (IsValidMessageId(id)) out.push_back(std::move(id));
  }
  g_mime_references_free(refs);
  return out;
}

// A part that may become an attachment once every HTML body has been seen
// (an image is only an inline picture if some HTML shows its Content-ID).
struct Candidate {
  InboundAttachment attachment;
  bool image = false;
};

// Walks the MIME tree, choosing body text and collecting attachments.
class Walker {
 public:
  Walker(const InboundLimits& limits, InboundMessage& m)
      : limits_(limits), m_(m) {}

  Status Visit(GMimeObject* obj, size_t depth, bool body_allowed) {
    if (++parts_ > limits_.max_parts) return TooManyParts();
    if (depth > limits_.max_depth) return TooDeep();
    std::string type = LowerMimeType(g_mime_object_get_content_type(obj));

    if (GMIME_IS_MULTIPART(obj)) {
      GMimeMultipart* mp = GMIME_MULTIPART(obj);
      int count = g_mime_multipart_get_count(mp);
      if (type == "multipart/encrypted") {
        m_.skipped.push_back({"", type, 0, "encrypted"});
        return CountOnly(obj, depth);
      }
      int body_index = -1;  // which child may hold body text; -1: all
      if (type == "multipart/alternative") {
        body_index = ChooseAlternative(mp);
      } else if (type == "multipart/related" || type == "multipart/signed" ||
                 type == "multipart/report") {
        body_index = 0;
      }
      for (int i = 0; i < count; ++i) {
        GMimeObject* child = g_mime_multipart_get_part(mp, i);
        bool child_body = body_allowed && (body_index < 0 || body_index == i);
        RT_RETURN_IF_ERROR(Visit(child, depth + 1, child_body));
      }
      return OkStatus();
    }

    if (GMIME_IS_MESSAGE_PART(obj)) {
      RT_RETURN_IF_ERROR(CountOnly(obj, depth));
      if (report_original_) return OkStatus();  // the bounced message itself
      GMimeMessage* inner =
          g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
      Candidate c;
      c.attachment.content_type = type;
      c.attachment.filename = CleanFilename(
          g_mime_object_get_content_disposition_parameter(obj, "filename"));
      if (inner != nullptr) {
        GPtr<GMimeStream> stream(g_mime_stream_mem_new());
        g_mime_object_write_to_stream(GMIME_OBJECT(inner), nullptr,
                                      stream.get());
        GByteArray* a =
            g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream.get()));
        c.attachment.bytes.assign(reinterpret_cast<const char*>(a->data),
                                  a->len);
        if (c.attachment.filename.empty()) {
          const char* subject = g_mime_message_get_subject(inner);
          c.attachment.filename = CleanFilename(subject ? subject : "");
          if (!c.attachment.filename.empty()) c.attachment.filename += ".eml";
        }
      }
      if (c.attachment.filename.empty()) c.attachment.filename = "message.eml";
      candidates_.push_back(std::move(c));
      return OkStatus();
    }

    if (!GMIME_IS_PART(obj)) return OkStatus();
    GMimePart* part = GMIME_PART(obj);
    const char* disposition = g_mime_object_get_disposition(obj);
    bool attachment_disposition =
        disposition != nullptr && EqualsNoCase(disposition, "attachment");
    std::string filename = CleanFilename(g_mime_part_get_filename(part));
    bool is_text = type == "text/plain" || type == "text/html";

    if (type == "message/delivery-status" ||
        type == "message/global-delivery-status") {
      ParseDeliveryStatus(SanitizeText(DecodedBytes(part)), m_.delivery_status);
      report_original_ = true;
      return OkStatus();
    }
    if (type == "text/rfc822-headers" && report_original_) return OkStatus();
    if (type == "application/pgp-signature" ||
        type == "application/pkcs7-signature" ||
        type == "application/x-pkcs7-signature") {
      m_.skipped.push_back({filename, type, 0, "signature"});
      return OkStatus();
    }
    if (is_text && !attachment_disposition && filename.empty()) {
      std::string text = DecodeText(part);
      if (type == "text/html") CollectCids(text, cids_);
      if (!body_allowed) return OkStatus();  // another form of the body
      if (type == "text/html") {
        text = HtmlToText(text);
        m_.text_from_html = true;
      } else if (ContentTypeParam(obj, "format") == "flowed") {
        text = DecodeFlowed(text, ContentTypeParam(obj, "delsp") == "yes");
      }
      if (text::Trim(text).empty()) return OkStatus();
      if (!m_.text.empty()) m_.text += "\n\n";
      m_.text += text;
      return OkStatus();
    }

    Candidate c;
    c.image = type.rfind("image/", 0) == 0;
    c.attachment.filename = filename.empty() ? "attachment" : filename;
    c.attachment.content_type = type;
    if (const char* cid = g_mime_object_get_content_id(obj)) {
      c.attachment.content_id = SanitizeLine(cid);
    }
    c.attachment.bytes = DecodedBytes(part);
    candidates_.push_back(std::move(c));
    return OkStatus();
  }

  // Sorts the candidates into attachments and skipped parts.
  void Finish() {
    for (Candidate& c : candidates_) {
      InboundAttachment& a = c.attachment;
      a.size = a.bytes.size();
      std::string reason;
      if (c.image && !a.content_id.empty() && cids_.count(a.content_id) > 0) {
        reason = "inline_image";
      } else if (a.size > limits_.max_attachment_bytes) {
        reason = "too_large";
      } else if (m_.attachments.size() >= limits_.max_attachments) {
        reason = "too_many";
      }
      if (reason.empty()) {
        m_.attachments.push_back(std::move(a));
      } else {
        m_.skipped.push_back({a.filename, a.content_type, a.size, reason});
      }
    }
    candidates_.clear();
  }

 private:
  // The child of a multipart/alternative to read: the text/plain part when
  // it has text, else the last (richest) part, as RFC 2046 orders them.
  int ChooseAlternative(GMimeMultipart* mp) {
    int count = g_mime_multipart_get_count(mp);
    for (int i = 0; i < count; ++i) {
      GMimeObject* child = g_mime_multipart_get_part(mp, i);
      if (GMIME_IS_PART(child) &&
          LowerMimeType(g_mime_object_get_content_type(child)) ==
              "text/plain" &&
          g_mime_part_get_filename(GMIME_PART(child)) == nullptr &&
          !text::Trim(DecodeText(GMIME_PART(child))).empty()) {
        return i;
      }
    }
    for (int i = count - 1; i >= 0; --i) {
      GMimeObject* child = g_mime_multipart_get_part(mp, i);
      std::string type = LowerMimeType(g_mime_object_get_content_type(child));
      if (type == "text/html" || GMIME_IS_MULTIPART(child)) return i;
    }
    return count - 1;
  }

  // Counts the parts under `obj` against the limits without reading them.
  Status CountOnly(GMimeObject* obj, size_t depth) {
    if (GMIME_IS_MULTIPART(obj)) {
      GMimeMultipart* mp = GMIME_MULTIPART(obj);
      for (int i = 0; i < g_mime_multipart_get_count(mp); ++i) {
        if (++parts_ > limits_.max_parts) return TooManyParts();
        if (depth + 1 > limits_.max_depth) return TooDeep();
        RT_RETURN_IF_ERROR(
            CountOnly(g_mime_multipart_get_part(mp, i), depth + 1));
      }
    } else if (GMIME_IS_MESSAGE_PART(obj)) {
      GMimeMessage* inner =
          g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
      GMimeObject* body = inner ? g_mime_message_get_mime_part(inner) : nullptr;
      if (body != nullptr) {
        if (++parts_ > limits_.max_parts) return TooManyParts();
        if (depth + 1 > limits_.max_depth) return TooDeep();
        RT_RETURN_IF_ERROR(CountOnly(body, depth + 1));
      }
    }
    return OkStatus();
  }

  const InboundLimits& limits_;
  InboundMessage& m_;
  size_t parts_ = 0;
  bool report_original_ = false;
  std::set<std::string> cids_;
  std::vector<Candidate> candidates_;
};

}  // namespace

std::optional<std::string_view> InboundMessage::Header(
    std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (EqualsNoCase(n, name)) return std::string_view(v);
  }
  return std::nullopt;
}

Result<InboundMessage> ParseInbound(std::string_view rfc5322_bytes,
                                    const InboundLimits& limits) {
  RT_ASSIGN_OR_RETURN(std::string_view bytes, Preflight(rfc5322_bytes, limits));
  EnsureGMimeInitialized();

  // GMime reads C strings out of header values: NUL bytes would cut them
  // short at random, so they go before parsing (no text needs them).
  std::string copy(bytes);
  std::erase(copy, '\0');

  GPtr<GMimeStream> stream(
      g_mime_stream_mem_new_with_buffer(copy.data(), copy.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  GPtr<GMimeMessage> msg(
      g_mime_parser_construct_message(parser.get(), nullptr));
  if (msg == nullptr) {
    return Refuse(ErrorKind::kInvalidInput, "mail_not_a_message",
                  "The input could not be read as a mail message.");
  }
  GMimeObject* obj = GMIME_OBJECT(msg.get());

  InboundMessage m;
  GMimeHeaderList* list = g_mime_object_get_header_list(obj);
  int header_count = g_mime_header_list_get_count(list);
  if (static_cast<size_t>(header_count) > limits.max_headers) {
    return Refuse(ErrorKind::kTooLarge, "mail_too_many_headers",
                  "The message has too many header fields.");
  }
  for (int i = 0; i < header_count; ++i) {
    GMimeHeader* h = g_mime_header_list_get_header_at(list, i);
    const char* name = g_mime_header_get_name(h);
    const char* value = g_mime_header_get_value(h);
    std::string v = SanitizeLine(value ? value : "");
    if (v.size() > kMaxHeaderValueBytes)
      v = SanitizeLine(v.substr(0, kMaxHeaderValueBytes));
    std::string n = SanitizeLine(name ? name : "");
    if (EqualsNoCase(n, "Delivered-To") || EqualsNoCase(n, "X-Original-To")) {
      GPtr<InternetAddressList> parsed(
          internet_address_list_parse(nullptr, v.c_str()));
      for (const Mailbox& box :
           Mailboxes(parsed.get(), kMaxAddressesPerField)) {
        (EqualsNoCase(n, "Delivered-To") ? m.delivered_to : m.x_original_to)
            .push_back(box.address);
      }
    } else if (EqualsNoCase(n, "Return-Path") && !m.return_path) {
      std::string_view rp = text::Trim(v);
      if (!rp.empty() && rp.front() == '<') rp.remove_prefix(1);
      if (!rp.empty() && rp.back() == '>') rp.remove_suffix(1);
      m.return_path = std::string(text::Trim(rp));
    }
    m.headers.emplace_back(std::move(n), std::move(v));
  }

  std::vector<Mailbox> from = Mailboxes(
      g_mime_message_get_addresses(msg.get(), GMIME_ADDRESS_TYPE_FROM), 1);
  if (from.empty() || from[0].address.find('@') == std::string::npos) {
    return Refuse(ErrorKind::kInvalidInput, "mail_no_sender",
                  "The message has no sender address in From.");
  }
  m.from = std::move(from[0]);
  m.to =
      Mailboxes(g_mime_message_get_addresses(msg.get(), GMIME_ADDRESS_TYPE_TO),
                kMaxAddressesPerField);
  m.cc =
      Mailboxes(g_mime_message_get_addresses(msg.get(), GMIME_ADDRESS_TYPE_CC),
                kMaxAddressesPerField);
  m.reply_to = Mailboxes(
      g_mime_message_get_addresses(msg.get(), GMIME_ADDRESS_TYPE_REPLY_TO),
      kMaxAddressesPerField);
  if (const char* s = g_mime_message_get_subject(msg.get()))
    m.subject = SanitizeLine(s);
  if (const char* id = g_mime_message_get_message_id(msg.get())) {
    m.message_id = SanitizeLine(id);
    if (!IsValidMessageId(m.message_id)) m.message_id.clear();
  }
  std::vector<std::string> in_reply_to =
      MessageIds(g_mime_object_get_header(obj, "In-Reply-To"), 1);
  if (!in_reply_to.empty()) m.in_reply_to = std::move(in_reply_to[0]);
  m.references = MessageIds(g_mime_object_get_header(obj, "References"),
                            kMaxInboundReferences);
  if (GDateTime* date = g_mime_message_get_date(msg.get())) {
    m.date = FromUnix(g_date_time_to_unix(date));
  }

  GMimeObject* body = g_mime_message_get_mime_part(msg.get());
  if (body != nullptr) {
    m.content_type = LowerMimeType(g_mime_object_get_content_type(body));
    if (m.content_type == "multipart/report") {
      m.report_type = ContentTypeParam(body, "report-type");
    }
    Walker walker(limits, m);
    RT_RETURN_IF_ERROR(walker.Visit(body, 1, true));
    walker.Finish();
  }
  return m;
}

}  // namespace rt::mail
