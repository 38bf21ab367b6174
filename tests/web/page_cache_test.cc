#include "web/page_cache.h"

#include <gtest/gtest.h>

#include <string>

namespace rt::web {
namespace {

http::Response Ok(std::string body) {
  http::Response r;
  r.body = std::move(body);
  r.SetHeader("Content-Type", "text/html; charset=utf-8");
  return r;
}

TEST(PageCacheTest, ServesOnlyTheVersionItWasRenderedFrom) {
  PageCache cache;
  cache.Keep("/", 7, Ok("seven"));
  auto hit = cache.Find("/", 7);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->body, "seven");
  EXPECT_EQ(hit->GetHeader("content-type"), "text/html; charset=utf-8");
  EXPECT_FALSE(cache.Find("/", 8).has_value());
  EXPECT_FALSE(cache.Find("/", 6).has_value());
  EXPECT_FALSE(cache.Find("/?page=2", 7).has_value());
  cache.Keep("/", 8, Ok("eight"));
  EXPECT_FALSE(cache.Find("/", 7).has_value());
  EXPECT_EQ(cache.Find("/", 8)->body, "eight");
}

TEST(PageCacheTest, KeepsOnlySharableResponses) {
  PageCache cache;
  cache.Keep("/unknown-version", 0, Ok("x"));
  EXPECT_FALSE(cache.Find("/unknown-version", 0).has_value());

  http::Response error = Ok("missing");
  error.status = 404;
  cache.Keep("/error", 1, error);
  EXPECT_FALSE(cache.Find("/error", 1).has_value());

  http::Response cookie = Ok("personal");
  cookie.AddHeader("Set-Cookie", "rt_session=abc");
  cache.Keep("/cookie", 1, cookie);
  EXPECT_FALSE(cache.Find("/cookie", 1).has_value());

  std::string long_key = "/?q=" + std::string(PageCache::kMaxKeyBytes, 'a');
  cache.Keep(long_key, 1, Ok("x"));
  EXPECT_FALSE(cache.Find(long_key, 1).has_value());

  cache.Keep("/huge", 1, Ok(std::string(PageCache::kMaxBodyBytes + 1, 'x')));
  EXPECT_FALSE(cache.Find("/huge", 1).has_value());
  EXPECT_EQ(cache.size(), 0u);
}

TEST(PageCacheTest, StaysBoundedAndDropsOldVersionsFirst) {
  PageCache cache;
  for (size_t i = 0; i < PageCache::kMaxEntries - 1; ++i) {
    cache.Keep("/old?page=" + std::to_string(i), 1, Ok("old"));
  }
  cache.Keep("/new", 2, Ok("new"));
  EXPECT_EQ(cache.size(), PageCache::kMaxEntries);
  // Full: the next key evicts every entry of another version, not "/new".
  cache.Keep("/newer", 2, Ok("newer"));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.Find("/new", 2)->body, "new");
  EXPECT_EQ(cache.Find("/newer", 2)->body, "newer");
  // Full of one version: starts over rather than growing.
  for (size_t i = 0; i < 2 * PageCache::kMaxEntries; ++i) {
    cache.Keep("/k" + std::to_string(i), 2, Ok("k"));
    EXPECT_LE(cache.size(), PageCache::kMaxEntries);
  }
}

}  // namespace
}  // namespace rt::web
