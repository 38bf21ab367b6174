#include "mail/body_text.h"

#include <gtest/gtest.h>

#include <string>

#include "core/text.h"

namespace rt::mail {
namespace {

TEST(MailBodyTextTest, BlockElementsBreakLines) {
  EXPECT_EQ(HtmlToText("<div>Hi Ana,</div><div><br></div><div>Thanks</div>"),
            "Hi Ana,\n\nThanks");
  EXPECT_EQ(HtmlToText("<p>One</p><p>Two</p>"), "One\n\nTwo");
  EXPECT_EQ(HtmlToText("a<br>b<br/>c"), "a\nb\nc");
  EXPECT_EQ(HtmlToText("<h2>Title</h2>Body"), "Title\n\nBody");
  EXPECT_EQ(HtmlToText("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td>"
                       "</tr></table>"),
            "a b\nc");
}

TEST(MailBodyTextTest, WhitespaceCollapsesExceptInPre) {
  EXPECT_EQ(HtmlToText("  one \n\t two   three  "), "one two three");
  EXPECT_EQ(HtmlToText("<pre>x  = 1\n  y = 2</pre>after"),
            "x  = 1\n  y = 2\n\nafter");
}

TEST(MailBodyTextTest, ListsGetMarkers) {
  EXPECT_EQ(HtmlToText("<ul><li>a</li><li>b<ul><li>c</li></ul></li></ul>"),
            "- a\n- b\n  - c");
  EXPECT_EQ(HtmlToText("<p>Steps:</p><ol><li>one</li><li>two</li></ol>end"),
            "Steps:\n\n1. one\n2. two\n\nend");
}

TEST(MailBodyTextTest, LinksKeepTheirTarget) {
  EXPECT_EQ(HtmlToText("See <a href=\"https://x.example/a\">the note</a>."),
            "See the note (https://x.example/a).");
  // Text that already is the target is not repeated.
  EXPECT_EQ(HtmlToText("<a href=\"https://x.example/\">https://x.example</a>"),
            "https://x.example");
  EXPECT_EQ(HtmlToText("<a href=\"https://www.x.example/\">www.x.example</a>"),
            "www.x.example");
  EXPECT_EQ(HtmlToText("<a href='mailto:a@x.example'>a@x.example</a>"),
            "a@x.example");
  // Targets a reader cannot follow are dropped.
  EXPECT_EQ(HtmlToText("<a href=\"javascript:alert(1)\">click</a>"), "click");
  EXPECT_EQ(HtmlToText("<a href=\"#top\">top</a>"), "top");
  EXPECT_EQ(HtmlToText("<a href=\"https://x.example\"><img src=logo.png></a>"),
            "");
  EXPECT_EQ(HtmlToText("<a href=\"https://x.example/?a=1&amp;b=2\">q</a>"),
            "q (https://x.example/?a=1&b=2)");
}

TEST(MailBodyTextTest, EntitiesAreDecoded) {
  EXPECT_EQ(
      HtmlToText("a &amp; b &lt;c&gt; &quot;d&quot; &#8217; &#x1F642; "
                 "&eacute; &euro;"),
      "a & b <c> \"d\" \xE2\x80\x99 \xF0\x9F\x99\x82 \xC3\xA9 \xE2\x82\xAC");
  // Browsers read &#150; as Windows-1252's en dash.
  EXPECT_EQ(HtmlToText("9&#150;5"),
            "9\xE2\x80\x93"
            "5");
  // Unknown or broken references stay as written; NUL becomes U+FFFD.
  EXPECT_EQ(HtmlToText("&bogus; &#; &amp &#0;"),
            "&bogus; &#; &amp \xEF\xBF\xBD");
}

TEST(MailBodyTextTest, HiddenContentIsDropped) {
  EXPECT_EQ(HtmlToText("<html><head><title>T</title><style>p{color:red}"
                       "</style></head><body>Hi<script>alert('x')</script>"
                       "<!-- note -->!</body></html>"),
            "Hi!");
  EXPECT_EQ(HtmlToText("a<SCRIPT type=x>b</SCRIPT >c"), "ac");
  // Unterminated constructs end the text instead of running wild.
  EXPECT_EQ(HtmlToText("a<script>never closed"), "a");
  EXPECT_EQ(HtmlToText("a<!-- never closed"), "a");
  EXPECT_EQ(HtmlToText("a <b"), "a");
  EXPECT_EQ(HtmlToText("1 < 2"), "1 < 2");
}

TEST(MailBodyTextTest, BlockquotesBecomeQuotedLines) {
  EXPECT_EQ(HtmlToText("Yes.<blockquote>Original<br>line two</blockquote>"),
            "Yes.\n>\n> Original\n> line two");
  EXPECT_EQ(HtmlToText("<blockquote>a<blockquote>b</blockquote></blockquote>"
                       "after"),
            "> a\n>>\n>> b\n\nafter");
}

TEST(MailBodyTextTest, OutlookEmptyParagraphsGiveOneBlankLine) {
  EXPECT_EQ(HtmlToText("<p class=MsoNormal>Hi<o:p></o:p></p>"
                       "<p class=MsoNormal><o:p>&nbsp;</o:p></p>"
                       "<p class=MsoNormal>Bye<o:p></o:p></p>"),
            "Hi\n\nBye");
  EXPECT_EQ(HtmlToText("a<hr>b"), "a\n\n________________________________\n\nb");
}

TEST(MailBodyTextTest, OutputIsAlwaysValidUtf8) {
  std::string junk = "<p>caf\xE9</p>\x01<b>\xC0\xAF</b>\x00x";
  junk.push_back('\0');
  std::string out = HtmlToText(junk);
  EXPECT_TRUE(text::IsValidUtf8(out));
  EXPECT_FALSE(text::HasControlChars(out, /*allow_newlines=*/true));
}

TEST(MailBodyTextTest, DecodeFlowedJoinsSoftBreaks) {
  EXPECT_EQ(DecodeFlowed("one \r\ntwo \r\nthree\r\nfour\r\n", false),
            "one two three\nfour\n");
  EXPECT_EQ(DecodeFlowed("one \ntwo\n", true), "onetwo\n");
  // Quote depth ends a paragraph; quoted text keeps its markers.
  EXPECT_EQ(DecodeFlowed("> a \n> b\nc \n>> d\n", false), "> a b\nc \n>> d\n");
  // The signature separator is not a soft break.
  EXPECT_EQ(DecodeFlowed("text\n-- \nName\n", false), "text\n-- \nName\n");
  // Stuffed spaces go, except before a ">" that must not become a quote.
  EXPECT_EQ(DecodeFlowed(" From here\n >not a quote\n", false),
            "From here\n >not a quote\n");
  EXPECT_EQ(DecodeFlowed("no newline", false), "no newline");
}

TEST(MailBodyTextTest, SanitizeTextRepairs) {
  std::string in("a\r\nb\rc\x01\x7F\xC2\x85\xFFz", 12);
  in.push_back('\0');
  in += "\t.";
  EXPECT_EQ(SanitizeText(in), "a\nb\nc\xEF\xBF\xBDz\t.");
  EXPECT_EQ(SanitizeText("\xEF\xBB\xBFhi"), "hi");
  EXPECT_EQ(SanitizeLine("  a\r\n\tb  \x00c "), "a b");
  EXPECT_EQ(SanitizeLine(std::string(" a\0b ", 5)), "ab");
}

TEST(MailBodyTextTest, Windows1252) {
  EXPECT_EQ(DecodeWindows1252("I\x92ll \x96 \x80 caf\xE9"),
            "I\xE2\x80\x99ll \xE2\x80\x93 \xE2\x82\xAC caf\xC3\xA9");
  EXPECT_EQ(DecodeWindows1252("\x81"), "\xEF\xBF\xBD");
}

}  // namespace
}  // namespace rt::mail
