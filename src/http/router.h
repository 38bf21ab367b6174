#ifndef RT_HTTP_ROUTER_H_
#define RT_HTTP_ROUTER_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/message.h"

namespace rt::http {

// Same signature as Handler in server.h; spelled out so that routing does not
// depend on the server.
using RouteHandler = std::function<Response(Request&)>;

// Maps (method, path) to handlers by whole path segments. Add routes during
// setup only; afterwards Dispatch may run concurrently from any thread.
class Router {
 public:
  // `pattern` is like "/api/v1/groups/{slug}/members": literal segments match
  // exactly (still percent-encoded), {name} matches one non-empty segment and
  // is captured percent-decoded into Request::params. When several patterns
  // match a path, the one with literal segments further left wins, e.g.
  // "/groups/new" beats "/groups/{slug}"; among equals, the one added first.
  // Adding the same method and pattern again replaces the handler. Throws
  // std::invalid_argument for a pattern that does not start with '/' or has
  // more than kMaxSegments segments.
  void Add(std::string method, std::string pattern, RouteHandler handler);

  // Sets req.params and returns the matching handler's response. nullopt when
  // no pattern matches the path (the caller renders 404); a 405 JSON error
  // with an Allow header when patterns match but not the method. HEAD is
  // served by GET routes unless a HEAD route exists.
  std::optional<Response> Dispatch(Request& req) const;

  static constexpr size_t kMaxSegments = 32;

 private:
  struct Segment {
    std::string text;  // literal text, or the parameter name
    bool is_param;
  };
  struct Route {
    std::vector<Segment> segments;
    std::vector<std::pair<std::string, RouteHandler>> methods;
  };
  std::vector<Route> routes_;  // most specific first
};

}  // namespace rt::http

#endif  // RT_HTTP_ROUTER_H_
