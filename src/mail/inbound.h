#ifndef RT_MAIL_INBOUND_H_
#define RT_MAIL_INBOUND_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "mail/outgoing.h"

namespace rt::mail {

// Bounds on the work ParseInbound does for one message. Anything over a
// message-wide limit refuses the message; attachments over their limits are
// listed in InboundMessage::skipped instead, so the caller can say which
// file was left out and why.
struct InboundLimits {
  size_t max_message_bytes = 10 * 1024 * 1024;
  size_t max_parts = 200;       // MIME parts of every kind, all levels
  size_t max_depth = 12;        // multipart and message/rfc822 nesting
  size_t max_attachments = 10;  // kept; later ones are skipped
  size_t max_attachment_bytes = 5 * 1024 * 1024;  // each, decoded
  size_t max_headers = 500;  // header fields of the message itself
};

// A file the member sent, as declared by their mail client. Nothing here is
// trusted: the caller types the bytes by content (libmagic) before storing.
struct InboundAttachment {
  // Base name only, cleaned: no directory part, no control characters,
  // no leading dots, at most 200 bytes of UTF-8; "attachment" when none.
  std::string filename;
  std::string content_type;  // declared, lower-case: "application/pdf"
  std::string content_id;    // without angle brackets; often empty
  std::string bytes;         // decoded content
  size_t size = 0;           // bytes.size()
};

// A part that is not in `attachments`, and why.
struct SkippedPart {
  std::string filename;      // cleaned as above; may be empty
  std::string content_type;  // declared, lower-case
  size_t size = 0;           // decoded bytes (0 when not decoded)
  // "inline_image": an image the HTML body shows by Content-ID (a logo or
  //   signature picture), not a file the member attached;
  // "too_large": over max_attachment_bytes;
  // "too_many": past max_attachments;
  // "signature": a PGP or S/MIME signature part;
  // "encrypted": an encrypted part we cannot read.
  std::string reason;
};

// One per recipient of a delivery status notification (RFC 3464).
struct DeliveryStatus {
  std::string recipient;   // Final-Recipient (or Original-Recipient) address
  std::string action;      // lower-case: "failed", "delayed", "delivered"...
  std::string status;      // "5.1.1"
  std::string diagnostic;  // Diagnostic-Code, one line, may be empty
};

// A parsed incoming message. All strings are valid UTF-8; one-line fields
// hold no control characters; `text` holds no controls but "\n" and "\t".
struct InboundMessage {
  Mailbox from;  // first mailbox of From; the address is as written
  std::vector<Mailbox> to;
  std::vector<Mailbox> cc;
  std::vector<Mailbox> reply_to;
  // The envelope recipients an MTA recorded (Postfix pipe flags D and O).
  std::vector<std::string> delivered_to;
  std::vector<std::string> x_original_to;
  // Return-Path as delivered, without brackets. nullopt when absent; ""
  // for the null reverse-path "<>" (bounces, auto-replies).
  std::optional<std::string> return_path;
  std::string subject;  // RFC 2047-decoded, one line
  // Message ids without angle brackets. Ids that IsValidMessageId refuses
  // are dropped, so each can go back into a header we send.
  std::string message_id;               // may be empty
  std::string in_reply_to;              // the first id; may be empty
  std::vector<std::string> references;  // oldest first
  std::optional<TimePoint> date;        // nullopt when missing or unreadable
  // Every header field of the message itself, in order: name as written,
  // value unfolded and decoded (one line). Read by ClassifyAutomatic.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content_type;  // top level, lower-case: "multipart/report"
  std::string report_type;   // multipart/report's parameter, lower-case

  // The best readable body: the text/plain part when there is one (format=
  // flowed decoded), else the HTML part as text (HtmlToText), converted to
  // UTF-8 from its declared charset. Inline text parts of a multipart/mixed
  // body are joined. "\n" newlines. Quotes and signatures are still in; see
  // ExtractReply.
  std::string text;
  bool text_from_html = false;

  std::vector<InboundAttachment> attachments;
  std::vector<SkippedPart> skipped;
  std::vector<DeliveryStatus> delivery_status;  // only in DSN reports

  // The value of the first header named `name` (case-insensitive), or
  // nullopt.
  std::optional<std::string_view> Header(std::string_view name) const;
};

// Parses one RFC 5322 message as an MTA delivers it (CRLF or LF; a leading
// mbox "From " line is skipped) with GMime. Decodes transfer encodings
// (quoted-printable, base64) and charsets (UTF-8, ISO-8859-x, Windows-125x
// and whatever iconv knows; ISO-8859-1 and US-ASCII are read as
// Windows-1252; an unknown charset is read as UTF-8 when valid, else as
// Windows-1252), so the text is always valid UTF-8: invalid sequences
// become U+FFFD, NUL and control characters are dropped.
//
// Errors, each with a plain message and no partial result:
//   mail_empty (kInvalidInput): nothing but whitespace;
//   mail_too_large (kTooLarge): over limits.max_message_bytes;
//   mail_not_a_message (kInvalidInput): does not start with a header field;
//   mail_too_many_parts, mail_too_deep, mail_too_many_headers (kTooLarge):
//     over the structural limits; checked on the raw bytes before GMime
//     builds anything, and again on the parsed tree;
//   mail_no_sender (kInvalidInput): no From mailbox with an "@".
// Work and memory are linear in the input size within the limits.
// Thread-safe: each call uses its own GMime objects.
Result<InboundMessage> ParseInbound(std::string_view rfc5322_bytes,
                                    const InboundLimits& limits = {});

}  // namespace rt::mail

#endif  // RT_MAIL_INBOUND_H_
