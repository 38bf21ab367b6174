#include "core/text.h"

#include <gtest/gtest.h>

#include "core/date.h"

namespace rt {
namespace {

TEST(TextTest, Utf8Validation) {
  EXPECT_TRUE(text::IsValidUtf8("plain"));
  EXPECT_TRUE(text::IsValidUtf8("café 日本 😀"));
  EXPECT_FALSE(text::IsValidUtf8("\xff"));
  EXPECT_FALSE(text::IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(text::IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(text::IsValidUtf8("\xe6\x97"));          // truncated
  EXPECT_EQ(text::CodePointCount("café😀"), 5u);
}

TEST(TextTest, ControlCharacters) {
  EXPECT_TRUE(text::HasControlChars(std::string("a\0b", 3), false));
  EXPECT_TRUE(text::HasControlChars("a\nb", false));
  EXPECT_FALSE(text::HasControlChars("a\nb", true));
  EXPECT_TRUE(text::HasControlChars("a\x7f", true));
  EXPECT_TRUE(text::HasControlChars("a\xc2\x85", true));  // NEL (C1)
  EXPECT_FALSE(text::HasControlChars("é", false));
}

TEST(TextTest, CutAtWordKeepsWholeWordsAndWholeCharacters) {
  EXPECT_EQ(text::CutAtWord("short", 10), "short");
  EXPECT_EQ(text::CutAtWord("exactly ten", 11), "exactly ten");
  EXPECT_EQ(text::CutAtWord("one two three four", 10), "one two");
  EXPECT_EQ(text::CutAtWord("one two three four", 7), "one two");  // a space at the limit
  EXPECT_EQ(text::CutAtWord("one\n\ntwo three", 9), "one\n\ntwo");
  // No space in the second half: cut between characters, never inside one.
  EXPECT_EQ(text::CutAtWord("a ééééééé", 6), "a éééé");
  EXPECT_EQ(text::CutAtWord("日本語の文章です", 4), "日本語の");
  EXPECT_EQ(text::CutAtWord("😀😀😀", 2), "😀😀");
  EXPECT_TRUE(text::IsValidUtf8(text::CutAtWord("x 😀😀😀😀😀", 5)));
  EXPECT_EQ(text::CutAtWord("abc", 0), "");
}

TEST(TextTest, PercentCoding) {
  EXPECT_EQ(text::PercentDecode("a+b%20c%2F", true), "a b c/");
  EXPECT_EQ(text::PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(text::PercentDecode("100%", true), "100%");
  EXPECT_EQ(text::PercentDecode("%zz", true), "%zz");
  EXPECT_EQ(text::PercentEncode("/groups/a b"), "%2Fgroups%2Fa%20b");
}

TEST(DateTest, ParseAndFormat) {
  auto d = Date::ParseIso("2026-03-03");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->Iso(), "2026-03-03");
  EXPECT_EQ(d->Long(), "3 March 2026");
  EXPECT_EQ(d->AddDays(29).Iso(), "2026-04-01");
  for (const char* bad : {"2026-02-30", "2026-13-01", "26-01-01", "2026/01/01", "", "2026-1-1"}) {
    EXPECT_FALSE(Date::ParseIso(bad)) << bad;
  }
  EXPECT_EQ(FormatIsoTime(FromUnix(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIsoTime(FromUnix(1772546700)), "2026-03-03T14:05:00Z");
}

}  // namespace
}  // namespace rt
