#include "domain/invitations/invitation.h"

#include "core/text.h"
#include "domain/accounts/account_token.h"

namespace rt {

std::string_view ToString(InvitationState s) {
  switch (s) {
    case InvitationState::kSent:
      return "sent";
    case InvitationState::kOpened:
      return "opened";
    case InvitationState::kJoined:
      return "joined";
    case InvitationState::kExpired:
      return "expired";
  }
  return "sent";
}

InvitationState StateAt(const Invitation& inv, TimePoint now) {
  // The same rule as account links: used wins over expired.
  switch (LinkStateAt(inv.accepted_at, inv.expires_at, now)) {
    case TokenState::kUsed:
      return InvitationState::kJoined;
    case TokenState::kExpired:
      return InvitationState::kExpired;
    case TokenState::kUsable:
      break;
  }
  return inv.opened_at ? InvitationState::kOpened : InvitationState::kSent;
}

Result<std::string> ValidateInvitationNote(std::string_view note) {
  std::string out;
  out.reserve(note.size());
  std::string_view t = text::Trim(note);
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '\r') {
      if (i + 1 < t.size() && t[i + 1] == '\n') continue;
      out += '\n';
    } else {
      out += t[i];
    }
  }
  if (!text::IsValidUtf8(out) ||
      text::HasControlChars(out, /*allow_newlines=*/true)) {
    return MakeError(ErrorKind::kInvalidInput, "invalid_note",
                     "The note can hold only plain text.", "note");
  }
  if (text::CodePointCount(out) > kMaxInvitationNoteChars) {
    return MakeError(ErrorKind::kInvalidInput, "note_too_long",
                     "Keep the note to " +
                         std::to_string(kMaxInvitationNoteChars) +
                         " characters or fewer.",
                     "note");
  }
  return out;
}

}  // namespace rt
