#ifndef RT_APP_DELIVERY_H_
#define RT_APP_DELIVERY_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/context.h"
#include "domain/discussions/email_switches.h"
#include "domain/groups/group.h"
#include "store/store.h"

namespace rt::app {

// How one person hears by email: each group they are in, and each kind of
// notification. The mail that will be sent reads these; nothing here sends.
struct NotificationSettings {
  std::vector<store::GroupDelivery> groups;  // in the groups page's order
  EmailSwitches email;
  // The IANA zone digests follow ("" : the association's), the
  // association's, and the hour they are sent at in it.
  std::string time_zone;
  std::string association_time_zone;
  int digest_hour = 7;
};

// A change to NotificationSettings. What is left out stays as it is.
struct SettingsChange {
  std::vector<std::pair<std::string, Delivery>> groups;  // group slug, delivery
  std::vector<std::pair<NotificationKind, bool>> email;  // kind, by email?
  std::optional<std::string> time_zone;  // "" : back to the association's
  bool empty() const { return groups.empty() && email.empty() && !time_zone; }
};

// What an unsubscribe link (mail_tokens.h) stops.
struct Unsubscription {
  // The group, or nullopt for a digest's link, which covers every group.
  // Means nothing when `kind` is set.
  std::optional<Group> group;
  // After Unsubscribe: the groups whose delivery it set to none, or for a
  // kind, 1 when it turned that email off (0: it was off already). After
  // Resubscribe: 1 when it turned it back on.
  int changed = 0;
  // Set for a notification mail's link: email about this kind of
  // notification, whichever group it is from.
  std::optional<NotificationKind> kind;
};

// What email of `kind` is about, to end "Stop emails about ...": "replies
// to you and in threads you follow". The mail footer and the unsubscribe
// page say the same words.
std::string_view EmailKindTopic(NotificationKind kind);

// Email delivery settings. Thread-safe.
//
// Errors of every method: kUnauthenticated "not_signed_in" for a visitor.
// Those naming a group also give kNotFound "group_not_found" when it does
// not exist or the viewer may not know it exists, and kRuleBroken
// "not_group_member" (422: the group is there, but the setting belongs to a
// membership they do not have) with the field "groups.SLUG".
class DeliveryService {
 public:
  explicit DeliveryService(const AppContext& ctx) : ctx_(ctx) {}

  // The viewer's settings.
  Result<NotificationSettings> Get(const Viewer& viewer);

  // The viewer's delivery in `group`, which the caller has already loaded
  // for them; nullopt for visitors and people not in the group. Reads only
  // the viewer's own setting, so it needs no Guardian rule.
  Result<std::optional<Delivery>> DeliveryIn(const Viewer& viewer, GroupId group);

  // Sets the viewer's delivery in one group; returns that membership.
  Result<store::GroupDelivery> SetGroupDelivery(const Viewer& viewer, const std::string& slug,
                                                Delivery delivery);

  // Applies all of `change` or, on any error, none of it; returns the
  // settings as they now are. A time zone must be one the system's tz
  // database has: kInvalidInput "time_zone_invalid", field "time_zone".
  Result<NotificationSettings> Update(const Viewer& viewer, const SettingsChange& change);

  // What the unsubscribe link with `token` would stop; changes nothing (for
  // the page a GET shows). Needs no sign-in: the token is the credential,
  // and these act on its account only, whoever is signed in.
  // Errors: kNotFound "not_found" for a token that is not ours, or whose
  // account or group is gone.
  Result<Unsubscription> DescribeUnsubscribe(std::string_view token);
  // Sets the delivery of the token's account to none in its group (in every
  // group for a digest's link); for a notification mail's link, turns off
  // email for its kind, the switch Update sets. Repeating it is harmless; a
  // member who has left the group meanwhile has nothing to change. Errors:
  // as DescribeUnsubscribe.
  Result<Unsubscription> Unsubscribe(std::string_view token);
  // Undoes Unsubscribe of a notification mail's link: turns email for its
  // kind back on. Errors: as DescribeUnsubscribe; kRuleBroken
  // "undo_not_available" for a group's or digest's link, since the delivery
  // it replaced is not kept (the settings page chooses it again).
  Result<Unsubscription> Resubscribe(std::string_view token);

  // Lets mail go to the viewer again after it was paused for bouncing
  // (Account::mail_paused). Errors: not_signed_in.
  Status ResumeMail(const Viewer& viewer);

 private:
  // Opens the unsubscribe link `token` and, in the same transaction, runs
  // `act` on its account and what it names (which `act` may update).
  Result<Unsubscription> ActOnLink(
      std::string_view token,
      const std::function<Status(store::Store&, AccountId, Unsubscription&)>& act);

  const AppContext& ctx_;
};

}  // namespace rt::app

#endif  // RT_APP_DELIVERY_H_
