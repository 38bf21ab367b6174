// Threads, posts and follows.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

#include "store/sqlite/content_cache.h"
#include "store/sqlite/sqlite_cache.h"
#include "store/sqlite/sqlite_resources.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_util.h"

#define RT_THREAD_COLUMNS                                                  \
  "t.id, t.group_id, t.author_id, t.kind, t.title, t.pinned, t.locked, "   \
  "t.first_post_id, t.accepted_post_id, t.consent, t.reply_count, "        \
  "t.created_at, t.last_activity_at"

#define RT_THREAD_LISTING_SELECT                     \
  "SELECT " RT_THREAD_COLUMNS                        \
  ", a.name, g.slug FROM threads t "                 \
  "JOIN accounts a ON a.id = t.author_id "           \
  "JOIN interest_groups g ON g.id = t.group_id "

#define RT_POST_COLUMNS_BEFORE_BODY "p.id, p.thread_id, p.author_id, p.reply_to, "
#define RT_POST_COLUMNS_AFTER_BODY                                       \
  ", p.render_version, p.via, p.deleted, p.recommend_count, p.created_at, " \
  "p.edited_at"

// Every column of a post, text included, for the re-renderer.
#define RT_POST_COLUMNS \
  RT_POST_COLUMNS_BEFORE_BODY "p.body_source, p.body_html" RT_POST_COLUMNS_AFTER_BODY

// What pages read. The text of a deleted post stays in the table for the
// audit trail but must never be shown, so views blank it here rather than
// trusting every template to check `deleted`.
#define RT_POST_VIEW_COLUMNS                                   \
  RT_POST_COLUMNS_BEFORE_BODY                                  \
  "CASE WHEN p.deleted = 1 THEN '' ELSE p.body_source END, "   \
  "CASE WHEN p.deleted = 1 THEN '' ELSE p.body_html END"       \
  RT_POST_COLUMNS_AFTER_BODY ", a.name, a.job_title, COALESCE(ra.name, '')"

#define RT_POST_VIEW_FROM                          \
  " FROM posts p "                                 \
  "JOIN accounts a ON a.id = p.author_id "         \
  "LEFT JOIN posts rp ON rp.id = p.reply_to "      \
  "LEFT JOIN accounts ra ON ra.id = rp.author_id "

#define RT_POST_VIEW_SELECT "SELECT " RT_POST_VIEW_COLUMNS RT_POST_VIEW_FROM

namespace rt::store::sqlite {

namespace {

constexpr int kThreadColumnCount = 13;
constexpr int kPostColumnCount = 12;
constexpr int kPostViewColumnCount = kPostColumnCount + 3;

std::optional<PostVia> ParsePostVia(std::string_view s) {
  if (s == "web") return PostVia::kWeb;
  if (s == "api") return PostVia::kApi;
  if (s == "email") return PostVia::kEmail;
  return std::nullopt;
}

Thread ReadThread(const SQLite::Statement& s) {
  Thread t;
  t.id = ReadId<ThreadId>(s, 0);
  t.group_id = ReadId<GroupId>(s, 1);
  t.author_id = ReadId<AccountId>(s, 2);
  t.kind = CheckedEnum(ParseThreadKind(s.getColumn(3).getString()));
  t.title = s.getColumn(4).getString();
  t.pinned = s.getColumn(5).getInt() != 0;
  t.locked = s.getColumn(6).getInt() != 0;
  t.first_post_id = ReadId<PostId>(s, 7);
  t.accepted_post_id = ReadId<PostId>(s, 8);
  t.consent = CheckedEnum(ParseStoryConsent(s.getColumn(9).getString()));
  t.reply_count = s.getColumn(10).getInt64();
  t.created_at = ReadTime(s, 11);
  t.last_activity_at = ReadTime(s, 12);
  return t;
}

ThreadListing ReadThreadListing(const SQLite::Statement& s) {
  ThreadListing l;
  l.thread = ReadThread(s);
  l.author_name = s.getColumn(kThreadColumnCount).getString();
  l.group_slug = s.getColumn(kThreadColumnCount + 1).getString();
  return l;
}

Post ReadPost(const SQLite::Statement& s, int first = 0) {
  Post p;
  p.id = ReadId<PostId>(s, first);
  p.thread_id = ReadId<ThreadId>(s, first + 1);
  p.author_id = ReadId<AccountId>(s, first + 2);
  p.reply_to = ReadId<PostId>(s, first + 3);
  p.body_source = s.getColumn(first + 4).getString();
  p.body_html = s.getColumn(first + 5).getString();
  p.render_version = s.getColumn(first + 6).getInt();
  p.via = CheckedEnum(ParsePostVia(s.getColumn(first + 7).getString()));
  p.deleted = s.getColumn(first + 8).getInt() != 0;
  p.recommend_count = s.getColumn(first + 9).getInt64();
  p.created_at = ReadTime(s, first + 10);
  if (!s.isColumnNull(first + 11)) p.edited_at = ReadTime(s, first + 11);
  return p;
}

PostView ReadPostView(const SQLite::Statement& s) {
  PostView v;
  v.post = ReadPost(s);
  v.author_name = s.getColumn(kPostColumnCount).getString();
  v.author_title = s.getColumn(kPostColumnCount + 1).getString();
  v.reply_to_author = s.getColumn(kPostColumnCount + 2).getString();
  return v;
}

// Inserts `p` as a new, undeleted, unrecommended post; returns it as stored.
Post InsertPost(Connection& c, const Post& p) {
  Stmt s = c.Prepare(
      "INSERT INTO posts (thread_id, author_id, reply_to, body_source, "
      "body_html, render_version, via, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  s->bind(1, p.thread_id.value);
  s->bind(2, p.author_id.value);
  BindId(s, 3, p.reply_to);
  s->bind(4, p.body_source);
  s->bind(5, p.body_html);
  s->bind(6, p.render_version);
  s->bind(7, std::string(ToString(p.via)));
  s->bind(8, ToUnix(p.created_at));
  s->exec();
  Post out = p;
  out.id = PostId{c.db().getLastInsertRowid()};
  out.deleted = false;
  out.recommend_count = 0;
  out.created_at = Stored(p.created_at);
  out.edited_at.reset();
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------
// Threads

Result<std::pair<Thread, Post>> SqliteThreads::Create(const Thread& thread,
                                                      const Post& first) {
  return Guard([&]() -> Result<std::pair<Thread, Post>> {
    return Atomically(c_, [&]() -> Result<std::pair<Thread, Post>> {
      Thread t = thread;
      t.created_at = Stored(thread.created_at);
      t.last_activity_at = t.created_at;
      t.reply_count = 0;  // the first post is the opening, not a reply
      t.accepted_post_id = PostId{};
      {
        Stmt s = c_.Prepare(
            "INSERT INTO threads (group_id, author_id, kind, title, pinned, "
            "locked, consent, reply_count, created_at, last_activity_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)");
        s->bind(1, t.group_id.value);
        s->bind(2, t.author_id.value);
        s->bind(3, std::string(ToString(t.kind)));
        s->bind(4, t.title);
        s->bind(5, t.pinned ? 1 : 0);
        s->bind(6, t.locked ? 1 : 0);
        s->bind(7, std::string(ToString(t.consent)));
        s->bind(8, ToUnix(t.created_at));
        s->bind(9, ToUnix(t.created_at));
        s->exec();
        t.id = ThreadId{c_.db().getLastInsertRowid()};
      }
      Post p = first;
      p.thread_id = t.id;
      p.reply_to = PostId{};
      p = InsertPost(c_, p);
      Stmt link =
          c_.Prepare("UPDATE threads SET first_post_id = ? WHERE id = ?");
      link->bind(1, p.id.value);
      link->bind(2, t.id.value);
      link->exec();
      t.first_post_id = p.id;
      return std::make_pair(t, p);
    });
  });
}

Result<std::optional<ThreadListing>> SqliteThreads::Find(ThreadId id) {
  return Guard([&]() -> Result<std::optional<ThreadListing>> {
    Stmt s = c_.Prepare(RT_THREAD_LISTING_SELECT "WHERE t.id = ?");
    s->bind(1, id.value);
    if (!s->executeStep()) return std::optional<ThreadListing>();
    return std::optional<ThreadListing>(ReadThreadListing(*s));
  });
}

namespace {

// The versions of a thread's contents: its own, then names and slugs.
constexpr const char* kThreadVersionSql =
    "SELECT version FROM thread_versions WHERE thread_id = ?1";

// The versions of a group's thread list.
constexpr const char* kGroupThreadsVersionSql =
    "SELECT version FROM group_thread_versions WHERE group_id = ?1";

// Appends `v` to a cache key in a fixed width.
void AppendKey(std::string& key, int64_t v) {
  key.append(reinterpret_cast<const char*>(&v), sizeof(v));
}

std::optional<PostView> FindPostView(Connection& c, PostId id) {
  Stmt s = c.Prepare(RT_POST_VIEW_SELECT "WHERE p.id = ?");
  s->bind(1, id.value);
  if (!s->executeStep()) return std::nullopt;
  return ReadPostView(*s);
}

std::vector<PostView> ListPostViews(Connection& c, ThreadId thread, PostId after, int limit) {
  std::vector<PostView> out;
  if (limit <= 0) return out;
  Stmt s = c.Prepare(RT_POST_VIEW_SELECT
                     "WHERE p.thread_id = ? AND p.id > ? "
                     "ORDER BY p.id LIMIT ?");
  s->bind(1, thread.value);
  s->bind(2, after.valid() ? after.value : int64_t{0});
  s->bind(3, limit);
  out.reserve(std::min(limit, 100));
  while (s->executeStep()) out.push_back(ReadPostView(*s));
  return out;
}

}  // namespace

Result<std::shared_ptr<const ThreadContents>> SqliteThreads::Contents(ThreadId id, PostId after,
                                                                      int limit) {
  return Guard([&]() -> Result<std::shared_ptr<const ThreadContents>> {
    // Versions first, then the data: the data is at least as new as the
    // versions it is filed under (content_cache.h).
    const bool shared = MayFill(c_);
    ContentVersion version;
    std::string key;
    if (shared) {
      version = ReadContentVersion(c_, kThreadVersionSql, id.value);
      key = DatabaseFile(c_);
      AppendKey(key, id.value);
      AppendKey(key, after.valid() ? after.value : 0);
      AppendKey(key, limit);
      if (auto hit = ThreadContentsCache().Find(key, version)) return hit;
    }
    auto out = std::make_shared<ThreadContents>();
    {
      Stmt s = c_.Prepare(RT_THREAD_LISTING_SELECT "WHERE t.id = ?");
      s->bind(1, id.value);
      if (!s->executeStep()) return std::shared_ptr<const ThreadContents>();
      out->listing = ReadThreadListing(*s);
    }
    const Thread& t = out->listing.thread;
    out->posts = ListPostViews(c_, id, after, limit);
    if (out->posts.empty() || out->posts.front().post.id != t.first_post_id) {
      out->opening = FindPostView(c_, t.first_post_id);
    }
    if (t.answered()) out->answer = FindPostView(c_, t.accepted_post_id);
    LoadPostAttachments(c_, *out);
    if (shared && version.valid()) {
      out->version = version;
      ThreadContentsCache().Keep(key, version, out, ApproximateBytes(*out));
    }
    return std::shared_ptr<const ThreadContents>(std::move(out));
  });
}

Result<std::vector<ThreadListing>> SqliteThreads::List(
    GroupId group, const ThreadFilter& filter,
    const std::optional<ThreadCursor>& cursor, int limit) {
  return Guard([&]() -> Result<std::vector<ThreadListing>> {
    std::vector<ThreadListing> out;
    if (limit <= 0) return out;
    // The first page of a group's list is what nearly every visit reads:
    // serve it from the process's copy while the group's versions stand.
    const bool shared = !cursor && MayFill(c_);
    ContentVersion version;
    std::string key;
    if (shared) {
      version = ReadContentVersion(c_, kGroupThreadsVersionSql, group.value);
      key = DatabaseFile(c_);
      AppendKey(key, group.value);
      AppendKey(key, filter.kind ? static_cast<int64_t>(*filter.kind) + 1 : 0);
      AppendKey(key, filter.unanswered ? 1 : 0);
      AppendKey(key, filter.consent ? static_cast<int64_t>(*filter.consent) + 1 : 0);
      AppendKey(key, limit);
      if (auto hit = ThreadListCache().Find(key, version)) return *hit;
    }
    // One statement for every filter combination (NULL/0 parameters switch a
    // predicate off) so it stays in the statement cache. The row-value
    // comparison walks threads_list from the cursor; without a cursor,
    // pinned = 2 sorts above every row so the first page needs no variant.
    Stmt s = c_.Prepare(
        RT_THREAD_LISTING_SELECT
        "WHERE t.group_id = ?1 "
        "AND (t.pinned, t.last_activity_at, t.id) < (?2, ?3, ?4) "
        "AND (?5 IS NULL OR t.kind = ?5) "
        "AND (?6 = 0 OR (t.kind = 'question' AND t.accepted_post_id IS NULL)) "
        "AND (?7 IS NULL OR (t.kind = 'story' AND t.consent = ?7)) "
        "ORDER BY t.pinned DESC, t.last_activity_at DESC, t.id DESC LIMIT ?8");
    constexpr int64_t kTop = std::numeric_limits<int64_t>::max();
    s->bind(1, group.value);
    s->bind(2, cursor ? (cursor->pinned ? 1 : 0) : 2);
    s->bind(3, cursor ? cursor->last_activity : kTop);
    s->bind(4, cursor ? cursor->id.value : kTop);
    if (filter.kind) {
      s->bind(5, std::string(ToString(*filter.kind)));
    } else {
      s->bind(5);
    }
    s->bind(6, filter.unanswered ? 1 : 0);
    if (filter.consent) {
      s->bind(7, std::string(ToString(*filter.consent)));
    } else {
      s->bind(7);
    }
    s->bind(8, limit);
    out.reserve(std::min(limit, 100));
    while (s->executeStep()) out.push_back(ReadThreadListing(*s));
    if (shared && version.valid()) {
      auto copy = std::make_shared<const std::vector<ThreadListing>>(out);
      ThreadListCache().Keep(key, version, copy, ApproximateBytes(*copy));
    }
    return out;
  });
}

Status SqliteThreads::SetPinned(ThreadId id, bool pinned) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare("UPDATE threads SET pinned = ? WHERE id = ?");
    s->bind(1, pinned ? 1 : 0);
    s->bind(2, id.value);
    s->exec();
    return OkStatus();
  });
}

Status SqliteThreads::SetLocked(ThreadId id, bool locked) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare("UPDATE threads SET locked = ? WHERE id = ?");
    s->bind(1, locked ? 1 : 0);
    s->bind(2, id.value);
    s->exec();
    return OkStatus();
  });
}

Status SqliteThreads::SetAcceptedPost(ThreadId id, PostId post) {
  return Guard([&]() -> Status {
    Stmt s =
        c_.Prepare("UPDATE threads SET accepted_post_id = ? WHERE id = ?");
    BindId(s, 1, post);
    s->bind(2, id.value);
    s->exec();
    return OkStatus();
  });
}

Status SqliteThreads::SetConsent(ThreadId id, StoryConsent consent) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare("UPDATE threads SET consent = ? WHERE id = ?");
    s->bind(1, std::string(ToString(consent)));
    s->bind(2, id.value);
    s->exec();
    return OkStatus();
  });
}

// ---------------------------------------------------------------------------
// Posts

Result<Post> SqlitePosts::Create(const Post& post) {
  return Guard([&]() -> Result<Post> {
    return Atomically(c_, [&]() -> Result<Post> {
      Post p = InsertPost(c_, post);
      Stmt s = c_.Prepare(
          "UPDATE threads SET reply_count = reply_count + 1, "
          "last_activity_at = ? WHERE id = ?");
      s->bind(1, ToUnix(p.created_at));
      s->bind(2, p.thread_id.value);
      s->exec();
      return p;
    });
  });
}

Result<std::optional<PostView>> SqlitePosts::Find(PostId id) {
  return Guard([&]() -> Result<std::optional<PostView>> { return FindPostView(c_, id); });
}

Result<std::vector<PostView>> SqlitePosts::ListForThread(ThreadId thread,
                                                         PostId after,
                                                         int limit) {
  return Guard([&]() -> Result<std::vector<PostView>> {
    return ListPostViews(c_, thread, after, limit);
  });
}

Status SqlitePosts::Edit(PostId id, const std::string& source,
                         const std::string& html, int render_version,
                         TimePoint now) {
  return Guard([&]() -> Status {
    return Atomically(c_, [&]() -> Status {
      {
        Stmt keep = c_.Prepare(
            "INSERT INTO post_revisions (post_id, body_source, body_html, "
            "replaced_at) SELECT id, body_source, body_html, ? FROM posts "
            "WHERE id = ?");
        keep->bind(1, ToUnix(now));
        keep->bind(2, id.value);
        keep->exec();
      }
      Stmt s = c_.Prepare(
          "UPDATE posts SET body_source = ?, body_html = ?, "
          "render_version = ?, edited_at = ? WHERE id = ?");
      s->bind(1, source);
      s->bind(2, html);
      s->bind(3, render_version);
      s->bind(4, ToUnix(now));
      s->bind(5, id.value);
      s->exec();
      return OkStatus();
    });
  });
}

Result<std::vector<PostRevision>> SqlitePosts::Revisions(PostId id) {
  return Guard([&]() -> Result<std::vector<PostRevision>> {
    // Old texts of a deleted post are as hidden as its current text.
    Stmt s = c_.Prepare(
        "SELECT r.body_source, r.body_html, r.replaced_at "
        "FROM post_revisions r JOIN posts p ON p.id = r.post_id "
        "WHERE r.post_id = ? AND p.deleted = 0 ORDER BY r.id");
    s->bind(1, id.value);
    std::vector<PostRevision> out;
    while (s->executeStep()) {
      out.push_back(PostRevision{s->getColumn(0).getString(),
                                 s->getColumn(1).getString(),
                                 ReadTime(*s, 2)});
    }
    return out;
  });
}

Status SqlitePosts::SoftDelete(PostId id, TimePoint now) {
  return Guard([&]() -> Status {
    return Atomically(c_, [&]() -> Status {
      // Only the call that actually flips `deleted` touches the thread, so
      // deleting twice cannot count the reply out twice.
      ThreadId thread;
      {
        Stmt s = c_.Prepare(
            "UPDATE posts SET deleted = 1, deleted_at = ? "
            "WHERE id = ? AND deleted = 0 RETURNING thread_id");
        s->bind(1, ToUnix(now));
        s->bind(2, id.value);
        if (!s->executeStep()) return OkStatus();
        thread = ReadId<ThreadId>(*s, 0);
      }
      // The first post is the thread's opening, never counted as a reply.
      Stmt s = c_.Prepare(
          "UPDATE threads SET "
          "reply_count = reply_count - "
          "(CASE WHEN first_post_id IS ?1 THEN 0 ELSE 1 END), "
          "accepted_post_id = "
          "(CASE WHEN accepted_post_id IS ?1 THEN NULL "
          "ELSE accepted_post_id END) "
          "WHERE id = ?2");
      s->bind(1, id.value);
      s->bind(2, thread.value);
      s->exec();
      return OkStatus();
    });
  });
}

Result<std::vector<Post>> SqlitePosts::ListStale(int current_version,
                                                 int limit) {
  return Guard([&]() -> Result<std::vector<Post>> {
    std::vector<Post> out;
    if (limit <= 0) return out;
    // Deleted posts are never shown, so re-rendering them is wasted work.
    Stmt s = c_.Prepare("SELECT " RT_POST_COLUMNS
                        " FROM posts p WHERE p.render_version < ? "
                        "AND p.deleted = 0 ORDER BY p.render_version, p.id LIMIT ?");
    s->bind(1, current_version);
    s->bind(2, limit);
    out.reserve(std::min(limit, 100));
    while (s->executeStep()) out.push_back(ReadPost(*s));
    return out;
  });
}

Status SqlitePosts::SetRendered(PostId id, const std::string& html,
                                int render_version) {
  return Guard([&]() -> Status {
    // Only while still older: an edit that landed after the re-renderer read
    // the post carries its own fresh html, which must not be overwritten by
    // a rendering of the old source.
    Stmt s = c_.Prepare(
        "UPDATE posts SET body_html = ?1, render_version = ?2 "
        "WHERE id = ?3 AND render_version < ?2");
    s->bind(1, html);
    s->bind(2, render_version);
    s->bind(3, id.value);
    s->exec();
    return OkStatus();
  });
}

Result<bool> SqlitePosts::Recommend(PostId id, AccountId account,
                                    TimePoint now) {
  return Guard([&]() -> Result<bool> {
    return Atomically(c_, [&]() -> Result<bool> {
      {
        Stmt s = c_.Prepare(
            "INSERT INTO recommendations (post_id, account_id, created_at) "
            "VALUES (?, ?, ?) ON CONFLICT (post_id, account_id) DO NOTHING");
        s->bind(1, id.value);
        s->bind(2, account.value);
        s->bind(3, ToUnix(now));
        if (s->exec() == 0) return false;
      }
      Stmt s = c_.Prepare(
          "UPDATE posts SET recommend_count = recommend_count + 1 "
          "WHERE id = ?");
      s->bind(1, id.value);
      s->exec();
      return true;
    });
  });
}

Result<bool> SqlitePosts::Unrecommend(PostId id, AccountId account) {
  return Guard([&]() -> Result<bool> {
    return Atomically(c_, [&]() -> Result<bool> {
      {
        Stmt s = c_.Prepare(
            "DELETE FROM recommendations WHERE post_id = ? AND account_id = ?");
        s->bind(1, id.value);
        s->bind(2, account.value);
        if (s->exec() == 0) return false;
      }
      Stmt s = c_.Prepare(
          "UPDATE posts SET recommend_count = recommend_count - 1 "
          "WHERE id = ?");
      s->bind(1, id.value);
      s->exec();
      return true;
    });
  });
}

Result<std::unordered_set<int64_t>> SqlitePosts::RecommendedBy(
    AccountId account, const std::vector<PostId>& posts) {
  return Guard([&]() -> Result<std::unordered_set<int64_t>> {
    std::unordered_set<int64_t> out;
    if (posts.empty()) return out;
    // The posts of one page have nearby ids, and most people recommend few
    // posts: one range scan of recommendations_account over [min, max]
    // reads a handful of rows, where a probe per id through json_each cost
    // ~4k instructions each. The scan is capped; someone whose
    // recommendations fill the range gets a probe per post instead.
    auto [lo, hi] = std::minmax_element(posts.begin(), posts.end());
    const int64_t cap = static_cast<int64_t>(posts.size()) * 4 + 16;
    // A page's ids, sorted: a binary search beats a hash set this small.
    std::vector<int64_t> wanted;
    wanted.reserve(posts.size());
    for (PostId p : posts) wanted.push_back(p.value);
    std::sort(wanted.begin(), wanted.end());
    wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
    Stmt s = c_.Prepare(
        "SELECT post_id FROM recommendations WHERE account_id = ? AND post_id BETWEEN ? AND ? "
        "LIMIT ?");
    s->bind(1, account.value);
    s->bind(2, lo->value);
    s->bind(3, hi->value);
    s->bind(4, cap + 1);
    int64_t rows = 0;
    while (s->executeStep()) {
      ++rows;
      int64_t id = s->getColumn(0).getInt64();
      if (std::binary_search(wanted.begin(), wanted.end(), id)) out.insert(id);
    }
    if (rows <= cap) return out;
    out.clear();
    Stmt probe = c_.Prepare(
        "SELECT 1 FROM recommendations WHERE account_id = ? AND post_id = ?");
    for (int64_t id : wanted) {
      probe->reset();
      probe->bind(1, account.value);
      probe->bind(2, id);
      if (probe->executeStep()) out.insert(id);
    }
    return out;
  });
}

Result<std::vector<RecommendedPost>> SqlitePosts::MostRecommended(
    GroupId group, int limit) {
  return Guard([&]() -> Result<std::vector<RecommendedPost>> {
    std::vector<RecommendedPost> out;
    if (limit <= 0) return out;
    Stmt s = c_.Prepare("SELECT " RT_POST_VIEW_COLUMNS ", t.title"
                        RT_POST_VIEW_FROM
                        "JOIN threads t ON t.id = p.thread_id "
                        "WHERE t.group_id = ? AND p.recommend_count > 0 "
                        "AND p.deleted = 0 "
                        "ORDER BY p.recommend_count DESC, p.id DESC LIMIT ?");
    s->bind(1, group.value);
    s->bind(2, limit);
    out.reserve(std::min(limit, 100));
    while (s->executeStep()) {
      out.push_back(RecommendedPost{
          ReadPostView(*s), s->getColumn(kPostViewColumnCount).getString()});
    }
    return out;
  });
}

Result<std::vector<AccountId>> SqlitePosts::ReplyAuthors(ThreadId thread) {
  return Guard([&]() -> Result<std::vector<AccountId>> {
    Stmt s = c_.Prepare(
        "SELECT DISTINCT p.author_id FROM posts p "
        "JOIN threads t ON t.id = p.thread_id "
        "WHERE p.thread_id = ? AND p.deleted = 0 "
        "AND p.id IS NOT t.first_post_id ORDER BY p.author_id");
    s->bind(1, thread.value);
    std::vector<AccountId> out;
    while (s->executeStep()) out.push_back(ReadId<AccountId>(*s, 0));
    return out;
  });
}

// ---------------------------------------------------------------------------
// Follows

Status SqliteFollows::Follow(ThreadId thread, AccountId account,
                             TimePoint now) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare(
        "INSERT INTO thread_follows (thread_id, account_id, created_at) "
        "VALUES (?, ?, ?) ON CONFLICT (thread_id, account_id) DO NOTHING");
    s->bind(1, thread.value);
    s->bind(2, account.value);
    s->bind(3, ToUnix(now));
    s->exec();
    return OkStatus();
  });
}

Status SqliteFollows::Unfollow(ThreadId thread, AccountId account) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare(
        "DELETE FROM thread_follows WHERE thread_id = ? AND account_id = ?");
    s->bind(1, thread.value);
    s->bind(2, account.value);
    s->exec();
    return OkStatus();
  });
}

Result<bool> SqliteFollows::IsFollowing(ThreadId thread, AccountId account) {
  return Guard([&]() -> Result<bool> {
    Stmt s = c_.Prepare(
        "SELECT 1 FROM thread_follows WHERE thread_id = ? AND account_id = ?");
    s->bind(1, thread.value);
    s->bind(2, account.value);
    return s->executeStep();
  });
}

Result<std::vector<AccountId>> SqliteFollows::Followers(ThreadId thread) {
  return Guard([&]() -> Result<std::vector<AccountId>> {
    Stmt s = c_.Prepare(
        "SELECT account_id FROM thread_follows WHERE thread_id = ? "
        "ORDER BY account_id");
    s->bind(1, thread.value);
    std::vector<AccountId> out;
    while (s->executeStep()) out.push_back(ReadId<AccountId>(*s, 0));
    return out;
  });
}

}  // namespace rt::store::sqlite
