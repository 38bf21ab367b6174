#ifndef RT_WEB_TEMPLATES_H_
#define RT_WEB_TEMPLATES_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "web/view_data.h"

namespace rt::web {

using Data = ViewData;

// Renders the Mustache templates embedded under templates/ with our own
// renderer (web/template_engine.h) and data (web/view_data.h). Every template
// is parsed and its partials linked once per process, then shared by all
// threads. Values are HTML-escaped unless a template uses {{{triple}}}
// braces. Thread-safe.
//
// Output buffers are sized ahead from the longest earlier rendering of the
// same template, not counting {{{raw}}} values (pages insert fragments of
// very different sizes that way); callers that know how many raw bytes
// `data` holds pass them as `raw_bytes`, so that a page is written without
// its buffer ever growing (growing copies everything written so far).
class Templates {
 public:
  // Checks that every embedded template parses; returns the first error
  // ("templates/x.mustache: message") or "" when all are valid.
  static std::string Validate();

  // Renders templates/<name>.mustache with `data`. An unknown name is a
  // programming error and renders an HTML comment saying so.
  static std::string Render(std::string_view name, const Data& data, size_t raw_bytes = 0);

  // The same, appended to `out`.
  static void RenderTo(std::string_view name, const Data& data, std::string* out,
                       size_t raw_bytes = 0);

  // How many bytes a rendering of `name` is expected to take besides its raw
  // values (0 for an unknown name), for callers that size one buffer for
  // several renderings.
  static size_t SizeHint(std::string_view name);
};

}  // namespace rt::web

#endif  // RT_WEB_TEMPLATES_H_
