#include "core/crypto.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>

namespace rt::crypto {
namespace {

// FormToken: 128 bits as base64url, never the same twice, on any thread.
TEST(CryptoTest, FormTokensAreDistinctOnEveryThread) {
  ASSERT_TRUE(Init());
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    std::string t = FormToken();
    ASSERT_EQ(t.size(), 22u) << t;
    ASSERT_EQ(t.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos)
        << t;
    seen.insert(t);
  }
  std::set<std::string> other;
  std::thread([&] {
    for (int i = 0; i < 2000; ++i) other.insert(FormToken());
  }).join();
  EXPECT_EQ(seen.size(), 2000u);
  EXPECT_EQ(other.size(), 2000u);
  for (const std::string& t : other) EXPECT_EQ(seen.count(t), 0u);
}

}  // namespace
}  // namespace rt::crypto
