#include "support/mime_reader.h"

#include <gmime/gmime.h>
#include <strings.h>

#include "mail/gmime_init.h"

namespace rt::testing {

namespace {

std::vector<ParsedAddress> Addresses(InternetAddressList* list) {
  std::vector<ParsedAddress> out;
  if (list == nullptr) return out;
  for (int i = 0; i < internet_address_list_length(list); ++i) {
    InternetAddress* ia = internet_address_list_get_address(list, i);
    ParsedAddress a;
    if (const char* name = internet_address_get_name(ia)) a.name = name;
    if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
      a.address =
          internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
    }
    out.push_back(a);
  }
  return out;
}

void CollectParts(GMimeObject* obj, std::vector<ParsedPart>& parts) {
  if (GMIME_IS_MULTIPART(obj)) {
    GMimeMultipart* mp = GMIME_MULTIPART(obj);
    for (int i = 0; i < g_mime_multipart_get_count(mp); ++i) {
      CollectParts(g_mime_multipart_get_part(mp, i), parts);
    }
    return;
  }
  ParsedPart part;
  GMimeContentType* ct = g_mime_object_get_content_type(obj);
  part.content_type = std::string(g_mime_content_type_get_media_type(ct)) +
                      "/" + g_mime_content_type_get_media_subtype(ct);
  if (const char* cs = g_mime_content_type_get_parameter(ct, "charset"))
    part.charset = cs;
  if (const char* cte =
          g_mime_object_get_header(obj, "Content-Transfer-Encoding")) {
    part.transfer_encoding = cte;
  }
  if (GMIME_IS_TEXT_PART(obj)) {
    char* text = g_mime_text_part_get_text(GMIME_TEXT_PART(obj));
    if (text != nullptr) part.text = text;
    g_free(text);
  }
  parts.push_back(part);
}

}  // namespace

std::string ParsedMessage::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (n.size() == name.size() &&
        strncasecmp(n.data(), name.data(), n.size()) == 0) {
      return v;
    }
  }
  return "";
}

int ParsedMessage::HeaderCount(std::string_view name) const {
  int count = 0;
  for (const auto& [n, v] : headers) {
    if (n.size() == name.size() &&
        strncasecmp(n.data(), name.data(), n.size()) == 0) {
      ++count;
    }
  }
  return count;
}

ParsedMessage ParseMessage(const std::string& bytes) {
  mail::EnsureGMimeInitialized();
  ParsedMessage out;
  GMimeStream* stream =
      g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size());
  GMimeParser* parser = g_mime_parser_new_with_stream(stream);
  GMimeMessage* msg = g_mime_parser_construct_message(parser, nullptr);
  g_object_unref(parser);
  g_object_unref(stream);
  if (msg == nullptr) return out;
  out.ok = true;

  GMimeHeaderList* list = g_mime_object_get_header_list(GMIME_OBJECT(msg));
  for (int i = 0; i < g_mime_header_list_get_count(list); ++i) {
    GMimeHeader* h = g_mime_header_list_get_header_at(list, i);
    const char* value = g_mime_header_get_value(h);
    out.headers.emplace_back(g_mime_header_get_name(h), value ? value : "");
  }
  out.from = Addresses(g_mime_message_get_from(msg));
  out.to = Addresses(g_mime_message_get_to(msg));
  out.reply_to = Addresses(g_mime_message_get_reply_to(msg));
  if (const char* s = g_mime_message_get_subject(msg)) out.subject = s;
  if (const char* id = g_mime_message_get_message_id(msg)) out.message_id = id;
  std::string refs = out.Header("References");
  if (!refs.empty()) {
    GMimeReferences* parsed = g_mime_references_parse(nullptr, refs.c_str());
    for (int i = 0; parsed && i < g_mime_references_length(parsed); ++i) {
      out.references.push_back(g_mime_references_get_message_id(parsed, i));
    }
    if (parsed) g_mime_references_free(parsed);
  }
  GMimeObject* body = g_mime_message_get_mime_part(msg);
  if (body != nullptr) {
    GMimeContentType* ct = g_mime_object_get_content_type(body);
    out.content_type = std::string(g_mime_content_type_get_media_type(ct)) +
                       "/" + g_mime_content_type_get_media_subtype(ct);
    CollectParts(body, out.parts);
  }
  g_object_unref(msg);
  return out;
}

}  // namespace rt::testing
