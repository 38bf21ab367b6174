#ifndef RT_HTTP_ERROR_STATUS_H_
#define RT_HTTP_ERROR_STATUS_H_

#include <string>
#include <string_view>

#include "core/result.h"
#include "http/message.h"

namespace rt::http {

// The single HTTP status for each error kind (400 for kInvalidInput, ...).
int StatusFor(ErrorKind kind);

// A JSON error response {"error":{"code":...,"message":...}} (plus "field"
// when the error names one) with the status of `error.kind` and a
// Retry-After header when error.retry_after_seconds > 0.
Response ErrorResponse(const Error& error);

// Shorthand for ErrorResponse with an explicit status, used by the server for
// protocol errors that have no ErrorKind (405, 414, 431).
Response ErrorResponse(int status, std::string_view code,
                       std::string_view message);

// `s` as a JSON string literal, quotes included. Invalid UTF-8 is passed
// through; control characters are escaped.
std::string JsonQuote(std::string_view s);

}  // namespace rt::http

#endif  // RT_HTTP_ERROR_STATUS_H_
