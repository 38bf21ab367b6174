#include "web/json/shapes.h"

#include "app/association_settings.h"
#include "domain/discussions/markdown.h"

namespace rt::web::json {

nlohmann::json AccountJson(const Account& a, bool private_fields) {
  nlohmann::json j = {{"id", a.id.value},
                      {"name", a.name},
                      {"job_title", a.job_title},
                      {"organisation", a.organisation},
                      {"location", a.location}};
  if (private_fields) {
    j["email"] = a.email;
    j["is_admin"] = a.is_admin;
    j["mail_paused"] =
        a.mail_paused()
            ? nlohmann::json{{"since", FormatIsoTime(*a.mail_paused_at)},
                             {"reason", a.mail_pause_reason}}
            : nlohmann::json();
    j["email_verified"] = a.email_verified();
  }
  return j;
}

nlohmann::json GroupJson(const app::GroupView& g) {
  const Group& grp = g.listing.group;
  nlohmann::json liaison = nullptr;
  if (g.listing.liaison) {
    liaison = {{"name", g.listing.liaison->name},
               {"title", g.listing.liaison->job_title}};
  }
  bool member = g.is_member();
  nlohmann::json out = {{"slug", grp.slug},
          {"name", grp.name},
          {"summary", grp.summary},
          {"description", grp.description},
          {"join_policy", ToString(grp.join_policy)},
          {"visibility", ToString(grp.visibility)},
          {"default_delivery", ToString(grp.default_delivery)},
          {"member_count", g.listing.member_count},
          {"liaison", liaison},
          {"viewer",
           {{"is_member", member},
            {"role", ToString(g.viewer_role)},
            {"can_join", g.join.allowed && !member},
            {"can_leave", g.leave.allowed},
            {"can_manage", g.manage.allowed},
            {"can_invite", g.invite.allowed},
            {"can_send_feedback", g.send_feedback.allowed},
            {"can_manage_feedback", g.manage_feedback.allowed},
            {"reason", g.join.reason},
            {"message", g.join_message}}}};
  // For the group's staff: members who came through invitations.
  if (g.joined_via_invitation) out["joined_via_invitation"] = *g.joined_via_invitation;
  return out;
}

nlohmann::json MemberJson(const store::MemberListing& m) {
  return {{"name", m.account.name},
          {"job_title", m.account.job_title},
          {"organisation", m.account.organisation},
          {"location", m.account.location},
          {"role", ToString(m.role)},
          {"joined_at", FormatIsoTime(m.joined_at)}};
}

namespace {
nlohmann::json IdOrNull(int64_t id) {
  return id > 0 ? nlohmann::json(id) : nlohmann::json(nullptr);
}
nlohmann::json Person(AccountId id, const std::string& name) {
  return {{"id", id.value}, {"name", name}};
}
}  // namespace

nlohmann::json ThreadJson(const store::ThreadListing& l) {
  const Thread& t = l.thread;
  nlohmann::json j = {{"id", t.id.value},
                      {"group", l.group_slug},
                      {"kind", ToString(t.kind)},
                      {"title", t.title},
                      {"author", Person(t.author_id, l.author_name)},
                      {"pinned", t.pinned},
                      {"locked", t.locked},
                      {"answered", t.answered()},
                      {"accepted_post_id", IdOrNull(t.accepted_post_id.value)},
                      {"reply_count", t.reply_count},
                      {"first_post_id", t.first_post_id.value},
                      {"created_at", FormatIsoTime(t.created_at)},
                      {"last_activity_at", FormatIsoTime(t.last_activity_at)}};
  j["consent"] = t.kind == ThreadKind::kStory
                     ? nlohmann::json(ToString(t.consent))
                     : nlohmann::json(nullptr);
  return j;
}

nlohmann::json PostJson(const store::PostView& v) {
  const Post& p = v.post;
  // Members are emplaced: the initializer-list form builds a two-element
  // array per member and copies each value twice, and post bodies are long
  // (this was most of a JSON thread's cost).
  nlohmann::json::object_t o;
  o.emplace("id", p.id.value);
  o.emplace("thread_id", p.thread_id.value);
  o.emplace("author", Person(p.author_id, v.author_name));
  o.emplace("body", p.deleted ? std::string() : p.body_source);
  o.emplace("body_html", p.deleted ? std::string() : p.body_html);
  o.emplace("reply_to", IdOrNull(p.reply_to.value));
  o.emplace("reply_to_author", v.reply_to_author.empty()
                                   ? nlohmann::json(nullptr)
                                   : nlohmann::json(v.reply_to_author));
  o.emplace("recommend_count", p.recommend_count);
  o.emplace("created_at", FormatIsoTime(p.created_at));
  o.emplace("edited_at", p.edited_at
                             ? nlohmann::json(FormatIsoTime(*p.edited_at))
                             : nlohmann::json(nullptr));
  o.emplace("deleted", p.deleted);
  nlohmann::json::array_t attachments;
  if (!p.deleted) {
    for (const store::PostAttachment& a : v.attachments) {
      const std::string id = std::to_string(a.id.value);
      const bool file = a.kind == ResourceKind::kFile;
      attachments.push_back(
          {{"id", a.id.value},
           {"kind", ToString(a.kind)},
           {"title", a.title},
           {"type", file ? nlohmann::json(a.file_type) : nlohmann::json(nullptr)},
           {"size", file ? nlohmann::json(a.file_size) : nlohmann::json(nullptr)},
           {"url", file ? nlohmann::json(nullptr) : nlohmann::json(a.url)},
           {"page_url", "/resources/" + id},
           {"download_url",
            file ? nlohmann::json("/api/v1/resources/" + id + "/file") : nlohmann::json(nullptr)}});
    }
  }
  o.emplace("attachments", std::move(attachments));
  return nlohmann::json(std::move(o));
}

nlohmann::json PostItemJson(const app::PostItem& p) {
  nlohmann::json j = PostJson(*p.view);
  nlohmann::json::object_t viewer;
  viewer.emplace("can_edit", p.can_edit);
  viewer.emplace("can_delete", p.can_delete);
  viewer.emplace("can_recommend", p.can_recommend);
  viewer.emplace("recommended", p.recommended);
  viewer.emplace("can_accept", p.can_accept);
  j.get_ref<nlohmann::json::object_t&>().emplace("viewer", std::move(viewer));
  return j;
}

nlohmann::json ConversationJson(const store::ConversationView& c) {
  return {{"id", c.conversation.id.value},
          {"with", Person(c.other_id, c.other_name)},
          {"unread", c.unread},
          {"last_snippet", c.last_snippet},
          {"last_message_at", FormatIsoTime(c.conversation.last_message_at)}};
}

nlohmann::json MessageJson(const store::MessageView& m) {
  return {{"id", m.message.id.value},
          {"author", Person(m.message.author_id, m.author_name)},
          {"body", m.message.body_source},
          {"body_html", m.message.body_html},
          {"about_post", IdOrNull(m.message.about_post.value)},
          {"created_at", FormatIsoTime(m.message.created_at)}};
}

nlohmann::json NotificationJson(const store::NotificationView& v) {
  const Notification& n = v.notification;
  return {
      {"id", n.id.value},
      {"kind", ToString(n.kind)},
      {"read", n.read},
      {"actor", Person(n.actor_id, v.actor_name)},
      {"thread_id", IdOrNull(n.thread_id.value)},
      {"thread_title", v.thread_title.empty() ? nlohmann::json(nullptr)
                                              : nlohmann::json(v.thread_title)},
      {"post_id", IdOrNull(n.post_id.value)},
      {"conversation_id", IdOrNull(n.conversation_id.value)},
      {"feedback_id", IdOrNull(n.feedback_id.value)},
      {"created_at", FormatIsoTime(n.created_at)}};
}

nlohmann::json FeedbackJson(const store::FeedbackView& v) {
  const Feedback& f = v.feedback;
  return {{"id", f.id.value},
          {"group", v.group_slug},
          {"category", ToString(f.category)},
          {"status", ToString(f.status)},
          {"body", f.body},
          {"author", Person(f.author_id, v.author_name)},
          {"liaison", f.liaison_id.valid() ? Person(f.liaison_id, v.liaison_name)
                                           : nlohmann::json(nullptr)},
          {"quote_consent", f.quote_consent},
          {"reply_count", v.reply_count},
          {"summary_thread_id", IdOrNull(f.summary_thread.value)},
          {"created_at", FormatIsoTime(f.created_at)},
          {"updated_at", FormatIsoTime(f.updated_at)}};
}

nlohmann::json FeedbackReplyJson(const store::FeedbackReplyView& r) {
  return {{"id", r.reply.id.value},
          {"author", Person(r.reply.author_id, r.author_name)},
          {"body", r.reply.body},
          {"body_html", markdown::Render(r.reply.body)},
          {"created_at", FormatIsoTime(r.reply.created_at)}};
}

nlohmann::json MembershipJson(const store::GroupDelivery& m) {
  return {{"group", m.group.slug},
          {"role", ToString(m.role)},
          {"delivery", ToString(m.delivery)}};
}

nlohmann::json NotificationSettingsJson(const app::NotificationSettings& s) {
  nlohmann::json groups = nlohmann::json::array();
  for (const store::GroupDelivery& g : s.groups) {
    groups.push_back({{"slug", g.group.slug},
                      {"name", g.group.name},
                      {"delivery", ToString(g.delivery)}});
  }
  nlohmann::json email = nlohmann::json::object();
  for (NotificationKind k : kNotificationKinds)
    email[std::string(ToString(k))] = s.email.enabled(k);
  return {{"groups", std::move(groups)},
          {"email", std::move(email)},
          {"time_zone", s.time_zone},
          {"association_time_zone", s.association_time_zone}};
}

nlohmann::json DigestScheduleJson(const store::DigestSchedule& s) {
  return {{"hour", s.hour},
          {"weekday", app::WeekdayName(s.weekday)},
          {"time_zone", s.time_zone}};
}

}  // namespace rt::web::json
