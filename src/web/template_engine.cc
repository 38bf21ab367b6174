#include "web/template_engine.h"

#include <array>

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

void AppendEscaped(std::string_view s, std::string* out) {
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!kNeedsEscape[static_cast<unsigned char>(s[i])]) continue;
    std::string_view rep;
    switch (s[i]) {
      case '&': rep = "&amp;"; break;
      case '<': rep = "&lt;"; break;
      case '>': rep = "&gt;"; break;
      case '"': rep = "&quot;"; break;
      default: rep = "&apos;"; break;
    }
    out->append(s.substr(run, i - run));
    out->append(rep);
    run = i + 1;
  }
  out->append(s.substr(run));
}

// The state of one render: the context stack (innermost last), the output
// and how much of it came from raw values.
struct Renderer {
  std::vector<const Data*> stack;
  std::string* out;
  size_t raw_bytes = 0;

  // Dotted names resolve their first part through the stack, innermost
  // first, and the rest inside what it found.
  const Data* Lookup(const Node& n) const {
    if (n.is_dot) return stack.back();
    const CompiledTemplate::Name& first = n.path[0];
    for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
      const Data* v = (*it)->get(first.text, first.hash);
      if (v == nullptr) continue;
      for (size_t i = 1; i < n.path.size() && v != nullptr; ++i) {
        v = v->get(n.path[i].text, n.path[i].hash);
      }
      if (v != nullptr) return v;
    }
    return nullptr;
  }

  void Nodes(const std::vector<Node>& nodes) {
    for (const Node& n : nodes) {
      switch (n.kind) {
        case Node::Kind::kText:
          out->append(n.text);
          break;
        // Only strings print: string_value() of anything else is "".
        case Node::Kind::kEscaped:
          if (const Data* v = Lookup(n)) AppendEscaped(v->string_value(), out);
          break;
        case Node::Kind::kRaw:
          if (const Data* v = Lookup(n)) {
            std::string_view s = v->string_value();
            out->append(s);
            raw_bytes += s.size();
          }
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
    std::string_view trail = src.substr(tag_end, (eol == std::string_view::npos ? src.size() : eol) - tag_end);
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

size_t CompiledTemplate::Render(const Data& data, std::string* out) const {
  Renderer r{{&data}, out};
  r.stack.reserve(8);
  r.Nodes(nodes_);
  return r.raw_bytes;
}

}  // namespace rt::web
