#include "mail/body_text.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <vector>

#include "core/text.h"

namespace rt::mail {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacement;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool IsControl(char32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

// Windows-1252 bytes 0x80..0x9F; 0 marks the five bytes it leaves undefined.
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

char32_t Cp1252ToUnicode(unsigned char b) {
  if (b >= 0x80 && b <= 0x9F) {
    char16_t u = kCp1252High[b - 0x80];
    return u == 0 ? kReplacement : u;
  }
  return b;
}

struct NamedEntity {
  const char* name;
  char32_t cp;
};

// The entities mail clients actually emit; anything else stays literal.
constexpr NamedEntity kEntities[] = {
    {"amp", '&'},       {"lt", '<'},        {"gt", '>'},
    {"quot", '"'},      {"apos", '\''},     {"nbsp", 0xA0},
    {"copy", 0xA9},     {"reg", 0xAE},      {"trade", 0x2122},
    {"hellip", 0x2026}, {"mdash", 0x2014},  {"ndash", 0x2013},
    {"lsquo", 0x2018},  {"rsquo", 0x2019},  {"sbquo", 0x201A},
    {"ldquo", 0x201C},  {"rdquo", 0x201D},  {"bdquo", 0x201E},
    {"bull", 0x2022},   {"middot", 0xB7},   {"laquo", 0xAB},
    {"raquo", 0xBB},    {"euro", 0x20AC},   {"pound", 0xA3},
    {"yen", 0xA5},      {"cent", 0xA2},     {"sect", 0xA7},
    {"deg", 0xB0},      {"plusmn", 0xB1},   {"times", 0xD7},
    {"divide", 0xF7},   {"frac12", 0xBD},   {"frac14", 0xBC},
    {"frac34", 0xBE},   {"para", 0xB6},     {"iexcl", 0xA1},
    {"iquest", 0xBF},   {"shy", 0xAD},      {"zwnj", 0x200C},
    {"zwj", 0x200D},    {"thinsp", 0x2009}, {"ensp", 0x2002},
    {"emsp", 0x2003},   {"Agrave", 0xC0},   {"Aacute", 0xC1},
    {"Acirc", 0xC2},    {"Auml", 0xC4},     {"Aring", 0xC5},
    {"AElig", 0xC6},    {"Ccedil", 0xC7},   {"Egrave", 0xC8},
    {"Eacute", 0xC9},   {"Ecirc", 0xCA},    {"Iacute", 0xCD},
    {"Ntilde", 0xD1},   {"Oacute", 0xD3},   {"Ouml", 0xD6},
    {"Oslash", 0xD8},   {"Uacute", 0xDA},   {"Uuml", 0xDC},
    {"szlig", 0xDF},    {"agrave", 0xE0},   {"aacute", 0xE1},
    {"acirc", 0xE2},    {"atilde", 0xE3},   {"auml", 0xE4},
    {"aring", 0xE5},    {"aelig", 0xE6},    {"ccedil", 0xE7},
    {"egrave", 0xE8},   {"eacute", 0xE9},   {"ecirc", 0xEA},
    {"euml", 0xEB},     {"igrave", 0xEC},   {"iacute", 0xED},
    {"icirc", 0xEE},    {"iuml", 0xEF},     {"ntilde", 0xF1},
    {"ograve", 0xF2},   {"oacute", 0xF3},   {"ocirc", 0xF4},
    {"otilde", 0xF5},   {"ouml", 0xF6},     {"oslash", 0xF8},
    {"ugrave", 0xF9},   {"uacute", 0xFA},   {"ucirc", 0xFB},
    {"uuml", 0xFC},     {"yacute", 0xFD},   {"yuml", 0xFF},
};

// Decodes the character reference starting at s[i] == '&'. On success
// appends it and returns the number of bytes consumed; 0 leaves the '&'
// literal.
size_t DecodeEntity(std::string_view s, size_t i, std::string& out) {
  // Look only as far as the longest reference could reach, so that text
  // full of "&" stays linear.
  size_t semi = s.substr(i + 1, 12).find(';');
  if (semi == std::string_view::npos) return 0;
  semi += i + 1;
  std::string_view body = s.substr(i + 1, semi - i - 1);
  if (body.empty()) return 0;
  if (body[0] == '#') {
    uint32_t v = 0;
    bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
    std::string_view digits = body.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    for (char c : digits) {
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (hex && c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else if (hex && c >= 'A' && c <= 'F') {
        d = c - 'A' + 10;
      } else {
        return 0;
      }
      v = v * (hex ? 16 : 10) + d;
      if (v > 0x10FFFF) v = 0x110000;  // stays out of range, no overflow
    }
    char32_t cp = v;
    // HTML reads references to 0x80..0x9F as Windows-1252, as browsers do.
    if (v >= 0x80 && v <= 0x9F) cp = Cp1252ToUnicode(static_cast<uint8_t>(v));
    if (v == 0 || v > 0x10FFFF) cp = kReplacement;
    AppendUtf8(out, cp);
    return semi - i + 1;
  }
  for (const NamedEntity& e : kEntities) {
    if (body == e.name) {
      AppendUtf8(out, e.cp);
      return semi - i + 1;
    }
  }
  return 0;
}

std::string DecodeEntities(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '&') {
      size_t used = DecodeEntity(s, i, out);
      if (used > 0) {
        i += used - 1;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

char LowerAscii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (LowerAscii(s[i]) != LowerAscii(prefix[i])) return false;
  }
  return true;
}

bool IsHtmlSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

bool IsOneOf(std::string_view name,
             std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), name) != set.end();
}

// Elements whose content never shows as text.
bool IsHiddenElement(std::string_view name) {
  return IsOneOf(name, {"script", "style", "head", "title", "template",
                        "noscript", "svg", "object", "iframe", "xml"});
}

// Elements that start and end a paragraph (a blank line around them).
bool IsParagraphElement(std::string_view name) {
  return IsOneOf(name, {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table",
                        "dl", "figure", "blockquote", "ul", "ol"});
}

// Elements that start and end a line.
bool IsLineElement(std::string_view name) {
  return IsOneOf(
      name,
      {"div",        "li",      "tr",     "dd",      "dt",      "address",
       "article",    "aside",   "center", "details", "summary", "fieldset",
       "figcaption", "footer",  "header", "main",    "nav",     "section",
       "form",       "caption", "tbody",  "thead",   "tfoot",   "hr",
       "dir",        "menu"});
}

struct Tag {
  std::string name;  // lower-case
  bool closing = false;
  bool self_closing = false;
  std::string href;  // decoded, for <a>
};

// Parses the tag whose '<' is at s[i]; returns the index after its '>'
// (s.size() when unterminated).
size_t ParseTag(std::string_view s, size_t i, Tag* tag) {
  size_t p = i + 1;
  if (p < s.size() && s[p] == '/') {
    tag->closing = true;
    ++p;
  }
  while (p < s.size() && (std::isalnum(static_cast<unsigned char>(s[p])) ||
                          s[p] == ':' || s[p] == '-')) {
    tag->name.push_back(LowerAscii(s[p]));
    ++p;
  }
  // Attributes: name[=value], value quoted or not.
  while (p < s.size() && s[p] != '>') {
    if (IsHtmlSpace(s[p]) || s[p] == '/') {
      if (s[p] == '/') tag->self_closing = true;
      ++p;
      continue;
    }
    size_t name_start = p;
    while (p < s.size() && !IsHtmlSpace(s[p]) && s[p] != '=' && s[p] != '>' &&
           s[p] != '/') {
      ++p;
    }
    std::string attr(s.substr(name_start, p - name_start));
    for (char& c : attr) c = LowerAscii(c);
    while (p < s.size() && IsHtmlSpace(s[p])) ++p;
    std::string_view value;
    if (p < s.size() && s[p] == '=') {
      ++p;
      while (p < s.size() && IsHtmlSpace(s[p])) ++p;
      if (p < s.size() && (s[p] == '"' || s[p] == '\'')) {
        char q = s[p++];
        size_t end = s.find(q, p);
        if (end == std::string_view::npos) end = s.size();
        value = s.substr(p, end - p);
        p = std::min(end + 1, s.size());
      } else {
        size_t start = p;
        while (p < s.size() && !IsHtmlSpace(s[p]) && s[p] != '>') ++p;
        value = s.substr(start, p - start);
      }
    }
    if (attr == "href")
      tag->href = std::string(text::Trim(DecodeEntities(value)));
  }
  return p < s.size() ? p + 1 : s.size();
}

// Writes text the way a browser lays it out, one event at a time. Newlines
// are owed (pending_) rather than written, so that consecutive block
// boundaries merge and nothing trails at the end.
class TextWriter {
 public:
  // Asks for at least `n` line breaks before the next text (1: new line,
  // 2: blank line).
  void Break(int n) {
    if (!out_.empty()) pending_ = std::max(pending_, n);
  }
  // <br>: one more line break, even where one is already owed.
  void LineBreak() {
    if (!out_.empty() || pending_ > 0) ++pending_;
    space_ = false;
  }
  void Space() { space_ = true; }
  void QuoteIn() { ++quote_depth_; }
  void QuoteOut() {
    if (quote_depth_ > 0) --quote_depth_;
  }
  void SetItemPrefix(std::string prefix) { item_prefix_ = std::move(prefix); }

  // Appends visible text; `collapse` folds whitespace runs into one space.
  void Text(std::string_view s, bool collapse) {
    size_t i = 0;
    while (i < s.size()) {
      char c = s[i];
      if (c == '\n' && !collapse) {
        LineBreak();
        ++i;
        continue;
      }
      if (IsHtmlSpace(c) && collapse) {
        Space();
        ++i;
        continue;
      }
      // U+00A0 is a space that does not collapse (Outlook marks empty
      // paragraphs with it).
      if (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') {
        Char(" ");
        i += 2;
        continue;
      }
      Char(std::string_view(&s[i], 1));
      ++i;
    }
  }

  void StartLink(std::string href) {
    link_href_ = std::move(href);
    link_text_.clear();
    in_link_ = true;
  }
  // Keeps the link target unless the text already says it or it leads
  // nowhere a reader can follow.
  void EndLink() {
    if (!in_link_) return;
    in_link_ = false;
    std::string href = std::move(link_href_);
    std::string shown(text::Trim(link_text_));
    std::string lower = text::ToLowerAscii(href);
    if (href.empty() || shown.empty() || lower.rfind('#', 0) == 0 ||
        lower.rfind("javascript:", 0) == 0 || lower.rfind("cid:", 0) == 0 ||
        lower.rfind("data:", 0) == 0) {
      return;
    }
    std::string bare = href;
    if (lower.rfind("mailto:", 0) == 0) bare = href.substr(7);
    if (lower.rfind("tel:", 0) == 0) bare = href.substr(4);
    auto same = [](std::string_view a, std::string_view b) {
      while (!a.empty() && a.back() == '/') a.remove_suffix(1);
      while (!b.empty() && b.back() == '/') b.remove_suffix(1);
      return text::ToLowerAscii(a) == text::ToLowerAscii(b);
    };
    if (same(shown, href) || same(shown, bare)) return;
    // "www.example.org" shown for "https://www.example.org/".
    for (std::string_view scheme : {"https://", "http://"}) {
      if (lower.rfind(scheme, 0) == 0 &&
          same(shown, href.substr(scheme.size())))
        return;
    }
    Char(" (");
    Char(href);
    Char(")");
  }

  std::string Finish() {
    // Trim spaces before each newline, drop runs of blank lines.
    std::string out;
    out.reserve(out_.size());
    size_t start = 0;
    int blank_run = 0;
    while (start <= out_.size()) {
      size_t end = out_.find('\n', start);
      if (end == std::string::npos) end = out_.size();
      std::string_view line(out_.data() + start, end - start);
      while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
      bool blank = line.find_first_not_of('>') == std::string_view::npos;
      blank_run = blank ? blank_run + 1 : 0;
      if (blank_run <= 1) {
        out.append(line);
        out.push_back('\n');
      }
      start = end + 1;
    }
    // Drop trailing blank (or only ">") lines.
    while (!out.empty()) {
      size_t last = out.find_last_of('\n', out.size() - 1);
      if (out.back() == '\n') {
        out.pop_back();
        continue;
      }
      size_t line_start = last == std::string::npos ? 0 : last + 1;
      if (out.find_first_not_of('>', line_start) != std::string::npos) break;
      out.resize(line_start);
    }
    return out;
  }

 private:
  void Char(std::string_view c) {
    if (out_.empty()) pending_ = 0;
    if (pending_ > 0) {
      for (int k = 0; k < pending_; ++k) {
        out_.push_back('\n');
        if (k + 1 < pending_) out_.append(quote_depth_, '>');
      }
      pending_ = 0;
      at_line_start_ = true;
    }
    if (at_line_start_) {
      if (quote_depth_ > 0) {
        out_.append(quote_depth_, '>');
        out_.push_back(' ');
      }
      out_ += item_prefix_;
      item_prefix_.clear();
      at_line_start_ = false;
      space_ = false;
    } else if (space_) {
      out_.push_back(' ');
      if (in_link_) link_text_.push_back(' ');
    }
    space_ = false;
    out_.append(c);
    if (in_link_) link_text_.append(c);
  }

  std::string out_;
  int pending_ = 0;
  bool at_line_start_ = true;
  bool space_ = false;
  int quote_depth_ = 0;
  std::string item_prefix_;
  bool in_link_ = false;
  std::string link_href_;
  std::string link_text_;
};

}  // namespace

std::string HtmlToText(std::string_view html_bytes) {
  std::string html = SanitizeText(html_bytes);
  std::string_view s = html;
  TextWriter w;
  int pre_depth = 0;
  // One entry per open list: 0 for <ul>, else the next number of an <ol>.
  std::vector<int> lists;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '<') {
      size_t next = s.find('<', i);
      if (next == std::string_view::npos) next = s.size();
      w.Text(DecodeEntities(s.substr(i, next - i)), pre_depth == 0);
      i = next;
      continue;
    }
    if (s.compare(i, 4, "<!--") == 0) {
      size_t end = s.find("-->", i + 4);
      i = end == std::string_view::npos ? s.size() : end + 3;
      continue;
    }
    char next = i + 1 < s.size() ? s[i + 1] : '\0';
    if (next == '!' || next == '?') {
      size_t end = s.find('>', i);
      i = end == std::string_view::npos ? s.size() : end + 1;
      continue;
    }
    if (!std::isalpha(static_cast<unsigned char>(next)) && next != '/') {
      w.Text("<", pre_depth == 0);  // a lone "<" in text
      ++i;
      continue;
    }
    Tag tag;
    i = ParseTag(s, i, &tag);
    const std::string& name = tag.name;
    if (IsHiddenElement(name)) {
      if (!tag.closing && !tag.self_closing) {
        // Skip to the matching end tag; these elements do not nest text.
        size_t end = i;
        while (true) {
          end = s.find("</", end);
          if (end == std::string_view::npos) break;
          if (StartsWithNoCase(s.substr(end + 2), name)) break;
          end += 2;
        }
        if (end == std::string_view::npos) {
          i = s.size();
        } else {
          size_t close = s.find('>', end);
          i = close == std::string_view::npos ? s.size() : close + 1;
        }
      }
      continue;
    }
    if (name == "br") {
      w.LineBreak();
    } else if (name == "hr") {
      w.Break(2);
      w.Text("________________________________", false);
      w.Break(2);
    } else if (name == "a") {
      if (tag.closing) {
        w.EndLink();
      } else {
        w.StartLink(tag.href);
      }
    } else if (name == "blockquote") {
      w.Break(2);
      if (tag.closing) {
        w.QuoteOut();
      } else {
        w.QuoteIn();
      }
    } else if (name == "pre") {
      w.Break(2);
      pre_depth = std::max(0, pre_depth + (tag.closing ? -1 : 1));
    } else if (name == "ul" || name == "ol") {
      w.Break(lists.empty() ? 2 : 1);
      if (tag.closing) {
        if (!lists.empty()) lists.pop_back();
        if (lists.empty()) w.Break(2);
      } else if (lists.size() < 16) {
        lists.push_back(name == "ol" ? 1 : 0);
      }
    } else if (name == "li") {
      w.Break(1);
      if (!tag.closing) {
        std::string prefix(lists.empty() ? 0 : 2 * (lists.size() - 1), ' ');
        if (!lists.empty() && lists.back() > 0) {
          prefix += std::to_string(lists.back()++) + ". ";
        } else {
          prefix += "- ";
        }
        w.SetItemPrefix(std::move(prefix));
      }
    } else if (name == "td" || name == "th") {
      w.Space();
    } else if (IsParagraphElement(name)) {
      w.Break(2);
    } else if (IsLineElement(name)) {
      w.Break(1);
    }
  }
  w.EndLink();
  return w.Finish();
}

std::string DecodeFlowed(std::string_view text, bool delsp) {
  std::string out;
  std::string paragraph;
  int paragraph_depth = -1;  // -1: no paragraph open
  auto flush = [&] {
    if (paragraph_depth < 0) return;
    out.append(paragraph_depth, '>');
    if (paragraph_depth > 0 && !paragraph.empty()) out.push_back(' ');
    out += paragraph;
    out.push_back('\n');
    paragraph.clear();
    paragraph_depth = -1;
  };
  bool previous_flowed = false;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    int depth = 0;
    while (depth < static_cast<int>(line.size()) && line[depth] == '>') ++depth;
    line.remove_prefix(depth);
    // Undo space-stuffing, except before a ">" at depth 0: the sender's
    // client stuffed it so that it would not read as a quote, and a later
    // quote-stripping step must not take it for one either.
    if (!line.empty() && line[0] == ' ' &&
        !(depth == 0 && line.size() > 1 && line[1] == '>')) {
      line.remove_prefix(1);
    }
    bool signature = line == "-- ";
    bool flowed = !signature && !line.empty() && line.back() == ' ';
    if (!(previous_flowed && depth == paragraph_depth)) flush();
    if (flowed && delsp) line.remove_suffix(1);
    paragraph_depth = depth;
    paragraph.append(line);
    previous_flowed = flowed;
  }
  flush();
  if (!text.empty() && text.back() != '\n' && !out.empty()) out.pop_back();
  return out;
}

std::string SanitizeText(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  size_t i = 0;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // byte order mark
  while (i < bytes.size()) {
    char32_t cp;
    size_t len = text::DecodeUtf8(bytes, i, &cp);
    if (len == 0) {
      AppendUtf8(out, kReplacement);
      ++i;
      continue;
    }
    if (cp == '\r') {
      out.push_back('\n');
      if (i + 1 < bytes.size() && bytes[i + 1] == '\n') ++i;
    } else if (cp == '\n' || cp == '\t' || !IsControl(cp)) {
      out.append(bytes.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::string SanitizeLine(std::string_view bytes) {
  std::string clean = SanitizeText(bytes);
  std::string out;
  out.reserve(clean.size());
  bool space = false;
  for (char c : clean) {
    if (c == ' ' || c == '\n' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string DecodeWindows1252(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (char c : bytes)
    AppendUtf8(out, Cp1252ToUnicode(static_cast<uint8_t>(c)));
  return out;
}

}  // namespace rt::mail
