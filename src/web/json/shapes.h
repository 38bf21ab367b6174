#ifndef RT_WEB_JSON_SHAPES_H_
#define RT_WEB_JSON_SHAPES_H_

#include <nlohmann/json.hpp>

#include "app/conversations.h"
#include "app/delivery.h"
#include "app/discussions.h"
#include "app/groups.h"
#include "domain/accounts/account.h"
#include "store/store.h"

// The JSON shapes of /api/v1. Changing a field name breaks clients.
namespace rt::web::json {

// {"id","name","job_title","organisation","location"} plus "email",
// "is_admin" and "email_verified" when `private_fields` (the account's own
// view).
nlohmann::json AccountJson(const Account& a, bool private_fields);

// {"slug","name","summary","description","join_policy","visibility",
//  "member_count","liaison":{"name","title"}|null,
//  "viewer":{"is_member","role","can_join","can_leave","reason","message"}}
nlohmann::json GroupJson(const app::GroupView& g);

// {"name","job_title","organisation","location","role","joined_at"}
nlohmann::json MemberJson(const store::MemberListing& m);

// {"id","group","kind","title","author":{"id","name"},"pinned","locked",
//  "answered","accepted_post_id","consent","reply_count","first_post_id",
//  "created_at","last_activity_at"}
nlohmann::json ThreadJson(const store::ThreadListing& t);

// {"id","thread_id","author":{"id","name"},"body","body_html","reply_to",
//  "reply_to_author","recommend_count","created_at","edited_at","deleted",
//  "attachments":[{"id","kind","title","type","size","url","page_url",
//  "download_url"}]} (type, size and download_url for files, url for links,
//  else null). A deleted post keeps its place but loses its text and
//  attachments.
nlohmann::json PostJson(const store::PostView& p);
// PostJson plus "viewer":{"can_edit","can_delete","can_recommend",
// "recommended","can_accept"}.
nlohmann::json PostItemJson(const app::PostItem& p);

// {"id","with":{"id","name"},"unread","last_snippet","last_message_at"}
nlohmann::json ConversationJson(const store::ConversationView& c);
// {"id","author":{"id","name"},"body","body_html","about_post","created_at"}
nlohmann::json MessageJson(const store::MessageView& m);
// {"id","kind","read","actor":{"id","name"},"thread_id","thread_title",
//  "post_id","conversation_id","created_at"}
nlohmann::json NotificationJson(const store::NotificationView& n);

// {"group","role","delivery"}: one membership's email delivery.
// Feedback to a group's staff liaison (app/feedback.h); the body is the
// Markdown source, replies carry both source and rendering.
nlohmann::json FeedbackJson(const store::FeedbackView& v);
nlohmann::json FeedbackReplyJson(const store::FeedbackReplyView& r);

nlohmann::json MembershipJson(const store::GroupDelivery& m);
// {"groups":[{"slug","name","delivery"}],"email":{"reply","answer_accepted",
//  "private_message","mention"}} with true/false for each kind.
nlohmann::json NotificationSettingsJson(const app::NotificationSettings& s);
// {"hour":7,"weekday":"monday","time_zone":"America/Chicago"}: when digests
// go out (the weekday is for weekly ones).
nlohmann::json DigestScheduleJson(const store::DigestSchedule& s);

}  // namespace rt::web::json

#endif  // RT_WEB_JSON_SHAPES_H_
