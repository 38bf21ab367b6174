#include "web/forms.h"

namespace rt::web {

void FormSpec::ApplyError(const Error& e) {
  for (FormField& f : fields) {
    if (!e.field.empty() && f.name == e.field) {
      f.error = e.message;
      return;
    }
  }
  general_error = e.message;
}

void FormSpec::SetValue(const std::string& name, const std::string& value) {
  for (FormField& f : fields) {
    if (f.name == name) f.value = value;
  }
}

Data FormData(const FormSpec& spec) {
  Data d;
  d["title"] = spec.title;
  if (!spec.intro.empty()) d["intro"] = spec.intro;
  d["action"] = spec.action;
  d["submit"] = spec.submit;
  if (!spec.csrf.empty()) d["csrf"] = spec.csrf;
  if (!spec.next.empty()) d["next"] = spec.next;
  kainjow::mustache::list fields;
  kainjow::mustache::list errors;
  if (!spec.general_error.empty()) {
    Data e;
    e["message"] = spec.general_error;
    errors.push_back(std::move(e));
  }
  for (const FormField& f : spec.fields) {
    Data fd;
    std::string id = "field-" + f.name;
    fd["id"] = id;
    fd["name"] = f.name;
    fd["label"] = f.label;
    fd["type"] = f.type;
    // Passwords are never echoed back into a page.
    if (f.type != "password") fd["value"] = f.value;
    if (!f.autocomplete.empty()) fd["autocomplete"] = f.autocomplete;
    std::string describedby;
    if (!f.hint.empty()) {
      fd["hint"] = f.hint;
      describedby = id + "-hint";
    }
    if (!f.error.empty()) {
      fd["error"] = f.error;
      describedby += (describedby.empty() ? "" : " ") + id + "-error";
      Data e;
      e["message"] = f.error;
      e["href"] = "#" + id;
      errors.push_back(std::move(e));
    }
    if (!describedby.empty()) fd["describedby"] = describedby;
    fields.push_back(std::move(fd));
  }
  d["fields"] = std::move(fields);
  if (!errors.empty()) {
    d["errors"] = std::move(errors);
    d["has_errors"] = true;
  }
  kainjow::mustache::list links;
  for (const auto& [href, label] : spec.links) {
    Data l;
    l["href"] = href;
    l["label"] = label;
    links.push_back(std::move(l));
  }
  if (!links.empty()) d["links"] = std::move(links);
  return d;
}

}  // namespace rt::web
