// Outcome check-ins against a real SQLite file: when they are due, what a
// check-in takes and refuses, privacy (own answers only, deletion), the
// email offers, and the outcome settings.
#include "app/checkins.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "app/delivery.h"
#include "app/demo.h"
#include "app/discussions.h"
#include "app/groups.h"
#include "app/outcomes.h"
#include "app/thread_mail.h"
#include "support/app_fixture.h"

namespace rt::app {
namespace {

using std::chrono::days;

// The demo association: Lena is the liaison of every group, Avery an admin;
// Ana and Grant join Data and Measurement.
class CheckinsTest : public testing::AppTest {
 protected:
  void SetUp() override {
    auto seeded = DemoSeeder(ctx_).Seed(/*with_discussions=*/false);
    ASSERT_TRUE(seeded.ok()) << seeded.error().message;
    ana_ = As("active@demo.roundtable.test");
    grant_ = As("grace@demo.roundtable.test");
    lena_ = As("liaison@demo.roundtable.test");
    avery_ = As("admin@demo.roundtable.test");
    nora_ = As("visitor@demo.roundtable.test");
    for (Viewer* v : {&ana_, &grant_}) ASSERT_TRUE(GroupsService(ctx_).Join(*v, kGroup).ok());
  }

  // A full set of answers: every active statement `value`, and a text.
  NewCheckin Full(const std::string& moment, int value = 4) {
    NewCheckin in;
    in.moment = moment;
    auto statements = db().checkins().Statements(AssocId());
    EXPECT_TRUE(statements.ok());
    for (const OutcomeStatement& s : *statements) {
      if (s.active) in.answers.push_back({s.id, AnswerIn::Type::kNumber, value, ""});
    }
    in.answers.push_back({"learned", AnswerIn::Type::kText, 0, "How to count what matters"});
    return in;
  }

  AssociationId AssocId() { return (*db().associations().FindBySlug("pla"))->id; }

  std::optional<CheckinMoment> DueFor(const Viewer& v) {
    auto f = checkins_.Form(v, kGroup, "");
    EXPECT_TRUE(f.ok()) << (f.ok() ? "" : f.error().code);
    if (!f.ok() || !*f) return std::nullopt;
    return (*f)->moment;
  }

  void Later(int d) { clock_.Set(clock_.Now() + days(d)); }

  static constexpr const char* kGroup = "data-measurement";
  CheckinsService checkins_{ctx_};
  Viewer ana_, grant_, lena_, avery_, nora_;
};

TEST_F(CheckinsTest, TheImmediateCheckinIsDueAtThirtyDaysOfMembership) {
  EXPECT_EQ(DueFor(ana_), std::nullopt);
  Later(29);
  EXPECT_EQ(DueFor(ana_), std::nullopt);
  Later(1);
  EXPECT_EQ(DueFor(ana_), CheckinMoment::kImmediate);
  auto form = checkins_.Form(ana_, kGroup, "");
  ASSERT_TRUE(form.ok() && *form);
  EXPECT_TRUE((*form)->due);
  // The eight statements, then the two open questions.
  ASSERT_EQ((*form)->questions.size(), 10u);
  EXPECT_EQ((*form)->questions[0].id, "network");
  EXPECT_EQ((*form)->questions[0].type(), "scale");
  EXPECT_EQ((*form)->questions[8].id, "learned");
  EXPECT_EQ((*form)->questions[8].type(), "text");
  EXPECT_EQ((*form)->questions[9].text, "What would make this group more useful?");
}

TEST_F(CheckinsTest, AnAcceptedAnswerMakesItDueAtOnceForBothSides) {
  DiscussionsService d(ctx_);
  auto q = d.StartThread(ana_, kGroup, {"question", "Survey tools?", "Which do you use?", ""},
                         PostVia::kWeb, "");
  ASSERT_TRUE(q.ok());
  auto a = d.Reply(grant_, q->thread, "We use a paper form.", PostId{}, PostVia::kWeb, "");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(DueFor(ana_), std::nullopt);
  ASSERT_TRUE(d.AcceptAnswer(ana_, q->thread, a->post).ok());
  EXPECT_EQ(DueFor(ana_), CheckinMoment::kImmediate);
  EXPECT_EQ(DueFor(grant_), CheckinMoment::kImmediate);

  // The fact follows the accepted answer (migration 025's trigger): when the
  // asker accepts Lena's reply instead, Grant no longer has one accepted.
  auto group = db().groups().FindListing(AssocId(), kGroup);
  ASSERT_TRUE(group.ok() && group->has_value());
  const GroupId g = (*group)->group.id;
  auto accepted = [&](const Viewer& v) {
    auto r = db().checkins().MemberFacts(g, v.account->id);
    EXPECT_TRUE(r.ok());
    return r.ok() && r->accepted;
  };
  EXPECT_TRUE(accepted(grant_));
  EXPECT_FALSE(accepted(lena_));
  auto b = d.Reply(lena_, q->thread, "Try the survey tool.", PostId{}, PostVia::kWeb, "");
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE(d.AcceptAnswer(ana_, q->thread, b->post).ok());
  EXPECT_FALSE(accepted(grant_));
  EXPECT_TRUE(accepted(lena_));
  EXPECT_TRUE(accepted(ana_));  // the asker, through their question
}

TEST_F(CheckinsTest, OncePerMomentThenTheFollowUpSixWeeksLater) {
  Later(30);
  auto saved = checkins_.Answer(ana_, kGroup, Full("immediate"), "");
  ASSERT_TRUE(saved.ok()) << saved.error().message;
  EXPECT_EQ(saved->checkin.moment, CheckinMoment::kImmediate);
  EXPECT_EQ(saved->checkin.answers.size(), 9u);  // the empty "improve" is not kept
  EXPECT_EQ(saved->checkin.answers[0].question, "I have grown my professional network.");
  EXPECT_EQ(DueFor(ana_), std::nullopt);
  auto again = checkins_.Answer(ana_, kGroup, Full("immediate"), "");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::kConflict);
  auto form = checkins_.Form(ana_, kGroup, "immediate");
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code, "already_checked_in");
  Later(41);
  EXPECT_EQ(DueFor(ana_), std::nullopt);
  Later(1);
  EXPECT_EQ(DueFor(ana_), CheckinMoment::kFollowUp);
  ASSERT_TRUE(checkins_.Answer(ana_, kGroup, Full("follow_up", 5), "").ok());
  EXPECT_EQ(DueFor(ana_), std::nullopt);
  Later(365);
  EXPECT_EQ(DueFor(ana_), std::nullopt);
}

TEST_F(CheckinsTest, NotNowStopsTheOfferButTheMemberMayStillAnswer) {
  Later(30);
  auto status = checkins_.StatusFor(ana_, *GroupsService(ctx_).Get(ana_, kGroup));
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->due, CheckinMoment::kImmediate);
  ASSERT_TRUE(checkins_.Skip(ana_, kGroup, "immediate").ok());
  ASSERT_TRUE(checkins_.Skip(ana_, kGroup, "immediate").ok());  // twice is fine
  status = checkins_.StatusFor(ana_, *GroupsService(ctx_).Get(ana_, kGroup));
  EXPECT_EQ(status->due, std::nullopt);
  EXPECT_EQ(status->open, CheckinMoment::kImmediate);  // the quiet link
  ASSERT_TRUE(checkins_.Answer(ana_, kGroup, Full("immediate"), "").ok());
  EXPECT_FALSE(checkins_.Skip(ana_, kGroup, "immediate").ok());
  status = checkins_.StatusFor(ana_, *GroupsService(ctx_).Get(ana_, kGroup));
  EXPECT_EQ(status->open, CheckinMoment::kFollowUp);
}

TEST_F(CheckinsTest, AMemberMayCheckInBeforeItIsDue) {
  auto form = checkins_.Form(ana_, kGroup, "follow_up");
  ASSERT_TRUE(form.ok() && *form);
  EXPECT_FALSE((*form)->due);
  EXPECT_TRUE(checkins_.Answer(ana_, kGroup, Full("follow_up"), "").ok());
}

TEST_F(CheckinsTest, OnlyMembersCheckInEveryoneElseFindsNothing) {
  for (const Viewer* v : {&nora_, &lena_, &avery_}) {
    auto form = checkins_.Form(*v, kGroup, "immediate");
    ASSERT_FALSE(form.ok());
    EXPECT_EQ(form.error().kind, ErrorKind::kNotFound) << v->account->email;
    auto saved = checkins_.Answer(*v, kGroup, Full("immediate"), "");
    ASSERT_FALSE(saved.ok());
    EXPECT_EQ(saved.error().kind, ErrorKind::kNotFound);
  }
  auto visitor = checkins_.Form(Viewer{}, kGroup, "");
  ASSERT_FALSE(visitor.ok());
  EXPECT_EQ(visitor.error().kind, ErrorKind::kUnauthenticated);
}

TEST_F(CheckinsTest, BadAnswersAreRefusedNamingTheField) {
  auto refused = [&](NewCheckin in) {
    auto r = checkins_.Answer(ana_, kGroup, in, "");
    EXPECT_FALSE(r.ok());
    return r.ok() ? Error{} : r.error();
  };
  NewCheckin high = Full("immediate");
  high.answers[2].number = 6;
  Error e = refused(high);
  EXPECT_EQ(e.code, "answer_out_of_range");
  EXPECT_EQ(e.field, "knowledge");
  EXPECT_EQ(e.kind, ErrorKind::kRuleBroken);
  NewCheckin zero = Full("immediate");
  zero.answers[0].number = 0;
  EXPECT_EQ(refused(zero).code, "answer_out_of_range");
  NewCheckin missing = Full("immediate");
  missing.answers.erase(missing.answers.begin() + 1);
  e = refused(missing);
  EXPECT_EQ(e.code, "answer_required");
  EXPECT_EQ(e.field, "skills");
  NewCheckin unknown = Full("immediate");
  unknown.answers.push_back({"happiness", AnswerIn::Type::kNumber, 5, ""});
  e = refused(unknown);
  EXPECT_EQ(e.code, "unknown_question");
  EXPECT_EQ(e.field, "answers");
  NewCheckin text_for_scale = Full("immediate");
  text_for_scale.answers[0] = {"network", AnswerIn::Type::kText, 0, "5"};
  EXPECT_EQ(refused(text_for_scale).code, "invalid_answer");
  NewCheckin number_for_text = Full("immediate");
  number_for_text.answers.back() = {"learned", AnswerIn::Type::kNumber, 3, ""};
  EXPECT_EQ(refused(number_for_text).field, "learned");
  NewCheckin twice = Full("immediate");
  twice.answers.push_back(twice.answers[0]);
  EXPECT_EQ(refused(twice).code, "duplicate_answer");
  NewCheckin long_text = Full("immediate");
  long_text.answers.back().text = std::string(2001, 'a');
  EXPECT_EQ(refused(long_text).code, "answer_too_long");
  NewCheckin control = Full("immediate");
  control.answers.back().text = std::string("nul\0here", 8);
  EXPECT_EQ(refused(control).code, "invalid_text");
  NewCheckin moment = Full("later");
  EXPECT_EQ(refused(moment).field, "moment");
  // Nothing was recorded by any of them.
  EXPECT_TRUE(checkins_.Mine(ana_, CheckinId{})->items.empty());
  // CheckAnswers lists every problem for the form at once.
  auto form = checkins_.Form(ana_, kGroup, "immediate");
  ASSERT_TRUE(form.ok() && *form);
  EXPECT_EQ(CheckAnswers((*form)->questions, {}).size(), 8u);
}

TEST_F(CheckinsTest, AnIdempotencyKeyReplaysTheFirstAnswer) {
  auto first = checkins_.Answer(ana_, kGroup, Full("immediate"), "key-1");
  ASSERT_TRUE(first.ok());
  auto retry = checkins_.Answer(ana_, kGroup, Full("immediate"), "key-1");
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(retry->checkin.id, first->checkin.id);
  auto other = checkins_.Answer(ana_, kGroup, Full("immediate", 2), "key-1");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, "idempotency_key_reused");
}

TEST_F(CheckinsTest, MembersSeeAndDeleteOnlyTheirOwnAnswers) {
  auto mine = checkins_.Answer(ana_, kGroup, Full("immediate"), "");
  ASSERT_TRUE(mine.ok());
  auto list = checkins_.Mine(ana_, CheckinId{});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->items.size(), 1u);
  EXPECT_EQ(list->items[0].group_slug, kGroup);
  EXPECT_TRUE(checkins_.Mine(grant_, CheckinId{})->items.empty());
  for (const Viewer* other : {&grant_, &lena_, &avery_}) {
    EXPECT_EQ(checkins_.Get(*other, mine->checkin.id).error().kind, ErrorKind::kNotFound);
    EXPECT_EQ(checkins_.Delete(*other, mine->checkin.id).error().kind, ErrorKind::kNotFound);
  }
  ASSERT_TRUE(checkins_.Delete(ana_, mine->checkin.id).ok());
  EXPECT_TRUE(checkins_.Mine(ana_, CheckinId{})->items.empty());
  EXPECT_EQ(checkins_.Delete(ana_, mine->checkin.id).error().kind, ErrorKind::kNotFound);
  // Deleted answers close the group's check-ins for her.
  Later(100);
  EXPECT_EQ(DueFor(ana_), std::nullopt);
}

TEST_F(CheckinsTest, DeletingOnesAnswersLowersTheGroupsCounts) {
  // Five more members answer, with Ana and Grant: seven in one month.
  std::vector<Viewer> people = {ana_, grant_};
  for (int i = 0; i < 5; ++i) {
    std::string email = "m" + std::to_string(i) + "@example.org";
    ASSERT_TRUE(
        db().accounts().Create({email, "Member " + std::to_string(i), "!"}, ctx_.Now()).ok());
    Viewer v = As(email);
    auto g = db().groups().FindBySlug(AssocId(), kGroup);
    ASSERT_TRUE(
        db().groups().AddMember((*g)->id, v.account->id, GroupRole::kMember, ctx_.Now()).ok());
    people.push_back(v);
  }
  std::vector<CheckinId> ids;
  for (size_t i = 0; i < people.size(); ++i) {
    NewCheckin in = Full("immediate", i == 0 ? 1 : 4);
    in.quote_consent = i == 1;
    auto saved = checkins_.Answer(people[i], kGroup, in, "");
    ASSERT_TRUE(saved.ok()) << saved.error().message;
    ids.push_back(saved->checkin.id);
  }
  OutcomesService outcomes(ctx_);
  auto period = ParseOutcomePeriod("", "", clock_.Today());
  auto report = outcomes.Report(lena_, kGroup, *period);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->immediate.respondents, 7);
  EXPECT_EQ(report->immediate.items[0].counts[0], 1);  // Ana's "strongly disagree"
  // Open answers: Grant agreed to be named, nobody else.
  ASSERT_EQ(report->open_answers.size(), 7u);
  int named = 0;
  for (const OpenAnswer& a : report->open_answers) {
    if (!a.quoted_name.empty()) {
      ++named;
      EXPECT_EQ(a.quoted_name, "Grant Grace");
    }
  }
  EXPECT_EQ(named, 1);
  ASSERT_TRUE(checkins_.Delete(ana_, ids[0]).ok());
  report = outcomes.Report(lena_, kGroup, *period);
  EXPECT_EQ(report->immediate.respondents, 6);
  EXPECT_EQ(report->immediate.items[0].counts[0], 0);
  ASSERT_TRUE(checkins_.Delete(grant_, ids[1]).ok());
  ASSERT_TRUE(checkins_.Delete(people[2], ids[2]).ok());
  report = outcomes.Report(lena_, kGroup, *period);
  EXPECT_TRUE(report->immediate.suppressed);  // four left
  EXPECT_TRUE(report->open_answers.empty());
  // Only staff see it at all.
  EXPECT_EQ(outcomes.Report(ana_, kGroup, *period).error().code, "not_staff");
  EXPECT_EQ(outcomes.Report(Viewer{}, kGroup, *period).error().kind, ErrorKind::kUnauthenticated);
  auto by_group = outcomes.ReportsByGroup(avery_, *period);
  ASSERT_TRUE(by_group.ok());
  EXPECT_EQ(by_group->size(), 9u);
  EXPECT_TRUE(outcomes.ReportsByGroup(ana_, *period)->empty());
}

TEST_F(CheckinsTest, OffersAreMailedOncePerDueMomentAndCheckedAgainAtSendTime) {
  Later(30);
  auto run = checkins_.SendOffers();
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->mailed, 2);  // Ana and Grant; never the liaison
  EXPECT_EQ(checkins_.SendOffers()->mailed, 0);
  auto due = db().outbox().Due(kMailKind, ctx_.Now(), 100);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 2u);
  std::optional<MailJob> to_ana;
  for (const store::OutboxItem& item : *due) {
    auto job = ParseMailJob(item.payload);
    ASSERT_TRUE(job.ok());
    if (job->account == ana_.account->id) to_ana = *job;
  }
  ASSERT_TRUE(to_ana);
  EXPECT_EQ(to_ana->checkin_moment, "immediate");
  EXPECT_EQ(to_ana->notification, NotificationKind::kCheckin);
  EXPECT_NE(to_ana->message.text_body.find("/groups/data-measurement/checkin?moment=immediate"),
            std::string::npos);
  ASSERT_TRUE(to_ana->message.list);  // one-click unsubscribe from this kind
  EXPECT_NE(to_ana->message.list->unsubscribe_url.find("/unsubscribe/"), std::string::npos);
  EXPECT_EQ(*WhyNotSend(ctx_, db(), *to_ana), "");
  ASSERT_TRUE(checkins_.Skip(ana_, kGroup, "immediate").ok());
  EXPECT_EQ(*WhyNotSend(ctx_, db(), *to_ana), "already_checked_in");
  ASSERT_TRUE(GroupsService(ctx_).Leave(grant_, kGroup).ok());
  for (const store::OutboxItem& item : *due) {
    auto job = ParseMailJob(item.payload);
    if (job->account == grant_.account->id) {
      EXPECT_EQ(*WhyNotSend(ctx_, db(), *job), "not_found");
    }
  }
}

TEST_F(CheckinsTest, NoOfferMailForThoseWhoTurnedItOff) {
  EmailSwitches off;
  off.set(NotificationKind::kCheckin, false);
  ASSERT_TRUE(db().delivery().SetEmailSwitches(ana_.account->id, off).ok());
  Later(30);
  auto run = checkins_.SendOffers();
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->mailed, 1);
  EXPECT_EQ(run->skipped, 1);
  EXPECT_EQ(checkins_.SendOffers()->skipped, 0);  // recorded: never again
}

TEST_F(CheckinsTest, AdminsEditStatementsAndThresholdRetiredOnesKeepTheirAnswers) {
  OutcomesService outcomes(ctx_);
  EXPECT_EQ(outcomes.Settings(ana_).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(outcomes.Settings(lena_).error().kind, ErrorKind::kNotFound);
  auto s = outcomes.Settings(avery_);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->threshold, 5);
  EXPECT_EQ(s->statements.size(), 8u);
  ASSERT_TRUE(checkins_.Answer(ana_, kGroup, Full("immediate"), "").ok());

  OutcomeSettingsChange low;
  low.threshold = 2;
  auto refused = outcomes.SaveSettings(avery_, low);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "threshold_invalid");
  EXPECT_EQ(refused.error().kind, ErrorKind::kRuleBroken);

  OutcomeSettingsChange change;
  change.threshold = 3;
  change.statements = {{"network", "I know more people in my field.", 1, false},
                       {"leadership", "I feel ready to lead.", 9, true}};
  auto saved = outcomes.SaveSettings(avery_, change);
  ASSERT_TRUE(saved.ok()) << saved.error().message;
  EXPECT_EQ(saved->threshold, 3);
  EXPECT_EQ(saved->statements.size(), 9u);
  auto form = checkins_.Form(grant_, kGroup, "immediate");
  ASSERT_TRUE(form.ok() && *form);
  EXPECT_EQ((*form)->questions[0].id, "skills");  // "network" is retired
  EXPECT_EQ((*form)->questions[7].id, "leadership");
  auto mine = checkins_.Mine(ana_, CheckinId{});
  EXPECT_EQ(mine->items[0].checkin.answers[0].question, "I have grown my professional network.");

  OutcomeSettingsChange none_active;
  for (const OutcomeStatement& st : saved->statements) {
    none_active.statements.push_back({st.id, st.text, st.position, false});
  }
  EXPECT_EQ(outcomes.SaveSettings(avery_, none_active).error().code, "no_active_statement");
  OutcomeSettingsChange bad_id;
  bad_id.statements = {{"Not An Id", "Text", 1, true}};
  EXPECT_EQ(outcomes.SaveSettings(avery_, bad_id).error().code, "statement_id_invalid");
  OutcomeSettingsChange empty_text;
  empty_text.statements = {{"skills", "  ", 1, true}};
  EXPECT_EQ(outcomes.SaveSettings(avery_, empty_text).error().field, "statements.skills.text");
}

}  // namespace
}  // namespace rt::app
