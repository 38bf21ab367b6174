#ifndef RT_CORE_RESULT_H_
#define RT_CORE_RESULT_H_

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace rt {

// The broad class of a failure. Each kind maps to exactly one HTTP status in
// src/http/error_status.cc; nothing else in the code base decides statuses.
enum class ErrorKind {
  kInvalidInput,      // 400: malformed or out-of-range input
  kUnauthenticated,   // 401: must sign in
  kForbidden,         // 403: signed in but not allowed (and not hidden)
  kNotFound,          // 404: missing or hidden from this actor
  kConflict,          // 409: clashes with existing state (duplicate email)
  kGone,              // 410: a link that worked once and no longer does
  kTooLarge,          // 413: body or field over its limit
  kUnsupportedType,   // 415: wrong content type
  kRuleBroken,        // 422: valid input that a business rule refuses
  kRateLimited,       // 429: slow down; retry_after_seconds is set
  kUnavailable,       // 503: database unavailable; retry_after_seconds set
  kInternal,          // 500: a bug
};

// A failure as a value. `code` is a stable snake_case identifier clients may
// switch on ("membership_expired"); `message` is plain words for a person;
// `field` names the offending input field when there is one.
struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string code;
  std::string message;
  std::string field;
  int retry_after_seconds = 0;
};

inline Error MakeError(ErrorKind kind, std::string code, std::string message,
                       std::string field = {}) {
  return Error{kind, std::move(code), std::move(message), std::move(field), 0};
}

// Either a T or an Error. Accessing the wrong alternative is a bug (asserts).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}            // NOLINT: implicit
  Result(Error error) : v_(std::move(error)) {}        // NOLINT: implicit

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(v_); }
  Error&& take_error() { assert(!ok()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

// Success or an Error, for operations that return nothing.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { assert(!ok_); return error_; }
  Error&& take_error() { assert(!ok_); return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

inline Status OkStatus() { return Status(); }

// The status of a Result, for callers that only need to know it worked.
template <typename T>
Status ToStatus(Result<T> r) {
  if (!r.ok()) return r.take_error();
  return OkStatus();
}

}  // namespace rt

// Returns the error of `expr` (a Status or Result) from the enclosing function.
#define RT_RETURN_IF_ERROR(expr)                       \
  do {                                                 \
    auto rt_status_ = (expr);                          \
    if (!rt_status_.ok()) return rt_status_.take_error(); \
  } while (0)

#define RT_CONCAT_INNER_(a, b) a##b
#define RT_CONCAT_(a, b) RT_CONCAT_INNER_(a, b)
// Declares `lhs` from the value of Result `expr`, or returns its error.
#define RT_ASSIGN_OR_RETURN(lhs, expr)                               \
  auto RT_CONCAT_(rt_result_, __LINE__) = (expr);                    \
  if (!RT_CONCAT_(rt_result_, __LINE__).ok())                        \
    return RT_CONCAT_(rt_result_, __LINE__).take_error();            \
  lhs = std::move(RT_CONCAT_(rt_result_, __LINE__)).value()

#endif  // RT_CORE_RESULT_H_
