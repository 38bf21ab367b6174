// The template renderer against fixed expectations and, for every case,
// against kainjow's own renderer given the same data: the two must agree on
// our templates' features, since kainjow defines the semantics we keep.
#include "web/template_engine.h"

#include <gtest/gtest.h>
#include <kainjow/mustache.hpp>

namespace rt::web {
namespace {

using Data = ViewData;

// The same data in kainjow's model, for the reference renderer.
kainjow::mustache::data ToKainjow(const Data& d) {
  switch (d.type()) {
    case Data::Type::kObject: {
      kainjow::mustache::data out;
      for (const Data::Member& m : d.members()) out.set(std::string(m.key), ToKainjow(m.value));
      return out;
    }
    case Data::Type::kList: {
      kainjow::mustache::list out;
      for (const Data& item : d.list_value()) out.push_back(ToKainjow(item));
      return out;
    }
    case Data::Type::kString:
      return std::string(d.string_value());
    case Data::Type::kFalse:
      return false;
    case Data::Type::kTrue:
      return true;
    case Data::Type::kWriter: {
      std::string html;
      d.Write(&html);
      return html;
    }
    case Data::Type::kFragment: {
      // kainjow has no fragments: give it what ours prints for one.
      std::string html;
      d.fragment_template()->Render(*d.fragment_data(), &html);
      return html;
    }
  }
  return false;
}

std::string Ours(const std::string& tmpl, const Data& d,
                 const CompiledTemplate::PartialResolver& partials = {}) {
  std::string error;
  auto t = CompiledTemplate::Parse(tmpl, &error);
  EXPECT_NE(t, nullptr) << error;
  std::string out;
  if (t) {
    t->LinkPartials(partials);
    t->Render(d, &out);
  }
  return out;
}

std::string Kainjow(const std::string& tmpl, const Data& d) {
  kainjow::mustache::mustache m{tmpl};
  EXPECT_TRUE(m.is_valid()) << m.error_message();
  return m.render(ToKainjow(d));
}

Data Sample() {
  Data d;
  d["name"] = "Ana & <Bo> \"quoted\" 'single'";
  d["html"] = "<em>raw</em>";
  d["yes"] = true;
  d["no"] = false;
  d["empty"] = Data::List();
  Data items = Data::List();
  for (const char* n : {"one", "two", "three"}) items.AppendObject()["n"] = n;
  d["items"] = std::move(items);
  d["obj"]["inner"] = "deep";
  d["outer"] = "from outside";
  static const std::string kBorrowed = "<b>borrowed</b> & kept";
  d["borrowed"] = Data::Borrow(kBorrowed);
  d["empty_string"] = "";
  d["empty_object"] = Data();
  Data strings = Data::List();
  for (const char* n : {"x", "y"}) strings.Append(n);
  d["strings"] = std::move(strings);
  d["nested"]["items"] = Data::List();
  d["nested"]["name"] = "inner name";
  return d;
}

struct Case {
  const char* tmpl;
  const char* expected;
};

TEST(TemplateEngineTest, AgreesWithKainjowAndExpectations) {
  const Case cases[] = {
      {"Hello {{name}}!", "Hello Ana &amp; &lt;Bo&gt; &quot;quoted&quot; &apos;single&apos;!"},
      {"{{{html}}} {{&html}} {{html}}", "<em>raw</em> <em>raw</em> &lt;em&gt;raw&lt;/em&gt;"},
      {"[{{missing}}]", "[]"},
      {"{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^no}}notN{{/no}}{{^yes}}notY{{/yes}}", "YnotN"},
      {"{{#empty}}E{{/empty}}{{^empty}}none{{/empty}}", "none"},
      {"{{#items}}<{{n}}>{{/items}}", "<one><two><three>"},
      {"{{#items}}{{n}}:{{outer}};{{/items}}",
       "one:from outside;two:from outside;three:from outside;"},
      {"{{#obj}}{{inner}}/{{outer}}{{/obj}}", "deep/from outside"},
      {"{{obj.inner}} {{obj.nothing}}.", "deep ."},
      {"{{#missing}}x{{/missing}}{{^missing}}absent{{/missing}}", "absent"},
      {"{{! a comment }}after", "after"},
      {"<ul>\n  {{#items}}\n  <li>{{n}}</li>\n  {{/items}}\n</ul>\n",
       "<ul>\n  <li>one</li>\n  <li>two</li>\n  <li>three</li>\n</ul>\n"},
      {"{{#yes}}\nline\n{{/yes}}\nend", "line\nend"},
      {"a {{#yes}}b{{/yes}} c\n", "a b c\n"},
      {"{{ name }}", "Ana &amp; &lt;Bo&gt; &quot;quoted&quot; &apos;single&apos;"},
      {"{{#items}}{{.}}{{/items}}", ""},
      {"{{{borrowed}}}|{{borrowed}}",
       "<b>borrowed</b> & kept|&lt;b&gt;borrowed&lt;/b&gt; &amp; kept"},
      {"{{#empty_string}}truthy{{/empty_string}}{{^empty_string}}falsy{{/empty_string}}", "truthy"},
      {"{{#empty_object}}truthy {{outer}}{{/empty_object}}", "truthy from outside"},
      {"{{#strings}}[{{.}}]{{/strings}}", "[x][y]"},
      {"{{yes}}{{no}}{{items}}{{obj}}.", "."},
      {"{{#nested}}{{name}}{{#items}}never{{/items}}{{^items}} has none{{/items}}{{/nested}}",
       "inner name has none"},
      {"{{#items}}{{#obj}}{{n}}{{inner}}{{/obj}}{{/items}}", "onedeeptwodeepthreedeep"},
      {"{{#obj}}{{#items}}{{inner}}{{/items}}{{/obj}}", "deepdeepdeep"},
      {"{{#items}}{{name}},{{/items}}",
       "Ana &amp; &lt;Bo&gt; &quot;quoted&quot; &apos;single&apos;,"
       "Ana &amp; &lt;Bo&gt; &quot;quoted&quot; &apos;single&apos;,"
       "Ana &amp; &lt;Bo&gt; &quot;quoted&quot; &apos;single&apos;,"},
      {"{{#obj.inner}}<{{.}}>{{/obj.inner}}{{#obj.missing}}x{{/obj.missing}}", "<deep>"},
      {"{{nested.name.deeper}}|{{outer.x}}|", "||"},
  };
  Data d = Sample();
  for (const Case& c : cases) {
    EXPECT_EQ(Ours(c.tmpl, d), c.expected) << c.tmpl;
    EXPECT_EQ(Ours(c.tmpl, d), Kainjow(c.tmpl, d)) << c.tmpl;
  }
}

// Escaping scans long values in blocks: a special character must be found
// at any position, in any block, next to any other.
TEST(TemplateEngineTest, EscapesEverySpecialCharacterAtEveryPosition) {
  auto reference = [](std::string_view s) {
    std::string out;
    for (char c : s) {
      switch (c) {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += "&quot;";
          break;
        case '\'':
          out += "&apos;";
          break;
        default:
          out += c;
      }
    }
    return out;
  };
  std::string error;
  auto t = CompiledTemplate::Parse("{{v}}", &error);
  ASSERT_NE(t, nullptr);
  for (size_t len : {0, 1, 15, 16, 17, 31, 32, 33, 47, 100}) {
    for (size_t pos = 0; pos < len; ++pos) {
      for (char special : std::string_view("&<>\"'")) {
        std::string s;
        for (size_t i = 0; i < len; ++i) s.push_back(static_cast<char>('a' + i % 26));
        s[pos] = special;
        if (pos + 1 < len) s[pos + 1] = '<';  // two in a row
        if (len > 20) s[len - 1] = '\xC3';    // non-ASCII bytes pass through
        Data d;
        d["v"] = s;
        std::string out;
        t->Render(d, &out);
        ASSERT_EQ(out, reference(s)) << len << " " << pos << " " << special;
      }
    }
  }
}

TEST(TemplateEngineTest, PartialsSeeTheWholeContext) {
  std::string error;
  auto partial = CompiledTemplate::Parse("[{{n}} of {{outer}}]", &error);
  ASSERT_NE(partial, nullptr);
  auto resolve = [&](std::string_view name) -> const CompiledTemplate* {
    return name == "item" ? partial.get() : nullptr;
  };
  EXPECT_EQ(Ours("{{#items}}{{> item}}{{/items}}{{> missing}}", Sample(), resolve),
            "[one of from outside][two of from outside][three of from outside]");
}

TEST(TemplateEngineTest, PartialsAreLookedUpOnceWhenLinked) {
  std::string error;
  auto partial = CompiledTemplate::Parse("<{{n}}>", &error);
  auto page = CompiledTemplate::Parse("{{#items}}{{> item}}{{> item}}{{/items}}", &error);
  ASSERT_NE(partial, nullptr);
  ASSERT_NE(page, nullptr);
  int lookups = 0;
  page->LinkPartials([&](std::string_view name) -> const CompiledTemplate* {
    ++lookups;
    return name == "item" ? partial.get() : nullptr;
  });
  EXPECT_EQ(lookups, 2);
  std::string out;
  page->Render(Sample(), &out);
  page->Render(Sample(), &out);
  EXPECT_EQ(lookups, 2);
  EXPECT_EQ(out, "<one><one><two><two><three><three><one><one><two><two><three><three>");
}

TEST(TemplateEngineTest, UnlinkedPartialsRenderNothing) {
  EXPECT_EQ(Ours("a{{> anything}}b", Sample()), "ab");
}

std::unique_ptr<CompiledTemplate> MustParse(std::string_view source) {
  std::string error;
  auto t = CompiledTemplate::Parse(source, &error);
  EXPECT_NE(t, nullptr) << error;
  return t;
}

TEST(TemplateEngineTest, RenderAppends) {
  auto t = MustParse("{{{html}}}|{{name}}|{{&html}}{{{missing}}}{{{yes}}}");
  std::string out = "kept:";
  t->Render(Sample(), &out);
  EXPECT_EQ(out,
            "kept:<em>raw</em>|Ana &amp; &lt;Bo&gt; &quot;quoted&quot; &apos;single&apos;|"
            "<em>raw</em>");
}

TEST(TemplateEngineTest, FragmentsRenderWithOnlyTheirOwnData) {
  auto inner = MustParse("[{{n}} {{outer}}{{#items}}!{{/items}}<i>]");
  auto page = MustParse("{{{frag}}}/{{frag}}/{{#frag}}{{outer}}{{/frag}}/{{outer}}");
  Data d = Sample();
  Data fd;
  fd["n"] = "own";
  d["frag"] = Data::Fragment(*inner, std::move(fd));
  std::string out;
  page->Render(d, &out);
  // Neither `outer` nor `items` of the page shows through; a fragment is
  // true in a section, and the page's names are visible again after it.
  EXPECT_EQ(out, "[own <i>]/[own &lt;i&gt;]/from outside/from outside");
}

TEST(TemplateEngineTest, WritersPrintStraightIntoTheOutput) {
  auto page = MustParse("<{{{w}}}>{{w}}{{#w}}+{{outer}}{{/w}}{{^w}}never{{/w}}");
  struct Context {
    std::string text;
    int calls = 0;
  } context{"<b>&</b>"};
  auto write = [](const void* c, std::string* out) {
    auto* ctx = static_cast<Context*>(const_cast<void*>(c));
    ++ctx->calls;
    *out += ctx->text;
  };
  Data d = Sample();
  d["w"] = Data::Writer(write, &context);
  EXPECT_TRUE(d.get("w")->truthy());
  EXPECT_EQ(d.get("w")->type(), Data::Type::kWriter);
  std::string out = "kept:";
  page->Render(d, &out);
  // Raw: written as is, at its place; escaped: the same text escaped; a
  // writer is true in sections and has no names of its own.
  EXPECT_EQ(out, "kept:<<b>&</b>>&lt;b&gt;&amp;&lt;/b&gt;+from outside");
  EXPECT_EQ(context.calls, 2);
  // A clone writes through the same context.
  Data copy = d.Clone();
  std::string again;
  page->Render(copy, &again);
  EXPECT_EQ(again, out.substr(5));
  EXPECT_EQ(context.calls, 4);
}

TEST(TemplateEngineTest, FragmentsNestAndFillLists) {
  auto leaf = MustParse("({{n}})");
  auto middle = MustParse("<{{#leaves}}{{{.}}}{{/leaves}}{{n}}>");
  auto page = MustParse("{{#parts}}{{{html}}}{{/parts}}");
  Data d;
  Data parts = Data::List();
  for (const char* n : {"a", "b"}) {
    Data md;
    md["n"] = n;
    Data leaves = Data::List();
    for (const char* l : {"1", "2"}) {
      Data ld;
      ld["n"] = std::string(n) + l;
      leaves.Append(Data::Fragment(*leaf, std::move(ld)));
    }
    md["leaves"] = std::move(leaves);
    parts.AppendObject()["html"] = Data::Fragment(*middle, std::move(md));
  }
  d["parts"] = std::move(parts);
  std::string out;
  page->Render(d, &out);
  EXPECT_EQ(out, "<(a1)(a2)a><(b1)(b2)b>");
}

TEST(TemplateEngineTest, ExpectedSizeLearnsFromEarlierRenderings) {
  auto inner = MustParse("{{{body}}}");
  auto page = MustParse("<p>{{title}}</p>{{{content}}}");
  auto make = [&](std::string title, std::string body) {
    Data fd;
    fd["body"] = std::move(body);
    Data d;
    d["title"] = std::move(title);
    d["content"] = Data::Fragment(*inner, std::move(fd));
    return d;
  };
  Data small = make("t", "b");
  EXPECT_EQ(page->ExpectedSize(small), 0u);
  Data big = make(std::string(100, 't'), std::string(1000, 'b'));
  std::string out;
  page->Render(big, &out);
  ASSERT_EQ(out.size(), 7 + 100 + 1000u);
  // The page's own 107 bytes and the fragment template's longest, 1000.
  EXPECT_EQ(page->ExpectedSize(small), 1107u);
  // Data without the fragment needs only the page's own bytes.
  Data plain;
  plain["title"] = "x";
  EXPECT_EQ(page->ExpectedSize(plain), 107u);
  // A shorter rendering does not shrink the expectation.
  out.clear();
  page->Render(small, &out);
  EXPECT_EQ(page->ExpectedSize(big), 1107u);
}

TEST(TemplateEngineTest, SyntaxErrorsAreReported) {
  for (const char* bad : {"{{#open}}never closed", "{{/stray}}", "{{unclosed", "{{#a}}{{/b}}"}) {
    std::string error;
    EXPECT_EQ(CompiledTemplate::Parse(bad, &error), nullptr) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

TEST(TemplateEngineTest, UserTextIsNeverParsedAsATemplate) {
  Data d;
  d["name"] = "{{#evil}}{{{html}}}{{/evil}}";
  d["html"] = "<script>";
  EXPECT_EQ(Ours("{{name}}", d), "{{#evil}}{{{html}}}{{/evil}}");
}

}  // namespace
}  // namespace rt::web
