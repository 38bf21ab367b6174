#ifndef RT_APP_ASSOCIATION_SETTINGS_H_
#define RT_APP_ASSOCIATION_SETTINGS_H_

#include <optional>
#include <string>
#include <string_view>

#include "app/context.h"
#include "core/result.h"
#include "store/store.h"

// The association's own settings, which its admins choose (the page
// /admin/digests, the API /api/v1/association/digest-schedule and
// `roundtable digests schedule`). For now: when digests go out (issue 5,
// point 4), which DigestService::Send reads on every run.
namespace rt::app {

// The lower-case English name of `weekday` as store::DigestSchedule counts
// them (0 Sunday .. 6 Saturday): "monday" for 1; "" outside 0..6.
std::string_view WeekdayName(int weekday);

// The weekday called `name` ("monday", in any case), counted as
// WeekdayName does; nullopt for anything else.
std::optional<int> WeekdayNamed(std::string_view name);

// A change to the digest schedule. What is left out stays as it is.
struct DigestScheduleChange {
  std::optional<int> hour;     // 0..23, local time
  std::optional<int> weekday;  // 0 Sunday .. 6 Saturday: weekly digests
  std::optional<std::string>
      time_zone;  // IANA name, for accounts without their own
  bool empty() const { return !hour && !weekday && !time_zone; }
};

// Reads and changes the association's settings. Thread-safe.
//
// Errors of the methods taking a viewer, checked before anything else so
// that the values sent tell nobody else anything: kUnauthenticated
// "not_signed_in" for a visitor, kNotFound "not_found" for anyone signed in
// who is not an association admin (policy::CanManageAssociation).
class AssociationSettingsService {
 public:
  // `ctx` must outlive this object.
  explicit AssociationSettingsService(const AppContext& ctx) : ctx_(ctx) {}

  // Whether `viewer` may read and change the settings: OkStatus or the
  // errors above. For handlers that check before they read a request's
  // values. Reads nothing.
  Status MayManage(const Viewer& viewer) const;

  // When digests go out.
  Result<store::DigestSchedule> GetDigestSchedule(const Viewer& viewer);

  // Applies all of `change` or, on any error, none of it, records who did
  // it in the audit log, and returns the schedule as it now is. Errors
  // (kInvalidInput, with the field): "digest_hour_invalid" ("hour", not
  // 0..23), "digest_weekday_invalid" ("weekday", not 0..6) and
  // "time_zone_invalid" ("time_zone", not a zone of the system's tz
  // database, which digests read).
  Result<store::DigestSchedule> SetDigestSchedule(
      const Viewer& viewer, const DigestScheduleChange& change);

  // The same for the operator at the command line, who has shell access to
  // the database already and needs no account. Errors: the values', as
  // SetDigestSchedule.
  Result<store::DigestSchedule> GetDigestScheduleAsOperator();
  Result<store::DigestSchedule> SetDigestScheduleAsOperator(
      const DigestScheduleChange& change);

 private:
  Result<store::DigestSchedule> Apply(AccountId who,
                                      const DigestScheduleChange& change);

  const AppContext& ctx_;
};

}  // namespace rt::app

#endif  // RT_APP_ASSOCIATION_SETTINGS_H_
