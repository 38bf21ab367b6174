#include "app/housekeeping.h"

#include <gtest/gtest.h>

#include <string>

#include "app/demo.h"
#include "support/app_fixture.h"

namespace rt::app {
namespace {

using std::chrono::hours;

class HousekeepingTest : public testing::AppTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(DemoSeeder(ctx_).Seed(/*with_discussions=*/false).ok());
    ana_ = As("active@demo.roundtable.test").account->id;
  }
  TimePoint now() { return clock_.Now(); }

  void AddSession(const std::string& hash, TimePoint expires) {
    ASSERT_TRUE(
        db().sessions().Create({hash, ana_, "csrf", expires - hours(24 * 14), expires}).ok());
  }
  void AddToken(const std::string& hash, TimePoint expires, std::optional<TimePoint> used) {
    AccountToken t{
        hash,    TokenPurpose::kReset, ana_, "active@demo.roundtable.test", expires - hours(1),
        expires, std::nullopt};
    ASSERT_TRUE(db().account_tokens().Create(t).ok());
    if (used) {
      ASSERT_TRUE(*db().account_tokens().MarkUsed(hash, *used));
    }
  }
  // An outbox row queued and, unless `sent` is empty, marked sent then.
  void AddOutbox(const std::string& key, std::optional<TimePoint> sent) {
    ASSERT_TRUE(db().outbox().Enqueue("test", key, "{}", now() - hours(24 * 60)).ok());
    if (!sent) return;
    auto due = db().outbox().Due("test", now(), 100);
    ASSERT_TRUE(due.ok());
    for (const store::OutboxItem& it : *due) {
      if (it.dedupe_key == key) {
        ASSERT_TRUE(db().outbox().MarkSent(it.id, *sent).ok());
      }
    }
  }
  AccountId ana_;
};

TEST_F(HousekeepingTest, CutoffsFollowTheKeepPeriods) {
  store::PurgeCutoffs c = HousekeepingCutoffs(now());
  EXPECT_EQ(c.sessions_expired, now());
  EXPECT_EQ(c.tokens_done, now() - kKeepDoneTokens);
  EXPECT_EQ(c.outbox_sent, now() - kKeepSentOutbox);
  EXPECT_EQ(c.idempotency, now() - kKeepIdempotencyKeys);
}

TEST_F(HousekeepingTest, DeletesOnlyWhatIsDone) {
  AddSession("expired", now() - hours(1));
  AddSession("expires-now", now());
  AddSession("live", now() + hours(1));
  AddToken("expired-long-ago", now() - kKeepDoneTokens - hours(1), std::nullopt);
  AddToken("used-long-ago", now() + hours(1), now() - kKeepDoneTokens - hours(1));
  AddToken("expired-recently", now() - hours(1),
           std::nullopt);  // still counted by limits
  AddToken("usable", now() + hours(1), std::nullopt);
  AddOutbox("sent-long-ago", now() - kKeepSentOutbox - hours(1));
  AddOutbox("sent-recently", now() - hours(1));
  AddOutbox("pending", std::nullopt);
  ASSERT_TRUE(db().idempotency()
                  .Save(ana_, "old", {201, "{}"}, now() - kKeepIdempotencyKeys - hours(1))
                  .ok());
  ASSERT_TRUE(db().idempotency().Save(ana_, "new", {201, "{}"}, now() - hours(1)).ok());

  auto n = Housekeep(ctx_, now());
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(n->sessions, 2);
  EXPECT_EQ(n->tokens, 2);
  EXPECT_EQ(n->outbox, 1);
  EXPECT_EQ(n->idempotency, 1);

  auto session = [&](const std::string& h) { return db().sessions().Find(h, now() - hours(2)); };
  EXPECT_FALSE(session("expired")->has_value());
  EXPECT_FALSE(session("expires-now")->has_value());
  EXPECT_TRUE(session("live")->has_value());
  EXPECT_FALSE(db().account_tokens().Find("expired-long-ago")->has_value());
  EXPECT_FALSE(db().account_tokens().Find("used-long-ago")->has_value());
  EXPECT_TRUE(db().account_tokens().Find("expired-recently")->has_value());
  EXPECT_TRUE(db().account_tokens().Find("usable")->has_value());
  // A deleted row's dedupe key is free again; kept rows still hold theirs.
  EXPECT_TRUE(*db().outbox().Enqueue("test", "sent-long-ago", "{}", now()));
  EXPECT_FALSE(*db().outbox().Enqueue("test", "sent-recently", "{}", now()));
  EXPECT_FALSE(*db().outbox().Enqueue("test", "pending", "{}", now()));
  EXPECT_FALSE(db().idempotency().Find(ana_, "old")->has_value());
  EXPECT_TRUE(db().idempotency().Find(ana_, "new")->has_value());

  // Nothing left to do: a second run deletes nothing.
  auto again = Housekeep(ctx_, now());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->total(), 0);
}

// More rows than one batch: Housekeep goes on until none is left, each
// batch its own short transaction.
TEST_F(HousekeepingTest, WorksThroughMoreRowsThanOneBatch) {
  const int rows = store::PurgeCutoffs{}.limit * 2 + 7;
  ASSERT_TRUE(
      db().InTransaction([&]() -> Status {
            for (int i = 0; i < rows; ++i) {
              RT_RETURN_IF_ERROR(db().sessions().Create(
                  {"s" + std::to_string(i), ana_, "csrf", now() - hours(48), now() - hours(24)}));
            }
            return OkStatus();
          })
          .ok());
  auto n = Housekeep(ctx_, now());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->sessions, rows);
  EXPECT_FALSE(db().sessions().Find("s0", now() - hours(30))->has_value());
}

}  // namespace
}  // namespace rt::app
