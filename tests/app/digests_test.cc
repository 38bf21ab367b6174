// Digests: who is due when (time zones), what one person's digest lists and
// leaves out (and how much of a busy period it shows), on the demo
// association, and that a second run sends nothing.
#include "app/digests.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/delivery.h"
#include "app/demo.h"
#include "app/discussions.h"
#include "app/groups.h"
#include "app/mail_queue.h"
#include "app/thread_mail.h"
#include "core/text.h"
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

// Synthetic posts for AssembleDigest and ComposeDigestMail, which are pure.
class DigestLimitsTest : public ::testing::Test {
 protected:
  // A group with `posts_per_thread[i]` new posts in its thread i, all by
  // someone else; thread i is an unanswered question when listed in
  // `questions`.
  void AddGroup(const std::string& slug, const std::vector<int>& posts_per_thread,
                const std::vector<int>& questions = {}, const std::string& body = "Words.") {
    Group g;
    g.id = GroupId{static_cast<int64_t>(groups_.size() + 1)};
    g.slug = slug;
    g.name = "Group " + slug;
    groups_.push_back(std::make_unique<Group>(g));
    auto& posts = posts_.emplace_back(std::make_unique<std::vector<store::DigestPost>>());
    for (size_t t = 0; t < posts_per_thread.size(); ++t) {
      const ThreadId thread{next_thread_++};
      const PostId first{next_post_};
      const bool question =
          std::find(questions.begin(), questions.end(), static_cast<int>(t)) != questions.end();
      for (int k = 0; k < posts_per_thread[t]; ++k) {
        store::DigestPost p;
        p.id = PostId{next_post_++};
        p.thread = thread;
        p.group = g.id;
        p.thread_title = slug + " thread " + std::to_string(t);
        p.thread_kind = question ? ThreadKind::kQuestion : ThreadKind::kDiscussion;
        p.first_post = first;
        p.reply_count = posts_per_thread[t] - 1;
        p.author = AccountId{2};
        p.author_name = "Writer";
        p.body_source = body;
        // Threads one after the other, posts in order within each.
        p.created_at = FromUnix(1000 + p.id.value);
        posts->push_back(p);
      }
    }
    std::stable_sort(posts->begin(), posts->end(),
                     [](const auto& a, const auto& b) { return a.created_at < b.created_at; });
  }

  DigestContent Assemble() {
    std::vector<GroupPosts> gp;
    for (size_t i = 0; i < groups_.size(); ++i) gp.push_back({groups_[i].get(), posts_[i].get()});
    return AssembleDigest(AccountId{1}, FromUnix(0), gp, nullptr);
  }

  mail::OutgoingMessage Compose(const DigestContent& c) {
    DigestMailFacts f;
    f.settings.domain = "groups.example.org";
    f.settings.from_address = "noreply@groups.example.org";
    f.settings.base_url = "https://groups.example.org";
    f.site_name = "PLA Interest Groups";
    f.to = {"Reader", "reader@example.org"};
    f.content = &c;
    f.unsubscribe_token = "TOKEN";
    f.message_id = "digest-1@groups.example.org";
    f.date = FromUnix(100000);
    return ComposeDigestMail(f);
  }

  std::vector<std::unique_ptr<Group>> groups_;
  std::vector<std::unique_ptr<std::vector<store::DigestPost>>> posts_;
  int64_t next_thread_ = 1;
  int64_t next_post_ = 1;
};

TEST_F(DigestLimitsTest, AThreadListsItsFirstPostsAndCountsTheRest) {
  AddGroup("a", {7, 1});
  DigestContent c = Assemble();
  ASSERT_EQ(c.groups.size(), 1u);
  EXPECT_EQ(c.posts, 8);
  const DigestThread& busy = c.groups[0].threads[0];
  EXPECT_EQ(busy.new_posts, 7);
  ASSERT_EQ(busy.posts.size(), static_cast<size_t>(kDigestMaxPostsPerThread));
  EXPECT_EQ(busy.posts[0]->id, PostId{1}) << "the first new posts, the opening one first";
  EXPECT_TRUE(busy.started);
  EXPECT_EQ(busy.first_unlisted, PostId{kDigestMaxPostsPerThread + 1});
  EXPECT_FALSE(c.groups[0].threads[1].first_unlisted.valid());

  mail::OutgoingMessage m = Compose(c);
  EXPECT_EQ(m.subject, "Your daily digest: 8 new posts in 1 group");
  const std::string more_url =
      "https://groups.example.org/posts/" + std::to_string(kDigestMaxPostsPerThread + 1);
  EXPECT_NE(m.text_body.find("7 new posts"), std::string::npos) << m.text_body;
  EXPECT_NE(m.text_body.find("and 4 more replies, from here on: " + more_url), std::string::npos)
      << m.text_body;
  EXPECT_NE(m.html_body.find("and <a href=\"" + more_url + "\">4 more replies</a> in the thread"),
            std::string::npos)
      << m.html_body;
  EXPECT_EQ(m.text_body.find("/posts/" + std::to_string(kDigestMaxPostsPerThread + 2)),
            std::string::npos)
      << "unlisted posts are not linked one by one";
}

TEST_F(DigestLimitsTest, AGroupListsItsUnansweredQuestionsFirstThenTheBusiestThreads) {
  // 12 threads: thread 11 is an unanswered question, thread 5 the busiest.
  std::vector<int> sizes(12, 1);
  sizes[5] = 4;
  AddGroup("a", sizes, /*questions=*/{11});
  DigestContent c = Assemble();
  ASSERT_EQ(c.groups.size(), 1u);
  const DigestGroup& g = c.groups[0];
  ASSERT_EQ(g.threads.size(), static_cast<size_t>(kDigestMaxThreadsPerGroup));
  EXPECT_EQ(g.more_threads, 12 - kDigestMaxThreadsPerGroup);
  EXPECT_EQ(g.threads[0].title, "a thread 11");
  EXPECT_TRUE(g.threads[0].unanswered);
  EXPECT_EQ(g.threads[1].title, "a thread 5");
  EXPECT_EQ(g.threads[2].title, "a thread 0") << "then in the order of their first new post";
  EXPECT_EQ(c.unanswered, 1);
  EXPECT_EQ(c.posts, 15) << "unlisted threads still count";

  mail::OutgoingMessage m = Compose(c);
  EXPECT_EQ(m.subject, "Your daily digest: 15 new posts in 1 group");
  EXPECT_LT(m.text_body.find("a thread 11"), m.text_body.find("a thread 5"));
  EXPECT_NE(m.text_body.find("2 more threads in Group a: https://groups.example.org/groups/a"),
            std::string::npos)
      << m.text_body;
  EXPECT_NE(m.html_body.find("<a href=\"https://groups.example.org/groups/a\">2 more threads in "
                             "Group a</a>"),
            std::string::npos)
      << m.html_body;
  EXPECT_EQ(m.text_body.find("a thread 10"), std::string::npos) << "left out";
}

TEST_F(DigestLimitsTest, TheDigestSharesItsThreadsOutBetweenTheGroups) {
  // Four groups of ten threads: 40 threads, kDigestMaxThreads listed. The
  // last group's question comes first in its turn all the same.
  for (const char* slug : {"a", "b", "c"}) AddGroup(slug, std::vector<int>(10, 2));
  AddGroup("d", {2, 2, 2, 2, 2, 2, 2, 2, 2, 1}, /*questions=*/{9});
  DigestContent c = Assemble();
  ASSERT_EQ(c.groups.size(), 4u);
  int listed = 0, more = 0;
  for (const DigestGroup& g : c.groups) {
    listed += static_cast<int>(g.threads.size());
    more += g.more_threads;
    EXPECT_GE(g.threads.size(), static_cast<size_t>(kDigestMaxThreads / 4)) << g.group->slug;
  }
  EXPECT_EQ(listed, kDigestMaxThreads);
  EXPECT_EQ(listed + more, 40);
  EXPECT_EQ(c.posts, 79);
  EXPECT_TRUE(c.groups[3].threads[0].unanswered);
  EXPECT_EQ(c.groups[3].threads[0].title, "d thread 9");

  mail::OutgoingMessage m = Compose(c);
  EXPECT_EQ(m.subject, "Your daily digest: 79 new posts in 4 groups");
  EXPECT_NE(m.text_body.find("1 question is still waiting for an answer."), std::string::npos);
}

TEST_F(DigestLimitsTest, LongPostsAreCutAtAWordWithAReadMoreLink) {
  // 150 characters of words with accents and CJK, repeated past the limit,
  // and Markdown with HTML-like text that must reach the HTML part escaped.
  std::string body = "**Résumé** <b>&</b>\n\n";
  while (text::CodePointCount(body) < 2 * kDigestExcerptChars) body += "naïve 日本語 café words ";
  AddGroup("a", {1}, {}, body);
  mail::OutgoingMessage m = Compose(Assemble());

  bool cut = false;
  const std::string excerpt = DigestExcerpt(body, false, &cut);
  EXPECT_TRUE(cut);
  EXPECT_TRUE(text::IsValidUtf8(excerpt));
  ASSERT_GT(excerpt.size(), 4u);
  EXPECT_EQ(excerpt.substr(excerpt.size() - 4), " …");
  const size_t chars = text::CodePointCount(excerpt) - 2;
  EXPECT_LE(chars, static_cast<size_t>(kDigestExcerptChars));
  EXPECT_GT(chars, static_cast<size_t>(kDigestExcerptChars) / 2);
  // Cut after a whole word: what precedes " …" is a word of the body.
  const std::string kept = excerpt.substr(0, excerpt.size() - 4);
  const std::string last_word = kept.substr(kept.rfind(' ') + 1);
  EXPECT_TRUE(last_word == "naïve" || last_word == "日本語" || last_word == "café" ||
              last_word == "words")
      << last_word;
  EXPECT_EQ(kept.find('\n'), std::string::npos) << "whitespace runs fold to one space";
  EXPECT_TRUE(kept.starts_with("**Résumé** <b>&</b> naïve")) << kept;

  const std::string post_url = "https://groups.example.org/posts/1";
  EXPECT_NE(m.text_body.find("    " + excerpt + "\n    Read more: " + post_url), std::string::npos)
      << m.text_body;
  EXPECT_NE(m.html_body.find("**Résumé** &lt;b&gt;&amp;&lt;/b&gt; naïve"), std::string::npos)
      << m.html_body;
  EXPECT_NE(m.html_body.find("… <a href=\"" + post_url + "\">Read more</a>"), std::string::npos);
  EXPECT_EQ(m.html_body.find("<b>"), std::string::npos);
  EXPECT_TRUE(text::IsValidUtf8(m.text_body));
  EXPECT_TRUE(text::IsValidUtf8(m.html_body));

  // A short post is shown whole, with no "Read more"; one the store cut
  // short is marked as cut even when what it loaded fits.
  EXPECT_EQ(DigestExcerpt("  Short\n\nand sweet.  ", false, &cut), "Short and sweet.");
  EXPECT_FALSE(cut);
  EXPECT_EQ(DigestExcerpt("Loaded part", true, &cut), "Loaded part …");
  EXPECT_TRUE(cut);
}

TEST_F(DigestLimitsTest, TheLargestDigestStaysUnderGmailsClippingSize) {
  // Every limit reached, with the longest excerpts and titles.
  const std::string body(2 * kDigestExcerptChars, 'w');
  for (const char* slug : {"a", "b", "c", "d"}) {
    AddGroup(slug, std::vector<int>(kDigestMaxThreadsPerGroup, kDigestMaxPostsPerThread + 2), {},
             body);
  }
  for (auto& posts : posts_) {
    for (auto& p : *posts) p.thread_title = std::string(200, 't');
  }
  mail::OutgoingMessage m = Compose(Assemble());
  EXPECT_LT(m.html_body.size(), 102u * 1024) << "Gmail clips HTML past 102 kB";
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

TEST_F(DigestTest, ABusyThreadShowsItsFirstPostsAndLongPostsAreCut) {
  ASSERT_EQ(kDigestMaxPostsPerThread, 3) << "this test lists the first three posts";
  Created talk = Start(lena_, "data-measurement", "discussion", "Counting season");
  // Longer than the store loads, and so than an excerpt: "Read more".
  std::string essay = "Long thoughts";
  while (essay.size() <= static_cast<size_t>(store::kDigestBodyChars)) essay += " on counting";
  PostId long_post = Reply(lena_, talk.thread, talk.post, essay);
  for (int i = 1; i <= 4; ++i) Reply(grant_, talk.thread, talk.post, "Reply " + std::to_string(i));

  Run(At(2026, 3, 2, 13));
  const std::string ana = Digests()[ana_.account->id.value];
  EXPECT_NE(ana.find("Your daily digest: 6 new posts in 1 group"), std::string::npos) << ana;
  EXPECT_NE(ana.find("6 new posts: https://groups.example.org/threads/"), std::string::npos);
  EXPECT_NE(ana.find("Reply 1"), std::string::npos) << ana;
  EXPECT_EQ(ana.find("Reply 2"), std::string::npos) << "past the thread's limit";
  EXPECT_NE(ana.find("and 3 more replies"), std::string::npos);
  const std::string read_more =
      " …\n    Read more: https://groups.example.org/posts/" + std::to_string(long_post.value);
  EXPECT_NE(ana.find("Long thoughts on counting on counting"), std::string::npos);
  EXPECT_NE(ana.find(read_more), std::string::npos) << ana;
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
