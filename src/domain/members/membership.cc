#include "domain/members/membership.h"

#include "core/text.h"

namespace rt {

std::string_view ToString(MembershipSource s) {
  return s == MembershipSource::kAdmin ? "admin" : "import";
}

std::optional<MembershipSource> ParseMembershipSource(std::string_view s) {
  if (s == "import") return MembershipSource::kImport;
  if (s == "admin") return MembershipSource::kAdmin;
  return std::nullopt;
}

MembershipStanding StandingOn(const std::optional<Membership>& m, int grace_days,
                              Date today) {
  MembershipStanding out;
  if (!m) return out;
  Date last_day = m->paid_through.AddDays(grace_days);
  if (today <= last_day) {
    out.state = MembershipStanding::State::kActive;
    out.active_until = last_day;
  } else {
    out.state = MembershipStanding::State::kExpired;
    out.ended_on = last_day;
  }
  return out;
}

Result<std::string> ValidateMemberType(std::string_view s) {
  std::string_view t = text::Trim(s);
  if (!text::IsValidUtf8(t) || text::HasControlChars(t, false)) {
    return MakeError(ErrorKind::kInvalidInput, "invalid_member_type",
                     "member type contains characters that are not allowed",
                     "member_type");
  }
  if (t.empty()) {
    return MakeError(ErrorKind::kInvalidInput, "invalid_member_type",
                     "member type is empty", "member_type");
  }
  if (text::CodePointCount(t) > kMaxMemberTypeLength) {
    return MakeError(ErrorKind::kInvalidInput, "invalid_member_type",
                     "member type is longer than 60 characters", "member_type");
  }
  return std::string(t);
}

}  // namespace rt
