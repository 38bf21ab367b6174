#include "core/crypto.h"

#include <sodium.h>

#include <cstdio>
#include <mutex>
#include <vector>

namespace rt::crypto {

namespace {
// OWASP's Argon2id floor (m = 19 MiB, t = 2): strong against offline cracking
// while keeping a burst of sign-ins inside a small machine's memory.
constexpr unsigned long long kOpsLimit = 2;
constexpr size_t kMemLimit = 19u * 1024 * 1024;
}  // namespace

bool Init() { return sodium_init() >= 0; }

std::string RandomToken(size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  std::string out(sodium_base64_encoded_len(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), buf.data(), buf.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::string FormToken() {
  struct Stream {
    unsigned char key[crypto_stream_chacha20_KEYBYTES];
    uint64_t counter = 0;
    Stream() { randombytes_buf(key, sizeof key); }
  };
  thread_local Stream stream;
  unsigned char nonce[crypto_stream_chacha20_NONCEBYTES] = {};
  uint64_t n = ++stream.counter;
  for (size_t i = 0; i < sizeof n && i < sizeof nonce; ++i) {
    nonce[i] = static_cast<unsigned char>(n >> (8 * i));
  }
  unsigned char buf[16];
  crypto_stream_chacha20(buf, sizeof buf, nonce, stream.key);
  char out[32];
  sodium_bin2base64(out, sizeof out, buf, sizeof buf, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(out);
}

std::string HashToken(std::string_view token) {
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest,
                     reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, 64);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<std::string> HashPassword(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit,
                            kMemLimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return MakeError(ErrorKind::kUnavailable, "server_busy",
                     "The server is busy. Please try again in a moment.");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view encoded, std::string_view password) {
  std::string enc(encoded);  // libsodium needs a NUL-terminated string
  return crypto_pwhash_str_verify(enc.c_str(), password.data(),
                                  password.size()) == 0;
}

void VerifyDummyPassword(std::string_view password) {
  static std::once_flag once;
  static std::string dummy;
  std::call_once(once, [] {
    auto h = HashPassword(RandomToken(16));
    if (h.ok()) dummy = *h;
  });
  if (!dummy.empty()) (void)VerifyPassword(dummy, password);
}

Result<std::string> Sha256OfFile(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    return MakeError(ErrorKind::kInternal, "file_unreadable", "A stored file could not be read.");
  }
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  unsigned char buf[64 * 1024];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) crypto_hash_sha256_update(&st, buf, n);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) {
    return MakeError(ErrorKind::kInternal, "file_unreadable", "A stored file could not be read.");
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, digest);
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex);
}

}  // namespace rt::crypto
