// The notification settings page: how a member hears from each group by
// email, and which notifications are also emailed.
#include <map>

#include "core/text.h"
#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

constexpr const char* kPath = "/settings/notifications";

struct Choice {
  Delivery delivery;
  const char* label;     // beside the radio button
  const char* sentence;  // on the group page: "You get ..."
};

constexpr Choice kChoices[] = {
    {Delivery::kRealtime, "Real-time: an email for every new discussion and reply",
     "You get an email for every new discussion and reply"},
    {Delivery::kDaily, "Daily digest", "You get a daily digest"},
    {Delivery::kWeekly, "Weekly digest", "You get a weekly digest"},
    {Delivery::kNone, "No email", "You get no email from this group"},
};

const char* KindLabel(NotificationKind k) {
  switch (k) {
    case NotificationKind::kReply: return "Someone replies to you or in a thread you follow";
    case NotificationKind::kAnswerAccepted: return "Your answer is accepted";
    case NotificationKind::kPrivateMessage: return "Someone sends you a private message";
    case NotificationKind::kMention: return "Someone mentions you";
    case NotificationKind::kFeedback: return "Someone answers feedback you sent or look after";
    case NotificationKind::kCheckin: return "A group asks how it is helping you (a short check-in)";
  }
  return "";
}

// What the form says and what is wrong with it, by group slug.
struct FormState {
  std::map<std::string, std::string> group_errors;
  std::string email_error;
  std::string time_zone_error;
  std::string general_error;  // not about one group (it may have gone)
};

Data SettingsData(const RequestContext& c, const app::NotificationSettings& s,
                  const FormState& state) {
  Data d;
  d["csrf"] = Data::Borrow(c.Csrf());
  AddMailPausedNotice(c, d);
  Data errors = Data::List();
  if (!state.general_error.empty()) {
    Data& e = errors.AppendObject();
    e["message"] = state.general_error;
    e["href"] = "#settings-form";
  }
  Data groups = Data::List(s.groups.size());
  for (const store::GroupDelivery& g : s.groups) {
    Data& gd = groups.AppendObject();
    gd["slug"] = Data::Borrow(g.group.slug);
    gd["name"] = Data::Borrow(g.group.name);
    auto err = state.group_errors.find(g.group.slug);
    if (err != state.group_errors.end()) {
      gd["error"] = Data::Borrow(err->second);
      Data& e = errors.AppendObject();
      e["message"] = Data::Borrow(err->second);
      e["href"] = "#delivery-" + g.group.slug + "-" + std::string(ToString(kChoices[0].delivery));
    }
    Data choices = Data::List(std::size(kChoices));
    for (const Choice& ch : kChoices) {
      Data& cd = choices.AppendObject();
      cd["value"] = Data::Borrow(ToString(ch.delivery));
      cd["label"] = Data::Borrow(ch.label);
      cd["slug"] = Data::Borrow(g.group.slug);
      if (ch.delivery == g.delivery) cd["checked"] = true;
    }
    gd["choices"] = std::move(choices);
  }
  if (s.groups.empty()) d["no_groups"] = true;
  d["groups"] = std::move(groups);
  Data kinds = Data::List(kNotificationKinds.size());
  for (NotificationKind k : kNotificationKinds) {
    Data& kd = kinds.AppendObject();
    kd["value"] = Data::Borrow(ToString(k));
    kd["label"] = Data::Borrow(KindLabel(k));
    if (s.email.enabled(k)) kd["checked"] = true;
  }
  d["kinds"] = std::move(kinds);
  if (!state.email_error.empty()) {
    d["email_error"] = Data::Borrow(state.email_error);
    Data& e = errors.AppendObject();
    e["message"] = Data::Borrow(state.email_error);
    e["href"] = "#email-" + std::string(ToString(kNotificationKinds[0]));
  }
  d["time_zone"] = Data::Borrow(s.time_zone);
  d["association_time_zone"] = Data::Borrow(s.association_time_zone);
  d["digest_hour"] = (s.digest_hour < 10 ? "0" : "") + std::to_string(s.digest_hour) + ":00";
  if (!state.time_zone_error.empty()) {
    d["time_zone_error"] = Data::Borrow(state.time_zone_error);
    Data& e = errors.AppendObject();
    e["message"] = Data::Borrow(state.time_zone_error);
    e["href"] = "#field-time-zone";
  }
  if (!errors.list_value().empty()) {
    d["has_errors"] = true;
    d["errors"] = std::move(errors);
  }
  return d;
}

}  // namespace

http::Response WebApp::NotificationSettingsPage(RequestContext& c) {
  if (!c.session) return Redirect("/signin?next=%2Fsettings%2Fnotifications");
  auto s = delivery_.Get(c.viewer);
  if (!s.ok()) return Fail(c, s.error());
  return Page(c, 200, "Notification settings",
              Templates::Fragment("notification_settings", SettingsData(c, *s, {})));
}

http::Response WebApp::NotificationSettingsForm(RequestContext& c) {
  if (!c.session) return Redirect("/signin?next=%2Fsettings%2Fnotifications");
  // Every group shown has a "delivery.SLUG" radio group, and every kind a
  // checkbox named "email": a kind left out was unticked.
  app::SettingsChange change;
  FormState state;
  bool email_seen[kNotificationKinds.size()] = {};
  for (const auto& [name, value] : c.form) {
    if (name.starts_with("delivery.")) {
      std::string slug = name.substr(9);
      std::optional<Delivery> d = ParseDelivery(value);
      if (!d) {
        state.group_errors[slug] = "Choose how you hear from this group.";
      } else {
        change.groups.emplace_back(slug, *d);
      }
    } else if (name == "email") {
      std::optional<NotificationKind> k = NotificationKindNamed(value);
      if (!k) {
        state.email_error = "Choose only from the kinds of email listed.";
      } else {
        email_seen[static_cast<size_t>(*k)] = true;
      }
    }
  }
  for (NotificationKind k : kNotificationKinds) {
    change.email.emplace_back(k, email_seen[static_cast<size_t>(k)]);
  }
  // The form always has the field; "" means the association's zone.
  std::string zone = std::string(text::Trim(c.Field("time_zone")));
  if (zone.size() > 64) {
    state.time_zone_error = "Choose a time zone by its name, such as America/Chicago.";
  } else {
    change.time_zone = zone;
  }
  if (state.group_errors.empty() && state.email_error.empty() && state.time_zone_error.empty()) {
    auto saved = delivery_.Update(c.viewer, change);
    if (saved.ok()) return Redirect(std::string(kPath) + "?notice=notification_settings_saved");
    const Error& e = saved.error();
    if (e.field == "time_zone") {
      state.time_zone_error = e.message;
    } else if (e.kind != ErrorKind::kRuleBroken && e.kind != ErrorKind::kNotFound) {
      return Fail(c, e);
    }
    // A group left (or hidden) since the form was shown: say so, and show
    // the settings as they are now.
    if (e.field == "time_zone") {
      // Shown beside the field.
    } else if (e.field.starts_with("groups.")) {
      state.general_error = e.kind == ErrorKind::kNotFound
                                ? "One of the groups on this page no longer exists for you. "
                                  "Check the settings below and save again."
                                : e.message;
    } else {
      state.general_error = e.message;
    }
  }
  auto s = delivery_.Get(c.viewer);
  if (!s.ok()) return Fail(c, s.error());
  // Keep what the person chose where it was valid, so nothing is lost.
  for (store::GroupDelivery& g : s->groups) {
    for (const auto& [slug, d] : change.groups) {
      if (slug == g.group.slug) g.delivery = d;
    }
  }
  for (const auto& [k, on] : change.email) s->email.set(k, on);
  if (change.time_zone) s->time_zone = *change.time_zone;
  // The message of an error on a group the person is no longer in names
  // no fieldset; show it at the top.
  for (auto it = state.group_errors.begin(); it != state.group_errors.end();) {
    bool shown = false;
    for (const store::GroupDelivery& g : s->groups) shown |= g.group.slug == it->first;
    if (!shown) {
      state.general_error = it->second;
      it = state.group_errors.erase(it);
    } else {
      ++it;
    }
  }
  return Page(c, 400, "Error: Notification settings",
              Templates::Fragment("notification_settings", SettingsData(c, *s, state)));
}

namespace {

// The group settings page's data; `error` goes beside the choices.
Data GroupSettingsData(const RequestContext& c, const app::GroupView& g, Delivery chosen,
                       const std::string& error) {
  Data d;
  d["slug"] = g.listing.group.slug;
  d["name"] = g.listing.group.name;
  d["csrf"] = c.Csrf();
  Data choices = Data::List(std::size(kChoices));
  for (const Choice& ch : kChoices) {
    Data& cd = choices.AppendObject();
    cd["value"] = Data::Borrow(ToString(ch.delivery));
    cd["label"] = Data::Borrow(ch.label);
    if (ch.delivery == chosen) cd["checked"] = true;
  }
  d["choices"] = std::move(choices);
  if (g.joined_via_invitation) {
    d["invitations_joined"] =
        CountText(*g.joined_via_invitation, "member", "members") + " joined through invitations.";
  }
  if (!error.empty()) {
    d["delivery_error"] = error;
    Data errors = Data::List(1);
    Data& e = errors.AppendObject();
    e["message"] = error;
    e["href"] = "#default-delivery-" + std::string(ToString(kChoices[0].delivery));
    d["has_errors"] = true;
    d["errors"] = std::move(errors);
  }
  return d;
}

}  // namespace

http::Response WebApp::GroupSettingsPage(RequestContext& c) {
  std::string slug(c.req.Param("slug"));
  if (!c.session) return Redirect("/signin?next=" + text::PercentEncode(c.req.target));
  auto g = groups_.Settings(c.viewer, slug);
  if (!g.ok()) return Fail(c, g.error());
  return Page(c, 200, "Settings — " + g->listing.group.name,
              Templates::Fragment("group_settings",
                                  GroupSettingsData(c, *g, g->listing.group.default_delivery, "")));
}

http::Response WebApp::GroupSettingsForm(RequestContext& c) {
  std::string slug(c.req.Param("slug"));
  if (!c.session) return Redirect("/signin?next=" + text::PercentEncode(c.req.target));
  std::optional<Delivery> chosen = ParseDelivery(c.Field("default_delivery"));
  if (chosen) {
    auto saved = groups_.SetDefaultDelivery(c.viewer, slug, *chosen);
    if (!saved.ok()) return Fail(c, saved.error());
    return Redirect("/groups/" + slug + "/settings?notice=group_settings_saved");
  }
  auto g = groups_.Settings(c.viewer, slug);
  if (!g.ok()) return Fail(c, g.error());
  return Page(c, 400, "Error: Settings — " + g->listing.group.name,
              Templates::Fragment("group_settings",
                                  GroupSettingsData(c, *g, g->listing.group.default_delivery,
                                                    "Choose how people who join get email.")));
}

void WebApp::AddDeliveryLine(const RequestContext& c, const app::GroupView& g, Data& d) {
  if (!g.is_member()) return;
  auto delivery = delivery_.DeliveryIn(c.viewer, g.listing.group.id);
  // The line is a convenience: a failed read leaves it out rather than
  // failing the whole group page.
  if (!delivery.ok() || !*delivery) return;
  for (const Choice& ch : kChoices) {
    if (ch.delivery == **delivery) d["delivery_text"] = Data::Borrow(ch.sentence);
  }
}

}  // namespace rt::web
