#include "domain/groups/group.h"

namespace rt {

std::string_view ToString(JoinPolicy p) {
  switch (p) {
    case JoinPolicy::kMembersOnly: return "members_only";
    case JoinPolicy::kOpen: return "open";
    case JoinPolicy::kRequest: return "request";
    case JoinPolicy::kInvite: return "invite";
  }
  return "members_only";
}

std::optional<JoinPolicy> ParseJoinPolicy(std::string_view s) {
  if (s == "members_only") return JoinPolicy::kMembersOnly;
  if (s == "open") return JoinPolicy::kOpen;
  if (s == "request") return JoinPolicy::kRequest;
  if (s == "invite") return JoinPolicy::kInvite;
  return std::nullopt;
}

std::string_view ToString(ContentVisibility v) {
  return v == ContentVisibility::kPublic ? "public" : "members";
}

std::optional<ContentVisibility> ParseContentVisibility(std::string_view s) {
  if (s == "public") return ContentVisibility::kPublic;
  if (s == "members") return ContentVisibility::kMembers;
  return std::nullopt;
}

std::string_view ToString(Delivery d) {
  switch (d) {
    case Delivery::kRealtime: return "realtime";
    case Delivery::kDaily: return "daily";
    case Delivery::kWeekly: return "weekly";
    case Delivery::kNone: return "none";
  }
  return "daily";
}

std::optional<Delivery> ParseDelivery(std::string_view s) {
  if (s == "realtime") return Delivery::kRealtime;
  if (s == "daily") return Delivery::kDaily;
  if (s == "weekly") return Delivery::kWeekly;
  if (s == "none") return Delivery::kNone;
  return std::nullopt;
}

std::string_view ToString(GroupRole r) {
  switch (r) {
    case GroupRole::kNone: return "none";
    case GroupRole::kMember: return "member";
    case GroupRole::kModerator: return "moderator";
    case GroupRole::kLiaison: return "liaison";
  }
  return "none";
}

std::optional<GroupRole> ParseGroupRole(std::string_view s) {
  if (s == "member") return GroupRole::kMember;
  if (s == "moderator") return GroupRole::kModerator;
  if (s == "liaison") return GroupRole::kLiaison;
  return std::nullopt;
}

}  // namespace rt
