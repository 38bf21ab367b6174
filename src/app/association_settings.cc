#include "app/association_settings.h"

#include <iterator>

#include "app/group_access.h"
#include "core/time_zone.h"
#include "policy/guardian.h"

namespace rt::app {

namespace {

constexpr std::string_view kWeekdays[] = {"sunday",    "monday",   "tuesday",
                                          "wednesday", "thursday", "friday",
                                          "saturday"};

// `change` with its values checked, and its zone named as the tz database
// names it. The zone's file is read here, outside any transaction: a name
// is good only if the digests can load it.
Result<DigestScheduleChange> Checked(DigestScheduleChange change) {
  if (change.hour && (*change.hour < 0 || *change.hour > 23)) {
    return MakeError(ErrorKind::kInvalidInput, "digest_hour_invalid",
                     "Choose an hour from 0 (midnight) to 23.", "hour");
  }
  if (change.weekday && WeekdayName(*change.weekday).empty()) {
    return MakeError(ErrorKind::kInvalidInput, "digest_weekday_invalid",
                     "Choose a day of the week, from Monday to Sunday.",
                     "weekday");
  }
  if (change.time_zone) {
    auto zone = TimeZone::Load(*change.time_zone);
    if (!zone.ok()) {
      return MakeError(
          ErrorKind::kInvalidInput, "time_zone_invalid",
          "Choose a time zone by its name, such as America/Chicago or "
          "Europe/London.",
          "time_zone");
    }
    change.time_zone = zone->name();
  }
  return change;
}

}  // namespace

std::string_view WeekdayName(int weekday) {
  if (weekday < 0 || weekday >= static_cast<int>(std::size(kWeekdays)))
    return "";
  return kWeekdays[weekday];
}

std::optional<int> WeekdayNamed(std::string_view name) {
  for (size_t i = 0; i < std::size(kWeekdays); ++i) {
    const std::string_view day = kWeekdays[i];
    if (name.size() != day.size()) continue;
    bool same = true;
    for (size_t j = 0; j < day.size() && same; ++j) {
      char c = name[j];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      same = c == day[j];
    }
    if (same) return static_cast<int>(i);
  }
  return std::nullopt;
}

Status AssociationSettingsService::MayManage(const Viewer& viewer) const {
  policy::Decision d =
      policy::CanManageAssociation(MakeActor(viewer, {}, GroupRole::kNone));
  if (d.allowed) return OkStatus();
  if (d.reason == policy::reason::kNotSignedIn) {
    return MakeError(ErrorKind::kUnauthenticated, "not_signed_in",
                     "Sign in as an association admin to change the "
                     "association's settings.");
  }
  return MakeError(ErrorKind::kNotFound, "not_found",
                   "We could not find that.");
}

Result<store::DigestSchedule> AssociationSettingsService::GetDigestSchedule(
    const Viewer& viewer) {
  RT_RETURN_IF_ERROR(MayManage(viewer));
  return GetDigestScheduleAsOperator();
}

Result<store::DigestSchedule> AssociationSettingsService::SetDigestSchedule(
    const Viewer& viewer, const DigestScheduleChange& change) {
  RT_RETURN_IF_ERROR(MayManage(viewer));
  return Apply(viewer.account->id, change);
}

Result<store::DigestSchedule>
AssociationSettingsService::GetDigestScheduleAsOperator() {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(Association assoc, LoadAssociation(ctx_, *db));
  return db->digests().ScheduleOf(assoc.id);
}

Result<store::DigestSchedule>
AssociationSettingsService::SetDigestScheduleAsOperator(
    const DigestScheduleChange& change) {
  return Apply(AccountId{}, change);
}

Result<store::DigestSchedule> AssociationSettingsService::Apply(
    AccountId who, const DigestScheduleChange& change) {
  RT_ASSIGN_OR_RETURN(DigestScheduleChange checked, Checked(change));
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  const TimePoint now = ctx_.Now();
  store::DigestSchedule out;
  // Read and write in one transaction, so that two admins changing
  // different fields at once both keep their change.
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(Association assoc, LoadAssociation(ctx_, *db));
    RT_ASSIGN_OR_RETURN(out, db->digests().ScheduleOf(assoc.id));
    if (checked.hour) out.hour = *checked.hour;
    if (checked.weekday) out.weekday = *checked.weekday;
    if (checked.time_zone) out.time_zone = *checked.time_zone;
    RT_RETURN_IF_ERROR(db->digests().SetSchedule(assoc.id, out));
    return db->audit().Record(who, "association.digest_schedule",
                              "hour " + std::to_string(out.hour) +
                                  ", weekday " +
                                  std::string(WeekdayName(out.weekday)) +
                                  ", time zone " + out.time_zone,
                              now);
  }));
  return out;
}

}  // namespace rt::app
