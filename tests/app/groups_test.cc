#include "app/groups.h"

#include <gtest/gtest.h>

#include "app/accounts.h"
#include "app/demo.h"
#include "support/app_fixture.h"

namespace rt::app {
namespace {

class GroupsTest : public testing::AppTest {
 protected:
  void SetUp() override {
    Association pla{AssociationId{}, "pla", "Public Library Association", "PLA",
                    "https://example.org/join", 30};
    auto a = db().associations().Upsert(pla);
    ASSERT_TRUE(a.ok());
    pla_ = *a;
    for (Group g : PlaGroups()) {
      g.association_id = pla_.id;
      ASSERT_TRUE(db().groups().Upsert(g).ok());
    }
  }

  // An account with a membership paid through `offset` days from today,
  // or none when `with_membership` is false.
  Viewer Person(const std::string& email, bool with_membership, int offset = 100) {
    if (with_membership) {
      Membership m;
      m.association_id = pla_.id;
      m.email = email;
      m.member_type = "Personal";
      m.paid_through = clock_.Today().AddDays(offset);
      EXPECT_TRUE(db().memberships().Insert(m, clock_.Now()).ok());
    }
    // Made by the operator, so the address counts as verified and the
    // membership attaches at once (registration waits for the mailed link).
    auto a = accounts_.CreateByOperator({"Person " + email, email, "correct horse battery"},
                                        /*is_admin=*/false);
    EXPECT_TRUE(a.ok());
    return Viewer{*a};
  }

  Association pla_;
  AccountsService accounts_{ctx_};
  GroupsService groups_{ctx_};
};

TEST_F(GroupsTest, ListsTheNineGroupsInOrder) {
  auto page = groups_.List(Viewer{});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->groups.size(), 9u);
  EXPECT_EQ(page->groups[0].listing.group.slug, "legislation-advocacy");
  EXPECT_EQ(page->groups[7].listing.group.slug, "social-work");
  for (const GroupView& g : page->groups) {
    EXPECT_FALSE(g.join.allowed);
    EXPECT_EQ(g.join.reason, policy::reason::kNotSignedIn);
    EXPECT_EQ(g.join_message, "Sign in to join this group.");
  }
}

TEST_F(GroupsTest, AccountWithoutMembershipJoinsOnlyOpenGroups) {
  Viewer nora = Person("nora@example.org", false);
  auto refused = groups_.Join(nora, "data-measurement");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kForbidden);
  EXPECT_EQ(refused.error().code, "membership_required");
  EXPECT_NE(refused.error().message.find("Join PLA"), std::string::npos);

  auto joined = groups_.Join(nora, "social-work");
  ASSERT_TRUE(joined.ok()) << joined.error().message;
  EXPECT_TRUE(joined->joined_now);
  EXPECT_EQ(joined->group.listing.member_count, 1);
  auto again = groups_.Join(nora, "social-work");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->joined_now);
  EXPECT_EQ(again->group.listing.member_count, 1);
}

TEST_F(GroupsTest, MembershipAttachedAtRegistrationLetsAMemberJoin) {
  Viewer ana = Person("ana@example.org", true);
  auto joined = groups_.Join(ana, "data-measurement");
  ASSERT_TRUE(joined.ok()) << joined.error().message;
  EXPECT_EQ(joined->group.viewer_role, GroupRole::kMember);
}

TEST_F(GroupsTest, GraceDaysKeepAMembershipActive) {
  Viewer grant = Person("grant@example.org", true, -29);  // grace is 30 days
  EXPECT_TRUE(groups_.Join(grant, "health").ok());
}

TEST_F(GroupsTest, ExpiredMembershipNamesTheEndDate) {
  Viewer eve = Person("eve@example.org", true, -40);  // ended 10 days ago
  auto refused = groups_.Join(eve, "health");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "membership_expired");
  std::string end = clock_.Today().AddDays(-10).Long();
  EXPECT_NE(refused.error().message.find("ended on " + end), std::string::npos)
      << refused.error().message;
}

TEST_F(GroupsTest, VisitorCannotJoinAndUnknownGroupIsNotFound) {
  auto refused = groups_.Join(Viewer{}, "social-work");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kUnauthenticated);
  auto missing = groups_.Get(Viewer{}, "no-such-group");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
}

TEST_F(GroupsTest, LeaveAndMembersList) {
  Viewer ana = Person("ana@example.org", true);
  Viewer nora = Person("nora@example.org", false);
  ASSERT_TRUE(groups_.Join(ana, "social-work").ok());
  auto hidden = groups_.Members(nora, "social-work", std::nullopt);
  ASSERT_FALSE(hidden.ok());
  EXPECT_EQ(hidden.error().code, "not_group_member");
  ASSERT_TRUE(groups_.Join(nora, "social-work").ok());
  auto members = groups_.Members(nora, "social-work", std::nullopt);
  ASSERT_TRUE(members.ok());
  ASSERT_EQ(members->members.size(), 2u);
  EXPECT_FALSE(members->next.has_value());
  auto left = groups_.Leave(ana, "social-work");
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(left->listing.member_count, 1);
  auto not_in = groups_.Leave(ana, "social-work");
  ASSERT_FALSE(not_in.ok());
  EXPECT_EQ(not_in.error().code, "not_group_member");
}

TEST_F(GroupsTest, MembersArePagedWithoutGapsOrRepeats) {
  Viewer first = Person("m000@example.org", false);
  ASSERT_TRUE(groups_.Join(first, "social-work").ok());
  for (int i = 1; i < GroupsService::kMembersPageSize + 7; ++i) {
    char email[32];
    std::snprintf(email, sizeof email, "m%03d@example.org", i);
    auto a = db().accounts().Create({email, std::string("Member ") + email, "x"}, clock_.Now());
    ASSERT_TRUE(a.ok());
    ASSERT_TRUE(groups_.Join(Viewer{*a}, "social-work").ok());
  }
  auto p1 = groups_.Members(first, "social-work", std::nullopt);
  ASSERT_TRUE(p1.ok());
  ASSERT_EQ(p1->members.size(), static_cast<size_t>(GroupsService::kMembersPageSize));
  ASSERT_TRUE(p1->next.has_value());
  auto p2 = groups_.Members(first, "social-work", p1->next);
  ASSERT_TRUE(p2.ok());
  EXPECT_EQ(p2->members.size(), 7u);
  EXPECT_FALSE(p2->next.has_value());
  EXPECT_LT(p1->members.back().account.name, p2->members.front().account.name);
}

TEST_F(GroupsTest, LiaisonIsNamedAndCannotLeave) {
  Viewer lena = Person("lena@example.org", false);
  auto g = groups_.AssignRole("health", "LENA@example.org", GroupRole::kLiaison);
  ASSERT_TRUE(g.ok()) << g.error().message;
  ASSERT_TRUE(g->listing.liaison.has_value());
  EXPECT_EQ(g->listing.liaison->email, "lena@example.org");
  auto refused = groups_.Leave(lena, "health");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kRuleBroken);
  EXPECT_EQ(groups_.AssignRole("health", "nobody@example.org", GroupRole::kLiaison).error().code, "account_not_found");
  EXPECT_EQ(groups_.AssignRole("nope", "lena@example.org", GroupRole::kLiaison).error().code, "group_not_found");
}

}  // namespace
}  // namespace rt::app

namespace rt::app {
namespace {

// The staff choose how people who join get the group's mail; members who
// are in already keep theirs.
TEST_F(GroupsTest, StaffSetTheDefaultDeliveryForNewMembers) {
  Viewer liaison = Person("liaison@example.org", true);
  Viewer early = Person("early@example.org", true);
  Viewer late = Person("late@example.org", true);
  ASSERT_TRUE(groups_.AssignRole("data-measurement", "liaison@example.org", GroupRole::kLiaison).ok());
  ASSERT_TRUE(groups_.Join(early, "data-measurement").ok());
  auto delivery_of = [&](const Viewer& v) {
    auto g = db().groups().FindListing(pla_.id, "data-measurement");
    return *db().delivery().DeliveryOf((*g)->group.id, v.account->id);
  };
  EXPECT_EQ(delivery_of(early), Delivery::kDaily);

  // A member is refused, a visitor must sign in, nothing changes.
  auto refused = groups_.SetDefaultDelivery(early, "data-measurement", Delivery::kRealtime);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "not_staff");
  EXPECT_EQ(refused.error().kind, ErrorKind::kForbidden);
  auto visitor = groups_.SetDefaultDelivery(Viewer{}, "data-measurement", Delivery::kRealtime);
  ASSERT_FALSE(visitor.ok());
  EXPECT_EQ(visitor.error().kind, ErrorKind::kUnauthenticated);
  EXPECT_FALSE(groups_.Settings(early, "data-measurement").ok());

  auto set = groups_.SetDefaultDelivery(liaison, "data-measurement", Delivery::kRealtime);
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(set->listing.group.default_delivery, Delivery::kRealtime);
  EXPECT_TRUE(set->manage.allowed);
  ASSERT_TRUE(groups_.Join(late, "data-measurement").ok());
  EXPECT_EQ(delivery_of(late), Delivery::kRealtime);
  EXPECT_EQ(delivery_of(early), Delivery::kDaily);

  // The operator's way, and an unknown group.
  auto op = groups_.SetDefaultDeliveryAsOperator("data-measurement", Delivery::kWeekly);
  ASSERT_TRUE(op.ok());
  EXPECT_EQ(op->default_delivery, Delivery::kWeekly);
  EXPECT_EQ(groups_.Settings(liaison, "data-measurement")->listing.group.default_delivery,
            Delivery::kWeekly);
  auto missing = groups_.SetDefaultDeliveryAsOperator("no-such-group", Delivery::kWeekly);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "group_not_found");
}

}  // namespace
}  // namespace rt::app
