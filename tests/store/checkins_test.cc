// Outcome statements and check-ins (migration 020). The TEST_P tests join
// the engine-parameterised StoreTest suite instantiated in store_test.cc.

#include <chrono>
#include <string>
#include <vector>

#include "store/store_fixture.h"

namespace rt::store::testing {
namespace {

using std::chrono::days;

Checkin Answered(GroupId g, AccountId a, CheckinMoment m, TimePoint at, int network) {
  Checkin c;
  c.group = g;
  c.account = a;
  c.moment = m;
  c.state = CheckinState::kAnswered;
  c.created_at = at;
  c.answers = {{"network", "I have grown my professional network.", network, ""},
               {"learned", "What did you learn or apply?", 0, "How to run a survey"}};
  return c;
}

TEST_P(StoreTest, NewAssociationsStartWithTheEightOutcomeStatements) {
  AssociationId assoc = MakeAssociation("pla");
  auto s = store_->checkins().Statements(assoc);
  ASSERT_TRUE(s.ok());
  std::vector<std::string> ids;
  for (const OutcomeStatement& st : *s) ids.push_back(st.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"network", "skills", "knowledge", "confidence",
                                           "resources", "apply", "share", "engage"}));
  // The migration's seed says what the domain's defaults say.
  std::vector<OutcomeStatement> defaults = DefaultOutcomeStatements();
  ASSERT_EQ(s->size(), defaults.size());
  for (size_t i = 0; i < defaults.size(); ++i) {
    EXPECT_EQ((*s)[i].text, defaults[i].text);
    EXPECT_TRUE((*s)[i].active);
  }
  auto t = store_->checkins().Threshold(assoc);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, 5);
  EXPECT_FALSE(store_->checkins().SetThreshold(assoc, 2).ok());
  ASSERT_TRUE(store_->checkins().SetThreshold(assoc, 7).ok());
  EXPECT_EQ(*store_->checkins().Threshold(assoc), 7);
}

TEST_P(StoreTest, StatementsAreUpdatedAndAddedById) {
  AssociationId assoc = MakeAssociation("pla");
  ASSERT_TRUE(store_->checkins()
                  .SaveStatements(assoc, {{"network", "I met new colleagues.", 9, false},
                                          {"leadership", "I lead more.", 0, true}})
                  .ok());
  auto s = store_->checkins().Statements(assoc);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->size(), 9u);
  EXPECT_EQ(s->front().id, "leadership");  // position 0 sorts first
  EXPECT_EQ(s->back().id, "network");
  EXPECT_EQ(s->back().text, "I met new colleagues.");
  EXPECT_FALSE(s->back().active);
}

TEST_P(StoreTest, OneCheckinPerMomentASkipCanBeAnsweredLater) {
  AssociationId assoc = MakeAssociation("pla");
  Group g = MakeGroup(assoc, "maps", "Maps", 1);
  Account ada = MakeAccount("ada@example.org", "Ada");
  Checkin skip;
  skip.group = g.id;
  skip.account = ada.id;
  skip.moment = CheckinMoment::kImmediate;
  skip.state = CheckinState::kSkipped;
  skip.created_at = kNow;
  auto skipped = store_->checkins().Record(skip);
  ASSERT_TRUE(skipped.ok());
  // Skipping twice changes nothing.
  auto again = store_->checkins().Record(skip);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, skipped->id);

  auto answered = store_->checkins().Record(
      Answered(g.id, ada.id, CheckinMoment::kImmediate, kNow + days(1), 4));
  ASSERT_TRUE(answered.ok());
  EXPECT_EQ(answered->id, skipped->id);
  auto twice = store_->checkins().Record(
      Answered(g.id, ada.id, CheckinMoment::kImmediate, kNow + days(2), 2));
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(twice.error().code, "already_checked_in");

  auto found = store_->checkins().Find(answered->id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->checkin.state, CheckinState::kAnswered);
  EXPECT_EQ((*found)->group_slug, "maps");
  ASSERT_EQ((*found)->checkin.answers.size(), 2u);
  EXPECT_EQ((*found)->checkin.answers[0].question_id, "network");
  EXPECT_EQ((*found)->checkin.answers[0].value, 4);
  EXPECT_EQ((*found)->checkin.answers[1].text, "How to run a survey");
}

TEST_P(StoreTest, DeletingACheckinDropsItsAnswersAndKeepsTheMomentClosed) {
  AssociationId assoc = MakeAssociation("pla");
  Group g = MakeGroup(assoc, "maps", "Maps", 1);
  Account ada = MakeAccount("ada@example.org", "Ada");
  Account bob = MakeAccount("bob@example.org", "Bob");
  auto c = store_->checkins().Record(Answered(g.id, ada.id, CheckinMoment::kImmediate, kNow, 5));
  ASSERT_TRUE(c.ok());
  auto answered = store_->checkins().Answered(assoc, {});
  ASSERT_TRUE(answered.ok());
  EXPECT_EQ(answered->size(), 1u);
  // Not Bob's to delete.
  EXPECT_FALSE(*store_->checkins().DeleteAnswers(c->id, bob.id));
  EXPECT_TRUE(*store_->checkins().DeleteAnswers(c->id, ada.id));
  EXPECT_FALSE(*store_->checkins().DeleteAnswers(c->id, ada.id));
  auto found = store_->checkins().Find(c->id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->checkin.state, CheckinState::kDeleted);
  EXPECT_TRUE((*found)->checkin.answers.empty());
  EXPECT_TRUE(store_->checkins().Answered(assoc, {})->empty());
  EXPECT_TRUE(store_->checkins().ListMine(ada.id, CheckinId{}, 10)->empty());
  EXPECT_FALSE(
      store_->checkins().Record(Answered(g.id, ada.id, CheckinMoment::kImmediate, kNow, 3)).ok());
}

TEST_P(StoreTest, TheAggregateReadsNamesOnlyWithConsent) {
  AssociationId assoc = MakeAssociation("pla");
  Group g = MakeGroup(assoc, "maps", "Maps", 1);
  Group other = MakeGroup(assoc, "law", "Law", 2);
  Account ada = MakeAccount("ada@example.org", "Ada");
  Account bob = MakeAccount("bob@example.org", "Bob");
  Checkin named = Answered(g.id, ada.id, CheckinMoment::kImmediate, kNow, 5);
  named.quote_consent = true;
  ASSERT_TRUE(store_->checkins().Record(named).ok());
  ASSERT_TRUE(store_->checkins()
                  .Record(Answered(g.id, bob.id, CheckinMoment::kImmediate, kNow + days(1), 2))
                  .ok());
  ASSERT_TRUE(store_->checkins()
                  .Record(Answered(other.id, bob.id, CheckinMoment::kFollowUp, kNow, 3))
                  .ok());
  auto rows = store_->checkins().Answered(assoc, {g.id});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].quoted_name, "Ada");
  EXPECT_EQ((*rows)[1].quoted_name, "");
  EXPECT_EQ((*rows)[1].answers[0].value, 2);
  EXPECT_EQ(store_->checkins().Answered(assoc, {})->size(), 3u);
  EXPECT_EQ(store_->checkins().Answered(assoc, {g.id, other.id})->size(), 3u);
}

TEST_P(StoreTest, DueOffersFollowTheRulesAndAreRecordedOnce) {
  AssociationId assoc = MakeAssociation("pla");
  Group g = MakeGroup(assoc, "maps", "Maps", 1);
  Account old_hand = MakeAccount("old@example.org", "Old Hand");
  Account newcomer = MakeAccount("new@example.org", "Newcomer");
  Account liaison = MakeAccount("lee@example.org", "Lee");
  Account answered = MakeAccount("done@example.org", "Done");
  ASSERT_TRUE(store_->groups().AddMember(g.id, old_hand.id, GroupRole::kMember, kNow).ok());
  ASSERT_TRUE(
      store_->groups().AddMember(g.id, newcomer.id, GroupRole::kMember, kNow + days(25)).ok());
  ASSERT_TRUE(store_->groups().SetRole(g.id, liaison.id, GroupRole::kLiaison, kNow).ok());
  ASSERT_TRUE(store_->groups().AddMember(g.id, answered.id, GroupRole::kMember, kNow).ok());
  ASSERT_TRUE(store_->checkins()
                  .Record(Answered(g.id, answered.id, CheckinMoment::kImmediate, kNow + days(1), 4))
                  .ok());

  auto due = store_->checkins().DueOffers(assoc, kNow + days(31), 100);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u);  // not the newcomer, the liaison or the one who answered
  EXPECT_EQ((*due)[0].account, old_hand.id);
  EXPECT_EQ((*due)[0].moment, CheckinMoment::kImmediate);
  EXPECT_EQ((*due)[0].group_slug, "maps");
  EXPECT_TRUE(*store_->checkins().RecordOffer(g.id, old_hand.id, CheckinMoment::kImmediate, true,
                                              kNow + days(31)));
  EXPECT_FALSE(*store_->checkins().RecordOffer(g.id, old_hand.id, CheckinMoment::kImmediate, true,
                                               kNow + days(31)));
  EXPECT_TRUE(store_->checkins().DueOffers(assoc, kNow + days(31), 100)->empty());

  // Six weeks after the immediate check-in, its follow-up.
  auto later = store_->checkins().DueOffers(assoc, kNow + days(1 + 42), 100);
  ASSERT_TRUE(later.ok());
  bool follow_up = false;
  for (const CheckinOffer& o : *later) {
    if (o.account == answered.id) follow_up = o.moment == CheckinMoment::kFollowUp;
  }
  EXPECT_TRUE(follow_up);
  EXPECT_EQ(store_->checkins().DueOffers(assoc, kNow + days(60), 1)->size(), 1u);
}

}  // namespace
}  // namespace rt::store::testing
