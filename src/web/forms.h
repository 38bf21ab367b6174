#ifndef RT_WEB_FORMS_H_
#define RT_WEB_FORMS_H_

#include <string>
#include <vector>

#include "core/result.h"
#include "web/templates.h"

namespace rt::web {

struct FormField {
  std::string name;
  std::string label;
  std::string type = "text";
  std::string value;
  std::string hint;
  std::string autocomplete;
  std::string error;
};

// A form page in the GOV.UK pattern: an error summary linking to each field,
// each error repeated beside its field, one label per field.
struct FormSpec {
  std::string title;
  std::string intro;
  std::string action;
  std::string submit;
  std::string csrf;
  std::string next;  // hidden "next" field when set
  std::vector<FormField> fields;
  std::vector<std::pair<std::string, std::string>> links;  // href, text
  std::string general_error;  // an error not tied to one field

  // Puts `e` beside its field, or at the top when it names no known field.
  void ApplyError(const Error& e);
  // The value of field `name`.
  void SetValue(const std::string& name, const std::string& value);
};

// Template data for templates/form.mustache.
Data FormData(const FormSpec& spec);

}  // namespace rt::web

#endif  // RT_WEB_FORMS_H_
