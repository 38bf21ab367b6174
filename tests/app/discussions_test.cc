#include "app/discussions.h"

#include <gtest/gtest.h>

#include "app/accounts.h"
#include "app/conversations.h"
#include "app/demo.h"
#include "app/groups.h"
#include "domain/discussions/markdown.h"
#include "jobs/outbox_runner.h"
#include "support/app_fixture.h"

namespace rt::app {
namespace {

class DiscussionsTest : public testing::AppTest {
 protected:
  void SetUp() override {
    auto seeded = DemoSeeder(ctx_).Seed();
    ASSERT_TRUE(seeded.ok()) << seeded.error().message;
    ana_ = As("active@demo.roundtable.test");
    grant_ = As("grace@demo.roundtable.test");
    eve_ = As("expired@demo.roundtable.test");
    nora_ = As("visitor@demo.roundtable.test");
    lena_ = As("liaison@demo.roundtable.test");
    ASSERT_TRUE(groups_.Join(ana_, "data-measurement").ok());
    ASSERT_TRUE(groups_.Join(grant_, "data-measurement").ok());
  }


  Created Ask(const Viewer& who, const std::string& title, const std::string& slug = "data-measurement") {
    auto c = discussions_.StartThread(who, slug, {"question", title, "How do you *measure* it?", ""},
                                      PostVia::kWeb, "");
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
    return c.ok() ? *c : Created{};
  }

  // Writes the notifications the outbox holds, as the runner in `serve`
  // does a moment after each post. Returns how many were written.
  int FanOut() {
    OutboxSignal signal;
    jobs::OutboxRunner runner(ctx_, signal);
    int written = 0;
    while (true) {
      auto pass = runner.RunOnce();
      EXPECT_TRUE(pass.ok());
      if (!pass.ok() || pass->claimed == 0) return written;
      written += pass->notifications;
    }
  }

  Viewer ana_, grant_, eve_, nora_, lena_;
  GroupsService groups_{ctx_};
  DiscussionsService discussions_{ctx_};
};

TEST_F(DiscussionsTest, AskAnswerAcceptAndFollowUp) {
  Created q = Ask(ana_, "Counting program attendance");
  auto reply = discussions_.Reply(grant_, q.thread, "We use a **clicker**.", PostId{},
                                  PostVia::kWeb, "");
  ASSERT_TRUE(reply.ok()) << reply.error().message;

  // Ana is told about the reply (she follows her own thread), once the
  // outbox is drained.
  NotificationsService notes(ctx_);
  EXPECT_TRUE(notes.List(ana_, NotificationId{})->empty());
  EXPECT_EQ(FanOut(), 1);
  auto ana_notes = notes.List(ana_, NotificationId{});
  ASSERT_TRUE(ana_notes.ok());
  ASSERT_EQ(ana_notes->size(), 1u);
  EXPECT_EQ((*ana_notes)[0].notification.kind, NotificationKind::kReply);
  EXPECT_EQ((*ana_notes)[0].actor_name, "Grant Grace");

  // Grant may not accept; Ana may.
  Status refused = discussions_.AcceptAnswer(grant_, q.thread, reply->post);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "not_the_asker");
  ASSERT_TRUE(discussions_.AcceptAnswer(ana_, q.thread, reply->post).ok());
  EXPECT_EQ(*notes.UnreadCount(grant_), 1);  // answer accepted
  EXPECT_EQ(*notes.UnreadBadge(grant_), "1");
  EXPECT_EQ(*notes.UnreadBadge(Viewer{}), "");

  auto page = discussions_.GetThread(ana_, q.thread, PostId{});
  ASSERT_TRUE(page.ok());
  ASSERT_TRUE(page->answer.has_value());
  EXPECT_EQ(page->answer->view->post.id, reply->post);
  EXPECT_NE(page->answer->view->post.body_html.find("<strong>clicker</strong>"), std::string::npos);
  ASSERT_EQ(page->follow_up.size(), 1u);
  EXPECT_EQ(page->follow_up[0].author_name, "Grant Grace");

  auto list = discussions_.ListThreads(ana_, "data-measurement", {}, std::nullopt);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->threads.size(), 1u);
  EXPECT_TRUE(list->threads[0].thread.answered());
  EXPECT_EQ(list->threads[0].thread.reply_count, 1);

  // Following up privately.
  ConversationsService conversations(ctx_);
  auto conv = conversations.Start(ana_, {reply->post, AccountId{}, "Thanks! Which clicker?"}, "");
  ASSERT_TRUE(conv.ok()) << conv.error().message;
  auto inbox = conversations.Inbox(grant_);
  ASSERT_TRUE(inbox.ok());
  ASSERT_EQ(inbox->size(), 1u);
  EXPECT_EQ((*inbox)[0].unread, 1);
  auto hidden = conversations.Get(nora_, *conv, MessageId{});
  ASSERT_FALSE(hidden.ok());
  EXPECT_EQ(hidden.error().kind, ErrorKind::kNotFound);
}

// The header's badge counts up to kMaxBadge and then says "99+".
TEST_F(DiscussionsTest, UnreadBadgeStopsCountingAtItsCap) {
  NotificationsService notes(ctx_);
  auto many = [&](int n) {
    std::vector<Notification> ns(n);
    for (Notification& x : ns) {
      x.account_id = ana_.account->id;
      x.actor_id = grant_.account->id;
      x.kind = NotificationKind::kPrivateMessage;
      x.created_at = clock_.Now();
    }
    ASSERT_TRUE(db().notifications().CreateMany(ns).ok());
  };
  EXPECT_EQ(*notes.UnreadBadge(ana_), "");
  many(99);
  EXPECT_EQ(*notes.UnreadBadge(ana_), "99");
  many(1);
  EXPECT_EQ(*notes.UnreadBadge(ana_), "99+");
  many(150);
  EXPECT_EQ(*notes.UnreadBadge(ana_), "99+");
  EXPECT_EQ(*notes.UnreadCount(ana_), 250);
}

TEST_F(DiscussionsTest, MembersOnlyContentIsHiddenFromOutsidersInListsAndDetail) {
  Created q = Ask(ana_, "A members-only question");
  for (const Viewer& outsider : {Viewer{}, nora_}) {
    auto list = discussions_.ListThreads(outsider, "data-measurement", {}, std::nullopt);
    ASSERT_TRUE(list.ok());
    EXPECT_FALSE(list->content_visible);
    EXPECT_TRUE(list->threads.empty());
    auto detail = discussions_.GetThread(outsider, q.thread, PostId{});
    ASSERT_FALSE(detail.ok());
    EXPECT_EQ(detail.error().kind, ErrorKind::kNotFound);
    EXPECT_EQ(discussions_.GetPost(outsider, q.post).error().kind, ErrorKind::kNotFound);
  }
  // A group member sees the same thread in the list and in detail.
  auto list = discussions_.ListThreads(grant_, "data-measurement", {}, std::nullopt);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->threads.size(), 1u);
  EXPECT_TRUE(discussions_.GetThread(grant_, list->threads[0].thread.id, PostId{}).ok());
}

TEST_F(DiscussionsTest, PublicGroupsCanBeReadSignedOut) {
  ASSERT_TRUE(groups_.Join(nora_, "social-work").ok());
  Created s = discussions_.StartThread(nora_, "social-work",
                                       {"story", "A day at the branch", "It went well.", "public"},
                                       PostVia::kWeb, "").value();
  auto page = discussions_.GetThread(Viewer{}, s.thread, PostId{});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->thread.thread.consent, StoryConsent::kPublic);
  EXPECT_FALSE(page->can_reply.allowed);
  EXPECT_EQ(page->can_reply.reason, policy::reason::kNotSignedIn);
}

TEST_F(DiscussionsTest, LapsedMembersReadButCannotPost) {
  // Eve's membership ended, but she joined before: add her as a member.
  ASSERT_TRUE(db().groups().AddMember(db().groups().FindListing(
      (*db().associations().FindBySlug("pla"))->id, "data-measurement")->value().group.id,
      eve_.account->id, GroupRole::kMember, clock_.Now()).ok());
  Created q = Ask(ana_, "Readable by lapsed members");
  EXPECT_TRUE(discussions_.GetThread(eve_, q.thread, PostId{}).ok());
  auto reply = discussions_.Reply(eve_, q.thread, "Can I answer?", PostId{}, PostVia::kWeb, "");
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code, "membership_expired");
  EXPECT_NE(reply.error().message.find("membership ended on"), std::string::npos);
}

TEST_F(DiscussionsTest, LockedThreadsRefuseRepliesExceptFromStaff) {
  Created q = Ask(ana_, "To be locked");
  Status not_mod = discussions_.SetLocked(ana_, q.thread, true);
  ASSERT_FALSE(not_mod.ok());
  EXPECT_EQ(not_mod.error().code, "not_moderator");
  ASSERT_TRUE(discussions_.SetLocked(lena_, q.thread, true).ok());
  auto refused = discussions_.Reply(grant_, q.thread, "Late reply", PostId{}, PostVia::kWeb, "");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kRuleBroken);
  EXPECT_EQ(refused.error().code, "thread_locked");
  EXPECT_TRUE(discussions_.Reply(lena_, q.thread, "Staff note", PostId{}, PostVia::kWeb, "").ok());
}

TEST_F(DiscussionsTest, IdempotencyKeyCreatesOnePost) {
  Created q = Ask(ana_, "Double submit");
  auto first = discussions_.Reply(grant_, q.thread, "Once", PostId{}, PostVia::kApi, "key-1");
  auto again = discussions_.Reply(grant_, q.thread, "Once", PostId{}, PostVia::kApi, "key-1");
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(first->post, again->post);
  EXPECT_TRUE(again->replayed);
  auto page = discussions_.GetThread(ana_, q.thread, PostId{});
  EXPECT_EQ(page->replies.size(), 1u);
}

TEST_F(DiscussionsTest, EditKeepsRevisionsAndOnlyTheAuthorMayEdit) {
  Created q = Ask(ana_, "Edit me");
  auto other = discussions_.EditPost(grant_, q.post, "Hijacked");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().kind, ErrorKind::kForbidden);
  auto edited = discussions_.EditPost(ana_, q.post, "Better wording");
  ASSERT_TRUE(edited.ok());
  EXPECT_TRUE(edited->post.edited_at.has_value());
  auto revs = discussions_.Revisions(grant_, q.post);
  ASSERT_TRUE(revs.ok());
  ASSERT_EQ(revs->size(), 1u);
  EXPECT_EQ((*revs)[0].body_source, "How do you *measure* it?");
}

TEST_F(DiscussionsTest, SoftDeleteKeepsThePlace) {
  Created q = Ask(ana_, "Delete a reply");
  auto r = discussions_.Reply(grant_, q.thread, "Oops", PostId{}, PostVia::kWeb, "");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(discussions_.DeletePost(ana_, r->post).error().code, "not_author");
  ASSERT_TRUE(discussions_.DeletePost(grant_, r->post).ok());
  auto page = discussions_.GetThread(ana_, q.thread, PostId{});
  ASSERT_EQ(page->replies.size(), 1u);
  EXPECT_TRUE(page->replies[0].view->post.deleted);
  EXPECT_EQ(page->thread.thread.reply_count, 0);
  EXPECT_EQ(discussions_.DeletePost(grant_, r->post).error().kind, ErrorKind::kNotFound);
}

TEST_F(DiscussionsTest, RecommendOncePerPersonAndNotYourOwn) {
  Created q = Ask(ana_, "Recommend me");
  EXPECT_EQ(discussions_.Recommend(ana_, q.post, true).error().code, "own_post");
  EXPECT_EQ(*discussions_.Recommend(grant_, q.post, true), 1);
  EXPECT_EQ(*discussions_.Recommend(grant_, q.post, true), 1);
  auto top = discussions_.MostRecommended(ana_, "data-measurement");
  ASSERT_TRUE(top.ok());
  ASSERT_EQ(top->size(), 1u);
  EXPECT_EQ(*discussions_.Recommend(grant_, q.post, false), 0);
}

TEST_F(DiscussionsTest, MentionsNotifyGroupMembersOnly) {
  Created q = discussions_.StartThread(
      ana_, "data-measurement",
      {"discussion", "Hello", "Thoughts, @Grant_Grace? And @Nora_Nonmember?", ""}, PostVia::kWeb, "")
      .value();
  (void)q;
  EXPECT_EQ(FanOut(), 1);
  NotificationsService notes(ctx_);
  auto grant = notes.List(grant_, NotificationId{});
  ASSERT_EQ(grant->size(), 1u);
  EXPECT_EQ((*grant)[0].notification.kind, NotificationKind::kMention);
  EXPECT_TRUE(notes.List(nora_, NotificationId{})->empty());
}

TEST_F(DiscussionsTest, BadInputIsRefusedNamingTheField) {
  auto empty_title = discussions_.StartThread(ana_, "data-measurement", {"question", " ", "x", ""},
                                              PostVia::kWeb, "");
  EXPECT_EQ(empty_title.error().field, "title");
  auto big = discussions_.StartThread(ana_, "data-measurement",
                                      {"question", "t", std::string(70 * 1024, 'x'), ""},
                                      PostVia::kWeb, "");
  EXPECT_EQ(big.error().kind, ErrorKind::kTooLarge);
  EXPECT_EQ(big.error().field, "body");
  auto kind = discussions_.StartThread(ana_, "data-measurement", {"poll", "t", "b", ""},
                                       PostVia::kWeb, "");
  EXPECT_EQ(kind.error().field, "kind");
  EXPECT_TRUE(discussions_.ListThreads(ana_, "data-measurement", {}, std::nullopt)->threads.empty());
}

}  // namespace
}  // namespace rt::app

namespace rt::app {
namespace {

TEST_F(DiscussionsTest, PostsFromAnOlderRendererAreRenderedAgain) {
  Created q = Ask(ana_, "Old rendering");
  Post old;
  old.thread_id = q.thread;
  old.author_id = grant_.account->id;
  old.body_source = "An *old* reply";
  old.body_html = "<p>rendered by an old renderer</p>";
  old.render_version = markdown::kRenderVersion - 1;
  old.created_at = clock_.Now();
  std::optional<PostId> id;
  ASSERT_TRUE(db().InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(Post p, db().posts().Create(old));
    id = p.id;
    return OkStatus();
  }).ok());
  auto n = discussions_.RerenderStale();
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);
  EXPECT_TRUE(db().posts().ListStale(markdown::kRenderVersion, 10)->empty());
  EXPECT_EQ((*db().posts().Find(*id))->post.body_html, "<p>An <em>old</em> reply</p>\n");
}

}  // namespace
}  // namespace rt::app
