// The JSON API of email delivery settings: a membership's delivery and the
// signed-in person's notification settings.
#include "web/json/shapes.h"
#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

// More groups than any person is in; bounds the work one request can ask for.
constexpr size_t kMaxGroupsPerChange = 500;

Error NotSignedIn() {
  return MakeError(ErrorKind::kUnauthenticated, "not_signed_in",
                   "Sign in first: send a bearer token or the session cookie.");
}

// The delivery in `v`, named `field` in errors.
Result<Delivery> ReadDelivery(const nlohmann::json* v, const std::string& field) {
  std::optional<Delivery> d;
  if (v != nullptr && v->is_string()) d = ParseDelivery(v->get_ref<const std::string&>());
  if (!d) {
    return MakeError(ErrorKind::kInvalidInput, "invalid_delivery",
                     "The field '" + field +
                         "' must be one of \"realtime\", \"daily\", \"weekly\" or \"none\".",
                     field);
  }
  return *d;
}

// {"email":{"reply":false,...},"groups":{"slug":"weekly",...}}, any part.
Result<app::SettingsChange> ReadSettingsChange(const nlohmann::json& body) {
  app::SettingsChange change;
  for (const auto& [key, value] : body.items()) {
    if (key == "email") {
      if (!value.is_object()) {
        return MakeError(ErrorKind::kInvalidInput, "invalid_field",
                         "The field 'email' must be an object of kinds and true or false.",
                         "email");
      }
      for (const auto& [kind_name, on] : value.items()) {
        std::optional<NotificationKind> kind = NotificationKindNamed(kind_name);
        if (!kind) return UnknownField("email." + kind_name);
        if (!on.is_boolean()) {
          return MakeError(ErrorKind::kInvalidInput, "invalid_field",
                           "The field 'email." + kind_name + "' must be true or false.",
                           "email." + kind_name);
        }
        change.email.emplace_back(*kind, on.get<bool>());
      }
    } else if (key == "groups") {
      if (!value.is_object()) {
        return MakeError(ErrorKind::kInvalidInput, "invalid_field",
                         "The field 'groups' must be an object of group slugs and deliveries.",
                         "groups");
      }
      if (value.size() > kMaxGroupsPerChange) {
        return MakeError(ErrorKind::kInvalidInput, "too_many_groups",
                         "Change at most " + std::to_string(kMaxGroupsPerChange) +
                             " groups at once.",
                         "groups");
      }
      for (const auto& [slug, delivery] : value.items()) {
        RT_ASSIGN_OR_RETURN(Delivery d, ReadDelivery(&delivery, "groups." + slug));
        change.groups.emplace_back(slug, d);
      }
    } else if (key == "time_zone") {
      // Zone names are short ("America/Argentina/ComodRivadavia" is 32).
      if (!value.is_string() || value.get_ref<const std::string&>().size() > 64) {
        return MakeError(ErrorKind::kInvalidInput, "invalid_field",
                         "The field 'time_zone' must be a time zone name, or \"\" for the "
                         "association's.",
                         "time_zone");
      }
      change.time_zone = value.get<std::string>();
    } else {
      return UnknownField(key);
    }
  }
  return change;
}

}  // namespace

http::Response WebApp::ApiSetMembership(RequestContext& c) {
  if (!c.session) return Fail(c, NotSignedIn());
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  for (const auto& [key, value] : body->items()) {
    if (key != "delivery") return Fail(c, UnknownField(key));
  }
  auto it = body->find("delivery");
  auto delivery = ReadDelivery(it == body->end() ? nullptr : &*it, "delivery");
  if (!delivery.ok()) return Fail(c, delivery.error());
  auto m = delivery_.SetGroupDelivery(c.viewer, std::string(c.req.Param("slug")), *delivery);
  if (!m.ok()) {
    Error e = m.error();
    // One group is named by the path: the field is the body's "delivery".
    if (e.field.starts_with("groups.")) e.field = "delivery";
    return Fail(c, e);
  }
  return Json(200, {{"membership", json::MembershipJson(*m)}});
}

http::Response WebApp::ApiUpdateGroup(RequestContext& c) {
  if (!c.session) return Fail(c, NotSignedIn());
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  for (const auto& [key, value] : body->items()) {
    if (key != "default_delivery") return Fail(c, UnknownField(key));
  }
  auto it = body->find("default_delivery");
  auto delivery = ReadDelivery(it == body->end() ? nullptr : &*it, "default_delivery");
  if (!delivery.ok()) return Fail(c, delivery.error());
  auto g = groups_.SetDefaultDelivery(c.viewer, std::string(c.req.Param("slug")), *delivery);
  if (!g.ok()) return Fail(c, g.error());
  return Json(200, {{"group", json::GroupJson(*g)}});
}

http::Response WebApp::ApiNotificationSettings(RequestContext& c) {
  if (!c.session) return Fail(c, NotSignedIn());
  auto s = delivery_.Get(c.viewer);
  if (!s.ok()) return Fail(c, s.error());
  return Json(200, json::NotificationSettingsJson(*s));
}

http::Response WebApp::ApiUpdateNotificationSettings(RequestContext& c) {
  if (!c.session) return Fail(c, NotSignedIn());
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto change = ReadSettingsChange(*body);
  if (!change.ok()) return Fail(c, change.error());
  auto s = delivery_.Update(c.viewer, *change);
  if (!s.ok()) return Fail(c, s.error());
  return Json(200, json::NotificationSettingsJson(*s));
}

}  // namespace rt::web
