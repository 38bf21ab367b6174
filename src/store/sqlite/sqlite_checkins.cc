// Outcome statements and check-ins (CheckinRepository in store/checkins.h;
// migration 020).

#include "store/sqlite/sqlite_checkins.h"

#include <limits>
#include <string>
#include <unordered_map>

#include "store/sqlite/sqlite_util.h"

namespace rt::store::sqlite {

namespace {

constexpr int64_t kNoUpperBound = std::numeric_limits<int64_t>::max();

std::string MomentText(CheckinMoment m) { return std::string(ToString(m)); }

// Columns of Checkin for alias "c", then the group's slug and name ("g").
#define RT_CHECKIN_COLUMNS                                               \
  "c.id, c.group_id, c.account_id, c.moment, c.state, c.quote_consent, " \
  "c.created_at, g.slug, g.name "

CheckinView ReadView(const SQLite::Statement& s) {
  CheckinView v;
  Checkin& c = v.checkin;
  c.id = ReadId<CheckinId>(s, 0);
  c.group = ReadId<GroupId>(s, 1);
  c.account = ReadId<AccountId>(s, 2);
  c.moment = CheckedEnum(ParseCheckinMoment(s.getColumn(3).getString()));
  c.state = CheckedEnum(ParseCheckinState(s.getColumn(4).getString()));
  c.quote_consent = s.getColumn(5).getInt() != 0;
  c.created_at = ReadTime(s, 6);
  v.group_slug = s.getColumn(7).getString();
  v.group_name = s.getColumn(8).getString();
  return v;
}

template <typename T>
std::string JsonIds(const std::vector<T>& rows) {
  std::vector<CheckinId> ids;
  ids.reserve(rows.size());
  for (const T& r : rows) ids.push_back(r.checkin.id);
  return JsonIdArray(ids);
}

}  // namespace

Result<std::vector<OutcomeStatement>> SqliteCheckins::Statements(AssociationId assoc) {
  return Guard([&]() -> Result<std::vector<OutcomeStatement>> {
    Stmt s = c_.Prepare(
        "SELECT id, text, position, active FROM outcome_statements "
        "WHERE association_id = ? ORDER BY position, id");
    s->bind(1, assoc.value);
    std::vector<OutcomeStatement> out;
    while (s->executeStep()) {
      out.push_back({s->getColumn(0).getString(), s->getColumn(1).getString(),
                     s->getColumn(2).getInt(), s->getColumn(3).getInt() != 0});
    }
    return out;
  });
}

Status SqliteCheckins::SaveStatements(AssociationId assoc,
                                      const std::vector<OutcomeStatement>& statements) {
  return Guard([&]() -> Status {
    return Atomically(c_, [&]() -> Status {
      for (const OutcomeStatement& st : statements) {
        Stmt s = c_.Prepare(
            "INSERT INTO outcome_statements (association_id, id, text, position, active) "
            "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (association_id, id) DO UPDATE SET "
            "text = excluded.text, position = excluded.position, active = excluded.active");
        s->bind(1, assoc.value);
        s->bind(2, st.id);
        s->bind(3, st.text);
        s->bind(4, st.position);
        s->bind(5, st.active ? 1 : 0);
        s->exec();
      }
      return OkStatus();
    });
  });
}

Result<int> SqliteCheckins::Threshold(AssociationId assoc) {
  return Guard([&]() -> Result<int> {
    Stmt s = c_.Prepare("SELECT outcome_threshold FROM associations WHERE id = ?");
    s->bind(1, assoc.value);
    if (!s->executeStep()) return kDefaultOutcomeThreshold;
    return s->getColumn(0).getInt();
  });
}

Status SqliteCheckins::SetThreshold(AssociationId assoc, int threshold) {
  if (threshold < kMinOutcomeThreshold) {
    return MakeError(ErrorKind::kInvalidInput, "threshold_invalid",
                     "The threshold must be at least 3.", "threshold");
  }
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare("UPDATE associations SET outcome_threshold = ? WHERE id = ?");
    s->bind(1, threshold);
    s->bind(2, assoc.value);
    s->exec();
    return OkStatus();
  });
}

Result<std::vector<Checkin>> SqliteCheckins::OfMember(GroupId group, AccountId account) {
  return Guard([&]() -> Result<std::vector<Checkin>> {
    Stmt s = c_.Prepare("SELECT " RT_CHECKIN_COLUMNS
                        "FROM checkins c JOIN interest_groups g ON g.id = c.group_id "
                        "WHERE c.group_id = ? AND c.account_id = ? ORDER BY c.id");
    s->bind(1, group.value);
    s->bind(2, account.value);
    std::vector<Checkin> out;
    while (s->executeStep()) out.push_back(ReadView(*s).checkin);
    return out;
  });
}

Result<MemberCheckinFacts> SqliteCheckins::MemberFacts(GroupId group, AccountId account) {
  return Guard([&]() -> Result<MemberCheckinFacts> {
    // One probe each: the membership, threads_accepted (020) for their
    // questions, and threads_accepted_author (025) for their answers.
    Stmt s = c_.Prepare(
        "SELECT (SELECT joined_at FROM group_members WHERE group_id = ?1 AND account_id = ?2), "
        "EXISTS (SELECT 1 FROM threads t WHERE t.group_id = ?1 "
        "AND t.accepted_post_id IS NOT NULL AND t.author_id = ?2) "
        "OR EXISTS (SELECT 1 FROM threads t WHERE t.group_id = ?1 "
        "AND t.accepted_author_id = ?2)");
    s->bind(1, group.value);
    s->bind(2, account.value);
    s->executeStep();
    MemberCheckinFacts out;
    if (!s->isColumnNull(0)) out.joined = ReadTime(*s, 0);
    out.accepted = s->getColumn(1).getInt() != 0;
    return out;
  });
}

Result<Checkin> SqliteCheckins::Record(const Checkin& in) {
  return Guard([&]() -> Result<Checkin> {
    return Atomically(c_, [&]() -> Result<Checkin> {
      Checkin out = in;
      out.created_at = Stored(in.created_at);
      std::optional<CheckinState> existing;
      {
        Stmt s = c_.Prepare(
            "SELECT id, state FROM checkins WHERE group_id = ? AND account_id = ? "
            "AND moment = ?");
        s->bind(1, in.group.value);
        s->bind(2, in.account.value);
        s->bind(3, MomentText(in.moment));
        if (s->executeStep()) {
          out.id = ReadId<CheckinId>(*s, 0);
          existing = CheckedEnum(ParseCheckinState(s->getColumn(1).getString()));
        }
      }
      if (existing && *existing != CheckinState::kSkipped) {
        return MakeError(ErrorKind::kConflict, "already_checked_in",
                         existing == CheckinState::kDeleted
                             ? "You deleted your answers to this check-in, so it is closed."
                             : "You have already answered this check-in.");
      }
      if (existing && in.state == CheckinState::kSkipped) {
        return out;  // skipping twice changes nothing
      }
      if (existing) {
        Stmt s = c_.Prepare(
            "UPDATE checkins SET state = ?, quote_consent = ?, created_at = ? WHERE id = ?");
        s->bind(1, std::string(ToString(in.state)));
        s->bind(2, in.quote_consent ? 1 : 0);
        s->bind(3, ToUnix(in.created_at));
        s->bind(4, out.id.value);
        s->exec();
      } else {
        Stmt s = c_.Prepare(
            "INSERT INTO checkins (group_id, account_id, moment, state, quote_consent, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)");
        s->bind(1, in.group.value);
        s->bind(2, in.account.value);
        s->bind(3, MomentText(in.moment));
        s->bind(4, std::string(ToString(in.state)));
        s->bind(5, in.quote_consent ? 1 : 0);
        s->bind(6, ToUnix(in.created_at));
        s->exec();
        out.id = CheckinId{c_.db().getLastInsertRowid()};
      }
      int position = 0;
      for (const CheckinAnswer& a : in.answers) {
        Stmt s = c_.Prepare(
            "INSERT INTO checkin_answers (checkin_id, question_id, question, position, "
            "value, text) VALUES (?, ?, ?, ?, ?, ?)");
        s->bind(1, out.id.value);
        s->bind(2, a.question_id);
        s->bind(3, a.question);
        s->bind(4, position++);
        if (a.value > 0) {
          s->bind(5, a.value);
          s->bind(6);
        } else {
          s->bind(5);
          s->bind(6, a.text);
        }
        s->exec();
      }
      return out;
    });
  });
}

std::vector<std::pair<CheckinId, CheckinAnswer>> SqliteCheckins::AnswersOf(
    const std::string& json_ids) {
  std::vector<std::pair<CheckinId, CheckinAnswer>> out;
  Stmt s = c_.Prepare(
      "SELECT checkin_id, question_id, question, COALESCE(value, 0), COALESCE(text, '') "
      "FROM checkin_answers WHERE checkin_id IN (SELECT value FROM json_each(?)) "
      "ORDER BY checkin_id, position");
  s->bind(1, json_ids);
  while (s->executeStep()) {
    out.emplace_back(ReadId<CheckinId>(*s, 0),
                     CheckinAnswer{s->getColumn(1).getString(), s->getColumn(2).getString(),
                                   s->getColumn(3).getInt(), s->getColumn(4).getString()});
  }
  return out;
}

Result<std::optional<CheckinView>> SqliteCheckins::Find(CheckinId id) {
  return Guard([&]() -> Result<std::optional<CheckinView>> {
    std::optional<CheckinView> v;
    {
      Stmt s = c_.Prepare("SELECT " RT_CHECKIN_COLUMNS
                          "FROM checkins c JOIN interest_groups g ON g.id = c.group_id "
                          "WHERE c.id = ?");
      s->bind(1, id.value);
      if (!s->executeStep()) return v;
      v = ReadView(*s);
    }
    for (auto& [cid, a] : AnswersOf(JsonIdArray(std::vector<CheckinId>{id}))) {
      v->checkin.answers.push_back(std::move(a));
    }
    return v;
  });
}

Result<std::vector<CheckinView>> SqliteCheckins::ListMine(AccountId account, CheckinId before,
                                                          int limit) {
  return Guard([&]() -> Result<std::vector<CheckinView>> {
    std::vector<CheckinView> out;
    if (limit <= 0) return out;
    {
      Stmt s = c_.Prepare("SELECT " RT_CHECKIN_COLUMNS
                          "FROM checkins c JOIN interest_groups g ON g.id = c.group_id "
                          "WHERE c.account_id = ? AND c.id < ? AND c.state = 'answered' "
                          "ORDER BY c.id DESC LIMIT ?");
      s->bind(1, account.value);
      s->bind(2, before.valid() ? before.value : kNoUpperBound);
      s->bind(3, limit);
      while (s->executeStep()) out.push_back(ReadView(*s));
    }
    if (out.empty()) return out;
    std::unordered_map<int64_t, size_t> at;
    for (size_t i = 0; i < out.size(); ++i) at[out[i].checkin.id.value] = i;
    for (auto& [cid, a] : AnswersOf(JsonIds(out))) {
      out[at[cid.value]].checkin.answers.push_back(std::move(a));
    }
    return out;
  });
}

Result<bool> SqliteCheckins::DeleteAnswers(CheckinId id, AccountId account) {
  return Guard([&]() -> Result<bool> {
    return Atomically(c_, [&]() -> Result<bool> {
      Stmt s = c_.Prepare(
          "UPDATE checkins SET state = 'deleted', quote_consent = 0 "
          "WHERE id = ? AND account_id = ? AND state = 'answered'");
      s->bind(1, id.value);
      s->bind(2, account.value);
      if (s->exec() == 0) return false;
      Stmt d = c_.Prepare("DELETE FROM checkin_answers WHERE checkin_id = ?");
      d->bind(1, id.value);
      d->exec();
      return true;
    });
  });
}

Result<std::vector<CheckinOffer>> SqliteCheckins::DueOffers(AssociationId assoc, TimePoint now,
                                                            int limit) {
  return Guard([&]() -> Result<std::vector<CheckinOffer>> {
    std::vector<CheckinOffer> out;
    if (limit <= 0) return out;
    Stmt s = c_.Prepare(
        "SELECT gm.group_id, g.slug, g.name, gm.account_id, a.name, a.email, 'immediate' "
        "FROM interest_groups g JOIN group_members gm ON gm.group_id = g.id "
        "JOIN accounts a ON a.id = gm.account_id "
        "WHERE g.association_id = ?1 AND gm.role <> 'liaison' "
        "AND NOT EXISTS (SELECT 1 FROM checkins c WHERE c.group_id = gm.group_id "
        "  AND c.account_id = gm.account_id AND c.moment = 'immediate') "
        "AND NOT EXISTS (SELECT 1 FROM checkin_offers o WHERE o.group_id = gm.group_id "
        "  AND o.account_id = gm.account_id AND o.moment = 'immediate') "
        "AND (gm.joined_at <= ?2 "
        "  OR EXISTS (SELECT 1 FROM threads t WHERE t.group_id = gm.group_id "
        "    AND t.accepted_post_id IS NOT NULL AND t.author_id = gm.account_id) "
        "  OR EXISTS (SELECT 1 FROM threads t JOIN posts p ON p.id = t.accepted_post_id "
        "    WHERE t.group_id = gm.group_id AND t.accepted_post_id IS NOT NULL "
        "    AND p.author_id = gm.account_id)) "
        "UNION ALL "
        "SELECT c.group_id, g.slug, g.name, c.account_id, a.name, a.email, 'follow_up' "
        "FROM checkins c JOIN interest_groups g ON g.id = c.group_id "
        "JOIN group_members gm ON gm.group_id = c.group_id AND gm.account_id = c.account_id "
        "JOIN accounts a ON a.id = c.account_id "
        "WHERE g.association_id = ?1 AND c.moment = 'immediate' AND c.state <> 'deleted' "
        "AND c.created_at <= ?3 AND gm.role <> 'liaison' "
        "AND NOT EXISTS (SELECT 1 FROM checkins f WHERE f.group_id = c.group_id "
        "  AND f.account_id = c.account_id AND f.moment = 'follow_up') "
        "AND NOT EXISTS (SELECT 1 FROM checkin_offers o WHERE o.group_id = c.group_id "
        "  AND o.account_id = c.account_id AND o.moment = 'follow_up') "
        "LIMIT ?4");
    using std::chrono::days;
    s->bind(1, assoc.value);
    s->bind(2, ToUnix(now - days(kImmediateAfterDays)));
    s->bind(3, ToUnix(now - days(kFollowUpAfterDays)));
    s->bind(4, limit);
    while (s->executeStep()) {
      CheckinOffer o;
      o.group = ReadId<GroupId>(*s, 0);
      o.group_slug = s->getColumn(1).getString();
      o.group_name = s->getColumn(2).getString();
      o.account = ReadId<AccountId>(*s, 3);
      o.name = s->getColumn(4).getString();
      o.email = s->getColumn(5).getString();
      o.moment = CheckedEnum(ParseCheckinMoment(s->getColumn(6).getString()));
      out.push_back(std::move(o));
    }
    return out;
  });
}

Result<bool> SqliteCheckins::RecordOffer(GroupId group, AccountId account, CheckinMoment moment,
                                         bool mailed, TimePoint now) {
  return Guard([&]() -> Result<bool> {
    Stmt s = c_.Prepare(
        "INSERT OR IGNORE INTO checkin_offers (group_id, account_id, moment, offered_at, "
        "mailed) VALUES (?, ?, ?, ?, ?)");
    s->bind(1, group.value);
    s->bind(2, account.value);
    s->bind(3, MomentText(moment));
    s->bind(4, ToUnix(now));
    s->bind(5, mailed ? 1 : 0);
    return s->exec() > 0;
  });
}

Result<std::vector<AnsweredCheckin>> SqliteCheckins::Answered(AssociationId assoc,
                                                              const std::vector<GroupId>& groups) {
  return Guard([&]() -> Result<std::vector<AnsweredCheckin>> {
    std::vector<AnsweredCheckin> out;
    const std::string group_ids = JsonIdArray(groups);
    // One statement for one group or many, so that each keeps its plan.
    Stmt s = c_.Prepare(
        "SELECT c.id, c.group_id, c.moment, c.created_at, "
        "CASE WHEN c.quote_consent = 1 THEN a.name ELSE '' END "
        "FROM checkins c JOIN interest_groups g ON g.id = c.group_id "
        "JOIN accounts a ON a.id = c.account_id "
        "WHERE g.association_id = ?1 AND c.state = 'answered' "
        "AND (?2 = '[]' OR c.group_id IN (SELECT value FROM json_each(?2))) "
        "ORDER BY c.created_at, c.id");
    s->bind(1, assoc.value);
    s->bind(2, group_ids);
    std::unordered_map<int64_t, size_t> at;
    while (s->executeStep()) {
      AnsweredCheckin a;
      a.id = ReadId<CheckinId>(*s, 0);
      a.group = ReadId<GroupId>(*s, 1);
      a.moment = CheckedEnum(ParseCheckinMoment(s->getColumn(2).getString()));
      a.created_at = ReadTime(*s, 3);
      a.quoted_name = s->getColumn(4).getString();
      at[a.id.value] = out.size();
      out.push_back(std::move(a));
    }
    if (out.empty()) return out;
    Stmt x = c_.Prepare(
        "SELECT x.checkin_id, x.question_id, x.question, COALESCE(x.value, 0), "
        "COALESCE(x.text, '') FROM checkin_answers x "
        "JOIN checkins c ON c.id = x.checkin_id JOIN interest_groups g ON g.id = c.group_id "
        "WHERE g.association_id = ?1 AND c.state = 'answered' "
        "AND (?2 = '[]' OR c.group_id IN (SELECT value FROM json_each(?2))) "
        "ORDER BY x.checkin_id, x.position");
    x->bind(1, assoc.value);
    x->bind(2, group_ids);
    while (x->executeStep()) {
      auto it = at.find(x->getColumn(0).getInt64());
      if (it == at.end()) continue;  // answered after the first read
      out[it->second].answers.push_back({x->getColumn(1).getString(), x->getColumn(2).getString(),
                                         x->getColumn(3).getInt(), x->getColumn(4).getString()});
    }
    return out;
  });
}

}  // namespace rt::store::sqlite
