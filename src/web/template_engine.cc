#include "web/template_engine.h"

#include <algorithm>
#include <array>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace rt::web {

namespace {

using Node = CompiledTemplate::Node;
using Data = CompiledTemplate::Data;

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<CompiledTemplate::Name> SplitPath(std::string_view name) {
  std::vector<CompiledTemplate::Name> parts;
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    std::string_view part = name.substr(start, dot == std::string_view::npos ? dot : dot - start);
    parts.push_back({std::string(part), HashName(part)});
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts;
}

// A tag that produces no output of its own (section, comment, partial)
// standing alone on its line takes the whole line with it, as the Mustache
// spec and kainjow do, so templates can be indented freely.
bool IsStandaloneKind(char sigil) {
  return sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!' || sigil == '>';
}

// Which bytes HTML escaping replaces (& < > " '), as a table so that the
// common case, text with none of them, costs one load and test per byte.
constexpr std::array<bool, 256> kNeedsEscape = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : std::string_view("&<>\"'")) t[c] = true;
  return t;
}();

// The position of the first byte at or after `from` that escaping
// replaces; s.size() when there is none. Most values have none, so this
// compares 16 bytes at a time where SSE2 is available (every x86-64).
size_t FindSpecial(std::string_view s, size_t from) {
  size_t i = from;
#if defined(__SSE2__)
  const __m128i amp = _mm_set1_epi8('&');
  const __m128i lt = _mm_set1_epi8('<');
  const __m128i gt = _mm_set1_epi8('>');
  const __m128i quot = _mm_set1_epi8('"');
  const __m128i apos = _mm_set1_epi8('\'');
  for (; i + 16 <= s.size(); i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    __m128i hits =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, amp), _mm_cmpeq_epi8(v, lt)),
                     _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, gt), _mm_cmpeq_epi8(v, quot)),
                                  _mm_cmpeq_epi8(v, apos)));
    if (int mask = _mm_movemask_epi8(hits); mask != 0) return i + __builtin_ctz(mask);
  }
#endif
  for (; i < s.size(); ++i) {
    if (kNeedsEscape[static_cast<unsigned char>(s[i])]) return i;
  }
  return s.size();
}

}  // namespace

void AppendEscaped(std::string_view s, std::string* out) {
  size_t run = 0;
  for (size_t i = FindSpecial(s, 0); i < s.size(); i = FindSpecial(s, run)) {
    std::string_view rep;
    switch (s[i]) {
      case '&':
        rep = "&amp;";
        break;
      case '<':
        rep = "&lt;";
        break;
      case '>':
        rep = "&gt;";
        break;
      case '"':
        rep = "&quot;";
        break;
      default:
        rep = "&apos;";
        break;
    }
    out->append(s.substr(run, i - run));
    out->append(rep);
    run = i + 1;
  }
  out->append(s.substr(run));
}

namespace {

// The state of one render: the context stack (innermost last; lookups stop
// at `base`, where the current fragment's data starts), the output, and how
// many bytes the fragments rendered inside the current template took.
struct Renderer {
  std::vector<const Data*> stack;
  size_t base = 0;
  std::string* out;
  size_t fragment_bytes = 0;

  // Dotted names resolve their first part through the stack, innermost
  // first, and the rest inside what it found.
  const Data* Lookup(const Node& n) const {
    if (n.is_dot) return stack.back();
    const CompiledTemplate::Name& first = n.path[0];
    std::atomic_ref<uint32_t> shared_slot(n.slot);
    uint32_t slot = shared_slot.load(std::memory_order_relaxed);
    for (size_t i = stack.size(); i-- > base;) {
      uint32_t found_at = slot;
      const Data* v = stack[i]->get(first.text, first.hash, &found_at);
      if (v == nullptr) continue;
      if (found_at != slot) shared_slot.store(found_at, std::memory_order_relaxed);
      for (size_t p = 1; p < n.path.size() && v != nullptr; ++p) {
        v = v->get(n.path[p].text, n.path[p].hash);
      }
      if (v != nullptr) return v;
    }
    return nullptr;
  }

  // Renders `t` with `data` as its whole context.
  void Template(const CompiledTemplate& t, const Data& data) {
    size_t start = out->size();
    size_t outer_base = base;
    size_t outer_fragment_bytes = fragment_bytes;
    base = stack.size();
    fragment_bytes = 0;
    stack.push_back(&data);
    Nodes(t.nodes());
    stack.pop_back();
    size_t total = out->size() - start;
    t.NoteSize(total - fragment_bytes, total);
    base = outer_base;
    fragment_bytes = outer_fragment_bytes + total;
  }

  void Print(const Data& v, bool escape) {
    if (v.type() == Data::Type::kWriter) {
      if (!escape) {
        v.Write(out);
        return;
      }
      std::string text;
      v.Write(&text);
      AppendEscaped(text, out);
      return;
    }
    if (const CompiledTemplate* t = v.fragment_template()) {
      if (!escape) {
        Template(*t, *v.fragment_data());
        return;
      }
      std::string text;
      Renderer{{}, 0, &text}.Template(*t, *v.fragment_data());
      AppendEscaped(text, out);
    } else if (escape) {
      AppendEscaped(v.string_value(), out);
    } else {
      out->append(v.string_value());
    }
  }

  void Nodes(const std::vector<Node>& nodes) {
    for (const Node& n : nodes) {
      switch (n.kind) {
        case Node::Kind::kText:
          out->append(n.text);
          break;
        // Only strings and fragments print: string_value() of anything else
        // is "".
        case Node::Kind::kEscaped:
        case Node::Kind::kRaw:
          if (const Data* v = Lookup(n)) Print(*v, n.kind == Node::Kind::kEscaped);
          break;
        case Node::Kind::kSection: {
          const Data* v = Lookup(n);
          if (v == nullptr || !v->truthy()) break;
          if (v->is_list()) {
            for (const Data& item : v->list_value()) {
              stack.push_back(&item);
              Nodes(n.children);
              stack.pop_back();
            }
          } else {
            stack.push_back(v);
            Nodes(n.children);
            stack.pop_back();
          }
          break;
        }
        case Node::Kind::kInverted: {
          const Data* v = Lookup(n);
          if (v == nullptr || !v->truthy()) Nodes(n.children);
          break;
        }
        case Node::Kind::kPartial:
          // Against the whole context stack, as kainjow does: a partial sees
          // the names of every enclosing section.
          if (n.partial != nullptr) Nodes(n.partial->nodes());
          break;
      }
    }
  }
};

void LinkNodes(std::vector<Node>& nodes, const CompiledTemplate::PartialResolver& partials) {
  for (Node& n : nodes) {
    if (n.kind == Node::Kind::kPartial) n.partial = partials ? partials(n.text) : nullptr;
    LinkNodes(n.children, partials);
  }
}

}  // namespace

std::unique_ptr<CompiledTemplate> CompiledTemplate::Parse(std::string_view src,
                                                          std::string* error) {
  auto tmpl = std::unique_ptr<CompiledTemplate>(new CompiledTemplate());
  // Open sections: the node lists being filled, innermost last.
  std::vector<std::vector<Node>*> open{&tmpl->nodes_};
  std::vector<std::string> open_names;
  size_t pos = 0;
  auto add_text = [&](std::string_view text) {
    if (text.empty()) return;
    std::vector<Node>& list = *open.back();
    if (!list.empty() && list.back().kind == Node::Kind::kText) {
      list.back().text.append(text);
    } else {
      Node t;
      t.text = std::string(text);
      list.push_back(std::move(t));
    }
  };
  while (pos < src.size()) {
    size_t start = src.find("{{", pos);
    if (start == std::string_view::npos) {
      add_text(src.substr(pos));
      break;
    }
    bool triple = src.compare(start, 3, "{{{") == 0;
    size_t close = src.find(triple ? "}}}" : "}}", start + (triple ? 3 : 2));
    if (close == std::string_view::npos) {
      *error = "unclosed tag at offset " + std::to_string(start);
      return nullptr;
    }
    std::string_view inner = src.substr(start + (triple ? 3 : 2), close - start - (triple ? 3 : 2));
    size_t tag_end = close + (triple ? 3 : 2);
    char sigil = (!triple && !inner.empty()) ? inner.front() : '\0';
    if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!' || sigil == '>' ||
        sigil == '&') {
      inner.remove_prefix(1);
    } else {
      sigil = triple ? '{' : '\0';
    }
    std::string_view name = TrimSpaces(inner);

    // Standalone line: only blanks between the line start and the tag, and
    // between the tag and the line end.
    std::string_view before = src.substr(pos, start - pos);
    size_t line_start_in_before = before.rfind('\n');
    std::string_view lead = line_start_in_before == std::string_view::npos
                                ? before
                                : before.substr(line_start_in_before + 1);
    bool at_line_start = line_start_in_before != std::string_view::npos ||
                         (pos == 0 || src[pos - 1] == '\n') || start == 0;
    size_t eol = src.find('\n', tag_end);
    std::string_view trail =
        src.substr(tag_end, (eol == std::string_view::npos ? src.size() : eol) - tag_end);
    bool standalone = IsStandaloneKind(sigil) && at_line_start && TrimSpaces(lead).empty() &&
                      TrimSpaces(trail).empty();
    if (standalone) {
      add_text(before.substr(0, before.size() - lead.size()));
      pos = eol == std::string_view::npos ? src.size() : eol + 1;
    } else {
      add_text(before);
      pos = tag_end;
    }

    Node n;
    n.text = std::string(name);
    n.path = SplitPath(name);
    n.is_dot = name == ".";
    switch (sigil) {
      case '!':
        continue;
      case '#':
      case '^': {
        n.kind = sigil == '#' ? Node::Kind::kSection : Node::Kind::kInverted;
        open.back()->push_back(std::move(n));
        open.push_back(&open.back()->back().children);
        open_names.emplace_back(name);
        continue;
      }
      case '/':
        if (open_names.empty() || open_names.back() != name) {
          *error = "unexpected {{/" + std::string(name) + "}}";
          return nullptr;
        }
        open_names.pop_back();
        open.pop_back();
        continue;
      case '>':
        n.kind = Node::Kind::kPartial;
        break;
      case '{':
      case '&':
        n.kind = Node::Kind::kRaw;
        break;
      default:
        n.kind = Node::Kind::kEscaped;
        break;
    }
    open.back()->push_back(std::move(n));
  }
  if (!open_names.empty()) {
    *error = "unclosed section {{#" + open_names.back() + "}}";
    return nullptr;
  }
  return tmpl;
}

void CompiledTemplate::LinkPartials(const PartialResolver& partials) {
  LinkNodes(nodes_, partials);
}

void CompiledTemplate::Render(const Data& data, std::string* out) const {
  Renderer r{{}, 0, out};
  r.stack.reserve(8);
  r.Template(*this, data);
}

size_t CompiledTemplate::ExpectedSize(const Data& data) const {
  size_t n = own_size_.load(std::memory_order_relaxed);
  for (const Data::Member& m : data.members()) {
    if (const CompiledTemplate* t = m.value.fragment_template()) {
      n += t->total_size_.load(std::memory_order_relaxed);
    }
  }
  return n;
}

void CompiledTemplate::NoteSize(size_t own, size_t total) const {
  // One huge page must not make every later rendering of its template
  // reserve as much.
  constexpr size_t kMaxHint = 512 * 1024;
  own = std::min(own, kMaxHint);
  total = std::min(total, kMaxHint);
  if (own > own_size_.load(std::memory_order_relaxed)) {
    own_size_.store(own, std::memory_order_relaxed);
  }
  if (total > total_size_.load(std::memory_order_relaxed)) {
    total_size_.store(total, std::memory_order_relaxed);
  }
}

}  // namespace rt::web
