#include "web/templates.h"

#include <memory>
#include <unordered_map>

#include "core/assets.h"

namespace rt::web {

namespace {
constexpr std::string_view kPrefix = "templates/";
constexpr std::string_view kSuffix = ".mustache";

kainjow::mustache::mustache* Parsed(const std::string& name) {
  thread_local std::unordered_map<std::string, std::unique_ptr<kainjow::mustache::mustache>>
      cache;
  auto it = cache.find(name);
  if (it != cache.end()) return it->second.get();
  auto src = assets::Find(std::string(kPrefix) + name + std::string(kSuffix));
  if (!src) return nullptr;
  auto parsed = std::make_unique<kainjow::mustache::mustache>(std::string(*src));
  auto* raw = parsed.get();
  cache.emplace(name, std::move(parsed));
  return raw;
}
// Resolves {{> name}} to the embedded template of that name.
class EmbeddedContext : public kainjow::mustache::context<std::string> {
 public:
  explicit EmbeddedContext(const Data* data) : context(data) {}
  const Data* get_partial(const std::string& name) const override {
    thread_local std::unordered_map<std::string, std::unique_ptr<Data>> partials;
    auto it = partials.find(name);
    if (it == partials.end()) {
      auto src = assets::Find(std::string(kPrefix) + name + std::string(kSuffix));
      if (!src) return context::get_partial(name);
      std::string text(*src);
      auto d = std::make_unique<Data>(kainjow::mustache::partial([text] { return text; }));
      it = partials.emplace(name, std::move(d)).first;
    }
    return it->second.get();
  }
};

}  // namespace

std::string Templates::Validate() {
  for (const assets::Asset& a : assets::All()) {
    if (a.name.substr(0, kPrefix.size()) != kPrefix) continue;
    kainjow::mustache::mustache m{std::string(a.data)};
    if (!m.is_valid()) return std::string(a.name) + ": " + m.error_message();
  }
  return "";
}

std::string Templates::Render(const std::string& name, const Data& data) {
  kainjow::mustache::mustache* t = Parsed(name);
  if (t == nullptr) return "<!-- missing template " + name + " -->";
  EmbeddedContext ctx(&data);
  return t->render(ctx);
}

}  // namespace rt::web
