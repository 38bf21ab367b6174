#include "http/message.h"

#include <gtest/gtest.h>

#include "http/error_status.h"

namespace rt::http {
namespace {

Request WithHeader(std::string name, std::string value) {
  Request r;
  r.headers.emplace_back(std::move(name), std::move(value));
  return r;
}

TEST(MessageTest, CookieParsing) {
  struct Case {
    const char* header;
    const char* name;
    const char* want;
  } cases[] = {
      {"sid=abc", "sid", "abc"},
      {"a=1; sid=abc; b=2", "sid", "abc"},
      {"a=1;sid=abc", "sid", "abc"},
      {"  sid = abc  ", "sid", "abc"},
      {"sid=\"quoted\"", "sid", "quoted"},
      {"xsid=1; sidx=2", "sid", ""},
      {"a=1", "sid", ""},
      {"", "sid", ""},
      {"sid=", "sid", ""},
      {"sid=a=b", "sid", "a=b"},
      {"sid=first; sid=second", "sid", "first"},
      {";;sid=x;", "sid", "x"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(WithHeader("cookie", c.header).Cookie(c.name), c.want)
        << "header: " << c.header;
  }
  Request none;
  EXPECT_EQ(none.Cookie("sid"), "");
}

TEST(MessageTest, QueryParam) {
  struct Case {
    const char* query;
    const char* name;
    const char* want;
  } cases[] = {
      {"a=1&b=2", "b", "2"},
      {"a=1&b=2", "c", ""},
      {"q=hello+world", "q", "hello world"},
      {"q=caf%C3%A9", "q", "caf\xC3\xA9"},
      {"q=a%26b", "q", "a&b"},
      {"my%20key=v", "my key", "v"},
      {"flag", "flag", ""},
      {"a=1&a=2", "a", "1"},
      {"", "a", ""},
      {"&&a=1&", "a", "1"},
      {"q=100%", "q", "100%"},
  };
  for (const auto& c : cases) {
    Request r;
    r.query = c.query;
    EXPECT_EQ(r.QueryParam(c.name), c.want) << "query: " << c.query;
  }
}

TEST(MessageTest, ParseForm) {
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(ParseForm(""), Pairs{});
  EXPECT_EQ(ParseForm("a=1&b=two"), (Pairs{{"a", "1"}, {"b", "two"}}));
  EXPECT_EQ(ParseForm("name=Ada+Lovelace&x=%2B%26%3D"),
            (Pairs{{"name", "Ada Lovelace"}, {"x", "+&="}}));
  EXPECT_EQ(ParseForm("b=2&a=1&b=3"), (Pairs{{"b", "2"}, {"a", "1"}, {"b", "3"}}));
  EXPECT_EQ(ParseForm("empty=&flag&&"), (Pairs{{"empty", ""}, {"flag", ""}}));
  EXPECT_EQ(ParseForm("t=line1%0D%0Aline2"), (Pairs{{"t", "line1\r\nline2"}}));
}

TEST(MessageTest, ContentType) {
  struct Case {
    const char* header;
    const char* want;
  } cases[] = {
      {"application/json", "application/json"},
      {"application/json; charset=utf-8", "application/json"},
      {"Application/X-WWW-Form-Urlencoded;charset=UTF-8",
       "application/x-www-form-urlencoded"},
      {"  text/html ; q=1", "text/html"},
      {"multipart/form-data; boundary=x;y", "multipart/form-data"},
      {"", ""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(WithHeader("content-type", c.header).ContentType(), c.want)
        << "header: " << c.header;
  }
  EXPECT_EQ(Request().ContentType(), "");
}

TEST(MessageTest, HeaderAndParam) {
  Request r;
  r.headers = {{"host", "example.org"}, {"accept", "a"}, {"accept", "b"}};
  r.params = {{"slug", "data-club"}};
  EXPECT_EQ(r.Header("host"), "example.org");
  EXPECT_EQ(r.Header("accept"), "a");
  EXPECT_EQ(r.Header("missing"), "");
  EXPECT_EQ(r.Param("slug"), "data-club");
  EXPECT_EQ(r.Param("id"), "");
}

TEST(MessageTest, ResponseHeaders) {
  Response r;
  r.SetHeader("Content-Type", "text/plain");
  r.SetHeader("content-type", "text/html");
  EXPECT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.GetHeader("CONTENT-TYPE"), "text/html");
  r.AddHeader("Set-Cookie", "a=1");
  r.AddHeader("Set-Cookie", "b=2");
  EXPECT_EQ(r.headers.size(), 3u);
  EXPECT_EQ(r.GetHeader("set-cookie"), "a=1");
  r.SetHeader("Set-Cookie", "c=3");  // replaces both
  EXPECT_EQ(r.headers.size(), 2u);
  EXPECT_EQ(r.GetHeader("set-cookie"), "c=3");
  EXPECT_EQ(r.GetHeader("missing"), "");
}

TEST(MessageTest, StatusText) {
  EXPECT_EQ(StatusText(200), "OK");
  EXPECT_EQ(StatusText(404), "Not Found");
  EXPECT_EQ(StatusText(431), "Request Header Fields Too Large");
  EXPECT_EQ(StatusText(299), "Unknown");
}

TEST(ErrorStatusTest, StatusFor) {
  struct Case {
    ErrorKind kind;
    int status;
  } cases[] = {
      {ErrorKind::kInvalidInput, 400},    {ErrorKind::kUnauthenticated, 401},
      {ErrorKind::kForbidden, 403},       {ErrorKind::kNotFound, 404},
      {ErrorKind::kConflict, 409},        {ErrorKind::kTooLarge, 413},
      {ErrorKind::kUnsupportedType, 415}, {ErrorKind::kRuleBroken, 422},
      {ErrorKind::kRateLimited, 429},     {ErrorKind::kUnavailable, 503},
      {ErrorKind::kInternal, 500},
  };
  for (const auto& c : cases) EXPECT_EQ(StatusFor(c.kind), c.status);
}

TEST(ErrorStatusTest, ErrorResponse) {
  Error e = MakeError(ErrorKind::kRateLimited, "too_many_attempts",
                      "Wait \"a bit\"\n\\ then <retry>\x01");
  e.retry_after_seconds = 30;
  Response r = ErrorResponse(e);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.GetHeader("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(r.GetHeader("retry-after"), "30");
  EXPECT_EQ(r.body,
            R"({"error":{"code":"too_many_attempts","message":)"
            R"("Wait \"a bit\"\n\\ then \u003cretry\u003e\u0001"}})");

  Response f = ErrorResponse(
      MakeError(ErrorKind::kInvalidInput, "too_long", "Too long.", "name"));
  EXPECT_EQ(f.status, 400);
  EXPECT_EQ(f.GetHeader("retry-after"), "");
  EXPECT_EQ(f.body,
            R"({"error":{"code":"too_long","message":"Too long.","field":"name"}})");
}

}  // namespace
}  // namespace rt::http
