// Thread contents and first pages of thread lists may come from a copy kept
// across calls and shared by all threads (SQLite: content_cache.h, kept
// right by migration 007's triggers). Whatever an engine keeps, every way of
// writing, by any connection, must show in the next read, and a rolled back
// write must never be served. TEST_P tests join the StoreTest suite
// instantiated in store_test.cc.

#include <SQLiteCpp/Database.h>

#include <string>
#include <vector>

#include "store/store_fixture.h"

namespace rt::store::testing {
namespace {

class ContentWorld {
 public:
  ContentWorld(Store& s, AccountId ada, AccountId bob, GroupId group)
      : s_(s), ada(ada), bob(bob), group(group) {}

  Post Text(ThreadId thread, AccountId author, const std::string& text) const {
    Post p;
    p.thread_id = thread;
    p.author_id = author;
    p.body_source = text;
    p.body_html = "<p>" + text + "</p>";
    p.render_version = 1;
    p.created_at = kNow;
    return p;
  }

  std::pair<Thread, Post> Start(const std::string& title, ThreadKind kind) {
    Thread t;
    t.group_id = group;
    t.author_id = ada;
    t.kind = kind;
    t.title = title;
    t.created_at = kNow;
    t.last_activity_at = kNow;
    Result<std::pair<Thread, Post>> r = s_.threads().Create(t, Text({}, ada, "opening"));
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::pair<Thread, Post>{};
  }

  Post Reply(ThreadId thread, AccountId author, const std::string& text) {
    Result<Post> r = s_.posts().Create(Text(thread, author, text));
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : Post{};
  }

  // Read twice, so a copy exists before the caller's next write, and check
  // that both reads agree.
  std::shared_ptr<const ThreadContents> Read(ThreadId thread) {
    auto first = s_.threads().Contents(thread, PostId{}, 32);
    auto again = s_.threads().Contents(thread, PostId{}, 32);
    EXPECT_TRUE(first.ok() && again.ok());
    if (!first.ok() || !again.ok() || *first == nullptr) return nullptr;
    EXPECT_EQ((*first)->posts.size(), (*again)->posts.size());
    return *again;
  }

  std::vector<ThreadListing> List() {
    auto first = s_.threads().List(group, {}, std::nullopt, 26);
    auto again = s_.threads().List(group, {}, std::nullopt, 26);
    EXPECT_TRUE(first.ok() && again.ok());
    return again.ok() ? *again : std::vector<ThreadListing>{};
  }

  Store& s_;
  AccountId ada, bob;
  GroupId group;
};

const PostView& PostAt(const ThreadContents& c, size_t i) { return c.posts.at(i); }

TEST_P(StoreTest, ThreadContentsFollowEveryWrite) {
  AssociationId assoc = MakeAssociation("pla");
  Group g = MakeGroup(assoc, "alpha", "Alpha", 1);
  ContentWorld w(*store_, MakeAccount("a@example.org", "Ada").id,
                 MakeAccount("b@example.org", "Bob").id, g.id);
  auto [t, opening] = w.Start("Which sensor?", ThreadKind::kQuestion);

  auto c = w.Read(t.id);
  ASSERT_NE(c, nullptr);
  ASSERT_EQ(c->posts.size(), 1u);
  EXPECT_EQ(c->listing.group_slug, "alpha");
  // Unchanged data is shared, not read again.
  auto same = store_->threads().Contents(t.id, PostId{}, 32);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->get(), c.get());

  Post reply = w.Reply(t.id, w.bob, "the blue one");
  c = w.Read(t.id);
  ASSERT_EQ(c->posts.size(), 2u);
  EXPECT_EQ(c->listing.thread.reply_count, 1);

  ASSERT_TRUE(store_->posts().Edit(reply.id, "the red one", "<p>the red one</p>", 1, kNow).ok());
  c = w.Read(t.id);
  EXPECT_EQ(PostAt(*c, 1).post.body_html, "<p>the red one</p>");
  EXPECT_TRUE(PostAt(*c, 1).post.edited_at.has_value());

  ASSERT_TRUE(*store_->posts().Recommend(reply.id, w.ada, kNow));
  c = w.Read(t.id);
  EXPECT_EQ(PostAt(*c, 1).post.recommend_count, 1);
  ASSERT_TRUE(*store_->posts().Unrecommend(reply.id, w.ada));
  c = w.Read(t.id);
  EXPECT_EQ(PostAt(*c, 1).post.recommend_count, 0);

  ASSERT_TRUE(store_->threads().SetAcceptedPost(t.id, reply.id).ok());
  c = w.Read(t.id);
  ASSERT_TRUE(c->answer.has_value());
  EXPECT_EQ(c->answer->post.id, reply.id);

  ASSERT_TRUE(store_->threads().SetPinned(t.id, true).ok());
  EXPECT_TRUE(w.Read(t.id)->listing.thread.pinned);
  ASSERT_TRUE(store_->threads().SetLocked(t.id, true).ok());
  EXPECT_TRUE(w.Read(t.id)->listing.thread.locked);
  ASSERT_TRUE(store_->threads().SetConsent(t.id, StoryConsent::kPublic).ok());
  EXPECT_EQ(w.Read(t.id)->listing.thread.consent, StoryConsent::kPublic);

  Profile p;
  p.name = "Robert";
  p.job_title = "Hydrologist";
  ASSERT_TRUE(store_->accounts().UpdateProfile(w.bob, p, kNow).ok());
  c = w.Read(t.id);
  EXPECT_EQ(PostAt(*c, 1).author_name, "Robert");
  EXPECT_EQ(PostAt(*c, 1).author_title, "Hydrologist");
  EXPECT_EQ(c->answer->author_name, "Robert");

  ASSERT_TRUE(store_->posts().SoftDelete(reply.id, kNow).ok());
  c = w.Read(t.id);
  EXPECT_TRUE(PostAt(*c, 1).post.deleted);
  EXPECT_EQ(PostAt(*c, 1).post.body_html, "");

  ASSERT_TRUE(store_->posts().SetRendered(opening.id, "<p>re-rendered</p>", 2).ok());
  EXPECT_EQ(PostAt(*w.Read(t.id), 0).post.body_html, "<p>re-rendered</p>");
}

TEST_P(StoreTest, ThreadContentsFollowWritesOfOtherConnections) {
  AssociationId assoc = MakeAssociation("pla");
  Group g = MakeGroup(assoc, "alpha", "Alpha", 1);
  ContentWorld w(*store_, MakeAccount("a@example.org", "Ada").id,
                 MakeAccount("b@example.org", "Bob").id, g.id);
  auto [t, opening] = w.Start("Hello", ThreadKind::kDiscussion);
  ASSERT_NE(w.Read(t.id), nullptr);
  ASSERT_EQ(w.List().size(), 1u);

  // Another process writes with plain SQL: only the triggers can tell.
  if (GetParam().name == "sqlite") {
    std::string path = db_->url().substr(std::string("sqlite:").size());
    SQLite::Database other(path, SQLite::OPEN_READWRITE);
    other.exec("UPDATE posts SET body_html = '<p>from elsewhere</p>' WHERE id = " +
               std::to_string(opening.id.value));
    other.exec("UPDATE accounts SET name = 'Ada L' WHERE id = " + std::to_string(w.ada.value));
    other.exec("UPDATE threads SET title = 'Hello again' WHERE id = " +
               std::to_string(t.id.value));
    other.exec("UPDATE interest_groups SET slug = 'alpha-renamed' WHERE id = " +
               std::to_string(g.id.value));
  } else {
    std::unique_ptr<Store> other = OpenMigrated();
    ASSERT_TRUE(other->posts().Edit(opening.id, "x", "<p>from elsewhere</p>", 1, kNow).ok());
    Profile p;
    p.name = "Ada L";
    ASSERT_TRUE(other->accounts().UpdateProfile(w.ada, p, kNow).ok());
  }
  auto c = w.Read(t.id);
  EXPECT_EQ(PostAt(*c, 0).post.body_html, "<p>from elsewhere</p>");
  EXPECT_EQ(PostAt(*c, 0).author_name, "Ada L");
  EXPECT_EQ(c->listing.author_name, "Ada L");
  std::vector<ThreadListing> l = w.List();
  ASSERT_EQ(l.size(), 1u);
  EXPECT_EQ(l[0].author_name, "Ada L");
  if (GetParam().name == "sqlite") {
    EXPECT_EQ(l[0].thread.title, "Hello again");
    EXPECT_EQ(l[0].group_slug, "alpha-renamed");
    EXPECT_EQ(c->listing.group_slug, "alpha-renamed");
  }
}

TEST_P(StoreTest, ThreadListFirstPageFollowsEveryWrite) {
  AssociationId assoc = MakeAssociation("pla");
  Group g = MakeGroup(assoc, "alpha", "Alpha", 1);
  Group other = MakeGroup(assoc, "beta", "Beta", 2);
  ContentWorld w(*store_, MakeAccount("a@example.org", "Ada").id,
                 MakeAccount("b@example.org", "Bob").id, g.id);
  EXPECT_TRUE(w.List().empty());
  auto first = w.Start("First", ThreadKind::kDiscussion).first;
  ASSERT_EQ(w.List().size(), 1u);
  auto second = w.Start("Second", ThreadKind::kQuestion).first;
  std::vector<ThreadListing> l = w.List();
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0].thread.id, second.id);  // same activity time: newer id first

  ASSERT_TRUE(store_->threads().SetPinned(first.id, true).ok());
  l = w.List();
  EXPECT_EQ(l[0].thread.id, first.id);
  EXPECT_TRUE(l[0].thread.pinned);

  w.Reply(second.id, w.bob, "hi");
  l = w.List();
  EXPECT_EQ(l[1].thread.reply_count, 1);

  ASSERT_TRUE(store_->threads().SetLocked(second.id, true).ok());
  EXPECT_TRUE(w.List()[1].thread.locked);

  // Filters are kept apart.
  ThreadFilter questions;
  questions.kind = ThreadKind::kQuestion;
  auto q = store_->threads().List(g.id, questions, std::nullopt, 26);
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->size(), 1u);
  EXPECT_EQ((*q)[0].thread.id, second.id);

  Profile p;
  p.name = "Ada Byron";
  ASSERT_TRUE(store_->accounts().UpdateProfile(w.ada, p, kNow).ok());
  EXPECT_EQ(w.List()[0].author_name, "Ada Byron");

  // A thread in another group leaves this list alone but shows in its own.
  ContentWorld w2(*store_, w.ada, w.bob, other.id);
  w2.Start("Elsewhere", ThreadKind::kDiscussion);
  EXPECT_EQ(w.List().size(), 2u);
  EXPECT_EQ(w2.List().size(), 1u);
}

TEST_P(StoreTest, RolledBackWriteIsNeverServedFromACopy) {
  AssociationId assoc = MakeAssociation("pla");
  Group g = MakeGroup(assoc, "alpha", "Alpha", 1);
  ContentWorld w(*store_, MakeAccount("a@example.org", "Ada").id,
                 MakeAccount("b@example.org", "Bob").id, g.id);
  auto [t, opening] = w.Start("Hello", ThreadKind::kDiscussion);
  ASSERT_EQ(w.Read(t.id)->posts.size(), 1u);
  ASSERT_EQ(w.List()[0].thread.reply_count, 0);

  // Inside the transaction the reads see the transaction's own write...
  Status s = store_->InTransaction([&]() -> Status {
    w.Reply(t.id, w.bob, "ghost");
    auto c = store_->threads().Contents(t.id, PostId{}, 32);
    EXPECT_TRUE(c.ok() && *c != nullptr && (*c)->posts.size() == 2u);
    auto l = store_->threads().List(g.id, {}, std::nullopt, 26);
    EXPECT_TRUE(l.ok() && l->size() == 1u && (*l)[0].thread.reply_count == 1);
    return MakeError(ErrorKind::kConflict, "undo", "undo");
  });
  ASSERT_FALSE(s.ok());
  // ...which is gone after the rollback (read without the copies: a read
  // through them would replace what the transaction might have filed),
  auto posts = store_->posts().ListForThread(t.id, PostId{}, 32);
  ASSERT_TRUE(posts.ok());
  ASSERT_EQ(posts->size(), 1u);
  // and the same write committed later (reaching the same versions) shows
  // what was committed, not what was rolled back.
  w.Reply(t.id, w.bob, "real");
  auto c = w.Read(t.id);
  ASSERT_EQ(c->posts.size(), 2u);
  EXPECT_EQ(PostAt(*c, 1).post.body_source, "real");
}

}  // namespace
}  // namespace rt::store::testing
