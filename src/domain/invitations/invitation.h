#ifndef RT_DOMAIN_INVITATIONS_INVITATION_H_
#define RT_DOMAIN_INVITATIONS_INVITATION_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/ids.h"
#include "core/result.h"

// Invitations (issue 6, point 5): a group member asks colleagues by email to
// join a group. The link carries a random token; only its hash is stored,
// and it works once, for the address it was sent to, until it expires.
namespace rt {

using InvitationId = Id<struct InvitationTag>;

// What the inviter sees of an invitation.
enum class InvitationState {
  kSent,    // mailed, link not opened yet
  kOpened,  // the link was opened; waiting for the person (or their membership)
  kJoined,  // accepted: the person is in the group
  kExpired,  // not accepted in time
};

// "sent", "opened", "joined", "expired": the API's form.
std::string_view ToString(InvitationState s);

// An invitation as stored.
struct Invitation {
  InvitationId id;
  std::string token_hash;  // crypto::HashToken of the secret in the link
  GroupId group;
  AccountId inviter;
  // The invited address (normalised): the only one that can accept.
  std::string email;
  std::string note;  // plain text from the inviter; may be empty
  TimePoint created_at;
  TimePoint expires_at;
  std::optional<TimePoint> opened_at;
  std::optional<TimePoint> accepted_at;
  AccountId accepted_by;  // invalid until accepted
};

// A joined invitation stays joined after its expiry.
InvitationState StateAt(const Invitation& inv, TimePoint now);

// At most this many addresses in one request.
inline constexpr int kMaxInviteesPerRequest = 20;
// At most this many invitations per inviter in any kInvitationCapWindow: a
// member's account cannot be used to flood strangers' mailboxes.
inline constexpr int kMaxInvitationsPerDay = 50;
inline constexpr std::chrono::hours kInvitationCapWindow{24};
// How long a link works.
inline constexpr std::chrono::hours kInvitationLifetime{14 * 24};
// The note's limit, in code points.
inline constexpr size_t kMaxInvitationNoteChars = 1000;

// Trims the note and checks it: valid UTF-8, at most kMaxInvitationNoteChars
// code points, no control characters but line breaks and tabs (CRLF becomes
// LF). Errors: kInvalidInput "note_too_long" / "invalid_note", field "note".
Result<std::string> ValidateInvitationNote(std::string_view note);

}  // namespace rt

#endif  // RT_DOMAIN_INVITATIONS_INVITATION_H_
