// The outbox runner and the fan-out of new posts (DiscussionsService::
// FanOutPost) against a real SQLite file with the demo association.
#include "jobs/outbox_runner.h"

#include <gtest/gtest.h>
#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <thread>

#include "app/demo.h"
#include "app/discussions.h"
#include "app/groups.h"
#include "support/app_fixture.h"

namespace rt::jobs {
namespace {

using app::Created;
using app::Viewer;
using std::chrono::milliseconds;
using std::chrono::seconds;

class OutboxRunnerTest : public testing::AppTest {
 protected:
  void SetUp() override {
    auto seeded = app::DemoSeeder(ctx_).Seed(/*with_discussions=*/false);
    ASSERT_TRUE(seeded.ok()) << seeded.error().message;
    ana_ = As("active@demo.roundtable.test");
    grant_ = As("grace@demo.roundtable.test");
    ASSERT_TRUE(groups_.Join(ana_, "data-measurement").ok());
    ASSERT_TRUE(groups_.Join(grant_, "data-measurement").ok());
  }


  Created Start(const Viewer& who, const std::string& slug, const std::string& body = "Hello") {
    auto c = discussions_.StartThread(who, slug, {"discussion", "A thread", body, ""},
                                      PostVia::kWeb, "");
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
    return c.ok() ? *c : Created{};
  }

  Created Reply(const Viewer& who, ThreadId thread, const std::string& body,
                PostId reply_to = PostId{}) {
    auto c = discussions_.Reply(who, thread, body, reply_to, PostVia::kWeb, "");
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
    return c.ok() ? *c : Created{};
  }

  // Runs passes until none is due; returns the notifications written.
  int Drain(OutboxRunner& runner) {
    int written = 0;
    for (int i = 0; i < 100; ++i) {
      auto pass = runner.RunOnce();
      EXPECT_TRUE(pass.ok());
      if (!pass.ok() || pass->claimed == 0) return written;
      written += pass->notifications;
    }
    ADD_FAILURE() << "the outbox never drained";
    return written;
  }

  // (recipient, kind) of the notifications about `post`, by recipient.
  std::vector<std::pair<int64_t, std::string>> NotesFor(PostId post) {
    SQLite::Database d(dir_.path() + "/rt.db", SQLite::OPEN_READONLY);
    SQLite::Statement q(d, "SELECT account_id, kind FROM notifications WHERE post_id = ? "
                           "ORDER BY account_id");
    q.bind(1, post.value);
    std::vector<std::pair<int64_t, std::string>> out;
    while (q.executeStep()) out.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getString());
    return out;
  }

  int64_t Scalar(const std::string& sql) {
    SQLite::Database d(dir_.path() + "/rt.db", SQLite::OPEN_READONLY);
    return d.execAndGet(sql).getInt64();
  }

  int64_t Id(const Viewer& v) { return v.account->id.value; }

  Viewer ana_, grant_;
  app::GroupsService groups_{ctx_};
  app::DiscussionsService discussions_{ctx_};
  app::OutboxSignal signal_;
};

// Several rows per pass, for the tests of how one pass treats each row of
// its transaction (the default is one post per transaction).
OutboxRunnerOptions Batched() {
  OutboxRunnerOptions o;
  o.batch = 4;
  return o;
}

TEST_F(OutboxRunnerTest, ReplyQueuesOneRowAndNoNotifications) {
  Created t = Start(ana_, "data-measurement");
  Created r = Reply(grant_, t.thread, "Hi");
  EXPECT_TRUE(NotesFor(r.post).empty());
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'post_fanout' AND sent_at IS NULL "
                   "AND dedupe_key = 'post_fanout:" + std::to_string(r.post.value) +
                   "' AND payload = '{\"post_id\":" + std::to_string(r.post.value) + "}'"),
            1);
  EXPECT_EQ(*db().outbox().PendingCount(app::kPostFanoutKind), 2);  // the thread's post too
}

TEST_F(OutboxRunnerTest, RecipientsInAMembersOnlyGroup) {
  OutboxRunner runner(ctx_, signal_);
  Created t = Start(ana_, "data-measurement");
  Created r1 = Reply(grant_, t.thread, "First");
  Drain(runner);
  // Followers (Ana, who started it), never the author.
  EXPECT_EQ(NotesFor(r1.post), (std::vector<std::pair<int64_t, std::string>>{{Id(ana_), "reply"}}));

  // Grant stops following: a reply to his post still reaches him.
  ASSERT_TRUE(discussions_.Follow(grant_, t.thread, false).ok());
  Created r2 = Reply(ana_, t.thread, "To Grant", r1.post);
  // A mention wins over a reply.
  Created r3 = Reply(ana_, t.thread, "What do you think, @Grant_Grace?");
  Drain(runner);
  EXPECT_EQ(NotesFor(r2.post), (std::vector<std::pair<int64_t, std::string>>{{Id(grant_), "reply"}}));
  EXPECT_EQ(NotesFor(r3.post),
            (std::vector<std::pair<int64_t, std::string>>{{Id(grant_), "mention"}}));

  // Grant follows again, then leaves the group: members-only content no
  // longer reaches him, judged when the fan-out runs, not when posted.
  ASSERT_TRUE(discussions_.Follow(grant_, t.thread, true).ok());
  Created r4 = Reply(ana_, t.thread, "Still there?", r1.post);
  ASSERT_TRUE(groups_.Leave(grant_, "data-measurement").ok());
  Drain(runner);
  EXPECT_TRUE(NotesFor(r4.post).empty());
  EXPECT_EQ(*db().outbox().PendingCount(app::kPostFanoutKind), 0);
}

TEST_F(OutboxRunnerTest, PublicGroupsNotifyFollowersWhoLeft) {
  OutboxRunner runner(ctx_, signal_);
  ASSERT_TRUE(groups_.Join(ana_, "social-work").ok());
  ASSERT_TRUE(groups_.Join(grant_, "social-work").ok());
  Created t = Start(ana_, "social-work");
  Reply(grant_, t.thread, "Joining in");  // Grant now follows
  ASSERT_TRUE(groups_.Leave(grant_, "social-work").ok());
  Created r = Reply(ana_, t.thread, "Thanks");
  Drain(runner);
  EXPECT_EQ(NotesFor(r.post), (std::vector<std::pair<int64_t, std::string>>{{Id(grant_), "reply"}}));
}

TEST_F(OutboxRunnerTest, NewThreadNotifiesMentionedMembersOnly) {
  OutboxRunner runner(ctx_, signal_);
  Created t = Start(ana_, "data-measurement", "Hi @Grant_Grace and @Active_Ana and @Nobody_Here");
  EXPECT_EQ(Drain(runner), 1);
  EXPECT_EQ(NotesFor(t.post),
            (std::vector<std::pair<int64_t, std::string>>{{Id(grant_), "mention"}}));
}

TEST_F(OutboxRunnerTest, EachRowIsFannedOutExactlyOnce) {
  OutboxRunner runner(ctx_, signal_);
  Created t = Start(ana_, "data-measurement");
  Created r = Reply(grant_, t.thread, "Once");
  auto due = db().outbox().Due(app::kPostFanoutKind, clock_.Now(), 10);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ(Drain(runner), 1);
  EXPECT_EQ(Drain(runner), 0);  // a second run finds nothing due
  // A runner (another process, say) that read the same rows before they
  // were done writes nothing.
  OutboxRunner late(ctx_, signal_);
  auto pass = late.Process(*due);
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->skipped, 2);
  EXPECT_EQ(pass->done, 0);
  EXPECT_EQ(NotesFor(r.post).size(), 1u);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM notifications"), 1);
}

TEST_F(OutboxRunnerTest, AFailedFanOutRollsBackAloneAndBacksOff) {
  Created t = Start(ana_, "data-measurement");
  Created bad = Reply(grant_, t.thread, "This one fails");
  Created good = Reply(grant_, t.thread, "This one works");
  bool failing = true;
  OutboxRunnerOptions options = Batched();
  options.max_attempts = 3;
  options.first_backoff = seconds(5);
  // The real fan-out runs, then the "crash": its notifications and the
  // row's sent mark must both be rolled back.
  OutboxRunner runner(ctx_, signal_, options, [&](store::Store& s, PostId post) -> Result<int> {
    RT_ASSIGN_OR_RETURN(int n, app::DiscussionsService(ctx_).FanOutPost(s, post));
    if (failing && post == bad.post) return MakeError(ErrorKind::kInternal, "boom", "Boom.");
    return n;
  });
  auto pass = runner.RunOnce();
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->claimed, 3);
  EXPECT_EQ(pass->done, 2);
  EXPECT_EQ(pass->failed, 1);
  EXPECT_TRUE(NotesFor(bad.post).empty());
  EXPECT_EQ(NotesFor(good.post).size(), 1u);
  std::string row = " FROM outbox WHERE dedupe_key = 'post_fanout:" +
                    std::to_string(bad.post.value) + "'";
  EXPECT_EQ(Scalar("SELECT sent_at IS NULL AND attempts = 1 AND last_error = 'boom'" + row), 1);
  int64_t t0 = ToUnix(clock_.Now());
  EXPECT_EQ(Scalar("SELECT next_attempt_at" + row), t0 + 5);

  // Not due before its time.
  EXPECT_EQ(runner.RunOnce()->claimed, 0);
  // Then back-off doubles.
  clock_.Set(FromUnix(t0 + 5));
  EXPECT_EQ(runner.RunOnce()->failed, 1);
  EXPECT_EQ(Scalar("SELECT next_attempt_at" + row), t0 + 5 + 10);
  // The third failure is the last: the row is given up, not sent.
  clock_.Set(FromUnix(t0 + 15));
  EXPECT_EQ(runner.RunOnce()->failed, 1);
  EXPECT_EQ(Scalar("SELECT attempts = 3 AND gave_up_at IS NOT NULL AND sent_at IS NULL" + row), 1);
  clock_.Set(FromUnix(t0 + 100000));
  failing = false;
  EXPECT_EQ(runner.RunOnce()->claimed, 0);
  EXPECT_EQ(*db().outbox().PendingCount(app::kPostFanoutKind), 0);
  EXPECT_TRUE(NotesFor(bad.post).empty());
}

TEST_F(OutboxRunnerTest, ARetryAfterAFailureNotifiesOnce) {
  Created t = Start(ana_, "data-measurement");
  Created r = Reply(grant_, t.thread, "Flaky");
  bool failing = true;
  OutboxRunner runner(ctx_, signal_, Batched(), [&](store::Store& s, PostId post) -> Result<int> {
    RT_ASSIGN_OR_RETURN(int n, app::DiscussionsService(ctx_).FanOutPost(s, post));
    if (failing) return MakeError(ErrorKind::kUnavailable, "database_unavailable", "Busy.");
    return n;
  });
  EXPECT_EQ(runner.RunOnce()->failed, 2);
  failing = false;
  clock_.Set(clock_.Now() + seconds(5));
  EXPECT_EQ(Drain(runner), 1);
  EXPECT_EQ(NotesFor(r.post).size(), 1u);
}

TEST_F(OutboxRunnerTest, DeletedPostsAndUnreadablePayloads) {
  OutboxRunner runner(ctx_, signal_, Batched());
  Created t = Start(ana_, "data-measurement");
  Created r = Reply(grant_, t.thread, "Oops");
  ASSERT_TRUE(discussions_.DeletePost(grant_, r.post).ok());
  ASSERT_TRUE(db().InTransaction([&] {
    return ToStatus(db().outbox().Enqueue(app::kPostFanoutKind, "post_fanout:junk",
                                          "{\"post\":1}", clock_.Now()));
  }).ok());
  auto pass = runner.RunOnce();
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->done, 2);  // the thread's first post and the deleted reply
  EXPECT_EQ(pass->failed, 1);
  EXPECT_EQ(pass->notifications, 0);
  EXPECT_TRUE(NotesFor(r.post).empty());
  EXPECT_EQ(Scalar("SELECT last_error = 'bad_payload' FROM outbox "
                   "WHERE dedupe_key = 'post_fanout:junk'"),
            1);
}

// Polls (bounded) until `ok` holds.
template <typename Fn>
bool Eventually(Fn ok, milliseconds limit = milliseconds(5000)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (ok()) return true;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return ok();
}

TEST_F(OutboxRunnerTest, TheBackgroundRunnerIsWokenByCommits) {
  OutboxRunnerOptions options;
  options.poll = milliseconds(60000);  // only the signal can wake it in time
  OutboxRunner runner(ctx_, signal_, options);
  Created t = Start(ana_, "data-measurement");  // before the signal is wired
  runner.Start();
  ctx_.outbox_signal = &signal_;
  Created r = Reply(grant_, t.thread, "Wake up");
  EXPECT_TRUE(Eventually([&] { return NotesFor(r.post).size() == 1; }));
  auto before = std::chrono::steady_clock::now();
  runner.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, seconds(2));
  ctx_.outbox_signal = nullptr;
}

TEST_F(OutboxRunnerTest, TheBackgroundRunnerPollsForOtherWriters) {
  OutboxRunnerOptions options;
  options.poll = milliseconds(100);
  OutboxRunner runner(ctx_, signal_, options);
  runner.Start();
  // Another process: its own pool, and no way to signal this one.
  store::StorePool other_pool(pool_.url());
  app::AppContext other{&other_pool, &clock_, "pla", nullptr, {}};
  app::DiscussionsService other_discussions(other);
  auto t = other_discussions.StartThread(ana_, "data-measurement", {"discussion", "T", "B", ""},
                                         PostVia::kWeb, "");
  ASSERT_TRUE(t.ok());
  auto r = other_discussions.Reply(grant_, t->thread, "From elsewhere", PostId{}, PostVia::kWeb, "");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(Eventually([&] { return NotesFor(r->post).size() == 1; }));
  runner.Stop();
}

}  // namespace
}  // namespace rt::jobs
