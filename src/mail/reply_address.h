#ifndef RT_MAIL_REPLY_ADDRESS_H_
#define RT_MAIL_REPLY_ADDRESS_H_

#include <string>
#include <string_view>

#include "core/result.h"
#include "mail/inbound.h"

namespace rt::mail {

// The addresses Roundtable receives mail on, all at the association's mail
// domain (compared without regard to case):
//
//   reply+TOKEN@DOMAIN  a reply to a thread. TOKEN is minted per recipient
//                       and thread and put in Reply-To; it is 16 to 58
//                       characters of [A-Za-z0-9_-] (base64url), returned
//                       exactly as written: the caller looks it up.
//   bounces+TOKEN@DOMAIN
//                       where delivery reports about one account's mail
//                       arrive: the SMTP envelope sender of that mail
//                       (VERP). TOKEN has the syntax of a reply token.
//                       A report is only trusted here, since anyone can
//                       send one to a fixed address; "bounces@" alone is
//                       reserved and names nothing.
//   SLUG@DOMAIN         a new discussion in group SLUG ("data-measurement@").
//                       The local part is matched lower-cased; a "+detail"
//                       on a group address is not accepted, so one address
//                       means one thing.
//
// Local parts in kReservedLocalParts are never groups, so no group slug may
// take one of them (the group layer must refuse those slugs).
inline constexpr char kReplyLocalPart[] = "reply";
inline constexpr char kBounceLocalPart[] = "bounces";
inline constexpr std::string_view kReservedLocalParts[] = {
    "reply", "bounce",   "bounces",       "unsubscribe",   "postmaster",
    "abuse", "noreply",  "no-reply",      "mailer-daemon", "groups",
    "admin", "root",     "hostmaster",    "webmaster",     "support",
    "help",  "security", "notifications", "digest",        "www"};
inline constexpr size_t kMinReplyTokenBytes = 16;
inline constexpr size_t kMaxReplyTokenBytes = 58;  // local part max 64

enum class TargetKind { kReply, kNewDiscussion, kBounce };

struct MailTarget {
  TargetKind kind = TargetKind::kReply;
  std::string token;       // kReply and kBounce only
  std::string group_slug;  // kNewDiscussion only, lower-case
  std::string address;     // the recipient that matched, as written
};

// True for a group slug that can be a mail address: 1 to 63 lower-case
// ASCII letters, digits and inner hyphens, not a reserved local part.
bool IsMailableGroupSlug(std::string_view slug);

// The bounce address for `token` (MailTokens::BounceToken) at
// `mail_domain`: "bounces+TOKEN@DOMAIN".
std::string BounceAddress(std::string_view token, std::string_view mail_domain);

// Reads one recipient address against the scheme above. Errors:
//   mail_not_ours (kNotFound): not at `mail_domain`, or not an address;
//   mail_invalid_token (kInvalidInput): reply+ with a missing or malformed
//     token (wrong characters or length);
//   mail_unknown_address (kNotFound): at our domain, but neither a reply,
//     a bounce nor a group address (reserved names such as "bounces@",
//     "slug+x", bad slugs, bounces+ with a malformed token: no person
//     writes to a bounce address, so there is no one to tell it is
//     damaged).
// Pure; thread-safe.
Result<MailTarget> ParseTargetAddress(std::string_view address,
                                      std::string_view mail_domain);

// Finds where a message was sent, trying in order `envelope_recipient` (the
// RCPT TO address, when the MTA passes it to `mail ingest`), X-Original-To,
// Delivered-To, To, then Cc: the envelope is the most reliable, and Bcc'd
// addresses only appear there. The first recipient that parses wins. When
// none does, the error is that of the first recipient at our domain (so a
// damaged token is reported as such), else mail_no_target (kNotFound).
Result<MailTarget> FindTarget(const InboundMessage& message,
                              std::string_view mail_domain,
                              std::string_view envelope_recipient = {});

}  // namespace rt::mail

#endif  // RT_MAIL_REPLY_ADDRESS_H_
