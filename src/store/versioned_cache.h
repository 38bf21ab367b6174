#ifndef RT_STORE_VERSIONED_CACHE_H_
#define RT_STORE_VERSIONED_CACHE_H_

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "store/discussions.h"

namespace rt::store {

// A bounded map from a key to a shared, immutable value filed under a
// ContentVersion. Least recently used entries go first when the byte budget
// (the caller's estimate of each value's size) is exceeded; a value larger
// than a quarter of the budget is not kept. Thread-safe; values are shared
// with readers through shared_ptr, so evicting never invalidates a reader.
template <typename V>
class VersionedCache {
 public:
  explicit VersionedCache(size_t budget_bytes) : budget_(budget_bytes) {}

  // The value under `key` for exactly `version`, or nullptr.
  std::shared_ptr<const V> Find(const std::string& key, const ContentVersion& version) {
    if (!version.valid()) return nullptr;
    std::lock_guard<std::mutex> lock(mu_);
    auto it = map_.find(key);
    if (it == map_.end()) return nullptr;
    if (!(it->second.version == version)) return nullptr;
    lru_.splice(lru_.begin(), lru_, it->second.pos);
    return it->second.value;
  }

  // Files `value` under `key` and `version`, replacing what was there.
  void Keep(const std::string& key, const ContentVersion& version,
            std::shared_ptr<const V> value, size_t bytes) {
    if (!version.valid() || bytes > budget_ / 4) return;
    bytes += key.size() + kEntryOverhead;
    std::lock_guard<std::mutex> lock(mu_);
    auto it = map_.find(key);
    if (it != map_.end()) {
      used_ -= it->second.bytes;
      lru_.erase(it->second.pos);
      map_.erase(it);
    }
    while (used_ + bytes > budget_ && !lru_.empty()) {
      auto last = map_.find(lru_.back());
      used_ -= last->second.bytes;
      map_.erase(last);
      lru_.pop_back();
    }
    lru_.push_front(key);
    map_.emplace(key, Entry{version, std::move(value), bytes, lru_.begin()});
    used_ += bytes;
  }

  size_t bytes() const {
    std::lock_guard<std::mutex> lock(mu_);
    return used_;
  }

  void Clear() {
    std::lock_guard<std::mutex> lock(mu_);
    map_.clear();
    lru_.clear();
    used_ = 0;
  }

 private:
  static constexpr size_t kEntryOverhead = 128;
  struct Entry {
    ContentVersion version;
    std::shared_ptr<const V> value;
    size_t bytes = 0;
    std::list<std::string>::iterator pos;
  };
  const size_t budget_;
  mutable std::mutex mu_;
  std::list<std::string> lru_;  // most recently used first
  std::unordered_map<std::string, Entry> map_;
  size_t used_ = 0;
};

}  // namespace rt::store

#endif  // RT_STORE_VERSIONED_CACHE_H_
