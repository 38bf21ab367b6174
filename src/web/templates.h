#ifndef RT_WEB_TEMPLATES_H_
#define RT_WEB_TEMPLATES_H_

#include <kainjow/mustache.hpp>

#include <string>

namespace rt::web {

using Data = kainjow::mustache::data;

// Renders the Mustache templates embedded under templates/, with kainjow's
// data model and our own renderer (web/template_engine.h). Every template is
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

// Appends an empty object to `list` (made a list if it is not one yet) and
// returns it to be filled in place. kainjow deep-copies a whole list when one
// is assigned into data, which cost half of the groups page; building items
// where they will stay avoids those copies. The reference is valid until the
// next append.
Data& AppendObject(Data& list);

// Makes `list` an empty list with room for `n` items, so that appending
// never regrows it (kainjow data copies deeply when a vector regrows).
void MakeList(Data& list, size_t n);

}  // namespace rt::web

#endif  // RT_WEB_TEMPLATES_H_
