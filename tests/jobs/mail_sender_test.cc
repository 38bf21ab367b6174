// The mail sender against a real SQLite file and a real SMTP server
// (tests/support/smtp_capture.mjs): what it sends, what its re-check stops,
// and what it does with refusals.
#include "jobs/mail_sender.h"

#include <gtest/gtest.h>
#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <memory>
#include <string>

#include "app/delivery.h"
#include "app/demo.h"
#include "domain/discussions/email_switches.h"
#include "app/discussions.h"
#include "app/groups.h"
#include "app/mail_queue.h"
#include "app/mail_tokens.h"
#include "jobs/outbox_runner.h"
#include "support/app_fixture.h"
#include "support/mime_reader.h"
#include "support/smtp_capture.h"

namespace rt::jobs {
namespace {

using app::Viewer;
using testing::SmtpCapture;
using testing::SmtpCaptureOptions;

class MailSenderTest : public testing::AppTest {
 protected:
  void SetUp() override {
    auto seeded = app::DemoSeeder(ctx_).Seed(/*with_discussions=*/false);
    ASSERT_TRUE(seeded.ok()) << seeded.error().message;
    ctx_.mail.domain = "groups.example.org";
    ctx_.mail.from_address = "noreply@groups.example.org";
    ctx_.mail.base_url = "https://groups.example.org";
    ana_ = As("active@demo.roundtable.test");
    grant_ = As("grace@demo.roundtable.test");
    for (Viewer* v : {&ana_, &grant_}) {
      ASSERT_TRUE(app::GroupsService(ctx_).Join(*v, "data-measurement").ok());
    }
    ASSERT_TRUE(app::DeliveryService(ctx_)
                    .SetGroupDelivery(grant_, "data-measurement", Delivery::kRealtime)
                    .ok());
  }

  // Ana starts a thread, and the outbox runner fans it out (which queues
  // its post_mail row).
  PostId Post() {
    auto c = app::DiscussionsService(ctx_).StartThread(
        ana_, "data-measurement", {"discussion", "Counting visits", "Hello all", ""},
        PostVia::kWeb, "");
    EXPECT_TRUE(c.ok());
    app::OutboxSignal signal;
    OutboxRunner runner(ctx_, signal);
    EXPECT_TRUE(runner.RunOnce().ok());
    return c->post;
  }

  std::unique_ptr<MailSender> Sender(const std::string& smtp_url) {
    ctx_.mail.smtp_url = smtp_url;
    auto s = MailSender::Create(ctx_, signal_);  // back-off from 60 s
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    return s.ok() ? std::move(*s) : nullptr;
  }

  // sent_at IS NOT NULL, gave_up_at IS NOT NULL, attempts, last_error of the
  // only mail row.
  struct Row {
    bool sent = false;
    bool gave_up = false;
    int attempts = 0;
    std::string last_error;
  };
  Row MailRow() {
    SQLite::Database d(dir_.path() + "/rt.db", SQLite::OPEN_READONLY);
    SQLite::Statement q(d,
                        "SELECT sent_at IS NOT NULL, gave_up_at IS NOT NULL, attempts, "
                        "COALESCE(last_error, '') FROM outbox WHERE kind = 'mail'");
    Row r;
    EXPECT_TRUE(q.executeStep());
    r.sent = q.getColumn(0).getInt() != 0;
    r.gave_up = q.getColumn(1).getInt() != 0;
    r.attempts = q.getColumn(2).getInt();
    r.last_error = q.getColumn(3).getString();
    EXPECT_FALSE(q.executeStep()) << "more than one mail row";
    return r;
  }

  app::OutboxSignal signal_;
  Viewer ana_, grant_;
};

TEST_F(MailSenderTest, ComposesAndSendsTheRealtimeMail) {
  SmtpCapture smtp;
  ASSERT_TRUE(smtp.ok()) << smtp.error();
  PostId post = Post();
  auto sender = Sender(smtp.url());
  ASSERT_TRUE(sender);
  auto pass = sender->RunOnce();
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->composed, 1);
  EXPECT_EQ(pass->sent, 1);
  auto mails = smtp.Messages();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].rcpt_to, std::vector<std::string>{"grace@demo.roundtable.test"});
  // The envelope sender is Grant's bounce address (VERP), not the From.
  const std::string prefix = "bounces+", suffix = "@groups.example.org";
  const std::string& from = mails[0].mail_from;
  ASSERT_GT(from.size(), prefix.size() + suffix.size()) << from;
  ASSERT_EQ(from.substr(0, prefix.size()), prefix) << from;
  ASSERT_EQ(from.substr(from.size() - suffix.size()), suffix) << from;
  auto tokens = app::MailTokens::Load(db());
  ASSERT_TRUE(tokens.ok());
  auto bounced = tokens->OpenBounceToken(
      from.substr(prefix.size(), from.size() - prefix.size() - suffix.size()));
  ASSERT_TRUE(bounced.has_value()) << from;
  EXPECT_EQ(*bounced, grant_.account->id);
  testing::ParsedMessage m = testing::ParseMessage(mails[0].raw);
  EXPECT_EQ(m.message_id, "post-" + std::to_string(post.value) + "@groups.example.org");
  EXPECT_NE(m.Header("List-Id").find("data-measurement.groups.example.org"), std::string::npos);
  Row row = MailRow();
  EXPECT_TRUE(row.sent);
  EXPECT_EQ(row.attempts, 0);
  // Nothing more to do, and nothing sent twice.
  pass = sender->RunOnce();
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->sent, 0);
  EXPECT_EQ(smtp.Messages().size(), 1u);
}

TEST_F(MailSenderTest, MailToNoAccountKeepsTheMailFromAddress) {
  SmtpCapture smtp;
  ASSERT_TRUE(smtp.ok()) << smtp.error();
  app::MailJob job;
  job.dedupe_key = "test:no-account";
  job.message.from = mail::Mailbox{"Roundtable", "noreply@groups.example.org"};
  job.message.to = {mail::Mailbox{"", "someone@elsewhere.example"}};
  job.message.subject = "Hello";
  job.message.text_body = "Hello\n";
  job.message.message_id = "no-account@groups.example.org";
  job.message.date = ctx_.Now();
  ASSERT_TRUE(db().InTransaction([&]() -> Status {
                    return ToStatus(app::QueueMail(db(), job, ctx_.Now()));
                  }).ok());
  auto sender = Sender(smtp.url());
  ASSERT_TRUE(sender);
  auto pass = sender->RunOnce();
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->sent, 1);
  auto mails = smtp.Messages();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].mail_from, "noreply@groups.example.org");
}

TEST_F(MailSenderTest, AMemberWhoLeftBeforeTheSendGetsNothing) {
  SmtpCapture smtp;
  ASSERT_TRUE(smtp.ok()) << smtp.error();
  Post();
  auto sender = Sender(smtp.url());
  ASSERT_TRUE(sender);
  // Composed (queued for Grant) but not yet sent ...
  auto composed = sender->Compose();
  ASSERT_TRUE(composed.ok());
  EXPECT_EQ(composed->composed, 1);
  ASSERT_EQ(*db().outbox().PendingCount(app::kMailKind), 1);
  // ... when Grant leaves the group.
  ASSERT_TRUE(app::GroupsService(ctx_).Leave(grant_, "data-measurement").ok());
  auto pass = sender->SendDue();
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->sent, 0);
  EXPECT_EQ(pass->skipped, 1);
  EXPECT_TRUE(smtp.Messages().empty());
  Row row = MailRow();
  EXPECT_TRUE(row.sent);  // done: it will never be sent
  EXPECT_EQ(row.last_error, "not sent: not_found");  // members-only content
}

// A reply notification composed before its recipient switched that kind
// of mail off (say, through the mail's one-click unsubscribe) is not sent.
TEST_F(MailSenderTest, ANotificationOfAKindSwitchedOffBeforeTheSendIsNotSent) {
  SmtpCapture smtp;
  ASSERT_TRUE(smtp.ok()) << smtp.error();
  // Grant hears of replies only as notifications, not as group mail.
  ASSERT_TRUE(app::DeliveryService(ctx_)
                  .SetGroupDelivery(grant_, "data-measurement", Delivery::kNone)
                  .ok());
  auto thread = app::DiscussionsService(ctx_).StartThread(
      grant_, "data-measurement", {"question", "Counting visits?", "How do you count?", ""},
      PostVia::kWeb, "");
  ASSERT_TRUE(thread.ok());
  ASSERT_TRUE(app::DiscussionsService(ctx_)
                  .Reply(ana_, thread->thread, "With a clicker.", PostId{}, PostVia::kWeb, "")
                  .ok());
  app::OutboxSignal runner_signal;
  OutboxRunner runner(ctx_, runner_signal);
  for (int pass = 0; pass < 10; ++pass) {  // both posts' rows, one per pass
    auto done = runner.RunOnce();
    ASSERT_TRUE(done.ok());
    if (done->claimed == 0) break;
  }
  auto sender = Sender(smtp.url());
  ASSERT_TRUE(sender);
  int composed = 0;
  for (int pass = 0; pass < 10; ++pass) {  // each post's post_mail row
    auto c = sender->Compose();
    ASSERT_TRUE(c.ok());
    composed += c->composed;
  }
  ASSERT_EQ(composed, 1);  // the reply's notification to Grant
  EmailSwitches off;
  off.set(NotificationKind::kReply, false);
  ASSERT_TRUE(db().delivery().SetEmailSwitches(grant_.account->id, off).ok());
  auto pass = sender->SendDue();
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->sent, 0);
  EXPECT_EQ(pass->skipped, 1);
  EXPECT_TRUE(smtp.Messages().empty());
  EXPECT_EQ(MailRow().last_error, "not sent: kind_switched_off");
}

TEST_F(MailSenderTest, ARefusedRecipientPausesTheAccountAndIsNotRetried) {
  SmtpCaptureOptions options;
  options.reject = {{"grace@demo.roundtable.test", 550}};
  SmtpCapture smtp(options);
  ASSERT_TRUE(smtp.ok()) << smtp.error();
  Post();
  auto sender = Sender(smtp.url());
  ASSERT_TRUE(sender);
  auto pass = sender->RunOnce();
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->failed, 1);
  EXPECT_EQ(pass->paused, 1);
  Row row = MailRow();
  EXPECT_FALSE(row.sent);
  EXPECT_TRUE(row.gave_up);
  EXPECT_EQ(row.attempts, 1);
  EXPECT_EQ(row.last_error.rfind("smtp_permanent", 0), 0u) << row.last_error;
  auto grant = db().accounts().FindById(grant_.account->id);
  ASSERT_TRUE(grant.ok() && grant->has_value());
  EXPECT_TRUE((*grant)->mail_paused());
  EXPECT_NE((*grant)->mail_pause_reason.find("550"), std::string::npos)
      << (*grant)->mail_pause_reason;
  // The next post's mail is not even composed for Grant.
  Post();
  pass = sender->RunOnce();
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->composed, 0);
  // Resumed, mail is composed again.
  ASSERT_TRUE(app::DeliveryService(ctx_).ResumeMail(grant_).ok());
  Post();
  pass = sender->RunOnce();
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->composed, 1);
}

TEST_F(MailSenderTest, TransientFailuresAreRetriedWithBackOff) {
  SmtpCaptureOptions options;
  options.reject = {{"grace@demo.roundtable.test", 451}};
  SmtpCapture greylisting(options);
  ASSERT_TRUE(greylisting.ok()) << greylisting.error();
  Post();
  auto sender = Sender(greylisting.url());
  ASSERT_TRUE(sender);
  auto pass = sender->RunOnce();
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->failed, 1);
  EXPECT_EQ(pass->paused, 0);
  Row row = MailRow();
  EXPECT_FALSE(row.sent);
  EXPECT_FALSE(row.gave_up);
  EXPECT_EQ(row.attempts, 1);
  EXPECT_EQ(row.last_error.rfind("smtp_transient", 0), 0u) << row.last_error;
  // Not due again before the back-off ends.
  pass = sender->RunOnce();
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->failed + pass->sent, 0);
  // Then it goes, here through a server that takes it.
  SmtpCapture smtp;
  ASSERT_TRUE(smtp.ok()) << smtp.error();
  clock_.Set(ctx_.Now() + std::chrono::seconds(61));
  auto second = Sender(smtp.url());
  ASSERT_TRUE(second);
  pass = second->RunOnce();
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->sent, 1);
  EXPECT_EQ(smtp.Messages().size(), 1u);
  EXPECT_TRUE(MailRow().sent);
  EXPECT_FALSE(db().accounts().FindById(grant_.account->id)->value().mail_paused());
}

TEST_F(MailSenderTest, EventsOlderThanADayAreNotMailed) {
  SmtpCapture smtp;
  ASSERT_TRUE(smtp.ok()) << smtp.error();
  Post();
  auto sender = Sender(smtp.url());
  ASSERT_TRUE(sender);
  clock_.Set(ctx_.Now() + std::chrono::hours(25));
  auto pass = sender->RunOnce();
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->composed, 0);
  EXPECT_EQ(*db().outbox().PendingCount(app::kPostMailKind), 0);  // done, not waiting
  EXPECT_TRUE(smtp.Messages().empty());
}

TEST(SmtpUrlWithStarttlsTest, AddsOnlyAChoiceThatIsNotTheDefault) {
  MailSettings s;
  s.smtp_url = "smtp://relay:587";
  EXPECT_EQ(SmtpUrlWithStarttls(s), "smtp://relay:587");
  s.starttls = "required";
  EXPECT_EQ(SmtpUrlWithStarttls(s), "smtp://relay:587?starttls=required");
  s.smtp_url = "smtp://relay:587?cafile=/x.pem";
  EXPECT_EQ(SmtpUrlWithStarttls(s), "smtp://relay:587?cafile=/x.pem&starttls=required");
  s.smtp_url = "smtp://relay:587?starttls=never";
  EXPECT_EQ(SmtpUrlWithStarttls(s), "smtp://relay:587?starttls=never");
}

}  // namespace
}  // namespace rt::jobs
