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
