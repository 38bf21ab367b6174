#include "domain/accounts/account_token.h"

namespace rt {

std::string_view ToString(TokenPurpose p) {
  switch (p) {
    case TokenPurpose::kVerify:
      return "verify";
    case TokenPurpose::kReset:
      return "reset";
    case TokenPurpose::kEmailChange:
      return "email_change";
  }
  return "verify";
}

std::optional<TokenPurpose> ParseTokenPurpose(std::string_view s) {
  for (TokenPurpose p : {TokenPurpose::kVerify, TokenPurpose::kReset, TokenPurpose::kEmailChange}) {
    if (ToString(p) == s) return p;
  }
  return std::nullopt;
}

std::chrono::seconds TokenLifetime(TokenPurpose p) {
  return p == TokenPurpose::kReset ? std::chrono::hours(1) : std::chrono::hours(48);
}

TokenState LinkStateAt(const std::optional<TimePoint>& used_at, TimePoint expires_at,
                       TimePoint now) {
  if (used_at) return TokenState::kUsed;
  if (now >= expires_at) return TokenState::kExpired;
  return TokenState::kUsable;
}

TokenState StateAt(const AccountToken& t, TimePoint now) {
  return LinkStateAt(t.used_at, t.expires_at, now);
}

}  // namespace rt
