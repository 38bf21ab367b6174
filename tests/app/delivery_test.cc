#include "app/delivery.h"

#include <gtest/gtest.h>

#include "app/accounts.h"
#include "app/demo.h"
#include "app/groups.h"
#include "app/mail_tokens.h"
#include "support/app_fixture.h"

namespace rt::app {
namespace {

class DeliveryTest : public testing::AppTest {
 protected:
  void SetUp() override {
    auto a = db().associations().Upsert(
        Association{AssociationId{}, "pla", "Public Library Association", "PLA", "", 30});
    ASSERT_TRUE(a.ok());
    pla_ = *a;
    for (Group g : PlaGroups()) {
      g.association_id = pla_.id;
      if (g.slug == "health") g.default_delivery = Delivery::kRealtime;
      ASSERT_TRUE(db().groups().Upsert(g).ok());
    }
    // An unlisted group: it exists only for its members and admins.
    Group hidden;
    hidden.association_id = pla_.id;
    hidden.slug = "board";
    hidden.name = "Board";
    hidden.join_policy = JoinPolicy::kInvite;
    hidden.listed = false;
    auto h = db().groups().Upsert(hidden);
    ASSERT_TRUE(h.ok());
    hidden_ = *h;
  }

  Viewer Person(const std::string& email) {
    auto a = accounts_.Register({"Person " + email, email, "correct horse battery"});
    EXPECT_TRUE(a.ok());
    return Viewer{*a};
  }

  Association pla_;
  Group hidden_;
  AccountsService accounts_{ctx_};
  GroupsService groups_{ctx_};
  DeliveryService delivery_{ctx_};
};

TEST_F(DeliveryTest, JoiningUsesEachGroupsDefaultAndSettingsListThem) {
  Viewer nora = Person("nora@example.org");
  auto empty = delivery_.Get(nora);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->groups.empty());
  EXPECT_EQ(empty->email, EmailSwitches());

  // Open groups, so no association membership is needed.
  ASSERT_TRUE(groups_.Join(nora, "social-work").ok());
  ASSERT_TRUE(db().groups().AddMember(db().groups().FindBySlug(pla_.id, "health")
                                          ->value()
                                          .id,
                                      nora.account->id, GroupRole::kMember, clock_.Now())
                  .ok());
  auto s = delivery_.Get(nora);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->groups.size(), 2u);
  EXPECT_EQ(s->groups[0].group.slug, "health");  // position 6
  EXPECT_EQ(s->groups[0].delivery, Delivery::kRealtime);
  EXPECT_EQ(s->groups[1].group.slug, "social-work");
  EXPECT_EQ(s->groups[1].delivery, Delivery::kDaily);
}

TEST_F(DeliveryTest, MemberSetsOneGroup) {
  Viewer nora = Person("nora@example.org");
  ASSERT_TRUE(groups_.Join(nora, "social-work").ok());
  auto set = delivery_.SetGroupDelivery(nora, "social-work", Delivery::kWeekly);
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(set->group.slug, "social-work");
  EXPECT_EQ(set->role, GroupRole::kMember);
  EXPECT_EQ(set->delivery, Delivery::kWeekly);
  auto s = delivery_.Get(nora);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->groups.size(), 1u);
  EXPECT_EQ(s->groups[0].delivery, Delivery::kWeekly);
}

TEST_F(DeliveryTest, NonMemberIsToldToJoinFirst) {
  Viewer nora = Person("nora@example.org");
  auto refused = delivery_.SetGroupDelivery(nora, "social-work", Delivery::kWeekly);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kRuleBroken);
  EXPECT_EQ(refused.error().code, "not_group_member");
  EXPECT_EQ(refused.error().field, "groups.social-work");
  EXPECT_EQ(refused.error().message,
            "You are not a member of Social Work. Join the group to choose how you hear "
            "from it.");
  // Nothing was added on the way.
  auto s = delivery_.Get(nora);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->groups.empty());
}

TEST_F(DeliveryTest, HiddenAndUnknownGroupsAreNotFound) {
  Viewer nora = Person("nora@example.org");
  for (const char* slug : {"board", "no-such-group"}) {
    auto refused = delivery_.SetGroupDelivery(nora, slug, Delivery::kNone);
    ASSERT_FALSE(refused.ok()) << slug;
    EXPECT_EQ(refused.error().kind, ErrorKind::kNotFound) << slug;
  }
  // A member of the unlisted group can set it.
  ASSERT_TRUE(db().groups().AddMember(hidden_.id, nora.account->id, GroupRole::kMember,
                                      clock_.Now())
                  .ok());
  auto set = delivery_.SetGroupDelivery(nora, "board", Delivery::kNone);
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(set->delivery, Delivery::kNone);
}

TEST_F(DeliveryTest, VisitorMustSignIn) {
  auto get = delivery_.Get(Viewer{});
  ASSERT_FALSE(get.ok());
  EXPECT_EQ(get.error().kind, ErrorKind::kUnauthenticated);
  auto set = delivery_.SetGroupDelivery(Viewer{}, "social-work", Delivery::kNone);
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.error().kind, ErrorKind::kUnauthenticated);
  auto update = delivery_.Update(Viewer{}, SettingsChange{});
  ASSERT_FALSE(update.ok());
  EXPECT_EQ(update.error().kind, ErrorKind::kUnauthenticated);
}

TEST_F(DeliveryTest, UpdateAppliesEverythingOrNothing) {
  Viewer nora = Person("nora@example.org");
  ASSERT_TRUE(groups_.Join(nora, "social-work").ok());

  SettingsChange change;
  change.groups = {{"social-work", Delivery::kWeekly}};
  change.email = {{NotificationKind::kMention, false}};
  auto s = delivery_.Update(nora, change);
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(s->groups.size(), 1u);
  EXPECT_EQ(s->groups[0].delivery, Delivery::kWeekly);
  EXPECT_FALSE(s->email.enabled(NotificationKind::kMention));
  EXPECT_TRUE(s->email.enabled(NotificationKind::kReply));

  // Only what is named changes.
  SettingsChange reply_off;
  reply_off.email = {{NotificationKind::kReply, false}};
  s = delivery_.Update(nora, reply_off);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->email.enabled(NotificationKind::kMention));
  EXPECT_FALSE(s->email.enabled(NotificationKind::kReply));
  EXPECT_EQ(s->groups[0].delivery, Delivery::kWeekly);

  // One group she is not in: none of the change is kept.
  SettingsChange bad;
  bad.groups = {{"social-work", Delivery::kRealtime}, {"health", Delivery::kNone}};
  bad.email = {{NotificationKind::kMention, true}};
  auto refused = delivery_.Update(nora, bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "not_group_member");
  EXPECT_EQ(refused.error().field, "groups.health");
  s = delivery_.Get(nora);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->groups[0].delivery, Delivery::kWeekly);
  EXPECT_FALSE(s->email.enabled(NotificationKind::kMention));
}

}  // namespace
}  // namespace rt::app

namespace rt::app {
namespace {

// The zone digests follow: the association's until the member picks one,
// checked against the system's tz database, all or nothing with the rest.
TEST_F(DeliveryTest, MemberChoosesTheTimeZoneOfTheirDigests) {
  Viewer ana = Person("ana@example.org");
  auto s = delivery_.Get(ana);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->time_zone, "");
  EXPECT_EQ(s->association_time_zone, "America/Chicago");
  EXPECT_EQ(s->digest_hour, 7);

  SettingsChange tokyo;
  tokyo.time_zone = "Asia/Tokyo";
  auto saved = delivery_.Update(ana, tokyo);
  ASSERT_TRUE(saved.ok()) << saved.error().message;
  EXPECT_EQ(saved->time_zone, "Asia/Tokyo");
  EXPECT_EQ(*db().digests().TimeZoneOf(ana.account->id), "Asia/Tokyo");

  for (const char* bad : {"Mars/Olympus_Mons", "../../etc/passwd", "Asia/Tokyo\n", "UTC "}) {
    SettingsChange change;
    change.time_zone = bad;
    change.email.emplace_back(NotificationKind::kMention, false);
    auto refused = delivery_.Update(ana, change);
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.error().code, "time_zone_invalid") << bad;
    EXPECT_EQ(refused.error().field, "time_zone");
  }
  auto after = delivery_.Get(ana);
  EXPECT_EQ(after->time_zone, "Asia/Tokyo");
  EXPECT_TRUE(after->email.enabled(NotificationKind::kMention));  // nothing applied

  SettingsChange reset;
  reset.time_zone = "";
  EXPECT_EQ(delivery_.Update(ana, reset)->time_zone, "");
}

// A notification mail's link turns off email for its kind, the same switch
// as the settings; only the POST acts, and the page can undo it.
TEST_F(DeliveryTest, KindLinkTurnsThatEmailOffAndUndoTurnsItBackOn) {
  Viewer nora = Person("nora@example.org");
  Viewer other = Person("other@example.org");
  auto tokens = MailTokens::Load(db());
  ASSERT_TRUE(tokens.ok());
  const std::string token =
      tokens->KindUnsubscribeToken(nora.account->id, NotificationKind::kReply);

  auto described = delivery_.DescribeUnsubscribe(token);
  ASSERT_TRUE(described.ok()) << described.error().message;
  EXPECT_EQ(described->kind, NotificationKind::kReply);
  EXPECT_FALSE(described->group.has_value());
  EXPECT_TRUE(delivery_.Get(nora)->email.enabled(NotificationKind::kReply));

  auto off = delivery_.Unsubscribe(token);
  ASSERT_TRUE(off.ok()) << off.error().message;
  EXPECT_EQ(off->kind, NotificationKind::kReply);
  EXPECT_EQ(off->changed, 1);
  EmailSwitches expected;
  expected.set(NotificationKind::kReply, false);
  EXPECT_EQ(delivery_.Get(nora)->email, expected);
  // Nobody else's switches move.
  EXPECT_EQ(delivery_.Get(other)->email, EmailSwitches());
  // Again: harmless, and says nothing changed.
  off = delivery_.Unsubscribe(token);
  ASSERT_TRUE(off.ok());
  EXPECT_EQ(off->changed, 0);

  auto on = delivery_.Resubscribe(token);
  ASSERT_TRUE(on.ok()) << on.error().message;
  EXPECT_EQ(on->changed, 1);
  EXPECT_EQ(delivery_.Get(nora)->email, EmailSwitches());

  // A switch turned off on the settings page is the one the link turns on.
  SettingsChange change;
  change.email.emplace_back(NotificationKind::kMention, false);
  ASSERT_TRUE(delivery_.Update(nora, change).ok());
  ASSERT_TRUE(
      delivery_
          .Resubscribe(tokens->KindUnsubscribeToken(nora.account->id, NotificationKind::kMention))
          .ok());
  EXPECT_TRUE(delivery_.Get(nora)->email.enabled(NotificationKind::kMention));
}

TEST_F(DeliveryTest, LinksOfUnknownAccountsAndGroupLinksCannotBeUndone) {
  Viewer nora = Person("nora@example.org");
  ASSERT_TRUE(groups_.Join(nora, "social-work").ok());
  auto tokens = MailTokens::Load(db());
  ASSERT_TRUE(tokens.ok());
  // Well signed, but for an account that is not there (any more).
  const std::string gone =
      tokens->KindUnsubscribeToken(AccountId{987654}, NotificationKind::kReply);
  for (auto result : {delivery_.DescribeUnsubscribe(gone), delivery_.Unsubscribe(gone),
                      delivery_.Resubscribe(gone)}) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, "not_found");
  }
  // A group's link stops the group's mail, and has no undo: the delivery
  // it replaced is not kept.
  auto group = db().groups().FindBySlug(pla_.id, "social-work");
  ASSERT_TRUE(group.ok() && group->has_value());
  const std::string token = tokens->UnsubscribeToken(nora.account->id, (*group)->id);
  auto off = delivery_.Unsubscribe(token);
  ASSERT_TRUE(off.ok()) << off.error().message;
  EXPECT_FALSE(off->kind.has_value());
  EXPECT_EQ(off->changed, 1);
  auto undo = delivery_.Resubscribe(token);
  ASSERT_FALSE(undo.ok());
  EXPECT_EQ(undo.error().code, "undo_not_available");
  EXPECT_EQ(undo.error().kind, ErrorKind::kRuleBroken);
  EXPECT_EQ(delivery_.Get(nora)->groups.front().delivery, Delivery::kNone);
  // The group link touched no notification switch.
  EXPECT_EQ(delivery_.Get(nora)->email, EmailSwitches());
}

}  // namespace
}  // namespace rt::app
