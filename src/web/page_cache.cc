#include "web/page_cache.h"

#include <iterator>

namespace rt::web {

std::optional<http::Response> PageCache::Find(std::string_view key, int64_t version) const {
  if (version == 0 || key.size() > kMaxKeyBytes) return std::nullopt;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(std::string(key));
  if (it == entries_.end() || it->second.version != version) return std::nullopt;
  return it->second.response;
}

void PageCache::Keep(std::string_view key, int64_t version, const http::Response& r) {
  if (version == 0 || key.size() > kMaxKeyBytes || r.status != 200 ||
      r.body.size() > kMaxBodyBytes || !r.GetHeader("set-cookie").empty()) {
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (entries_.size() >= kMaxEntries && entries_.find(std::string(key)) == entries_.end()) {
    for (auto it = entries_.begin(); it != entries_.end();) {
      it = it->second.version != version ? entries_.erase(it) : std::next(it);
    }
    if (entries_.size() >= kMaxEntries) entries_.clear();
  }
  entries_[std::string(key)] = Entry{version, r};
}

size_t PageCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

}  // namespace rt::web
