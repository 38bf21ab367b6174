#ifndef RT_TESTS_POLICY_POLICY_TABLE_H_
#define RT_TESTS_POLICY_POLICY_TABLE_H_

// What the Guardian's table tests share: who asks, as one row's first
// columns, and the Actor it stands for.

#include "policy/guardian.h"

namespace rt::policy::testing {

struct Who {
  const char* name;
  bool signed_in;
  MembershipStanding::State standing;
  GroupRole role;
  bool admin;
};

inline Actor ActorFor(const Who& w) {
  Actor a;
  if (w.signed_in) a.account = AccountId{7};
  a.standing.state = w.standing;
  a.role = w.role;
  a.is_admin = w.admin;
  return a;
}

}  // namespace rt::policy::testing

#endif  // RT_TESTS_POLICY_POLICY_TABLE_H_
