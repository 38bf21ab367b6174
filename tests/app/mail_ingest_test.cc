#include "app/mail_ingest.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "app/accounts.h"
#include "app/demo.h"
#include "app/groups.h"
#include "app/mail_queue.h"
#include "app/mail_tokens.h"
#include "core/text.h"
#include "mail/inbound.h"
#include "mail/outgoing.h"
#include "mail/reply_text.h"
#include "support/app_fixture.h"
#include "support/mime_reader.h"

namespace rt::app {
namespace {

using namespace std::chrono_literals;

// The reply address and domain the fixtures were written with.
constexpr char kFixtureToken[] = "Xq7Lm2Pz9Rt4Vb8Nc1Kd5Hf3";
constexpr char kDomain[] = "mail.example.org";

std::string ReadFixture(const std::string& name) {
  std::ifstream in(std::string(RT_SOURCE_DIR) + "/tests/mail/fixtures/" + name,
                   std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

// A plain message from `from` to `to`, with the given extra headers.
std::string Message(const std::string& from, const std::string& to, const std::string& subject,
                    const std::string& body, const std::string& message_id,
                    const std::string& extra_headers = "") {
  return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject +
         "\r\nMessage-ID: <" + message_id + ">\r\nDate: Sun, 1 Mar 2026 12:00:00 +0000\r\n" +
         extra_headers + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
         body + "\r\n";
}

class MailIngestTest : public testing::AppTest {
 protected:
  void SetUp() override {
    auto seeded = DemoSeeder(ctx_).Seed(/*with_discussions=*/false);
    ASSERT_TRUE(seeded.ok()) << seeded.error().message;
    ctx_.mail.domain = kDomain;
    ctx_.mail.from_address = std::string("noreply@") + kDomain;
    ctx_.mail.base_url = "https://groups.example.org";
    ana_ = As("active@demo.roundtable.test");
    grant_ = As("grace@demo.roundtable.test");
    nora_ = As("visitor@demo.roundtable.test");
    lena_ = As("liaison@demo.roundtable.test");
    ASSERT_TRUE(groups_.Join(ana_, "data-measurement").ok());
    ASSERT_TRUE(groups_.Join(grant_, "data-measurement").ok());
    auto t = discussions_.StartThread(
        ana_, "data-measurement",
        {"discussion", "Counting visits after the branch move", "Did anyone see this?", ""},
        PostVia::kWeb, "");
    ASSERT_TRUE(t.ok()) << t.error().message;
    thread_ = t->thread;
    auto tokens = MailTokens::Load(db());
    ASSERT_TRUE(tokens.ok());
    tokens_.emplace(*tokens);
  }

  std::string BounceAddress(AccountId account) {
    return "bounces+" + tokens_->BounceToken(account) + "@" + kDomain;
  }

  // The fixture's delivery report, about `failed_recipient`, with its own
  // Message-ID.
  std::string Dsn(const std::string& failed_recipient, const std::string& id) {
    std::string raw = ReadFixture("bounce_dsn.eml");
    ReplaceAll(raw, "old.address@riverside.example", failed_recipient);
    ReplaceAll(raw, "<20261103150220.8F2C41A3B7@mx.riverside.example>",
               "<" + id + "@mx.riverside.example>");
    return raw;
  }

  // Delivers a report from the null sender to `recipient`, with the bounce
  // handler `mail ingest` uses: it pauses the account's mail.
  Result<IngestReport> DeliverDsnResult(const std::string& raw, const std::string& recipient) {
    MailIngestService service(ctx_, [](store::Store& db, const BouncedAccount& b, TimePoint now) {
      return db.accounts().PauseMail(b.account, b.status + " " + b.diagnostic, now);
    });
    return service.Ingest({raw, false, recipient, ""});
  }
  IngestReport DeliverDsn(const std::string& raw, const std::string& recipient) {
    auto r = DeliverDsnResult(raw, recipient);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : IngestReport{};
  }

  bool Paused(const Viewer& who) {
    auto a = db().accounts().FindById(who.account->id);
    EXPECT_TRUE(a.ok() && a->has_value());
    return a.ok() && a->has_value() && (*a)->mail_paused();
  }

  std::string ReplyAddress(const Viewer& who, ThreadId thread) {
    return "reply+" + tokens_->ReplyToken(who.account->id, thread) + "@" + kDomain;
  }

  // A fixture as `who` would send it in reply to thread_: the fixture's
  // reply address becomes who's, and its sender's address becomes who's.
  std::string AsReplyFrom(const std::string& fixture, const Viewer& who) {
    std::string raw = ReadFixture(fixture);
    auto parsed = mail::ParseInbound(raw);
    EXPECT_TRUE(parsed.ok()) << fixture;
    ReplaceAll(raw, parsed->from.address, who.account->email);
    ReplaceAll(raw, std::string("reply+") + kFixtureToken + "@" + kDomain,
               ReplyAddress(who, thread_));
    return raw;
  }

  Result<IngestReport> Deliver(const std::string& raw, const std::string& recipient = "",
                               std::optional<std::string> sender = "someone@example.org") {
    InboundDelivery d;
    d.raw = raw;
    d.envelope_recipient = recipient;
    d.envelope_sender = std::move(sender);
    return MailIngestService(ctx_).Ingest(d);
  }

  // Grant's reply to thread_, from his own address: what must be posted
  // unless a rule says otherwise.
  IngestReport GrantReplies(const std::string& body, const std::string& message_id) {
    return DeliverOk(Message("grace@demo.roundtable.test", ReplyAddress(grant_, thread_), "Re: x",
                             body, message_id));
  }

  // Grant's reply to thread_ with a MIME structure of the test's own:
  // `rest` starts with the Content-Type header.
  std::string GrantMime(const std::string& message_id, const std::string& rest) {
    return "From: grace@demo.roundtable.test\r\nTo: " + ReplyAddress(grant_, thread_) +
           "\r\nSubject: Re: x\r\nMessage-ID: <" + message_id + ">\r\nMIME-Version: 1.0\r\n" +
           rest;
  }

  void ExpectRefusedAndNotPosted(const IngestReport& r, const std::string& reason) {
    EXPECT_EQ(r.outcome, IngestOutcome::kRefused);
    EXPECT_EQ(r.reason, reason);
    EXPECT_EQ(Posts(thread_).size(), 1u);
  }

  IngestReport DeliverOk(const std::string& raw, const std::string& recipient = "") {
    auto r = Deliver(raw, recipient);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : IngestReport{};
  }

  std::vector<Post> Posts(ThreadId thread) {
    auto views = db().posts().ListForThread(thread, PostId{}, 1000);
    EXPECT_TRUE(views.ok());
    std::vector<Post> out;
    for (const store::PostView& v : *views) out.push_back(v.post);
    return out;
  }

  // The mail queued so far (refusals and notes), oldest first.
  std::vector<MailJob> Queued() {
    auto due = db().outbox().Due(kMailKind, clock_.Now() + 24h * 365, 1000);
    EXPECT_TRUE(due.ok());
    std::vector<MailJob> out;
    for (const store::OutboxItem& it : *due) {
      auto job = ParseMailJob(it.payload);
      EXPECT_TRUE(job.ok());
      if (job.ok()) out.push_back(*job);
    }
    return out;
  }

  Viewer ana_, grant_, nora_, lena_;
  ThreadId thread_;
  std::optional<MailTokens> tokens_;
  GroupsService groups_{ctx_};
  DiscussionsService discussions_{ctx_};
};

TEST_F(MailIngestTest, RepliesFromEachMailClientBecomeCleanPosts) {
  const char* const kFixtures[] = {"gmail_reply.eml",         "outlook_desktop.eml",
                                   "apple_mail_iphone.eml",   "thunderbird_flowed.eml",
                                   "outlook_mobile_html_only.eml", "german_reply_latin1.eml"};
  for (const char* name : kFixtures) {
    SCOPED_TRACE(name);
    std::string raw = AsReplyFrom(name, grant_);
    IngestReport r = DeliverOk(raw);
    ASSERT_EQ(r.outcome, IngestOutcome::kPosted) << r.reason << ": " << r.detail;
    ASSERT_TRUE(r.created.has_value());
    EXPECT_EQ(r.created->thread, thread_);
    EXPECT_FALSE(r.answered);  // nothing to tell: no attachments
    auto post = db().posts().Find(r.created->post);
    ASSERT_TRUE(post.ok() && post->has_value());
    const Post& p = (*post)->post;
    EXPECT_EQ(p.author_id, grant_.account->id);
    EXPECT_EQ(p.via, PostVia::kEmail);
    EXPECT_EQ(p.body_source, mail::ExtractReply(mail::ParseInbound(raw)->text));
    for (const char* residue : {"wrote:", "Reply above this line", "Original Message",
                                "Sent from my", "\n>", "reply+", "<script"}) {
      EXPECT_EQ(p.body_source.find(residue), std::string::npos) << residue;
    }
    EXPECT_TRUE(text::IsValidUtf8(p.body_source));
    EXPECT_GT(p.body_source.size(), 20u);
  }
  EXPECT_EQ(Posts(thread_).size(), 1u + std::size(kFixtures));
  EXPECT_TRUE(Queued().empty());
}

TEST_F(MailIngestTest, ForgedFromWithSomeoneElsesTokenIsRefused) {
  // Grant's reply address, sent from Ana's address (a forged or forwarded
  // token): nothing is posted, and Ana is told why.
  std::string raw = Message("Ana <active@demo.roundtable.test>", ReplyAddress(grant_, thread_),
                            "Re: Counting visits", "Posting as Grant.", "forged-1@example.org");
  IngestReport r = DeliverOk(raw);
  EXPECT_EQ(r.outcome, IngestOutcome::kRefused);
  EXPECT_EQ(r.reason, "sender_mismatch");
  EXPECT_TRUE(r.answered);
  EXPECT_EQ(Posts(thread_).size(), 1u);
  std::vector<MailJob> queued = Queued();
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].account, ana_.account->id);
  EXPECT_EQ(queued[0].message.to[0].address, "active@demo.roundtable.test");
  EXPECT_EQ(queued[0].message.text_body.find("grace@"), std::string::npos);  // no leak

  // From an address with no account at all: refused the same way.
  IngestReport stranger = DeliverOk(Message("x@elsewhere.example", ReplyAddress(grant_, thread_),
                                            "Re: x", "Hello", "forged-2@example.org"));
  EXPECT_EQ(stranger.reason, "sender_mismatch");
  EXPECT_EQ(Posts(thread_).size(), 1u);

  // The owner's address in another case is the owner (accounts are keyed
  // by their lower-cased address).
  IngestReport owner = DeliverOk(Message("GRACE@Demo.Roundtable.Test", ReplyAddress(grant_, thread_),
                                         "Re: x", "Mine.", "owner-1@example.org"));
  EXPECT_EQ(owner.outcome, IngestOutcome::kPosted);
}

TEST_F(MailIngestTest, UnknownAndDamagedTokensAreRefused) {
  std::string other_key_token = MailTokens(std::string(32, 'z')).ReplyToken(grant_.account->id,
                                                                             thread_);
  int n = 0;
  for (const std::string& to :
       {"reply+" + other_key_token + "@" + kDomain, std::string("reply+short@") + kDomain,
        "reply+" + std::string(43, 'A') + "@" + kDomain}) {
    SCOPED_TRACE(to);
    IngestReport r = DeliverOk(Message("grace@demo.roundtable.test", to, "Re: x", "Hello",
                                       "tok-" + std::to_string(++n) + "@example.org"));
    EXPECT_EQ(r.outcome, IngestOutcome::kRefused);
    EXPECT_EQ(r.reason, "unknown_reply_address");
  }
  EXPECT_EQ(Posts(thread_).size(), 1u);
}

TEST_F(MailIngestTest, ReplayedTokenAfterLeavingTheGroupIsRefused) {
  ASSERT_TRUE(groups_.Leave(grant_, "data-measurement").ok());
  IngestReport r = GrantReplies("Still here?", "left-1@example.org");
  EXPECT_EQ(r.outcome, IngestOutcome::kRefused);
  EXPECT_FALSE(r.detail.empty());
  EXPECT_TRUE(r.answered);
  EXPECT_EQ(Posts(thread_).size(), 1u);
  // The answer explains in plain words.
  std::vector<MailJob> queued = Queued();
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_NE(queued[0].message.text_body.find(r.detail), std::string::npos);
}

TEST_F(MailIngestTest, LockedThreadIsRefused) {
  ASSERT_TRUE(discussions_.SetLocked(lena_, thread_, true).ok());
  ExpectRefusedAndNotPosted(GrantReplies("One more thing", "locked-1@example.org"),
                            "thread_locked");
}

TEST_F(MailIngestTest, LapsedMembershipIsRefused) {
  auto assoc = LoadAssociation(ctx_, db());
  ASSERT_TRUE(assoc.ok());
  auto m = db().memberships().FindForAccount(assoc->id, grant_.account->id);
  ASSERT_TRUE(m.ok() && m->has_value());
  Membership lapsed = **m;
  lapsed.paid_through = Date::FromYmd(2024, 1, 31);
  ASSERT_TRUE(db().memberships().Update(lapsed, clock_.Now()).ok());
  ExpectRefusedAndNotPosted(GrantReplies("Hello", "lapsed-1@example.org"), "membership_expired");
}

TEST_F(MailIngestTest, TheSameMessageIsPostedOnce) {
  std::string raw = AsReplyFrom("gmail_reply.eml", grant_);
  IngestReport first = DeliverOk(raw);
  ASSERT_EQ(first.outcome, IngestOutcome::kPosted);
  IngestReport again = DeliverOk(raw);
  EXPECT_EQ(again.outcome, IngestOutcome::kDuplicate);
  EXPECT_EQ(ExitStatus(again), kExitOk);
  EXPECT_EQ(Posts(thread_).size(), 2u);
}

TEST_F(MailIngestTest, ReplyAllToTheReplyAndGroupAddressesPostsOneReply) {
  std::string raw = Message("grace@demo.roundtable.test", ReplyAddress(grant_, thread_),
                            "Re: Counting visits", "To both.", "both-1@example.org",
                            std::string("Cc: data-measurement@") + kDomain + "\r\n");
  // Postfix delivers once per recipient; whichever comes first posts the
  // reply, the other is the same message.
  IngestReport via_group = DeliverOk(raw, std::string("data-measurement@") + kDomain);
  EXPECT_EQ(via_group.outcome, IngestOutcome::kPosted);
  EXPECT_EQ(via_group.created->thread, thread_);
  IngestReport via_reply = DeliverOk(raw, ReplyAddress(grant_, thread_));
  EXPECT_EQ(via_reply.outcome, IngestOutcome::kDuplicate);
  EXPECT_EQ(Posts(thread_).size(), 2u);
}

TEST_F(MailIngestTest, MachineMailIsNeverPostedNorAnswered) {
  for (const char* name : {"out_of_office.eml", "mailing_list.eml"}) {
    SCOPED_TRACE(name);
    IngestReport r = DeliverOk(AsReplyFrom(name, grant_));
    EXPECT_EQ(r.outcome, IngestOutcome::kDropped) << r.reason;
    EXPECT_FALSE(r.answered);
  }
  // A person's message that arrives with the null envelope sender.
  auto null_sender = Deliver(Message("grace@demo.roundtable.test", ReplyAddress(grant_, thread_),
                                     "Re: x", "Hi", "null-1@example.org"),
                             "", "MAILER-DAEMON");
  ASSERT_TRUE(null_sender.ok());
  EXPECT_EQ(null_sender->outcome, IngestOutcome::kDropped);
  EXPECT_EQ(null_sender->reason, "null_sender");
  // Mail claiming to come from our own domain (a loop).
  IngestReport own = DeliverOk(Message(std::string("noreply@") + kDomain,
                                       ReplyAddress(grant_, thread_), "Re: x", "Hi",
                                       "own-1@example.org"));
  EXPECT_EQ(own.outcome, IngestOutcome::kDropped);
  EXPECT_EQ(own.reason, "own_address");
  EXPECT_EQ(Posts(thread_).size(), 1u);
  EXPECT_TRUE(Queued().empty());
}

TEST_F(MailIngestTest, PermanentBouncesOfMembersAreHandedOn) {
  auto bounced_account = db().accounts().Create(
      {"old.address@riverside.example", "Old Address", "hash", false, true}, clock_.Now());
  ASSERT_TRUE(bounced_account.ok());
  std::vector<BouncedAccount> handed;
  MailIngestService service(ctx_, [&](store::Store&, const BouncedAccount& b, TimePoint) {
    handed.push_back(b);
    return OkStatus();
  });
  std::string raw = ReadFixture("bounce_dsn.eml");
  const std::string verp = BounceAddress(bounced_account->id);
  auto r = service.Ingest({raw, false, verp, ""});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->outcome, IngestOutcome::kBounce);
  EXPECT_EQ(r->reason, "permanent_failure");
  ASSERT_EQ(handed.size(), 1u);
  EXPECT_EQ(handed[0].account, bounced_account->id);
  EXPECT_EQ(handed[0].address, "old.address@riverside.example");
  EXPECT_EQ(handed[0].status, "5.1.1");
  EXPECT_NE(handed[0].diagnostic.find("User unknown"), std::string::npos);
  EXPECT_EQ(r->bounced.size(), 1u);
  EXPECT_EQ(ExitStatus(r), kExitOk);
  EXPECT_FALSE(r->answered);
  // Delivered again: handled once.
  auto again = service.Ingest({raw, false, verp, ""});
  EXPECT_EQ(again->outcome, IngestOutcome::kDuplicate);
  EXPECT_EQ(handed.size(), 1u);

  // A failing handler keeps the message with the MTA (retry later).
  std::string delayed = raw;
  ReplaceAll(delayed, "8F2C41A3B7@mx", "8F2C41A3B8@mx");
  MailIngestService failing(ctx_, [](store::Store&, const BouncedAccount&, TimePoint) {
    return Status(MakeError(ErrorKind::kUnavailable, "database_unavailable", "busy"));
  });
  auto failed = failing.Ingest({delayed, false, verp, ""});
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(ExitStatus(failed), kExitTempFail);
  // A delay report is not permanent.
  ReplaceAll(delayed, "Action: failed", "Action: delayed");
  ReplaceAll(delayed, "Status: 5.1.1", "Status: 4.4.1");
  auto transient = service.Ingest({delayed, false, verp, ""});
  ASSERT_TRUE(transient.ok());
  EXPECT_EQ(transient->outcome, IngestOutcome::kBounce);
  EXPECT_EQ(transient->reason, "transient_failure");
  EXPECT_EQ(handed.size(), 1u);
}

TEST_F(MailIngestTest, AGenuineBounceAtTheMembersBounceAddressPausesTheirMail) {
  // The failed recipient as the remote MTA wrote it: case does not matter.
  IngestReport r = DeliverDsn(Dsn("Grace@Demo.Roundtable.TEST", "genuine"),
                              BounceAddress(grant_.account->id));
  EXPECT_EQ(r.outcome, IngestOutcome::kBounce);
  EXPECT_EQ(r.reason, "permanent_failure");
  ASSERT_EQ(r.bounced.size(), 1u);
  EXPECT_EQ(r.bounced[0].account, grant_.account->id);
  auto grant = db().accounts().FindById(grant_.account->id);
  ASSERT_TRUE(grant.ok() && grant->has_value());
  EXPECT_TRUE((*grant)->mail_paused());
  EXPECT_EQ((*grant)->mail_pause_reason.rfind("5.1.1", 0), 0u) << (*grant)->mail_pause_reason;
  EXPECT_NE((*grant)->mail_pause_reason.find("User unknown"), std::string::npos);
  EXPECT_FALSE(Paused(ana_));
  EXPECT_TRUE(Queued().empty());
}

TEST_F(MailIngestTest, AForgedBounceToAFixedAddressPausesNobody) {
  const std::string kGrant = "grace@demo.roundtable.test";
  int n = 0;
  for (const std::string& to : {std::string("bounces@") + kDomain,
                                std::string("noreply@") + kDomain,
                                std::string("data-measurement@") + kDomain,
                                ReplyAddress(grant_, thread_),
                                // Well-formed, but not a token we made.
                                std::string("bounces+") + kFixtureToken + "@" + kDomain,
                                // Grant's reply token is not a bounce token.
                                "bounces+" + tokens_->ReplyToken(grant_.account->id, thread_) +
                                    "@" + kDomain}) {
    SCOPED_TRACE(to);
    auto r = DeliverDsnResult(Dsn(kGrant, "forged-" + std::to_string(++n)), to);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->outcome, IngestOutcome::kDropped);
    EXPECT_EQ(r->reason, "unauthenticated_bounce");
    EXPECT_NE(r->detail.find(kGrant), std::string::npos) << r->detail;  // logged
    EXPECT_TRUE(r->bounced.empty());
    EXPECT_EQ(ExitStatus(r), kExitOk);
  }
  // Headers that name Grant's real bounce address do not count when the
  // envelope says the report arrived elsewhere.
  std::string raw = Dsn(kGrant, "forged-headers");
  ReplaceAll(raw, std::string("Delivered-To: bounces@") + kDomain,
             "Delivered-To: " + BounceAddress(grant_.account->id));
  ReplaceAll(raw, "To: groups@mail.example.org", "To: " + BounceAddress(grant_.account->id));
  IngestReport headers = DeliverDsn(raw, std::string("bounces@") + kDomain);
  EXPECT_EQ(headers.outcome, IngestOutcome::kDropped);
  EXPECT_EQ(headers.reason, "unauthenticated_bounce");
  // Without an envelope recipient, the fixture's Delivered-To: bounces@.
  IngestReport no_envelope = DeliverDsn(Dsn(kGrant, "forged-no-envelope"), "");
  EXPECT_EQ(no_envelope.outcome, IngestOutcome::kDropped);
  EXPECT_FALSE(Paused(grant_));
  EXPECT_TRUE(Queued().empty());
}

TEST_F(MailIngestTest, ABounceWithAnotherMembersTokenPausesNobody) {
  // Ana's bounce address (she can read it in her own mail's Return-Path),
  // with a report that Grant's address failed.
  IngestReport r = DeliverDsn(Dsn("grace@demo.roundtable.test", "other-token"),
                              BounceAddress(ana_.account->id));
  EXPECT_EQ(r.outcome, IngestOutcome::kDropped);
  EXPECT_EQ(r.reason, "bounce_recipient_mismatch");
  EXPECT_TRUE(r.bounced.empty());
  EXPECT_FALSE(Paused(grant_));
  EXPECT_FALSE(Paused(ana_));
}

TEST_F(MailIngestTest, MailToABounceAddressThatIsNoReportIsDropped) {
  const std::string verp = BounceAddress(grant_.account->id);
  IngestReport r = DeliverOk(
      Message("someone@elsewhere.example", verp, "Hello", "Is this you?", "b-1@example.org"), verp);
  EXPECT_EQ(r.outcome, IngestOutcome::kDropped);
  EXPECT_EQ(r.reason, "not_a_delivery_report");
  EXPECT_FALSE(r.answered);
  EXPECT_TRUE(Queued().empty());
  EXPECT_FALSE(Paused(grant_));
}

TEST_F(MailIngestTest, GroupAddressStartsADiscussion) {
  std::string raw = ReadFixture("new_discussion.eml");
  ReplaceAll(raw, "ana.ruiz@eastside.example", "grace@demo.roundtable.test");
  IngestReport r = DeliverOk(raw, std::string("data-measurement@") + kDomain);
  ASSERT_EQ(r.outcome, IngestOutcome::kPosted) << r.reason << ": " << r.detail;
  auto t = db().threads().Find(r.created->thread);
  ASSERT_TRUE(t.ok() && t->has_value());
  EXPECT_EQ((*t)->thread.title, "Benchmarks for program attendance?");
  EXPECT_EQ((*t)->thread.author_id, grant_.account->id);
  EXPECT_EQ((*t)->group_slug, "data-measurement");
  auto first = db().posts().Find((*t)->thread.first_post_id);
  EXPECT_EQ((*first)->post.body_source,
            "Does anyone compare program attendance with a peer group?\n\nWe count heads at the "
            "door, but I would like a fair comparison.\n\nAna");
  EXPECT_EQ((*first)->post.via, PostVia::kEmail);
}

TEST_F(MailIngestTest, GroupAddressRefusals) {
  // Not an account.
  IngestReport stranger = DeliverOk(Message("someone@elsewhere.example",
                                            std::string("data-measurement@") + kDomain, "Hello",
                                            "Can I join?", "g-1@elsewhere.example"));
  EXPECT_EQ(stranger.outcome, IngestOutcome::kRefused);
  EXPECT_EQ(stranger.reason, "unknown_sender");
  EXPECT_TRUE(stranger.answered);
  // An account that is not in the (members-only) group.
  IngestReport outsider = DeliverOk(Message("visitor@demo.roundtable.test",
                                            std::string("data-measurement@") + kDomain, "Hello",
                                            "Counting question", "g-2@example.org"));
  EXPECT_EQ(outsider.outcome, IngestOutcome::kRefused);
  EXPECT_FALSE(outsider.detail.empty());
  // No subject: no title.
  IngestReport untitled = DeliverOk(Message("grace@demo.roundtable.test",
                                            std::string("data-measurement@") + kDomain, "",
                                            "Counting question", "g-3@example.org"));
  EXPECT_EQ(untitled.outcome, IngestOutcome::kRefused);
  EXPECT_NE(untitled.detail.find("subject"), std::string::npos) << untitled.detail;
  // An account whose address was never confirmed: anyone could have
  // registered it.
  ASSERT_TRUE(AccountsService(ctx_).Register({"Una Verified", "una@elsewhere.example",
                                              "a long enough passphrase"}).ok());
  IngestReport unverified = DeliverOk(Message("una@elsewhere.example",
                                              std::string("social-work@") + kDomain, "Hello",
                                              "A first question", "g-5@elsewhere.example"));
  EXPECT_EQ(unverified.outcome, IngestOutcome::kRefused);
  EXPECT_EQ(unverified.reason, "email_unverified");
  EXPECT_TRUE(unverified.answered);
  EXPECT_FALSE(unverified.created.has_value());
  // A group that does not exist.
  IngestReport nowhere = DeliverOk(Message("grace@demo.roundtable.test",
                                           std::string("no-such-group@") + kDomain, "Hi", "Text",
                                           "g-4@example.org"));
  EXPECT_EQ(nowhere.outcome, IngestOutcome::kRefused);
  EXPECT_EQ(nowhere.reason, "group_not_found");
}

TEST_F(MailIngestTest, AddressesWeDoNotHaveAreForTheMtaToBounce) {
  for (const std::string& to : {std::string("postmaster@") + kDomain,
                                std::string("someone@other.example")}) {
    auto r = Deliver(Message("grace@demo.roundtable.test", to, "Hi", "Text", "nouser@example.org"),
                     to);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->outcome, IngestOutcome::kUndeliverable);
    EXPECT_EQ(ExitStatus(r), kExitNoUser);
  }
  // Not a message at all; no sender.
  for (const std::string& raw :
       {std::string("just some bytes\r\nwith no header\r\n"),
        std::string("Subject: hi\r\nTo: x@") + kDomain + "\r\n\r\nbody\r\n", std::string()}) {
    auto r = Deliver(raw);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->outcome, IngestOutcome::kUndeliverable);
    EXPECT_EQ(ExitStatus(r), kExitDataErr);
  }
  EXPECT_TRUE(Queued().empty());
}

TEST_F(MailIngestTest, EmptyReplyIsRefused) {
  ExpectRefusedAndNotPosted(GrantReplies("On Sun, 1 Mar 2026 at 12:00, Ana Active "
                                         "<active@demo.roundtable.test> wrote:\r\n\r\n"
                                         "> quoted only\r\n",
                                         "empty-1@example.org"),
                            "empty_reply");
}

TEST_F(MailIngestTest, OversizedAndOverlyComplexMessagesAreRefusedFromTheirHeaders) {
  std::string head = "From: Grant <grace@demo.roundtable.test>\r\nTo: " +
                     ReplyAddress(grant_, thread_) + "\r\nSubject: Re: big\r\n";
  // 10,000 parts.
  std::string parts = head + "Message-ID: <parts@example.org>\r\nMIME-Version: 1.0\r\n"
                             "Content-Type: multipart/mixed; boundary=b\r\n\r\n";
  for (int i = 0; i < 10000; ++i) parts += "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n";
  parts += "--b--\r\n";
  // 100 levels deep.
  std::string deep = head + "Message-ID: <deep@example.org>\r\nMIME-Version: 1.0\r\n";
  for (int i = 0; i < 100; ++i) {
    deep += "Content-Type: multipart/mixed; boundary=d" + std::to_string(i) + "\r\n\r\n--d" +
            std::to_string(i) + "\r\n";
  }
  deep += "Content-Type: text/plain\r\n\r\nhello\r\n";
  // Over the size limit (as the reader hands it over: cut, and marked).
  std::string large = head + "Message-ID: <large@example.org>\r\n\r\n" +
                      std::string(kMaxInboundBytes, 'a');
  large.resize(kMaxInboundBytes);

  struct Case {
    std::string raw;
    bool truncated;
    const char* reason;
  };
  int answered = 0;
  for (const Case& c : {Case{parts, false, "mail_too_many_parts"},
                        Case{deep, false, "mail_too_deep"},
                        Case{large, true, "mail_too_large"}}) {
    SCOPED_TRACE(c.reason);
    // A fresh sender each time, so that the rate limit stays out of it.
    clock_.Set(clock_.Now() + 11min);
    auto r = MailIngestService(ctx_).Ingest({c.raw, c.truncated, "", "x@example.org"});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->outcome, IngestOutcome::kRefused);
    EXPECT_EQ(r->reason, c.reason);
    EXPECT_EQ(ExitStatus(r), kExitOk);
    answered += r->answered;
  }
  EXPECT_EQ(answered, 3);
  EXPECT_EQ(Posts(thread_).size(), 1u);
}

TEST_F(MailIngestTest, HostileContentIsPostedSafelyOrAnsweredWithoutInjection) {
  // HTML-only with script: the text is kept, the script is not.
  std::string html = GrantMime("html-1@example.org",
                                "Content-Type: text/html; charset=x-unknown-charset\r\n\r\n"
                                "<p>Visible words</p><script>alert('never shown')</script>"
                                "<img src=x onerror=alert(1)>\r\n");
  IngestReport r = DeliverOk(html);
  ASSERT_EQ(r.outcome, IngestOutcome::kPosted) << r.detail;
  auto post = db().posts().Find(r.created->post);
  EXPECT_EQ((*post)->post.body_source, "Visible words");
  EXPECT_EQ((*post)->post.body_html.find("alert"), std::string::npos);

  // CR, LF and NUL in the name and subject (encoded words) reach neither
  // the title nor a header of the answer.
  std::string evil = std::string("From: =?UTF-8?Q?Eve=0D=0ABcc:_victim@example.org?= "
                                 "<stranger@elsewhere.example>\r\nTo: data-measurement@") +
                     kDomain +
                     "\r\nSubject: =?UTF-8?Q?Hi=0D=0ABcc:_victim2@example.org=00?=\r\n"
                     "Message-ID: <evil-1@example.org>\r\n\r\nText\r\n";
  IngestReport refused = DeliverOk(evil);
  EXPECT_EQ(refused.outcome, IngestOutcome::kRefused);
  ASSERT_TRUE(refused.answered);
  std::vector<MailJob> queued = Queued();
  ASSERT_EQ(queued.size(), 1u);
  auto rendered = mail::Render(queued[0].message);
  ASSERT_TRUE(rendered.ok()) << rendered.error().message;
  testing::ParsedMessage back = testing::ParseMessage(*rendered);
  EXPECT_EQ(back.HeaderCount("Bcc"), 0);
  EXPECT_EQ(back.Header("Auto-Submitted"), "auto-replied");
  EXPECT_EQ(back.Header("In-Reply-To"), "<evil-1@example.org>");
  EXPECT_EQ(back.from[0].address, std::string("noreply@") + kDomain);
  EXPECT_EQ(back.to[0].address, "stranger@elsewhere.example");
  EXPECT_EQ(back.subject.find('\r'), std::string::npos);
  EXPECT_EQ(back.subject.find('\n'), std::string::npos);
}

TEST_F(MailIngestTest, AttachmentsAreNotKeptAndTheSenderIsTold) {
  std::string raw = AsReplyFrom("reply_with_pdf.eml", grant_);
  // A hostile file name: only its base name is ever shown.
  ReplaceAll(raw, "image001.png", "../../x.png");
  IngestReport r = DeliverOk(raw);
  ASSERT_EQ(r.outcome, IngestOutcome::kPosted) << r.detail;
  EXPECT_TRUE(r.answered);
  auto post = db().posts().Find(r.created->post);
  EXPECT_EQ((*post)->post.body_source,
            "Hi all,\n\nAttached are our visit counts for Q3, before and after the move.\n\n"
            "Best,\nSofia");
  std::vector<MailJob> queued = Queued();
  ASSERT_EQ(queued.size(), 1u);
  const std::string& text = queued[0].message.text_body;
  EXPECT_NE(text.find("Visit counts Q3 \xE2\x80\x93 Eastbay.pdf"), std::string::npos) << text;
  EXPECT_EQ(text.find("x.png"), std::string::npos);  // an inline logo, not a file
  EXPECT_EQ(text.find("../"), std::string::npos);
  EXPECT_EQ(queued[0].message.subject.rfind("Posted without attachments: ", 0), 0u);
}

TEST_F(MailIngestTest, HostileAttachmentNamesReachNoHeaderAndNoPath) {
  std::string raw = GrantMime(
      "files-1@example.org",
      "Content-Type: multipart/mixed; boundary=m\r\n\r\n"
      "--m\r\nContent-Type: text/plain\r\n\r\nThe script is attached.\r\n"
      "--m\r\nContent-Type: application/octet-stream\r\nContent-Disposition: "
      "attachment; filename*=UTF-8''..%2F..%2Fx%0D%0ABcc%3A%20a%40b.example%00.sh"
      "\r\nContent-Transfer-Encoding: base64\r\n\r\nZWNobyBoaQo=\r\n--m--\r\n");
  IngestReport r = DeliverOk(raw);
  ASSERT_EQ(r.outcome, IngestOutcome::kPosted) << r.detail;
  ASSERT_TRUE(r.answered);
  std::vector<MailJob> queued = Queued();
  ASSERT_EQ(queued.size(), 1u);
  const std::string& text = queued[0].message.text_body;
  EXPECT_EQ(text.find("../"), std::string::npos) << text;
  EXPECT_EQ(text.find('\r'), std::string::npos);
  // The base name, cleaned by ParseInbound (cut at the NUL, ":" and
  // controls replaced).
  EXPECT_NE(text.find("(x Bcc_ a@b.example)"), std::string::npos) << text;
  auto rendered = mail::Render(queued[0].message);
  ASSERT_TRUE(rendered.ok()) << rendered.error().message;
  EXPECT_EQ(testing::ParseMessage(*rendered).HeaderCount("Bcc"), 0);
}

TEST_F(MailIngestTest, AnswersAreRateLimitedPerAddress) {
  std::string to = ReplyAddress(grant_, thread_);
  auto refuse = [&](int n) {
    return DeliverOk(Message("active@demo.roundtable.test", to, "Re: x", "Hi",
                             "rate-" + std::to_string(n) + "@example.org"));
  };
  IngestReport first = refuse(1);
  EXPECT_TRUE(first.answered);
  IngestReport second = refuse(2);
  EXPECT_EQ(second.outcome, IngestOutcome::kRefused);
  EXPECT_FALSE(second.answered);
  EXPECT_EQ(second.not_answered, "rate_limited");
  clock_.Set(clock_.Now() + 11min);
  EXPECT_TRUE(refuse(3).answered);
  // The daily cap.
  int answered = 2;
  for (int i = 4; i < 20; ++i) {
    clock_.Set(clock_.Now() + 11min);
    answered += refuse(i).answered;
  }
  EXPECT_EQ(answered, kAnswersPerDay);
  EXPECT_EQ(Queued().size(), static_cast<size_t>(kAnswersPerDay));
  // A day later, answers resume.
  clock_.Set(clock_.Now() + 24h);
  EXPECT_TRUE(refuse(21).answered);
}

TEST_F(MailIngestTest, AnswersToStrangersHaveAnOverallCap) {
  int answered = 0;
  for (int i = 0; i < kStrangerAnswersPerHour + 5; ++i) {
    std::string from = "spam" + std::to_string(i) + "@forged.example";
    answered += DeliverOk(Message(from, std::string("data-measurement@") + kDomain, "Buy",
                                  "Now", "spam-" + std::to_string(i) + "@forged.example"))
                    .answered;
  }
  EXPECT_EQ(answered, kStrangerAnswersPerHour);
  // Members are still answered.
  IngestReport member = DeliverOk(Message("visitor@demo.roundtable.test",
                                          std::string("data-measurement@") + kDomain, "Hi", "Text",
                                          "member-1@example.org"));
  EXPECT_TRUE(member.answered);
}

TEST_F(MailIngestTest, RefusalAnswerThreadsUnderTheMessage) {
  std::string raw = Message("Ana Active <active@demo.roundtable.test>",
                            ReplyAddress(grant_, thread_), "Re: Counting visits", "Hi",
                            "answer-1@example.org",
                            "References: <root@mail.example.org>\r\n");
  ASSERT_TRUE(DeliverOk(raw).answered);
  std::vector<MailJob> queued = Queued();
  ASSERT_EQ(queued.size(), 1u);
  const mail::OutgoingMessage& m = queued[0].message;
  EXPECT_EQ(m.auto_submitted, mail::AutoSubmitted::kAutoReplied);
  EXPECT_EQ(m.in_reply_to, "answer-1@example.org");
  EXPECT_EQ(m.references,
            (std::vector<std::string>{"root@mail.example.org", "answer-1@example.org"}));
  EXPECT_EQ(m.from.address, std::string("noreply@") + kDomain);
  EXPECT_EQ(m.subject, "Not posted: Re: Counting visits");
  EXPECT_FALSE(queued[0].group.has_value());  // reaches people outside the group too
  EXPECT_NE(m.text_body.find("https://groups.example.org"), std::string::npos);
}

TEST_F(MailIngestTest, BounceAddressForIsTheSendersEnvelope) {
  auto address = BounceAddressFor(ctx_, "Grace@demo.roundtable.test");
  ASSERT_TRUE(address.ok());
  EXPECT_EQ(*address, BounceAddress(grant_.account->id));
  EXPECT_FALSE(BounceAddressFor(ctx_, "nobody@example.org").ok());
}

TEST_F(MailIngestTest, ReplyAddressForIsAcceptedByIngest) {
  auto address = ReplyAddressFor(ctx_, "Grace@demo.roundtable.test", thread_);
  ASSERT_TRUE(address.ok());
  EXPECT_EQ(*address, ReplyAddress(grant_, thread_));
  EXPECT_FALSE(ReplyAddressFor(ctx_, "nobody@example.org", thread_).ok());
  EXPECT_FALSE(ReplyAddressFor(ctx_, "grace@demo.roundtable.test", ThreadId{9999}).ok());
}

}  // namespace
}  // namespace rt::app
