#ifndef RT_DOMAIN_ACCOUNTS_ACCOUNT_H_
#define RT_DOMAIN_ACCOUNTS_ACCOUNT_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/ids.h"
#include "core/result.h"

namespace rt {

// A person who can sign in. Email is stored normalised (see NormalizeEmail).
struct Account {
  AccountId id;
  std::string email;
  std::string name;
  std::string job_title;
  std::string organisation;
  std::string location;  // city / region
  bool is_admin = false;
  TimePoint created_at;
  // Set while mail to this account is paused because its address was
  // refused for good (store::AccountRepository::PauseMail); the mail sender
  // skips the account until the member resumes it.
  std::optional<TimePoint> mail_paused_at;
  std::string mail_pause_reason;  // what the mail server said; "" if not paused

  bool mail_paused() const { return mail_paused_at.has_value(); }

  // Set once a link mailed to `email` was used (or an operator vouched for
  // it); memberships attach only to verified addresses.
  std::optional<TimePoint> email_verified_at;

  bool email_verified() const { return email_verified_at.has_value(); }
};

// The editable part of an account's profile.
struct Profile {
  std::string name;
  std::string job_title;
  std::string organisation;
  std::string location;
};

// Field limits, in Unicode code points.
inline constexpr size_t kMaxNameLength = 100;
inline constexpr size_t kMaxEmailLength = 254;
inline constexpr size_t kMaxProfileFieldLength = 120;
inline constexpr size_t kMinPasswordLength = 12;
inline constexpr size_t kMaxPasswordLength = 256;

// Trims and lower-cases an email address and checks its shape
// (local@domain.tld, no spaces or control characters, at most 254 bytes).
// Errors: kInvalidInput "invalid_email" naming field "email".
Result<std::string> NormalizeEmail(std::string_view email);

// Trims and checks a person's name: 1..100 code points, valid UTF-8, no
// control characters. Errors name field "name".
Result<std::string> ValidateName(std::string_view name);

// Checks a password: 12..256 code points of any Unicode, valid UTF-8, no NUL.
// Errors name field "password" (or `field` when given).
Status ValidatePassword(std::string_view password,
                        std::string_view field = "password");

// Validates and trims every profile field; name is required, the rest are
// optional up to 120 code points.
Result<Profile> ValidateProfile(const Profile& in);

}  // namespace rt

#endif  // RT_DOMAIN_ACCOUNTS_ACCOUNT_H_
