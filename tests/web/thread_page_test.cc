// The thread page through WebApp::Handle on a real SQLite file. Posts are
// rendered once per version of their thread and shared by every viewer
// (pages_discussions.cc, content_cache.h): each viewer must still get their
// own controls, and every write must show on the next view.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/accounts.h"
#include "app/demo.h"
#include "app/discussions.h"
#include "app/groups.h"
#include "support/app_fixture.h"
#include "web/web_app.h"

namespace rt::web {
namespace {

using app::Viewer;

class ThreadPageTest : public testing::AppTest {
 protected:
  ThreadPageTest() : app_(ctx_, WebOptions{}) {
    EXPECT_TRUE(app::DemoSeeder(ctx_).Seed().ok());
    ana_ = As("active@demo.roundtable.test");
    grant_ = As("grace@demo.roundtable.test");
    lena_ = As("liaison@demo.roundtable.test");
    EXPECT_TRUE(groups_.Join(ana_, "data-measurement").ok());
    EXPECT_TRUE(groups_.Join(grant_, "data-measurement").ok());
    auto c = discussions_.StartThread(ana_, "data-measurement",
                                      {"question", "Which counter?", "Door *counters*?", ""},
                                      PostVia::kWeb, "");
    EXPECT_TRUE(c.ok());
    thread_ = c->thread;
    opening_ = c->post;
    auto r = discussions_.Reply(grant_, thread_, "The blue one.", PostId{}, PostVia::kWeb, "");
    EXPECT_TRUE(r.ok());
    reply_ = r->post;
  }


  // The thread page as the owner of `email` sees it with a cookie session
  std::string Page(const std::string& email) {
    return Get("/threads/" + std::to_string(thread_.value), email);
  }
  std::string Get(const std::string& path, const std::string& email) {
    http::Request req;
    req.method = "GET";
    req.target = req.path = path;
    req.remote_ip = "127.0.0.1";
    if (!email.empty()) {
      auto s = accounts_.SignIn(email, app::DemoSeeder::kPassword);
      EXPECT_TRUE(s.ok());
      req.headers.emplace_back("cookie", "rt_session=" + s->token);
    }
    http::Response r = app_.Handle(req);
    EXPECT_EQ(r.status, 200);
    return r.body;
  }

  static bool Has(const std::string& body, const std::string& what) {
    return body.find(what) != std::string::npos;
  }
  std::string EditLink(PostId p) const { return "/posts/" + std::to_string(p.value) + "/edit\""; }
  std::string RemoveLink(PostId p) const {
    return "/posts/" + std::to_string(p.value) + "/delete\"";
  }
  std::string AcceptButton() const {
    return "action=\"/threads/" + std::to_string(thread_.value) + "/answer\"";
  }

  WebApp app_;
  app::AccountsService accounts_{ctx_};
  app::GroupsService groups_{ctx_};
  app::DiscussionsService discussions_{ctx_};
  Viewer ana_, grant_, lena_;
  ThreadId thread_;
  PostId opening_, reply_;
};

TEST_F(ThreadPageTest, EachViewerGetsTheirOwnControlsOnSharedPosts) {
  // Warm the shared copies as the moderator first: none of their controls
  // may leak into a member's page.
  std::string first = Page("liaison@demo.roundtable.test");
  EXPECT_TRUE(Has(first, RemoveLink(reply_)));

  std::string ana = Page("active@demo.roundtable.test");  // the asker
  EXPECT_TRUE(Has(ana, EditLink(opening_)));
  EXPECT_FALSE(Has(ana, EditLink(reply_)));
  EXPECT_TRUE(Has(ana, AcceptButton()));
  EXPECT_TRUE(Has(ana, "Reply privately"));
  EXPECT_FALSE(Has(ana, RemoveLink(reply_)));

  std::string grant = Page("grace@demo.roundtable.test");  // the replier
  EXPECT_FALSE(Has(grant, EditLink(opening_)));
  EXPECT_TRUE(Has(grant, EditLink(reply_)));
  EXPECT_FALSE(Has(grant, AcceptButton()));
  EXPECT_TRUE(Has(grant, "Reply privately"));

  std::string lena = Page("liaison@demo.roundtable.test");  // a moderator
  EXPECT_TRUE(Has(lena, RemoveLink(opening_)));
  EXPECT_TRUE(Has(lena, RemoveLink(reply_)));

  // Each page carries its own viewer's CSRF token, never another's.
  auto token_of = [](const std::string& body) {
    std::string mark = "name=\"csrf_token\" value=\"";
    size_t at = body.find(mark);
    return at == std::string::npos ? std::string()
                                   : body.substr(at + mark.size(), body.find('"', at + mark.size()) -
                                                                       at - mark.size());
  };
  EXPECT_NE(token_of(ana), token_of(grant));
}

// The actions of each post are kept per combination of the viewer's rights;
// their buttons submit the page's one post-action form. Every form must
// carry this viewer's token, and two viewers with the same rights must not
// share one.
TEST_F(ThreadPageTest, EveryFormCarriesTheViewersOwnToken) {
  auto tokens_of = [](const std::string& body) {
    std::vector<std::string> out;
    const std::string mark = "name=\"csrf_token\" value=\"";
    for (size_t at = body.find(mark); at != std::string::npos; at = body.find(mark, at + 1)) {
      size_t start = at + mark.size();
      out.push_back(body.substr(start, body.find('"', start) - start));
    }
    return out;
  };
  std::string first = Page("grace@demo.roundtable.test");
  std::string second = Page("grace@demo.roundtable.test");  // new session, same rights
  std::vector<std::string> a = tokens_of(first), b = tokens_of(second);
  ASSERT_GE(a.size(), 3u);  // recommend, page forms, reply form
  ASSERT_EQ(a.size(), b.size());
  for (const std::string& t : a) EXPECT_EQ(t, a[0]);
  for (const std::string& t : b) EXPECT_EQ(t, b[0]);
  EXPECT_NE(a[0], b[0]);
  EXPECT_FALSE(a[0].empty());

  EXPECT_TRUE(Has(first, "<form id=\"post-action\" method=\"post\""));
  // Templates lose their indentation when loaded, and a post's optional
  // parts leave no empty lines behind.
  EXPECT_FALSE(Has(first, "\n "));
  EXPECT_FALSE(Has(first, "</a>\n\n"));
  EXPECT_TRUE(Has(first, "form=\"post-action\" formaction=\"/posts/" + std::to_string(opening_.value) +
                             "/recommend\""));
}

TEST_F(ThreadPageTest, EveryWriteShowsOnTheNextView) {
  const std::string reader = "liaison@demo.roundtable.test";
  ASSERT_TRUE(Has(Page(reader), "The blue one."));
  ASSERT_TRUE(Has(Page(reader), "The blue one."));  // served from the copies

  ASSERT_TRUE(discussions_.EditPost(grant_, reply_, "The red one.").ok());
  std::string body = Page(reader);
  EXPECT_TRUE(Has(body, "The red one."));
  EXPECT_FALSE(Has(body, "The blue one."));
  EXPECT_TRUE(Has(body, "/revisions\">edited</a>"));

  ASSERT_TRUE(discussions_.Recommend(ana_, reply_, true).ok());
  EXPECT_TRUE(Has(Page(reader), "1 recommended"));
  // The recommender sees Undo; others still see Recommend on the same post.
  EXPECT_TRUE(Has(Page("active@demo.roundtable.test"), "Undo recommendation"));
  EXPECT_FALSE(Has(Page(reader), "Undo recommendation"));

  ASSERT_TRUE(discussions_.AcceptAnswer(ana_, thread_, reply_).ok());
  body = Page(reader);
  EXPECT_TRUE(Has(body, "id=\"answer-" + std::to_string(reply_.value) + "\""));
  EXPECT_TRUE(Has(body, "Accepted answer</span>"));

  ASSERT_TRUE(discussions_.SetPinned(lena_, thread_, true).ok());
  EXPECT_TRUE(Has(Page(reader), "<span class=\"badge\">Pinned</span>"));

  Profile p;
  p.name = "Grant Renamed";
  p.job_title = "Chief Counter";
  ASSERT_TRUE(accounts_.UpdateProfile(grant_.account->id, p).ok());
  body = Page(reader);
  EXPECT_TRUE(Has(body, "Grant Renamed"));
  EXPECT_TRUE(Has(body, "Chief Counter"));

  ASSERT_TRUE(discussions_.DeletePost(lena_, reply_).ok());
  body = Page(reader);
  EXPECT_TRUE(Has(body, "This post was removed."));
  EXPECT_FALSE(Has(body, "The red one."));
}

// Rows of the group's thread list are kept rendered (RowCache): every change
// to what a row shows must show on the next view.
TEST_F(ThreadPageTest, ThreadListRowsFollowEveryChange) {
  const std::string reader = "liaison@demo.roundtable.test";
  const std::string list = "/groups/data-measurement";
  std::string body = Get(list, reader);
  ASSERT_TRUE(Has(body, "Which counter?"));
  ASSERT_TRUE(Has(body, "1 reply"));
  ASSERT_TRUE(Has(Get(list, reader), "1 reply"));  // served from the kept row

  ASSERT_TRUE(discussions_.Reply(ana_, thread_, "Thanks!", PostId{}, PostVia::kWeb, "").ok());
  EXPECT_TRUE(Has(Get(list, reader), "2 replies"));
  ASSERT_TRUE(discussions_.SetPinned(lena_, thread_, true).ok());
  EXPECT_TRUE(Has(Get(list, reader), "<span class=\"badge\">Pinned</span>"));
  ASSERT_TRUE(discussions_.AcceptAnswer(ana_, thread_, reply_).ok());
  body = Get(list, reader);
  EXPECT_TRUE(Has(body, "<span class=\"badge\">Answered</span>"));
  EXPECT_FALSE(Has(body, "Unanswered</span>"));
  Profile p;
  p.name = "Ana Renamed";
  ASSERT_TRUE(accounts_.UpdateProfile(ana_.account->id, p).ok());
  body = Get(list, reader);
  EXPECT_TRUE(Has(body, "by Ana Renamed"));
  // The relative time is spliced into each row, never the hole marker.
  EXPECT_TRUE(Has(body, "ago</time>") || Has(body, "just now</time>"));
  EXPECT_FALSE(Has(body, "\x01"));
}

}  // namespace
}  // namespace rt::web
