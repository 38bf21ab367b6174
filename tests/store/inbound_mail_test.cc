// Incoming mail already handled (migration 012). Joins the
// engine-parameterised StoreTest suite instantiated in store_test.cc.

#include <string>

#include "store/store_fixture.h"

namespace rt::store::testing {
namespace {

using namespace std::chrono_literals;

InboundRecord Answered(const std::string& key, const std::string& to, bool account,
                       TimePoint at) {
  InboundRecord r;
  r.dedupe_key = key;
  r.message_id = key + "@mail.example";
  r.sender = to;
  r.recipient = "reply+abc@groups.example.org";
  r.outcome = "refused";
  r.reason = "sender_mismatch";
  r.answered_to = to;
  r.answered_account = account;
  r.received_at = at;
  return r;
}

TEST_P(StoreTest, InboundRecordsAreFoundByKeyAndKeptOnce) {
  InboundMailRepository& inbound = store_->inbound_mail();
  auto none = inbound.Find("ana@example.org\nm1@x");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  InboundRecord r;
  r.dedupe_key = "ana@example.org\nm1@x";
  r.message_id = "m1@x";
  r.sender = "ana@example.org";
  r.recipient = "data@groups.example.org";
  r.outcome = "dropped";
  r.reason = "auto_submitted";
  r.received_at = kNow;
  ASSERT_TRUE(inbound.Record(r).ok());
  auto found = inbound.Find(r.dedupe_key);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->outcome, "dropped");
  EXPECT_EQ((*found)->reason, "auto_submitted");
  EXPECT_FALSE((*found)->post.valid());
  EXPECT_EQ((*found)->answered_to, "");
  EXPECT_EQ((*found)->received_at, kNow);

  Status again = inbound.Record(r);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(again.error().code, "inbound_duplicate");
}

TEST_P(StoreTest, InboundAnswersAreCountedPerAddressAndForStrangers) {
  InboundMailRepository& inbound = store_->inbound_mail();
  ASSERT_TRUE(inbound.Record(Answered("a", "ana@example.org", true, kNow - 2h)).ok());
  ASSERT_TRUE(inbound.Record(Answered("b", "ana@example.org", true, kNow - 5min)).ok());
  ASSERT_TRUE(inbound.Record(Answered("c", "x@spam.example", false, kNow - 1min)).ok());
  ASSERT_TRUE(inbound.Record(Answered("d", "y@spam.example", false, kNow - 3h)).ok());
  EXPECT_EQ(*inbound.CountAnswers("ana@example.org", kNow - 10min), 1);
  EXPECT_EQ(*inbound.CountAnswers("ana@example.org", kNow - 24h), 2);
  EXPECT_EQ(*inbound.CountAnswers("bob@example.org", kNow - 24h), 0);
  EXPECT_EQ(*inbound.CountAnswersToStrangers(kNow - 1h), 1);
  EXPECT_EQ(*inbound.CountAnswersToStrangers(kNow - 24h), 2);

  // Pruning takes the oldest first, up to the limit.
  auto pruned = inbound.Prune(kNow - 1h, 1);
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(*pruned, 1);
  EXPECT_FALSE(inbound.Find("d")->has_value());
  EXPECT_TRUE(inbound.Find("a")->has_value());
  EXPECT_EQ(*inbound.Prune(kNow - 1h, 100), 1);
  EXPECT_EQ(*inbound.Prune(kNow - 1h, 100), 0);
  EXPECT_TRUE(inbound.Find("b")->has_value());
}

}  // namespace
}  // namespace rt::store::testing
