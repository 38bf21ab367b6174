#ifndef RT_DOMAIN_GROUPS_GROUP_H_
#define RT_DOMAIN_GROUPS_GROUP_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/ids.h"

namespace rt {

// Who may join a group.
enum class JoinPolicy {
  kMembersOnly,  // an active association membership is required
  kOpen,         // any signed-in account
  kRequest,      // a liaison approves requests
  kInvite,       // by invitation only
};
std::string_view ToString(JoinPolicy p);
std::optional<JoinPolicy> ParseJoinPolicy(std::string_view s);

// Who may read a group's discussions.
enum class ContentVisibility { kPublic, kMembers };
std::string_view ToString(ContentVisibility v);
std::optional<ContentVisibility> ParseContentVisibility(std::string_view s);

// How a member hears by email about new threads and replies in one group.
// Each membership has one; a group's default is what joining sets.
enum class Delivery {
  kRealtime,  // an email for every new thread and reply
  kDaily,     // one digest a day, across all daily groups
  kWeekly,    // one digest a week
  kNone,      // no email; the member reads on the site
};
std::string_view ToString(Delivery d);
std::optional<Delivery> ParseDelivery(std::string_view s);

struct Group {
  GroupId id;
  AssociationId association_id;
  std::string slug;
  std::string name;
  std::string summary;      // one or two sentences for the groups page
  std::string description;  // longer text for the group's own page
  JoinPolicy join_policy = JoinPolicy::kMembersOnly;
  ContentVisibility visibility = ContentVisibility::kMembers;
  bool listed = true;  // unlisted groups are seen only by their members and staff
  int position = 0;    // order on the groups page
  // What joining sets a member's delivery to. Daily, not real-time: a busy
  // group in real time floods a new member's inbox on their first day, and
  // a digest still tells them everything; members who want each post choose
  // real-time.
  Delivery default_delivery = Delivery::kDaily;
};

// A person's role in one group. kNone means not a member.
enum class GroupRole { kNone, kMember, kModerator, kLiaison };
std::string_view ToString(GroupRole r);
std::optional<GroupRole> ParseGroupRole(std::string_view s);

struct GroupMember {
  GroupId group_id;
  AccountId account_id;
  GroupRole role = GroupRole::kMember;
  TimePoint joined_at;
};

}  // namespace rt

#endif  // RT_DOMAIN_GROUPS_GROUP_H_
