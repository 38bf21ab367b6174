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
  Data fields = Data::List(spec.fields.size());
  Data errors = Data::List(spec.fields.size() + 1);
  if (!spec.general_error.empty()) {
    Data& e = errors.AppendObject();
    e["message"] = spec.general_error;
  }
  for (const FormField& f : spec.fields) {
    Data& fd = fields.AppendObject();
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
      Data& e = errors.AppendObject();
      e["message"] = f.error;
      e["href"] = "#" + id;
    }
    if (!describedby.empty()) fd["describedby"] = describedby;
  }
  d["fields"] = std::move(fields);
  if (!errors.list_value().empty()) {
    d["errors"] = std::move(errors);
    d["has_errors"] = true;
  }
  Data links = Data::List(spec.links.size());
  for (const auto& [href, label] : spec.links) {
    Data& l = links.AppendObject();
    l["href"] = href;
    l["label"] = label;
  }
  if (!links.list_value().empty()) d["links"] = std::move(links);
  return d;
}

}  // namespace rt::web
