#ifndef RT_APP_IDEMPOTENCY_H_
#define RT_APP_IDEMPOTENCY_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/ids.h"
#include "core/result.h"
#include "store/store.h"

// Idempotency keys let a client (or a double-clicked form) retry a create
// safely: the first request's result is stored under (account, key) in the
// same transaction as the work, and a retry gets that result back. A key
// reused for a *different* request is refused, never answered with another
// request's result.
namespace rt::app {

// Checks a client-chosen key: at most 128 printable characters ("" = none).
// Errors: kInvalidInput "invalid_idempotency_key".
Status CheckIdempotencyKey(const std::string& key);

// A short digest of everything that makes a request what it is.
std::string RequestFingerprint(std::string_view request);

// The payload stored for this key and fingerprint, if any. Errors:
// kRuleBroken "idempotency_key_reused" when the key came with another request.
Result<std::optional<std::string>> ReplayIdempotent(store::Store& db, AccountId account,
                                                    const std::string& key,
                                                    const std::string& fingerprint);

// Stores `payload` under the key (no-op for an empty key). Call inside the
// transaction that did the work.
Status RememberIdempotent(store::Store& db, AccountId account, const std::string& key,
                          const std::string& fingerprint, const std::string& payload,
                          TimePoint now);

}  // namespace rt::app

#endif  // RT_APP_IDEMPOTENCY_H_
