#ifndef RT_WEB_TEMPLATE_ENGINE_H_
#define RT_WEB_TEMPLATE_ENGINE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "web/view_data.h"

namespace rt::web {

// Appends `s` to `out` with & < > " ' escaped, as {{name}} tags print text:
// safe in HTML (and SVG) text and in quoted attribute values.
void AppendEscaped(std::string_view s, std::string* out);

// A Mustache template parsed once into a tree and rendered many times.
//
// Why not kainjow's own renderer: it walks every node through
// std::function callbacks and re-parses a {{> partial}} on every use, which
// made templates most of the cost of a page (see bench/). This renderer keeps
// kainjow's semantics (sections push any truthy value; false, missing and
// empty lists are falsy; only strings print; dotted names; names are looked
// up through the whole context stack, innermost first; partials see the
// whole stack; & < > " ' escaped) and drops what our templates never use
// (lambdas, delimiter changes). It renders our own ViewData, which is far
// cheaper to build and free than kainjow's data. Immutable after Parse, so
// one instance can be rendered from any number of threads at once.
class CompiledTemplate {
 public:
  using Data = ViewData;
  // Finds another template for {{> name}}; nullptr renders nothing.
  using PartialResolver = std::function<const CompiledTemplate*(std::string_view name)>;

  // Parses `source`; on a syntax error (unclosed tag or section, mismatched
  // close) returns nullptr and sets `error`.
  static std::unique_ptr<CompiledTemplate> Parse(std::string_view source, std::string* error);

  // Finds the template of every {{> name}} once, so that rendering never
  // looks one up. A partial not found (or never linked) renders nothing.
  // The templates found must outlive this one. Not thread-safe: link every
  // template before any is rendered.
  void LinkPartials(const PartialResolver& partials);

  // Appends the rendering of `data` to `out`. Fragments (ViewData::Fragment)
  // inside `data` render where a tag prints them.
  void Render(const Data& data, std::string* out) const;

  // How many bytes rendering `data` is expected to append: this template's
  // longest rendering so far without the fragments inside it, plus the
  // longest renderings of the templates of the fragments among `data`'s
  // members. 0 before the first rendering. For sizing output buffers, so
  // that a page is written without its buffer growing (which copies it).
  size_t ExpectedSize(const Data& data) const;

  // A name in a tag, with its hash for ViewData::get.
  struct Name {
    std::string text;
    uint32_t hash = 0;
  };
  // One piece of a parsed template.
  struct Node {
    enum class Kind { kText, kEscaped, kRaw, kSection, kInverted, kPartial };
    Kind kind = Kind::kText;
    std::string text;                       // literal text, or the tag name
    std::vector<Name> path;                 // the name split at '.'
    bool is_dot = false;                    // the name is "." (the current item)
    std::vector<Node> children;             // a section's contents
    const CompiledTemplate* partial = nullptr;  // a linked partial
    // Where the first part of `path` was last found in an object (see
    // ViewData::get); read and written atomically by concurrent renders.
    mutable uint32_t slot = 0;
  };
  const std::vector<Node>& nodes() const { return nodes_; }

  // Records one rendering of `own` bytes besides fragments, `total` in all.
  // Thread-safe; a concurrent update may be lost, which only makes one
  // later reservation less exact.
  void NoteSize(size_t own, size_t total) const;

 private:
  std::vector<Node> nodes_;
  mutable std::atomic<size_t> own_size_{0};
  mutable std::atomic<size_t> total_size_{0};
};

}  // namespace rt::web

#endif  // RT_WEB_TEMPLATE_ENGINE_H_
