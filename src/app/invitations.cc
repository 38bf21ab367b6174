#include "app/invitations.h"

#include <kainjow/mustache.hpp>

#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "app/group_access.h"
#include "app/mail_queue.h"
#include "app/mail_text.h"
#include "core/crypto.h"
#include "core/text.h"
#include "mail/address.h"

namespace rt::app {

namespace km = kainjow::mustache;
namespace r = policy::reason;

namespace {

std::string OrgName(const Association& a) {
  return a.short_name.empty() ? a.name : a.short_name;
}

Error NotSignedIn() {
  return MakeError(ErrorKind::kUnauthenticated, "not_signed_in",
                   "Sign in to use this invitation.");
}

Error InvitationNotFound() {
  return MakeError(
      ErrorKind::kNotFound, "invitation_not_found",
      "This invitation link is not valid. Check that you copied all of it from "
      "the email.");
}

// `v` while it can still be accepted; the 404 and 410 errors of Open
// otherwise.
Result<store::InvitationView> Usable(std::optional<store::InvitationView> v, TimePoint now) {
  if (!v) return InvitationNotFound();
  switch (StateAt(v->invitation, now)) {
    case InvitationState::kJoined:
      return MakeError(
          ErrorKind::kGone, "invitation_used",
          "This invitation to " + v->group_name +
              " has been used already. If you accepted it, the group is on "
              "your groups page. Otherwise ask " +
              v->inviter_name + " to invite you again.");
    case InvitationState::kExpired:
      return MakeError(ErrorKind::kGone, "invitation_expired",
                       "This invitation to " + v->group_name + " expired on " +
                           Date::FromTime(v->invitation.expires_at).Long() +
                           ". Ask " + v->inviter_name +
                           " or another member to invite you again.");
    case InvitationState::kSent:
    case InvitationState::kOpened:
      break;
  }
  return *std::move(v);
}

// The stored invitation behind `token` while it can still be accepted.
Result<store::InvitationView> UsableInvitation(store::Store& db, const std::string& token,
                                               TimePoint now) {
  // Tokens are 43 characters; anything far off is not one of ours.
  if (token.empty() || token.size() > 128) return InvitationNotFound();
  RT_ASSIGN_OR_RETURN(std::optional<store::InvitationView> v,
                      db.invitations().FindByTokenHash(crypto::HashToken(token)));
  return Usable(std::move(v), now);
}

// Invitation `id` for its invitee, signed in with the invited address
// verified (which is what the link would prove), while it can still be
// accepted. Anyone else is told there is no such invitation.
Result<store::InvitationView> UsableInvitationOf(store::Store& db, const Viewer& viewer,
                                                 InvitationId id, TimePoint now) {
  if (!viewer.account) return NotSignedIn();
  RT_ASSIGN_OR_RETURN(std::optional<store::InvitationView> v, db.invitations().FindById(id));
  if (!v || !viewer.account->email_verified() || v->invitation.email != viewer.account->email) {
    return InvitationNotFound();
  }
  return Usable(std::move(v), now);
}

Error WrongAddress(const store::InvitationView& v, const Account& a) {
  return MakeError(ErrorKind::kGone, "invitation_wrong_address",
                   "This invitation was sent to " + v.invitation.email +
                       ", but you are signed in as " + a.email +
                       ". Sign out, then sign in or create an account with " +
                       v.invitation.email + " to use it.");
}

// The viewer's standing as the invitation sees it: the link proves the
// invited address, so an unverified account with that address is judged by
// the membership recorded for the address, as it will be once accepting
// verifies it.
Result<MembershipStanding> ProspectStanding(const AppContext& ctx,
                                            store::Store& db,
                                            const Association& assoc,
                                            const Account& account) {
  if (account.email_verified())
    return StandingOf(db, assoc, Viewer{account}, ctx.clock->Today());
  RT_ASSIGN_OR_RETURN(std::optional<Membership> m,
                      db.memberships().FindByEmail(assoc.id, account.email));
  return StandingOn(m, assoc.grace_days, ctx.clock->Today());
}

struct Prospect {
  InvitationNext next = InvitationNext::kAccept;
  std::string reason;
  std::string message;
};

// What the account may do with an invitation to `group`: the Guardian's
// join decision, with the invitation in hand.
Result<Prospect> ProspectOf(const AppContext& ctx, store::Store& db,
                            const Association& assoc, const Account& account,
                            const Group& group) {
  RT_ASSIGN_OR_RETURN(GroupRole role, db.groups().RoleOf(group.id, account.id));
  RT_ASSIGN_OR_RETURN(MembershipStanding standing,
                      ProspectStanding(ctx, db, assoc, account));
  policy::Actor actor = MakeActor(Viewer{account}, standing, role);
  actor.email_verified = true;
  actor.holds_invitation = true;
  policy::Decision d = policy::CanJoinGroup(actor, group);
  Prospect p;
  if (d.allowed) {
    p.next = d.reason == r::kAlreadyMember ? InvitationNext::kAlreadyMember
                                           : InvitationNext::kAccept;
    return p;
  }
  p.next = InvitationNext::kNotYet;
  p.reason = std::string(d.reason);
  p.message = ExplainRefusal(d.reason, assoc, standing);
  return p;
}

// Splits, trims, lower-cases and checks the addresses; the first bad one
// fails the whole request, so that nothing is sent until the list is right.
Result<std::vector<std::string>> NormalizeInvitees(
    const std::vector<std::string>& emails) {
  std::vector<std::string> out;
  for (const std::string& raw : emails) {
    if (text::Trim(raw).empty()) continue;
    if (out.size() >= static_cast<size_t>(kMaxInviteesPerRequest)) {
      return MakeError(ErrorKind::kRuleBroken, "too_many_invitees",
                       "Invite at most " +
                           std::to_string(kMaxInviteesPerRequest) +
                           " people at a time.",
                       "emails");
    }
    std::string shown(text::Trim(raw).substr(0, 100));
    auto normalized = NormalizeEmail(raw);
    if (!normalized.ok() ||
        !mail::ValidateAddress(*normalized, "emails").ok()) {
      return MakeError(
          ErrorKind::kInvalidInput, "invalid_email",
          "\"" + shown +
              "\" is not an email address we can send to. Correct it "
              "or take it out.",
          "emails");
    }
    out.push_back(*std::move(normalized));
  }
  if (out.empty()) {
    return MakeError(
        ErrorKind::kInvalidInput, "no_invitees",
        "Enter the email address of at least one person to invite.", "emails");
  }
  return out;
}

}  // namespace

std::string DescribeRequirement(const Group& group,
                                const Association& association) {
  const std::string org = OrgName(association);
  switch (group.join_policy) {
    case JoinPolicy::kOpen:
      return "Anyone with an account can join this group; creating an account "
             "is free.";
    case JoinPolicy::kMembersOnly:
      return "This group is for " + org +
             " members with a current membership. Use the "
             "address your membership is recorded under, so that it is "
             "recognised.";
    case JoinPolicy::kRequest:
    case JoinPolicy::kInvite:
      return "This group takes new members by invitation: this invitation lets "
             "you join "
             "once you have an account.";
  }
  return "";
}

Result<mail::OutgoingMessage> ComposeInvitationMail(
    const InvitationMailFacts& f) {
  const std::string inviter = OneLine(f.inviter_name);
  const std::string group = OneLine(f.group_name);
  mail::OutgoingMessage m;
  m.from = mail::Mailbox{inviter + " via " + OneLine(f.site_name),
                         f.settings.from_address};
  m.to.push_back(mail::Mailbox{"", f.email});
  m.subject = inviter + " invites you to join " + group;
  RT_ASSIGN_OR_RETURN(m.message_id, mail::NewMessageId(f.settings.domain));
  m.auto_submitted = mail::AutoSubmitted::kAutoGenerated;
  m.date = f.created_at;
  km::data d;
  d.set("subject", m.subject);
  d.set("inviter", inviter);
  d.set("group", group);
  d.set("association", f.association_name);
  if (!f.group_summary.empty()) d.set("summary", f.group_summary);
  if (!f.note.empty()) d.set("note", f.note);
  d.set("requirement", f.requirement);
  d.set("url", MailUrl(f.settings, "/invitations/" + f.token));
  d.set("email", f.email);
  d.set("expires", Date::FromTime(f.expires_at).Long());
  d.set("site", f.site_name);
  d.set("base_url", f.settings.base_url);
  m.text_body = RenderMail("invitation_text", d, /*html=*/false);
  m.html_body = RenderMail("invitation_html", d, /*html=*/true);
  return m;
}

Result<InviteForm> InvitationsService::Form(const Viewer& viewer,
                                            const std::string& slug) {
  if (!viewer.account) return NotSignedIn();
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(GroupAccess g, LoadGroupAccess(ctx_, *db, viewer, slug));
  policy::Decision d = policy::CanInvite(g.actor, g.group());
  if (!d.allowed) return RefusalError(d.reason, g.association, g.standing);
  RT_ASSIGN_OR_RETURN(
      int sent, db->invitations().CountSentSince(
                    viewer.account->id, ctx_.Now() - kInvitationCapWindow));
  InviteForm f;
  f.group_slug = g.group().slug;
  f.group_name = g.group().name;
  f.requirement = DescribeRequirement(g.group(), g.association);
  f.remaining_today = std::max(0, kMaxInvitationsPerDay - sent);
  return f;
}

Result<InviteOutcome> InvitationsService::Invite(
    const Viewer& viewer, const std::string& slug,
    const std::vector<std::string>& emails, const std::string& note) {
  if (!viewer.account) return NotSignedIn();
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  // Permission first, so that a person who may not invite learns that
  // rather than how to fix the list.
  {
    RT_ASSIGN_OR_RETURN(GroupAccess g,
                        LoadGroupAccess(ctx_, *db, viewer, slug));
    policy::Decision d = policy::CanInvite(g.actor, g.group());
    if (!d.allowed) return RefusalError(d.reason, g.association, g.standing);
  }
  RT_ASSIGN_OR_RETURN(std::vector<std::string> addresses,
                      NormalizeInvitees(emails));
  RT_ASSIGN_OR_RETURN(std::string clean_note, ValidateInvitationNote(note));
  TimePoint now = ctx_.Now();
  InviteOutcome out;
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    // Decided again inside the transaction: a member who left meanwhile
    // sends nothing.
    RT_ASSIGN_OR_RETURN(GroupAccess g,
                        LoadGroupAccess(ctx_, *db, viewer, slug));
    policy::Decision d = policy::CanInvite(g.actor, g.group());
    if (!d.allowed) return RefusalError(d.reason, g.association, g.standing);
    const Group& group = g.group();
    out.group_slug = group.slug;
    out.group_name = group.name;
    RT_ASSIGN_OR_RETURN(
        auto members, db->invitations().MemberEmailsAmong(group.id, addresses));
    RT_ASSIGN_OR_RETURN(
        auto pending, db->invitations().PendingAmong(group.id, addresses, now));
    std::unordered_set<std::string> seen;
    std::vector<size_t> to_send;
    for (const std::string& a : addresses) {
      InviteResult res;
      res.email = a;
      if (!seen.insert(a).second) {
        res.reason = "duplicate";
        res.message = "Listed more than once; invited once.";
      } else if (members.contains(a)) {
        res.reason = "already_member";
        res.message = "Already a member of " + group.name + ".";
      } else if (pending.contains(a)) {
        res.reason = "already_invited";
        res.message =
            "Already has an invitation to " + group.name + " waiting.";
      } else {
        res.invited = true;
        to_send.push_back(out.results.size());
      }
      out.results.push_back(std::move(res));
    }
    RT_ASSIGN_OR_RETURN(
        int sent, db->invitations().CountSentSince(viewer.account->id,
                                                   now - kInvitationCapWindow));
    int left = std::max(0, kMaxInvitationsPerDay - sent);
    if (static_cast<int>(to_send.size()) > left) {
      return MakeError(ErrorKind::kRuleBroken, "daily_limit_reached",
                       "You can send " + std::to_string(kMaxInvitationsPerDay) +
                           " invitations a day. You have " +
                           std::to_string(left) +
                           " left today; this list needs " +
                           std::to_string(to_send.size()) + ".",
                       "emails");
    }
    InvitationMailFacts facts;
    facts.settings = ctx_.mail;
    facts.site_name = OrgName(g.association) + " Interest Groups";
    facts.association_name = OrgName(g.association);
    facts.inviter_name = viewer.account->name;
    facts.group_name = group.name;
    facts.group_summary = group.summary;
    facts.requirement = DescribeRequirement(group, g.association);
    facts.note = clean_note;
    for (size_t i : to_send) {
      std::string token = crypto::RandomToken();
      Invitation inv;
      inv.token_hash = crypto::HashToken(token);
      inv.group = group.id;
      inv.inviter = viewer.account->id;
      inv.email = out.results[i].email;
      inv.note = clean_note;
      inv.created_at = now;
      inv.expires_at = now + kInvitationLifetime;
      RT_ASSIGN_OR_RETURN(inv, db->invitations().Create(inv));
      facts.email = inv.email;
      facts.token = token;
      facts.created_at = inv.created_at;
      facts.expires_at = inv.expires_at;
      MailJob job;
      // Checked again at send time: the group must still exist.
      job.group = group.id;
      job.dedupe_key = "invitation:" + std::to_string(inv.id.value);
      RT_ASSIGN_OR_RETURN(job.message, ComposeInvitationMail(facts));
      RT_ASSIGN_OR_RETURN(bool queued, QueueMail(*db, job, now));
      (void)queued;
    }
    out.invited = static_cast<int>(to_send.size());
    out.remaining_today = left - out.invited;
    if (out.invited > 0) {
      RT_RETURN_IF_ERROR(
          db->audit().Record(viewer.account->id, "invitation.send",
                             slug + " " + std::to_string(out.invited), now));
    }
    return OkStatus();
  }));
  if (out.invited > 0) ctx_.OutboxChanged();
  return out;
}

Result<InvitationLink> InvitationsService::Open(const Viewer& viewer,
                                                const std::string& token) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  TimePoint now = ctx_.Now();
  RT_ASSIGN_OR_RETURN(store::InvitationView v,
                      UsableInvitation(*db, token, now));
  return Describe(*db, viewer, std::move(v), now);
}

Result<InvitationLink> InvitationsService::OpenMine(const Viewer& viewer, InvitationId id) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  TimePoint now = ctx_.Now();
  RT_ASSIGN_OR_RETURN(store::InvitationView v, UsableInvitationOf(*db, viewer, id, now));
  return Describe(*db, viewer, std::move(v), now);
}

Result<InvitationLink> InvitationsService::Describe(store::Store& db, const Viewer& viewer,
                                                    store::InvitationView v, TimePoint now) {
  if (!v.invitation.opened_at) {
    RT_RETURN_IF_ERROR(db.invitations().MarkOpened(v.invitation.id, now));
    v.invitation.opened_at = now;
  }
  if (viewer.account && viewer.account->email != v.invitation.email) {
    return WrongAddress(v, *viewer.account);
  }
  RT_ASSIGN_OR_RETURN(Association assoc, LoadAssociation(ctx_, db));
  RT_ASSIGN_OR_RETURN(std::optional<Group> group, db.groups().FindById(v.invitation.group));
  if (!group) return InvitationNotFound();
  InvitationLink link;
  link.state = StateAt(v.invitation, now);
  link.group_summary = group->summary;
  link.join_policy = group->join_policy;
  link.requirement = DescribeRequirement(*group, assoc);
  link.next = InvitationNext::kSignIn;
  if (viewer.account) {
    RT_ASSIGN_OR_RETURN(Prospect p, ProspectOf(ctx_, db, assoc, *viewer.account, *group));
    link.next = p.next;
    link.reason = std::move(p.reason);
    link.message = std::move(p.message);
  }
  link.association_name = OrgName(assoc);
  if (link.reason == r::kMembershipRequired ||
      link.reason == r::kMembershipExpired) {
    link.join_url = assoc.join_url;
  }
  link.view = std::move(v);
  return link;
}

Result<AcceptOutcome> InvitationsService::Accept(const Viewer& viewer,
                                                 const std::string& token) {
  return AcceptFound(
      viewer, [&](store::Store& db, TimePoint now) { return UsableInvitation(db, token, now); });
}

Result<AcceptOutcome> InvitationsService::AcceptMine(const Viewer& viewer, InvitationId id) {
  return AcceptFound(viewer, [&](store::Store& db, TimePoint now) {
    return UsableInvitationOf(db, viewer, id, now);
  });
}

Result<AcceptOutcome> InvitationsService::AcceptFound(const Viewer& viewer,
                                                      const FindInvitation& find) {
  if (!viewer.account) return NotSignedIn();
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  TimePoint now = ctx_.Now();
  AcceptOutcome out;
  std::optional<Error> refused;
  GroupsService groups(ctx_);
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(store::InvitationView v, find(*db, now));
    const Invitation& inv = v.invitation;
    RT_ASSIGN_OR_RETURN(std::optional<Account> account,
                        db->accounts().FindById(viewer.account->id));
    if (!account) return NotSignedIn();
    if (account->email != inv.email) return WrongAddress(v, *account);
    RT_RETURN_IF_ERROR(db->invitations().MarkOpened(inv.id, now));
    if (!account->email_verified()) {
      // The link reached this mailbox, which proves the address as the
      // verification link would (and makes that link unnecessary).
      RT_RETURN_IF_ERROR(db->accounts().MarkEmailVerified(account->id, now));
      RT_RETURN_IF_ERROR(
          db->memberships().AttachToAccount(account->email, account->id));
      RT_RETURN_IF_ERROR(
          db->account_tokens().UseAll(account->id, TokenPurpose::kVerify, now));
      RT_RETURN_IF_ERROR(db->audit().Record(
          account->id, "account.verify_by_invitation", account->email, now));
      RT_ASSIGN_OR_RETURN(account, db->accounts().FindById(account->id));
      if (!account) return NotSignedIn();
    }
    out.group_slug = v.group_slug;
    out.group_name = v.group_name;
    auto joined = groups.Join(Viewer{account}, v.group_slug, {.invited = true});
    if (!joined.ok()) {
      ErrorKind k = joined.error().kind;
      if (k != ErrorKind::kForbidden && k != ErrorKind::kRuleBroken)
        return joined.error();
      // The group's rules say not yet: the invitation stays pending, and
      // the verification above is kept.
      refused = joined.error();
      return OkStatus();
    }
    RT_ASSIGN_OR_RETURN(
        bool first, db->invitations().MarkAccepted(inv.id, account->id, now));
    if (!first) {
      return MakeError(ErrorKind::kGone, "invitation_used",
                       "This invitation has been used already.");
    }
    out.joined_now = joined->joined_now;
    if (out.joined_now) {
      RT_ASSIGN_OR_RETURN(bool set, db->invitations().SetJoinedVia(
                                        inv.group, account->id, inv.id));
      (void)set;
    }
    return db->audit().Record(account->id, "invitation.accept",
                              v.group_slug + " " + std::to_string(inv.id.value),
                              now);
  }));
  if (refused) return *std::move(refused);
  return out;
}

Result<InvitationsPage> InvitationsService::Mine(const Viewer& viewer,
                                                 InvitationId before) {
  if (!viewer.account) return NotSignedIn();
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  InvitationsPage page;
  page.now = ctx_.Now();
  RT_ASSIGN_OR_RETURN(
      page.sent, db->invitations().ListByInviter(viewer.account->id, before,
                                                 kPageSize + 1));
  if (page.sent.size() > static_cast<size_t>(kPageSize)) {
    page.sent.pop_back();
    page.next_before = page.sent.back().invitation.id;
  }
  // Invitations to the viewer's own address, once it is shown to be theirs
  // (an unverified address is offered its invitations through the links).
  const Account& me = *viewer.account;
  if (!me.email_verified()) return page;
  RT_ASSIGN_OR_RETURN(
      std::vector<store::InvitationView> to_me,
      db->invitations().PendingForEmail(me.email, page.now, kMaxToMe));
  if (to_me.empty()) return page;
  RT_ASSIGN_OR_RETURN(Association assoc, LoadAssociation(ctx_, *db));
  RT_ASSIGN_OR_RETURN(MembershipStanding standing,
                      StandingOf(*db, assoc, viewer, ctx_.clock->Today()));
  RT_ASSIGN_OR_RETURN(auto roles, db->groups().RolesOf(assoc.id, me.id));
  RT_ASSIGN_OR_RETURN(std::vector<store::GroupListing> listings,
                      db->groups().ListWithStats(assoc.id));
  std::unordered_map<GroupId, const Group*> groups;
  for (const store::GroupListing& l : listings) groups[l.group.id] = &l.group;
  for (store::InvitationView& v : to_me) {
    auto g = groups.find(v.invitation.group);
    if (g == groups.end()) continue;
    auto role = roles.find(v.invitation.group);
    // Already in the group: nothing to act on.
    if (role != roles.end() && role->second != GroupRole::kNone) continue;
    policy::Actor actor = MakeActor(viewer, standing, GroupRole::kNone);
    actor.holds_invitation = true;
    policy::Decision d = policy::CanJoinGroup(actor, *g->second);
    InvitationToMe item;
    item.can_join_now = d.allowed;
    if (!d.allowed) item.message = ExplainRefusal(d.reason, assoc, standing);
    item.view = std::move(v);
    page.to_me.push_back(std::move(item));
  }
  return page;
}

}  // namespace rt::app
