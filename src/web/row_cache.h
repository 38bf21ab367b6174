#ifndef RT_WEB_ROW_CACHE_H_
#define RT_WEB_ROW_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace rt::web {

// Rendered rows of lists every viewer sees alike (a group's thread list),
// each split where its one time-dependent text goes ("3 hours ago").
//
// A row is filed under its id together with the exact text of everything it
// was rendered from (its `source`, built by the caller from the row's data);
// it is served again only while that text is equal, so a row can never be
// stale, whatever changed it, and no invalidation is needed.
//
// Bounded: at most kMaxRows rows; when full, it starts again empty.
// Thread-safe.
class RowCache {
 public:
  static constexpr size_t kMaxRows = 2048;

  struct Row {
    std::string source;
    std::string before;  // HTML up to the time-dependent text
    std::string after;   // HTML after it
  };

  // One row asked for: its id and source.
  struct Want {
    int64_t id = 0;
    std::string source;
  };

  // Rows for `wants`, in order: the kept one where its source matches, else
  // the one `render(i)` makes (Get sets its source and keeps it for next
  // time; a nullptr from render means "cannot be split", and that result is
  // nullptr too). Takes the lock at most twice per call, not once per row.
  std::vector<std::shared_ptr<const Row>> Get(
      const std::vector<Want>& wants, const std::function<std::shared_ptr<Row>(size_t)>& render);

  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::unordered_map<int64_t, std::shared_ptr<const Row>> rows_;
};

}  // namespace rt::web

#endif  // RT_WEB_ROW_CACHE_H_
