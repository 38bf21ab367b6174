#ifndef RT_CORE_IDS_H_
#define RT_CORE_IDS_H_

#include <cstdint>
#include <functional>

namespace rt {

// A database identifier that cannot be mixed up with another kind of id.
template <typename Tag>
struct Id {
  int64_t value = 0;
  constexpr bool valid() const { return value > 0; }
  friend constexpr bool operator==(Id a, Id b) { return a.value == b.value; }
  friend constexpr auto operator<=>(Id a, Id b) { return a.value <=> b.value; }
};

using AccountId = Id<struct AccountTag>;
using AssociationId = Id<struct AssociationTag>;
using GroupId = Id<struct GroupTag>;
using MembershipId = Id<struct MembershipTag>;
using ThreadId = Id<struct ThreadTag>;
using PostId = Id<struct PostTag>;
using ConversationId = Id<struct ConversationTag>;
using MessageId = Id<struct MessageTag>;
using NotificationId = Id<struct NotificationTag>;

}  // namespace rt

template <typename Tag>
struct std::hash<rt::Id<Tag>> {
  size_t operator()(rt::Id<Tag> id) const noexcept {
    return std::hash<int64_t>()(id.value);
  }
};

#endif  // RT_CORE_IDS_H_
