#include "web/row_cache.h"

#include <utility>

namespace rt::web {

std::vector<std::shared_ptr<const RowCache::Row>> RowCache::Get(
    const std::vector<Want>& wants, const std::function<std::shared_ptr<Row>(size_t)>& render) {
  std::vector<std::shared_ptr<const Row>> out(wants.size());
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t i = 0; i < wants.size(); ++i) {
      auto it = rows_.find(wants[i].id);
      if (it != rows_.end() && it->second->source == wants[i].source) out[i] = it->second;
    }
  }
  std::vector<size_t> fresh;
  for (size_t i = 0; i < wants.size(); ++i) {
    if (out[i]) continue;
    std::shared_ptr<Row> row = render(i);
    if (!row) continue;
    row->source = wants[i].source;
    out[i] = std::move(row);
    fresh.push_back(i);
  }
  if (!fresh.empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    if (rows_.size() + fresh.size() > kMaxRows) rows_.clear();
    for (size_t i : fresh) rows_[wants[i].id] = out[i];
  }
  return out;
}

size_t RowCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rows_.size();
}

}  // namespace rt::web
