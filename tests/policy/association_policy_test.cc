// CanManageAssociation as a table: who may change the association's own
// settings (such as when digests go out). A role in some group, or an active
// membership, gives no say over the association.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "policy/guardian.h"
#include "policy/policy_table.h"

namespace rt::policy {
namespace {

namespace r = reason;
using State = MembershipStanding::State;

struct Row {
  testing::Who who;
  bool allowed;
  std::string_view reason;
};

TEST(AssociationPolicyTest, OnlyAdminsManageTheAssociationAndOthersDoNotSeeIt) {
  const std::vector<Row> rows = {
      {{"visitor", false, State::kNone, GroupRole::kNone, false},
       false,
       r::kNotSignedIn},
      // Hidden from everyone signed in who may not change it.
      {{"account", true, State::kNone, GroupRole::kNone, false},
       false,
       r::kNotFound},
      {{"assoc member", true, State::kActive, GroupRole::kNone, false},
       false,
       r::kNotFound},
      {{"lapsed member", true, State::kExpired, GroupRole::kMember, false},
       false,
       r::kNotFound},
      {{"moderator", true, State::kActive, GroupRole::kModerator, false},
       false,
       r::kNotFound},
      {{"liaison", true, State::kActive, GroupRole::kLiaison, false},
       false,
       r::kNotFound},
      // Admins, whatever their own membership or role in a group.
      {{"admin", true, State::kNone, GroupRole::kNone, true}, true, r::kOk},
      {{"lapsed admin", true, State::kExpired, GroupRole::kNone, true},
       true,
       r::kOk},
      {{"admin liaison", true, State::kActive, GroupRole::kLiaison, true},
       true,
       r::kOk},
  };
  for (const Row& row : rows) {
    Decision d = CanManageAssociation(testing::ActorFor(row.who));
    EXPECT_EQ(d.allowed, row.allowed) << row.who.name;
    EXPECT_EQ(d.reason, row.reason) << row.who.name;
  }
}

}  // namespace
}  // namespace rt::policy
