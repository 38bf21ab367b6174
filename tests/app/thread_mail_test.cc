// Mail about posts: what ComposePostMail writes (read back with GMime), and
// whom ThreadMail::QueuePostMail queues it for, on the demo association.
#include "app/thread_mail.h"

#include <gtest/gtest.h>
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "app/conversations.h"
#include "app/delivery.h"
#include "app/demo.h"
#include "app/discussions.h"
#include "app/groups.h"
#include "support/app_fixture.h"
#include "support/mime_reader.h"

namespace rt::app {
namespace {

using testing::ParsedMessage;
using testing::ParseMessage;

MailSettings Settings() {
  MailSettings s;
  s.domain = "groups.example.org";
  s.from_address = "noreply@groups.example.org";
  s.base_url = "https://groups.example.org";
  return s;
}

PostMailFacts Facts() {
  PostMailFacts f;
  f.settings = Settings();
  f.group_name = "Data & Measurement";
  f.group_slug = "data-measurement";
  f.thread = ThreadId{7};
  f.first_post = PostId{10};
  f.title = "Counting visits";
  f.post = PostId{12};
  f.reply_to = PostId{11};
  f.author_name = "Ana Ruiz";
  f.body_source = "We count **door** visits.";
  f.body_html = "<p>We count <strong>door</strong> visits.</p>";
  f.created_at = FromUnix(1772366400);
  f.to = {"Grant Grace", "grant@example.org"};
  f.recipient = AccountId{45};
  f.group_delivery = true;
  f.reply_token = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  f.unsubscribe_token = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
  return f;
}

ParsedMessage Rendered(const PostMailFacts& f) {
  auto bytes = mail::Render(ComposePostMail(f));
  EXPECT_TRUE(bytes.ok()) << (bytes.ok() ? "" : bytes.error().message);
  return bytes.ok() ? ParseMessage(*bytes) : ParsedMessage{};
}

TEST(ComposePostMailTest, GroupMailThreadsUnderItsParentAndCarriesListHeaders) {
  ParsedMessage m = Rendered(Facts());
  ASSERT_TRUE(m.ok);
  ASSERT_EQ(m.from.size(), 1u);
  EXPECT_EQ(m.from[0].name, "Ana Ruiz via Data & Measurement");
  EXPECT_EQ(m.from[0].address, "data-measurement@groups.example.org");
  ASSERT_EQ(m.reply_to.size(), 1u);
  EXPECT_EQ(m.reply_to[0].address,
            "reply+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA@groups.example.org");
  ASSERT_EQ(m.to.size(), 1u);
  EXPECT_EQ(m.to[0].address, "grant@example.org");
  EXPECT_EQ(m.subject, "Re: [Data & Measurement] Counting visits");
  EXPECT_EQ(m.message_id, "post-12@groups.example.org");
  EXPECT_EQ(m.Header("In-Reply-To"), "<post-11@groups.example.org>");
  EXPECT_EQ(m.references,
            (std::vector<std::string>{"post-10@groups.example.org", "post-11@groups.example.org"}));
  EXPECT_NE(m.Header("List-Id").find("<data-measurement.groups.example.org>"), std::string::npos);
  EXPECT_EQ(m.Header("List-Unsubscribe"),
            "<https://groups.example.org/unsubscribe/"
            "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB>");
  EXPECT_EQ(m.Header("List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
  // List mail, not an auto-reply: no Auto-Submitted.
  EXPECT_EQ(m.HeaderCount("Auto-Submitted"), 0);
  EXPECT_EQ(m.content_type, "multipart/alternative");
  ASSERT_EQ(m.parts.size(), 2u);
  const std::string& text = m.parts[0].text;
  const std::string& html = m.parts[1].text;
  EXPECT_EQ(m.parts[0].content_type, "text/plain");
  EXPECT_EQ(m.parts[1].content_type, "text/html");
  // The text is the Markdown source; the HTML the stored rendering.
  EXPECT_NE(text.find("We count **door** visits."), std::string::npos) << text;
  EXPECT_NE(html.find("<strong>door</strong>"), std::string::npos) << html;
  EXPECT_EQ(text.rfind("## Reply above this line ##", 0), 0u) << text;
  for (const std::string& part : {text, html}) {
    EXPECT_NE(part.find("https://groups.example.org/threads/7#reply"), std::string::npos);
    EXPECT_NE(part.find("https://groups.example.org/posts/12/message"), std::string::npos);
    EXPECT_NE(part.find("https://groups.example.org/groups/data-measurement/threads/new"),
              std::string::npos);
    EXPECT_NE(part.find("data-measurement@groups.example.org"), std::string::npos);
    EXPECT_NE(part.find("https://groups.example.org/settings/notifications#group-data-measurement"),
              std::string::npos);
  }
  EXPECT_NE(html.find("Reply to group"), std::string::npos);
  EXPECT_NE(html.find("Reply privately to Ana Ruiz"), std::string::npos);
  EXPECT_NE(html.find("Start a new discussion"), std::string::npos);
  EXPECT_NE(html.find("Change how you get mail from this group"), std::string::npos);
  // The group's unsubscribe link, as in the header; nothing about kinds.
  for (const std::string& part : {text, html}) {
    EXPECT_NE(part.find("Stop mail from this group"), std::string::npos) << part;
    EXPECT_NE(part.find("https://groups.example.org/unsubscribe/"
                        "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"),
              std::string::npos);
    EXPECT_EQ(part.find("Stop emails about"), std::string::npos);
    EXPECT_EQ(part.find("#email-kinds"), std::string::npos);
  }
  EXPECT_EQ(m.Header("Precedence"), "list");
  EXPECT_NE(html.find("mailto:data-measurement@groups.example.org"), std::string::npos);
  // HTML escaping in the HTML part only.
  EXPECT_NE(html.find("Data &amp; Measurement"), std::string::npos);
  EXPECT_NE(text.find("in Data & Measurement:"), std::string::npos);
}

TEST(ComposePostMailTest, OpeningPostStartsTheConversation) {
  PostMailFacts f = Facts();
  f.post = f.first_post;
  f.reply_to = PostId{};
  ParsedMessage m = Rendered(f);
  EXPECT_EQ(m.subject, "[Data & Measurement] Counting visits");
  EXPECT_EQ(m.message_id, "post-10@groups.example.org");
  EXPECT_EQ(m.HeaderCount("In-Reply-To"), 0);
  EXPECT_EQ(m.HeaderCount("References"), 0);
  // A reply to the thread itself answers the opening post.
  f.post = PostId{13};
  m = Rendered(f);
  EXPECT_EQ(m.Header("In-Reply-To"), "<post-10@groups.example.org>");
  EXPECT_EQ(m.references, std::vector<std::string>{"post-10@groups.example.org"});
}

TEST(ComposePostMailTest, NotificationsOfferToStopTheirKindButAreNotListMail) {
  PostMailFacts f = Facts();
  f.group_delivery = false;
  f.kind = NotificationKind::kMention;
  f.unsubscribe_token = "KKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKK";
  const std::string url =
      "https://groups.example.org/unsubscribe/KKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKK";
  ParsedMessage m = Rendered(f);
  ASSERT_TRUE(m.ok);
  EXPECT_EQ(m.Header("Auto-Submitted"), "auto-generated");
  // One-click unsubscribe from mentions, but personal mail: no List-Id and
  // no Precedence: list.
  EXPECT_EQ(m.Header("List-Unsubscribe"), "<" + url + ">");
  EXPECT_EQ(m.Header("List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
  EXPECT_EQ(m.HeaderCount("List-Id"), 0);
  EXPECT_EQ(m.HeaderCount("Precedence"), 0);
  EXPECT_NE(m.parts[0].text.find("mentioned you"), std::string::npos);
  ASSERT_EQ(m.parts.size(), 2u);
  // The footer: the same link, and the settings' list of kinds instead of
  // this group's delivery.
  EXPECT_NE(m.parts[0].text.find("Stop emails about mentions of you: " + url), std::string::npos)
      << m.parts[0].text;
  EXPECT_NE(m.parts[1].text.find("<a href=\"" + url + "\">Stop emails about mentions of you</a>"),
            std::string::npos)
      << m.parts[1].text;
  for (const auto& part : m.parts) {
    EXPECT_NE(part.text.find("https://groups.example.org/settings/notifications#email-kinds"),
              std::string::npos);
    EXPECT_NE(part.text.find("Change which emails you get"), std::string::npos);
    EXPECT_EQ(part.text.find("Stop mail from this group"), std::string::npos);
    EXPECT_EQ(part.text.find("#group-data-measurement"), std::string::npos);
  }
  // Threaded all the same.
  EXPECT_EQ(m.Header("In-Reply-To"), "<post-11@groups.example.org>");

  // Each kind names itself.
  f.kind = NotificationKind::kReply;
  m = Rendered(f);
  EXPECT_NE(m.parts[0].text.find("Stop emails about replies to you and in threads you follow: "),
            std::string::npos);
}

TEST(ComposePostMailTest, NamesAndTitlesCannotAddHeaders) {
  PostMailFacts f = Facts();
  f.title = "Hi\r\nBcc: victim@example.org\r\n\r\nbody";
  f.author_name = "Eve\nX-Evil: 1";
  f.group_name = "Data\r\nX-Group: 2";
  ParsedMessage m = Rendered(f);
  ASSERT_TRUE(m.ok);
  EXPECT_EQ(m.HeaderCount("Bcc"), 0);
  EXPECT_EQ(m.HeaderCount("X-Evil"), 0);
  EXPECT_EQ(m.HeaderCount("X-Group"), 0);
  EXPECT_EQ(m.subject.find('\n'), std::string::npos);
  EXPECT_NE(m.subject.find("Bcc: victim@example.org"), std::string::npos) << m.subject;
  ASSERT_EQ(m.to.size(), 1u);  // nobody added
}

class ThreadMailTest : public testing::AppTest {
 protected:
  void SetUp() override {
    auto seeded = DemoSeeder(ctx_).Seed(/*with_discussions=*/false);
    ASSERT_TRUE(seeded.ok()) << seeded.error().message;
    ctx_.mail = Settings();
    ana_ = As("active@demo.roundtable.test");
    grant_ = As("grace@demo.roundtable.test");
    lena_ = As("liaison@demo.roundtable.test");
    for (Viewer* v : {&ana_, &grant_, &lena_}) {
      ASSERT_TRUE(GroupsService(ctx_).Join(*v, "data-measurement").ok());
    }
    auto tokens = MailTokens::Load(db());
    ASSERT_TRUE(tokens.ok());
    mail_.emplace(ctx_, *tokens);
  }

  void Realtime(const Viewer& v) {
    ASSERT_TRUE(DeliveryService(ctx_)
                    .SetGroupDelivery(v, "data-measurement", Delivery::kRealtime)
                    .ok());
  }

  // Queues the post's mail in a transaction; returns how many.
  int Queue(PostId post) {
    int n = -1;
    EXPECT_TRUE(db().InTransaction([&]() -> Status {
                      RT_ASSIGN_OR_RETURN(n, mail_->QueuePostMail(db(), post));
                      return OkStatus();
                    }).ok());
    return n;
  }

  // Recipient account and group_delivery flag of every queued mail.
  std::vector<std::pair<int64_t, bool>> Queued() {
    auto due = db().outbox().Due(kMailKind, ctx_.Now(), 100);
    EXPECT_TRUE(due.ok());
    std::vector<std::pair<int64_t, bool>> out;
    for (const store::OutboxItem& item : *due) {
      auto job = ParseMailJob(item.payload);
      EXPECT_TRUE(job.ok());
      out.emplace_back(job->account.value, job->group_delivery);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  Created Start(const Viewer& who) {
    auto c = DiscussionsService(ctx_).StartThread(
        who, "data-measurement", {"discussion", "Counting visits", "Hello", ""}, PostVia::kWeb, "");
    EXPECT_TRUE(c.ok());
    return *c;
  }

  Viewer ana_, grant_, lena_;
  std::optional<ThreadMail> mail_;
};

TEST_F(ThreadMailTest, RealtimeMembersAndNotifiedPeopleGetOneMailEach) {
  Realtime(grant_);
  Realtime(lena_);
  Created t = Start(ana_);
  // The opening post: the real-time members, not its author.
  EXPECT_EQ(Queue(t.post), 2);
  std::vector<std::pair<int64_t, bool>> expected = {{grant_.account->id.value, true},
                                                     {lena_.account->id.value, true}};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(Queued(), expected);
  // Grant replies: Ana (the thread's author, who follows it) hears as a
  // notification; Lena by her real-time delivery; Grant not at all.
  auto r = DiscussionsService(ctx_).Reply(grant_, t.thread, "Me too", PostId{}, PostVia::kWeb, "");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Queue(r->post), 2);
  // Queueing again changes nothing (dedupe keys).
  EXPECT_EQ(Queue(r->post), 0);
  auto queued = Queued();
  EXPECT_EQ(std::count(queued.begin(), queued.end(),
                       std::pair<int64_t, bool>{ana_.account->id.value, false}),
            1);
  // Each mail's List-Unsubscribe opens to what it stops: Ana's reply mail
  // to her reply emails, Lena's group mail to the group.
  auto tokens = MailTokens::Load(db());
  ASSERT_TRUE(tokens.ok());
  auto due = db().outbox().Due(kMailKind, ctx_.Now(), 100);
  ASSERT_TRUE(due.ok());
  int checked = 0;
  for (const store::OutboxItem& item : *due) {
    auto job = ParseMailJob(item.payload);
    ASSERT_TRUE(job.ok());
    if (job->message.message_id != PostMessageId(r->post, "groups.example.org")) continue;
    ASSERT_TRUE(job->message.list.has_value());
    const std::string& url = job->message.list->unsubscribe_url;
    const std::string token = url.substr(url.rfind('/') + 1);
    if (job->group_delivery) {
      EXPECT_FALSE(job->message.list->id.empty());
      auto target = tokens->OpenUnsubscribeToken(token);
      ASSERT_TRUE(target.has_value()) << url;
      EXPECT_EQ(target->account, lena_.account->id);
    } else {
      EXPECT_TRUE(job->message.list->id.empty());
      auto target = tokens->OpenKindUnsubscribeToken(token);
      ASSERT_TRUE(target.has_value()) << url;
      EXPECT_EQ(target->account, ana_.account->id);
      EXPECT_EQ(target->kind, NotificationKind::kReply);
    }
    ++checked;
  }
  EXPECT_EQ(checked, 2);
  EXPECT_EQ(std::count(queued.begin(), queued.end(),
                       std::pair<int64_t, bool>{lena_.account->id.value, true}),
            2);
}

TEST_F(ThreadMailTest, RealtimeMailWinsOverTheReplyMailForTheSamePost) {
  Realtime(ana_);
  Created t = Start(ana_);
  auto r = DiscussionsService(ctx_).Reply(grant_, t.thread, "Me too", t.post, PostVia::kWeb, "");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Queue(r->post), 1);
  EXPECT_EQ(Queued(),
            (std::vector<std::pair<int64_t, bool>>{{ana_.account->id.value, true}}));
}

TEST_F(ThreadMailTest, SwitchedOffKindsPausedAccountsAndLapsedMembersGetNothing) {
  Created t = Start(ana_);
  // Ana turned reply emails off.
  SettingsChange change;
  change.email.emplace_back(NotificationKind::kReply, false);
  ASSERT_TRUE(DeliveryService(ctx_).Update(ana_, change).ok());
  auto r = DiscussionsService(ctx_).Reply(grant_, t.thread, "One", t.post, PostVia::kWeb, "");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Queue(r->post), 0);
  // Lena's mail is paused; Grant's membership lapses (members-only group).
  Realtime(lena_);
  Realtime(grant_);
  ASSERT_TRUE(db().accounts().PauseMail(lena_.account->id, "550 no such user", ctx_.Now()).ok());
  auto r2 = DiscussionsService(ctx_).Reply(ana_, t.thread, "Two", PostId{}, PostVia::kWeb, "");
  ASSERT_TRUE(r2.ok()) << r2.error().message;
  clock_.Set(ctx_.Now() + std::chrono::hours(24 * 3650));
  EXPECT_EQ(Queue(r2->post), 0);
}

TEST_F(ThreadMailTest, PrivateMessagesAndAcceptedAnswersBecomeMailPerSwitch) {
  // Compose every due "notification" row, as the mail sender does.
  auto compose = [&]() {
    int n = 0;
    auto due = db().outbox().Due(kNotificationKind, ctx_.Now(), 100);
    EXPECT_TRUE(due.ok());
    for (const store::OutboxItem& item : *due) {
      EXPECT_TRUE(db().InTransaction([&]() -> Status {
                        RT_ASSIGN_OR_RETURN(bool mine, db().outbox().MarkSent(item.id, ctx_.Now()));
                        if (!mine) return OkStatus();
                        RT_ASSIGN_OR_RETURN(int queued,
                                            mail_->QueueNotificationMail(db(), item.payload));
                        n += queued;
                        return OkStatus();
                      }).ok());
    }
    return n;
  };
  Created t = Start(ana_);
  auto c = ConversationsService(ctx_).Start(grant_, {t.post, AccountId{}, "Can we talk?"}, "");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(compose(), 1);
  auto due = db().outbox().Due(kMailKind, ctx_.Now(), 10);
  ASSERT_EQ(due->size(), 1u);
  auto job = ParseMailJob(due->front().payload);
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->account, ana_.account->id);
  EXPECT_FALSE(job->group.has_value());
  EXPECT_EQ(job->message.subject, "Private message from Grant Grace");
  EXPECT_EQ(job->message.auto_submitted, mail::AutoSubmitted::kAutoGenerated);
  EXPECT_EQ(job->message.from.address, "noreply@groups.example.org");
  EXPECT_NE(job->message.text_body.find("https://groups.example.org/conversations/" +
                                        std::to_string(c->value)),
            std::string::npos);
  // A one-click way to stop private message emails, in the header and the
  // footer; not list mail.
  auto tokens = MailTokens::Load(db());
  ASSERT_TRUE(tokens.ok());
  const std::string stop =
      "https://groups.example.org/unsubscribe/" +
      tokens->KindUnsubscribeToken(ana_.account->id, NotificationKind::kPrivateMessage);
  ASSERT_TRUE(job->message.list.has_value());
  EXPECT_EQ(job->message.list->unsubscribe_url, stop);
  EXPECT_EQ(job->message.list->id, "");
  EXPECT_NE(job->message.text_body.find("Stop emails about private messages to you: " + stop),
            std::string::npos)
      << job->message.text_body;
  EXPECT_NE(job->message.html_body.find("href=\"" + stop + "\""), std::string::npos);
  EXPECT_NE(job->message.text_body.find("/settings/notifications#email-kinds"), std::string::npos);
  auto rendered = mail::Render(job->message);
  ASSERT_TRUE(rendered.ok()) << rendered.error().message;
  ParsedMessage parsed = ParseMessage(*rendered);
  EXPECT_EQ(parsed.Header("List-Unsubscribe"), "<" + stop + ">");
  EXPECT_EQ(parsed.HeaderCount("List-Id"), 0);
  // Switched off: the in-app notification stays, the mail does not come.
  SettingsChange change;
  change.email.emplace_back(NotificationKind::kPrivateMessage, false);
  ASSERT_TRUE(DeliveryService(ctx_).Update(ana_, change).ok());
  ASSERT_TRUE(ConversationsService(ctx_).Send(grant_, *c, "Hello?").ok());
  EXPECT_EQ(compose(), 0);

  // Grant's answer is accepted: mail about the group's thread, re-checked
  // against the group when it is sent.
  DiscussionsService d(ctx_);
  auto q = d.StartThread(ana_, "data-measurement", {"question", "Which counter?", "Any tips?", ""},
                         PostVia::kWeb, "");
  ASSERT_TRUE(q.ok());
  auto answer = d.Reply(grant_, q->thread, "The door one.", PostId{}, PostVia::kWeb, "");
  ASSERT_TRUE(answer.ok());
  ASSERT_TRUE(d.AcceptAnswer(ana_, q->thread, answer->post).ok());
  EXPECT_EQ(compose(), 1);
  due = db().outbox().Due(kMailKind, ctx_.Now(), 10);
  ASSERT_EQ(due->size(), 2u);
  job = ParseMailJob(due->back().payload);
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->account, grant_.account->id);
  ASSERT_TRUE(job->group.has_value());
  EXPECT_FALSE(job->group_delivery);
  EXPECT_EQ(job->message.subject, "Your answer was accepted: Which counter?");
  EXPECT_NE(job->message.html_body.find("Ana Active accepted your answer"), std::string::npos);
  ASSERT_TRUE(job->message.list.has_value());
  EXPECT_EQ(
      job->message.list->unsubscribe_url,
      "https://groups.example.org/unsubscribe/" +
          tokens->KindUnsubscribeToken(grant_.account->id, NotificationKind::kAnswerAccepted));
  EXPECT_NE(job->message.text_body.find("Stop emails about your accepted answers"),
            std::string::npos);
}

}  // namespace
}  // namespace rt::app
