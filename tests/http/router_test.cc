#include "http/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace rt::http {
namespace {

// Each handler answers with its name so tests can see which route ran.
RouteHandler Named(std::string name) {
  return [name](Request& req) {
    Response r;
    r.body = name;
    for (const auto& [k, v] : req.params) r.body += " " + k + "=" + v;
    return r;
  };
}

Router MakeRouter() {
  Router r;
  r.Add("GET", "/", Named("home"));
  r.Add("GET", "/groups", Named("groups"));
  r.Add("POST", "/groups", Named("create"));
  r.Add("GET", "/groups/{slug}", Named("group"));
  r.Add("GET", "/groups/new", Named("new-form"));  // added later, still wins
  r.Add("DELETE", "/groups/{slug}", Named("delete"));
  r.Add("GET", "/api/v1/groups/{slug}/members", Named("members"));
  r.Add("GET", "/api/v1/groups/{slug}/members/{id}", Named("member"));
  r.Add("HEAD", "/ping", Named("ping-head"));
  r.Add("GET", "/ping", Named("ping-get"));
  return r;
}

TEST(RouterTest, Dispatch) {
  const Router router = MakeRouter();
  struct Case {
    const char* method;
    const char* path;
    const char* want;  // body, or "404"
  } cases[] = {
      {"GET", "/", "home"},
      {"GET", "/groups", "groups"},
      {"POST", "/groups", "create"},
      {"GET", "/groups/data-club", "group slug=data-club"},
      {"GET", "/groups/new", "new-form"},
      {"DELETE", "/groups/new", "delete slug=new"},
      {"GET", "/groups/caf%C3%A9%2Fx", "group slug=caf\xC3\xA9/x"},
      {"GET", "/groups/a+b", "group slug=a+b"},
      {"GET", "/api/v1/groups/x/members", "members slug=x"},
      {"GET", "/api/v1/groups/x/members/7", "member slug=x id=7"},
      {"HEAD", "/groups/x", "group slug=x"},
      {"HEAD", "/ping", "ping-head"},
      {"GET", "/ping", "ping-get"},
      {"GET", "/groups/", "404"},
      {"GET", "/groups//members", "404"},
      {"GET", "/api/v1/groups//members", "404"},
      {"GET", "/Groups", "404"},
      {"GET", "/groups/x/y", "404"},
      {"GET", "", "404"},
      {"GET", "*", "404"},
      {"GET", "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z/1/2/3/4/5/6/7",
       "404"},
  };
  for (const auto& c : cases) {
    Request req;
    req.method = c.method;
    req.path = c.path;
    std::optional<Response> resp = router.Dispatch(req);
    if (std::string_view(c.want) == "404") {
      EXPECT_FALSE(resp.has_value()) << c.method << " " << c.path;
    } else {
      ASSERT_TRUE(resp.has_value()) << c.method << " " << c.path;
      EXPECT_EQ(resp->status, 200);
      EXPECT_EQ(resp->body, c.want) << c.method << " " << c.path;
    }
  }
}

TEST(RouterTest, MethodNotAllowed) {
  const Router router = MakeRouter();
  struct Case {
    const char* method;
    const char* path;
    const char* allow;
  } cases[] = {
      {"PUT", "/groups", "GET, HEAD, POST"},
      {"POST", "/groups/x", "DELETE, GET, HEAD"},
      // Both /groups/new and /groups/{slug} match; Allow is their union.
      {"PATCH", "/groups/new", "DELETE, GET, HEAD"},
      {"POST", "/", "GET, HEAD"},
  };
  for (const auto& c : cases) {
    Request req;
    req.method = c.method;
    req.path = c.path;
    std::optional<Response> resp = router.Dispatch(req);
    ASSERT_TRUE(resp.has_value()) << c.method << " " << c.path;
    EXPECT_EQ(resp->status, 405);
    EXPECT_EQ(resp->GetHeader("allow"), c.allow) << c.method << " " << c.path;
    EXPECT_NE(resp->body.find("method_not_allowed"), std::string::npos);
  }
}

TEST(RouterTest, ReplacesHandlerAndClearsParams) {
  Router router;
  router.Add("GET", "/x/{id}", Named("old"));
  router.Add("GET", "/x/{id}", Named("new"));
  router.Add("GET", "/x/{other}", Named("shadowed"));  // added later: loses
  router.Add("PUT", "/x/{other}", Named("put"));
  Request req;
  req.method = "GET";
  req.path = "/x/5";
  req.params = {{"stale", "1"}};
  auto resp = router.Dispatch(req);
  ASSERT_TRUE(resp.has_value());
  EXPECT_EQ(resp->body, "new id=5");
  req.method = "PUT";
  resp = router.Dispatch(req);
  ASSERT_TRUE(resp.has_value());
  EXPECT_EQ(resp->body, "put other=5");
}

TEST(RouterTest, RejectsBadPatterns) {
  Router router;
  EXPECT_THROW(router.Add("GET", "groups", Named("x")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "", Named("x")), std::invalid_argument);
}

}  // namespace
}  // namespace rt::http
