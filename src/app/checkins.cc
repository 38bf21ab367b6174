#include "app/checkins.h"

#include <kainjow/mustache.hpp>

#include <string>
#include <unordered_set>
#include <utility>

#include "app/group_access.h"
#include "app/idempotency.h"
#include "app/mail_text.h"
#include "app/thread_mail.h"
#include "core/text.h"
#include "policy/guardian.h"

namespace rt::app {

namespace {

Error NotSignedIn() {
  return MakeError(ErrorKind::kUnauthenticated, "not_signed_in", "Sign in to check in.");
}

Error CheckinNotFound() {
  return MakeError(ErrorKind::kNotFound, "not_found", "We could not find that check-in.");
}

Error AlreadyCheckedIn(CheckinState state) {
  return MakeError(ErrorKind::kConflict, "already_checked_in",
                   state == CheckinState::kDeleted
                       ? "You deleted your answers to this check-in, so it is closed."
                       : "You have already answered this check-in. Thank you.");
}

Result<CheckinMoment> MomentOf(const std::string& moment) {
  std::optional<CheckinMoment> m = ParseCheckinMoment(moment);
  if (!m) {
    return MakeError(ErrorKind::kRuleBroken, "invalid_moment",
                     "Choose the moment of the check-in: immediate or follow_up.", "moment");
  }
  return *m;
}

// What the due rule needs, from the member's check-ins in the group.
CheckinFacts FactsOf(TimePoint joined_at, bool accepted, const std::vector<store::Checkin>& mine) {
  CheckinFacts f;
  f.joined_at = joined_at;
  f.has_accepted_answer = accepted;
  for (const store::Checkin& c : mine) {
    if (c.moment == CheckinMoment::kImmediate) {
      f.immediate_done_at = c.created_at;
      // Someone who deleted their answers is not asked again in the group.
      if (c.state == CheckinState::kDeleted) f.follow_up_done = true;
    } else {
      f.follow_up_done = true;
    }
  }
  return f;
}

const store::Checkin* Find(const std::vector<store::Checkin>& mine, CheckinMoment m) {
  for (const store::Checkin& c : mine) {
    if (c.moment == m) return &c;
  }
  return nullptr;
}

std::string AnswerText(const AnswerIn& a) {
  switch (a.type) {
    case AnswerIn::Type::kNumber:
      return "n" + std::to_string(a.number);
    case AnswerIn::Type::kText:
      return "t" + a.text;
    case AnswerIn::Type::kOther:
      return "o";
  }
  return "o";
}

}  // namespace

std::vector<CheckinQuestion> CheckinQuestions(const std::vector<OutcomeStatement>& statements) {
  std::vector<CheckinQuestion> out;
  for (const OutcomeStatement& s : statements) {
    if (s.active) out.push_back({s.id, s.text, true});
  }
  for (const OpenQuestion& q : kOpenQuestions) {
    out.push_back({std::string(q.id), std::string(q.text), false});
  }
  return out;
}

std::vector<Error> CheckAnswers(const std::vector<CheckinQuestion>& questions,
                                const std::vector<AnswerIn>& answers) {
  std::vector<Error> errors;
  std::vector<const AnswerIn*> by_question(questions.size(), nullptr);
  for (const AnswerIn& a : answers) {
    size_t i = 0;
    while (i < questions.size() && questions[i].id != a.id) ++i;
    if (i == questions.size()) {
      errors.push_back(MakeError(ErrorKind::kRuleBroken, "unknown_question",
                                 "This check-in has no question '" + a.id.substr(0, 40) + "'.",
                                 "answers"));
      continue;
    }
    if (by_question[i] != nullptr) {
      errors.push_back(MakeError(ErrorKind::kRuleBroken, "duplicate_answer",
                                 "Answer each question once.", a.id));
      continue;
    }
    by_question[i] = &a;
  }
  for (size_t i = 0; i < questions.size(); ++i) {
    const CheckinQuestion& q = questions[i];
    const AnswerIn* a = by_question[i];
    if (q.scale) {
      if (a == nullptr) {
        errors.push_back(MakeError(ErrorKind::kRuleBroken, "answer_required",
                                   "Choose how much you agree with “" + q.text + "”", q.id));
      } else if (a->type != AnswerIn::Type::kNumber) {
        errors.push_back(
            MakeError(ErrorKind::kRuleBroken, "invalid_answer",
                      "The answer to '" + q.id + "' must be a whole number from 1 to 5.", q.id));
      } else if (a->number < kScaleMin || a->number > kScaleMax) {
        errors.push_back(MakeError(ErrorKind::kRuleBroken, "answer_out_of_range",
                                   "The answer to '" + q.id +
                                       "' must be from 1 (strongly disagree) to 5 (strongly "
                                       "agree).",
                                   q.id));
      }
      continue;
    }
    if (a == nullptr) continue;  // open questions are optional
    if (a->type != AnswerIn::Type::kText) {
      errors.push_back(MakeError(ErrorKind::kRuleBroken, "invalid_answer",
                                 "The answer to '" + q.id + "' must be text.", q.id));
    } else if (!text::IsValidUtf8(a->text) ||
               text::HasControlChars(a->text, /*allow_newlines=*/true)) {
      errors.push_back(MakeError(ErrorKind::kRuleBroken, "invalid_text",
                                 "Your answer contains characters we cannot keep. Remove them "
                                 "and try again.",
                                 q.id));
    } else if (a->text.size() > 4 * kMaxOpenAnswerChars ||
               text::CodePointCount(a->text) > kMaxOpenAnswerChars) {
      errors.push_back(MakeError(ErrorKind::kRuleBroken, "answer_too_long",
                                 "Keep your answer to " + std::to_string(kMaxOpenAnswerChars) +
                                     " characters or fewer (it has " +
                                     std::to_string(text::CodePointCount(a->text)) + ").",
                                 q.id));
    }
  }
  return errors;
}

// The group, the viewer's place in it and their check-ins there.
struct CheckinsService::Loaded {
  GroupAccess access;
  std::vector<store::Checkin> mine;
  std::optional<CheckinMoment> moment;  // the one asked for, or the due one
  bool due = false;
};

Result<CheckinsService::Loaded> CheckinsService::Load(store::Store& db, const Viewer& viewer,
                                                      const std::string& slug,
                                                      const std::string& moment) {
  if (!viewer.account) return NotSignedIn();
  Loaded l;
  RT_ASSIGN_OR_RETURN(l.access, LoadGroupAccess(ctx_, db, viewer, slug));
  policy::Decision d = policy::CanCheckIn(l.access.actor, l.access.group());
  if (!d.allowed) return RefusalError(d.reason, l.access.association, l.access.standing);
  std::optional<CheckinMoment> asked;
  if (!moment.empty()) {
    RT_ASSIGN_OR_RETURN(asked, MomentOf(moment));
  }
  const GroupId group = l.access.group().id;
  const AccountId me = viewer.account->id;
  RT_ASSIGN_OR_RETURN(l.mine, db.checkins().OfMember(group, me));
  RT_ASSIGN_OR_RETURN(store::MemberCheckinFacts facts, db.checkins().MemberFacts(group, me));
  std::optional<CheckinMoment> due =
      DueMoment(FactsOf(facts.joined.value_or(ctx_.Now()), facts.accepted, l.mine), ctx_.Now());
  l.moment = asked ? asked : due;
  l.due = l.moment && l.moment == due;
  return l;
}

Result<CheckinStatus> CheckinsService::StatusFor(const Viewer& viewer, const GroupView& group) {
  CheckinStatus out;
  if (!viewer.account) return out;
  policy::Actor actor = MakeActor(viewer, MembershipStanding{}, group.viewer_role);
  if (!policy::CanCheckIn(actor, group.listing.group).allowed) return out;
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  const GroupId g = group.listing.group.id;
  const AccountId me = viewer.account->id;
  RT_ASSIGN_OR_RETURN(std::vector<store::Checkin> mine, db->checkins().OfMember(g, me));
  RT_ASSIGN_OR_RETURN(store::MemberCheckinFacts facts, db->checkins().MemberFacts(g, me));
  out.due = DueMoment(FactsOf(facts.joined.value_or(ctx_.Now()), facts.accepted, mine), ctx_.Now());
  for (CheckinMoment m : kCheckinMoments) {
    const store::Checkin* c = Find(mine, m);
    if (c == nullptr || c->state == CheckinState::kSkipped) {
      out.open = m;
      break;
    }
    if (c->state == CheckinState::kDeleted) break;  // nothing more is asked here
  }
  return out;
}

Result<std::optional<CheckinForm>> CheckinsService::Form(const Viewer& viewer,
                                                         const std::string& slug,
                                                         const std::string& moment) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(Loaded l, Load(*db, viewer, slug, moment));
  if (!l.moment) return std::optional<CheckinForm>();
  if (const store::Checkin* c = Find(l.mine, *l.moment);
      c != nullptr && c->state != CheckinState::kSkipped) {
    return AlreadyCheckedIn(c->state);
  }
  RT_ASSIGN_OR_RETURN(std::vector<OutcomeStatement> statements,
                      db->checkins().Statements(l.access.association.id));
  CheckinForm f;
  f.moment = *l.moment;
  f.due = l.due;
  f.questions = CheckinQuestions(statements);
  f.group = MakeGroupView(std::move(l.access.listing), l.access.actor, l.access.association);
  return std::optional<CheckinForm>(std::move(f));
}

Result<store::CheckinView> CheckinsService::Answer(const Viewer& viewer, const std::string& slug,
                                                   const NewCheckin& in,
                                                   const std::string& idempotency_key) {
  if (!viewer.account) return NotSignedIn();
  RT_RETURN_IF_ERROR(CheckIdempotencyKey(idempotency_key));
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  const TimePoint now = ctx_.Now();
  std::string request =
      "checkin\n" + slug + "\n" + in.moment + "\n" + (in.quote_consent ? "1" : "0");
  for (const AnswerIn& a : in.answers) request += "\n" + a.id + "=" + AnswerText(a);
  const std::string fingerprint = RequestFingerprint(request);
  CheckinId id;
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    // Who asks is settled before anything they sent is judged.
    RT_ASSIGN_OR_RETURN(Loaded l, Load(*db, viewer, slug, ""));
    RT_ASSIGN_OR_RETURN(CheckinMoment moment, MomentOf(in.moment));
    RT_ASSIGN_OR_RETURN(std::optional<std::string> earlier,
                        ReplayIdempotent(*db, viewer.account->id, idempotency_key, fingerprint));
    if (earlier) {
      id = CheckinId{std::stoll(*earlier)};
      return OkStatus();
    }
    if (const store::Checkin* c = Find(l.mine, moment);
        c != nullptr && c->state != CheckinState::kSkipped) {
      return AlreadyCheckedIn(c->state);
    }
    RT_ASSIGN_OR_RETURN(std::vector<OutcomeStatement> statements,
                        db->checkins().Statements(l.access.association.id));
    const std::vector<CheckinQuestion> questions = CheckinQuestions(statements);
    std::vector<Error> errors = CheckAnswers(questions, in.answers);
    if (!errors.empty()) return errors.front();
    store::Checkin c;
    c.group = l.access.group().id;
    c.account = viewer.account->id;
    c.moment = moment;
    c.state = CheckinState::kAnswered;
    c.quote_consent = in.quote_consent;
    c.created_at = now;
    // Stored in the order asked, each with the text the member read.
    for (const CheckinQuestion& q : questions) {
      for (const AnswerIn& a : in.answers) {
        if (a.id != q.id) continue;
        if (q.scale) {
          c.answers.push_back({q.id, q.text, static_cast<int>(a.number), ""});
        } else if (!text::Trim(a.text).empty()) {
          c.answers.push_back({q.id, q.text, 0, std::string(text::Trim(a.text))});
        }
      }
    }
    RT_ASSIGN_OR_RETURN(store::Checkin saved, db->checkins().Record(c));
    id = saved.id;
    return RememberIdempotent(*db, viewer.account->id, idempotency_key, fingerprint,
                              std::to_string(id.value), now);
  }));
  RT_ASSIGN_OR_RETURN(std::optional<store::CheckinView> v, db->checkins().Find(id));
  if (!v) return CheckinNotFound();
  return *std::move(v);
}

Result<store::Checkin> CheckinsService::Skip(const Viewer& viewer, const std::string& slug,
                                             const std::string& moment) {
  if (!viewer.account) return NotSignedIn();
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  store::Checkin out;
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(Loaded l, Load(*db, viewer, slug, ""));
    RT_ASSIGN_OR_RETURN(CheckinMoment m, MomentOf(moment));
    if (const store::Checkin* c = Find(l.mine, m);
        c != nullptr && c->state != CheckinState::kSkipped) {
      return AlreadyCheckedIn(c->state);
    }
    store::Checkin c;
    c.group = l.access.group().id;
    c.account = viewer.account->id;
    c.moment = m;
    c.state = CheckinState::kSkipped;
    c.created_at = ctx_.Now();
    RT_ASSIGN_OR_RETURN(out, db->checkins().Record(c));
    out.state = CheckinState::kSkipped;
    return OkStatus();
  }));
  return out;
}

Result<MyCheckins> CheckinsService::Mine(const Viewer& viewer, CheckinId before) {
  if (!viewer.account) return NotSignedIn();
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  MyCheckins out;
  RT_ASSIGN_OR_RETURN(out.items,
                      db->checkins().ListMine(viewer.account->id, before, kPageSize + 1));
  if (out.items.size() > static_cast<size_t>(kPageSize)) {
    out.items.resize(kPageSize);
    out.next = out.items.back().checkin.id;
  }
  return out;
}

Result<store::CheckinView> CheckinsService::Get(const Viewer& viewer, CheckinId id) {
  if (!viewer.account) return NotSignedIn();
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(std::optional<store::CheckinView> v, db->checkins().Find(id));
  if (!v || v->checkin.account != viewer.account->id ||
      v->checkin.state != CheckinState::kAnswered) {
    return CheckinNotFound();
  }
  return *std::move(v);
}

Status CheckinsService::Delete(const Viewer& viewer, CheckinId id) {
  if (!viewer.account) return NotSignedIn();
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(bool deleted, db->checkins().DeleteAnswers(id, viewer.account->id));
  if (!deleted) return CheckinNotFound();
  return OkStatus();
}

Result<OfferRun> CheckinsService::SendOffers(int limit) {
  namespace km = kainjow::mustache;
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(Association assoc, LoadAssociation(ctx_, *db));
  const TimePoint now = ctx_.Now();
  const MailSettings& s = ctx_.mail;
  const std::string site =
      OneLine((assoc.short_name.empty() ? assoc.name : assoc.short_name) + " Interest Groups");
  OfferRun run;
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    run = OfferRun{};
    RT_ASSIGN_OR_RETURN(std::vector<store::CheckinOffer> offers,
                        db->checkins().DueOffers(assoc.id, now, limit));
    for (const store::CheckinOffer& o : offers) {
      RT_ASSIGN_OR_RETURN(std::optional<Account> to, db->accounts().FindById(o.account));
      bool mail = to.has_value() && !to->mail_paused();
      if (mail) {
        RT_ASSIGN_OR_RETURN(EmailSwitches switches, db->delivery().EmailSwitchesOf(o.account));
        mail = switches.enabled(NotificationKind::kCheckin);
      }
      if (mail) {
        const std::string moment(ToString(o.moment));
        const std::string group = OneLine(o.group_name);
        MailJob job;
        job.dedupe_key = "checkin:" + std::to_string(o.group.value) + ":" +
                         std::to_string(o.account.value) + ":" + moment;
        job.account = o.account;
        job.group = o.group;
        job.notification = NotificationKind::kCheckin;
        job.checkin_moment = moment;
        mail::OutgoingMessage& m = job.message;
        m.to = {{to->name, to->email}};
        m.from = {site, s.from_address};
        m.auto_submitted = mail::AutoSubmitted::kAutoGenerated;
        m.date = now;
        const bool follow_up = o.moment == CheckinMoment::kFollowUp;
        m.subject = "[" + group + "] " +
                    (follow_up ? "Six weeks on: have you used what you learned?"
                               : "Is this group helping you? A two-minute check-in");
        km::data d;
        d.set("headline", follow_up
                              ? "A few weeks ago you told us how " + group +
                                    " was helping you. Would you say whether you have been able to "
                                    "use what you learned? It takes about two minutes. The staff "
                                    "only ever see totals, and you can skip it."
                              : "Would you tell us whether " + group +
                                    " is helping you? It takes about two minutes. The staff only "
                                    "ever see totals, and you can skip it.");
        d.set("action", std::string("Answer the check-in"));
        d.set("url", MailUrl(s, "/groups/" + o.group_slug + "/checkin?moment=" + moment));
        RT_ASSIGN_OR_RETURN(int queued, QueueNotice(ctx_, *db, std::move(job), std::move(d)));
        mail = queued > 0;
      }
      RT_RETURN_IF_ERROR(
          ToStatus(db->checkins().RecordOffer(o.group, o.account, o.moment, mail, now)));
      (mail ? run.mailed : run.skipped)++;
    }
    return OkStatus();
  }));
  if (run.mailed > 0) ctx_.OutboxChanged();
  return run;
}

Result<std::string> WhyNotSendCheckin(const AppContext& ctx, store::Store& db, const MailJob& job,
                                      const Account& to) {
  std::optional<CheckinMoment> moment = ParseCheckinMoment(job.checkin_moment);
  if (!job.group || !moment) return std::string(policy::reason::kNotFound);
  RT_ASSIGN_OR_RETURN(std::optional<Group> group, db.groups().FindById(*job.group));
  if (!group) return std::string(policy::reason::kNotFound);
  RT_ASSIGN_OR_RETURN(GroupRole role, db.groups().RoleOf(group->id, to.id));
  policy::Decision d =
      policy::CanCheckIn(MakeActor(Viewer{to}, MembershipStanding{}, role), *group);
  if (!d.allowed) return std::string(d.reason);
  RT_ASSIGN_OR_RETURN(std::vector<store::Checkin> mine, db.checkins().OfMember(group->id, to.id));
  if (Find(mine, *moment) != nullptr) return std::string("already_checked_in");
  return std::string();
}

}  // namespace rt::app
