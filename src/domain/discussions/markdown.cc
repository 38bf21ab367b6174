#include "domain/discussions/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <utility>

namespace rt::markdown {

namespace {

// --- Limits that keep cmark-gfm 0.29.0.gfm.6 (Debian 12) linear -----------
//
// That release has several inputs with super-linear cost (fixed upstream
// only later); at 64 KiB they took 0.4 s to 8 s each on our 2-core box.
// Rather than depend on a newer library than the distribution ships, the
// pre-pass below escapes the offending characters once a generous budget
// is exhausted, so ordinary posts are left byte-for-byte alone and only
// absurd ones change (a backslash may then show up inside a code block,
// acceptable for input nobody writes by hand).

// Unescaped `|` per line beyond which pipes are escaped: the table
// extension is quadratic in the number of cells of a row.
constexpr int kMaxTablePipes = 101;  // 100 cells between outer pipes.
// Empty cells the table extension may add to short rows, per document:
// "|a|...|\n" with 100 columns followed by 30,000 lines of "x" otherwise
// renders 30 MB of <td></td>.
constexpr long kMaxPaddedCells = 10000;
// A run of host-name characters longer than this cannot be a real domain.
// Inside such a run every "_www." starts an autolink scan to the end of
// the run, so the "." is escaped.
constexpr size_t kMaxHostRun = 255;
// ")" in one run of trailing-punctuation characters: the autolink
// extension rescans the whole link for each trailing ")".
constexpr int kMaxParenRun = 256;
// "<?" / "<!" (inline raw HTML scans to the end of the paragraph for its
// terminator) and "![" (each link closer walks back over every open image
// bracket) per document.
constexpr int kMaxHtmlOpeners = 256;
constexpr int kMaxImageOpeners = 256;

bool IsBlank(char c) { return c == ' ' || c == '\t'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

// Characters the autolink extension strips from the end of a link one at a
// time (see autolink_delim in cmark-gfm's extensions/autolink.c).
bool IsTrailingPunct(char c) {
  return std::string_view(")?!.,:*_~'\";").find(c) != std::string_view::npos;
}

// Characters check_domain() keeps scanning over; non-ASCII bytes are
// counted too (the library accepts any non-space, non-punctuation code
// point) and a backslash takes the next byte with it.
bool IsHostRunChar(char c) {
  return IsAsciiAlnum(c) || c == '_' || c == '.' || c == '-' || c == '\\' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// True when line[p..] is a thematic break made of `c` ("- - - - -"), which
// CommonMark prefers over a list item: such lines must not be flattened.
bool IsThematicBreakFrom(std::string_view line, size_t p) {
  const char c = line[p];
  if (c != '-' && c != '*' && c != '_') return false;
  int count = 0;
  for (size_t i = p; i < line.size(); ++i) {
    if (line[i] == c) {
      ++count;
    } else if (!IsBlank(line[i])) {
      return false;
    }
  }
  return count >= 3;
}

// Number of cells a table row has, as the table extension splits it:
// unescaped pipes separate cells, an outer pipe on either side is optional.
int CountCells(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (IsBlank(s[b]) || s[b] == '>')) ++b;
  while (e > b && IsBlank(s[e - 1])) --e;
  if (b == e) return 0;
  int pipes = 0;
  bool leading = s[b] == '|', trailing = false;
  for (size_t i = b; i < e; ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '|') {
      ++pipes;
      trailing = i == e - 1;
    }
  }
  int cells = pipes + 1 - (leading ? 1 : 0) - (trailing ? 1 : 0);
  return cells < 1 ? 1 : cells;
}

// A GFM delimiter row such as "|:--|--:|" (after any quote markers).
bool IsDelimiterRow(std::string_view s) {
  bool dash = false, pipe = false;
  size_t i = 0;
  while (i < s.size() && (IsBlank(s[i]) || s[i] == '>')) ++i;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '-') {
      dash = true;
    } else if (c == '|') {
      pipe = true;
    } else if (c != ':' && !IsBlank(c)) {
      return false;
    }
  }
  return dash && pipe;
}

bool IsBlankLine(std::string_view s) {
  for (char c : s) {
    if (!IsBlank(c) && c != '>') return false;
  }
  return true;
}

// Rewrites `source` so that cmark-gfm parses it in linear time with bounded
// nesting. Every change is a backslash escape (which turns a marker into
// literal text) or an inserted empty line (which ends a table); ordinary
// documents come out unchanged. One pass per line, each linear.
class Preprocessor {
 public:
  std::string Run(std::string_view src) {
    out_.reserve(src.size() + src.size() / 16 + 16);
    size_t i = 0;
    while (i < src.size()) {
      // cmark ends lines at "\n", "\r" and "\r\n"; so must we, or "x\r" +
      // 50,000 ">" would hide a line from the nesting limit.
      size_t e = i;
      while (e < src.size() && src[e] != '\n' && src[e] != '\r') ++e;
      size_t next = e;
      if (next < src.size()) {
        next += (src[next] == '\r' && next + 1 < src.size() && src[next + 1] == '\n') ? 2 : 1;
      }
      Line(src.substr(i, e - i), src.substr(e, next - e));
      i = next;
    }
    return std::move(out_);
  }

 private:
  void Line(std::string_view line, std::string_view eol) {
    escape_.assign(line.size(), false);
    FlattenNesting(line);
    CapPipes(line);
    GuardAutolinks(line);
    GuardOpeners(line);
    if (TablePaddingExceeded(line)) {
      // An empty line (inside the same quotes) ends the table; the row
      // becomes an ordinary paragraph.
      for (char c : line) {
        if (c == '>') {
          out_ += '>';
        } else if (!IsBlank(c)) {
          break;
        }
      }
      out_ += '\n';
    }
    for (size_t k = 0; k < line.size(); ++k) {
      if (escape_[k]) out_ += '\\';
      out_ += line[k];
    }
    out_ += eol;
  }

  // Escapes the container marker ("> ", "- ", "* ", "+ ", "1. ", "1) ")
  // that would open a block more than kMaxNesting levels deep, so it and
  // the rest of the line become paragraph text. Depth counts the
  // containers a line continues as well as those it opens: list items are
  // also continued by indentation alone ("  - " under "- "), which
  // cmark's block parser does the same way, in a much simplified form:
  // open_ holds each open container's content column.
  void FlattenNesting(std::string_view line) {
    const bool blank = line.find_first_not_of(" \t") == std::string_view::npos;
    size_t p = 0;
    int col = 0;
    size_t matched = 0;
    for (; matched < open_.size(); ++matched) {
      size_t q = p;
      int qc = col;
      if (open_[matched].quote) {
        while (q < line.size() && IsBlank(line[q]) && qc - col < 4) qc = Advance(qc, line[q++]);
        if (q == line.size() || line[q] != '>' || qc - col > 3) break;
        p = q + 1;
        col = qc + 1;
        if (p < line.size() && IsBlank(line[p])) col = Advance(col, line[p++]);
      } else {
        if (blank) continue;
        const int content = open_[matched].content_column;
        while (q < line.size() && IsBlank(line[q]) && qc < content) qc = Advance(qc, line[q++]);
        if (qc < content) break;
        p = q;
        col = qc;
      }
    }
    if (blank) {
      open_.resize(matched);
      return;
    }
    bool opened = false;
    while (true) {
      size_t q = p;
      int qc = col;
      while (q < line.size() && IsBlank(line[q])) qc = Advance(qc, line[q++]);
      // Four columns of indentation make code, not a container.
      if (q == line.size() || qc - col >= 4) break;
      const char c = line[q];
      size_t escape_at, end;
      if (c == '>') {
        escape_at = q;
        end = q + 1;
      } else if ((c == '-' || c == '*' || c == '+') &&
                 (q + 1 == line.size() || IsBlank(line[q + 1]))) {
        if (IsThematicBreakFrom(line, q)) break;
        escape_at = q;
        end = q + 1;
      } else if (IsDigit(c)) {
        size_t d = q;
        while (d < line.size() && d - q < 10 && IsDigit(line[d])) ++d;
        if (d - q > 9 || d == line.size() || (line[d] != '.' && line[d] != ')')) break;
        if (d + 1 < line.size() && !IsBlank(line[d + 1])) break;
        escape_at = d;
        end = d + 1;
      } else {
        break;
      }
      if (!opened) {
        // A line that opens containers closes those it did not continue.
        open_.resize(matched);
        opened = true;
      }
      if (open_.size() >= size_t(kMaxNesting)) {
        escape_[escape_at] = true;
        return;
      }
      p = end;
      col = qc + int(end - q);
      if (c == '>') {
        if (p < line.size() && IsBlank(line[p])) col = Advance(col, line[p++]);
        open_.push_back({true, col});
        continue;
      }
      // A list item's content starts after 1-4 spaces; with more (or
      // none before the line ends) one column after the marker.
      size_t s = p;
      int sc = col;
      while (s < line.size() && IsBlank(line[s]) && sc - col < 5) sc = Advance(sc, line[s++]);
      open_.push_back({false, (s == line.size() || sc - col >= 5) ? col + 1 : sc});
    }
    // Otherwise the line may be a lazy continuation, which keeps every
    // container open: assume it does (the estimate errs towards depth).
  }

  static int Advance(int column, char c) {
    return c == '\t' ? column + 4 - column % 4 : column + 1;
  }

  void CapPipes(std::string_view line) {
    int pipes = 0;
    for (size_t k = 0; k < line.size(); ++k) {
      if (line[k] == '\\') {
        ++k;
      } else if (line[k] == '|' && ++pipes > kMaxTablePipes) {
        escape_[k] = true;
      }
    }
  }

  void GuardAutolinks(std::string_view line) {
    // Long host-name runs: escape the "." of every "_www." inside them.
    for (size_t k = 0; k < line.size();) {
      if (!IsHostRunChar(line[k])) {
        ++k;
        continue;
      }
      size_t e = k;
      while (e < line.size() && IsHostRunChar(line[e])) e += line[e] == '\\' ? 2 : 1;
      if (e > line.size()) e = line.size();
      if (e - k > kMaxHostRun) {
        for (size_t w = k + 1; w + 4 <= e; ++w) {
          if (line[w - 1] == '_' && AsciiLower(line[w]) == 'w' && AsciiLower(line[w + 1]) == 'w' &&
              AsciiLower(line[w + 2]) == 'w' && line[w + 3] == '.') {
            escape_[w + 3] = true;
          }
        }
      }
      k = e;
    }
    // Runs of trailing punctuation: escape ")" beyond kMaxParenRun, the
    // backslash stops the extension's backwards trimming loop.
    int parens = 0;
    for (size_t k = 0; k < line.size(); ++k) {
      const char c = line[k];
      if (c == '\\') {
        ++k;
        parens = 0;
      } else if (!IsTrailingPunct(c)) {
        parens = 0;
      } else if (c == ')' && ++parens > kMaxParenRun) {
        escape_[k] = true;
      }
    }
  }

  void GuardOpeners(std::string_view line) {
    for (size_t k = 0; k + 1 < line.size(); ++k) {
      const char c = line[k], n = line[k + 1];
      if (c == '\\') {
        ++k;
      } else if (c == '<' && (n == '?' || n == '!')) {
        if (++html_openers_ > kMaxHtmlOpeners) escape_[k] = true;
      } else if (c == '!' && n == '[') {
        if (++image_openers_ > kMaxImageOpeners) escape_[k] = true;
      }
    }
  }

  // Tracks tables roughly (a delimiter row starts one, a blank line ends
  // it) and reports when a row would push the padding past the budget.
  bool TablePaddingExceeded(std::string_view line) {
    if (IsBlankLine(line)) {
      table_columns_ = 0;
      return false;
    }
    if (table_columns_ == 0) {
      if (IsDelimiterRow(line)) table_columns_ = CountCells(line);
      return false;
    }
    const int cells = CountCells(line);
    if (cells < table_columns_) padded_cells_ += table_columns_ - cells;
    if (padded_cells_ <= kMaxPaddedCells) return false;
    table_columns_ = 0;
    return true;
  }

  std::string out_;
  std::vector<bool> escape_;
  struct Container {
    bool quote;
    int content_column;
  };
  std::vector<Container> open_;
  int html_openers_ = 0;
  int image_openers_ = 0;
  int table_columns_ = 0;
  long padded_cells_ = 0;
};

// --- AST sanitising ---------------------------------------------------------

// Only these schemes may appear in href. Anything with a colon before the
// first "/", "?" or "#" has a scheme; whitespace and control characters are
// removed first because browsers ignore them ("java\tscript:").
bool IsSafeUrl(const char* url) {
  if (url == nullptr) return true;
  std::string scheme;
  for (const char* p = url; *p != '\0'; ++p) {
    const unsigned char c = static_cast<unsigned char>(*p);
    if (c <= 0x20 || c == 0x7f) continue;
    if (c == '/' || c == '?' || c == '#') return true;  // Relative URL.
    if (c == ':') {
      return scheme == "http" || scheme == "https" || scheme == "mailto";
    }
    scheme += AsciiLower(static_cast<char>(c));
  }
  return true;
}

// The text an image's description stands for, like the alt attribute.
std::string PlainText(cmark_node* node) {
  std::string text;
  cmark_iter* it = cmark_iter_new(node);
  for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* n = cmark_iter_get_node(it);
    switch (cmark_node_get_type(n)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
      case CMARK_NODE_HTML_INLINE:
        if (const char* lit = cmark_node_get_literal(n)) text += lit;
        break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
        text += ' ';
        break;
      default:
        break;
    }
  }
  cmark_iter_free(it);
  return text;
}

cmark_node* NewText(const std::string& literal) {
  cmark_node* t = cmark_node_new(CMARK_NODE_TEXT);
  cmark_node_set_literal(t, literal.c_str());
  return t;
}

// Puts `node`'s children in its place and frees it.
void Unwrap(cmark_node* node) {
  while (cmark_node* child = cmark_node_first_child(node)) {
    cmark_node_insert_before(node, child);
  }
  cmark_node_free(node);
}

void ReplaceWith(cmark_node* old_node, cmark_node* new_node) {
  cmark_node_insert_before(old_node, new_node);
  cmark_node_free(old_node);
}

void Sanitise(cmark_node* root) {
  struct Pending {
    cmark_node* node;
    bool inside_link;
  };
  std::vector<Pending> pending;
  int link_depth = 0, image_depth = 0;
  cmark_iter* it = cmark_iter_new(root);
  for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
    cmark_node* n = cmark_iter_get_node(it);
    const cmark_node_type type = cmark_node_get_type(n);
    if (type == CMARK_NODE_IMAGE) {
      // An image's description is flattened to text below; nothing inside
      // it needs handling of its own (and it will be freed).
      if (ev == CMARK_EVENT_ENTER && image_depth++ == 0) pending.push_back({n, link_depth > 0});
      if (ev == CMARK_EVENT_EXIT) --image_depth;
      continue;
    }
    if (image_depth > 0) continue;
    if (type == CMARK_NODE_LINK) {
      if (ev == CMARK_EVENT_ENTER) {
        pending.push_back({n, link_depth > 0});
        ++link_depth;
      } else {
        --link_depth;
      }
    } else if (ev == CMARK_EVENT_ENTER &&
               (type == CMARK_NODE_HTML_INLINE || type == CMARK_NODE_HTML_BLOCK)) {
      pending.push_back({n, false});
    } else if (ev == CMARK_EVENT_ENTER && type == CMARK_NODE_HEADING) {
      // The page owns h1 and h2; keep the document outline ordered.
      const int level = cmark_node_get_heading_level(n) + 2;
      cmark_node_set_heading_level(n, level > 6 ? 6 : level);
    }
  }
  cmark_iter_free(it);

  // Pre-order reversed: descendants are rewritten before their ancestors,
  // so no pending node has been freed by the time it is reached.
  for (auto p = pending.rbegin(); p != pending.rend(); ++p) {
    cmark_node* n = p->node;
    switch (cmark_node_get_type(n)) {
      case CMARK_NODE_LINK:
        // Links cannot nest in HTML; an unsafe target keeps its text only.
        if (p->inside_link || !IsSafeUrl(cmark_node_get_url(n))) Unwrap(n);
        break;
      case CMARK_NODE_IMAGE: {
        // No remote image loads by itself (privacy, CSP): show a link
        // labelled with the description instead.
        std::string alt = PlainText(n);
        if (alt.empty()) alt = "image";
        const char* url = cmark_node_get_url(n);
        if (p->inside_link || !IsSafeUrl(url) || url == nullptr || *url == '\0') {
          ReplaceWith(n, NewText(alt));
          break;
        }
        cmark_node* link = cmark_node_new(CMARK_NODE_LINK);
        cmark_node_set_url(link, url);
        if (const char* title = cmark_node_get_title(n)) cmark_node_set_title(link, title);
        cmark_node_append_child(link, NewText(alt));
        ReplaceWith(n, link);
        break;
      }
      case CMARK_NODE_HTML_INLINE:
        // Raw HTML is shown as the text the author typed, never interpreted.
        ReplaceWith(n, NewText(cmark_node_get_literal(n) ? cmark_node_get_literal(n) : ""));
        break;
      case CMARK_NODE_HTML_BLOCK: {
        std::string literal = cmark_node_get_literal(n) ? cmark_node_get_literal(n) : "";
        while (!literal.empty() && (literal.back() == '\n' || literal.back() == '\r')) {
          literal.pop_back();
        }
        cmark_node* para = cmark_node_new(CMARK_NODE_PARAGRAPH);
        cmark_node_append_child(para, NewText(literal));
        ReplaceWith(n, para);
        break;
      }
      default:
        break;
    }
  }
}

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  size_t pos = 0;
  for (size_t hit; (hit = s.find(from, pos)) != std::string::npos; pos = hit + from.size()) {
    out.append(s, pos, hit - pos);
    out += to;
  }
  out.append(s, pos, std::string::npos);
  s = std::move(out);
}

// cmark-gfm keeps the table of inline trigger characters ("~", "|", ":",
// "w", "@" for the extensions) in a process-wide array that every parser
// fills before its inline pass and clears after it, so two parses at once
// corrupt each other (text silently not autolinked or struck through).
// One parse at a time, then; a post takes about a millisecond.
std::mutex& CmarkMutex() {
  static std::mutex mutex;
  return mutex;
}

// Requires CmarkMutex().
cmark_syntax_extension* Extension(const char* name) {
  static bool registered = false;
  if (!registered) {
    cmark_gfm_core_extensions_ensure_registered();
    registered = true;
  }
  return cmark_find_syntax_extension(name);
}

}  // namespace

std::string Render(std::string_view source) {
  // No CMARK_OPT_UNSAFE: the renderer itself also refuses raw HTML and
  // javascript:-style URLs, a second line of defence behind Sanitise().
  // Single tildes stay literal ("~5 people") as in most prose.
  const int options = CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE;
  const std::string text = Preprocessor().Run(source);

  std::string html;
  {
    std::lock_guard<std::mutex> lock(CmarkMutex());
    cmark_parser* parser = cmark_parser_new(options);
    for (const char* name : {"table", "strikethrough", "autolink", "tasklist"}) {
      if (cmark_syntax_extension* ext = Extension(name)) {
        cmark_parser_attach_syntax_extension(parser, ext);
      }
    }
    cmark_parser_feed(parser, text.data(), text.size());
    cmark_node* root = cmark_parser_finish(parser);
    Sanitise(root);
    char* raw = cmark_render_html(root, options, cmark_parser_get_syntax_extensions(parser));
    html = raw;
    free(raw);
    cmark_node_free(root);
    cmark_parser_free(parser);
  }

  // cmark writes links as exactly `<a href="` and all text is escaped, so
  // plain replacement is reliable. align= is obsolete in HTML5 and a style
  // attribute would break the CSP, hence classes.
  ReplaceAll(html, "<a href=\"", "<a rel=\"nofollow ugc noopener\" href=\"");
  ReplaceAll(html, " align=\"left\"", " class=\"align-left\"");
  ReplaceAll(html, " align=\"center\"", " class=\"align-center\"");
  ReplaceAll(html, " align=\"right\"", " class=\"align-right\"");
  // Task-list boxes are read-only; a name tells screen readers their state.
  ReplaceAll(html, "<input type=\"checkbox\" checked=\"\" disabled=\"\" />",
             "<input type=\"checkbox\" checked=\"\" disabled=\"\" aria-label=\"Done\" />");
  ReplaceAll(html, "<input type=\"checkbox\" disabled=\"\" />",
             "<input type=\"checkbox\" disabled=\"\" aria-label=\"Not done\" />");
  return html;
}

// --- Mentions ---------------------------------------------------------------

namespace {

// Decodes the UTF-8 sequence at s[i] (input is valid UTF-8; anything else
// yields -1) and sets `len`.
int32_t DecodeUtf8(std::string_view s, size_t i, size_t& len) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  int32_t cp;
  if (c < 0x80) {
    len = 1;
    return c;
  } else if ((c & 0xE0) == 0xC0) {
    len = 2, cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, cp = c & 0x07;
  } else {
    len = 1;
    return -1;
  }
  if (i + len > s.size()) {
    len = 1;
    return -1;
  }
  for (size_t k = 1; k < len; ++k) {
    const unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) {
      len = 1;
      return -1;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  return cp;
}

// Non-ASCII code points that end a name: spaces and punctuation such as
// "’", "…", "«", the no-break and ideographic spaces.
bool EndsName(int32_t cp) {
  return cp < 0 || cp == 0xA0 || cp == 0xAB || cp == 0xBB || (cp >= 0x2000 && cp <= 0x206F) ||
         (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF0F);
}

bool IsAsciiNameChar(char c) {
  return IsAsciiAlnum(c) || c == '_' || c == '\'' || c == '.' || c == '-';
}

// Opening fence of a fenced code block: up to three spaces (after any
// quote markers), then at least three backticks or tildes.
bool IsFence(std::string_view line, char& ch, size_t& len) {
  size_t i = 0;
  while (i < line.size() && (IsBlank(line[i]) || line[i] == '>')) ++i;
  if (i == line.size() || (line[i] != '`' && line[i] != '~')) return false;
  const char c = line[i];
  size_t e = i;
  while (e < line.size() && line[e] == c) ++e;
  if (e - i < 3) return false;
  if (c == '`' && line.substr(e).find('`') != std::string_view::npos) return false;
  ch = c;
  len = e - i;
  return true;
}

class MentionScanner {
 public:
  // With `ats`, every "@" that starts a mention is recorded there (as an
  // offset into the source) and the kMaxMentions cap is lifted, so that
  // DisarmMentions finds them all.
  explicit MentionScanner(std::vector<size_t>* ats = nullptr)
      : ats_(ats), cap_(ats ? SIZE_MAX : kMaxMentions) {}

  std::vector<std::string> Run(std::string_view src) {
    src_ = src;
    char fence_char = 0;
    size_t fence_len = 0;
    size_t i = 0;
    while (i <= src.size() && names_.size() < cap_) {
      size_t e = src.find('\n', i);
      if (e == std::string_view::npos) e = src.size();
      std::string_view line = src.substr(i, e - i);
      char c;
      size_t len;
      if (fence_char != 0) {
        // Inside a fence until a line of at least as many fence characters.
        if (IsFence(line, c, len) && c == fence_char && len >= fence_len) {
          size_t j = 0;
          while (j < line.size() && (IsBlank(line[j]) || line[j] == '>')) ++j;
          std::string_view rest = line.substr(j + len);
          if (rest.find_first_not_of(" \t\r") == std::string_view::npos) fence_char = 0;
        }
      } else if (IsFence(line, c, len)) {
        fence_char = c;
        fence_len = len;
      } else {
        ScanLine(line);
      }
      i = e + 1;
    }
    return std::move(names_);
  }

 private:
  static constexpr size_t kMaxMentions = 20;

  void ScanLine(std::string_view line) {
    // Backtick runs, each with the index of the next run of the same
    // length (its closer), found in one backwards pass.
    std::vector<std::pair<size_t, size_t>> runs;  // (start, length)
    for (size_t k = 0; k < line.size();) {
      if (line[k] == '\\') {
        k += 2;
      } else if (line[k] == '`') {
        size_t e = k;
        while (e < line.size() && line[e] == '`') ++e;
        runs.emplace_back(k, e - k);
        k = e;
      } else {
        ++k;
      }
    }
    std::vector<size_t> closer(runs.size(), SIZE_MAX);
    std::unordered_map<size_t, size_t> next_of_length;
    for (size_t r = runs.size(); r-- > 0;) {
      auto found = next_of_length.find(runs[r].second);
      if (found != next_of_length.end()) closer[r] = found->second;
      next_of_length[runs[r].second] = r;
    }

    size_t run = 0;
    for (size_t k = 0; k < line.size() && names_.size() < cap_;) {
      if (run < runs.size() && runs[run].first == k) {
        if (closer[run] != SIZE_MAX) {
          // A code span: skip to after its closing run.
          const size_t r = closer[run];
          k = runs[r].first + runs[r].second;
          run = r + 1;
        } else {
          k += runs[run].second;
          ++run;
        }
        continue;
      }
      if (line[k] == '\\') {
        k += 2;
        continue;
      }
      if (line[k] == '@' && (k == 0 || (!IsAsciiAlnum(line[k - 1]) &&
                                        static_cast<unsigned char>(line[k - 1]) < 0x80))) {
        if (ats_) ats_->push_back(static_cast<size_t>(line.data() - src_.data()) + k);
        k = TakeName(line, k + 1);
        while (run < runs.size() && runs[run].first < k) ++run;
        continue;
      }
      ++k;
    }
  }

  // Reads the name after an "@" at line[start - 1]; returns where it ends.
  size_t TakeName(std::string_view line, size_t start) {
    size_t e = start;
    while (e < line.size()) {
      if (static_cast<unsigned char>(line[e]) < 0x80) {
        if (!IsAsciiNameChar(line[e])) break;
        ++e;
      } else {
        size_t len;
        if (EndsName(DecodeUtf8(line, e, len))) break;
        e += len;
      }
    }
    std::string_view raw = line.substr(start, e - start);
    while (!raw.empty() &&
           (raw.back() == '.' || raw.back() == '\'' || raw.back() == '-' || raw.back() == '_')) {
      raw.remove_suffix(1);
    }
    std::string key;
    size_t code_points = 0;
    for (char c : raw) {
      if (c == '_') {
        if (!key.empty() && key.back() != ' ') key += ' ';
        continue;
      }
      key += AsciiLower(c);
      if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++code_points;
    }
    if (!key.empty() && key.front() == ' ') key.erase(0, 1);
    if (code_points >= 2) {
      bool seen = false;
      for (const auto& n : names_) seen = seen || n == key;
      if (!seen) names_.push_back(std::move(key));
    }
    return e;
  }

  std::vector<size_t>* ats_;
  size_t cap_;
  std::string_view src_;
  std::vector<std::string> names_;
};

}  // namespace

std::vector<std::string> Mentions(std::string_view source) { return MentionScanner().Run(source); }

std::string DisarmMentions(std::string_view text, size_t from) {
  std::vector<size_t> ats;
  MentionScanner(&ats).Run(text);
  std::string out;
  out.reserve(text.size() + ats.size() * 4);
  size_t copied = 0;
  for (size_t at : ats) {
    if (at < from) continue;
    out.append(text.substr(copied, at - copied));
    // A character reference: cmark shows "@", the scanner sees no "@".
    out += "&#64;";
    copied = at + 1;
  }
  out.append(text.substr(copied));
  return out;
}

// --- Quote ------------------------------------------------------------------

std::string Quote(std::string_view author, std::string_view text) {
  constexpr size_t kMaxQuoted = 2000;
  std::string out = "> **";
  for (char c : author) {
    if (c == '\n' || c == '\r') {
      out += ' ';  // The attribution must stay on one line.
      continue;
    }
    if (std::string_view("*_[]\\`<>&~").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  out += "** wrote:\n>\n";

  bool cut = false;
  if (text.size() > kMaxQuoted) {
    size_t end = kMaxQuoted;
    // Back up to the first byte of a code point.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    text = text.substr(0, end);
    cut = true;
  }
  // Trailing blank lines would only add empty "> " lines.
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || IsBlank(text.back()))) {
    text.remove_suffix(1);
  }
  size_t i = 0;
  while (true) {
    size_t e = text.find('\n', i);
    std::string_view line =
        text.substr(i, e == std::string_view::npos ? std::string_view::npos : e - i);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      out += ">";
    } else {
      out += "> ";
      out += line;
    }
    if (e == std::string_view::npos) break;
    out += '\n';
    i = e + 1;
  }
  if (cut) out += "…";
  out += "\n\n";
  return out;
}

}  // namespace rt::markdown
