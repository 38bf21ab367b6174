#ifndef RT_STORE_DISCUSSIONS_H_
#define RT_STORE_DISCUSSIONS_H_

#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/date.h"
#include "core/ids.h"
#include "core/result.h"
#include "domain/discussions/conversation.h"
#include "domain/discussions/thread.h"
#include "domain/resources/resource.h"

// Repository interfaces for discussions, private conversations and
// notifications. Same error contract as store.h: kUnavailable
// "database_unavailable" and kInternal may come from any method.
namespace rt::store {

// A thread as lists show it.
struct ThreadListing {
  Thread thread;
  std::string author_name;
  std::string group_slug;
};

// Which threads a list shows.
struct ThreadFilter {
  std::optional<ThreadKind> kind;
  bool unanswered = false;  // questions without an accepted answer only
  std::optional<StoryConsent> consent;  // stories with this consent only
};

// Keyset position in a thread list ordered by (pinned DESC,
// last_activity_at DESC, id DESC): the last row of the previous page.
struct ThreadCursor {
  bool pinned = false;
  int64_t last_activity = 0;  // unix seconds
  ThreadId id;
};

// The versions a shared read was filed under (migrations 005 and 007):
// equal versions mean equal data. `content` is the thread's (or the
// group's thread list's) own version; 0 means "not shared" (read inside a
// transaction, or by an engine that keeps no versions).
struct ContentVersion {
  int64_t content = 0;
  int64_t accounts = 0;  // names and job titles shown beside content
  int64_t groups = 0;    // group slugs
  bool valid() const { return content != 0; }
  friend bool operator==(const ContentVersion&, const ContentVersion&) = default;
};

// What a page of a thread shows to every viewer alike; the viewer's rights
// and recommendations are read apart. Immutable once returned.
struct ThreadContents;

class ThreadRepository {
 public:
  virtual ~ThreadRepository() = default;
  // Inserts the thread and its first post (thread.first_post_id and the
  // post's thread_id are filled in). Returns both with their ids. Must run
  // inside a transaction.
  virtual Result<std::pair<Thread, Post>> Create(const Thread& thread, const Post& first) = 0;
  virtual Result<std::optional<ThreadListing>> Find(ThreadId id) = 0;
  // Up to `limit` threads of the group after `cursor`, in list order.
  virtual Result<std::vector<ThreadListing>> List(GroupId group, const ThreadFilter& filter,
                                                  const std::optional<ThreadCursor>& cursor,
                                                  int limit) = 0;
  // The thread with up to `limit` posts with id > `after`, its opening post
  // and accepted answer: what every viewer of that page shares. nullptr
  // when there is no such thread. May be shared with other callers (and
  // other threads) from a process-wide cache: the value never changes, and
  // it carries the versions it was read under.
  virtual Result<std::shared_ptr<const ThreadContents>> Contents(ThreadId id, PostId after,
                                                                 int limit) = 0;
  virtual Status SetPinned(ThreadId id, bool pinned) = 0;
  virtual Status SetLocked(ThreadId id, bool locked) = 0;
  // Sets (or clears with an invalid id) the accepted answer.
  virtual Status SetAcceptedPost(ThreadId id, PostId post) = 0;
  virtual Status SetConsent(ThreadId id, StoryConsent consent) = 0;
};

// A resource of the group's library attached to a post, as the post shows
// it (migration 021).
struct PostAttachment {
  ResourceId id;
  ResourceKind kind = ResourceKind::kLink;
  std::string title;
  std::string file_type;  // files
  int64_t file_size = 0;  // files
  std::string url;        // links
};

// A post with what the thread page shows beside it.
struct PostView {
  Post post;
  std::string author_name;
  std::string author_title;  // job title
  std::string reply_to_author;  // name of the author of post.reply_to, if any
  // Filled by ThreadRepository::Contents (in the order the poster chose);
  // empty from the other reads.
  std::vector<PostAttachment> attachments;
};

struct ThreadContents {
  ThreadListing listing;
  // As PostRepository::ListForThread(listing.thread.id, after, limit).
  std::vector<PostView> posts;
  // The opening post when it is not posts.front() (nullopt when it is, or
  // when it is missing).
  std::optional<PostView> opening;
  // The accepted answer, when the thread has one.
  std::optional<PostView> answer;
  // What it was read under; invalid when read inside a transaction.
  ContentVersion version;
};

struct PostRevision {
  std::string body_source;
  std::string body_html;
  TimePoint replaced_at;  // when this text stopped being current
};

// A post with its thread and group, for "most recommended".
struct RecommendedPost {
  PostView view;
  std::string thread_title;
};

class PostRepository {
 public:
  virtual ~PostRepository() = default;
  // Inserts a reply; updates its thread's reply_count and last_activity_at.
  virtual Result<Post> Create(const Post& post) = 0;
  virtual Result<std::optional<PostView>> Find(PostId id) = 0;
  // Up to `limit` posts of the thread with id > `after` (all when invalid),
  // oldest first. Deleted posts are included (the page shows a placeholder).
  virtual Result<std::vector<PostView>> ListForThread(ThreadId thread, PostId after,
                                                      int limit) = 0;
  // Replaces the text, keeping the old text as a revision; sets edited_at.
  virtual Status Edit(PostId id, const std::string& source, const std::string& html,
                      int render_version, TimePoint now) = 0;
  virtual Result<std::vector<PostRevision>> Revisions(PostId id) = 0;
  // Marks deleted (the text stays for the audit trail but is never shown);
  // updates the thread's reply_count.
  virtual Status SoftDelete(PostId id, TimePoint now) = 0;
  // Posts whose html came from an older renderer, for re-rendering.
  virtual Result<std::vector<Post>> ListStale(int current_version, int limit) = 0;
  virtual Status SetRendered(PostId id, const std::string& html, int render_version) = 0;
  // Returns true when added (false: already recommended by this account).
  virtual Result<bool> Recommend(PostId id, AccountId account, TimePoint now) = 0;
  // Returns true when removed.
  virtual Result<bool> Unrecommend(PostId id, AccountId account) = 0;
  // Which of `posts` the account has recommended (one query).
  virtual Result<std::unordered_set<int64_t>> RecommendedBy(AccountId account,
                                                            const std::vector<PostId>& posts) = 0;
  // The group's most recommended visible posts (count > 0), best first.
  virtual Result<std::vector<RecommendedPost>> MostRecommended(GroupId group, int limit) = 0;
  // Distinct authors of visible replies in the thread (for follow-ups).
  virtual Result<std::vector<AccountId>> ReplyAuthors(ThreadId thread) = 0;
};

class FollowRepository {
 public:
  virtual ~FollowRepository() = default;
  // Idempotent.
  virtual Status Follow(ThreadId thread, AccountId account, TimePoint now) = 0;
  virtual Status Unfollow(ThreadId thread, AccountId account) = 0;
  virtual Result<bool> IsFollowing(ThreadId thread, AccountId account) = 0;
  virtual Result<std::vector<AccountId>> Followers(ThreadId thread) = 0;
};

// A notification as the notifications page shows it.
struct NotificationView {
  Notification notification;
  std::string actor_name;
  std::string thread_title;
  // kFeedback: the group the feedback went to, and who sent it.
  std::string feedback_group;
  AccountId feedback_author;
};

class NotificationRepository {
 public:
  virtual ~NotificationRepository() = default;
  // Inserts the notification and, in the same transaction (the caller's),
  // an outbox row of kind "notification" with dedupe key
  // "notification:<id>" so email delivery can attach later. For the
  // one-recipient notifications (private message, accepted answer).
  virtual Result<Notification> Create(const Notification& n) = 0;
  // Inserts many notifications at once (a reply in a long thread notifies
  // hundreds of followers): one statement per run of consecutive
  // notifications that differ only in recipient, so callers should group
  // their batch by kind. Ids are consecutive, in input order. Writes no
  // outbox row per notification: the caller's own outbox row (a reply's
  // "post_fanout") is the event that mail delivery expands.
  virtual Status CreateMany(const std::vector<Notification>& ns) = 0;
  // Newest first, ids below `before` (all when invalid).
  virtual Result<std::vector<NotificationView>> List(AccountId account, NotificationId before,
                                                     int limit) = 0;
  virtual Result<int64_t> UnreadCount(AccountId account) = 0;
  // min(UnreadCount, cap): counting stops at `cap`, so a badge costs the
  // same for someone with thousands unread.
  virtual Result<int64_t> UnreadCountUpTo(AccountId account, int64_t cap) = 0;
  // Marks the account's notifications up to and including `upto` as read
  // (all when invalid).
  virtual Status MarkRead(AccountId account, NotificationId upto) = 0;
};

// One row of the outbox: work for later, written in the same transaction as
// the change that caused it.
struct OutboxItem {
  int64_t id = 0;
  std::string kind;
  std::string dedupe_key;
  std::string payload;  // JSON object
  int attempts = 0;     // failed attempts so far
  TimePoint created_at;
  TimePoint next_attempt_at;
};

// The outbox as a work queue. A row is pending until it is marked sent or
// given up; a runner marks it sent in the same transaction as the work it
// stands for, so a crash never loses nor repeats that work.
class OutboxRepository {
 public:
  virtual ~OutboxRepository() = default;
  // Queues a row due at `now`. Returns false (and changes nothing) when a
  // row with `dedupe_key` already exists, pending or not.
  virtual Result<bool> Enqueue(const std::string& kind, const std::string& dedupe_key,
                               const std::string& payload, TimePoint now) = 0;
  // Up to `limit` pending rows of `kind` due at `now` (next_attempt_at <=
  // now), oldest first. Reads only: another runner may take the same rows,
  // which is why MarkSent says who won.
  virtual Result<std::vector<OutboxItem>> Due(const std::string& kind, TimePoint now,
                                              int limit) = 0;
  // Marks row `id` sent at `now` if it is still pending. Returns false when
  // it is not (another runner finished it first, it was given up, or it does
  // not exist): the caller must then not do its work. Call it inside the
  // transaction that does the work.
  virtual Result<bool> MarkSent(int64_t id, TimePoint now) = 0;
  // Records a failed attempt: attempts + 1, the error code, and the next
  // attempt at `retry_at`; with `give_up` the row stops being due for good
  // (it stays for an operator to see).
  virtual Status MarkFailed(int64_t id, const std::string& error, TimePoint retry_at,
                            bool give_up) = 0;
  // Makes a row marked sent pending again (sent_at cleared), so that
  // MarkFailed can record a failed attempt on it: for work that is claimed
  // with MarkSent in a committed transaction before it is done (mail, whose
  // SMTP session must not run inside a transaction). Does nothing to a row
  // that is not marked sent.
  virtual Status Reopen(int64_t id) = 0;
  // Records `note` (in last_error) on a row without changing its state: why
  // a row marked sent did nothing (the recipient left the group), or what
  // the server answered.
  virtual Status Note(int64_t id, const std::string& note) = 0;
  // Pending rows of `kind`, due or not (for health checks and tests).
  virtual Result<int64_t> PendingCount(const std::string& kind) = 0;
};

// A conversation as the inbox shows it to one participant.
struct ConversationView {
  Conversation conversation;
  AccountId other_id;
  std::string other_name;
  int64_t unread = 0;
  std::string last_snippet;  // start of the last message's source
};

struct MessageView {
  Message message;
  std::string author_name;
};

class ConversationRepository {
 public:
  virtual ~ConversationRepository() = default;
  // The conversation between the two accounts, created when there is none.
  virtual Result<Conversation> FindOrCreate(AccountId x, AccountId y, TimePoint now) = 0;
  virtual Result<std::optional<Conversation>> Find(ConversationId id) = 0;
  // Appends a message; updates last_message_at.
  virtual Result<Message> AddMessage(const Message& m) = 0;
  // One conversation as `account` sees it (as an inbox row); nullopt when
  // it does not exist, has no messages, or the account is not in it.
  virtual Result<std::optional<ConversationView>> FindView(ConversationId id,
                                                           AccountId account) = 0;
  // The account's conversations, most recent first, with unread counts.
  virtual Result<std::vector<ConversationView>> Inbox(AccountId account, int limit) = 0;
  // Messages oldest first with id > `after`.
  virtual Result<std::vector<MessageView>> Messages(ConversationId id, MessageId after,
                                                    int limit) = 0;
  // Marks every message in the conversation read for the account.
  virtual Status MarkRead(ConversationId id, AccountId account, TimePoint now) = 0;
};

// A stored response to a POST that carried an Idempotency-Key.
struct IdempotentResponse {
  int status = 0;
  std::string body;
};

class IdempotencyRepository {
 public:
  virtual ~IdempotencyRepository() = default;
  virtual Result<std::optional<IdempotentResponse>> Find(AccountId account,
                                                         const std::string& key) = 0;
  // Stores the response (inside the transaction that did the work).
  virtual Status Save(AccountId account, const std::string& key,
                      const IdempotentResponse& response, TimePoint now) = 0;
};

}  // namespace rt::store

#endif  // RT_STORE_DISCUSSIONS_H_
