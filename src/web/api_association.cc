// The JSON API of the association's settings, for its admins: when digests
// go out (GET and PATCH /api/v1/association/digest-schedule).
#include "app/association_settings.h"
#include "web/json/shapes.h"
#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

// {"hour":9,"weekday":"tuesday","time_zone":"Europe/London"}, any part.
// Values of the right type go to the use case, which checks their range.
Result<app::DigestScheduleChange> ReadScheduleChange(
    const nlohmann::json& body) {
  app::DigestScheduleChange change;
  for (const auto& [key, value] : body.items()) {
    if (key == "hour") {
      if (!value.is_number_integer()) {
        return MakeError(
            ErrorKind::kInvalidInput, "invalid_field",
            "The field 'hour' must be a whole number from 0 to 23.", "hour");
      }
      // Any other integer reaches the use case as -1, which it refuses with
      // its own code, so no value can overflow an int on the way.
      const bool in_range =
          value.is_number_unsigned()
              ? value.get<uint64_t>() <= 23
              : value.get<int64_t>() >= 0 && value.get<int64_t>() <= 23;
      change.hour = in_range ? value.get<int>() : -1;
    } else if (key == "weekday") {
      std::optional<int> day;
      if (value.is_string())
        day = app::WeekdayNamed(value.get_ref<const std::string&>());
      if (!day) {
        return MakeError(ErrorKind::kInvalidInput, "digest_weekday_invalid",
                         "The field 'weekday' must be the name of a day, such "
                         "as \"monday\".",
                         "weekday");
      }
      change.weekday = *day;
    } else if (key == "time_zone") {
      if (!value.is_string()) {
        return MakeError(
            ErrorKind::kInvalidInput, "invalid_field",
            "The field 'time_zone' must be a time zone name, such as "
            "\"America/Chicago\".",
            "time_zone");
      }
      change.time_zone = value.get<std::string>();
    } else {
      return UnknownField(key);
    }
  }
  return change;
}

http::Response ScheduleJson(const store::DigestSchedule& s) {
  return Json(200, {{"digest_schedule", json::DigestScheduleJson(s)}});
}

}  // namespace

http::Response WebApp::ApiDigestSchedule(RequestContext& c) {
  auto s = association_settings_.GetDigestSchedule(c.viewer);
  if (!s.ok()) return Fail(c, s.error());
  return ScheduleJson(*s);
}

http::Response WebApp::ApiUpdateDigestSchedule(RequestContext& c) {
  // Who asks is checked before the body is read: someone who may not
  // change the schedule learns nothing from the errors.
  if (Status may = association_settings_.MayManage(c.viewer); !may.ok()) {
    return Fail(c, may.error());
  }
  auto body = ParseJsonBody(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto change = ReadScheduleChange(*body);
  if (!change.ok()) return Fail(c, change.error());
  auto s = association_settings_.SetDigestSchedule(c.viewer, *change);
  if (!s.ok()) return Fail(c, s.error());
  return ScheduleJson(*s);
}

}  // namespace rt::web
