#include "mail/address.h"

#include <string>

namespace rt::mail {

namespace {

bool IsAtext(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
      (c >= '0' && c <= '9')) {
    return true;
  }
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '/':
    case '=':
    case '?':
    case '^':
    case '_':
    case '`':
    case '{':
    case '|':
    case '}':
    case '~':
      return true;
    default:
      return false;
  }
}

bool IsDotAtom(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  char prev = 0;
  for (char c : s) {
    if (c == '.') {
      if (prev == '.') return false;
    } else if (!IsAtext(c)) {
      return false;
    }
    prev = c;
  }
  return true;
}

Error Invalid(std::string_view field, std::string message) {
  return MakeError(ErrorKind::kInvalidInput, "mail_invalid_address",
                   std::move(message), std::string(field));
}

}  // namespace

bool IsValidDomain(std::string_view domain) {
  if (domain.empty() || domain.size() > kMaxAddressBytes) return false;
  int labels = 0;
  size_t start = 0;
  while (start <= domain.size()) {
    size_t dot = domain.find('.', start);
    if (dot == std::string_view::npos) dot = domain.size();
    std::string_view label = domain.substr(start, dot - start);
    if (label.empty() || label.size() > kMaxDomainLabelBytes) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                (c >= '0' && c <= '9') || c == '-';
      if (!ok) return false;
    }
    ++labels;
    start = dot + 1;
  }
  return labels >= 2;
}

Status ValidateAddress(std::string_view address, std::string_view field) {
  if (address.empty()) return Invalid(field, "An email address is required.");
  if (address.size() > kMaxAddressBytes) {
    return Invalid(field, "That email address is too long.");
  }
  size_t at = address.rfind('@');
  if (at == std::string_view::npos) {
    return Invalid(field, "That email address has no \"@\".");
  }
  std::string_view local = address.substr(0, at);
  std::string_view domain = address.substr(at + 1);
  if (local.size() > kMaxLocalPartBytes) {
    return Invalid(field, "The part before \"@\" is too long.");
  }
  if (!IsDotAtom(local)) {
    return Invalid(
        field, "The part before \"@\" has characters an address cannot use.");
  }
  if (!IsValidDomain(domain)) {
    return Invalid(field, "The part after \"@\" is not a valid domain name.");
  }
  return OkStatus();
}

std::string CleanDisplayName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  bool pending_space = false;
  for (size_t i = 0; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    bool space = c < 0x20 || c == 0x7F || c == ' ';
    if (c == 0xC2 && i + 1 < name.size()) {
      unsigned char d = static_cast<unsigned char>(name[i + 1]);
      if (d >= 0x80 && d <= 0x9F) {  // a C1 control, two bytes in UTF-8
        space = true;
        ++i;
      }
    }
    if (space) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(static_cast<char>(c));
  }
  if (out.size() > kMaxDisplayNameBytes) {
    size_t cut = kMaxDisplayNameBytes;
    // Back up to the first byte of a code point.
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    out.resize(cut);
    while (!out.empty() && out.back() == ' ') out.pop_back();
  }
  return out;
}

}  // namespace rt::mail
