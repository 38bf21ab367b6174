#include "app/feedback.h"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <set>
#include <utility>

#include "app/group_access.h"
#include "app/idempotency.h"
#include "app/mail_text.h"
#include "app/thread_mail.h"
#include "core/text.h"
#include "domain/discussions/markdown.h"
#include "policy/guardian.h"

namespace rt::app {

namespace {

namespace r = policy::reason;

Error NotSignedIn() {
  return MakeError(ErrorKind::kUnauthenticated, "not_signed_in",
                   "Sign in to send or read feedback.");
}

Error FeedbackNotFound() {
  return MakeError(ErrorKind::kNotFound, "not_found",
                   "We could not find that feedback.");
}

Result<FeedbackCategory> CategoryOf(const std::string& s) {
  std::optional<FeedbackCategory> c = ParseFeedbackCategory(s);
  if (!c) {
    return MakeError(
        ErrorKind::kRuleBroken, "invalid_category",
        "Choose what your feedback is about: an idea for the group, a resource "
        "request, a concern, a programme proposal or something else.",
        "category");
  }
  return *c;
}

Result<FeedbackStatus> StatusOf(const std::string& s) {
  std::optional<FeedbackStatus> v = ParseFeedbackStatus(s);
  if (!v) {
    return MakeError(
        ErrorKind::kRuleBroken, "invalid_status",
        "Choose a status: new, acknowledged, in progress or resolved.",
        "status");
  }
  return *v;
}

// Tells `to` in-app (and by email through the notification's outbox row,
// as their switches allow) that `actor` did something on feedback `id`.
Status Notify(store::Store& db, AccountId to, AccountId actor, FeedbackId id,
              TimePoint now) {
  Notification n;
  n.account_id = to;
  n.kind = NotificationKind::kFeedback;
  n.actor_id = actor;
  n.feedback_id = id;
  n.created_at = now;
  return ToStatus(db.notifications().Create(n));
}

// The start of `text`, cut at a character boundary, with "…" when cut.
std::string Excerpt(std::string_view text, size_t max_bytes) {
  text = text::Trim(text);
  if (text.size() <= max_bytes) return std::string(text);
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
    --end;
  return std::string(text.substr(0, end)) + "…";
}

// The thread text of a summary: the staff's words, then each item quoted
// with its category, credited by name only with the author's consent, its
// @mentions disarmed (markdown::DisarmMentions).
std::string SummaryText(const std::string& body,
                        const std::vector<store::FeedbackView>& items,
                        size_t excerpt_bytes) {
  std::string out = body;
  out += "\n\n## You said\n";
  const size_t quoted_from = out.size();
  for (const store::FeedbackView& v : items) {
    const bool named = v.feedback.quote_consent && !v.author_name.empty();
    std::string who = (named ? v.author_name : std::string("A member")) + " (" +
                      std::string(Label(v.feedback.category)) + ")";
    out += "\n";
    out += markdown::Quote(who, Excerpt(v.feedback.body, excerpt_bytes));
    if (!out.empty() && out.back() != '\n') out += '\n';
  }
  // The staff's own words may mention people; the quoted feedback must not:
  // its authors wrote to the liaison, not to the people they named.
  return markdown::DisarmMentions(out, quoted_from);
}

}  // namespace

// An item with everything the Guardian needs about the viewer.
struct FeedbackService::Access {
  store::FeedbackView view;
  Group group;
  Association association;
  MembershipStanding standing;
  policy::Actor actor;
};

Result<FeedbackService::Access> FeedbackService::Load(store::Store& db,
                                                      const Viewer& viewer,
                                                      FeedbackId id) {
  if (!viewer.account) return NotSignedIn();
  Access a;
  RT_ASSIGN_OR_RETURN(std::optional<store::FeedbackView> v,
                      db.feedback().Find(id));
  if (!v) return FeedbackNotFound();
  RT_ASSIGN_OR_RETURN(std::optional<Group> group,
                      db.groups().FindById(v->feedback.group_id));
  if (!group) return FeedbackNotFound();
  RT_ASSIGN_OR_RETURN(a.association, LoadAssociation(ctx_, db));
  RT_ASSIGN_OR_RETURN(
      a.standing, StandingOf(db, a.association, viewer, ctx_.clock->Today()));
  RT_ASSIGN_OR_RETURN(GroupRole role,
                      db.groups().RoleOf(group->id, viewer.account->id));
  a.actor = MakeActor(viewer, a.standing, role);
  if (!policy::CanSeeFeedback(a.actor, *group, v->feedback.author_id).allowed) {
    return FeedbackNotFound();
  }
  a.view = *std::move(v);
  a.group = *std::move(group);
  return a;
}

Result<FeedbackItem> FeedbackService::ItemFor(store::Store& db,
                                              const Access& a) {
  FeedbackItem item;
  item.view = a.view;
  RT_ASSIGN_OR_RETURN(item.replies, db.feedback().Replies(a.view.feedback.id,
                                                          kMaxFeedbackReplies));
  item.staff = policy::CanManageFeedback(a.actor, a.group).allowed;
  item.is_author = a.actor.account == a.view.feedback.author_id;
  item.can_reply =
      item.replies.size() < static_cast<size_t>(kMaxFeedbackReplies);
  if (item.staff) {
    RT_ASSIGN_OR_RETURN(item.liaisons, db.feedback().Liaisons(a.group.id));
  }
  return item;
}

Result<GroupView> FeedbackService::SendForm(const Viewer& viewer,
                                            const std::string& slug) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(GroupAccess g, LoadGroupAccess(ctx_, *db, viewer, slug));
  policy::Decision d = policy::CanSendFeedback(g.actor, g.group());
  if (!d.allowed) return RefusalError(d.reason, g.association, g.standing);
  return MakeGroupView(std::move(g.listing), g.actor, g.association);
}

Result<store::FeedbackView> FeedbackService::Send(
    const Viewer& viewer, const std::string& slug, const NewFeedback& in,
    const std::string& idempotency_key) {
  if (!viewer.account) return NotSignedIn();
  RT_ASSIGN_OR_RETURN(FeedbackCategory category, CategoryOf(in.category));
  RT_ASSIGN_OR_RETURN(std::string body, ValidateBody(in.body));
  RT_RETURN_IF_ERROR(CheckIdempotencyKey(idempotency_key));
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  TimePoint now = ctx_.Now();
  FeedbackId id;
  bool notified = false;
  std::string fingerprint = RequestFingerprint(
      "feedback\n" + slug + "\n" + std::string(ToString(category)) + "\n" +
      (in.quote_consent ? "1" : "0") + "\n" + body);
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(GroupAccess g,
                        LoadGroupAccess(ctx_, *db, viewer, slug));
    policy::Decision d = policy::CanSendFeedback(g.actor, g.group());
    if (!d.allowed) return RefusalError(d.reason, g.association, g.standing);
    RT_ASSIGN_OR_RETURN(std::optional<std::string> earlier,
                        ReplayIdempotent(*db, viewer.account->id,
                                         idempotency_key, fingerprint));
    if (earlier) {
      id = FeedbackId{std::stoll(*earlier)};
      return OkStatus();
    }
    RT_ASSIGN_OR_RETURN(std::vector<store::LiaisonName> liaisons,
                        db->feedback().Liaisons(g.group().id));
    Feedback f;
    f.group_id = g.group().id;
    f.author_id = viewer.account->id;
    // The first liaison looks after it; a liaison writing to their own
    // group's staff gives it to a colleague when there is one.
    for (const store::LiaisonName& l : liaisons) {
      if (!f.liaison_id.valid() || f.liaison_id == viewer.account->id)
        f.liaison_id = l.id;
    }
    f.category = category;
    f.body = body;
    f.quote_consent = in.quote_consent;
    f.created_at = now;
    f.updated_at = now;
    RT_ASSIGN_OR_RETURN(Feedback created, db->feedback().Create(f));
    id = created.id;
    if (created.liaison_id.valid() &&
        created.liaison_id != viewer.account->id) {
      RT_RETURN_IF_ERROR(
          Notify(*db, created.liaison_id, viewer.account->id, id, now));
      notified = true;
    }
    return RememberIdempotent(*db, viewer.account->id, idempotency_key,
                              fingerprint, std::to_string(id.value), now);
  }));
  if (notified) ctx_.OutboxChanged();
  RT_ASSIGN_OR_RETURN(std::optional<store::FeedbackView> v,
                      db->feedback().Find(id));
  if (!v) return FeedbackNotFound();
  return *std::move(v);
}

Result<FeedbackList> FeedbackService::List(const Viewer& viewer,
                                           const std::string& slug,
                                           const std::string& status,
                                           FeedbackId before) {
  FeedbackList page;
  if (!status.empty()) {
    RT_ASSIGN_OR_RETURN(FeedbackStatus s, StatusOf(status));
    page.status = s;
  }
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(GroupAccess g, LoadGroupAccess(ctx_, *db, viewer, slug));
  if (!viewer.account) return NotSignedIn();
  page.staff = policy::CanManageFeedback(g.actor, g.group()).allowed;
  store::FeedbackFilter filter;
  filter.status = page.status;
  // Everyone but the group's staff sees only what they sent.
  if (!page.staff) filter.author = viewer.account->id;
  RT_ASSIGN_OR_RETURN(page.items, db->feedback().List(g.group().id, filter,
                                                      before, kPageSize + 1));
  if (page.items.size() > static_cast<size_t>(kPageSize)) {
    page.items.pop_back();
    page.next = page.items.back().feedback.id;
  }
  page.group = MakeGroupView(std::move(g.listing), g.actor, g.association);
  return page;
}

Result<FeedbackItem> FeedbackService::Get(const Viewer& viewer, FeedbackId id) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(Access a, Load(*db, viewer, id));
  return ItemFor(*db, a);
}

Result<FeedbackItem> FeedbackService::Update(const Viewer& viewer,
                                             FeedbackId id,
                                             const FeedbackChange& change) {
  if (!viewer.account) return NotSignedIn();
  if (!change.status && !change.liaison && !change.quote_consent) {
    return MakeError(ErrorKind::kInvalidInput, "nothing_to_change",
                     "Say what to change: status, liaison or quote_consent.");
  }
  std::optional<FeedbackStatus> status;
  if (change.status) {
    RT_ASSIGN_OR_RETURN(FeedbackStatus s, StatusOf(*change.status));
    status = s;
  }
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  TimePoint now = ctx_.Now();
  bool notified = false;
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(Access a, Load(*db, viewer, id));
    if (status || change.liaison) {
      policy::Decision d = policy::CanManageFeedback(a.actor, a.group);
      if (!d.allowed) {
        return MakeError(
            ErrorKind::kForbidden, std::string(r::kNotStaff),
            "Only the group's staff liaisons and administrators can change the "
            "status of feedback or hand it over.");
      }
    }
    if (change.quote_consent) {
      policy::Decision d = policy::CanChangeFeedbackConsent(
          a.actor, a.group, a.view.feedback.author_id);
      if (!d.allowed) {
        return MakeError(ErrorKind::kForbidden, std::string(r::kNotAuthor),
                         "Only the person who sent this feedback can say "
                         "whether they may be "
                         "named.");
      }
    }
    if (change.liaison) {
      RT_ASSIGN_OR_RETURN(std::vector<store::LiaisonName> liaisons,
                          db->feedback().Liaisons(a.group.id));
      std::string wanted(text::Trim(*change.liaison));
      std::string email = text::ToLowerAscii(wanted);
      auto it = std::find_if(
          liaisons.begin(), liaisons.end(), [&](const store::LiaisonName& l) {
            return std::to_string(l.id.value) == wanted || l.email == email;
          });
      if (wanted.empty() || it == liaisons.end()) {
        return MakeError(ErrorKind::kRuleBroken, "invalid_liaison",
                         "Choose one of this group's staff liaisons.",
                         "liaison");
      }
      if (it->id != a.view.feedback.liaison_id) {
        RT_RETURN_IF_ERROR(db->feedback().SetLiaison(id, it->id, now));
        if (it->id != viewer.account->id) {
          RT_RETURN_IF_ERROR(Notify(*db, it->id, viewer.account->id, id, now));
          notified = true;
        }
      }
    }
    if (status && *status != a.view.feedback.status) {
      RT_RETURN_IF_ERROR(db->feedback().SetStatus(id, *status, now));
    }
    if (change.quote_consent &&
        *change.quote_consent != a.view.feedback.quote_consent) {
      RT_RETURN_IF_ERROR(
          db->feedback().SetQuoteConsent(id, *change.quote_consent, now));
    }
    return OkStatus();
  }));
  if (notified) ctx_.OutboxChanged();
  return Get(viewer, id);
}

Result<store::FeedbackReplyView> FeedbackService::Reply(
    const Viewer& viewer, FeedbackId id, const std::string& body_in) {
  if (!viewer.account) return NotSignedIn();
  RT_ASSIGN_OR_RETURN(std::string body, ValidateBody(body_in));
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  TimePoint now = ctx_.Now();
  std::optional<store::FeedbackReplyView> out;
  bool notified = false;
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(Access a, Load(*db, viewer, id));
    if (a.view.reply_count >= kMaxFeedbackReplies) {
      return MakeError(
          ErrorKind::kRuleBroken, "too_many_replies",
          "This feedback has as many replies as it can take. Send new feedback "
          "instead.",
          "body");
    }
    FeedbackReply reply;
    reply.feedback_id = id;
    reply.author_id = viewer.account->id;
    reply.body = body;
    reply.created_at = now;
    RT_ASSIGN_OR_RETURN(FeedbackReply saved, db->feedback().AddReply(reply));
    out = store::FeedbackReplyView{saved, viewer.account->name};
    // The other side hears of it: the author when staff answer, the
    // liaison who looks after it when the author (or another admin) does.
    std::set<int64_t> told;
    for (AccountId to :
         {a.view.feedback.author_id, a.view.feedback.liaison_id}) {
      if (!to.valid() || to == viewer.account->id ||
          !told.insert(to.value).second)
        continue;
      RT_RETURN_IF_ERROR(Notify(*db, to, viewer.account->id, id, now));
      notified = true;
    }
    return OkStatus();
  }));
  if (notified) ctx_.OutboxChanged();
  return *std::move(out);
}

Result<SummaryChoices> FeedbackService::Choices(const Viewer& viewer,
                                                const std::string& slug) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(GroupAccess g, LoadGroupAccess(ctx_, *db, viewer, slug));
  policy::Decision d = policy::CanManageFeedback(g.actor, g.group());
  if (!d.allowed) return RefusalError(d.reason, g.association, g.standing);
  SummaryChoices out;
  store::FeedbackFilter filter;
  filter.status = FeedbackStatus::kResolved;
  RT_ASSIGN_OR_RETURN(
      out.resolved,
      db->feedback().List(g.group().id, filter, FeedbackId{}, kSummaryChoices));
  out.group = MakeGroupView(std::move(g.listing), g.actor, g.association);
  return out;
}

Result<Created> FeedbackService::PublishSummary(
    const Viewer& viewer, const std::string& slug, const FeedbackSummary& in,
    const std::string& idempotency_key) {
  if (!viewer.account) return NotSignedIn();
  RT_ASSIGN_OR_RETURN(std::string title, ValidateTitle(in.title));
  RT_ASSIGN_OR_RETURN(std::string body, ValidateBody(in.body));
  std::vector<FeedbackId> ids = in.items;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  if (ids.empty()) {
    return MakeError(
        ErrorKind::kRuleBroken, "no_items",
        "Choose at least one piece of resolved feedback to include.",
        "feedback_ids");
  }
  if (ids.size() > kMaxSummaryItems) {
    return MakeError(ErrorKind::kRuleBroken, "too_many_items",
                     "Choose at most " + std::to_string(kMaxSummaryItems) +
                         " pieces of feedback for one summary.",
                     "feedback_ids");
  }
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  TimePoint now = ctx_.Now();
  Created out;
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(GroupAccess g,
                        LoadGroupAccess(ctx_, *db, viewer, slug));
    policy::Decision d = policy::CanManageFeedback(g.actor, g.group());
    if (!d.allowed) return RefusalError(d.reason, g.association, g.standing);
    RT_ASSIGN_OR_RETURN(std::vector<store::FeedbackView> items,
                        db->feedback().FindMany(g.group().id, ids));
    if (items.size() != ids.size()) {
      return MakeError(
          ErrorKind::kNotFound, "not_found",
          "One of the chosen pieces of feedback is not this group's.",
          "feedback_ids");
    }
    for (const store::FeedbackView& v : items) {
      if (v.feedback.status != FeedbackStatus::kResolved) {
        return MakeError(ErrorKind::kRuleBroken, "not_resolved",
                         "Only resolved feedback can go into a summary. "
                         "Resolve it first, or "
                         "leave it out.",
                         "feedback_ids");
      }
    }
    std::string text = SummaryText(body, items, kSummaryExcerptBytes);
    if (text.size() > kMaxBodyBytes) {
      return MakeError(ErrorKind::kTooLarge, "too_large",
                       "The summary with the chosen feedback is longer than 64 "
                       "KB. Shorten it "
                       "or choose fewer items.",
                       "body");
    }
    RT_ASSIGN_OR_RETURN(out, DiscussionsService(ctx_).StartThread(
                                 viewer, slug, {"discussion", title, text, ""},
                                 in.via, idempotency_key));
    return db->feedback().SetSummaryThread(ids, out.thread, now);
  }));
  ctx_.OutboxChanged();
  return out;
}

Result<std::string> WhyNotSendFeedback(const AppContext& ctx, store::Store& db,
                                       const MailJob& job, const Account& to) {
  RT_ASSIGN_OR_RETURN(std::optional<store::FeedbackView> v,
                      db.feedback().Find(job.feedback));
  if (!v) return std::string(r::kNotFound);
  RT_ASSIGN_OR_RETURN(std::optional<Group> group,
                      db.groups().FindById(v->feedback.group_id));
  if (!group) return std::string(r::kNotFound);
  RT_ASSIGN_OR_RETURN(GroupRole role, db.groups().RoleOf(group->id, to.id));
  // Standing does not matter to who may see feedback.
  policy::Actor actor = MakeActor(Viewer{to}, MembershipStanding{}, role);
  policy::Decision d =
      policy::CanSeeFeedback(actor, *group, v->feedback.author_id);
  return d.allowed ? std::string() : std::string(d.reason);
}

Result<int> QueueFeedbackMail(const AppContext& ctx, store::Store& db,
                              const store::NotificationView& v,
                              const Account& to) {
  namespace km = kainjow::mustache;
  const Notification& n = v.notification;
  MailJob job;
  job.account = to.id;
  job.feedback = n.feedback_id;
  job.notification = NotificationKind::kFeedback;
  RT_ASSIGN_OR_RETURN(std::string why_not,
                      WhyNotSendFeedback(ctx, db, job, to));
  if (!why_not.empty()) return 0;
  RT_ASSIGN_OR_RETURN(std::optional<store::FeedbackView> f,
                      db.feedback().Find(n.feedback_id));
  if (!f) return 0;
  const MailSettings& s = ctx.mail;
  RT_ASSIGN_OR_RETURN(Association association, LoadAssociation(ctx, db));
  const std::string site =
      (association.short_name.empty() ? association.name
                                      : association.short_name) +
      " Interest Groups";
  const std::string actor = OneLine(v.actor_name);
  const std::string group = OneLine(f->group_name);
  const bool to_author = to.id == f->feedback.author_id;
  job.dedupe_key = "notification:" + std::to_string(n.id.value);
  mail::OutgoingMessage& m = job.message;
  m.to = {{to.name, to.email}};
  m.from = {OneLine(site), s.from_address};
  m.auto_submitted = mail::AutoSubmitted::kAutoGenerated;
  m.date = n.created_at;
  // The mail says who wrote and where to read it, not what: feedback is
  // private, and the page checks who is reading.
  m.subject = to_author ? "[" + group + "] " + actor + " answered your feedback"
                        : "[" + group + "] Feedback: " + actor + " wrote";
  km::data d;
  d.set("headline",
        to_author ? actor + " answered the feedback you sent to " + group + "."
                  : actor + " wrote about feedback to " + group +
                        " that you look after.");
  d.set("action", std::string("Read it"));
  d.set("url", MailUrl(s, "/feedback/" + std::to_string(n.feedback_id.value)));
  return QueueNotice(ctx, db, std::move(job), std::move(d));
}

}  // namespace rt::app
