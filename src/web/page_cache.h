#ifndef RT_WEB_PAGE_CACHE_H_
#define RT_WEB_PAGE_CACHE_H_

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http/message.h"

namespace rt::web {

// Whole responses of pages that every signed-out visitor sees alike (the
// groups directory), each filed under the data version it was rendered from
// (e.g. GroupsService::ListingsVersion). A response is served again only
// while the caller's current version equals the filed one, so a write by
// any process shows at once; the cache never decides freshness by time.
//
// Bounded: at most kMaxEntries keys of at most kMaxKeyBytes, bodies of at
// most kMaxBodyBytes; only 200 responses without Set-Cookie are kept.
// Thread-safe.
class PageCache {
 public:
  static constexpr size_t kMaxEntries = 64;
  static constexpr size_t kMaxKeyBytes = 256;
  static constexpr size_t kMaxBodyBytes = 1 << 20;

  // The response filed under `key` for exactly `version`, if any.
  std::optional<http::Response> Find(std::string_view key, int64_t version) const;

  // Files `r` under `key` for `version`, replacing what was there. Ignores
  // responses that may not be shared (see above), version 0 ("unknown") and
  // oversized keys. When full, drops every entry filed under another
  // version first, then everything: old versions are never served again.
  void Keep(std::string_view key, int64_t version, const http::Response& r);

  size_t size() const;

 private:
  struct Entry {
    int64_t version = 0;
    http::Response response;
  };
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace rt::web

#endif  // RT_WEB_PAGE_CACHE_H_
