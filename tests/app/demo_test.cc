#include "app/demo.h"

#include <gtest/gtest.h>

#include "app/accounts.h"
#include "app/discussions.h"
#include "app/groups.h"
#include "support/app_fixture.h"

namespace rt::app {
namespace {

class DemoTest : public testing::AppTest {};

TEST_F(DemoTest, SeedsTheAssociationGroupsAndPeopleAndIsRepeatable) {
  auto first = DemoSeeder(ctx_).Seed();
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->groups, 9);
  auto second = DemoSeeder(ctx_).Seed();
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->logins.size(), first->logins.size());

  auto page = GroupsService(ctx_).List(Viewer{});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->groups.size(), 9u);
  for (const GroupView& g : page->groups) {
    ASSERT_TRUE(g.listing.liaison.has_value()) << g.listing.group.slug;
    EXPECT_EQ(g.listing.liaison->name, "Lena Liaison");
  }
  EXPECT_EQ(page->groups[7].listing.group.join_policy, JoinPolicy::kOpen);

  // Every membership state is represented and behaves.
  AccountsService accounts(ctx_);
  auto as = [&](const char* email) {
    auto s = accounts.SignIn(email, DemoSeeder::kPassword);
    EXPECT_TRUE(s.ok()) << email;
    return Viewer{s->account};
  };
  GroupsService groups(ctx_);
  EXPECT_TRUE(groups.Join(as("active@demo.roundtable.test"), "health").ok());
  EXPECT_TRUE(groups.Join(as("grace@demo.roundtable.test"), "health").ok());
  EXPECT_EQ(groups.Join(as("expired@demo.roundtable.test"), "health").error().code,
            "membership_expired");
  EXPECT_EQ(groups.Join(as("visitor@demo.roundtable.test"), "health").error().code,
            "membership_required");
}

TEST_F(DemoTest, RefusesToMixDemoAccountsWithRealOnes) {
  ASSERT_TRUE(AccountsService(ctx_).Register({"Real", "real@example.org", "correct horse battery"}).ok());
  auto r = DemoSeeder(ctx_).Seed();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "not_demo_data");
  EXPECT_FALSE(db().accounts().FindByEmail("admin@demo.roundtable.test")->has_value());
}

}  // namespace
}  // namespace rt::app

namespace rt::app {
namespace {

TEST_F(DemoTest, SampleDiscussionsAreSeededOnce) {
  ASSERT_TRUE(DemoSeeder(ctx_).Seed(/*with_discussions=*/true).ok());
  ASSERT_TRUE(DemoSeeder(ctx_).Seed(/*with_discussions=*/true).ok());
  auto ana = db().accounts().FindByEmail("active@demo.roundtable.test");
  ASSERT_TRUE(ana.ok() && ana->has_value());
  DiscussionsService d(ctx_);
  auto dm = d.ListThreads(Viewer{**ana}, "data-measurement", {}, std::nullopt);
  ASSERT_TRUE(dm.ok());
  ASSERT_EQ(dm->threads.size(), 2u);
  EXPECT_TRUE(dm->threads[0].thread.pinned);
  EXPECT_TRUE(dm->threads[1].thread.answered());
  auto sw = d.ListThreads(Viewer{}, "social-work", {}, std::nullopt);
  ASSERT_TRUE(sw.ok());
  ASSERT_EQ(sw->threads.size(), 1u);
  EXPECT_EQ(sw->threads[0].thread.consent, StoryConsent::kPublic);
}

}  // namespace
}  // namespace rt::app
