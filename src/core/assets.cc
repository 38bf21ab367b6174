#include "core/assets.h"

namespace rt::assets {

std::optional<std::string_view> Find(std::string_view name) {
  for (const Asset& a : All()) {
    if (a.name == name) return a.data;
  }
  return std::nullopt;
}

}  // namespace rt::assets
