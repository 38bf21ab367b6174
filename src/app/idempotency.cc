#include "app/idempotency.h"

#include "core/crypto.h"
#include "core/text.h"

namespace rt::app {

Status CheckIdempotencyKey(const std::string& key) {
  if (key.size() > 128 || text::HasControlChars(key, false) || !text::IsValidUtf8(key)) {
    return MakeError(ErrorKind::kInvalidInput, "invalid_idempotency_key",
                     "The Idempotency-Key must be at most 128 printable characters.");
  }
  return OkStatus();
}

std::string RequestFingerprint(std::string_view request) {
  return crypto::HashToken(request).substr(0, 32);
}

Result<std::optional<std::string>> ReplayIdempotent(store::Store& db, AccountId account,
                                                    const std::string& key,
                                                    const std::string& fingerprint) {
  if (key.empty()) return std::optional<std::string>();
  RT_ASSIGN_OR_RETURN(std::optional<store::IdempotentResponse> r,
                      db.idempotency().Find(account, key));
  if (!r) return std::optional<std::string>();
  size_t space = r->body.find(' ');
  if (space == std::string::npos || r->body.compare(0, space, fingerprint) != 0) {
    return MakeError(ErrorKind::kRuleBroken, "idempotency_key_reused",
                     "This Idempotency-Key was already used for a different request. Use a new "
                     "key for each new request.");
  }
  return std::optional<std::string>(r->body.substr(space + 1));
}

Status RememberIdempotent(store::Store& db, AccountId account, const std::string& key,
                          const std::string& fingerprint, const std::string& payload,
                          TimePoint now) {
  if (key.empty()) return OkStatus();
  return db.idempotency().Save(account, key, {201, fingerprint + " " + payload}, now);
}

}  // namespace rt::app
