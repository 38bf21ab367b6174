#ifndef RT_APP_CONVERSATIONS_H_
#define RT_APP_CONVERSATIONS_H_

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "store/store.h"

namespace rt::app {

struct ConversationPage {
  store::ConversationView conversation;  // as the viewer sees it
  std::vector<store::MessageView> messages;
  std::optional<MessageId> next;
  // The post the conversation was started from, when the first message
  // links one, for context ("About your reply in …").
  std::optional<store::PostView> about;
  std::string about_thread_title;
};

struct StartConversation {
  PostId post;         // follow up on this post's author, or
  AccountId account;   // write to this account directly
  std::string body;
};

// Private follow-up conversations. Only the two participants can read one;
// for everyone else it does not exist (kNotFound). Thread-safe.
class ConversationsService {
 public:
  explicit ConversationsService(const AppContext& ctx) : ctx_(ctx) {}
  static constexpr int kInboxSize = 100;
  static constexpr int kMessagesPageSize = 50;

  Result<std::vector<store::ConversationView>> Inbox(const Viewer& viewer);

  // Starts, or continues, the conversation with the post's author (who must
  // be someone else and whose post the viewer can read) or with an account.
  // Errors: kUnauthenticated; kNotFound; kRuleBroken "cannot_message_self";
  // field errors for the body.
  Result<ConversationId> Start(const Viewer& viewer, const StartConversation& in,
                               const std::string& idempotency_key);

  // Reads a page of messages and marks the conversation read.
  Result<ConversationPage> Get(const Viewer& viewer, ConversationId id, MessageId after);

  Result<store::MessageView> Send(const Viewer& viewer, ConversationId id,
                                  const std::string& body);

 private:
  Result<store::MessageView> Append(store::Store& db, const Account& author,
                                    const Conversation& c, PostId about,
                                    const std::string& body);
  const AppContext& ctx_;
};

// In-app notifications. Thread-safe.
class NotificationsService {
 public:
  explicit NotificationsService(const AppContext& ctx) : ctx_(ctx) {}
  static constexpr int kPageSize = 50;

  // Newest first, before `before` (from the newest when invalid).
  Result<std::vector<store::NotificationView>> List(const Viewer& viewer, NotificationId before);
  Result<int64_t> UnreadCount(const Viewer& viewer);
  // The unread count as the site's header shows it: "" for none, the
  // number up to kMaxBadge, then "99+". Reads at most kMaxBadge + 1 rows.
  static constexpr int64_t kMaxBadge = 99;
  Result<std::string> UnreadBadge(const Viewer& viewer);
  // Marks everything up to `upto` (all when invalid) as read.
  Status MarkRead(const Viewer& viewer, NotificationId upto);

 private:
  const AppContext& ctx_;
};

}  // namespace rt::app

#endif  // RT_APP_CONVERSATIONS_H_
