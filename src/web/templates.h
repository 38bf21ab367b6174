#ifndef RT_WEB_TEMPLATES_H_
#define RT_WEB_TEMPLATES_H_

#include <string>
#include <string_view>

#include "web/view_data.h"

namespace rt::web {

using Data = ViewData;

// Renders the Mustache templates embedded under templates/ with our own
// renderer (web/template_engine.h) and data (web/view_data.h). Every template
// is parsed and its partials linked once per process, then shared by all
// threads for the life of the process. Values are HTML-escaped unless a
// template uses {{{triple}}} braces. Thread-safe.
class Templates {
 public:
  // Checks that every embedded template parses; returns the first error
  // ("templates/x.mustache: message") or "" when all are valid.
  static std::string Validate();

  // Renders templates/<name>.mustache with `data`, into a buffer sized from
  // earlier renderings. An unknown name is a programming error and renders
  // an HTML comment saying so.
  static std::string Render(std::string_view name, const Data& data);

  // templates/<name>.mustache with `data` as a value that renders where a
  // {{{raw}}} tag prints it (ViewData::Fragment), so that a page includes
  // it without a copy. An unknown name gives the same HTML comment.
  static Data Fragment(std::string_view name, Data data);
};

}  // namespace rt::web

#endif  // RT_WEB_TEMPLATES_H_
