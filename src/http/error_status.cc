#include "http/error_status.h"

namespace rt::http {

int StatusFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidInput: return 400;
    case ErrorKind::kUnauthenticated: return 401;
    case ErrorKind::kForbidden: return 403;
    case ErrorKind::kNotFound: return 404;
    case ErrorKind::kConflict: return 409;
    case ErrorKind::kGone: return 410;
    case ErrorKind::kTooLarge: return 413;
    case ErrorKind::kUnsupportedType: return 415;
    case ErrorKind::kRuleBroken: return 422;
    case ErrorKind::kRateLimited: return 429;
    case ErrorKind::kUnavailable: return 503;
    case ErrorKind::kInternal: return 500;
  }
  return 500;
}

std::string JsonQuote(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      // '<' and '>' are escaped so the JSON can never close a <script> tag
      // when embedded in HTML.
      case '<': out += "\\u003c"; break;
      case '>': out += "\\u003e"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
  return out;
}

namespace {

Response JsonError(int status, std::string_view code, std::string_view message,
                   std::string_view field) {
  Response r;
  r.status = status;
  r.body = "{\"error\":{\"code\":" + JsonQuote(code) +
           ",\"message\":" + JsonQuote(message);
  if (!field.empty()) r.body += ",\"field\":" + JsonQuote(field);
  r.body += "}}";
  r.SetHeader("Content-Type", "application/json; charset=utf-8");
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

}  // namespace

Response ErrorResponse(const Error& error) {
  Response r = JsonError(StatusFor(error.kind), error.code, error.message,
                         error.field);
  if (error.retry_after_seconds > 0) {
    r.SetHeader("Retry-After", std::to_string(error.retry_after_seconds));
  }
  return r;
}

Response ErrorResponse(int status, std::string_view code,
                       std::string_view message) {
  return JsonError(status, code, message, {});
}

}  // namespace rt::http
