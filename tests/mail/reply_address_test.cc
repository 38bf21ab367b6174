#include "mail/reply_address.h"

#include <gtest/gtest.h>

#include <string>

namespace rt::mail {
namespace {

constexpr char kDomain[] = "mail.example.org";
constexpr char kToken[] = "Xq7Lm2Pz9Rt4Vb8Nc1Kd5Hf3";

TEST(MailReplyAddressTest, ReadsReplyTokens) {
  auto t = ParseTargetAddress(
      std::string("reply+") + kToken + "@mail.example.org", kDomain);
  ASSERT_TRUE(t.ok()) << t.error().code;
  EXPECT_EQ(t->kind, TargetKind::kReply);
  EXPECT_EQ(t->token, kToken);  // case kept

  // Domain and the "reply" word match without regard to case.
  t = ParseTargetAddress(std::string("Reply+") + kToken + "@MAIL.Example.ORG",
                         kDomain);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->token, kToken);
}

TEST(MailReplyAddressTest, RefusesDamagedTokens) {
  for (std::string local :
       {std::string("reply"), std::string("reply+"), std::string("reply+short"),
        std::string("reply+abc.def.ghi.jkl.mno"),
        std::string("reply+") + kToken + "+x"}) {
    auto t = ParseTargetAddress(local + "@mail.example.org", kDomain);
    ASSERT_FALSE(t.ok()) << local;
    EXPECT_EQ(t.error().code, "mail_invalid_token") << local;
  }
  // A token longer than a local part may be is no address at all.
  EXPECT_FALSE(
      ParseTargetAddress("reply+" + std::string(59, 'a') + "@mail.example.org",
                         kDomain)
          .ok());
}

TEST(MailReplyAddressTest, ReadsBounceAddresses) {
  std::string address = BounceAddress(kToken, kDomain);
  EXPECT_EQ(address, std::string("bounces+") + kToken + "@mail.example.org");
  auto t = ParseTargetAddress(address, kDomain);
  ASSERT_TRUE(t.ok()) << t.error().code;
  EXPECT_EQ(t->kind, TargetKind::kBounce);
  EXPECT_EQ(t->token, kToken);  // case kept
  t = ParseTargetAddress(std::string("Bounces+") + kToken + "@Mail.Example.org",
                         kDomain);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->kind, TargetKind::kBounce);
  EXPECT_EQ(t->token, kToken);

  // Without a well-formed token it names nothing: "bounces@" stays
  // reserved, and nobody is told a bounce address is damaged.
  for (std::string local :
       {std::string("bounces"), std::string("bounces+"),
        std::string("bounces+short"), std::string("bounces+abc.def.ghi.jkl.mno"),
        std::string("bounces+") + kToken + "+x",
        "bounces+" + std::string(59, 'a')}) {
    auto r = ParseTargetAddress(local + "@mail.example.org", kDomain);
    ASSERT_FALSE(r.ok()) << local;
    EXPECT_NE(r.error().code, "mail_invalid_token") << local;
    EXPECT_EQ(r.error().kind, ErrorKind::kNotFound) << local;
  }
  EXPECT_EQ(ParseTargetAddress("bounces@mail.example.org", kDomain).error().code,
            "mail_unknown_address");
  EXPECT_EQ(ParseTargetAddress(std::string("bounces+") + kToken +
                                   "@other.example",
                               kDomain)
                .error()
                .code,
            "mail_not_ours");
}

TEST(MailReplyAddressTest, ReadsGroupAddresses) {
  auto t = ParseTargetAddress("Data-Measurement@mail.example.org", kDomain);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->kind, TargetKind::kNewDiscussion);
  EXPECT_EQ(t->group_slug, "data-measurement");

  for (const char* a :
       {"postmaster@mail.example.org", "unsubscribe@mail.example.org",
        "data-measurement+new@mail.example.org", "-x@mail.example.org",
        "a_b@mail.example.org"}) {
    auto r = ParseTargetAddress(a, kDomain);
    ASSERT_FALSE(r.ok()) << a;
    EXPECT_EQ(r.error().code, "mail_unknown_address") << a;
  }
}

TEST(MailReplyAddressTest, OtherDomainsAreNotOurs) {
  for (const char* a :
       {"data@example.org",
        "reply+Xq7Lm2Pz9Rt4Vb8Nc1Kd5Hf3@mail.example.org.evil.example",
        "not an address", "", "data@mail.example.org\r\nBcc: x"}) {
    auto r = ParseTargetAddress(a, kDomain);
    ASSERT_FALSE(r.ok()) << a;
    EXPECT_EQ(r.error().code, "mail_not_ours") << a;
  }
  EXPECT_FALSE(ParseTargetAddress("data@mail.example.org", "").ok());
}

TEST(MailReplyAddressTest, SlugRules) {
  EXPECT_TRUE(IsMailableGroupSlug("data-measurement"));
  EXPECT_TRUE(IsMailableGroupSlug("a1"));
  EXPECT_FALSE(IsMailableGroupSlug("reply"));
  EXPECT_FALSE(IsMailableGroupSlug("Data"));
  EXPECT_FALSE(IsMailableGroupSlug(""));
  EXPECT_FALSE(IsMailableGroupSlug(std::string(64, 'a')));
}

TEST(MailReplyAddressTest, FindTargetPrefersTheEnvelope) {
  InboundMessage m;
  m.to = {{"", "someone@else.example"},
          {"", "data-measurement@mail.example.org"}};
  m.cc = {{"", std::string("reply+") + kToken + "@mail.example.org"}};
  auto t = FindTarget(m, kDomain);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->kind, TargetKind::kNewDiscussion);  // To before Cc

  m.delivered_to = {std::string("reply+") + kToken + "@mail.example.org"};
  t = FindTarget(m, kDomain);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->kind, TargetKind::kReply);

  t = FindTarget(m, kDomain, "outreach@mail.example.org");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->group_slug, "outreach");
}

TEST(MailReplyAddressTest, FindTargetReportsWhyNothingMatched) {
  InboundMessage m;
  m.to = {{"", "someone@else.example"}};
  auto t = FindTarget(m, kDomain);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, "mail_no_target");

  m.to.push_back({"", "reply+bad@mail.example.org"});
  t = FindTarget(m, kDomain);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, "mail_invalid_token");
}

}  // namespace
}  // namespace rt::mail
