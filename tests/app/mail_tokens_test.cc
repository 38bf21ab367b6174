#include "app/mail_tokens.h"

#include <gtest/gtest.h>

#include <string>

#include "domain/discussions/email_switches.h"
#include "support/app_fixture.h"

namespace rt::app {
namespace {

const std::string kKey(32, 'k');

TEST(MailTokensTest, ReplyTokenOpensToWhatItNames) {
  MailTokens t(kKey);
  std::string tok = t.ReplyToken(AccountId{45}, ThreadId{812});
  EXPECT_EQ(tok.size(), 43u);
  EXPECT_EQ(tok.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  auto r = t.OpenReplyToken(tok);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->account.value, 45);
  EXPECT_EQ(r->thread.value, 812);
  // Same inputs, same token: one Reply-To per person and thread.
  EXPECT_EQ(t.ReplyToken(AccountId{45}, ThreadId{812}), tok);
  EXPECT_NE(t.ReplyToken(AccountId{46}, ThreadId{812}), tok);
}

TEST(MailTokensTest, RefusesTamperedForeignAndCrossPurposeTokens) {
  MailTokens t(kKey);
  std::string tok = t.ReplyToken(AccountId{45}, ThreadId{812});
  for (size_t i = 0; i < tok.size(); ++i) {
    std::string bad = tok;
    bad[i] = bad[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(t.OpenReplyToken(bad).has_value()) << i;
  }
  // Case matters: tokens are base64url.
  std::string upper = tok;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper != tok) {
    EXPECT_FALSE(t.OpenReplyToken(upper).has_value());
  }
  EXPECT_FALSE(MailTokens(std::string(32, 'x')).OpenReplyToken(tok).has_value());
  EXPECT_FALSE(t.OpenUnsubscribeToken(tok).has_value());
  EXPECT_FALSE(t.OpenReplyToken(t.UnsubscribeToken(AccountId{45}, GroupId{812})).has_value());
  EXPECT_FALSE(t.OpenReplyToken("").has_value());
  EXPECT_FALSE(t.OpenReplyToken(tok.substr(1)).has_value());
  EXPECT_FALSE(t.OpenReplyToken(tok + "A").has_value());
  EXPECT_FALSE(t.OpenReplyToken(std::string(43, '=')).has_value());
}

TEST(MailTokensTest, UnsubscribeTokenMayNameEveryGroup) {
  MailTokens t(kKey);
  auto one = t.OpenUnsubscribeToken(t.UnsubscribeToken(AccountId{7}, GroupId{3}));
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->account.value, 7);
  EXPECT_EQ(one->group.value, 3);
  auto all = t.OpenUnsubscribeToken(t.UnsubscribeToken(AccountId{7}, GroupId{0}));
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->group.value, 0);
}

TEST(MailTokensTest, BounceTokenNamesOnlyItsAccountAndNoOtherPurpose) {
  MailTokens t(kKey);
  std::string tok = t.BounceToken(AccountId{45});
  EXPECT_EQ(tok.size(), 43u);
  auto opened = t.OpenBounceToken(tok);
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(opened->value, 45);
  EXPECT_NE(t.BounceToken(AccountId{46}), tok);
  // The same ids under another purpose never open as a bounce token: an
  // unsubscribe link for every group (group 0) must not become one.
  EXPECT_FALSE(t.OpenBounceToken(t.UnsubscribeToken(AccountId{45}, GroupId{0})).has_value());
  EXPECT_FALSE(t.OpenBounceToken(t.ReplyToken(AccountId{45}, ThreadId{0})).has_value());
  EXPECT_FALSE(t.OpenUnsubscribeToken(tok).has_value());
  EXPECT_FALSE(t.OpenReplyToken(tok).has_value());
  EXPECT_FALSE(MailTokens(std::string(32, 'x')).OpenBounceToken(tok).has_value());
  std::string bad = tok;
  bad[5] = bad[5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(t.OpenBounceToken(bad).has_value());
}

TEST(MailTokensTest, KindUnsubscribeTokenNamesAccountAndKind) {
  MailTokens t(kKey);
  for (NotificationKind k : kNotificationKinds) {
    std::string tok = t.KindUnsubscribeToken(AccountId{45}, k);
    EXPECT_EQ(tok.size(), 43u);
    auto opened = t.OpenKindUnsubscribeToken(tok);
    ASSERT_TRUE(opened.has_value()) << ToString(k);
    EXPECT_EQ(opened->account.value, 45);
    EXPECT_EQ(opened->kind, k);
  }
  EXPECT_NE(t.KindUnsubscribeToken(AccountId{45}, NotificationKind::kReply),
            t.KindUnsubscribeToken(AccountId{45}, NotificationKind::kMention));
  EXPECT_NE(t.KindUnsubscribeToken(AccountId{45}, NotificationKind::kReply),
            t.KindUnsubscribeToken(AccountId{46}, NotificationKind::kReply));
  EXPECT_FALSE(
      MailTokens(std::string(32, 'x'))
          .OpenKindUnsubscribeToken(t.KindUnsubscribeToken(AccountId{45}, NotificationKind::kReply))
          .has_value());
}

TEST(MailTokensTest, KindUnsubscribeTokenCrossesWithNoOtherPurpose) {
  MailTokens t(kKey);
  // The same two numbers under each purpose: kReply is 0 and kMention 3, so
  // a group token for every group (group 0) and a bounce token (second
  // number 0) are the closest forgeries.
  const std::string kind = t.KindUnsubscribeToken(AccountId{45}, NotificationKind::kReply);
  EXPECT_FALSE(t.OpenUnsubscribeToken(kind).has_value());
  EXPECT_FALSE(t.OpenReplyToken(kind).has_value());
  EXPECT_FALSE(t.OpenBounceToken(kind).has_value());
  EXPECT_FALSE(
      t.OpenKindUnsubscribeToken(t.UnsubscribeToken(AccountId{45}, GroupId{0})).has_value());
  EXPECT_FALSE(
      t.OpenKindUnsubscribeToken(t.UnsubscribeToken(AccountId{45}, GroupId{3})).has_value());
  EXPECT_FALSE(t.OpenKindUnsubscribeToken(t.ReplyToken(AccountId{45}, ThreadId{3})).has_value());
  EXPECT_FALSE(t.OpenKindUnsubscribeToken(t.BounceToken(AccountId{45})).has_value());
  std::string bad = kind;
  bad[7] = bad[7] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(t.OpenKindUnsubscribeToken(bad).has_value());
  EXPECT_FALSE(t.OpenKindUnsubscribeToken("").has_value());
  EXPECT_FALSE(t.OpenKindUnsubscribeToken(kind.substr(1)).has_value());
}

TEST(MailTokensTest, KindUnsubscribeTokenOfNoKnownKindOpensToNothing) {
  MailTokens t(kKey);
  // Well signed, but naming a kind past the last one (or before the first).
  const auto past = static_cast<NotificationKind>(kNotificationKinds.size());
  EXPECT_FALSE(t.OpenKindUnsubscribeToken(t.KindUnsubscribeToken(AccountId{45}, past)).has_value());
  const auto before = static_cast<NotificationKind>(-1);
  EXPECT_FALSE(
      t.OpenKindUnsubscribeToken(t.KindUnsubscribeToken(AccountId{45}, before)).has_value());
  EXPECT_FALSE(
      t.OpenKindUnsubscribeToken(t.KindUnsubscribeToken(AccountId{0}, NotificationKind::kReply))
          .has_value());
}

class MailTokensStoreTest : public rt::testing::AppTest {};

TEST_F(MailTokensStoreTest, LoadsTheDatabasesOwnSecret) {
  auto a = MailTokens::Load(db());
  ASSERT_TRUE(a.ok()) << a.error().message;
  std::string tok = a->ReplyToken(AccountId{1}, ThreadId{2});
  auto again = MailTokens::Load(db());
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->OpenReplyToken(tok).has_value());
  // Another database has another secret.
  rt::testing::TempDir other;
  store::StorePool pool("sqlite:" + other.path() + "/other.db");
  ASSERT_TRUE((*pool.ForThisThread())->Migrate().ok());
  auto b = MailTokens::Load(**pool.ForThisThread());
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(b->OpenReplyToken(tok).has_value());
}

}  // namespace
}  // namespace rt::app
