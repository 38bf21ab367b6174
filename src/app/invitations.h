#ifndef RT_APP_INVITATIONS_H_
#define RT_APP_INVITATIONS_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/groups.h"
#include "core/config.h"
#include "domain/invitations/invitation.h"
#include "mail/outgoing.h"
#include "store/store.h"

// Invitations (issue 6, points 5 and 6). A member who may invite
// (policy::CanInvite) mails up to kMaxInviteesPerRequest colleagues at once;
// each gets a link /invitations/TOKEN that works once, for their address,
// for kInvitationLifetime. The link's page explains the next step (sign in
// or register with that address; join; or what the group requires), and
// accepting joins through GroupsService::Join, so the group's rules decide:
// an invitation to a members-only group waits until the person's
// association membership is recorded (`roundtable members import`).
// Opening the link (GET) records only that it was opened.
namespace rt::app {

// What happened to one address of an Invite request.
struct InviteResult {
  std::string email;  // normalised
  bool invited = false;
  // Why it was skipped: "duplicate" (listed twice), "already_member",
  // "already_invited" (an invitation to it is pending); "" when invited.
  std::string reason;
  std::string message;  // plain words for the reason
};

// What the invite form shows.
struct InviteForm {
  std::string group_slug;
  std::string group_name;
  std::string requirement;  // DescribeRequirement
  int remaining_today = 0;
};

struct InviteOutcome {
  std::string group_slug;
  std::string group_name;
  std::vector<InviteResult> results;  // in the order given
  int invited = 0;
  int remaining_today = 0;  // how many more the inviter may send today
};

// The next step the link's page offers its viewer.
enum class InvitationNext {
  kSignIn,         // signed out: sign in or register with the invited address
  kAccept,         // may join now: the page's button accepts
  kNotYet,         // signed in with the address, but the group's rules refuse
  kAlreadyMember,  // in the group already; accepting just closes the link
};

// What the link's page (and GET /api/v1/invitations/{token}) shows.
struct InvitationLink {
  store::InvitationView view;
  InvitationState state = InvitationState::kSent;
  std::string group_summary;
  JoinPolicy join_policy = JoinPolicy::kMembersOnly;
  // Who may join the group, in plain words ("This group is for PLA
  // members with a current membership.").
  std::string requirement;
  InvitationNext next = InvitationNext::kSignIn;
  std::string reason;            // the refusal's code when next is kNotYet
  std::string message;           // its plain words, with the way forward
  std::string association_name;  // "PLA"
  // Where to join or renew the association, when that is the way forward.
  std::string join_url;
};

struct AcceptOutcome {
  bool joined_now = false;  // false when they were in the group already
  std::string group_slug;
  std::string group_name;
};

// An invitation to the viewer's own (verified) address, on their list.
struct InvitationToMe {
  store::InvitationView view;
  bool can_join_now = false;
  std::string message;  // why not yet, when can_join_now is false
};

struct InvitationsPage {
  std::vector<store::InvitationView> sent;  // newest first
  InvitationId next_before;                 // valid when there are older ones
  std::vector<InvitationToMe> to_me;
  TimePoint now;  // the time states were computed at
};

// Everything an invitation mail says. Plain data, so composing is pure.
struct InvitationMailFacts {
  MailSettings settings;         // domain, base_url, from_address
  std::string site_name;         // "PLA Interest Groups"
  std::string association_name;  // "PLA"
  std::string inviter_name;
  std::string group_name;
  std::string group_summary;
  std::string requirement;  // InvitationLink::requirement
  std::string note;
  std::string email;  // the invited address
  std::string token;  // the link's secret
  TimePoint created_at;
  TimePoint expires_at;
};

// The invitation mail: From "Inviter via Site" <from_address>, To the
// invited address, Subject "Inviter invites you to join Group", a fresh
// Message-ID, Auto-Submitted: auto-generated, and text and HTML parts
// (templates/mail/invitation_*.mustache) saying who invites, to which group,
// what the group requires, the note, the link and its expiry. No
// List-Unsubscribe: it is a one-off message from a person, not a list.
// Names are made one line before they reach a header. Errors:
// mail::NewMessageId's.
Result<mail::OutgoingMessage> ComposeInvitationMail(
    const InvitationMailFacts& f);

// Plain words for who may join `group`.
std::string DescribeRequirement(const Group& group,
                                const Association& association);

// Invitation use cases. Thread-safe.
class InvitationsService {
 public:
  explicit InvitationsService(const AppContext& ctx) : ctx_(ctx) {}

  // The invite form of the group, for someone who may invite there.
  // Errors: as Invite's permission checks.
  Result<InviteForm> Form(const Viewer& viewer, const std::string& slug);

  // Invites `emails` to the group with an optional `note`, all or nothing:
  // each address gets an invitation row and a queued mail in one
  // transaction, or none does. Addresses already in the group, already
  // invited (pending) or repeated are skipped with a reason.
  // Errors: the group's (kNotFound "group_not_found"); kUnauthenticated
  // "not_signed_in"; CanInvite's refusals (kForbidden "not_group_member",
  // "membership_expired", "not_staff" ...); kInvalidInput "no_invitees"
  // (field emails), "invalid_email" (field emails, naming the address),
  // the note's (ValidateInvitationNote); kRuleBroken "too_many_invitees"
  // (more than kMaxInviteesPerRequest) or "daily_limit_reached" (the
  // invitations to send would pass kMaxInvitationsPerDay in 24 hours).
  Result<InviteOutcome> Invite(const Viewer& viewer, const std::string& slug,
                               const std::vector<std::string>& emails,
                               const std::string& note);

  // The link's page: checks the token, records the first opening, and
  // works out the viewer's next step. Errors: kNotFound
  // "invitation_not_found"; kGone "invitation_used", "invitation_expired",
  // or "invitation_wrong_address" (signed in with another address).
  Result<InvitationLink> Open(const Viewer& viewer, const std::string& token);

  // Accepts: in one transaction, proves the invited address (an unverified
  // account with that address becomes verified and its association
  // memberships attach, since only its mailbox had the link), then joins
  // the group through GroupsService::Join and marks the invitation used.
  // When the group's rules refuse, the invitation stays pending (the
  // address stays verified) and the refusal is returned. Errors: Open's;
  // kUnauthenticated "not_signed_in"; Join's refusals (e.g. kForbidden
  // "membership_required" with the way forward).
  Result<AcceptOutcome> Accept(const Viewer& viewer, const std::string& token);

  // Open and Accept for an invitation on the viewer's list ("invitations to
  // you"), by its id instead of the link's token, which is kept only as a
  // hash. Only the invitee may: signed in with the invited address,
  // verified (what following the link would prove). Errors: as Open's and
  // Accept's, but kNotFound "invitation_not_found" for anyone else
  // (hidden, not refused).
  Result<InvitationLink> OpenMine(const Viewer& viewer, InvitationId id);
  Result<AcceptOutcome> AcceptMine(const Viewer& viewer, InvitationId id);

  // The viewer's sent invitations, kPageSize a page, older than `before`
  // (from the newest when invalid), and the pending invitations to their
  // verified address. Errors: kUnauthenticated "not_signed_in".
  Result<InvitationsPage> Mine(const Viewer& viewer, InvitationId before);

  static constexpr int kPageSize = 20;
  static constexpr int kMaxToMe = 20;

 private:
  // Finds the invitation to act on, inside the caller's transaction.
  using FindInvitation =
      std::function<Result<store::InvitationView>(store::Store& db, TimePoint now)>;
  // What Open shows of the usable invitation `v` (recording its opening).
  Result<InvitationLink> Describe(store::Store& db, const Viewer& viewer, store::InvitationView v,
                                  TimePoint now);
  Result<AcceptOutcome> AcceptFound(const Viewer& viewer, const FindInvitation& find);

  const AppContext& ctx_;
};

}  // namespace rt::app

#endif  // RT_APP_INVITATIONS_H_
