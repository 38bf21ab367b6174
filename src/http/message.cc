#include "http/message.h"

#include "core/text.h"

namespace rt::http {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Calls fn(name, value) for each `sep`-separated "name=value" item of `s`,
// undecoded; stops early when fn returns true.
template <typename Fn>
void ForEachPair(std::string_view s, char sep, Fn fn) {
  while (!s.empty()) {
    size_t end = s.find(sep);
    std::string_view item = s.substr(0, end);
    s = end == std::string_view::npos ? std::string_view() : s.substr(end + 1);
    if (item.empty()) continue;
    size_t eq = item.find('=');
    std::string_view name = item.substr(0, eq);
    std::string_view value =
        eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
    if (fn(name, value)) return;
  }
}

}  // namespace

std::string_view Request::Header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return {};
}

std::string Request::Cookie(std::string_view name) const {
  // Several Cookie headers are possible over HTTP/2 proxies; check them all.
  for (const auto& [header, value] : headers) {
    if (header != "cookie") continue;
    std::string found;
    bool hit = false;
    ForEachPair(value, ';', [&](std::string_view n, std::string_view v) {
      if (text::Trim(n) != name) return false;
      v = text::Trim(v);
      // RFC 6265 allows the value to be wrapped in double quotes.
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
        v = v.substr(1, v.size() - 2);
      }
      found = v;
      hit = true;
      return true;
    });
    if (hit) return found;
  }
  return {};
}

std::string Request::QueryParam(std::string_view name) const {
  std::string found;
  ForEachPair(query, '&', [&](std::string_view n, std::string_view v) {
    if (text::PercentDecode(n, true) != name) return false;
    found = text::PercentDecode(v, true);
    return true;
  });
  return found;
}

std::string_view Request::Param(std::string_view name) const {
  for (const auto& [n, v] : params) {
    if (n == name) return v;
  }
  return {};
}

std::string Request::ContentType() const {
  std::string_view v = Header("content-type");
  return text::ToLowerAscii(text::Trim(v.substr(0, v.find(';'))));
}

void Response::SetHeader(std::string name, std::string value) {
  bool replaced = false;
  for (auto it = headers.begin(); it != headers.end();) {
    if (!EqualsIgnoreCase(it->first, name)) {
      ++it;
    } else if (!replaced) {
      it->second = std::move(value);
      replaced = true;
      ++it;
    } else {
      it = headers.erase(it);
    }
  }
  if (!replaced) headers.emplace_back(std::move(name), std::move(value));
}

void Response::AddHeader(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
}

std::string_view Response::GetHeader(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (EqualsIgnoreCase(n, name)) return v;
  }
  return {};
}

std::vector<std::pair<std::string, std::string>> ParseForm(std::string_view s) {
  std::vector<std::pair<std::string, std::string>> out;
  ForEachPair(s, '&', [&](std::string_view n, std::string_view v) {
    out.emplace_back(text::PercentDecode(n, true), text::PercentDecode(v, true));
    return false;
  });
  return out;
}

std::string_view StatusText(int status) {
  switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

}  // namespace rt::http
