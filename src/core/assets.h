#ifndef RT_CORE_ASSETS_H_
#define RT_CORE_ASSETS_H_

#include <optional>
#include <string_view>
#include <vector>

namespace rt::assets {

// A file compiled into the binary (templates, static files, migrations).
// Names are "<folder>/<relative path>", e.g. "templates/layout.mustache".
struct Asset {
  std::string_view name;
  std::string_view data;
};

// Every embedded file, in build order. Thread-safe; the data lives forever.
const std::vector<Asset>& All();

// The file called `name`, or nullopt.
std::optional<std::string_view> Find(std::string_view name);

}  // namespace rt::assets

#endif  // RT_CORE_ASSETS_H_
