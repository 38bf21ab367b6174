// The association's settings page for its admins: when digests go out
// (/admin/digests). Everyone else who is signed in gets 404.
#include <iterator>
#include <optional>
#include <string>

#include "app/association_settings.h"
#include "core/text.h"
#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

constexpr const char* kPath = "/admin/digests";
constexpr const char* kTitle = "Digest schedule";
// The week as the page lists it: Monday first.
constexpr int kWeekOrder[] = {1, 2, 3, 4, 5, 6, 0};

// What the form shows and what is wrong with it, by field.
struct ScheduleForm {
  store::DigestSchedule values;
  std::string hour_error;
  std::string weekday_error;
  std::string time_zone_error;
  bool has_errors() const {
    return !hour_error.empty() || !weekday_error.empty() ||
           !time_zone_error.empty();
  }
};

// "7" -> 7; nullopt for what is not a number. The select only sends
// 0..23; the use case checks the range.
std::optional<int> ParseHour(std::string_view s) {
  if (s == "0") return 0;  // ParseId takes positive numbers only
  std::optional<int64_t> h = ParseId(s);
  if (!h || *h > 99) return std::nullopt;
  return static_cast<int>(*h);
}

void AddError(Data& errors, const std::string& message, const char* href) {
  Data& e = errors.AppendObject();
  e["message"] = Data::Borrow(message);
  e["href"] = href;
}

Data ScheduleData(const RequestContext& c, const ScheduleForm& f) {
  Data d;
  d["csrf"] = Data::Borrow(c.Csrf());
  Data hours = Data::List(24);
  for (int h = 0; h < 24; ++h) {
    Data& o = hours.AppendObject();
    o["value"] = std::to_string(h);
    o["label"] = (h < 10 ? "0" : "") + std::to_string(h) + ":00";
    if (h == f.values.hour) o["selected"] = true;
  }
  d["hours"] = std::move(hours);
  Data weekdays = Data::List(std::size(kWeekOrder));
  for (int day : kWeekOrder) {
    Data& o = weekdays.AppendObject();
    std::string name(app::WeekdayName(day));
    o["value"] = name;
    name[0] = static_cast<char>(name[0] - 'a' + 'A');
    o["label"] = std::move(name);
    if (day == f.values.weekday) o["selected"] = true;
  }
  d["weekdays"] = std::move(weekdays);
  d["time_zone"] = Data::Borrow(f.values.time_zone);
  Data errors = Data::List(3);
  if (!f.hour_error.empty()) {
    d["hour_error"] = Data::Borrow(f.hour_error);
    AddError(errors, f.hour_error, "#field-hour");
  }
  if (!f.weekday_error.empty()) {
    d["weekday_error"] = Data::Borrow(f.weekday_error);
    AddError(errors, f.weekday_error, "#field-weekday");
  }
  if (!f.time_zone_error.empty()) {
    d["time_zone_error"] = Data::Borrow(f.time_zone_error);
    AddError(errors, f.time_zone_error, "#field-time-zone");
  }
  if (f.has_errors()) {
    d["has_errors"] = true;
    d["errors"] = std::move(errors);
  }
  return d;
}

}  // namespace

http::Response WebApp::DigestSchedulePage(RequestContext& c) {
  auto s = association_settings_.GetDigestSchedule(c.viewer);
  if (!s.ok()) return Fail(c, s.error());
  ScheduleForm form;
  form.values = *s;
  return Page(c, 200, kTitle,
              Templates::Fragment("digest_schedule", ScheduleData(c, form)));
}

http::Response WebApp::DigestScheduleForm(RequestContext& c) {
  // Who asks is checked before the form is read, as for the API.
  if (Status may = association_settings_.MayManage(c.viewer); !may.ok()) {
    return Fail(c, may.error());
  }
  ScheduleForm form;
  app::DigestScheduleChange change;
  change.hour = ParseHour(c.Field("hour"));
  if (!change.hour) form.hour_error = "Choose the hour digests go out.";
  change.weekday = app::WeekdayNamed(c.Field("weekday"));
  if (!change.weekday)
    form.weekday_error = "Choose the day weekly digests go out.";
  std::string zone(text::Trim(c.Field("time_zone")));
  // Zone names are short; a longer one is no zone (the field allows 64).
  if (zone.size() > 64) zone.clear();
  change.time_zone = zone;
  if (!form.has_errors()) {
    auto saved = association_settings_.SetDigestSchedule(c.viewer, change);
    if (saved.ok())
      return Redirect(std::string(kPath) + "?notice=digest_schedule_saved");
    const Error& e = saved.error();
    if (e.field == "hour") {
      form.hour_error = e.message;
    } else if (e.field == "weekday") {
      form.weekday_error = e.message;
    } else if (e.field == "time_zone") {
      form.time_zone_error = e.message;
    } else {
      return Fail(c, e);
    }
  }
  // The page again with what was sent where it was valid, so nothing is lost.
  auto s = association_settings_.GetDigestSchedule(c.viewer);
  if (!s.ok()) return Fail(c, s.error());
  form.values = *s;
  if (change.hour && form.hour_error.empty()) form.values.hour = *change.hour;
  if (change.weekday) form.values.weekday = *change.weekday;
  form.values.time_zone = zone;
  return Page(c, 400, std::string("Error: ") + kTitle,
              Templates::Fragment("digest_schedule", ScheduleData(c, form)));
}

}  // namespace rt::web
