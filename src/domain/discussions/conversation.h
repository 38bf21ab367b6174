#ifndef RT_DOMAIN_DISCUSSIONS_CONVERSATION_H_
#define RT_DOMAIN_DISCUSSIONS_CONVERSATION_H_

#include <string>
#include <string_view>

#include "core/date.h"
#include "core/ids.h"
#include "domain/feedback/feedback.h"

namespace rt {

// A private conversation between two accounts (following up on a post).
struct Conversation {
  ConversationId id;
  AccountId a;  // lower account id
  AccountId b;  // higher account id
  TimePoint created_at;
  TimePoint last_message_at;
};

struct Message {
  MessageId id;
  ConversationId conversation_id;
  AccountId author_id;
  PostId about_post;  // the post this message follows up on, if any
  std::string body_source;
  std::string body_html;
  TimePoint created_at;
};

// The values are in mailed unsubscribe links (app::MailTokens): add kinds at
// the end, never renumber. kFeedback: a reply on feedback to a group's
// liaison (to its author or the liaison), new feedback (to the liaison) or
// feedback handed to them. kCheckin: an outcome check-in is due (issue 7;
// email only, never an in-app notification).
enum class NotificationKind {
  kReply,
  kAnswerAccepted,
  kPrivateMessage,
  kMention,
  kFeedback,
  kCheckin
};
std::string_view ToString(NotificationKind k);

struct Notification {
  NotificationId id;
  AccountId account_id;  // who is told
  NotificationKind kind = NotificationKind::kReply;
  AccountId actor_id;    // who caused it
  ThreadId thread_id;
  PostId post_id;
  ConversationId conversation_id;
  FeedbackId feedback_id;  // kFeedback only
  bool read = false;
  TimePoint created_at;
};

}  // namespace rt

#endif  // RT_DOMAIN_DISCUSSIONS_CONVERSATION_H_
