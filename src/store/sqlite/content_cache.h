#ifndef RT_STORE_SQLITE_CONTENT_CACHE_H_
#define RT_STORE_SQLITE_CONTENT_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "store/discussions.h"
#include "store/sqlite/connection.h"

// What many viewers read alike and writers change rarely: the shared part of
// a thread page (ThreadContents) and the first page of a group's thread
// list, kept once per process for all threads.
//
// Why a copy stays right: migration 007's triggers bump the thread's (or the
// group's) row of thread_versions (group_thread_versions), and the
// "accounts" row of cache_versions, in the same transaction as any write to
// what the copy holds, whichever connection or process writes; 005's
// "groups" row covers group slugs. A copy is filed under the versions read
// *before* its data (so the data is at least as new as its versions) and is
// only filled outside transactions (MayFill in sqlite_cache.h), so a
// transaction's uncommitted, possibly rolled back, writes are never filed.
// A lookup reads the current versions (one statement) and uses a copy only
// when all of them are equal.
namespace rt::store::sqlite {

// Reads the versions for `content_sql`, a statement whose one parameter is
// the id of the thread or group and whose one row has the content version
// (NULL when there is no row) in column 0. An invalid result (content 0)
// means "do not share": no row, or a database without migration 007.
// Throws what the read throws otherwise.
ContentVersion ReadContentVersion(Connection& c, const char* content_sql, int64_t id);

// The file `c` reads, to key process-wide copies: tests open many files in
// one process.
std::string_view DatabaseFile(Connection& c);

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

// The process's copies of thread contents (6 MB) and of first pages of
// thread lists (2 MB).
VersionedCache<ThreadContents>& ThreadContentsCache();
VersionedCache<std::vector<ThreadListing>>& ThreadListCache();

// Rough heap bytes of a value, for the budget.
size_t ApproximateBytes(const ThreadContents& t);
size_t ApproximateBytes(const std::vector<ThreadListing>& l);

}  // namespace rt::store::sqlite

#endif  // RT_STORE_SQLITE_CONTENT_CACHE_H_
