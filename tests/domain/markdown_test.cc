#include "domain/discussions/markdown.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "xss_vectors.h"

namespace rt::markdown {
namespace {

std::string Repeat(std::string_view unit, size_t total_bytes) {
  std::string s;
  s.reserve(total_bytes + unit.size());
  while (s.size() + unit.size() <= total_bytes) s += unit;
  return s;
}

size_t Count(const std::string& haystack, std::string_view needle) {
  size_t n = 0;
  for (size_t p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + 1)) {
    ++n;
  }
  return n;
}

// Deepest nesting of block containers in rendered HTML.
size_t MaxDepth(const std::string& html) {
  static const std::regex kContainerTag(R"(<(/?)(blockquote|ul|ol)[ >])");
  size_t depth = 0, max = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), kContainerTag);
       it != std::sregex_iterator(); ++it) {
    if ((*it)[1].length() == 0) {
      max = std::max(max, ++depth);
    } else {
      --depth;
    }
  }
  return max;
}

std::string Lower(std::string s) {
  for (char& c : s) c = (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
  return s;
}

// Decodes the character references a browser would decode in an attribute
// value (cmark only emits &amp; &quot; &lt; &gt; and numeric ones).
std::string DecodeAttribute(const std::string& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] != '&') {
      out += v[i];
      continue;
    }
    size_t semi = v.find(';', i);
    if (semi == std::string::npos) {
      out += v[i];
      continue;
    }
    std::string ent = v.substr(i + 1, semi - i - 1);
    long cp = -1;
    if (ent == "amp")
      cp = '&';
    else if (ent == "quot")
      cp = '"';
    else if (ent == "lt")
      cp = '<';
    else if (ent == "gt")
      cp = '>';
    else if (ent == "colon")
      cp = ':';
    else if (ent.size() > 1 && ent[0] == '#') {
      cp = (ent[1] == 'x' || ent[1] == 'X') ? std::strtol(ent.c_str() + 2, nullptr, 16)
                                            : std::strtol(ent.c_str() + 1, nullptr, 10);
    }
    if (cp < 0 || cp > 0x7f) {
      out += v[i];
      continue;
    }
    out += static_cast<char>(cp);
    i = semi;
  }
  return out;
}

// http:, https:, mailto: or relative (no scheme at all, "#..." included).
bool HasAllowedScheme(const std::string& raw) {
  std::string v;
  for (char c : Lower(DecodeAttribute(raw))) {
    if (static_cast<unsigned char>(c) > 0x20 && c != 0x7f) v += c;
  }
  for (const char* bad : {"javascript:", "data:", "vbscript:"}) {
    if (v.rfind(bad, 0) == 0) return false;
  }
  size_t colon = v.find(':');
  size_t delim = v.find_first_of("/?#");
  if (colon == std::string::npos || (delim != std::string::npos && delim < colon)) return true;
  std::string scheme = v.substr(0, colon);
  return scheme == "http" || scheme == "https" || scheme == "mailto";
}

// The safety properties every rendering must have, whatever the input.
::testing::AssertionResult IsSafeHtml(const std::string& html) {
  const std::string lower = Lower(html);
  for (const char* tag : {"<script", "<iframe", "<object", "<embed", "<style", "<svg", "<math",
                          "<form", "<img", "<link", "<meta", "<base", "<!--"}) {
    if (lower.find(tag) != std::string::npos) {
      return ::testing::AssertionFailure() << "contains " << tag << " in: " << html;
    }
  }
  // Tags: cmark escapes "<" in text, so every "<" in the output opens one.
  static const std::set<std::string> kTags = {
      "p",  "a",  "em", "strong", "del", "code",  "pre",   "blockquote", "ul", "ol", "li", "h3",
      "h4", "h5", "h6", "hr",     "br",  "table", "thead", "tbody",      "tr", "th", "td", "input"};
  static const std::set<std::string> kAttributes = {"href", "title",   "rel",      "class",
                                                    "type", "checked", "disabled", "start",
                                                    "aria-label"};
  static const std::regex kEventHandler(R"(\son[a-z]+\s*=)", std::regex::icase);
  for (size_t p = lower.find('<'); p != std::string::npos; p = lower.find('<', p + 1)) {
    const size_t end = lower.find('>', p);
    if (end == std::string::npos) return ::testing::AssertionFailure() << "unclosed tag: " << html;
    const std::string tag = lower.substr(p, end - p + 1);
    size_t i = 1;
    if (tag[i] == '/') ++i;
    size_t name_end = i;
    while (name_end < tag.size() && std::isalnum(static_cast<unsigned char>(tag[name_end]))) {
      ++name_end;
    }
    const std::string name = tag.substr(i, name_end - i);
    if (!kTags.count(name))
      return ::testing::AssertionFailure() << "tag " << tag << " in: " << html;
    if (name == "input" && tag != R"(<input type="checkbox" disabled="" aria-label="not done" />)" &&
        tag != R"(<input type="checkbox" checked="" disabled="" aria-label="done" />)") {
      return ::testing::AssertionFailure() << "input " << tag << " in: " << html;
    }
    // Attributes: name="value" pairs only, values without raw quotes.
    std::string unquoted;
    for (i = name_end; i < tag.size();) {
      while (i < tag.size() && tag[i] == ' ') ++i;
      if (tag[i] == '>' || tag.compare(i, 2, "/>") == 0) break;
      size_t a = i;
      while (i < tag.size() &&
             (std::isalpha(static_cast<unsigned char>(tag[i])) || tag[i] == '-')) {
        ++i;
      }
      const std::string attr = tag.substr(a, i - a);
      if (!kAttributes.count(attr)) {
        return ::testing::AssertionFailure() << "attribute '" << attr << "' in " << tag;
      }
      unquoted += " " + attr;
      if (tag[i] == '=') {
        if (tag[i + 1] != '"') return ::testing::AssertionFailure() << "unquoted value in " << tag;
        size_t close = tag.find('"', i + 2);
        if (close == std::string::npos) return ::testing::AssertionFailure() << "bad " << tag;
        unquoted += "=\"\"";
        i = close + 1;
      }
    }
    if (std::regex_search(unquoted, kEventHandler)) {
      return ::testing::AssertionFailure() << "event handler in " << tag;
    }
  }
  static const std::regex kUrl(R"re(\b(href|src)\s*=\s*"([^"]*)")re", std::regex::icase);
  for (auto it = std::sregex_iterator(html.begin(), html.end(), kUrl); it != std::sregex_iterator();
       ++it) {
    if (!HasAllowedScheme((*it)[2].str())) {
      return ::testing::AssertionFailure() << "URL " << (*it)[0].str() << " in: " << html;
    }
  }
  return ::testing::AssertionSuccess();
}

TEST(MarkdownTest, SafetyHelperCatchesUnsafeOutput) {
  EXPECT_TRUE(
      IsSafeHtml("<p><a rel=\"nofollow ugc noopener\" href=\"/x\" title=\"a onclick=b\">"
                 "x</a></p>\n"));
  EXPECT_FALSE(IsSafeHtml("<p onclick=\"x\">a</p>"));
  EXPECT_FALSE(IsSafeHtml("<a href=\"JavaScript:alert(1)\">a</a>"));
  EXPECT_FALSE(IsSafeHtml("<a href=\"java&#x09;script:alert(1)\">a</a>"));
  EXPECT_FALSE(IsSafeHtml("<a href=\" data:text/html,x\">a</a>"));
  EXPECT_FALSE(IsSafeHtml("<a href=\"file:///etc/passwd\">a</a>"));
  EXPECT_FALSE(IsSafeHtml("<img src=\"http://a.org/x.png\" />"));
  EXPECT_FALSE(IsSafeHtml("<input type=\"text\" />"));
  EXPECT_FALSE(IsSafeHtml("<div>x</div>"));
  EXPECT_TRUE(IsSafeHtml("<a href=\"mailto:a@b.org\">a</a><a href=\"#top\">t</a>"));
}

// --- Features ----------------------------------------------------------------

TEST(MarkdownTest, ParagraphsAndEmphasis) {
  EXPECT_EQ(Render("one\n\ntwo"), "<p>one</p>\n<p>two</p>\n");
  EXPECT_EQ(Render("*a* **b** _c_"), "<p><em>a</em> <strong>b</strong> <em>c</em></p>\n");
  EXPECT_EQ(Render("a & b < c"), "<p>a &amp; b &lt; c</p>\n");
  EXPECT_EQ(Render(""), "");
}

TEST(MarkdownTest, LinksGetRel) {
  EXPECT_EQ(Render("[x](https://a.org \"T\")"),
            "<p><a rel=\"nofollow ugc noopener\" href=\"https://a.org\" title=\"T\">x</a></p>\n");
  EXPECT_EQ(Render("[r](/groups/1) [f](#top) [m](mailto:a@b.org)"),
            "<p><a rel=\"nofollow ugc noopener\" href=\"/groups/1\">r</a> "
            "<a rel=\"nofollow ugc noopener\" href=\"#top\">f</a> "
            "<a rel=\"nofollow ugc noopener\" href=\"mailto:a@b.org\">m</a></p>\n");
  EXPECT_EQ(Render("[x][1]\n\n[1]: http://a.org"),
            "<p><a rel=\"nofollow ugc noopener\" href=\"http://a.org\">x</a></p>\n");
}

TEST(MarkdownTest, AutolinksGetRel) {
  EXPECT_EQ(Render("see www.example.org and https://x.org."),
            "<p>see <a rel=\"nofollow ugc noopener\" href=\"http://www.example.org\">"
            "www.example.org</a> and <a rel=\"nofollow ugc noopener\" href=\"https://x.org\">"
            "https://x.org</a>.</p>\n");
  EXPECT_EQ(
      Render("<https://x.org/a>"),
      "<p><a rel=\"nofollow ugc noopener\" href=\"https://x.org/a\">https://x.org/a</a></p>\n");
  EXPECT_EQ(Render("write to ana@example.org"),
            "<p>write to <a rel=\"nofollow ugc noopener\" href=\"mailto:ana@example.org\">"
            "ana@example.org</a></p>\n");
}

TEST(MarkdownTest, UnsafeLinksKeepOnlyTheirText) {
  EXPECT_EQ(Render("[click](javascript:alert(1))"), "<p>click</p>\n");
  EXPECT_EQ(Render("[a](JaVaScRiPt:x) [b]( javascript:x) [c](java&#9;script:x) "
                   "[d](&#106;avascript:x) [e](data:text/html,x) [f](vbscript:x) [g](ftp://a.org)"),
            "<p>a b c d e f g</p>\n");
  EXPECT_EQ(Render("<javascript:alert(1)>"), "<p>javascript:alert(1)</p>\n");
}

TEST(MarkdownTest, Tables) {
  const std::string html = Render("| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |");
  EXPECT_EQ(html,
            "<table>\n<thead>\n<tr>\n<th class=\"align-left\">a</th>\n"
            "<th class=\"align-center\">b</th>\n<th class=\"align-right\">c</th>\n<th>d</th>\n"
            "</tr>\n</thead>\n<tbody>\n<tr>\n<td class=\"align-left\">1</td>\n"
            "<td class=\"align-center\">2</td>\n<td class=\"align-right\">3</td>\n<td>4</td>\n"
            "</tr>\n</tbody>\n</table>\n");
  EXPECT_EQ(html.find("align="), std::string::npos);
  EXPECT_TRUE(IsSafeHtml(html));
}

TEST(MarkdownTest, Strikethrough) {
  EXPECT_EQ(Render("~~gone~~"), "<p><del>gone</del></p>\n");
  // A single tilde is prose ("~5 people"), not strikethrough.
  EXPECT_EQ(Render("~5 or ~6~"), "<p>~5 or ~6~</p>\n");
}

TEST(MarkdownTest, TaskListsAreDisabledCheckboxes) {
  const std::string html = Render("- [ ] todo\n- [x] done");
  EXPECT_EQ(html,
            "<ul>\n<li><input type=\"checkbox\" disabled=\"\" aria-label=\"Not done\" /> todo</li>\n"
            "<li><input type=\"checkbox\" checked=\"\" disabled=\"\" aria-label=\"Done\" /> done</li>\n</ul>\n");
  EXPECT_TRUE(IsSafeHtml(html));
}

TEST(MarkdownTest, CodeIsEscaped) {
  EXPECT_EQ(Render("```html\n<b>&amp;</b>\n```"),
            "<pre><code class=\"language-html\">&lt;b&gt;&amp;amp;&lt;/b&gt;\n</code></pre>\n");
  EXPECT_EQ(Render("`<i>`"), "<p><code>&lt;i&gt;</code></p>\n");
  EXPECT_EQ(Render("    <script>"), "<pre><code>&lt;script&gt;\n</code></pre>\n");
}

TEST(MarkdownTest, HeadingsAreDemoted) {
  EXPECT_EQ(Render("# a"), "<h3>a</h3>\n");
  EXPECT_EQ(Render("## b"), "<h4>b</h4>\n");
  EXPECT_EQ(Render("### c"), "<h5>c</h5>\n");
  EXPECT_EQ(Render("#### d\n\n##### e\n\n###### f"), "<h6>d</h6>\n<h6>e</h6>\n<h6>f</h6>\n");
  EXPECT_EQ(Render("g\n==="), "<h3>g</h3>\n");
  EXPECT_EQ(Render("h\n---"), "<h4>h</h4>\n");
}

TEST(MarkdownTest, ImagesBecomeLinks) {
  EXPECT_EQ(Render("![a *cat*](https://a.org/cat.png \"Cat\")"),
            "<p><a rel=\"nofollow ugc noopener\" href=\"https://a.org/cat.png\" title=\"Cat\">"
            "a cat</a></p>\n");
  EXPECT_EQ(Render("![](/x.png)"),
            "<p><a rel=\"nofollow ugc noopener\" href=\"/x.png\">image</a></p>\n");
  // A linked image (a badge) is the outer link with the image's text.
  EXPECT_EQ(Render("[![build](https://ci.org/b.svg)](https://ci.org)"),
            "<p><a rel=\"nofollow ugc noopener\" href=\"https://ci.org\">build</a></p>\n");
  EXPECT_EQ(Render("![x](javascript:alert(1))"), "<p>x</p>\n");
}

TEST(MarkdownTest, RawHtmlIsShownAsText) {
  EXPECT_EQ(Render("a <b>b</b> c"), "<p>a &lt;b&gt;b&lt;/b&gt; c</p>\n");
  EXPECT_EQ(Render("<div onclick=\"x\">\nhi\n</div>"),
            "<p>&lt;div onclick=&quot;x&quot;&gt;\nhi\n&lt;/div&gt;</p>\n");
  EXPECT_EQ(Render("x<y and y>z"), "<p>x&lt;y and y&gt;z</p>\n");
}

TEST(MarkdownTest, InvalidUtf8IsReplaced) {
  EXPECT_EQ(Render("a\xff"
                   "b"),
            "<p>a\xef\xbf\xbd"
            "b</p>\n");
  EXPECT_EQ(Render(std::string("a\0b", 3)),
            "<p>a\xef\xbf\xbd"
            "b</p>\n");
}

TEST(MarkdownTest, OrdinaryNestingIsKept) {
  EXPECT_EQ(Render("> > inner"),
            "<blockquote>\n<blockquote>\n<p>inner</p>\n</blockquote>\n</blockquote>\n");
  EXPECT_EQ(Render("- a\n  - b\n    1. c"),
            "<ul>\n<li>a\n<ul>\n<li>b\n<ol>\n<li>c</li>\n</ol>\n</li>\n</ul>\n</li>\n</ul>\n");
  // Deep indentation in code is not nesting.
  EXPECT_EQ(Render("```\n" + std::string(80, ' ') + "* c\n```"),
            "<pre><code>" + std::string(80, ' ') + "* c\n</code></pre>\n");
  EXPECT_EQ(Render("- a\n\n  " + std::string(80, ' ') + "- b"),
            "<ul>\n<li>\n<p>a</p>\n<pre><code>" + std::string(76, ' ') +
                "- b\n</code></pre>\n</li>\n</ul>\n");
  // Long thematic breaks are not list markers.
  EXPECT_EQ(Render(Repeat("- ", 200)), "<hr />\n");
  EXPECT_EQ(Render(Repeat("* ", 200)), "<hr />\n");
}

TEST(MarkdownTest, NestingBeyondTheLimitIsFlattened) {
  std::string html = Render(Repeat("> ", 2 * 100) + "deep");
  EXPECT_EQ(Count(html, "<blockquote>"), size_t(kMaxNesting));
  EXPECT_NE(html.find("&gt; &gt; deep"), std::string::npos);
  html = Render(Repeat("- ", 2 * 100) + "deep");
  EXPECT_EQ(Count(html, "<ul>"), size_t(kMaxNesting));
  EXPECT_NE(html.find("- - deep"), std::string::npos);
  html = Render(Repeat("1. ", 3 * 100) + "deep");
  EXPECT_EQ(Count(html, "<ol>"), size_t(kMaxNesting));
  EXPECT_NE(html.find("1. 1. deep"), std::string::npos);
  html = Render(Repeat("> - 1) ", 7 * 40) + "deep");
  EXPECT_EQ(Count(html, "<blockquote>") + Count(html, "<ul>") + Count(html, "<ol>"),
            size_t(kMaxNesting));
  html = Render("- a\n" + std::string(2, ' ') + Repeat("- ", 2 * 31) + "x\n" +
                std::string(64, ' ') + "- deep\n");
  EXPECT_EQ(MaxDepth(html), size_t(kMaxNesting));
  EXPECT_NE(html.find("- deep"), std::string::npos);
  // A lone carriage return ends a line too.
  html = Render("x\r" + Repeat(">", 100) + " deep");
  EXPECT_EQ(Count(html, "<blockquote>"), size_t(kMaxNesting));
  html = Render("x\r\n" + Repeat(">", 100) + " deep");
  EXPECT_EQ(Count(html, "<blockquote>"), size_t(kMaxNesting));
}

TEST(MarkdownTest, ConcurrentRendering) {
  // Exercises every extension's inline trigger characters from 4 threads.
  const std::string input =
      "# t\n\n| a |\n|---|\n| [x](https://a.org) |\n\n~~s~~ www.x.org a@b.org https://y.org";
  const std::string expected = Render(input);
  ASSERT_EQ(Count(expected, "<a "), 4u);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        if (Render(input) != expected) ++mismatches[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

// --- XSS corpus --------------------------------------------------------------

TEST(MarkdownTest, XssCorpus) {
  size_t n = 0;
  for (const char* vector : testdata::kXssVectors) {
    const std::string html = Render(vector);
    EXPECT_TRUE(IsSafeHtml(html)) << "input: " << vector;
    // The vectors also must not break out when nested in containers.
    EXPECT_TRUE(IsSafeHtml(Render(std::string("> - ") + vector))) << "input: " << vector;
    EXPECT_TRUE(IsSafeHtml(Render(std::string("| a |\n|---|\n| ") + vector + " |")))
        << "input: " << vector;
    ++n;
  }
  EXPECT_GE(n, 60u);
}

// --- Pathological inputs -----------------------------------------------------

// CPU time of the calling thread: unlike the wall clock, it does not grow
// when other processes share the machine (parallel builds, CI neighbours).
double ThreadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// Each case must finish far below the bound; the bound only turns a hang
// or a super-linear blow-up into a failure. It is this thread's CPU time,
// so a busy machine does not fail it. Timings are printed for the record.
void ExpectFast(const char* name, const std::string& input,
                const std::function<void(const std::string&)>& check = nullptr) {
  const double start = ThreadCpuSeconds();
  const std::string html = Render(input);
  const double seconds = ThreadCpuSeconds() - start;
  std::printf("  %-34s %8zu bytes in, %8zu out, %.3f s\n", name, input.size(), html.size(),
              seconds);
  EXPECT_LT(seconds, 2.0) << name;
  // Output stays proportional to the input (no amplification).
  EXPECT_LT(html.size(), 40 * input.size() + 1000) << name;
  if (check) check(html);
}

constexpr size_t kMiB = 1 << 20;
constexpr size_t k64KiB = 64 << 10;

TEST(MarkdownTest, PathologicalNesting) {
  auto depth = [](const char* open) {
    return [open](const std::string& html) {
      EXPECT_GT(Count(html, open), 0u) << open;
      EXPECT_LE(MaxDepth(html), size_t(kMaxNesting)) << open;
    };
  };
  ExpectFast("50,000 '>'", Repeat(">", 50000) + " x", depth("<blockquote>"));
  ExpectFast("50,000 '> '", Repeat("> ", 100000) + "x", depth("<blockquote>"));
  ExpectFast("1 MB '>' lines", Repeat(Repeat(">", 1000) + "\n", kMiB), depth("<blockquote>"));
  ExpectFast("10,000 '- '", Repeat("- ", 20000) + "x", depth("<ul>"));
  ExpectFast("10,000 '* '", Repeat("* ", 20000) + "x", depth("<ul>"));
  ExpectFast("10,000 '+ '", Repeat("+ ", 20000) + "x", depth("<ul>"));
  ExpectFast("10,000 '1. '", Repeat("1. ", 30000) + "x", depth("<ol>"));
  ExpectFast("10,000 '1) '", Repeat("1) ", 30000) + "x", depth("<ol>"));
  ExpectFast("1 MB '- ' lines", Repeat(Repeat("- ", 500) + "x\n", kMiB), depth("<ul>"));
  ExpectFast("1 MB '> - 1. '", Repeat("> - 1. ", kMiB) + "x", depth("<ol"));
  // Each line continues the previous one's items by indentation and opens
  // 32 more; a lazy line in between must not reset the count.
  std::string stairs;
  for (size_t indent = 0; stairs.size() < kMiB; indent += 64) {
    stairs += std::string(indent, ' ') + Repeat("- ", 64) + "x\nlazy\n";
  }
  ExpectFast("1 MB indented stairs", stairs, depth("<ul>"));
  ExpectFast("1 MB '- - -' breaks", Repeat(Repeat("- ", 500) + "\n", kMiB));
}

TEST(MarkdownTest, PathologicalInlines) {
  ExpectFast("1 MB '['", Repeat("[", kMiB));
  ExpectFast("1 MB ']'", Repeat("]", kMiB));
  ExpectFast("1 MB '[a]('", Repeat("[a](", kMiB));
  ExpectFast("nested links", Repeat("[", kMiB / 2) + "a" + Repeat("](b)", kMiB / 2));
  ExpectFast("1 MB '*a**a*'", Repeat("*a**a*", kMiB));
  ExpectFast("1 MB '_a'", Repeat("_a", kMiB));
  ExpectFast("1 MB '**' around a", Repeat("**", kMiB / 2) + "a" + Repeat("**", kMiB / 2));
  // Mixed delimiters grow faster than linearly in this cmark-gfm release
  // (about n^1.5), harmless at the 64 KiB posts are limited to.
  ExpectFast("256 KiB '*_'", Repeat("*_", kMiB / 4));
  ExpectFast("1 MB '~~a'", Repeat("~~a", kMiB));
  ExpectFast("1 MB '`a``'", Repeat("`a``", kMiB));
  ExpectFast("1 MB '<'", Repeat("<", kMiB));
  ExpectFast("1 MB '&#'", Repeat("&#", kMiB));
  ExpectFast("1 MB '\\\\'", Repeat("\\", kMiB));
  ExpectFast("1 MB '![[]()'", Repeat("![[]()", kMiB));
  ExpectFast("1 MB '<?'", "a " + Repeat("<?", kMiB));
  ExpectFast("1 MB '<!A '", "a " + Repeat("<!A ", kMiB));
  ExpectFast("1 MB '<![CDATA['", "a " + Repeat("<![CDATA[", kMiB));
  ExpectFast("1 MB '</a '", "a " + Repeat("</a ", kMiB));
  ExpectFast("1 MB '<a b='", "a " + Repeat("<a b=", kMiB));
  ExpectFast("1 MB '[a]: '", Repeat("[a]: /u\n", kMiB / 2) + Repeat("[a] ", kMiB / 2));
}

TEST(MarkdownTest, PathologicalAutolinks) {
  ExpectFast("1 MB 'www._'", Repeat("www._", kMiB));
  ExpectFast("1 MB 'www.a_'", Repeat("www.a_", kMiB));
  ExpectFast("1 MB 'www.a.b '", Repeat("www.a.b ", kMiB));
  ExpectFast("1 MB 'http://a.b/)))'", "http://a.b/" + Repeat(")", kMiB));
  ExpectFast("1 MB 'www.a.b/.).).'", "www.a.b/" + Repeat(".)", kMiB));
  ExpectFast("1 MB '_http://a'", Repeat("_http://a", kMiB));
  ExpectFast("64 KiB 'a@'", Repeat("a@", k64KiB));
  ExpectFast("64 KiB 'x.y@'", Repeat("x.y@", k64KiB));
  // E-mail autolinks in one paragraph cost quadratic time in this release
  // (each match copies the rest of the text); 64 KiB posts stay fast.
  ExpectFast("64 KiB 'a@b.org '", Repeat("a@b.org ", k64KiB));
  ExpectFast("1 MB 'a@b.org' lines", Repeat("a@b.org\n\n", kMiB));
}

TEST(MarkdownTest, PathologicalTables) {
  ExpectFast("1 MB, 5,000 columns", "|" + Repeat("a|", 10000) + "\n|" + Repeat("-|", 10000) + "\n" +
                                        Repeat("|" + Repeat("x|", 5000) + "\n", kMiB));
  ExpectFast("100,000 columns header", "|" + Repeat("a|", 200000) + "\n|" + Repeat("-|", 200000));
  ExpectFast("1 MB of empty cells", "a|b\n-|-\n" + Repeat("|", kMiB));
  ExpectFast("1 MB of '`|' cells", "a|b\n-|-\n" + Repeat("`|", kMiB));
  ExpectFast("100 columns, 500k short rows",
             "|" + Repeat("a|", 200) + "\n|" + Repeat("-|", 200) + "\n" + Repeat("x\n", kMiB));
  ExpectFast("quoted table, short rows", "> |" + Repeat("a|", 200) + "\n> |" + Repeat("-|", 200) +
                                             "\n" + Repeat("> x\n", kMiB));
  ExpectFast("1 MB of tables", Repeat("a|b\n-|-\n", kMiB));
  ExpectFast("1 MB of table rows", "a|b\n-|-\n" + Repeat("|x|y|\n", kMiB));
  ExpectFast("1 MB of task items", Repeat("- [x] a\n", kMiB));
}

TEST(MarkdownTest, GuardsLeaveOrdinaryTablesAlone) {
  // 100 columns and a few short rows render as a table with all cells.
  const std::string table = "|" + Repeat("a|", 200) + "\n|" + Repeat("-|", 200) + "\n|x|\n|y|\n";
  const std::string html = Render(table);
  EXPECT_EQ(Count(html, "<th>"), 100u);
  EXPECT_EQ(Count(html, "<td>"), 200u);
  EXPECT_EQ(Count(html, "<td></td>"), 198u);
}

TEST(MarkdownTest, GuardsLeaveOrdinaryTextAlone) {
  EXPECT_EQ(Render("https://en.wikipedia.org/wiki/Foo_(bar)"),
            "<p><a rel=\"nofollow ugc noopener\" href=\"https://en.wikipedia.org/wiki/Foo_(bar)\">"
            "https://en.wikipedia.org/wiki/Foo_(bar)</a></p>\n");
  const std::string code =
      "```\n" + std::string(200, ')') + " a_www.b " + std::string(80, '|') + " <!x <?y ![z]\n```";
  EXPECT_EQ(Render(code), "<pre><code>" + std::string(200, ')') + " a_www.b " +
                              std::string(80, '|') + " &lt;!x &lt;?y ![z]\n</code></pre>\n");
}

// --- Mentions ----------------------------------------------------------------

using Names = std::vector<std::string>;

TEST(MarkdownTest, Mentions) {
  EXPECT_EQ(Mentions("Hi @Ana_Active, see @bob."), (Names{"ana active", "bob"}));
  EXPECT_EQ(Mentions("@ana\n(@carl) \"@dee\" @o'brien's @x"),
            (Names{"ana", "carl", "dee", "o'brien's"}));
  EXPECT_EQ(Mentions("@ana' @bo- @cy_ @d"), (Names{"ana", "bo", "cy"}));
  EXPECT_EQ(Mentions("@Ana_ @ana @ANA @ana."), (Names{"ana"}));
}

TEST(MarkdownTest, MentionsIgnoreEmails) {
  EXPECT_EQ(Mentions("mail ana@example.org or x.y@z.org, José@x.org"), Names{});
  EXPECT_EQ(Mentions("mail <ana@example.org> or @real"), (Names{"real"}));
}

TEST(MarkdownTest, MentionsIgnoreCode) {
  EXPECT_EQ(Mentions("`@ana` and ``x @bob ` y`` but @carl"), (Names{"carl"}));
  EXPECT_EQ(Mentions("```\n@ana\n```\n@bob\n~~~~\n@carl\n~~~\n@dee\n~~~~\n@eve"),
            (Names{"bob", "eve"}));
  EXPECT_EQ(Mentions("> ```\n> @ana\n> ```\n@bob"), (Names{"bob"}));
  // An unmatched backtick is literal, so the mention counts.
  EXPECT_EQ(Mentions("a ` @ana"), (Names{"ana"}));
}

TEST(MarkdownTest, MentionsAreLimited) {
  std::string many;
  for (int i = 0; i < 30; ++i) many += "@user" + std::to_string(i) + " ";
  Names names = Mentions(many);
  ASSERT_EQ(names.size(), 20u);
  EXPECT_EQ(names.front(), "user0");
  EXPECT_EQ(names.back(), "user19");
}

TEST(MarkdownTest, MentionsWithNonAsciiNames) {
  EXPECT_EQ(Mentions("cc @José_Núñez and @Zoë."), (Names{"josé núñez", "zoë"}));
  // Typographic punctuation ends a name.
  EXPECT_EQ(Mentions("@Ana’s post… @Bob…"), (Names{"ana", "bob"}));
  EXPECT_EQ(Mentions("@é"), Names{});
}

TEST(MarkdownTest, DisarmedMentionsReadTheSameButMentionNoOne) {
  const std::string text = "Hi @Ana_Active, mail ana@example.org.\n`@code` stays\n@Bob";
  const std::string disarmed = DisarmMentions(text);
  EXPECT_EQ(disarmed, "Hi &#64;Ana_Active, mail ana@example.org.\n`@code` stays\n&#64;Bob");
  EXPECT_EQ(Mentions(disarmed), Names{});
  EXPECT_EQ(Render(disarmed), Render(text));
  // Only from the offset on: the words before it keep their mentions.
  const std::string mixed = "@Carl wrote:\n" + text;
  EXPECT_EQ(Mentions(DisarmMentions(mixed, 6)), (Names{"carl"}));
  // No cap: every one of many mentions is disarmed.
  std::string many;
  for (int i = 0; i < 30; ++i) many += "@user" + std::to_string(i) + " ";
  EXPECT_EQ(Mentions("@real " + DisarmMentions(many)), (Names{"real"}));
}

TEST(MarkdownTest, MentionsScanLargeInputQuickly) {
  const double start = ThreadCpuSeconds();
  Mentions(Repeat("`a``", kMiB) + Repeat("@a_", kMiB));
  EXPECT_LT(ThreadCpuSeconds() - start, 2.0);
}

// --- Quote -------------------------------------------------------------------

TEST(MarkdownTest, QuoteFormat) {
  EXPECT_EQ(Quote("Ana Active", "Hello\nworld"),
            "> **Ana Active** wrote:\n>\n> Hello\n> world\n\n");
  EXPECT_EQ(Quote("Ana", "a\n\nb\n\n"), "> **Ana** wrote:\n>\n> a\n>\n> b\n\n");
  EXPECT_EQ(Quote("Ana", "a\r\nb"), "> **Ana** wrote:\n>\n> a\n> b\n\n");
  const std::string html = Render(Quote("Ana Active", "Hello *there*"));
  EXPECT_EQ(html,
            "<blockquote>\n<p><strong>Ana Active</strong> wrote:</p>\n"
            "<p>Hello <em>there</em></p>\n</blockquote>\n");
}

TEST(MarkdownTest, QuoteEscapesAuthor) {
  EXPECT_EQ(Quote("*Bo_b* [x] `y` <z> \\", "t"),
            "> **\\*Bo\\_b\\* \\[x\\] \\`y\\` \\<z\\> \\\\** wrote:\n>\n> t\n\n");
  EXPECT_EQ(Render(Quote("*Bo_b* [x](javascript:x) <b>", "t")),
            "<blockquote>\n<p><strong>*Bo_b* [x](javascript:x) &lt;b&gt;</strong> wrote:</p>\n"
            "<p>t</p>\n</blockquote>\n");
}

TEST(MarkdownTest, QuoteTruncatesAtCodePointBoundary) {
  // "é" occupies bytes 1999 and 2000, so the cut falls before it.
  const std::string text = std::string(1999, 'a') + "é" + std::string(100, 'b');
  const std::string q = Quote("A", text);
  EXPECT_EQ(q, "> **A** wrote:\n>\n> " + std::string(1999, 'a') + "…\n\n");
  const std::string exact(2000, 'c');
  EXPECT_EQ(Quote("A", exact), "> **A** wrote:\n>\n> " + exact + "\n\n");
  EXPECT_EQ(Quote("A", exact + "d"), "> **A** wrote:\n>\n> " + exact + "…\n\n");
}

}  // namespace
}  // namespace rt::markdown
