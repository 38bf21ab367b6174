#include "http/router.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string_view>

#include "core/text.h"
#include "http/error_status.h"

namespace rt::http {
namespace {

// Splits "/a/b/" into {"a", "b", ""} without allocating. Returns the number
// of segments, or SIZE_MAX when `path` does not start with '/' or has more
// than `out.size()` segments.
size_t SplitPath(std::string_view path,
                 std::array<std::string_view, Router::kMaxSegments>& out) {
  if (path.empty() || path.front() != '/') return SIZE_MAX;
  path.remove_prefix(1);
  size_t n = 0;
  while (true) {
    if (n == out.size()) return SIZE_MAX;
    size_t slash = path.find('/');
    out[n++] = path.substr(0, slash);
    if (slash == std::string_view::npos) return n;
    path.remove_prefix(slash + 1);
  }
}

}  // namespace

void Router::Add(std::string method, std::string pattern,
                 RouteHandler handler) {
  std::array<std::string_view, kMaxSegments> parts;
  size_t n = SplitPath(pattern, parts);
  if (n == SIZE_MAX) throw std::invalid_argument("bad route pattern: " + pattern);
  std::vector<Segment> segments;
  for (size_t i = 0; i < n; ++i) {
    std::string_view p = parts[i];
    bool is_param = p.size() > 2 && p.front() == '{' && p.back() == '}';
    if (is_param) p = p.substr(1, p.size() - 2);
    segments.push_back({std::string(p), is_param});
  }
  auto same = [&](const Route& r) {
    return std::equal(r.segments.begin(), r.segments.end(), segments.begin(),
                      segments.end(), [](const Segment& a, const Segment& b) {
                        return a.is_param == b.is_param && a.text == b.text;
                      });
  };
  auto it = std::find_if(routes_.begin(), routes_.end(), same);
  if (it == routes_.end()) {
    // Literal-before-parameter, compared segment by segment from the left.
    auto less_specific = [&](const Route& r) {
      for (size_t i = 0; i < std::min(r.segments.size(), segments.size()); ++i) {
        if (r.segments[i].is_param != segments[i].is_param) {
          return r.segments[i].is_param;
        }
      }
      return false;
    };
    auto pos = std::find_if(routes_.begin(), routes_.end(), less_specific);
    it = routes_.insert(pos, Route{std::move(segments), {}});
  }
  for (auto& [m, h] : it->methods) {
    if (m == method) {
      h = std::move(handler);
      return;
    }
  }
  it->methods.emplace_back(std::move(method), std::move(handler));
}

std::optional<Response> Router::Dispatch(Request& req) const {
  std::array<std::string_view, kMaxSegments> parts;
  const size_t n = SplitPath(req.path, parts);
  if (n == SIZE_MAX) return std::nullopt;

  auto matches = [&](const Route& r) {
    if (r.segments.size() != n) return false;
    for (size_t i = 0; i < n; ++i) {
      const Segment& s = r.segments[i];
      if (s.is_param ? parts[i].empty() : s.text != parts[i]) return false;
    }
    return true;
  };
  auto find_method = [](const Route& r, std::string_view method) {
    const RouteHandler* found = nullptr;
    for (const auto& [m, h] : r.methods) {
      if (m == method) return &h;
      if (method == "HEAD" && m == "GET") found = &h;
    }
    return found;
  };

  bool path_matched = false;
  for (const Route& r : routes_) {
    if (!matches(r)) continue;
    path_matched = true;
    const RouteHandler* h = find_method(r, req.method);
    if (h == nullptr) continue;
    req.params.clear();
    for (size_t i = 0; i < n; ++i) {
      if (r.segments[i].is_param) {
        req.params.emplace_back(r.segments[i].text,
                                text::PercentDecode(parts[i], false));
      }
    }
    return (*h)(req);
  }
  if (!path_matched) return std::nullopt;

  std::vector<std::string_view> allowed;
  for (const Route& r : routes_) {
    if (!matches(r)) continue;
    for (const auto& [m, h] : r.methods) {
      allowed.push_back(m);
      if (m == "GET") allowed.push_back("HEAD");
    }
  }
  std::sort(allowed.begin(), allowed.end());
  allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
  std::string allow;
  for (std::string_view m : allowed) {
    if (!allow.empty()) allow += ", ";
    allow += m;
  }
  Response r = ErrorResponse(405, "method_not_allowed",
                             "This address does not accept " + req.method + ".");
  r.SetHeader("Allow", std::move(allow));
  return r;
}

}  // namespace rt::http
