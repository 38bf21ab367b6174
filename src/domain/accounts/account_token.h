#ifndef RT_DOMAIN_ACCOUNTS_ACCOUNT_TOKEN_H_
#define RT_DOMAIN_ACCOUNTS_ACCOUNT_TOKEN_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/ids.h"

namespace rt {

// What a link in account mail is for. A token works only for its own
// purpose: a password-reset link cannot verify an address, and so on.
enum class TokenPurpose {
  kVerify,       // confirm the address given at registration
  kReset,        // choose a new password
  kEmailChange,  // confirm a new address before the account switches to it
};

// "verify", "reset", "email_change": the stored form.
std::string_view ToString(TokenPurpose p);
std::optional<TokenPurpose> ParseTokenPurpose(std::string_view s);

// How long a link works. A reset link is short-lived because it is as good
// as the password; an address confirmation only proves a mailbox.
std::chrono::seconds TokenLifetime(TokenPurpose p);

// A token as stored: only the hash of the secret in the link.
struct AccountToken {
  std::string token_hash;  // crypto::HashToken of the secret
  TokenPurpose purpose = TokenPurpose::kVerify;
  AccountId account;
  // The address the link was sent to, and the only one it can confirm.
  std::string email;
  TimePoint created_at;
  TimePoint expires_at;
  std::optional<TimePoint> used_at;
};

enum class TokenState { kUsable, kUsed, kExpired };

// A used token stays used after it expires (the more useful thing to tell).
TokenState StateAt(const AccountToken& t, TimePoint now);

// The same rule for any single-use, expiring link (invitations use it too).
TokenState LinkStateAt(const std::optional<TimePoint>& used_at, TimePoint expires_at,
                       TimePoint now);

// At most this many links of one purpose go to one address per
// kMailsPerAddressWindow; further requests are answered alike but send
// nothing, so nobody can flood a mailbox through us.
inline constexpr int kMaxMailsPerAddress = 3;
inline constexpr std::chrono::hours kMailsPerAddressWindow{1};

}  // namespace rt

#endif  // RT_DOMAIN_ACCOUNTS_ACCOUNT_TOKEN_H_
