#include "app/delivery.h"

#include "app/group_access.h"
#include "policy/guardian.h"

namespace rt::app {

namespace {

Error NotSignedIn() {
  return MakeError(ErrorKind::kUnauthenticated, "not_signed_in",
                   "Sign in to choose how you hear from your groups.");
}

// Sets the delivery in `slug` inside the caller's transaction.
Result<store::GroupDelivery> SetOne(const AppContext& ctx, store::Store& db,
                                    const Viewer& viewer, const std::string& slug,
                                    Delivery delivery) {
  RT_ASSIGN_OR_RETURN(GroupAccess l, LoadGroupAccess(ctx, db, viewer, slug));
  policy::Decision d = policy::CanChooseDelivery(l.actor, l.group());
  if (!d.allowed) {
    Error e = RefusalError(d.reason, l.association, l.standing);
    if (d.reason == policy::reason::kNotGroupMember) {
      // The group exists and they may see it; what is missing is the
      // membership the setting belongs to.
      e = MakeError(ErrorKind::kRuleBroken, "not_group_member",
                    "You are not a member of " + l.group().name +
                        ". Join the group to choose how you hear from it.");
    }
    e.field = "groups." + slug;
    return e;
  }
  RT_ASSIGN_OR_RETURN(bool set,
                      db.delivery().SetDelivery(l.group().id, l.actor.account, delivery));
  if (!set) {
    // Left between the check and the write: cannot happen inside one
    // transaction, but say so plainly if it ever does.
    return MakeError(ErrorKind::kRuleBroken, "not_group_member",
                     "You are not a member of " + l.group().name + ".", "groups." + slug);
  }
  return store::GroupDelivery{l.listing.group, l.actor.role, delivery};
}

}  // namespace

Result<NotificationSettings> DeliveryService::Get(const Viewer& viewer) {
  if (!viewer.account) return NotSignedIn();
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(Association assoc, LoadAssociation(ctx_, *db));
  NotificationSettings out;
  RT_ASSIGN_OR_RETURN(out.groups, db->delivery().ListForAccount(assoc.id, viewer.account->id));
  RT_ASSIGN_OR_RETURN(out.email, db->delivery().EmailSwitchesOf(viewer.account->id));
  return out;
}

Result<std::optional<Delivery>> DeliveryService::DeliveryIn(const Viewer& viewer,
                                                            GroupId group) {
  if (!viewer.account) return std::optional<Delivery>();
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  return db->delivery().DeliveryOf(group, viewer.account->id);
}

Result<store::GroupDelivery> DeliveryService::SetGroupDelivery(const Viewer& viewer,
                                                               const std::string& slug,
                                                               Delivery delivery) {
  if (!viewer.account) return NotSignedIn();
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  std::optional<store::GroupDelivery> out;
  // Check and write in one transaction, so a racing leave cannot slip
  // between them.
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(out, SetOne(ctx_, *db, viewer, slug, delivery));
    return OkStatus();
  }));
  return *std::move(out);
}

Result<NotificationSettings> DeliveryService::Update(const Viewer& viewer,
                                                     const SettingsChange& change) {
  if (!viewer.account) return NotSignedIn();
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  AccountId me = viewer.account->id;
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    for (const auto& [slug, delivery] : change.groups) {
      RT_RETURN_IF_ERROR(SetOne(ctx_, *db, viewer, slug, delivery));
    }
    if (!change.email.empty()) {
      RT_ASSIGN_OR_RETURN(EmailSwitches switches, db->delivery().EmailSwitchesOf(me));
      for (const auto& [kind, on] : change.email) switches.set(kind, on);
      RT_RETURN_IF_ERROR(db->delivery().SetEmailSwitches(me, switches));
    }
    return OkStatus();
  }));
  return Get(viewer);
}

}  // namespace rt::app
