#include "web/json/write.h"

#include <gtest/gtest.h>

#include <string>

namespace rt::web::json {
namespace {

// For valid UTF-8 the text must be exactly nlohmann's: clients and tests
// compare it, and the API's documented shapes were written against it.
TEST(WriteJsonTest, MatchesNlohmannDumpForValidText) {
  std::string controls;
  for (int c = 0; c < 0x20; ++c) controls.push_back(static_cast<char>(c));
  nlohmann::json cases[] = {
      nullptr,
      true,
      false,
      0,
      -9223372036854775807LL - 1,
      18446744073709551615ULL,
      "",
      "plain",
      "quote \" backslash \\ slash / del \x7f",
      controls,
      "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 end",
      nlohmann::json::array(),
      nlohmann::json::object(),
      {{"b", 1}, {"a", {1, "two", nullptr, {{"z", false}}}}, {"", "empty key"}},
      {{"key \"quoted\"\n", "v"}},
      2.5,
  };
  for (const nlohmann::json& j : cases) {
    EXPECT_EQ(WriteJson(j), j.dump()) << j.dump();
  }
}

// Long strings are scanned a word at a time: every special byte must still
// be found at every offset within a word and in the tail.
TEST(WriteJsonTest, FindsSpecialBytesAtEveryOffset) {
  const std::string specials[] = {"\"",   "\\",       "\n",  std::string(1, '\0'),
                                  "\x1f", "\xC3\xA9", "\xFF"};
  for (const std::string& special : specials) {
    for (size_t at = 0; at < 24; ++at) {
      std::string s(24, 'a');
      s.replace(at, 1, special);
      nlohmann::json j = s;
      std::string got = WriteJson(j);
      if (special == "\xFF") {
        EXPECT_EQ(got,
                  "\"" + std::string(at, 'a') + "\xEF\xBF\xBD" + std::string(23 - at, 'a') + "\"");
      } else {
        EXPECT_EQ(got, j.dump()) << at;
      }
    }
  }
}

TEST(WriteJsonTest, AppendsToWhatIsThere) {
  std::string out = "x=";
  AppendJson({1, 2}, &out);
  EXPECT_EQ(out, "x=[1,2]");
}

// nlohmann::json::dump() throws on these; a response must stay valid JSON.
TEST(WriteJsonTest, ReplacesBytesThatAreNotUtf8) {
  struct Case {
    std::string in, want;
  } cases[] = {
      {"a\xFF"
       "b",
       "\"a\xEF\xBF\xBD"
       "b\""},                                                       // never in UTF-8
      {"\xC3", "\"\xEF\xBF\xBD\""},                                  // cut short
      {"\xC0\xAF", "\"\xEF\xBF\xBD\xEF\xBF\xBD\""},                  // overlong '/'
      {"\xED\xA0\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""},  // surrogate
      {"\xF4\x90\x80\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""},
      {"ok \xE2\x82", "\"ok \xEF\xBF\xBD\xEF\xBF\xBD\""},
  };
  for (const Case& c : cases) {
    std::string got = WriteJson(c.in);
    EXPECT_EQ(got, c.want);
    EXPECT_TRUE(nlohmann::json::accept(got)) << got;
  }
}

TEST(WriteJsonTest, RoundTripsThroughTheParser) {
  nlohmann::json j = {{"posts", {{{"id", 1}, {"body", "Line\none\t\"x\" \\ \xE2\x9C\x93"}}}},
                      {"next", nullptr}};
  EXPECT_EQ(nlohmann::json::parse(WriteJson(j)), j);
}

}  // namespace
}  // namespace rt::web::json
