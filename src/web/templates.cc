#include "web/templates.h"

#include <memory>
#include <mutex>
#include <unordered_map>

#include "core/assets.h"
#include "web/template_engine.h"

namespace rt::web {

namespace {
constexpr std::string_view kPrefix = "templates/";
constexpr std::string_view kSuffix = ".mustache";

using Compiled = std::unordered_map<std::string, std::unique_ptr<CompiledTemplate>>;

// Every embedded template, parsed once for the life of the process; read-only
// afterwards, so all threads share it without locks.
const Compiled& All(std::string* first_error = nullptr) {
  static std::once_flag once;
  static Compiled compiled;
  static std::string error;
  std::call_once(once, [] {
    for (const assets::Asset& a : assets::All()) {
      if (a.name.substr(0, kPrefix.size()) != kPrefix || !a.name.ends_with(kSuffix)) continue;
      std::string name(a.name.substr(kPrefix.size(), a.name.size() - kPrefix.size() - kSuffix.size()));
      std::string e;
      auto t = CompiledTemplate::Parse(a.data, &e);
      if (!t) {
        if (error.empty()) error = std::string(a.name) + ": " + e;
        continue;
      }
      compiled.emplace(std::move(name), std::move(t));
    }
  });
  if (first_error != nullptr) *first_error = error;
  return compiled;
}

const CompiledTemplate* Find(std::string_view name) {
  const Compiled& all = All();
  auto it = all.find(std::string(name));
  return it == all.end() ? nullptr : it->second.get();
}
}  // namespace

std::string Templates::Validate() {
  std::string error;
  All(&error);
  return error;
}

std::string Templates::Render(const std::string& name, const Data& data) {
  const CompiledTemplate* t = Find(name);
  if (t == nullptr) return "<!-- missing template " + name + " -->";
  static const CompiledTemplate::PartialResolver kPartials = [](std::string_view partial) {
    return Find(partial);
  };
  std::string out;
  out.reserve(4096);
  t->Render(data, kPartials, &out);
  return out;
}

}  // namespace rt::web
