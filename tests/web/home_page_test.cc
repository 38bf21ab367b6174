// The groups directory through WebApp::Handle on a real SQLite file:
// paging, and that the signed-out page cache never serves stale listings.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "app/demo.h"
#include "support/app_fixture.h"
#include "web/web_app.h"

namespace rt::web {
namespace {

class HomePageTest : public testing::AppTest {
 protected:
  HomePageTest() : app_(ctx_, WebOptions{}) {
    EXPECT_TRUE(app::DemoSeeder(ctx_).Seed().ok());
  }

  http::Response Get(const std::string& target) {
    http::Request req;
    req.method = "GET";
    req.target = target;
    size_t q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) req.query = target.substr(q + 1);
    req.remote_ip = "127.0.0.1";
    return app_.Handle(req);
  }

  AssociationId Pla() {
    auto a = db().associations().FindBySlug("pla");
    EXPECT_TRUE(a.ok() && a->has_value());
    return (*a)->id;
  }

  // Adds groups "extra-000", ... after the demo's nine.
  void AddGroups(int n) {
    for (int i = 0; i < n; ++i) {
      Group g;
      g.association_id = Pla();
      char slug[32];
      std::snprintf(slug, sizeof slug, "extra-%03d", i);
      g.slug = slug;
      g.name = std::string("Extra group ") + slug;
      g.summary = "A group added by the test.";
      g.position = 1000 + i;
      ASSERT_TRUE(db().groups().Upsert(g).ok());
    }
  }

  WebApp app_;
};

size_t Count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

TEST_F(HomePageTest, SmallAssociationFitsOnOnePageWithoutPager) {
  http::Response r = Get("/");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Count(r.body, "<li class=\"card\""), 9u);
  EXPECT_EQ(r.body.find("Pages of the group list"), std::string::npos);
  EXPECT_EQ(Get("/?page=2").status, 404);
}

TEST_F(HomePageTest, LargeDirectoryIsPaged) {
  AddGroups(60);  // 69 groups: pages of 50 and 19
  http::Response first = Get("/");
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(Count(first.body, "<li class=\"card\""), 50u);
  EXPECT_NE(first.body.find("Groups 1 to 50 of 69"), std::string::npos);
  EXPECT_NE(first.body.find("<a href=\"/?page=2\" rel=\"next\">Next page</a>"), std::string::npos);
  EXPECT_NE(first.body.find("aria-current=\"page\" class=\"pager-current\">Page 1<"),
            std::string::npos);
  EXPECT_NE(first.body.find("page 1 of 2"), std::string::npos);

  http::Response second = Get("/groups?page=2");
  ASSERT_EQ(second.status, 200);
  EXPECT_EQ(Count(second.body, "<li class=\"card\""), 19u);
  EXPECT_NE(second.body.find("Groups 51 to 69 of 69"), std::string::npos);
  EXPECT_NE(second.body.find("<a href=\"/groups\" rel=\"prev\">Previous page</a>"),
            std::string::npos);
  EXPECT_NE(second.body.find("extra-059"), std::string::npos);
  EXPECT_EQ(second.body.find("rel=\"next\""), std::string::npos);

  EXPECT_EQ(Get("/?page=3").status, 404);
  EXPECT_EQ(Get("/?page=0").status, 400);
  EXPECT_EQ(Get("/?page=two").status, 400);
  EXPECT_EQ(Get("/?page=99999999999999999999").status, 400);
}

TEST_F(HomePageTest, SignedOutPageShowsEveryWriteAtOnce) {
  const std::string before = Get("/").body;
  ASSERT_NE(before.find("Legislation and Advocacy"), std::string::npos);
  EXPECT_EQ(Get("/").body, before);  // unchanged data, same page

  // A new group, a renamed group and a new member all show on the next view.
  AddGroups(1);
  std::string after_add = Get("/").body;
  EXPECT_NE(after_add.find("extra-000"), std::string::npos);

  auto g = db().groups().FindBySlug(Pla(), "legislation-advocacy");
  ASSERT_TRUE(g.ok() && g->has_value());
  Group renamed = **g;
  renamed.name = "Advocacy and Legislation";
  ASSERT_TRUE(db().groups().Upsert(renamed).ok());
  std::string after_rename = Get("/").body;
  EXPECT_NE(after_rename.find("Advocacy and Legislation"), std::string::npos);
  EXPECT_EQ(after_rename.find("Legislation and Advocacy"), std::string::npos);

  auto listing = db().groups().FindListing(Pla(), "legislation-advocacy");
  ASSERT_TRUE(listing.ok() && listing->has_value());
  const int64_t count = (*listing)->member_count;
  auto someone = db().accounts().FindByEmail("visitor@demo.roundtable.test");
  ASSERT_TRUE(someone.ok() && someone->has_value());
  ASSERT_TRUE(db().groups()
                  .AddMember((*g)->id, (**someone).id, GroupRole::kMember, clock_.Now())
                  .ok());
  const std::string want = std::to_string(count + 1) + (count + 1 == 1 ? " member" : " members");
  std::string after_join = Get("/").body;
  size_t card = after_join.find("id=\"group-legislation-advocacy\"");
  ASSERT_NE(card, std::string::npos);
  std::string card_html = after_join.substr(card, after_join.find("</li>", card) - card);
  EXPECT_NE(card_html.find(want), std::string::npos) << card_html;
}

}  // namespace
}  // namespace rt::web
