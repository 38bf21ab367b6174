#include "app/outcomes.h"

#include <algorithm>
#include <array>
#include <map>
#include <random>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "app/group_access.h"
#include "core/text.h"
#include "policy/guardian.h"

namespace rt::app {

namespace {

Error InvalidDate(const char* field) {
  return MakeError(ErrorKind::kRuleBroken, "invalid_date",
                   std::string("Give '") + field + "' as a date such as 2026-03-01.", field);
}

struct Interval {
  TimePoint from;
  TimePoint to;
};

Interval BlockSpan(const ReleaseBlock& b) {
  return {MonthStart(b.first_month), MonthStart(b.end_month)};
}

// The released blocks of one moment's check-ins that touch `period`.
std::vector<ReleaseBlock> Covered(const std::vector<const store::AnsweredCheckin*>& rows,
                                  int64_t threshold, const OutcomePeriod& period) {
  std::map<int, int64_t> per_month;
  for (const store::AnsweredCheckin* c : rows) ++per_month[MonthIndex(c->created_at)];
  std::vector<MonthCount> months;
  months.reserve(per_month.size());
  for (const auto& [m, n] : per_month) months.push_back({m, n});
  std::vector<ReleaseBlock> out;
  for (const ReleaseBlock& b : ReleaseBlocks(months, threshold)) {
    Interval span = BlockSpan(b);
    if (span.from < period.to && span.to > period.from) out.push_back(b);
  }
  return out;
}

// Which covered block `month` falls in; -1 for none.
int BlockOf(const std::vector<ReleaseBlock>& blocks, int month) {
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (month >= blocks[i].first_month && month < blocks[i].end_month) return static_cast<int>(i);
  }
  return -1;
}

std::string_view OpenQuestionText(std::string_view id) {
  for (const OpenQuestion& q : kOpenQuestions) {
    if (q.id == id) return q.text;
  }
  return id;
}

// One moment's released data over a period: what reports and exports are
// both made from.
struct MomentData {
  std::vector<const store::AnsweredCheckin*> rows;  // every answered one
  std::vector<ReleaseBlock> blocks;                 // released and touching the period
  int64_t respondents = 0;                          // in `blocks`
  bool suppressed = true;
  // Per statement, per block of `blocks`, how many chose each level.
  std::unordered_map<std::string, std::vector<std::array<int64_t, 5>>> counts;

  // Whether the statement's answers in block `b` may be shown.
  bool Shown(const std::string& statement, int b, int64_t threshold) const {
    auto it = counts.find(statement);
    if (it == counts.end() || b < 0) return false;
    int64_t n = 0;
    for (int64_t v : it->second[b]) n += v;
    return n >= threshold;
  }
};

MomentData Gather(std::vector<const store::AnsweredCheckin*> rows, int64_t threshold,
                  const OutcomePeriod& period) {
  MomentData m;
  m.rows = std::move(rows);
  m.blocks = Covered(m.rows, threshold, period);
  for (const ReleaseBlock& b : m.blocks) m.respondents += b.checkins;
  m.suppressed = m.respondents < threshold;
  if (m.suppressed) return m;
  for (const store::AnsweredCheckin* c : m.rows) {
    int block = BlockOf(m.blocks, MonthIndex(c->created_at));
    if (block < 0) continue;
    for (const store::CheckinAnswer& a : c->answers) {
      if (a.value < kScaleMin || a.value > kScaleMax) continue;
      auto& per_block = m.counts[a.question_id];
      per_block.resize(m.blocks.size());
      ++per_block[block][a.value - 1];
    }
  }
  return m;
}

// "2026-02", or "2026-02/2026-04" for a block of several months.
std::string MonthsText(const ReleaseBlock& b) {
  auto ym = [](int month) {
    std::string iso = Date::FromTime(MonthStart(month)).Iso();
    return iso.substr(0, iso.size() - 3);
  };
  if (b.end_month - b.first_month <= 1) return ym(b.first_month);
  return ym(b.first_month) + "/" + ym(b.end_month - 1);
}

// The statements a report lists: the active ones, and retired ones that
// have answers to show.
bool Listed(const OutcomeStatement& s, const MomentData& m) {
  return s.active || m.counts.contains(s.id);
}

OutcomeMomentResult BuildMoment(CheckinMoment moment, const MomentData& m,
                                const std::vector<OutcomeStatement>& statements, int64_t threshold,
                                std::vector<OpenAnswer>* open) {
  OutcomeMomentResult r;
  r.moment = std::string(ToString(moment));
  r.suppressed = m.suppressed;
  r.respondents = m.suppressed ? 0 : m.respondents;
  for (const OutcomeStatement& s : statements) {
    if (!Listed(s, m)) continue;
    OutcomeItemResult item;
    item.statement_id = s.id;
    item.text = s.text;
    auto it = m.counts.find(s.id);
    if (!m.suppressed && it != m.counts.end()) {
      for (size_t b = 0; b < it->second.size(); ++b) {
        if (!m.Shown(s.id, static_cast<int>(b), threshold)) continue;
        for (int i = 0; i < 5; ++i) {
          item.counts[i] += it->second[b][i];
          item.answered += it->second[b][i];
        }
      }
    }
    item.suppressed = item.answered < threshold;
    if (item.suppressed) {
      item.answered = 0;
      item.counts = {};
    }
    r.items.push_back(std::move(item));
  }
  if (m.suppressed) return r;
  for (const store::AnsweredCheckin* c : m.rows) {
    int block = BlockOf(m.blocks, MonthIndex(c->created_at));
    if (block < 0) continue;
    for (const store::CheckinAnswer& a : c->answers) {
      if (a.value != 0 || a.text.empty()) continue;
      OpenAnswer o;
      o.moment = r.moment;
      o.question_id = a.question_id;
      o.question = std::string(OpenQuestionText(a.question_id));
      o.text = a.text;
      o.quoted_name = c->quoted_name;
      // The block's first month: its own month would tell which few of the
      // block answered it.
      o.answered_at = ToUnix(MonthStart(m.blocks[block].first_month));
      open->push_back(std::move(o));
    }
  }
  return r;
}

// The two moments' data, immediate first.
std::array<MomentData, 2> GatherBoth(const std::vector<store::AnsweredCheckin>& checkins,
                                     int64_t threshold, const OutcomePeriod& period) {
  std::vector<const store::AnsweredCheckin*> by_moment[2];
  for (const store::AnsweredCheckin& c : checkins) {
    by_moment[c.moment == CheckinMoment::kImmediate ? 0 : 1].push_back(&c);
  }
  return {Gather(std::move(by_moment[0]), threshold, period),
          Gather(std::move(by_moment[1]), threshold, period)};
}

}  // namespace

Result<OutcomePeriod> ParseOutcomePeriod(std::string_view from, std::string_view to, Date today) {
  std::optional<Date> f, t;
  if (!from.empty()) {
    f = Date::ParseIso(from);
    if (!f) return InvalidDate("from");
  }
  if (!to.empty()) {
    t = Date::ParseIso(to);
    if (!t) return InvalidDate("to");
  }
  if (f && t && *f > *t) {
    return MakeError(ErrorKind::kRuleBroken, "invalid_period",
                     "The start of the period ('from') must not be after its end ('to').", "from");
  }
  OutcomePeriod p;
  p.from = f ? FromUnix(int64_t{f->days()} * 86400) : FromUnix(0);
  p.to = FromUnix(int64_t{t.value_or(today).days() + 1} * 86400);
  return p;
}

OutcomeReport BuildOutcomeReport(const std::vector<store::AnsweredCheckin>& checkins,
                                 const std::vector<OutcomeStatement>& statements, int64_t threshold,
                                 const OutcomePeriod& period) {
  OutcomeReport report;
  report.threshold = threshold;
  report.from = ToUnix(period.from);
  report.to = ToUnix(period.to);
  std::array<MomentData, 2> data = GatherBoth(checkins, threshold, period);
  std::optional<Interval> covered;
  for (const MomentData& m : data) {
    for (const ReleaseBlock& b : m.blocks) {
      Interval span = BlockSpan(b);
      if (!covered) {
        covered = span;
      } else {
        covered->from = std::min(covered->from, span.from);
        covered->to = std::max(covered->to, span.to);
      }
    }
  }
  report.immediate =
      BuildMoment(CheckinMoment::kImmediate, data[0], statements, threshold, &report.open_answers);
  report.follow_up =
      BuildMoment(CheckinMoment::kFollowUp, data[1], statements, threshold, &report.open_answers);
  if (covered) {
    report.from = ToUnix(covered->from);
    report.to = ToUnix(covered->to);
  }
  // Newest month first; within a month by question and text, never by who
  // answered first.
  std::sort(report.open_answers.begin(), report.open_answers.end(),
            [](const OpenAnswer& a, const OpenAnswer& b) {
              return std::tie(b.answered_at, a.moment, a.question_id, a.text, a.quoted_name) <
                     std::tie(a.answered_at, b.moment, b.question_id, b.text, b.quoted_name);
            });
  return report;
}

AnswerExport BuildAnswerExport(const std::vector<store::AnsweredCheckin>& checkins,
                               const std::vector<OutcomeStatement>& statements, int64_t threshold,
                               const OutcomePeriod& period, uint64_t seed) {
  AnswerExport out;
  out.coverage = BuildOutcomeReport(checkins, statements, threshold, period);
  std::array<MomentData, 2> data = GatherBoth(checkins, threshold, period);
  for (const OutcomeStatement& s : statements) {
    if (Listed(s, data[0]) || Listed(s, data[1])) out.statements.push_back(s);
  }
  for (size_t i = 0; i < data.size(); ++i) {
    const MomentData& m = data[i];
    if (m.suppressed) continue;
    for (const store::AnsweredCheckin* c : m.rows) {
      int block = BlockOf(m.blocks, MonthIndex(c->created_at));
      if (block < 0) continue;
      ExportedCheckin row;
      row.months = MonthsText(m.blocks[block]);
      row.moment = std::string(ToString(kCheckinMoments[i]));
      row.values.assign(out.statements.size(), 0);
      for (const store::CheckinAnswer& a : c->answers) {
        if (a.question_id == "learned") row.learned = a.text;
        if (a.question_id == "improve") row.improve = a.text;
        if (a.value == 0 || !m.Shown(a.question_id, block, threshold)) continue;
        for (size_t k = 0; k < out.statements.size(); ++k) {
          if (out.statements[k].id == a.question_id) row.values[k] = a.value;
        }
      }
      row.quoted_name = c->quoted_name;
      out.rows.push_back(std::move(row));
    }
  }
  std::mt19937_64 rng(seed);
  std::shuffle(out.rows.begin(), out.rows.end(), rng);
  for (size_t i = 0; i < out.rows.size(); ++i) out.rows[i].row = static_cast<int64_t>(i + 1);
  return out;
}

Status OutcomesService::MayManage(const Viewer& viewer) const {
  policy::Decision d = policy::CanManageAssociation(MakeActor(viewer, {}, GroupRole::kNone));
  if (d.allowed) return OkStatus();
  if (d.reason == policy::reason::kNotSignedIn) {
    return MakeError(ErrorKind::kUnauthenticated, "not_signed_in",
                     "Sign in as an association admin to change the association's settings.");
  }
  return MakeError(ErrorKind::kNotFound, "not_found", "We could not find that.");
}

struct OutcomesService::GroupData {
  std::vector<OutcomeStatement> statements;
  int threshold = kDefaultOutcomeThreshold;
  std::vector<store::AnsweredCheckin> rows;
};

Result<OutcomesService::GroupData> OutcomesService::Load(const Viewer& viewer,
                                                         const std::string& slug,
                                                         bool with_answers) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(GroupAccess g, LoadGroupAccess(ctx_, *db, viewer, slug));
  policy::Decision d = policy::CanSeeGroupOutcomes(g.actor, g.group());
  if (!d.allowed) return RefusalError(d.reason, g.association, g.standing);
  GroupData out;
  if (!with_answers) return out;
  RT_ASSIGN_OR_RETURN(out.statements, db->checkins().Statements(g.association.id));
  RT_ASSIGN_OR_RETURN(out.threshold, db->checkins().Threshold(g.association.id));
  RT_ASSIGN_OR_RETURN(out.rows, db->checkins().Answered(g.association.id, {g.group().id}));
  return out;
}

Status OutcomesService::MaySee(const Viewer& viewer, const std::string& slug) {
  return ToStatus(Load(viewer, slug, /*with_answers=*/false));
}

Result<OutcomeReport> OutcomesService::Report(const Viewer& viewer, const std::string& slug,
                                              const OutcomePeriod& period) {
  RT_ASSIGN_OR_RETURN(GroupData g, Load(viewer, slug, /*with_answers=*/true));
  return BuildOutcomeReport(g.rows, g.statements, g.threshold, period);
}

Result<AnswerExport> OutcomesService::ExportAnswers(const Viewer& viewer, const std::string& slug,
                                                    const OutcomePeriod& period) {
  RT_ASSIGN_OR_RETURN(GroupData g, Load(viewer, slug, /*with_answers=*/true));
  std::random_device entropy;
  const uint64_t seed = (uint64_t{entropy()} << 32) ^ entropy();
  return BuildAnswerExport(g.rows, g.statements, g.threshold, period, seed);
}

Result<std::vector<GroupOutcomes>> OutcomesService::ReportsByGroup(const Viewer& viewer,
                                                                   const OutcomePeriod& period) {
  if (!viewer.account) {
    return MakeError(ErrorKind::kUnauthenticated, "not_signed_in",
                     "Sign in to see the groups' outcomes.");
  }
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(Association assoc, LoadAssociation(ctx_, *db));
  RT_ASSIGN_OR_RETURN(std::vector<store::GroupListing> groups,
                      db->groups().ListWithStats(assoc.id));
  RT_ASSIGN_OR_RETURN(auto roles, db->groups().RolesOf(assoc.id, viewer.account->id));
  RT_ASSIGN_OR_RETURN(MembershipStanding standing,
                      StandingOf(*db, assoc, viewer, ctx_.clock->Today()));
  RT_ASSIGN_OR_RETURN(std::vector<OutcomeStatement> statements,
                      db->checkins().Statements(assoc.id));
  RT_ASSIGN_OR_RETURN(int threshold, db->checkins().Threshold(assoc.id));
  std::vector<GroupId> visible;
  for (const store::GroupListing& l : groups) {
    auto role = roles.find(l.group.id);
    policy::Actor actor =
        MakeActor(viewer, standing, role == roles.end() ? GroupRole::kNone : role->second);
    if (policy::CanSeeGroupOutcomes(actor, l.group).allowed) visible.push_back(l.group.id);
  }
  std::vector<GroupOutcomes> out;
  if (visible.empty()) return out;
  RT_ASSIGN_OR_RETURN(std::vector<store::AnsweredCheckin> rows,
                      db->checkins().Answered(assoc.id, visible));
  std::unordered_map<int64_t, std::vector<store::AnsweredCheckin>> by_group;
  for (store::AnsweredCheckin& c : rows) by_group[c.group.value].push_back(std::move(c));
  for (const store::GroupListing& l : groups) {
    if (std::find(visible.begin(), visible.end(), l.group.id) == visible.end()) continue;
    out.push_back({l.group.id, l.group.slug, l.group.name,
                   BuildOutcomeReport(by_group[l.group.id.value], statements, threshold, period)});
  }
  return out;
}

Result<OutcomeSettings> OutcomesService::Settings(const Viewer& viewer) {
  RT_RETURN_IF_ERROR(MayManage(viewer));
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(Association assoc, LoadAssociation(ctx_, *db));
  OutcomeSettings out;
  RT_ASSIGN_OR_RETURN(out.statements, db->checkins().Statements(assoc.id));
  RT_ASSIGN_OR_RETURN(out.threshold, db->checkins().Threshold(assoc.id));
  return out;
}

Result<OutcomeSettings> OutcomesService::SaveSettings(const Viewer& viewer,
                                                      const OutcomeSettingsChange& change) {
  RT_RETURN_IF_ERROR(MayManage(viewer));
  if (change.threshold && (*change.threshold < kMinOutcomeThreshold || *change.threshold > 1000)) {
    return MakeError(ErrorKind::kRuleBroken, "threshold_invalid",
                     "The threshold must be a whole number from 3 to 1000: fewer than 3 "
                     "answers could point to one person.",
                     "threshold");
  }
  std::vector<OutcomeStatement> checked;
  std::unordered_set<std::string> seen;
  for (const OutcomeStatement& s : change.statements) {
    if (!IsValidStatementId(s.id)) {
      return MakeError(ErrorKind::kRuleBroken, "statement_id_invalid",
                       "A statement's id must be 1 to 32 lower-case letters, digits or _.",
                       "statements");
    }
    if (!seen.insert(s.id).second) {
      return MakeError(ErrorKind::kRuleBroken, "statement_duplicate",
                       "The statement '" + s.id + "' is listed twice.", "statements");
    }
    std::string text(text::Trim(s.text));
    if (text.empty() || text.size() > kMaxStatementBytes || !text::IsValidUtf8(text) ||
        text::HasControlChars(text, /*allow_newlines=*/false)) {
      return MakeError(ErrorKind::kRuleBroken, "statement_text_invalid",
                       "Write each statement in one line of up to " +
                           std::to_string(kMaxStatementBytes) + " characters.",
                       "statements." + s.id + ".text");
    }
    checked.push_back({s.id, std::move(text), std::clamp(s.position, -1000, 1000), s.active});
  }
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  OutcomeSettings out;
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(Association assoc, LoadAssociation(ctx_, *db));
    RT_RETURN_IF_ERROR(db->checkins().SaveStatements(assoc.id, checked));
    if (change.threshold) {
      RT_RETURN_IF_ERROR(db->checkins().SetThreshold(assoc.id, *change.threshold));
    }
    RT_ASSIGN_OR_RETURN(out.statements, db->checkins().Statements(assoc.id));
    RT_ASSIGN_OR_RETURN(out.threshold, db->checkins().Threshold(assoc.id));
    if (out.statements.size() > static_cast<size_t>(kMaxStatements)) {
      return MakeError(ErrorKind::kRuleBroken, "too_many_statements",
                       "An association can have at most " + std::to_string(kMaxStatements) +
                           " outcome statements.",
                       "statements");
    }
    if (std::none_of(out.statements.begin(), out.statements.end(),
                     [](const OutcomeStatement& s) { return s.active; })) {
      return MakeError(ErrorKind::kRuleBroken, "no_active_statement",
                       "Keep at least one statement active: the check-in asks them.", "statements");
    }
    return db->audit().Record(viewer.account->id, "association.outcomes",
                              std::to_string(checked.size()) + " statement(s) saved, threshold " +
                                  std::to_string(out.threshold),
                              ctx_.Now());
  }));
  return out;
}

}  // namespace rt::app
