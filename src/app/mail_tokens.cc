#include "app/mail_tokens.h"

#include <sodium.h>

#include <array>
#include <utility>

#include "domain/discussions/email_switches.h"

namespace rt::app {
namespace {

constexpr size_t kIdBytes = 16;   // two big-endian int64
constexpr size_t kMacBytes = 16;  // truncated HMAC-SHA256
constexpr size_t kTokenBytes = kIdBytes + kMacBytes;
constexpr size_t kTokenChars = 43;  // base64url of 32 bytes, no padding

void PutInt(unsigned char* out, int64_t v) {
  auto u = static_cast<uint64_t>(v);
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<unsigned char>(u & 0xff);
    u >>= 8;
  }
}

int64_t GetInt(const unsigned char* in) {
  uint64_t u = 0;
  for (int i = 0; i < 8; ++i) u = (u << 8) | in[i];
  return static_cast<int64_t>(u);
}

}  // namespace

MailTokens::MailTokens(std::string key) : key_(std::move(key)) {}

Result<MailTokens> MailTokens::Load(store::Store& db) {
  RT_ASSIGN_OR_RETURN(std::string key, db.secrets().Get("mail_tokens"));
  return MailTokens(std::move(key));
}

std::string MailTokens::Make(char purpose, int64_t a, int64_t b) const {
  std::array<unsigned char, kTokenBytes> raw{};
  PutInt(raw.data(), a);
  PutInt(raw.data() + 8, b);
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key_.data()),
                              key_.size());
  const auto p = static_cast<unsigned char>(purpose);
  crypto_auth_hmacsha256_update(&st, &p, 1);
  crypto_auth_hmacsha256_update(&st, raw.data(), kIdBytes);
  crypto_auth_hmacsha256_final(&st, mac.data());
  std::copy_n(mac.begin(), kMacBytes, raw.begin() + kIdBytes);
  char out[kTokenChars + 1];
  sodium_bin2base64(out, sizeof out, raw.data(), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(out, kTokenChars);
}

bool MailTokens::Open(char purpose, std::string_view token, int64_t* a, int64_t* b) const {
  if (token.size() != kTokenChars) return false;
  std::array<unsigned char, kTokenBytes> raw{};
  size_t len = 0;
  if (sodium_base642bin(raw.data(), raw.size(), token.data(), token.size(), nullptr, &len,
                        nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      len != kTokenBytes) {
    return false;
  }
  int64_t x = GetInt(raw.data());
  int64_t y = GetInt(raw.data() + 8);
  std::string expected = Make(purpose, x, y);
  // Compare the whole canonical form: base64 has more than one spelling of
  // the last character, and only ours is valid.
  if (expected.size() != token.size() ||
      sodium_memcmp(expected.data(), token.data(), token.size()) != 0) {
    return false;
  }
  *a = x;
  *b = y;
  return true;
}

std::string MailTokens::ReplyToken(AccountId account, ThreadId thread) const {
  return Make('r', account.value, thread.value);
}

std::optional<ReplyTarget> MailTokens::OpenReplyToken(std::string_view token) const {
  int64_t a = 0, b = 0;
  if (!Open('r', token, &a, &b) || a <= 0 || b <= 0) return std::nullopt;
  return ReplyTarget{AccountId{a}, ThreadId{b}};
}

std::string MailTokens::UnsubscribeToken(AccountId account, GroupId group) const {
  return Make('u', account.value, group.value);
}

std::optional<UnsubscribeTarget> MailTokens::OpenUnsubscribeToken(std::string_view token) const {
  int64_t a = 0, b = 0;
  if (!Open('u', token, &a, &b) || a <= 0 || b < 0) return std::nullopt;
  return UnsubscribeTarget{AccountId{a}, GroupId{b}};
}

std::string MailTokens::KindUnsubscribeToken(AccountId account, NotificationKind kind) const {
  return Make('k', account.value, static_cast<int64_t>(kind));
}

std::optional<KindUnsubscribeTarget> MailTokens::OpenKindUnsubscribeToken(
    std::string_view token) const {
  int64_t a = 0, b = 0;
  // The kind is its position in the enum; a token made for a kind that a
  // later version removed names nothing.
  if (!Open('k', token, &a, &b) || a <= 0 || b < 0 ||
      b >= static_cast<int64_t>(kNotificationKinds.size())) {
    return std::nullopt;
  }
  return KindUnsubscribeTarget{AccountId{a}, static_cast<NotificationKind>(b)};
}

std::string MailTokens::BounceToken(AccountId account) const {
  return Make('b', account.value, 0);
}

std::optional<AccountId> MailTokens::OpenBounceToken(std::string_view token) const {
  int64_t a = 0, b = 0;
  if (!Open('b', token, &a, &b) || a <= 0 || b != 0) return std::nullopt;
  return AccountId{a};
}

}  // namespace rt::app
