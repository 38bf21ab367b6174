#ifndef RT_APP_DISCUSSIONS_H_
#define RT_APP_DISCUSSIONS_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "app/context.h"
#include "app/group_access.h"
#include "app/groups.h"
#include "store/store.h"

namespace rt::app {

// A group's thread list for one viewer. `threads` is empty and
// content_visible false when the viewer may see the group but not its
// discussions (members-only content): the group page still shows the way in.
struct ThreadsPage {
  GroupView group;
  bool content_visible = false;
  std::vector<store::ThreadListing> threads;
  std::optional<store::ThreadCursor> next;
  policy::Decision can_post;
  std::string post_refusal;  // plain words when can_post is denied
  bool can_filter_consent = false;
};

// One post as a viewer sees it, with what they may do to it. `view`
// points into the ThreadPage's `contents`, which keeps it alive.
struct PostItem {
  const store::PostView* view = nullptr;
  bool can_edit = false;
  bool can_delete = false;
  bool can_recommend = false;
  bool recommended = false;  // by the viewer
  bool can_accept = false;
};

struct ThreadPage {
  // What every viewer of this page shares (possibly with other requests);
  // the PostItems point into it.
  std::shared_ptr<const store::ThreadContents> contents;
  GroupView group;
  store::ThreadListing thread;
  PostItem opening;                 // the first post
  std::optional<PostItem> answer;   // the accepted answer, shown first
  std::vector<PostItem> replies;    // this page of replies, oldest first
  std::optional<PostId> next;       // cursor for the next page of replies
  bool first_page = true;
  policy::Decision can_reply;
  std::string reply_refusal;
  bool can_moderate = false;
  bool can_follow = false;
  bool following = false;
  // Shown to the asker of an answered question: the people who replied,
  // to follow up with privately.
  std::vector<store::PostView> follow_up;
};

// Resources a new post attaches (migration 021): resources of the
// thread's group's library, and at most one shared with the post, in the
// same transaction, by ResourcesService.
struct Attachments {
  std::vector<ResourceId> resource_ids;  // in the poster's order
  // Shares a new resource in the group inside the post's transaction, after
  // the permission and idempotency checks, and returns its id: the post and
  // the resource commit together or not at all. Empty: nothing to share.
  std::function<Result<ResourceId>(store::Store& db, const GroupAccess& g)> share;
  // What identifies the resource to share in the request's idempotency
  // fingerprint (its content's hash and its title).
  std::string share_fingerprint;

  size_t count() const { return resource_ids.size() + (share ? 1 : 0); }
};

// How many resources one post may attach.
inline constexpr size_t kMaxAttachments = 5;

struct NewThread {
  std::string kind;     // discussion | question | story
  std::string title;
  std::string body;
  std::string consent;  // stories: group_only | staff_advocacy | public
  Attachments attach;   // for the opening post
};

// What a create call produced; a retried call with the same idempotency
// key returns the first call's ids with replayed = true.
struct Created {
  ThreadId thread;
  PostId post;
  bool replayed = false;
};

// Outbox kind of the event "a post was published": its notifications are
// written later by FanOutPost (see jobs::OutboxRunner). Payload
// {"post_id":N}; dedupe key "post_fanout:<post id>".
inline constexpr char kPostFanoutKind[] = "post_fanout";

// Who hears about one post in-app (FanOutPost writes their notifications,
// and mail about the post starts from the same people).
struct PostAudience {
  store::PostView post;
  store::ThreadListing thread;
  Group group;
  // One kind per person; never the author; in members-only groups only the
  // group's members at the time it was read.
  std::unordered_map<AccountId, NotificationKind> notified;
};

// Outbox kind of "mail about a post is to be composed": queued by
// FanOutPost (one row per post, so the fan-out stays cheap), expanded into
// one mail per recipient by ThreadMail::QueuePostMail in the mail sender.
// Payload {"post_id":N}; dedupe key "post_mail:<post id>".
inline constexpr char kPostMailKind[] = "post_mail";

// The payload of kPostFanoutKind and kPostMailKind rows, {"post_id":N},
// and back (an invalid id for anything else).
std::string PostEventPayload(PostId post);
PostId PostIdOfPayload(std::string_view payload);

// Discussions use cases. Thread-safe.
class DiscussionsService {
 public:
  explicit DiscussionsService(const AppContext& ctx) : ctx_(ctx) {}

  static constexpr int kThreadsPageSize = 25;
  static constexpr int kPostsPageSize = 30;

  // Errors: kNotFound "group_not_found".
  Result<ThreadsPage> ListThreads(const Viewer& viewer, const std::string& slug,
                                  const store::ThreadFilter& filter,
                                  const std::optional<store::ThreadCursor>& after);

  // Starts a thread. `idempotency_key` may be empty. Errors: kInvalidInput /
  // kTooLarge naming the field; refusals of CanPost; for `in.attach`,
  // kRuleBroken "too_many_attachments" (over kMaxAttachments) and
  // "resource_not_attachable" (not a resource of this group the poster may
  // see), field "resource_ids", and the errors of its `share`. Notifications (for
  // @mentions) come later: the transaction queues a kPostFanoutKind outbox
  // row, and the context's outbox signal is notified once it commits.
  Result<Created> StartThread(const Viewer& viewer, const std::string& slug, const NewThread& in,
                              PostVia via, const std::string& idempotency_key);

  // A thread with a page of replies after `after` (from the start when
  // invalid). Errors: kNotFound "not_found" (missing or hidden).
  Result<ThreadPage> GetThread(const Viewer& viewer, ThreadId id, PostId after);

  // Replies to the thread, or to `reply_to` (a post in the same thread).
  // Notifications follow asynchronously, as for StartThread.
  // Errors: field errors; kNotFound; kRuleBroken "thread_locked"; refusals.
  Result<Created> Reply(const Viewer& viewer, ThreadId thread, const std::string& body,
                        PostId reply_to, PostVia via, const std::string& idempotency_key);
  // The same, attaching `attach` to the reply (errors as StartThread's).
  Result<Created> Reply(const Viewer& viewer, ThreadId thread, const std::string& body,
                        PostId reply_to, PostVia via, const std::string& idempotency_key,
                        const Attachments& attach);

  // A post by id, for the viewer (for edit forms, quotes and links).
  Result<store::PostView> GetPost(const Viewer& viewer, PostId id);

  Result<store::PostView> EditPost(const Viewer& viewer, PostId id, const std::string& body);
  Status DeletePost(const Viewer& viewer, PostId id);
  Result<std::vector<store::PostRevision>> Revisions(const Viewer& viewer, PostId id);

  // Marks `post` as the answer to `thread` and notifies its author.
  Status AcceptAnswer(const Viewer& viewer, ThreadId thread, PostId post);
  Status SetPinned(const Viewer& viewer, ThreadId thread, bool pinned);
  Status SetLocked(const Viewer& viewer, ThreadId thread, bool locked);

  // Returns the post's new recommendation count.
  Result<int64_t> Recommend(const Viewer& viewer, PostId post, bool on);
  Result<std::vector<store::RecommendedPost>> MostRecommended(const Viewer& viewer,
                                                              const std::string& slug);
  Status Follow(const Viewer& viewer, ThreadId thread, bool on);

  // Writes the notifications for post `post`: followers of its thread and
  // the author of the post it replies to (for replies), and @mentioned
  // members of the group; never its author; for members-only groups only
  // the group's members at the time of this call. Returns how many were
  // written: 0 when the post was deleted or its thread or group is gone.
  // Must run inside a transaction on `db` (the caller marks its outbox row
  // sent in the same one). Errors: only the store's.
  // It also queues the post's kPostMailKind row.
  Result<int> FanOutPost(store::Store& db, PostId post);

  // The post with its thread, group and notification recipients; nullopt
  // when the post was deleted or its thread or group is gone. Errors: only
  // the store's.
  Result<std::optional<PostAudience>> Audience(store::Store& db, PostId post);

  // Re-renders every post whose stored HTML came from an older Markdown
  // renderer (run at start-up). Returns how many posts were re-rendered.
  Result<int> RerenderStale();

 private:
  struct ThreadAccess;
  Result<ThreadAccess> LoadThread(store::Store& db, const Viewer& viewer, ThreadId id);
  struct PostAccess;
  Result<PostAccess> LoadPost(store::Store& db, const Viewer& viewer, PostId id);
  // Checks and writes what post `post` attaches, inside its transaction.
  Status WriteAttachments(store::Store& db, const GroupAccess& g, PostId post, ThreadId thread,
                          const Attachments& attach);
  // Queues the kPostFanoutKind row for `post` (inside the caller's
  // transaction).
  Status QueueFanOut(store::Store& db, PostId post, TimePoint now);

  const AppContext& ctx_;
};

// Renders Markdown for a preview (no storage). Errors: field errors.
Result<std::string> PreviewMarkdown(const std::string& body);

}  // namespace rt::app

#endif  // RT_APP_DISCUSSIONS_H_
