#ifndef RT_APP_GROUP_ACCESS_H_
#define RT_APP_GROUP_ACCESS_H_

#include <string>

#include "app/context.h"
#include "policy/guardian.h"
#include "store/store.h"

namespace rt::app {

// A group with everything the Guardian needs to decide about one viewer:
// loaded in a fixed number of queries by every use case that acts in a group.
struct GroupAccess {
  Association association;
  MembershipStanding standing;
  policy::Actor actor;
  store::GroupListing listing;
  const Group& group() const { return listing.group; }
};

// Loads the group `slug` for `viewer`; `invited`: the viewer holds an
// invitation to it (policy::Actor::holds_invitation), which shows it even
// when unlisted. Errors: kNotFound "group_not_found" when it does not exist
// or the viewer may not know it exists.
Result<GroupAccess> LoadGroupAccess(const AppContext& ctx, store::Store& db, const Viewer& viewer,
                                    const std::string& slug, bool invited = false);

// The viewer's standing with the association (kNone for visitors).
Result<MembershipStanding> StandingOf(store::Store& db, const Association& assoc,
                                      const Viewer& viewer, Date today);

policy::Actor MakeActor(const Viewer& viewer, const MembershipStanding& standing, GroupRole role);

Error GroupNotFound();

// The error a refusal becomes, with plain words and the way forward. The
// kind follows the reason (not_found → 404, not_signed_in → 401, rules →
// 422, the rest → 403).
Error RefusalError(std::string_view reason, const Association& association,
                   const MembershipStanding& standing);

// Plain words for a refusal reason.
std::string ExplainRefusal(std::string_view reason, const Association& association,
                           const MembershipStanding& standing);

}  // namespace rt::app

#endif  // RT_APP_GROUP_ACCESS_H_
