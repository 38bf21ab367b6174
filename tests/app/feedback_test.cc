#include "app/feedback.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "app/accounts.h"
#include "app/conversations.h"
#include "app/delivery.h"
#include "app/demo.h"
#include "app/groups.h"
#include "app/mail_tokens.h"
#include "app/thread_mail.h"
#include "domain/discussions/markdown.h"
#include "support/app_fixture.h"

namespace rt::app {
namespace {

// The demo association: Lena is the liaison of every group, Avery an
// admin; Ana and Grant join Data and Measurement.
class FeedbackTest : public testing::AppTest {
 protected:
  void SetUp() override {
    auto seeded = DemoSeeder(ctx_).Seed(/*with_discussions=*/false);
    ASSERT_TRUE(seeded.ok()) << seeded.error().message;
    ana_ = As("active@demo.roundtable.test");
    grant_ = As("grace@demo.roundtable.test");
    lena_ = As("liaison@demo.roundtable.test");
    avery_ = As("admin@demo.roundtable.test");
    nora_ = As("visitor@demo.roundtable.test");
    for (Viewer* v : {&ana_, &grant_}) {
      ASSERT_TRUE(GroupsService(ctx_).Join(*v, kGroup).ok());
    }
    auto tokens = MailTokens::Load(db());
    ASSERT_TRUE(tokens.ok());
    mail_.emplace(ctx_, *tokens);
  }

  store::FeedbackView Send(const Viewer& who,
                           const std::string& category = "idea",
                           bool consent = false) {
    auto f = feedback_.Send(
        who, kGroup, {category, "Could we meet in the evening?", consent}, "");
    EXPECT_TRUE(f.ok()) << (f.ok() ? "" : f.error().message);
    return f.ok() ? *f : store::FeedbackView{};
  }

  // Notifications of `who`, newest first.
  std::vector<store::NotificationView> Notes(const Viewer& who) {
    auto l = NotificationsService(ctx_).List(who, NotificationId{});
    EXPECT_TRUE(l.ok());
    return l.ok() ? *l : std::vector<store::NotificationView>{};
  }

  // Composes every due "notification" row as the mail sender does;
  // returns the mail jobs queued, in order.
  std::vector<MailJob> ComposeMail() {
    auto due = db().outbox().Due(kNotificationKind, ctx_.Now(), 100);
    EXPECT_TRUE(due.ok());
    for (const store::OutboxItem& item : *due) {
      EXPECT_TRUE(db().InTransaction([&]() -> Status {
                        RT_ASSIGN_OR_RETURN(
                            bool mine,
                            db().outbox().MarkSent(item.id, ctx_.Now()));
                        if (!mine) return OkStatus();
                        return ToStatus(
                            mail_->QueueNotificationMail(db(), item.payload));
                      })
                      .ok());
    }
    std::vector<MailJob> out;
    auto mails = db().outbox().Due(kMailKind, ctx_.Now(), 100);
    EXPECT_TRUE(mails.ok());
    for (const store::OutboxItem& item : *mails) {
      auto job = ParseMailJob(item.payload);
      EXPECT_TRUE(job.ok());
      if (job.ok()) out.push_back(*job);
      EXPECT_TRUE(db().outbox().MarkSent(item.id, ctx_.Now()).ok());
    }
    return out;
  }

  static constexpr const char* kGroup = "data-measurement";
  FeedbackService feedback_{ctx_};
  Viewer ana_, grant_, lena_, avery_, nora_;
  std::optional<ThreadMail> mail_;
};

TEST_F(FeedbackTest, AMemberSendsFeedbackToTheLiaisonWhoIsTold) {
  store::FeedbackView f = Send(ana_, "resource_request", /*consent=*/true);
  EXPECT_EQ(f.feedback.category, FeedbackCategory::kResourceRequest);
  EXPECT_EQ(f.feedback.status, FeedbackStatus::kNew);
  EXPECT_EQ(f.feedback.liaison_id, lena_.account->id);
  EXPECT_EQ(f.liaison_name, "Lena Liaison");
  EXPECT_TRUE(f.feedback.quote_consent);
  auto notes = Notes(lena_);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].notification.kind, NotificationKind::kFeedback);
  EXPECT_EQ(notes[0].notification.feedback_id, f.feedback.id);
  EXPECT_EQ(notes[0].feedback_group, "Data and Measurement");
  // ... and by email, as a notice with a link and nothing of the text.
  std::vector<MailJob> mail = ComposeMail();
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_EQ(mail[0].account, lena_.account->id);
  EXPECT_EQ(mail[0].feedback, f.feedback.id);
  EXPECT_NE(
      mail[0].message.text_body.find("https://groups.example.org/feedback/" +
                                     std::to_string(f.feedback.id.value)),
      std::string::npos);
  EXPECT_EQ(mail[0].message.text_body.find("evening"), std::string::npos);
}

TEST_F(FeedbackTest, BadInputIsRefusedWithTheField) {
  auto r = feedback_.Send(ana_, kGroup, {"complaint", "Hello", false}, "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "invalid_category");
  EXPECT_EQ(r.error().kind, ErrorKind::kRuleBroken);
  EXPECT_EQ(r.error().field, "category");
  r = feedback_.Send(ana_, kGroup, {"idea", "   \n", false}, "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "body");
  r = feedback_.Send(ana_, kGroup,
                     {"idea", std::string(kMaxBodyBytes + 1, 'x'), false}, "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kTooLarge);
  // Not in the group, signed out, unknown group.
  r = feedback_.Send(nora_, kGroup, {"idea", "Hello", false}, "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "not_group_member");
  r = feedback_.Send(Viewer{}, kGroup, {"idea", "Hello", false}, "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUnauthenticated);
  r = feedback_.Send(ana_, "no-such-group", {"idea", "Hello", false}, "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kNotFound);
  // Nothing was stored.
  auto inbox = feedback_.List(lena_, kGroup, "", FeedbackId{});
  ASSERT_TRUE(inbox.ok());
  EXPECT_TRUE(inbox->items.empty());
  auto bad = feedback_.List(lena_, kGroup, "done", FeedbackId{});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "invalid_status");
  EXPECT_EQ(bad.error().field, "status");
}

TEST_F(FeedbackTest, ARetriedSendWithTheSameKeyStoresOne) {
  auto a = feedback_.Send(ana_, kGroup, {"idea", "Once", false}, "key-1");
  auto b = feedback_.Send(ana_, kGroup, {"idea", "Once", false}, "key-1");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->feedback.id, b->feedback.id);
  auto c = feedback_.Send(ana_, kGroup, {"idea", "Different", false}, "key-1");
  EXPECT_FALSE(c.ok());
}

TEST_F(FeedbackTest, OnlyTheAuthorAndTheGroupsStaffSeeIt) {
  store::FeedbackView f = Send(ana_);
  EXPECT_TRUE(feedback_.Get(ana_, f.feedback.id).ok());
  EXPECT_TRUE(feedback_.Get(lena_, f.feedback.id).ok());
  EXPECT_TRUE(feedback_.Get(avery_, f.feedback.id).ok());
  auto other = feedback_.Get(grant_, f.feedback.id);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(feedback_.Get(nora_, f.feedback.id).error().kind,
            ErrorKind::kNotFound);
  EXPECT_EQ(feedback_.Get(Viewer{}, f.feedback.id).error().kind,
            ErrorKind::kUnauthenticated);
  // A liaison of another group only.
  auto sam = AccountsService(ctx_).CreateByOperator(
      {"Sam Staff", "sam@example.org", "correct horse battery"}, false);
  ASSERT_TRUE(sam.ok());
  ASSERT_TRUE(GroupsService(ctx_)
                  .AssignRole("health", "sam@example.org", GroupRole::kLiaison)
                  .ok());
  EXPECT_EQ(feedback_.Get(Viewer{*sam}, f.feedback.id).error().kind,
            ErrorKind::kNotFound);
  EXPECT_EQ(feedback_.Reply(grant_, f.feedback.id, "Me too").error().kind,
            ErrorKind::kNotFound);

  // Lists: staff see everyone's, members their own.
  Send(grant_);
  auto lena = feedback_.List(lena_, kGroup, "", FeedbackId{});
  ASSERT_TRUE(lena.ok());
  EXPECT_TRUE(lena->staff);
  EXPECT_EQ(lena->items.size(), 2u);
  auto ana = feedback_.List(ana_, kGroup, "", FeedbackId{});
  ASSERT_TRUE(ana.ok());
  EXPECT_FALSE(ana->staff);
  ASSERT_EQ(ana->items.size(), 1u);
  EXPECT_EQ(ana->items[0].feedback.id, f.feedback.id);
  auto samlist = feedback_.List(Viewer{*sam}, kGroup, "", FeedbackId{});
  ASSERT_TRUE(samlist.ok());
  EXPECT_TRUE(samlist->items.empty());
}

TEST_F(FeedbackTest, StaffMoveItThroughStatusesAndReplyAndTheAuthorIsTold) {
  store::FeedbackView f = Send(ana_);
  ComposeMail();  // Lena's notice of the new feedback
  FeedbackChange ack;
  ack.status = "acknowledged";
  auto item = feedback_.Update(lena_, f.feedback.id, ack);
  ASSERT_TRUE(item.ok()) << item.error().message;
  EXPECT_EQ(item->view.feedback.status, FeedbackStatus::kAcknowledged);
  auto reply =
      feedback_.Reply(lena_, f.feedback.id, "We will add an evening session.");
  ASSERT_TRUE(reply.ok());
  FeedbackChange resolve;
  resolve.status = "resolved";
  ASSERT_TRUE(feedback_.Update(lena_, f.feedback.id, resolve).ok());
  // Any move is allowed, back too; unknown values are not.
  FeedbackChange back;
  back.status = "in_progress";
  ASSERT_TRUE(feedback_.Update(avery_, f.feedback.id, back).ok());
  FeedbackChange bogus;
  bogus.status = "closed";
  auto bad = feedback_.Update(lena_, f.feedback.id, bogus);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "invalid_status");
  EXPECT_EQ(feedback_.Update(lena_, f.feedback.id, {}).error().code,
            "nothing_to_change");

  auto notes = Notes(ana_);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].notification.kind, NotificationKind::kFeedback);
  EXPECT_EQ(notes[0].feedback_author, ana_.account->id);
  std::vector<MailJob> mail = ComposeMail();
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_EQ(mail[0].account, ana_.account->id);
  EXPECT_EQ(mail[0].message.subject,
            "[Data and Measurement] Lena Liaison answered your feedback");

  // The author answers back; the liaison hears of it.
  ASSERT_TRUE(feedback_.Reply(ana_, f.feedback.id, "Thank you!").ok());
  EXPECT_EQ(Notes(lena_).size(), 2u);
  auto seen = feedback_.Get(ana_, f.feedback.id);
  ASSERT_TRUE(seen.ok());
  ASSERT_EQ(seen->replies.size(), 2u);
  EXPECT_EQ(seen->replies[0].author_name, "Lena Liaison");
  EXPECT_EQ(seen->view.feedback.status, FeedbackStatus::kInProgress);

  // The author may not change its status (403: they can see it), but may
  // change their consent; staff may not change that.
  auto refused = feedback_.Update(ana_, f.feedback.id, resolve);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kForbidden);
  EXPECT_EQ(refused.error().code, "not_staff");
  FeedbackChange consent;
  consent.quote_consent = true;
  auto agreed = feedback_.Update(ana_, f.feedback.id, consent);
  ASSERT_TRUE(agreed.ok());
  EXPECT_TRUE(agreed->view.feedback.quote_consent);
  EXPECT_EQ(feedback_.Update(lena_, f.feedback.id, consent).error().code,
            "not_author");
  // Another member gets 404 for all of it.
  EXPECT_EQ(feedback_.Update(grant_, f.feedback.id, resolve).error().kind,
            ErrorKind::kNotFound);
}

TEST_F(FeedbackTest, AnAuthorWhoTurnedTheSwitchOffGetsNoMail) {
  store::FeedbackView f = Send(ana_);
  ComposeMail();
  SettingsChange change;
  change.email.emplace_back(NotificationKind::kFeedback, false);
  ASSERT_TRUE(DeliveryService(ctx_).Update(ana_, change).ok());
  ASSERT_TRUE(feedback_.Reply(lena_, f.feedback.id, "Noted.").ok());
  EXPECT_EQ(Notes(ana_).size(), 1u);  // in-app still
  EXPECT_TRUE(ComposeMail().empty());
}

TEST_F(FeedbackTest, HandingOverAndLiaisonChangesMoveOpenFeedback) {
  auto sam = AccountsService(ctx_).CreateByOperator(
      {"Sam Staff", "sam@example.org", "correct horse battery"}, false);
  ASSERT_TRUE(sam.ok());
  GroupsService groups(ctx_);
  store::FeedbackView open = Send(ana_);
  store::FeedbackView done = Send(grant_);
  FeedbackChange resolve;
  resolve.status = "resolved";
  ASSERT_TRUE(feedback_.Update(lena_, done.feedback.id, resolve).ok());

  // Only a liaison of the group can take it over.
  FeedbackChange to_sam;
  to_sam.liaison = "sam@example.org";
  auto refused = feedback_.Update(lena_, open.feedback.id, to_sam);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "invalid_liaison");
  EXPECT_EQ(refused.error().field, "liaison");

  // A second liaison joins; open feedback still has a liaison, so it stays.
  ASSERT_TRUE(
      groups.AssignRole(kGroup, "sam@example.org", GroupRole::kLiaison).ok());
  auto item = feedback_.Get(lena_, open.feedback.id);
  EXPECT_EQ(item->view.feedback.liaison_id, lena_.account->id);
  // Handed over by id: Sam is told.
  to_sam.liaison = std::to_string(sam->id.value);
  item = feedback_.Update(lena_, open.feedback.id, to_sam);
  ASSERT_TRUE(item.ok()) << item.error().message;
  EXPECT_EQ(item->view.feedback.liaison_id, sam->id);
  EXPECT_EQ(Notes(Viewer{*sam}).size(), 1u);

  // Sam stops being a liaison: his open feedback goes back to Lena in the
  // same transaction; resolved feedback keeps its history.
  ASSERT_TRUE(groups.RemoveLiaison(kGroup, "sam@example.org").ok());
  item = feedback_.Get(lena_, open.feedback.id);
  EXPECT_EQ(item->view.feedback.liaison_id, lena_.account->id);
  EXPECT_EQ(feedback_.Get(Viewer{*sam}, open.feedback.id).error().kind,
            ErrorKind::kNotFound);
  // Mail about it queued for Sam before is stopped at send time; Ana's
  // still goes.
  MailJob job;
  job.account = sam->id;
  job.feedback = open.feedback.id;
  auto why = WhyNotSend(ctx_, db(), job);
  ASSERT_TRUE(why.ok());
  EXPECT_EQ(*why, "not_found");
  job.account = ana_.account->id;
  why = WhyNotSend(ctx_, db(), job);
  ASSERT_TRUE(why.ok());
  EXPECT_EQ(*why, "");
  auto again = groups.RemoveLiaison(kGroup, "sam@example.org");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "not_a_liaison");

  // Lena leaves the post with nobody left: it waits, then goes to the next.
  ASSERT_TRUE(
      groups.RemoveLiaison(kGroup, "liaison@demo.roundtable.test").ok());
  item = feedback_.Get(avery_, open.feedback.id);
  EXPECT_FALSE(item->view.feedback.liaison_id.valid());
  ASSERT_TRUE(
      groups.AssignRole(kGroup, "sam@example.org", GroupRole::kLiaison).ok());
  item = feedback_.Get(avery_, open.feedback.id);
  EXPECT_EQ(item->view.feedback.liaison_id, sam->id);
  item = feedback_.Get(avery_, done.feedback.id);
  EXPECT_EQ(item->view.feedback.liaison_id, lena_.account->id);
}

TEST_F(FeedbackTest, YouSaidWeDidNamesOnlyThoseWhoAgreed) {
  store::FeedbackView named = Send(ana_, "idea", /*consent=*/true);
  store::FeedbackView anon = Send(grant_, "concern", /*consent=*/false);
  store::FeedbackView open = Send(grant_, "other");
  FeedbackChange resolve;
  resolve.status = "resolved";
  ASSERT_TRUE(feedback_.Update(lena_, named.feedback.id, resolve).ok());
  ASSERT_TRUE(feedback_.Update(lena_, anon.feedback.id, resolve).ok());

  auto choices = feedback_.Choices(lena_, kGroup);
  ASSERT_TRUE(choices.ok());
  EXPECT_EQ(choices->resolved.size(), 2u);
  EXPECT_EQ(feedback_.Choices(ana_, kGroup).error().code, "not_staff");

  FeedbackSummary s{"You said, we did: spring",
                    "We moved the meetings.",
                    {named.feedback.id, anon.feedback.id}};
  // Only resolved items, of this group, at least one.
  FeedbackSummary with_open = s;
  with_open.items.push_back(open.feedback.id);
  EXPECT_EQ(feedback_.PublishSummary(lena_, kGroup, with_open, "").error().code,
            "not_resolved");
  FeedbackSummary none = s;
  none.items.clear();
  EXPECT_EQ(feedback_.PublishSummary(lena_, kGroup, none, "").error().code,
            "no_items");
  EXPECT_EQ(feedback_.PublishSummary(lena_, "health", s, "").error().code,
            "not_found");
  EXPECT_EQ(feedback_.PublishSummary(ana_, kGroup, s, "").error().code,
            "not_staff");

  auto created = feedback_.PublishSummary(lena_, kGroup, s, "");
  ASSERT_TRUE(created.ok()) << created.error().message;
  auto thread =
      DiscussionsService(ctx_).GetThread(ana_, created->thread, PostId{});
  ASSERT_TRUE(thread.ok());
  EXPECT_EQ(thread->thread.thread.title, "You said, we did: spring");
  EXPECT_EQ(thread->thread.thread.author_id, lena_.account->id);
  const std::string& text = thread->opening.view->post.body_source;
  EXPECT_NE(text.find("We moved the meetings."), std::string::npos);
  EXPECT_NE(text.find("Ana Active (Idea for the group)"), std::string::npos);
  EXPECT_NE(text.find("A member (Concern)"), std::string::npos);
  EXPECT_EQ(text.find("Grant"), std::string::npos);
  auto item = feedback_.Get(ana_, named.feedback.id);
  EXPECT_EQ(item->view.feedback.summary_thread, created->thread);
}

// Rule: the summary's own words may mention people; the feedback it quotes
// mentions no one (its authors wrote to the liaison, not to those named).
TEST_F(FeedbackTest, YouSaidWeDidNotifiesOnlyTheMentionsOfItsOwnText) {
  auto f = feedback_.Send(ana_, kGroup,
                          {"idea",
                           "@Grant_Grace suggested evening meetings.\n"
                           "Ask @Avery_Admin too.",
                           true},
                          "");
  ASSERT_TRUE(f.ok()) << f.error().message;
  FeedbackChange resolve;
  resolve.status = "resolved";
  ASSERT_TRUE(feedback_.Update(lena_, f->feedback.id, resolve).ok());
  auto created = feedback_.PublishSummary(
      lena_, kGroup,
      {"You said, we did: evenings", "Thanks @Ana_Active for the idea.", {f->feedback.id}}, "");
  ASSERT_TRUE(created.ok()) << created.error().message;

  auto post = db().posts().Find(created->post);
  ASSERT_TRUE(post.ok() && *post);
  // The quote still reads "@Grant_Grace" on the page.
  EXPECT_NE((*post)->post.body_html.find("@Grant_Grace suggested"), std::string::npos);
  EXPECT_EQ(markdown::Mentions((*post)->post.body_source), std::vector<std::string>{"ana active"});
  ASSERT_TRUE(db().InTransaction([&]() -> Status {
                    return ToStatus(DiscussionsService(ctx_).FanOutPost(db(), created->post));
                  })
                  .ok());
  auto mentioned = [&](const Viewer& v) {
    for (const store::NotificationView& n : Notes(v)) {
      if (n.notification.kind == NotificationKind::kMention &&
          n.notification.post_id == created->post) {
        return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(mentioned(ana_));
  EXPECT_FALSE(mentioned(grant_));
  EXPECT_FALSE(mentioned(avery_));
}

}  // namespace
}  // namespace rt::app
