#include "web/row_cache.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace rt::web {
namespace {

std::shared_ptr<RowCache::Row> Made(const std::string& html) {
  auto r = std::make_shared<RowCache::Row>();
  r->before = html;
  return r;
}

TEST(RowCacheTest, ServesAKeptRowOnlyWhileItsSourceIsEqual) {
  RowCache cache;
  int renders = 0;
  auto render = [&](const std::vector<RowCache::Want>& wants) {
    return cache.Get(wants, [&](size_t i) {
      ++renders;
      return Made("row " + wants[i].source);
    });
  };
  auto first = render({{1, "a"}, {2, "b"}});
  EXPECT_EQ(renders, 2);
  EXPECT_EQ(first[0]->before, "row a");
  EXPECT_EQ(first[1]->source, "b");

  auto again = render({{1, "a"}, {2, "b"}});
  EXPECT_EQ(renders, 2);
  EXPECT_EQ(again[0].get(), first[0].get());

  // Row 2 changed: only it is rendered again, and the new one is kept.
  auto changed = render({{1, "a"}, {2, "b2"}});
  EXPECT_EQ(renders, 3);
  EXPECT_EQ(changed[1]->before, "row b2");
  render({{2, "b2"}});
  EXPECT_EQ(renders, 3);
}

TEST(RowCacheTest, RowsThatCannotBeSplitAreNotKept) {
  RowCache cache;
  int renders = 0;
  auto none = [&](size_t) {
    ++renders;
    return std::shared_ptr<RowCache::Row>();
  };
  EXPECT_EQ(cache.Get({{7, "x"}}, none)[0], nullptr);
  EXPECT_EQ(cache.Get({{7, "x"}}, none)[0], nullptr);
  EXPECT_EQ(renders, 2);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(RowCacheTest, StaysWithinItsBound) {
  RowCache cache;
  for (int64_t id = 0; id < static_cast<int64_t>(RowCache::kMaxRows) * 2 + 5; ++id) {
    cache.Get({{id, "s"}}, [](size_t) { return Made("r"); });
    ASSERT_LE(cache.size(), RowCache::kMaxRows);
  }
  EXPECT_GT(cache.size(), 0u);
}

}  // namespace
}  // namespace rt::web
