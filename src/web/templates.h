#ifndef RT_WEB_TEMPLATES_H_
#define RT_WEB_TEMPLATES_H_

#include <string>

#include "web/view_data.h"

namespace rt::web {

using Data = ViewData;

// Renders the Mustache templates embedded under templates/ with our own
// renderer (web/template_engine.h) and data (web/view_data.h). Every template is
// parsed once per process and shared by all threads. Values are HTML-escaped
// unless a template uses {{{triple}}} braces. Thread-safe.
class Templates {
 public:
  // Checks that every embedded template parses; returns the first error
  // ("templates/x.mustache: message") or "" when all are valid.
  static std::string Validate();

  // Renders templates/<name>.mustache with `data`. An unknown name is a
  // programming error and renders an HTML comment saying so.
  static std::string Render(const std::string& name, const Data& data);
};

}  // namespace rt::web

#endif  // RT_WEB_TEMPLATES_H_
