#ifndef RT_DOMAIN_DISCUSSIONS_EMAIL_SWITCHES_H_
#define RT_DOMAIN_DISCUSSIONS_EMAIL_SWITCHES_H_

#include <array>
#include <optional>
#include <string_view>

#include "domain/discussions/conversation.h"

namespace rt {

// Every kind of in-app notification, in the order settings show them.
inline constexpr std::array<NotificationKind, 6> kNotificationKinds = {
    NotificationKind::kReply,          NotificationKind::kAnswerAccepted,
    NotificationKind::kPrivateMessage, NotificationKind::kMention,
    NotificationKind::kFeedback,       NotificationKind::kCheckin};

// The kind named by ToString(kind) ("reply", "answer_accepted",
// "private_message", "mention", "feedback", "checkin"); nullopt for anything else.
std::optional<NotificationKind> NotificationKindNamed(std::string_view name);

// Whether each kind of in-app notification is also sent by email, for one
// account. Every kind is on until the person turns it off: these are things
// said to them personally, which they would expect to hear about.
class EmailSwitches {
 public:
  bool enabled(NotificationKind k) const { return on_[Index(k)]; }
  void set(NotificationKind k, bool on) { on_[Index(k)] = on; }
  bool operator==(const EmailSwitches&) const = default;

 private:
  static size_t Index(NotificationKind k) { return static_cast<size_t>(k); }
  std::array<bool, kNotificationKinds.size()> on_ = {true, true, true, true, true, true};
};

}  // namespace rt

#endif  // RT_DOMAIN_DISCUSSIONS_EMAIL_SWITCHES_H_
