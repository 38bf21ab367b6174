#ifndef RT_CORE_CRYPTO_H_
#define RT_CORE_CRYPTO_H_

#include <string>
#include <string_view>

#include "core/result.h"

namespace rt::crypto {

// Initialises libsodium; call once before anything else here. Returns false
// if the library cannot start (no entropy source).
bool Init();

// `bytes` bytes from the CSPRNG, encoded as unpadded base64url.
std::string RandomToken(size_t bytes = 32);

// Like RandomToken(16), for values that must be unique and unguessable but
// are not credentials (form idempotency keys): drawn from a per-thread
// ChaCha20 stream keyed once from the CSPRNG, so a page view costs no
// getrandom system call. Thread-safe.
std::string FormToken();

// A fixed-size digest of a secret token, safe to store and index: a leaked
// database does not reveal live tokens. Hex-encoded BLAKE2b-256.
std::string HashToken(std::string_view token);

// Constant-time comparison of two strings of possibly different lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Argon2id password hashing. Cost is fixed by the library's policy below;
// `HashPassword` fails only when memory cannot be allocated.
Result<std::string> HashPassword(std::string_view password);
// True when `password` matches `encoded` (a HashPassword result).
bool VerifyPassword(std::string_view encoded, std::string_view password);
// Burns the same time as a failed VerifyPassword, so that unknown accounts
// cannot be told from wrong passwords by timing.
void VerifyDummyPassword(std::string_view password);

// The SHA-256 of the file at `path`, hex-encoded (64 lower-case digits),
// read in small chunks. Errors: kInternal "file_unreadable".
Result<std::string> Sha256OfFile(const std::string& path);

}  // namespace rt::crypto

#endif  // RT_CORE_CRYPTO_H_
