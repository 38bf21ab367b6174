#ifndef RT_HTTP_MESSAGE_H_
#define RT_HTTP_MESSAGE_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rt::http {

// An HTTP request as handlers see it, independent of the server library so
// that only src/http/server.cc compiles Boost.Beast.
struct Request {
  std::string method;        // "GET", "POST", ... as sent
  std::string target;        // raw request target, "/groups?x=1"
  std::string path;          // target before '?', still percent-encoded
  std::string query;         // target after '?', without it
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
  // For upload routes (ServerOptions::uploads) a multipart body is not in
  // `body` but in this file, which the server deletes once the handler has
  // returned. "" otherwise.
  std::string body_file;
  std::string remote_ip;
  // Path parameters captured by the router ({slug} -> "data-measurement"),
  // already percent-decoded.
  std::vector<std::pair<std::string, std::string>> params;

  // The first header called `lower_name`, or "" when absent.
  std::string_view Header(std::string_view lower_name) const;
  // The value of cookie `name` from the Cookie header, or "".
  std::string Cookie(std::string_view name) const;
  // The decoded query parameter `name`, or "".
  std::string QueryParam(std::string_view name) const;
  // The path parameter `name`, or "".
  std::string_view Param(std::string_view name) const;
  // The media type of the body without parameters, lower-case
  // ("application/json").
  std::string ContentType() const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // When set, the body is this file's content instead (sent from disk,
  // never read into memory); `body` is then ignored. A file that cannot be
  // opened turns the response into a 404.
  std::string body_file;

  // Replaces any header called `name` (case-insensitive).
  void SetHeader(std::string name, std::string value);
  // Adds a header, keeping others of the same name (Set-Cookie).
  void AddHeader(std::string name, std::string value);
  std::string_view GetHeader(std::string_view name) const;
};

// Parses "a=1&b=two" (application/x-www-form-urlencoded). Order is kept;
// names and values are decoded.
std::vector<std::pair<std::string, std::string>> ParseForm(std::string_view s);

// The reason phrase for a status code ("Not Found").
std::string_view StatusText(int status);

}  // namespace rt::http

#endif  // RT_HTTP_MESSAGE_H_
