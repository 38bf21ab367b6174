// Digests: who is due when (time zones), what one person's digest lists and
// leaves out, on the demo association, and that a second run sends nothing.
#include "app/digests.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/delivery.h"
#include "app/demo.h"
#include "app/discussions.h"
#include "app/groups.h"
#include "app/mail_queue.h"
#include "app/thread_mail.h"
#include "support/app_fixture.h"

namespace rt::app {
namespace {

TimePoint At(int y, unsigned m, unsigned d, int h) {
  return FromUnix(int64_t{Date::FromYmd(y, m, d).days()} * 86400 + h * 3600);
}

TEST(DigestDueDateTest, FollowsEachMembersTimeZone) {
  store::DigestSchedule s;  // 07:00, weekly on Monday
  TimeZone chicago = *TimeZone::Load("America/Chicago");
  TimeZone tokyo = *TimeZone::Load("Asia/Tokyo");
  const Date mar1 = Date::FromYmd(2026, 3, 1), mar2 = Date::FromYmd(2026, 3, 2);
  // 12:00 UTC on 2 March: 06:00 in Chicago (not yet), 21:00 in Tokyo.
  EXPECT_EQ(DigestDueDate(Delivery::kDaily, s, chicago, At(2026, 3, 2, 12), mar1), std::nullopt);
  EXPECT_EQ(DigestDueDate(Delivery::kDaily, s, tokyo, At(2026, 3, 2, 12), mar1), mar2);
  // 13:00 UTC: 07:00 in Chicago, due; not again once that date is done.
  EXPECT_EQ(DigestDueDate(Delivery::kDaily, s, chicago, At(2026, 3, 2, 13), mar1), mar2);
  EXPECT_EQ(DigestDueDate(Delivery::kDaily, s, chicago, At(2026, 3, 2, 20), mar2), std::nullopt);
  // 21:00 UTC on 1 March: Tokyo's 2 March has begun, but it is 06:00 there.
  EXPECT_EQ(DigestDueDate(Delivery::kDaily, s, tokyo, At(2026, 3, 1, 21), std::nullopt),
            std::nullopt);
  EXPECT_EQ(DigestDueDate(Delivery::kDaily, s, chicago, At(2026, 3, 1, 21), std::nullopt), mar1);
  // After daylight saving time starts (8 March) 07:00 CDT is 12:00 UTC.
  EXPECT_EQ(DigestDueDate(Delivery::kDaily, s, chicago, At(2026, 3, 9, 12), std::nullopt),
            Date::FromYmd(2026, 3, 9));
  // Weekly: Mondays only (2 March 2026 is one; 3 March is not).
  EXPECT_EQ(DigestDueDate(Delivery::kWeekly, s, chicago, At(2026, 3, 2, 13), std::nullopt), mar2);
  EXPECT_EQ(DigestDueDate(Delivery::kWeekly, s, chicago, At(2026, 3, 3, 13), std::nullopt),
            std::nullopt);
}

TEST(DigestWindowTest, StartsWhereTheLastEndedWithinTwoPeriods) {
  const TimePoint now = At(2026, 3, 2, 13);
  EXPECT_EQ(DigestWindowStart(Delivery::kDaily, now, std::nullopt), At(2026, 3, 1, 13));
  EXPECT_EQ(DigestWindowStart(Delivery::kDaily, now, At(2026, 3, 1, 9)), At(2026, 3, 1, 9));
  EXPECT_EQ(DigestWindowStart(Delivery::kDaily, now, At(2026, 1, 1, 9)), At(2026, 3, 1, 13));
  EXPECT_EQ(DigestWindowStart(Delivery::kWeekly, now, std::nullopt), At(2026, 2, 23, 13));
}

class DigestTest : public testing::AppTest {
 protected:
  void SetUp() override {
    auto seeded = DemoSeeder(ctx_).Seed(/*with_discussions=*/false);
    ASSERT_TRUE(seeded.ok()) << seeded.error().message;
    ctx_.mail.domain = "groups.example.org";
    ctx_.mail.from_address = "noreply@groups.example.org";
    ctx_.mail.base_url = "https://groups.example.org";
    ana_ = As("active@demo.roundtable.test");
    grant_ = As("grace@demo.roundtable.test");
    lena_ = As("liaison@demo.roundtable.test");
    eve_ = As("expired@demo.roundtable.test");
    nora_ = As("visitor@demo.roundtable.test");
    for (Viewer* v : {&ana_, &grant_, &lena_}) {
      ASSERT_TRUE(GroupsService(ctx_).Join(*v, "data-measurement").ok());
    }
    ASSERT_TRUE(GroupsService(ctx_).Join(nora_, "social-work").ok());
    // Eve joined while her membership was active; it has lapsed since.
    auto dm = db().groups().FindBySlug(DemoAssociation(), "data-measurement");
    ASSERT_TRUE(dm.ok() && dm->has_value());
    ASSERT_TRUE(db().groups().AddMember((*dm)->id, eve_.account->id, GroupRole::kMember,
                                        ctx_.Now())
                    .ok());
    auto tokens = MailTokens::Load(db());
    ASSERT_TRUE(tokens.ok());
    tokens_.emplace(*tokens);
    clock_.Set(At(2026, 3, 2, 9));  // posts from here on fall in the first window
  }

  AssociationId DemoAssociation() {
    auto a = db().associations().FindBySlug("pla");
    return a.ok() && a->has_value() ? (*a)->id : AssociationId{};
  }

  Created Start(const Viewer& who, const std::string& slug, const std::string& kind,
                const std::string& title) {
    auto c = DiscussionsService(ctx_).StartThread(who, slug, {kind, title, "Body of " + title, ""},
                                                  PostVia::kWeb, "");
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
    return c.ok() ? *c : Created{};
  }

  PostId Reply(const Viewer& who, ThreadId t, PostId to, const std::string& body) {
    auto r = DiscussionsService(ctx_).Reply(who, t, body, to, PostVia::kWeb, "");
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r->post : PostId{};
  }

  DigestReport Run(TimePoint now, bool dry_run = false) {
    DigestRunOptions o;
    o.now = now;
    o.dry_run = dry_run;
    auto r = DigestService(ctx_, *tokens_).Send(o);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : DigestReport{};
  }

  // The text part of each queued digest, by recipient account.
  std::map<int64_t, std::string> Digests() {
    std::map<int64_t, std::string> out;
    auto due = db().outbox().Due(kMailKind, At(2030, 1, 1, 0), 1000);
    EXPECT_TRUE(due.ok());
    for (const store::OutboxItem& item : *due) {
      auto job = ParseMailJob(item.payload);
      EXPECT_TRUE(job.ok());
      if (item.dedupe_key.rfind("mail:digest:", 0) != 0) continue;
      out[job->account.value] += job->message.subject + "\n" + job->message.text_body;
    }
    return out;
  }

  Viewer ana_, grant_, lena_, eve_, nora_;
  std::optional<MailTokens> tokens_;
};

TEST_F(DigestTest, ListsWhatIsNewAndLeavesOutWhatTheReaderMustNotGetAgain) {
  // Lena gets every post in real time: no digest for her.
  ASSERT_TRUE(DeliveryService(ctx_)
                  .SetGroupDelivery(lena_, "data-measurement", Delivery::kRealtime)
                  .ok());
  Start(grant_, "data-measurement", "question", "Which counters work?");
  Created talk = Start(lena_, "data-measurement", "discussion", "Survey season");
  PostId ana_reply = Reply(ana_, talk.thread, talk.post, "Ana's own words");
  PostId to_ana = Reply(grant_, talk.thread, ana_reply, "Grant answers Ana");
  Start(nora_, "social-work", "discussion", "Only for social work");
  // The worker mails Grant's reply to Ana as a "reply to you" right away.
  ThreadMail mail(ctx_, *tokens_);
  int queued = 0;
  ASSERT_TRUE(db().InTransaction([&]() -> Status {
                    RT_ASSIGN_OR_RETURN(queued, mail.QueuePostMail(db(), to_ana));
                    return OkStatus();
                  }).ok());
  ASSERT_EQ(queued, 2);  // Lena (real time) and Ana (a reply to her)

  DigestReport r = Run(At(2026, 3, 2, 13));  // 07:00 in Chicago
  std::map<int64_t, std::string> digests = Digests();
  // Ana, Grant, and Lena for the other groups she is liaison of; not Eve
  // (lapsed); Nora has nothing but her own post.
  EXPECT_EQ(r.sent, 3) << r.Summary();
  EXPECT_EQ(r.skipped, 1);
  EXPECT_EQ(r.failed, 0);
  const std::string& lena = digests[lena_.account->id.value];
  EXPECT_NE(lena.find("Only for social work"), std::string::npos) << lena;
  EXPECT_EQ(lena.find("Survey season"), std::string::npos) << "real time in that group";
  EXPECT_EQ(digests.count(eve_.account->id.value), 0u);
  const std::string& ana = digests[ana_.account->id.value];
  EXPECT_NE(ana.find("Your daily digest: 2 new posts in 1 group"), std::string::npos) << ana;
  EXPECT_NE(ana.find("Which counters work? (Unanswered question"), std::string::npos) << ana;
  EXPECT_NE(ana.find("Survey season"), std::string::npos);
  EXPECT_NE(ana.find("https://groups.example.org/threads/" + std::to_string(talk.thread.value) +
                     "#reply"),
            std::string::npos);
  EXPECT_NE(ana.find("https://groups.example.org/settings/notifications#group-data-measurement"),
            std::string::npos);
  EXPECT_EQ(ana.find("Ana's own words"), std::string::npos) << "her own post";
  EXPECT_EQ(ana.find("Grant answers Ana"), std::string::npos) << "already mailed to her";
  EXPECT_EQ(ana.find("Only for social work"), std::string::npos) << "not her group";
  const std::string& grant = digests[grant_.account->id.value];
  EXPECT_NE(grant.find("Ana's own words"), std::string::npos) << grant;
  EXPECT_EQ(grant.find("Which counters work?"), std::string::npos) << "his own thread";
  EXPECT_EQ(digests.count(nora_.account->id.value), 0u);
}

TEST_F(DigestTest, TheSecondRunSendsNothingAndTheNextDayStartsWhereTheLastEnded) {
  Start(grant_, "data-measurement", "discussion", "First day");
  EXPECT_EQ(Run(At(2026, 3, 2, 13), /*dry_run=*/true).sent, 2);  // Ana and Lena
  EXPECT_TRUE(Digests().empty()) << "a dry run queues nothing";
  DigestReport first = Run(At(2026, 3, 2, 13));
  EXPECT_EQ(first.sent, 2) << first.Summary();
  DigestReport again = Run(At(2026, 3, 2, 14));
  EXPECT_EQ(again.sent + again.skipped + again.failed, 0) << again.Summary();
  EXPECT_EQ(Digests().size(), 2u);
  // The next day: only what came after the first run; Grant has nothing new.
  clock_.Set(At(2026, 3, 2, 15));
  Start(lena_, "data-measurement", "discussion", "Second day");
  DigestReport next = Run(At(2026, 3, 3, 13));
  EXPECT_EQ(next.sent, 2) << next.Summary();  // Ana and Grant
  EXPECT_EQ(next.skipped, 2);                 // Lena (her own post) and Nora
  std::string ana = Digests()[ana_.account->id.value];
  EXPECT_NE(ana.find("Second day"), std::string::npos);
}

}  // namespace
}  // namespace rt::app
