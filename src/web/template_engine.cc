#include "web/template_engine.h"

namespace rt::web {

namespace {

using Node = CompiledTemplate::Node;
using Data = CompiledTemplate::Data;

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string> SplitPath(std::string_view name) {
  std::vector<std::string> parts;
  if (name == ".") return {"."};
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    parts.emplace_back(name.substr(start, dot == std::string_view::npos ? dot : dot - start));
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

const Data* Lookup(const std::vector<const Data*>& stack, const std::vector<std::string>& path) {
  if (path.size() == 1 && path[0] == ".") return stack.back();
  for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
    const Data* v = (*it)->get(path[0]);
    if (v == nullptr) continue;
    for (size_t i = 1; i < path.size() && v != nullptr; ++i) v = v->get(path[i]);
    if (v != nullptr) return v;
  }
  return nullptr;
}

bool Truthy(const Data* v) { return v != nullptr && v->truthy(); }

void AppendEscaped(std::string_view s, std::string* out) {
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char* rep = nullptr;
    switch (s[i]) {
      case '&': rep = "&amp;"; break;
      case '<': rep = "&lt;"; break;
      case '>': rep = "&gt;"; break;
      case '"': rep = "&quot;"; break;
      case '\'': rep = "&apos;"; break;
      default: continue;
    }
    out->append(s.substr(run, i - run));
    out->append(rep);
    run = i + 1;
  }
  out->append(s.substr(run));
}

void RenderNodes(const std::vector<Node>& nodes, std::vector<const Data*>& stack,
                 const CompiledTemplate::PartialResolver& partials, std::string* out);

void RenderPartial(const Node& n, std::vector<const Data*>& stack,
                   const CompiledTemplate::PartialResolver& partials, std::string* out);

void RenderNodes(const std::vector<Node>& nodes, std::vector<const Data*>& stack,
                 const CompiledTemplate::PartialResolver& partials, std::string* out) {
  for (const Node& n : nodes) {
    switch (n.kind) {
      case Node::Kind::kText:
        out->append(n.text);
        break;
      case Node::Kind::kEscaped:
      case Node::Kind::kRaw: {
        const Data* v = Lookup(stack, n.path);
        if (v != nullptr && v->is_string()) {
          if (n.kind == Node::Kind::kRaw) {
            out->append(v->string_value());
          } else {
            AppendEscaped(v->string_value(), out);
          }
        }
        break;
      }
      case Node::Kind::kSection: {
        const Data* v = Lookup(stack, n.path);
        if (!Truthy(v)) break;
        if (v->is_list()) {
          for (const Data& item : v->list_value()) {
            stack.push_back(&item);
            RenderNodes(n.children, stack, partials, out);
            stack.pop_back();
          }
        } else {
          stack.push_back(v);
          RenderNodes(n.children, stack, partials, out);
          stack.pop_back();
        }
        break;
      }
      case Node::Kind::kInverted:
        if (!Truthy(Lookup(stack, n.path))) RenderNodes(n.children, stack, partials, out);
        break;
      case Node::Kind::kPartial:
        RenderPartial(n, stack, partials, out);
        break;
    }
  }
}

void RenderPartial(const Node& n, std::vector<const Data*>& stack,
                   const CompiledTemplate::PartialResolver& partials, std::string* out) {
  if (!partials) return;
  const CompiledTemplate* t = partials(n.text);
  if (t == nullptr) return;
  // Against the whole context stack, as kainjow does: a partial sees the
  // names of every enclosing section.
  RenderNodes(t->nodes(), stack, partials, out);
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

void CompiledTemplate::Render(const Data& data, const PartialResolver& partials,
                              std::string* out) const {
  std::vector<const Data*> stack{&data};
  RenderNodes(nodes_, stack, partials, out);
}

}  // namespace rt::web
