#include "domain/discussions/email_switches.h"

namespace rt {

std::optional<NotificationKind> NotificationKindNamed(std::string_view name) {
  for (NotificationKind k : kNotificationKinds) {
    if (ToString(k) == name) return k;
  }
  return std::nullopt;
}

}  // namespace rt
