// Discussion, conversation, notification and idempotency repositories. The
// TEST_P tests join the engine-parameterised StoreTest suite instantiated in
// store_test.cc; the TEST_F tests at the end look at SQLite tables directly.

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "store/store_fixture.h"

namespace rt::store::testing {
namespace {

using namespace std::chrono_literals;

Thread NewThread(GroupId group, AccountId author, const std::string& title,
                 TimePoint at, ThreadKind kind = ThreadKind::kDiscussion) {
  Thread t;
  t.group_id = group;
  t.author_id = author;
  t.kind = kind;
  t.title = title;
  t.created_at = at;
  t.last_activity_at = at;
  return t;
}

Post NewPost(ThreadId thread, AccountId author, const std::string& text,
             TimePoint at, PostId reply_to = {}) {
  Post p;
  p.thread_id = thread;
  p.author_id = author;
  p.reply_to = reply_to;
  p.body_source = text;
  p.body_html = "<p>" + text + "</p>";
  p.render_version = 1;
  p.created_at = at;
  return p;
}

std::vector<int64_t> ThreadIds(const std::vector<ThreadListing>& v) {
  std::vector<int64_t> out;
  for (const ThreadListing& l : v) out.push_back(l.thread.id.value);
  return out;
}

// Two accounts and a group to hang discussions on, with shorthands.
class Discussions {
 public:
  Discussions(Store& s, AccountId ada, AccountId bob, GroupId group)
      : s_(s), ada(ada), bob(bob), group(group) {}

  std::pair<Thread, Post> NewThreadIn(GroupId g, const std::string& title,
                                      TimePoint at,
                                      ThreadKind kind = ThreadKind::kDiscussion,
                                      AccountId author = {}) {
    if (!author.valid()) author = ada;
    std::pair<Thread, Post> out;
    Status st = s_.InTransaction([&]() -> Status {
      Result<std::pair<Thread, Post>> r = s_.threads().Create(
          NewThread(g, author, title, at, kind),
          NewPost(ThreadId{}, author, "Opening of " + title, at));
      if (!r.ok()) return r.take_error();
      out = *r;
      return OkStatus();
    });
    EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().code);
    return out;
  }

  std::pair<Thread, Post> Start(const std::string& title, TimePoint at,
                                ThreadKind kind = ThreadKind::kDiscussion) {
    return NewThreadIn(group, title, at, kind);
  }

  Post Reply(ThreadId thread, AccountId author, const std::string& text,
             TimePoint at, PostId reply_to = {}) {
    Result<Post> r =
        s_.posts().Create(NewPost(thread, author, text, at, reply_to));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().code);
    return r.ok() ? *r : Post{};
  }

  Thread Get(ThreadId id) {
    Result<std::optional<ThreadListing>> r = s_.threads().Find(id);
    EXPECT_TRUE(r.ok() && r->has_value());
    return r.ok() && r->has_value() ? (*r)->thread : Thread{};
  }

  PostView GetPost(PostId id) {
    Result<std::optional<PostView>> r = s_.posts().Find(id);
    EXPECT_TRUE(r.ok() && r->has_value());
    return r.ok() && r->has_value() ? **r : PostView{};
  }

  std::vector<ThreadListing> List(const ThreadFilter& f = {},
                                  std::optional<ThreadCursor> cursor = {},
                                  int limit = 100) {
    Result<std::vector<ThreadListing>> r =
        s_.threads().List(group, f, cursor, limit);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<ThreadListing>{};
  }

 private:
  Store& s_;

 public:
  AccountId ada;
  AccountId bob;
  GroupId group;
};

// Sets up the usual world inside a TEST_P body.
#define RT_WORLD()                                                        \
  Account ada_account = MakeAccount("ada@example.org", "Ada Lovelace");   \
  Account bob_account = MakeAccount("bob@example.org", "Bob Babbage");    \
  AssociationId assoc = MakeAssociation("assoc");                         \
  Group group = MakeGroup(assoc, "policy", "Policy", 1);                  \
  Discussions d(*store_, ada_account.id, bob_account.id, group.id);       \
  (void)d

TEST_P(StoreTest, ThreadCreateLinksFirstPost) {
  RT_WORLD();
  auto [thread, first] = d.Start("Hello", kNow, ThreadKind::kQuestion);
  ASSERT_TRUE(thread.id.valid());
  ASSERT_TRUE(first.id.valid());
  EXPECT_EQ(thread.first_post_id, first.id);
  EXPECT_EQ(first.thread_id, thread.id);
  EXPECT_EQ(thread.reply_count, 0);
  EXPECT_EQ(thread.last_activity_at, kNow);

  Result<std::optional<ThreadListing>> found = store_->threads().Find(thread.id);
  ASSERT_TRUE(found.ok() && found->has_value());
  const ThreadListing& l = **found;
  EXPECT_EQ(l.thread.first_post_id, first.id);
  EXPECT_EQ(l.thread.kind, ThreadKind::kQuestion);
  EXPECT_EQ(l.thread.title, "Hello");
  EXPECT_EQ(l.thread.reply_count, 0);
  EXPECT_EQ(l.thread.created_at, kNow);
  EXPECT_EQ(l.thread.last_activity_at, kNow);
  EXPECT_FALSE(l.thread.accepted_post_id.valid());
  EXPECT_EQ(l.thread.consent, StoryConsent::kGroupOnly);
  EXPECT_EQ(l.author_name, "Ada Lovelace");
  EXPECT_EQ(l.group_slug, "policy");

  PostView p = d.GetPost(first.id);
  EXPECT_EQ(p.post.thread_id, thread.id);
  EXPECT_EQ(p.post.body_source, "Opening of Hello");
  EXPECT_EQ(p.post.body_html, "<p>Opening of Hello</p>");
  EXPECT_EQ(p.post.render_version, 1);
  EXPECT_FALSE(p.post.reply_to.valid());
  EXPECT_FALSE(p.post.edited_at.has_value());
  EXPECT_EQ(p.author_name, "Ada Lovelace");

  // The store owns the counters: what the caller passes is ignored.
  Thread odd = NewThread(group.id, d.bob, "Odd", kNow + 1h);
  odd.reply_count = 7;
  odd.last_activity_at = kNow - 5h;
  Result<std::pair<Thread, Post>> created = store_->threads().Create(
      odd, NewPost(ThreadId{99}, d.bob, "x", kNow + 1h, PostId{42}));
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->first.reply_count, 0);
  EXPECT_EQ(created->first.last_activity_at, kNow + 1h);
  EXPECT_EQ(created->second.thread_id, created->first.id);
  Thread stored = d.Get(created->first.id);
  EXPECT_EQ(stored.reply_count, 0);
  EXPECT_EQ(stored.last_activity_at, kNow + 1h);
  EXPECT_FALSE(d.GetPost(created->second.id).post.reply_to.valid());

  Result<std::optional<ThreadListing>> missing =
      store_->threads().Find(ThreadId{9999});
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_P(StoreTest, ThreadCreateIsAllOrNothing) {
  RT_WORLD();
  // The first post names an account that does not exist: its insert fails
  // after the thread row went in, and the thread must go too — both inside
  // the caller's transaction and without one.
  Post bad = NewPost(ThreadId{}, AccountId{777}, "x", kNow);
  Status st = store_->InTransaction([&]() -> Status {
    Result<std::pair<Thread, Post>> r = store_->threads().Create(
        NewThread(group.id, ada_account.id, "Doomed", kNow), bad);
    if (!r.ok()) return r.take_error();
    return OkStatus();
  });
  EXPECT_FALSE(st.ok());
  Result<std::pair<Thread, Post>> bare = store_->threads().Create(
      NewThread(group.id, ada_account.id, "Doomed too", kNow), bad);
  EXPECT_FALSE(bare.ok());
  EXPECT_TRUE(d.List().empty());

  // The store is still usable afterwards.
  auto [t, p] = d.Start("Fine", kNow);
  EXPECT_EQ(ThreadIds(d.List()), std::vector<int64_t>{t.id.value});
}

TEST_P(StoreTest, ReplyIncrementsCountAndBumpsActivity) {
  RT_WORLD();
  auto [thread, first] = d.Start("T", kNow);
  Post r1 = d.Reply(thread.id, d.bob, "one", kNow + 1h);
  EXPECT_TRUE(r1.id.valid());
  EXPECT_EQ(r1.thread_id, thread.id);
  EXPECT_EQ(r1.created_at, kNow + 1h);
  Thread t = d.Get(thread.id);
  EXPECT_EQ(t.reply_count, 1);
  EXPECT_EQ(t.last_activity_at, kNow + 1h);
  EXPECT_EQ(t.created_at, kNow);

  Post r2 = d.Reply(thread.id, d.ada, "two", kNow + 2h, r1.id);
  t = d.Get(thread.id);
  EXPECT_EQ(t.reply_count, 2);
  EXPECT_EQ(t.last_activity_at, kNow + 2h);

  // Posts list oldest first, with the replied-to author's name.
  Result<std::vector<PostView>> posts =
      store_->posts().ListForThread(thread.id, PostId{}, 10);
  ASSERT_TRUE(posts.ok());
  ASSERT_EQ(posts->size(), 3u);
  EXPECT_EQ((*posts)[0].post.id, first.id);
  EXPECT_EQ((*posts)[1].post.id, r1.id);
  EXPECT_EQ((*posts)[1].author_name, "Bob Babbage");
  EXPECT_EQ((*posts)[1].reply_to_author, "");
  EXPECT_EQ((*posts)[2].post.id, r2.id);
  EXPECT_EQ((*posts)[2].post.reply_to, r1.id);
  EXPECT_EQ((*posts)[2].reply_to_author, "Bob Babbage");

  // Paging by id.
  posts = store_->posts().ListForThread(thread.id, first.id, 1);
  ASSERT_TRUE(posts.ok());
  ASSERT_EQ(posts->size(), 1u);
  EXPECT_EQ((*posts)[0].post.id, r1.id);
}

TEST_P(StoreTest, PostViewShowsAuthorTitle) {
  RT_WORLD();
  ASSERT_TRUE(store_->accounts()
                  .UpdateProfile(d.bob, {"Bob Babbage", "Engineer", "", ""},
                                 kNow)
                  .ok());
  auto [thread, first] = d.Start("T", kNow);
  Post r = d.Reply(thread.id, d.bob, "hi", kNow + 1s);
  EXPECT_EQ(d.GetPost(r.id).author_title, "Engineer");
  EXPECT_EQ(d.GetPost(first.id).author_title, "");
}

TEST_P(StoreTest, ThreadListOrderAndKeysetPages) {
  RT_WORLD();
  // 25 threads; activity times repeat (i / 3) so ties must be broken by id;
  // threads 4 and 17 are pinned.
  struct Key {
    int pinned;
    int64_t activity;
    int64_t id;
  };
  std::vector<Key> expected;
  for (int i = 0; i < 25; ++i) {
    TimePoint at = kNow + std::chrono::minutes(i / 3);
    auto [t, p] = d.Start("Thread " + std::to_string(i), at);
    bool pinned = i == 4 || i == 17;
    if (pinned) {
      ASSERT_TRUE(store_->threads().SetPinned(t.id, true).ok());
    }
    expected.push_back({pinned ? 1 : 0, ToUnix(at), t.id.value});
  }
  std::sort(expected.begin(), expected.end(), [](const Key& a, const Key& b) {
    return std::tie(a.pinned, a.activity, a.id) >
           std::tie(b.pinned, b.activity, b.id);
  });
  std::vector<int64_t> want;
  for (const Key& k : expected) want.push_back(k.id);

  std::vector<int64_t> got;
  std::optional<ThreadCursor> cursor;
  int pages = 0;
  for (;;) {
    std::vector<ThreadListing> page = d.List({}, cursor, 10);
    if (page.empty()) break;
    ++pages;
    ASSERT_LE(page.size(), 10u);
    for (const ThreadListing& l : page) got.push_back(l.thread.id.value);
    const Thread& last = page.back().thread;
    cursor = ThreadCursor{last.pinned, ToUnix(last.last_activity_at), last.id};
    ASSERT_LE(pages, 5);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(got, want);
  std::vector<ThreadListing> first_page = d.List({}, {}, 10);
  ASSERT_EQ(first_page.size(), 10u);
  EXPECT_TRUE(first_page[0].thread.pinned);
  EXPECT_TRUE(first_page[1].thread.pinned);
  EXPECT_FALSE(first_page[2].thread.pinned);
  EXPECT_EQ(first_page[0].group_slug, "policy");
  EXPECT_EQ(first_page[0].author_name, "Ada Lovelace");

  // A reply moves its thread to the top of the unpinned ones.
  ThreadId oldest{expected.back().id};
  d.Reply(oldest, d.bob, "bump", kNow + 1h);
  std::vector<ThreadListing> after = d.List({}, {}, 3);
  ASSERT_EQ(after.size(), 3u);
  EXPECT_EQ(after[2].thread.id, oldest);

  // Other groups' threads stay out.
  Group other = MakeGroup(assoc, "other", "Other", 2);
  d.NewThreadIn(other.id, "Elsewhere", kNow + 2h);
  EXPECT_EQ(d.List().size(), 25u);
}

TEST_P(StoreTest, ThreadListFilters) {
  RT_WORLD();
  Thread disc = d.Start("Disc", kNow).first;
  Thread open_q = d.Start("Open Q", kNow + 1s, ThreadKind::kQuestion).first;
  Thread done_q = d.Start("Done Q", kNow + 2s, ThreadKind::kQuestion).first;
  Thread story = d.Start("Story", kNow + 3s, ThreadKind::kStory).first;
  Thread public_story =
      d.Start("Public story", kNow + 4s, ThreadKind::kStory).first;
  Post answer = d.Reply(done_q.id, d.bob, "answer", kNow + 5s);
  ASSERT_TRUE(store_->threads().SetAcceptedPost(done_q.id, answer.id).ok());
  ASSERT_TRUE(store_->threads()
                  .SetConsent(public_story.id, StoryConsent::kPublic)
                  .ok());

  EXPECT_EQ(d.List().size(), 5u);
  ThreadFilter questions;
  questions.kind = ThreadKind::kQuestion;
  EXPECT_EQ(ThreadIds(d.List(questions)),
            (std::vector<int64_t>{done_q.id.value, open_q.id.value}));
  ThreadFilter unanswered;
  unanswered.unanswered = true;
  EXPECT_EQ(ThreadIds(d.List(unanswered)),
            std::vector<int64_t>{open_q.id.value});
  ThreadFilter stories;
  stories.kind = ThreadKind::kStory;
  EXPECT_EQ(ThreadIds(d.List(stories)),
            (std::vector<int64_t>{public_story.id.value, story.id.value}));
  ThreadFilter public_only;
  public_only.consent = StoryConsent::kPublic;
  EXPECT_EQ(ThreadIds(d.List(public_only)),
            std::vector<int64_t>{public_story.id.value});
  ThreadFilter group_only;
  group_only.consent = StoryConsent::kGroupOnly;
  // Discussions carry the default consent but are not stories.
  EXPECT_EQ(ThreadIds(d.List(group_only)),
            std::vector<int64_t>{story.id.value});
  ThreadFilter discussions;
  discussions.kind = ThreadKind::kDiscussion;
  EXPECT_EQ(ThreadIds(d.List(discussions)),
            std::vector<int64_t>{disc.id.value});
  EXPECT_TRUE(d.List({}, {}, 0).empty());
}

TEST_P(StoreTest, PinLockAndConsent) {
  RT_WORLD();
  Thread t = d.Start("T", kNow, ThreadKind::kStory).first;
  ASSERT_TRUE(store_->threads().SetPinned(t.id, true).ok());
  ASSERT_TRUE(store_->threads().SetLocked(t.id, true).ok());
  ASSERT_TRUE(
      store_->threads().SetConsent(t.id, StoryConsent::kStaffAdvocacy).ok());
  Thread got = d.Get(t.id);
  EXPECT_TRUE(got.pinned);
  EXPECT_TRUE(got.locked);
  EXPECT_EQ(got.consent, StoryConsent::kStaffAdvocacy);
  ASSERT_TRUE(store_->threads().SetPinned(t.id, false).ok());
  ASSERT_TRUE(store_->threads().SetLocked(t.id, false).ok());
  got = d.Get(t.id);
  EXPECT_FALSE(got.pinned);
  EXPECT_FALSE(got.locked);
}

TEST_P(StoreTest, AcceptedAnswerSetClearAndClearedOnDelete) {
  RT_WORLD();
  Thread q = d.Start("Q", kNow, ThreadKind::kQuestion).first;
  Post a1 = d.Reply(q.id, d.bob, "a1", kNow + 1s);
  Post a2 = d.Reply(q.id, d.bob, "a2", kNow + 2s);

  ASSERT_TRUE(store_->threads().SetAcceptedPost(q.id, a1.id).ok());
  EXPECT_EQ(d.Get(q.id).accepted_post_id, a1.id);
  EXPECT_TRUE(d.Get(q.id).answered());
  ASSERT_TRUE(store_->threads().SetAcceptedPost(q.id, PostId{}).ok());
  EXPECT_FALSE(d.Get(q.id).accepted_post_id.valid());

  // Deleting another post leaves the accepted answer alone...
  ASSERT_TRUE(store_->threads().SetAcceptedPost(q.id, a2.id).ok());
  ASSERT_TRUE(store_->posts().SoftDelete(a1.id, kNow + 1h).ok());
  EXPECT_EQ(d.Get(q.id).accepted_post_id, a2.id);
  // ...deleting the accepted one clears it.
  ASSERT_TRUE(store_->posts().SoftDelete(a2.id, kNow + 1h).ok());
  EXPECT_FALSE(d.Get(q.id).accepted_post_id.valid());
  ThreadFilter unanswered;
  unanswered.unanswered = true;
  EXPECT_EQ(ThreadIds(d.List(unanswered)), std::vector<int64_t>{q.id.value});
}

TEST_P(StoreTest, SoftDeleteCountsOutOnce) {
  RT_WORLD();
  auto [t, first] = d.Start("T", kNow);
  Post r1 = d.Reply(t.id, d.bob, "secret words", kNow + 1s);
  d.Reply(t.id, d.bob, "r2", kNow + 2s);
  ASSERT_EQ(d.Get(t.id).reply_count, 2);

  ASSERT_TRUE(store_->posts().SoftDelete(r1.id, kNow + 1h).ok());
  EXPECT_EQ(d.Get(t.id).reply_count, 1);
  ASSERT_TRUE(store_->posts().SoftDelete(r1.id, kNow + 2h).ok());
  EXPECT_EQ(d.Get(t.id).reply_count, 1);

  // The opening post is not a reply: deleting it leaves the count.
  ASSERT_TRUE(store_->posts().SoftDelete(first.id, kNow + 1h).ok());
  EXPECT_EQ(d.Get(t.id).reply_count, 1);

  // Deleted posts stay listed, flagged, with their text withheld.
  PostView v = d.GetPost(r1.id);
  EXPECT_TRUE(v.post.deleted);
  EXPECT_EQ(v.post.body_source, "");
  EXPECT_EQ(v.post.body_html, "");
  EXPECT_EQ(v.author_name, "Bob Babbage");
  Result<std::vector<PostView>> all =
      store_->posts().ListForThread(t.id, PostId{}, 10);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_TRUE((*all)[1].post.deleted);
  EXPECT_EQ((*all)[1].post.body_source, "");
  EXPECT_FALSE((*all)[2].post.deleted);
  EXPECT_EQ((*all)[2].post.body_source, "r2");

  // Deleting a post that does not exist changes nothing.
  EXPECT_TRUE(store_->posts().SoftDelete(PostId{9999}, kNow).ok());
  EXPECT_EQ(d.Get(t.id).reply_count, 1);
}

TEST_P(StoreTest, EditKeepsRevisionsInOrder) {
  RT_WORLD();
  Thread t = d.Start("T", kNow).first;
  Post p = d.Reply(t.id, d.bob, "v1", kNow + 1s);
  ASSERT_TRUE(
      store_->posts().Edit(p.id, "v2", "<p>v2</p>", 2, kNow + 1h).ok());
  ASSERT_TRUE(
      store_->posts().Edit(p.id, "v3", "<p>v3</p>", 2, kNow + 2h).ok());

  PostView v = d.GetPost(p.id);
  EXPECT_EQ(v.post.body_source, "v3");
  EXPECT_EQ(v.post.body_html, "<p>v3</p>");
  EXPECT_EQ(v.post.render_version, 2);
  ASSERT_TRUE(v.post.edited_at.has_value());
  EXPECT_EQ(*v.post.edited_at, kNow + 2h);

  Result<std::vector<PostRevision>> revs = store_->posts().Revisions(p.id);
  ASSERT_TRUE(revs.ok());
  ASSERT_EQ(revs->size(), 2u);
  EXPECT_EQ((*revs)[0].body_source, "v1");
  EXPECT_EQ((*revs)[0].body_html, "<p>v1</p>");
  EXPECT_EQ((*revs)[0].replaced_at, kNow + 1h);
  EXPECT_EQ((*revs)[1].body_source, "v2");
  EXPECT_EQ((*revs)[1].replaced_at, kNow + 2h);

  // An unedited post has no revisions; a deleted one shows none.
  Result<std::vector<PostRevision>> none =
      store_->posts().Revisions(t.first_post_id);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  ASSERT_TRUE(store_->posts().SoftDelete(p.id, kNow + 3h).ok());
  revs = store_->posts().Revisions(p.id);
  ASSERT_TRUE(revs.ok());
  EXPECT_TRUE(revs->empty());
}

TEST_P(StoreTest, ListStaleAndSetRendered) {
  RT_WORLD();
  auto [t, first] = d.Start("T", kNow);  // render_version 1
  Post old_reply = d.Reply(t.id, d.bob, "old", kNow + 1s);
  Post fresh = NewPost(t.id, d.bob, "fresh", kNow + 2s);
  fresh.render_version = 3;
  ASSERT_TRUE(store_->posts().Create(fresh).ok());
  Post deleted = d.Reply(t.id, d.bob, "gone", kNow + 3s);
  ASSERT_TRUE(store_->posts().SoftDelete(deleted.id, kNow + 1h).ok());

  Result<std::vector<Post>> stale = store_->posts().ListStale(3, 10);
  ASSERT_TRUE(stale.ok());
  ASSERT_EQ(stale->size(), 2u);
  EXPECT_EQ((*stale)[0].id, first.id);
  EXPECT_EQ((*stale)[1].id, old_reply.id);
  EXPECT_EQ((*stale)[1].body_source, "old");  // the re-renderer needs it
  stale = store_->posts().ListStale(3, 1);
  ASSERT_TRUE(stale.ok());
  ASSERT_EQ(stale->size(), 1u);

  ASSERT_TRUE(store_->posts().SetRendered(first.id, "<p>new</p>", 3).ok());
  // An edit with the current renderer lands before the re-renderer's write
  // for the old text; the late write must not clobber it.
  ASSERT_TRUE(store_->posts()
                  .Edit(old_reply.id, "edited", "<p>edited</p>", 3, kNow + 1h)
                  .ok());
  ASSERT_TRUE(store_->posts().SetRendered(old_reply.id, "<p>old</p>", 3).ok());
  EXPECT_EQ(d.GetPost(old_reply.id).post.body_html, "<p>edited</p>");
  EXPECT_EQ(d.GetPost(first.id).post.body_html, "<p>new</p>");
  EXPECT_EQ(d.GetPost(first.id).post.render_version, 3);

  stale = store_->posts().ListStale(3, 10);
  ASSERT_TRUE(stale.ok());
  EXPECT_TRUE(stale->empty());
}

TEST_P(StoreTest, Recommendations) {
  RT_WORLD();
  Account cy = MakeAccount("cy@example.org", "Cy");
  Thread t = d.Start("T", kNow).first;
  Post p1 = d.Reply(t.id, d.bob, "p1", kNow + 1s);
  Post p2 = d.Reply(t.id, d.bob, "p2", kNow + 2s);
  Post p3 = d.Reply(t.id, d.bob, "p3", kNow + 3s);

  Result<bool> added = store_->posts().Recommend(p1.id, d.ada, kNow);
  ASSERT_TRUE(added.ok());
  EXPECT_TRUE(*added);
  added = store_->posts().Recommend(p1.id, d.ada, kNow);
  ASSERT_TRUE(added.ok());
  EXPECT_FALSE(*added);
  EXPECT_EQ(d.GetPost(p1.id).post.recommend_count, 1);
  ASSERT_TRUE(*store_->posts().Recommend(p1.id, cy.id, kNow));
  EXPECT_EQ(d.GetPost(p1.id).post.recommend_count, 2);
  ASSERT_TRUE(*store_->posts().Recommend(p2.id, d.ada, kNow));
  ASSERT_TRUE(*store_->posts().Recommend(p3.id, cy.id, kNow));

  Result<bool> removed = store_->posts().Unrecommend(p3.id, d.ada);
  ASSERT_TRUE(removed.ok());
  EXPECT_FALSE(*removed);  // Ada never recommended p3
  removed = store_->posts().Unrecommend(p1.id, cy.id);
  ASSERT_TRUE(removed.ok());
  EXPECT_TRUE(*removed);
  EXPECT_EQ(d.GetPost(p1.id).post.recommend_count, 1);
  ASSERT_TRUE(*store_->posts().Recommend(p2.id, cy.id, kNow));  // p2: 2

  Result<std::unordered_set<int64_t>> mine = store_->posts().RecommendedBy(
      d.ada, {p1.id, p2.id, p3.id, PostId{9999}});
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(*mine, (std::unordered_set<int64_t>{p1.id.value, p2.id.value}));
  mine = store_->posts().RecommendedBy(d.ada, {p3.id});
  ASSERT_TRUE(mine.ok());
  EXPECT_TRUE(mine->empty());
  mine = store_->posts().RecommendedBy(d.ada, {});
  ASSERT_TRUE(mine.ok());
  EXPECT_TRUE(mine->empty());

  // p2 (2), then p3 and p1 (1 each, higher id first).
  Result<std::vector<RecommendedPost>> best =
      store_->posts().MostRecommended(group.id, 10);
  ASSERT_TRUE(best.ok());
  ASSERT_EQ(best->size(), 3u);
  EXPECT_EQ((*best)[0].view.post.id, p2.id);
  EXPECT_EQ((*best)[0].view.post.recommend_count, 2);
  EXPECT_EQ((*best)[0].thread_title, "T");
  EXPECT_EQ((*best)[0].view.author_name, "Bob Babbage");
  EXPECT_EQ((*best)[1].view.post.id, p3.id);
  EXPECT_EQ((*best)[2].view.post.id, p1.id);
  best = store_->posts().MostRecommended(group.id, 1);
  ASSERT_TRUE(best.ok());
  ASSERT_EQ(best->size(), 1u);

  // Deleted posts drop out; unrecommended ones (count 0) never show; other
  // groups' posts stay out.
  ASSERT_TRUE(store_->posts().SoftDelete(p2.id, kNow + 1h).ok());
  ASSERT_TRUE(*store_->posts().Unrecommend(p3.id, cy.id));
  Group other = MakeGroup(assoc, "other", "Other", 2);
  Thread ot = d.NewThreadIn(other.id, "Elsewhere", kNow).first;
  ASSERT_TRUE(*store_->posts().Recommend(ot.first_post_id, d.bob, kNow));
  best = store_->posts().MostRecommended(group.id, 10);
  ASSERT_TRUE(best.ok());
  ASSERT_EQ(best->size(), 1u);
  EXPECT_EQ((*best)[0].view.post.id, p1.id);
}

// RecommendedBy scans the viewer's recommendations between the lowest and
// highest id asked for; posts in between that were not asked for stay out,
// and someone whose recommendations fill the range gets the per-post probe.
TEST_P(StoreTest, RecommendedByAnswersOnlyThePostsAskedFor) {
  RT_WORLD();
  Thread t = d.Start("T", kNow).first;
  std::vector<Post> posts;
  for (int i = 0; i < 40; ++i) {
    posts.push_back(d.Reply(t.id, d.bob, "p" + std::to_string(i), kNow + std::chrono::seconds(i)));
  }
  // Ada recommends every post but posts[5].
  for (int i = 0; i < 40; ++i) {
    if (i == 5) continue;
    ASSERT_TRUE(*store_->posts().Recommend(posts[i].id, d.ada, kNow));
  }
  // Two ends and the gap: 38 recommendations lie in the range, over the
  // scan's cap for three posts (28), so this takes the probe path.
  auto mine = store_->posts().RecommendedBy(d.ada, {posts[0].id, posts[5].id, posts[39].id});
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(*mine, (std::unordered_set<int64_t>{posts[0].id.value, posts[39].id.value}));
  // Within the cap: the scan path, with posts in the range not asked for.
  mine = store_->posts().RecommendedBy(d.ada, {posts[3].id, posts[5].id, posts[9].id});
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(*mine, (std::unordered_set<int64_t>{posts[3].id.value, posts[9].id.value}));
}

TEST_P(StoreTest, ReplyAuthorsAreDistinctAndVisible) {
  RT_WORLD();
  Account cy = MakeAccount("cy@example.org", "Cy");
  Account di = MakeAccount("di@example.org", "Di");
  Thread t = d.Start("T", kNow).first;  // opened by Ada
  d.Reply(t.id, d.bob, "1", kNow + 1s);
  d.Reply(t.id, d.bob, "2", kNow + 2s);
  d.Reply(t.id, cy.id, "3", kNow + 3s);
  Post gone = d.Reply(t.id, di.id, "4", kNow + 4s);
  ASSERT_TRUE(store_->posts().SoftDelete(gone.id, kNow + 1h).ok());

  Result<std::vector<AccountId>> authors = store_->posts().ReplyAuthors(t.id);
  ASSERT_TRUE(authors.ok());
  std::vector<AccountId> want{d.bob, cy.id};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(*authors, want);  // no Ada (opening only), no Di (deleted)

  d.Reply(t.id, d.ada, "5", kNow + 5s);
  authors = store_->posts().ReplyAuthors(t.id);
  ASSERT_TRUE(authors.ok());
  EXPECT_EQ(authors->size(), 3u);
}

TEST_P(StoreTest, FollowsAreIdempotent) {
  RT_WORLD();
  Thread t = d.Start("T", kNow).first;
  EXPECT_FALSE(*store_->follows().IsFollowing(t.id, d.bob));
  ASSERT_TRUE(store_->follows().Follow(t.id, d.bob, kNow).ok());
  ASSERT_TRUE(store_->follows().Follow(t.id, d.bob, kNow + 1s).ok());
  ASSERT_TRUE(store_->follows().Follow(t.id, d.ada, kNow).ok());
  EXPECT_TRUE(*store_->follows().IsFollowing(t.id, d.bob));
  Result<std::vector<AccountId>> f = store_->follows().Followers(t.id);
  ASSERT_TRUE(f.ok());
  std::vector<AccountId> want{d.ada, d.bob};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(*f, want);

  ASSERT_TRUE(store_->follows().Unfollow(t.id, d.bob).ok());
  ASSERT_TRUE(store_->follows().Unfollow(t.id, d.bob).ok());
  EXPECT_FALSE(*store_->follows().IsFollowing(t.id, d.bob));
  f = store_->follows().Followers(t.id);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f, std::vector<AccountId>{d.ada});
}

Notification NewNotification(AccountId to, AccountId actor,
                             NotificationKind kind, ThreadId thread,
                             TimePoint at) {
  Notification n;
  n.account_id = to;
  n.actor_id = actor;
  n.kind = kind;
  n.thread_id = thread;
  n.created_at = at;
  return n;
}

TEST_P(StoreTest, NotificationsListUnreadMarkRead) {
  RT_WORLD();
  auto [t, first] = d.Start("Budget", kNow);
  std::vector<NotificationId> ids;
  for (int i = 0; i < 5; ++i) {
    Notification n = NewNotification(
        d.ada, d.bob,
        i == 4 ? NotificationKind::kMention : NotificationKind::kReply,
        i == 3 ? ThreadId{} : t.id, kNow + std::chrono::seconds(i));
    if (i == 0) n.post_id = first.id;
    Result<Notification> r = store_->notifications().Create(n);
    ASSERT_TRUE(r.ok()) << r.error().code;
    EXPECT_TRUE(r->id.valid());
    ids.push_back(r->id);
  }
  // Someone else's notification does not count for Ada.
  ASSERT_TRUE(store_->notifications()
                  .Create(NewNotification(d.bob, d.ada,
                                          NotificationKind::kReply, t.id, kNow))
                  .ok());

  EXPECT_EQ(*store_->notifications().UnreadCount(d.ada), 5);
  EXPECT_EQ(*store_->notifications().UnreadCountUpTo(d.ada, 3), 3);
  EXPECT_EQ(*store_->notifications().UnreadCountUpTo(d.ada, 6), 5);
  Result<std::vector<NotificationView>> list =
      store_->notifications().List(d.ada, NotificationId{}, 3);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].notification.id, ids[4]);
  EXPECT_EQ((*list)[0].notification.kind, NotificationKind::kMention);
  EXPECT_EQ((*list)[0].actor_name, "Bob Babbage");
  EXPECT_EQ((*list)[0].thread_title, "Budget");
  EXPECT_EQ((*list)[0].notification.created_at, kNow + 4s);
  EXPECT_FALSE((*list)[0].notification.read);
  EXPECT_EQ((*list)[1].notification.id, ids[3]);
  EXPECT_FALSE((*list)[1].notification.thread_id.valid());
  EXPECT_EQ((*list)[1].thread_title, "");
  EXPECT_EQ((*list)[2].notification.id, ids[2]);

  list = store_->notifications().List(d.ada, ids[2], 10);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].notification.id, ids[1]);
  EXPECT_EQ((*list)[1].notification.id, ids[0]);
  EXPECT_EQ((*list)[1].notification.post_id, first.id);

  ASSERT_TRUE(store_->notifications().MarkRead(d.ada, ids[1]).ok());
  EXPECT_EQ(*store_->notifications().UnreadCount(d.ada), 3);
  list = store_->notifications().List(d.ada, NotificationId{}, 10);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 5u);
  EXPECT_FALSE((*list)[2].notification.read);  // ids[2]
  EXPECT_TRUE((*list)[3].notification.read);   // ids[1]
  EXPECT_TRUE((*list)[4].notification.read);   // ids[0]

  ASSERT_TRUE(store_->notifications().MarkRead(d.ada, NotificationId{}).ok());
  EXPECT_EQ(*store_->notifications().UnreadCount(d.ada), 0);
  EXPECT_EQ(*store_->notifications().UnreadCountUpTo(d.ada, 3), 0);
  EXPECT_EQ(*store_->notifications().UnreadCount(d.bob), 1);
}

Message NewMessage(ConversationId c, AccountId author, const std::string& text,
                   TimePoint at) {
  Message m;
  m.conversation_id = c;
  m.author_id = author;
  m.body_source = text;
  m.body_html = "<p>" + text + "</p>";
  m.created_at = at;
  return m;
}

TEST_P(StoreTest, ConversationsInboxAndReads) {
  RT_WORLD();
  Account cy = MakeAccount("cy@example.org", "Cy");
  Result<Conversation> ab =
      store_->conversations().FindOrCreate(d.bob, d.ada, kNow);
  ASSERT_TRUE(ab.ok());
  EXPECT_EQ(ab->a, std::min(d.ada, d.bob));
  EXPECT_EQ(ab->b, std::max(d.ada, d.bob));
  Result<Conversation> ba =
      store_->conversations().FindOrCreate(d.ada, d.bob, kNow + 1h);
  ASSERT_TRUE(ba.ok());
  EXPECT_EQ(ba->id, ab->id);
  EXPECT_EQ(ba->created_at, kNow);
  Result<Conversation> ac =
      store_->conversations().FindOrCreate(d.ada, cy.id, kNow);
  ASSERT_TRUE(ac.ok());
  EXPECT_NE(ac->id, ab->id);
  EXPECT_FALSE(store_->conversations().FindOrCreate(d.ada, d.ada, kNow).ok());

  // Nothing said yet: nothing in anyone's inbox.
  Result<std::vector<ConversationView>> inbox =
      store_->conversations().Inbox(d.ada, 10);
  ASSERT_TRUE(inbox.ok());
  EXPECT_TRUE(inbox->empty());

  Thread t = d.Start("T", kNow).first;
  Message m1 = NewMessage(ab->id, d.ada, "hello bob", kNow + 1s);
  m1.about_post = t.first_post_id;
  Result<Message> r1 = store_->conversations().AddMessage(m1);
  ASSERT_TRUE(r1.ok());
  EXPECT_TRUE(r1->id.valid());
  ASSERT_TRUE(store_->conversations()
                  .AddMessage(NewMessage(ab->id, d.bob, "hi ada", kNow + 2s))
                  .ok());
  ASSERT_TRUE(store_->conversations()
                  .AddMessage(NewMessage(ab->id, d.bob, "again", kNow + 3s))
                  .ok());
  ASSERT_TRUE(store_->conversations()
                  .AddMessage(NewMessage(ac->id, cy.id, "from cy", kNow + 10s))
                  .ok());

  Result<std::optional<Conversation>> found =
      store_->conversations().Find(ab->id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->last_message_at, kNow + 3s);

  inbox = store_->conversations().Inbox(d.ada, 10);
  ASSERT_TRUE(inbox.ok());
  ASSERT_EQ(inbox->size(), 2u);
  EXPECT_EQ((*inbox)[0].conversation.id, ac->id);  // most recent first
  EXPECT_EQ((*inbox)[0].other_id, cy.id);
  EXPECT_EQ((*inbox)[0].other_name, "Cy");
  EXPECT_EQ((*inbox)[0].unread, 1);
  EXPECT_EQ((*inbox)[0].last_snippet, "from cy");
  EXPECT_EQ((*inbox)[1].conversation.id, ab->id);
  EXPECT_EQ((*inbox)[1].other_id, d.bob);
  EXPECT_EQ((*inbox)[1].other_name, "Bob Babbage");
  EXPECT_EQ((*inbox)[1].unread, 2);  // Bob's two; her own does not count
  EXPECT_EQ((*inbox)[1].last_snippet, "again");

  Result<std::vector<ConversationView>> bob_inbox =
      store_->conversations().Inbox(d.bob, 10);
  ASSERT_TRUE(bob_inbox.ok());
  ASSERT_EQ(bob_inbox->size(), 1u);
  EXPECT_EQ((*bob_inbox)[0].other_id, d.ada);
  EXPECT_EQ((*bob_inbox)[0].other_name, "Ada Lovelace");
  EXPECT_EQ((*bob_inbox)[0].unread, 1);

  ASSERT_TRUE(store_->conversations().MarkRead(ab->id, d.ada, kNow + 1h).ok());
  inbox = store_->conversations().Inbox(d.ada, 10);
  ASSERT_TRUE(inbox.ok());
  ASSERT_EQ(inbox->size(), 2u);
  EXPECT_EQ((*inbox)[1].unread, 0);
  EXPECT_EQ((*inbox)[0].unread, 1);  // other conversations untouched
  bob_inbox = store_->conversations().Inbox(d.bob, 10);
  ASSERT_TRUE(bob_inbox.ok());
  EXPECT_EQ((*bob_inbox)[0].unread, 1);  // Bob's side untouched

  // A new message after the read mark is unread again; marking twice is fine.
  ASSERT_TRUE(store_->conversations()
                  .AddMessage(NewMessage(ab->id, d.bob, "more", kNow + 1h))
                  .ok());
  inbox = store_->conversations().Inbox(d.ada, 10);
  ASSERT_TRUE(inbox.ok());
  EXPECT_EQ((*inbox)[0].conversation.id, ab->id);
  EXPECT_EQ((*inbox)[0].unread, 1);
  ASSERT_TRUE(store_->conversations().MarkRead(ab->id, d.ada, kNow + 2h).ok());
  ASSERT_TRUE(store_->conversations().MarkRead(ab->id, d.ada, kNow + 2h).ok());
  inbox = store_->conversations().Inbox(d.ada, 1);
  ASSERT_TRUE(inbox.ok());
  ASSERT_EQ(inbox->size(), 1u);
  EXPECT_EQ((*inbox)[0].unread, 0);

  Result<std::vector<MessageView>> msgs =
      store_->conversations().Messages(ab->id, MessageId{}, 10);
  ASSERT_TRUE(msgs.ok());
  ASSERT_EQ(msgs->size(), 4u);
  EXPECT_EQ((*msgs)[0].message.id, r1->id);
  EXPECT_EQ((*msgs)[0].message.about_post, t.first_post_id);
  EXPECT_EQ((*msgs)[0].message.body_html, "<p>hello bob</p>");
  EXPECT_EQ((*msgs)[0].message.created_at, kNow + 1s);
  EXPECT_EQ((*msgs)[0].author_name, "Ada Lovelace");
  EXPECT_EQ((*msgs)[1].author_name, "Bob Babbage");
  EXPECT_FALSE((*msgs)[1].message.about_post.valid());
  EXPECT_EQ((*msgs)[3].message.body_source, "more");
  msgs = store_->conversations().Messages(ab->id, r1->id, 2);
  ASSERT_TRUE(msgs.ok());
  ASSERT_EQ(msgs->size(), 2u);
  EXPECT_EQ((*msgs)[0].message.body_source, "hi ada");
}

TEST_P(StoreTest, InboxSnippetCutsAtCharacterBoundary) {
  RT_WORLD();
  Conversation c = *store_->conversations().FindOrCreate(d.ada, d.bob, kNow);
  // 119 ASCII bytes then a 2-byte 'é': byte 120 falls inside it.
  std::string text = std::string(119, 'a') + "\xc3\xa9" + "tail";
  ASSERT_TRUE(store_->conversations()
                  .AddMessage(NewMessage(c.id, d.bob, text, kNow))
                  .ok());
  Result<std::vector<ConversationView>> inbox =
      store_->conversations().Inbox(d.ada, 10);
  ASSERT_TRUE(inbox.ok());
  ASSERT_EQ(inbox->size(), 1u);
  EXPECT_EQ((*inbox)[0].last_snippet, std::string(119, 'a'));

  // Exactly 120 bytes ending on a whole character is kept whole.
  std::string exact = std::string(118, 'b') + "\xc3\xa9" + "more";
  ASSERT_TRUE(store_->conversations()
                  .AddMessage(NewMessage(c.id, d.bob, exact, kNow + 1s))
                  .ok());
  inbox = store_->conversations().Inbox(d.ada, 10);
  ASSERT_TRUE(inbox.ok());
  EXPECT_EQ((*inbox)[0].last_snippet, std::string(118, 'b') + "\xc3\xa9");

  // Short texts come back whole.
  ASSERT_TRUE(store_->conversations()
                  .AddMessage(NewMessage(c.id, d.bob, "h\xc3\xa9", kNow + 2s))
                  .ok());
  inbox = store_->conversations().Inbox(d.ada, 10);
  ASSERT_TRUE(inbox.ok());
  EXPECT_EQ((*inbox)[0].last_snippet, "h\xc3\xa9");
}

TEST_P(StoreTest, IdempotencyKeys) {
  RT_WORLD();
  Result<std::optional<IdempotentResponse>> none =
      store_->idempotency().Find(d.ada, "k1");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  ASSERT_TRUE(store_->idempotency().Save(d.ada, "k1", {201, "{\"id\":7}"}, kNow)
                  .ok());
  Result<std::optional<IdempotentResponse>> got =
      store_->idempotency().Find(d.ada, "k1");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->status, 201);
  EXPECT_EQ((*got)->body, "{\"id\":7}");

  // Keys are per account.
  none = store_->idempotency().Find(d.bob, "k1");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(store_->idempotency().Save(d.bob, "k1", {200, "b"}, kNow).ok());

  Status dup = store_->idempotency().Save(d.ada, "k1", {500, "x"}, kNow);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(dup.error().code, "idempotency_conflict");
  got = store_->idempotency().Find(d.ada, "k1");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->status, 201);
}

TEST_P(StoreTest, FindMembersByNameKeys) {
  RT_WORLD();
  Account cy = MakeAccount("cy@example.org", "Cy Young");
  Account outsider = MakeAccount("out@example.org", "Out Sider");
  ASSERT_TRUE(*store_->groups().AddMember(group.id, d.ada,
                                          GroupRole::kMember, kNow));
  ASSERT_TRUE(
      *store_->groups().AddMember(group.id, d.bob, GroupRole::kMember, kNow));
  ASSERT_TRUE(
      *store_->groups().AddMember(group.id, cy.id, GroupRole::kMember, kNow));
  Group other = MakeGroup(assoc, "other", "Other", 2);
  ASSERT_TRUE(*store_->groups().AddMember(other.id, outsider.id,
                                          GroupRole::kMember, kNow));

  Result<std::vector<Account>> found = store_->groups().FindMembersByNameKeys(
      group.id,
      {"cy young", "Ada Lovelace", "out sider", "nobody", "cy young"});
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].id, d.ada);  // by name
  EXPECT_EQ((*found)[0].name, "Ada Lovelace");
  EXPECT_EQ((*found)[1].id, cy.id);

  found = store_->groups().FindMembersByNameKeys(group.id, {});
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->empty());

  // Only the first 50 distinct keys are looked up.
  std::vector<std::string> many;
  for (int i = 0; i < 50; ++i) many.push_back("filler " + std::to_string(i));
  many.push_back("bob babbage");
  found = store_->groups().FindMembersByNameKeys(group.id, many);
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->empty());
  many.insert(many.begin(), "bob babbage");
  found = store_->groups().FindMembersByNameKeys(group.id, many);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].id, d.bob);

  // Repeats do not use up the 50.
  std::vector<std::string> repeats(60, "filler");
  repeats.push_back("Bob Babbage");
  found = store_->groups().FindMembersByNameKeys(group.id, repeats);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].id, d.bob);
}

// ---------------------------------------------------------------------------
// SQLite only: the outbox is not part of any repository interface yet, so
// read it directly.

class SqliteOutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Store>> s = OpenStore(db_.url());
    ASSERT_TRUE(s.ok());
    store_ = std::move(s).value();
    ASSERT_TRUE(store_->Migrate().ok());
    Result<Account> a = store_->accounts().Create(
        {"ada@example.org", "Ada", "h"}, kNow);
    Result<Account> b = store_->accounts().Create(
        {"bob@example.org", "Bob", "h"}, kNow);
    ASSERT_TRUE(a.ok() && b.ok());
    ada_ = a->id;
    bob_ = b->id;
  }
  std::string path() const { return db_.url().substr(7); }

  int64_t Count(const char* sql) {
    SQLite::Database db(path(), SQLite::OPEN_READONLY);
    return db.execAndGet(sql).getInt64();
  }

  SqliteTestDatabase db_;
  std::unique_ptr<Store> store_;
  AccountId ada_;
  AccountId bob_;
};

TEST_F(SqliteOutboxTest, NotificationWritesOutboxRow) {
  Notification n = NewNotification(ada_, bob_, NotificationKind::kReply,
                                   ThreadId{}, kNow);
  Result<Notification> created = Result<Notification>(Notification{});
  ASSERT_TRUE(store_
                  ->InTransaction([&]() -> Status {
                    created = store_->notifications().Create(n);
                    return created.ok() ? OkStatus()
                                        : Status(created.take_error());
                  })
                  .ok());
  ASSERT_TRUE(created.ok());

  SQLite::Database db(path(), SQLite::OPEN_READONLY);
  SQLite::Statement q(db,
                      "SELECT kind, dedupe_key, payload, created_at, attempts, "
                      "next_attempt_at, sent_at FROM outbox");
  ASSERT_TRUE(q.executeStep());
  EXPECT_EQ(q.getColumn(0).getString(), "notification");
  EXPECT_EQ(q.getColumn(1).getString(),
            "notification:" + std::to_string(created->id.value));
  EXPECT_EQ(q.getColumn(2).getString(),
            "{\"notification_id\":" + std::to_string(created->id.value) +
                ",\"account_id\":" + std::to_string(ada_.value) +
                ",\"kind\":\"reply\"}");
  EXPECT_EQ(q.getColumn(3).getInt64(), ToUnix(kNow));
  EXPECT_EQ(q.getColumn(4).getInt64(), 0);
  EXPECT_EQ(q.getColumn(5).getInt64(), ToUnix(kNow));
  EXPECT_TRUE(q.isColumnNull(6));
  EXPECT_FALSE(q.executeStep());
}

TEST_F(SqliteOutboxTest, RolledBackNotificationLeavesNoOutboxRow) {
  Notification n = NewNotification(ada_, bob_, NotificationKind::kMention,
                                   ThreadId{}, kNow);
  Status st = store_->InTransaction([&]() -> Status {
    Result<Notification> r = store_->notifications().Create(n);
    if (!r.ok()) return r.take_error();
    return MakeError(ErrorKind::kRuleBroken, "later_step_failed", "x");
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "later_step_failed");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox"), 0);

}

TEST_F(SqliteOutboxTest, NotificationIdsAreNeverReused) {
  // If the newest notification goes (an account deleted, say), its id must
  // not come back: its outbox row still holds "notification:<id>".
  Notification n = NewNotification(ada_, bob_, NotificationKind::kReply,
                                   ThreadId{}, kNow);
  Result<Notification> a = store_->notifications().Create(n);
  ASSERT_TRUE(a.ok());
  {
    SQLite::Database db(path(), SQLite::OPEN_READWRITE);
    db.exec("DELETE FROM notifications");
  }
  Result<Notification> b = store_->notifications().Create(n);
  ASSERT_TRUE(b.ok()) << b.error().code;
  EXPECT_GT(b->id, a->id);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox"), 2);
}

}  // namespace
}  // namespace rt::store::testing

namespace rt::store::testing {
namespace {

// CreateMany must leave the notification rows one Create per notification
// leaves, but no outbox rows: its caller's own outbox row stands for them.
TEST_F(SqliteOutboxTest, CreateManyMatchesCreateRowForRow) {
  Notification single = NewNotification(ada_, bob_, NotificationKind::kReply, ThreadId{}, kNow);
  std::vector<Notification> many = {
      NewNotification(bob_, ada_, NotificationKind::kMention, ThreadId{}, kNow),
      NewNotification(ada_, bob_, NotificationKind::kAnswerAccepted, ThreadId{}, kNow),
  };
  ASSERT_TRUE(store_->InTransaction([&]() -> Status {
    RT_RETURN_IF_ERROR(ToStatus(store_->notifications().Create(single)));
    RT_RETURN_IF_ERROR(store_->notifications().CreateMany(many));
    return store_->notifications().CreateMany({});
  }).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications"), 3);
  // Only Create's row.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox o JOIN notifications n "
                  "ON o.dedupe_key = 'notification:' || n.id AND n.kind = 'reply'"),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications WHERE kind = 'mention' AND account_id = 2 "
                  "AND actor_id = 1 AND thread_id IS NULL AND read = 0"),
            1);
  auto listed = store_->notifications().List(ada_, NotificationId{}, 10);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].notification.kind, NotificationKind::kAnswerAccepted);
  EXPECT_EQ((*listed)[0].notification.created_at, kNow);
}

TEST_F(SqliteOutboxTest, CreateManyRollsBackWithItsTransaction) {
  std::vector<Notification> many = {
      NewNotification(bob_, ada_, NotificationKind::kReply, ThreadId{}, kNow),
      NewNotification(ada_, bob_, NotificationKind::kReply, ThreadId{}, kNow),
  };
  Status st = store_->InTransaction([&]() -> Status {
    RT_RETURN_IF_ERROR(store_->notifications().CreateMany(many));
    return MakeError(ErrorKind::kRuleBroken, "later_step_failed", "x");
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox"), 0);
}

}  // namespace
}  // namespace rt::store::testing

namespace rt::store::testing {
namespace {

// A batch of runs (rows that differ only in recipient, then a different
// kind, then the first kind again) gets consecutive ids in input order.
TEST_F(SqliteOutboxTest, CreateManyKeepsOrderAcrossRuns) {
  std::vector<AccountId> to;
  for (int i = 0; i < 5; ++i) {
    Result<Account> a = store_->accounts().Create(
        {"r" + std::to_string(i) + "@example.org", "R" + std::to_string(i), "h"}, kNow);
    ASSERT_TRUE(a.ok());
    to.push_back(a->id);
  }
  std::vector<Notification> many = {
      NewNotification(to[3], ada_, NotificationKind::kReply, ThreadId{}, kNow),
      NewNotification(to[1], ada_, NotificationKind::kReply, ThreadId{}, kNow),
      NewNotification(to[4], ada_, NotificationKind::kMention, ThreadId{}, kNow),
      NewNotification(to[0], ada_, NotificationKind::kReply, ThreadId{}, kNow),
      NewNotification(to[2], ada_, NotificationKind::kReply, ThreadId{}, kNow + std::chrono::seconds(1)),
  };
  ASSERT_TRUE(store_->InTransaction([&] { return store_->notifications().CreateMany(many); }).ok());
  SQLite::Database db(path(), SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT account_id, kind, created_at FROM notifications ORDER BY id");
  for (const Notification& n : many) {
    ASSERT_TRUE(q.executeStep());
    EXPECT_EQ(q.getColumn(0).getInt64(), n.account_id.value);
    EXPECT_EQ(q.getColumn(1).getString(), ToString(n.kind));
    EXPECT_EQ(q.getColumn(2).getInt64(), ToUnix(n.created_at));
  }
  EXPECT_FALSE(q.executeStep());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox"), 0);
  EXPECT_EQ(Count("SELECT MAX(id) - MIN(id) FROM notifications"), 4);
}

}  // namespace
}  // namespace rt::store::testing
