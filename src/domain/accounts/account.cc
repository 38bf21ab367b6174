#include "domain/accounts/account.h"

#include "core/text.h"

namespace rt {

namespace {

Error FieldError(std::string code, std::string message, std::string field) {
  return MakeError(ErrorKind::kInvalidInput, std::move(code), std::move(message),
                   std::move(field));
}

// Trims `value` and checks it is valid single-line text of at most `max` code
// points. `label` is how the field is called in messages.
Result<std::string> CleanLine(std::string_view value, std::string_view field,
                              std::string_view label, size_t max, bool required) {
  if (!text::IsValidUtf8(value)) {
    return FieldError("invalid_utf8", std::string(label) + " is not valid text.",
                      std::string(field));
  }
  if (text::HasControlChars(value, false)) {
    return FieldError("invalid_characters",
                      std::string(label) + " contains characters that are not allowed.",
                      std::string(field));
  }
  std::string_view t = text::Trim(value);
  if (required && t.empty()) {
    return FieldError("required", "Enter your " + text::ToLowerAscii(label) + ".",
                      std::string(field));
  }
  if (text::CodePointCount(t) > max) {
    return FieldError("too_long",
                      std::string(label) + " must be " + std::to_string(max) +
                          " characters or fewer.",
                      std::string(field));
  }
  return std::string(t);
}

}  // namespace

Result<std::string> NormalizeEmail(std::string_view email) {
  if (!text::IsValidUtf8(email) || text::HasControlChars(email, false)) {
    return FieldError("invalid_email", "Enter a valid email address, like name@example.org.",
                      "email");
  }
  std::string e = text::ToLowerAscii(text::Trim(email));
  if (e.empty()) return FieldError("required", "Enter your email address.", "email");
  if (e.size() > kMaxEmailLength) {
    return FieldError("too_long", "Email address must be 254 characters or fewer.", "email");
  }
  size_t at = e.find('@');
  bool ok = at != std::string::npos && at > 0 && at == e.rfind('@') &&
            e.find(' ') == std::string::npos;
  if (ok) {
    std::string_view domain = std::string_view(e).substr(at + 1);
    size_t dot = domain.find('.');
    ok = !domain.empty() && dot != std::string::npos && dot > 0 &&
         domain.back() != '.' && domain.find("..") == std::string::npos;
  }
  if (!ok) {
    return FieldError("invalid_email", "Enter a valid email address, like name@example.org.",
                      "email");
  }
  return e;
}

Result<std::string> ValidateName(std::string_view name) {
  return CleanLine(name, "name", "Name", kMaxNameLength, true);
}

Status ValidatePassword(std::string_view password, std::string_view field) {
  if (!text::IsValidUtf8(password) || password.find('\0') != std::string_view::npos) {
    return FieldError("invalid_password", "Password contains characters that are not allowed.",
                      std::string(field));
  }
  size_t n = text::CodePointCount(password);
  if (n < kMinPasswordLength) {
    return FieldError("password_too_short", "Password must be at least 12 characters.",
                      std::string(field));
  }
  if (n > kMaxPasswordLength) {
    return FieldError("password_too_long", "Password must be 256 characters or fewer.",
                      std::string(field));
  }
  return OkStatus();
}

Result<Profile> ValidateProfile(const Profile& in) {
  Profile out;
  RT_ASSIGN_OR_RETURN(out.name, ValidateName(in.name));
  RT_ASSIGN_OR_RETURN(out.job_title, CleanLine(in.job_title, "job_title", "Job title",
                                               kMaxProfileFieldLength, false));
  RT_ASSIGN_OR_RETURN(out.organisation,
                      CleanLine(in.organisation, "organisation", "Library or organisation",
                                kMaxProfileFieldLength, false));
  RT_ASSIGN_OR_RETURN(out.location, CleanLine(in.location, "location", "City or region",
                                              kMaxProfileFieldLength, false));
  return out;
}

}  // namespace rt
