#include "domain/discussions/conversation.h"

namespace rt {

std::string_view ToString(NotificationKind k) {
  switch (k) {
    case NotificationKind::kReply: return "reply";
    case NotificationKind::kAnswerAccepted: return "answer_accepted";
    case NotificationKind::kPrivateMessage: return "private_message";
    case NotificationKind::kMention: return "mention";
    case NotificationKind::kFeedback: return "feedback";
    case NotificationKind::kCheckin: return "checkin";
  }
  return "reply";
}

}  // namespace rt
