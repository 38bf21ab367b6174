#include "app/delivery.h"

#include "app/group_access.h"
#include "app/mail_tokens.h"
#include "core/time_zone.h"
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

// Sets the account's email switches in `change` inside the caller's
// transaction; returns how many it changed.
Result<int> SetEmail(store::Store& db, AccountId account,
                     const std::vector<std::pair<NotificationKind, bool>>& change) {
  RT_ASSIGN_OR_RETURN(EmailSwitches switches, db.delivery().EmailSwitchesOf(account));
  int changed = 0;
  for (const auto& [kind, on] : change) {
    if (switches.enabled(kind) != on) ++changed;
    switches.set(kind, on);
  }
  if (changed > 0) RT_RETURN_IF_ERROR(db.delivery().SetEmailSwitches(account, switches));
  return changed;
}

}  // namespace

std::string_view EmailKindTopic(NotificationKind kind) {
  switch (kind) {
    case NotificationKind::kReply:
      return "replies to you and in threads you follow";
    case NotificationKind::kAnswerAccepted:
      return "your accepted answers";
    case NotificationKind::kPrivateMessage:
      return "private messages to you";
    case NotificationKind::kMention:
      return "mentions of you";
    case NotificationKind::kFeedback:
      return "feedback you sent to or look after for a group's staff";
    case NotificationKind::kCheckin:
      return "check-ins on what your groups do for you";
  }
  return "notifications";
}

Result<NotificationSettings> DeliveryService::Get(const Viewer& viewer) {
  if (!viewer.account) return NotSignedIn();
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(Association assoc, LoadAssociation(ctx_, *db));
  NotificationSettings out;
  RT_ASSIGN_OR_RETURN(out.groups, db->delivery().ListForAccount(assoc.id, viewer.account->id));
  RT_ASSIGN_OR_RETURN(out.email, db->delivery().EmailSwitchesOf(viewer.account->id));
  RT_ASSIGN_OR_RETURN(out.time_zone, db->digests().TimeZoneOf(viewer.account->id));
  RT_ASSIGN_OR_RETURN(store::DigestSchedule schedule, db->digests().ScheduleOf(assoc.id));
  out.association_time_zone = schedule.time_zone;
  out.digest_hour = schedule.hour;
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
  std::string zone;
  if (change.time_zone && !change.time_zone->empty()) {
    // Read the zone's file before the transaction: a name is good only if
    // the digests can use it.
    auto loaded = TimeZone::Load(*change.time_zone);
    if (!loaded.ok()) {
      return MakeError(ErrorKind::kInvalidInput, "time_zone_invalid",
                       "Choose a time zone by its name, such as America/Chicago or "
                       "Europe/London.",
                       "time_zone");
    }
    zone = loaded->name();
  }
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    if (change.time_zone) RT_RETURN_IF_ERROR(db->digests().SetTimeZone(me, zone));
    for (const auto& [slug, delivery] : change.groups) {
      RT_RETURN_IF_ERROR(SetOne(ctx_, *db, viewer, slug, delivery));
    }
    if (!change.email.empty()) RT_RETURN_IF_ERROR(SetEmail(*db, me, change.email));
    return OkStatus();
  }));
  return Get(viewer);
}

namespace {

Error BadUnsubscribeLink() {
  return MakeError(ErrorKind::kNotFound, "not_found",
                   "This unsubscribe link is not valid. Copy the whole link from the email, or "
                   "sign in and choose how you hear from your groups in your notification "
                   "settings.");
}

// What a link's token names, its account checked to exist.
struct LinkTarget {
  AccountId account;
  Unsubscription what;
};

// Opens a group's or digest's token (group checked to exist too) or a
// notification mail's.
Result<LinkTarget> OpenUnsubscribe(store::Store& db, std::string_view token) {
  RT_ASSIGN_OR_RETURN(MailTokens tokens, MailTokens::Load(db));
  LinkTarget out;
  if (std::optional<UnsubscribeTarget> t = tokens.OpenUnsubscribeToken(token)) {
    out.account = t->account;
    if (t->group.valid()) {
      RT_ASSIGN_OR_RETURN(out.what.group, db.groups().FindById(t->group));
      if (!out.what.group) return BadUnsubscribeLink();
    }
  } else if (std::optional<KindUnsubscribeTarget> k = tokens.OpenKindUnsubscribeToken(token)) {
    out.account = k->account;
    out.what.kind = k->kind;
  } else {
    return BadUnsubscribeLink();
  }
  RT_ASSIGN_OR_RETURN(std::optional<Account> account, db.accounts().FindById(out.account));
  if (!account) return BadUnsubscribeLink();
  return out;
}

}  // namespace

Result<Unsubscription> DeliveryService::DescribeUnsubscribe(std::string_view token) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(LinkTarget target, OpenUnsubscribe(*db, token));
  return std::move(target.what);
}

Result<Unsubscription> DeliveryService::Unsubscribe(std::string_view token) {
  return ActOnLink(token, [&](store::Store& db, AccountId account, Unsubscription& out) -> Status {
    if (out.kind) {
      RT_ASSIGN_OR_RETURN(out.changed, SetEmail(db, account, {{*out.kind, false}}));
      return OkStatus();
    }
    std::vector<GroupId> groups;
    if (out.group) {
      groups.push_back(out.group->id);
    } else {
      RT_ASSIGN_OR_RETURN(Association assoc, LoadAssociation(ctx_, db));
      RT_ASSIGN_OR_RETURN(std::vector<store::GroupDelivery> all,
                          db.delivery().ListForAccount(assoc.id, account));
      for (const store::GroupDelivery& g : all) groups.push_back(g.group.id);
    }
    for (GroupId g : groups) {
      RT_ASSIGN_OR_RETURN(bool set, db.delivery().SetDelivery(g, account, Delivery::kNone));
      if (set) ++out.changed;
    }
    return OkStatus();
  });
}

Result<Unsubscription> DeliveryService::Resubscribe(std::string_view token) {
  return ActOnLink(token, [](store::Store& db, AccountId account, Unsubscription& out) -> Status {
    if (!out.kind) {
      return MakeError(ErrorKind::kRuleBroken, "undo_not_available",
                       "This link cannot turn group emails back on. Sign in and choose how "
                       "you hear from your groups in your notification settings.");
    }
    RT_ASSIGN_OR_RETURN(out.changed, SetEmail(db, account, {{*out.kind, true}}));
    return OkStatus();
  });
}

Result<Unsubscription> DeliveryService::ActOnLink(
    std::string_view token,
    const std::function<Status(store::Store&, AccountId, Unsubscription&)>& act) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  Unsubscription out;
  // Opened inside the transaction, so the account cannot go in between.
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(LinkTarget target, OpenUnsubscribe(*db, token));
    out = std::move(target.what);
    return act(*db, target.account, out);
  }));
  return out;
}

Status DeliveryService::ResumeMail(const Viewer& viewer) {
  if (!viewer.account) return NotSignedIn();
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  return db->accounts().ResumeMail(viewer.account->id);
}

}  // namespace rt::app
