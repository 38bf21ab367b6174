#include "mail/reply_address.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "core/text.h"
#include "mail/address.h"

namespace rt::mail {

namespace {

Error NotOurs() {
  return MakeError(ErrorKind::kNotFound, "mail_not_ours",
                   "The address is not at our mail domain.", "recipient");
}

bool IsTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool IsTokenSyntax(std::string_view token) {
  return token.size() >= kMinReplyTokenBytes &&
         token.size() <= kMaxReplyTokenBytes &&
         std::all_of(token.begin(), token.end(), IsTokenChar);
}

}  // namespace

bool IsMailableGroupSlug(std::string_view slug) {
  if (slug.empty() || slug.size() > 63 || slug.front() == '-' ||
      slug.back() == '-') {
    return false;
  }
  for (char c : slug) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
      return false;
  }
  return std::find(std::begin(kReservedLocalParts),
                   std::end(kReservedLocalParts),
                   slug) == std::end(kReservedLocalParts);
}

std::string BounceAddress(std::string_view token,
                          std::string_view mail_domain) {
  return std::string(kBounceLocalPart) + "+" + std::string(token) + "@" +
         std::string(mail_domain);
}

Result<MailTarget> ParseTargetAddress(std::string_view address,
                                      std::string_view mail_domain) {
  std::string_view trimmed = text::Trim(address);
  if (!ValidateAddress(trimmed, "recipient").ok()) return NotOurs();
  size_t at = trimmed.rfind('@');
  std::string_view local = trimmed.substr(0, at);
  std::string_view domain = trimmed.substr(at + 1);
  if (mail_domain.empty() ||
      text::ToLowerAscii(domain) != text::ToLowerAscii(mail_domain)) {
    return NotOurs();
  }
  MailTarget target;
  target.address = std::string(trimmed);
  size_t plus = local.find('+');
  std::string base = text::ToLowerAscii(local.substr(0, plus));
  if (base == kReplyLocalPart) {
    std::string_view token = plus == std::string_view::npos
                                 ? std::string_view()
                                 : local.substr(plus + 1);
    if (!IsTokenSyntax(token)) {
      return MakeError(ErrorKind::kInvalidInput, "mail_invalid_token",
                       "The reply address is damaged; reply to the email "
                       "again or use the link in it.",
                       "recipient");
    }
    target.kind = TargetKind::kReply;
    target.token = std::string(token);
    return target;
  }
  if (base == kBounceLocalPart && plus != std::string_view::npos &&
      IsTokenSyntax(local.substr(plus + 1))) {
    target.kind = TargetKind::kBounce;
    target.token = std::string(local.substr(plus + 1));
    return target;
  }
  if (plus == std::string_view::npos && IsMailableGroupSlug(base)) {
    target.kind = TargetKind::kNewDiscussion;
    target.group_slug = base;
    return target;
  }
  return MakeError(ErrorKind::kNotFound, "mail_unknown_address",
                   "Nothing receives mail at " + target.address + ".",
                   "recipient");
}

Result<MailTarget> FindTarget(const InboundMessage& m,
                              std::string_view mail_domain,
                              std::string_view envelope_recipient) {
  std::vector<std::string_view> candidates;
  if (!envelope_recipient.empty()) candidates.push_back(envelope_recipient);
  for (const std::string& a : m.x_original_to) candidates.push_back(a);
  for (const std::string& a : m.delivered_to) candidates.push_back(a);
  for (const Mailbox& b : m.to) candidates.push_back(b.address);
  for (const Mailbox& b : m.cc) candidates.push_back(b.address);
  std::optional<Error> first_error;
  for (std::string_view address : candidates) {
    Result<MailTarget> target = ParseTargetAddress(address, mail_domain);
    if (target.ok()) return target;
    if (!first_error && target.error().code != "mail_not_ours") {
      first_error = target.error();
    }
  }
  if (first_error) return *first_error;
  return MakeError(ErrorKind::kNotFound, "mail_no_target",
                   "The message is not addressed to a group or a thread.",
                   "recipient");
}

}  // namespace rt::mail
