#ifndef RT_DOMAIN_MEMBERS_MEMBERSHIP_H_
#define RT_DOMAIN_MEMBERS_MEMBERSHIP_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/ids.h"
#include "core/result.h"

namespace rt {

struct Association {
  AssociationId id;
  std::string slug;
  std::string name;
  std::string short_name;  // "PLA"
  std::string join_url;    // where people join or renew the association
  int grace_days = 0;      // a membership stays active this long after paid-through
};

enum class MembershipSource { kImport, kAdmin };
std::string_view ToString(MembershipSource s);
std::optional<MembershipSource> ParseMembershipSource(std::string_view s);

// An association membership. It is recorded against an email address and
// attached to the account with that address once there is one.
struct Membership {
  MembershipId id;
  AssociationId association_id;
  std::string email;
  AccountId account_id;  // invalid (0) until an account has this email
  std::string member_type;
  Date paid_through;
  MembershipSource source = MembershipSource::kImport;
};

// Where a person stands with an association on a given day.
struct MembershipStanding {
  enum class State { kNone, kActive, kExpired };
  State state = State::kNone;
  Date ended_on;  // for kExpired: the last day it was active (paid-through + grace)
  Date active_until;  // for kActive: the last day it stays active
};

// A membership is active through paid_through + grace_days inclusive.
MembershipStanding StandingOn(const std::optional<Membership>& m, int grace_days,
                              Date today);

// Limits of a member type label.
inline constexpr size_t kMaxMemberTypeLength = 60;

// Validates a member type: 1..60 code points, printable, trimmed.
Result<std::string> ValidateMemberType(std::string_view s);

}  // namespace rt

#endif  // RT_DOMAIN_MEMBERS_MEMBERSHIP_H_
