#ifndef RT_POLICY_GUARDIAN_H_
#define RT_POLICY_GUARDIAN_H_

#include <string_view>

#include "core/ids.h"
#include "domain/discussions/thread.h"
#include "domain/groups/group.h"
#include "domain/members/membership.h"

// The Guardian: every "may this person do this?" of Roundtable is answered
// here and nowhere else. Each function is pure (no I/O), thread-safe, and
// returns a Decision whose reason says why, so the caller can tell the person
// in plain words what to do next.
namespace rt::policy {

// Stable reason codes; they appear in the JSON API.
namespace reason {
inline constexpr std::string_view kOk = "ok";
inline constexpr std::string_view kAlreadyMember = "already_member";
inline constexpr std::string_view kNotSignedIn = "not_signed_in";
inline constexpr std::string_view kMembershipRequired = "membership_required";
inline constexpr std::string_view kMembershipExpired = "membership_expired";
inline constexpr std::string_view kEmailUnverified = "email_unverified";
inline constexpr std::string_view kNotGroupMember = "not_group_member";
inline constexpr std::string_view kNotFound = "not_found";
inline constexpr std::string_view kApprovalRequired = "approval_required";
inline constexpr std::string_view kInvitationRequired = "invitation_required";
inline constexpr std::string_view kLiaisonCannotLeave = "liaison_cannot_leave";
inline constexpr std::string_view kThreadLocked = "thread_locked";
inline constexpr std::string_view kNotModerator = "not_moderator";
inline constexpr std::string_view kNotAuthor = "not_author";
inline constexpr std::string_view kNotAQuestion = "not_a_question";
inline constexpr std::string_view kNotTheAsker = "not_the_asker";
inline constexpr std::string_view kOwnPost = "own_post";
inline constexpr std::string_view kNotAReply = "not_a_reply";
inline constexpr std::string_view kNotStaff = "not_staff";
// Resources (issue 6).
inline constexpr std::string_view kOwnResource = "own_resource";
inline constexpr std::string_view kNotSharer = "not_sharer";
}  // namespace reason

// Who is asking, as far as one group is concerned.
struct Actor {
  AccountId account;        // invalid for a visitor
  bool is_admin = false;    // association staff with admin rights
  MembershipStanding standing;  // with the group's association
  GroupRole role = GroupRole::kNone;  // in the group being decided on
  // Whether the account's address is verified. Memberships attach only to
  // verified addresses, so an unverified account has no standing yet: it is
  // told to confirm its address rather than to join the association.
  bool email_verified = true;
  // Whether they hold a valid invitation to the group being decided on
  // (app/invitations.h). It opens only groups that take members by
  // invitation or request: an invitation never lifts a membership rule.
  bool holds_invitation = false;

  bool signed_in() const { return account.valid(); }
  bool in_group() const { return role != GroupRole::kNone; }
  bool is_staff_of_group() const { return is_admin || role == GroupRole::kLiaison; }
};

struct Decision {
  bool allowed = false;
  std::string_view reason = reason::kOk;
};

// May the actor know the group exists? Listed groups are public; unlisted
// ones exist only for their members and admins (others get not_found).
Decision CanSeeGroup(const Actor& actor, const Group& group);

// May the actor join? Joining again when already in is allowed with reason
// already_member, so that join is idempotent. Members-only groups refuse an
// account without an active membership: email_unverified while its address
// is unverified, else membership_required or membership_expired.
Decision CanJoinGroup(const Actor& actor, const Group& group);

// May the actor invite colleagues to the group by email? Its staff (liaison,
// association admin), and its members while they may post there
// (CanPost's reasons: a lapsed member of a members-only group is refused
// with membership_expired). Groups that take members only by request or
// invitation hear only from their staff (not_staff for members), since
// there an invitation is what lets a person in. Visitors: not_signed_in;
// non-members: not_group_member.
Decision CanInvite(const Actor& actor, const Group& group);

// May the actor leave? The group's liaison may not (an admin reassigns them).
Decision CanLeaveGroup(const Actor& actor, const Group& group);

// May the actor see who is in the group? Its members and admins may.
Decision CanSeeMembers(const Actor& actor, const Group& group);

// May the actor read the group's threads and posts? Public content is open
// to everyone; members-only content exists only for members and admins
// (not_found for everyone else, so that not even counts leak).
Decision CanReadContent(const Actor& actor, const Group& group);

// May the actor start threads, reply and recommend? Needs group membership
// and, in members-only groups, an active association membership (staff of
// the group excepted). A lapsed member can still read.
Decision CanPost(const Actor& actor, const Group& group);

// May the actor pin, lock and moderate? Moderators, liaisons and admins.
Decision CanModerate(const Actor& actor, const Group& group);

// May the actor reply in this thread? CanPost, and the thread is not
// locked (moderators may still reply to locked threads).
Decision CanReply(const Actor& actor, const Group& group, const Thread& thread);

// May the actor edit this post? Only its author, while they may post.
Decision CanEditPost(const Actor& actor, const Group& group, const Post& post);

// May the actor delete this post? Its author (while they may read) or a
// moderator.
Decision CanDeletePost(const Actor& actor, const Group& group, const Post& post);

// May the actor accept `post` as the answer to `thread`? The asker or a
// moderator, on a question, for a visible reply in that thread.
Decision CanAcceptAnswer(const Actor& actor, const Group& group, const Thread& thread,
                         const Post& post);

// May the actor recommend this post? Anyone who may post, not their own.
Decision CanRecommend(const Actor& actor, const Group& group, const Post& post);

// May the actor filter stories by reuse consent? Staff of the group.
Decision CanFilterByConsent(const Actor& actor, const Group& group);

// May the actor change the group's settings, such as how new members get
// its mail (Group::default_delivery)? Its staff (liaison or association
// admin); everyone else who can see the group: not_signed_in / not_staff.
Decision CanManageGroup(const Actor& actor, const Group& group);

// May the actor change the association's own settings, such as when
// digests go out (store::DigestSchedule)? Association admins only. Visitors
// get not_signed_in; everyone else signed in gets not_found, since the
// association's settings are hidden from those who may not change them.
Decision CanManageAssociation(const Actor& actor);

// May the actor follow threads of the group? Signed in and able to read.
Decision CanFollow(const Actor& actor, const Group& group);

// May the actor choose how they hear from the group by email? Only its
// members: the setting belongs to their membership. Visitors and admins
// outside the group are refused (not_signed_in / not_group_member); a lapsed
// member may still choose, since sending re-checks what they may read.
Decision CanChooseDelivery(const Actor& actor, const Group& group);

// Why a mail about a post would go to someone.
enum class PostMail {
  kGroupDelivery,  // their delivery in the group is real-time
  kNotification,   // a reply to them, a mention, an accepted answer
};

// May the actor get mail about the group's posts, now (checked when the mail
// is composed and again when it is sent)? They must be able to read the
// content; group-delivery mail also needs membership of the group
// (not_group_member: they left). In members-only groups a lapsed or absent
// association membership stops all post mail (membership_expired /
// membership_required), the group's liaison and admins excepted: mail
// would keep a lapsed member in the group's conversation after the
// association let them go, and they can still read on the site.
Decision CanReceivePostMail(const Actor& actor, const Group& group, PostMail why);

// May the account read a private conversation between `a` and `b`? Only its
// two participants; for everyone else it does not exist.
Decision CanReadConversation(AccountId viewer, AccountId a, AccountId b);

// Feedback to the group's staff liaison (issue 6).
//
// May the actor send feedback to the group's staff? Its members, whatever
// their standing (a lapsed member's "why I did not renew" is feedback the
// staff want), and not visitors (not_signed_in) or accounts outside the
// group (not_group_member: they join first, which an open group allows at
// once). The feedback goes to the group's own staff, so it is for the
// people the group serves.
Decision CanSendFeedback(const Actor& actor, const Group& group);

// May the actor see feedback by `author` to the group? Only its author, the
// group's liaisons and association admins. Everyone else signed in is told
// it does not exist (not_found); visitors are asked to sign in
// (not_signed_in), whatever the id, so that nothing leaks either way.
Decision CanSeeFeedback(const Actor& actor, const Group& group, AccountId author);

// May the actor see every member's feedback to the group (the inbox), and
// change its status, hand it to another liaison, and publish a "you said,
// we did" summary? The group's staff (liaison or admin); others who can
// see the group: not_signed_in / not_staff (they see their own only).
Decision CanManageFeedback(const Actor& actor, const Group& group);

// May the actor change the author's choices on feedback they can see
// (whether a summary may name them)? Only the author (not_author).
Decision CanChangeFeedbackConsent(const Actor& actor, const Group& group, AccountId author);

// --- Outcomes: whether a group helps its members (issue 7) -------------

// May the actor see the group's outcome results, engagement figures and
// dashboard (and export them)? The group's staff: its liaisons and
// association admins. Others who can see the group are refused plainly
// (not_signed_in / not_staff: the dashboard's existence is no secret);
// those who cannot see the group are told it does not exist (not_found).
Decision CanSeeGroupOutcomes(const Actor& actor, const Group& group);

// May the actor answer (or skip) the group's outcome check-in, and be
// offered it? Its members and moderators: the check-in asks whether the
// group helps them. Everyone else, its liaisons included (staff measure the
// group; they are not asked about it), is told there is nothing there
// (not_found), as the API promises for check-ins of groups one is not in;
// visitors are asked to sign in (not_signed_in) where the group is public.
Decision CanCheckIn(const Actor& actor, const Group& group);

// --- Resources: a group's library (issue 6) --------------------------------

// May the actor see the group's library, a resource's page and download its
// file? Exactly who may read the group's content (CanReadContent): hidden
// (not_found) for everyone else. Checked on every download.
Decision CanSeeResources(const Actor& actor, const Group& group);

// May the actor share a file or a link? Whoever may post (CanPost).
Decision CanShareResource(const Actor& actor, const Group& group);

// May the actor recommend a resource `shared_by` shared? Whoever may post,
// not the person who shared it (own_resource).
Decision CanRecommendResource(const Actor& actor, const Group& group, AccountId shared_by);

// May the actor confirm that a resource is still good (its "last checked"
// date)? The group's staff, as CanManageGroup; others who can read it are
// refused with not_signed_in / not_staff.
Decision CanConfirmResource(const Actor& actor, const Group& group);

// May the actor remove a resource? The person who shared it (while they can
// read the group) and the group's moderators and staff; others not_sharer.
Decision CanDeleteResource(const Actor& actor, const Group& group, AccountId shared_by);

}  // namespace rt::policy

#endif  // RT_POLICY_GUARDIAN_H_
