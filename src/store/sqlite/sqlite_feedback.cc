// Feedback to a group's staff liaison (FeedbackRepository in
// store/feedback.h; migration 017).

#include <limits>
#include <string>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_util.h"

// What FeedbackView reads, for table alias "f" with its author "au",
// liaison "li" and group "g" joined.
#define RT_FEEDBACK_SELECT                                                     \
  "SELECT f.id, f.group_id, f.author_id, f.liaison_id, f.category, f.status, " \
  "f.body, f.quote_consent, f.summary_thread_id, f.created_at, f.updated_at, " \
  "COALESCE(au.name, ''), COALESCE(li.name, ''), g.slug, g.name, "             \
  "(SELECT COUNT(*) FROM feedback_replies r WHERE r.feedback_id = f.id) "      \
  "FROM feedback f JOIN interest_groups g ON g.id = f.group_id "               \
  "LEFT JOIN accounts au ON au.id = f.author_id "                              \
  "LEFT JOIN accounts li ON li.id = f.liaison_id "

namespace rt::store::sqlite {

namespace {

constexpr int64_t kNoUpperBound = std::numeric_limits<int64_t>::max();

FeedbackView ReadView(const SQLite::Statement& s) {
  FeedbackView v;
  Feedback& f = v.feedback;
  f.id = ReadId<FeedbackId>(s, 0);
  f.group_id = ReadId<GroupId>(s, 1);
  f.author_id = ReadId<AccountId>(s, 2);
  f.liaison_id = ReadId<AccountId>(s, 3);
  f.category = CheckedEnum(ParseFeedbackCategory(s.getColumn(4).getString()));
  f.status = CheckedEnum(ParseFeedbackStatus(s.getColumn(5).getString()));
  f.body = s.getColumn(6).getString();
  f.quote_consent = s.getColumn(7).getInt() != 0;
  f.summary_thread = ReadId<ThreadId>(s, 8);
  f.created_at = ReadTime(s, 9);
  f.updated_at = ReadTime(s, 10);
  v.author_name = s.getColumn(11).getString();
  v.liaison_name = s.getColumn(12).getString();
  v.group_slug = s.getColumn(13).getString();
  v.group_name = s.getColumn(14).getString();
  v.reply_count = s.getColumn(15).getInt64();
  return v;
}

Status NotFound() {
  return MakeError(ErrorKind::kNotFound, "not_found",
                   "We could not find that feedback.");
}

}  // namespace

Result<Feedback> SqliteFeedback::Create(const Feedback& f) {
  return Guard([&]() -> Result<Feedback> {
    Stmt s = c_.Prepare(
        "INSERT INTO feedback (group_id, author_id, liaison_id, category, "
        "status, body, "
        "quote_consent, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
        "?, ?)");
    s->bind(1, f.group_id.value);
    s->bind(2, f.author_id.value);
    BindId(s, 3, f.liaison_id);
    s->bind(4, std::string(ToString(f.category)));
    s->bind(5, std::string(ToString(f.status)));
    s->bind(6, f.body);
    s->bind(7, f.quote_consent ? 1 : 0);
    s->bind(8, ToUnix(f.created_at));
    s->bind(9, ToUnix(f.updated_at));
    s->exec();
    Feedback out = f;
    out.id = FeedbackId{c_.db().getLastInsertRowid()};
    out.created_at = Stored(f.created_at);
    out.updated_at = Stored(f.updated_at);
    return out;
  });
}

Result<std::optional<FeedbackView>> SqliteFeedback::Find(FeedbackId id) {
  return Guard([&]() -> Result<std::optional<FeedbackView>> {
    Stmt s = c_.Prepare(RT_FEEDBACK_SELECT "WHERE f.id = ?");
    s->bind(1, id.value);
    if (!s->executeStep()) return std::optional<FeedbackView>();
    return std::optional<FeedbackView>(ReadView(*s));
  });
}

Result<std::vector<FeedbackView>> SqliteFeedback::List(
    GroupId group, const FeedbackFilter& filter, FeedbackId before, int limit) {
  return Guard([&]() -> Result<std::vector<FeedbackView>> {
    std::vector<FeedbackView> out;
    if (limit <= 0) return out;
    // One fixed statement per filter, so that each keeps its own plan
    // (feedback_group, feedback_group_status or feedback_author).
    Stmt s =
        filter.author
            ? (filter.status
                   ? c_.Prepare(RT_FEEDBACK_SELECT
                                "WHERE f.author_id = ?4 AND f.group_id = ?1 "
                                "AND f.status = ?5 AND f.id < ?2 "
                                "ORDER BY f.id DESC LIMIT ?3")
                   : c_.Prepare(RT_FEEDBACK_SELECT
                                "WHERE f.author_id = ?4 AND f.group_id = ?1 "
                                "AND f.id < ?2 ORDER BY f.id DESC LIMIT ?3"))
            : (filter.status
                   ? c_.Prepare(RT_FEEDBACK_SELECT
                                "WHERE f.group_id = ?1 AND f.status = ?5 "
                                "AND f.id < ?2 ORDER BY f.id DESC LIMIT ?3")
                   : c_.Prepare(RT_FEEDBACK_SELECT
                                "WHERE f.group_id = ?1 AND f.id < ?2 "
                                "ORDER BY f.id DESC LIMIT ?3"));
    s->bind(1, group.value);
    s->bind(2, before.valid() ? before.value : kNoUpperBound);
    s->bind(3, limit);
    if (filter.author) s->bind(4, filter.author->value);
    if (filter.status) s->bind(5, std::string(ToString(*filter.status)));
    while (s->executeStep()) out.push_back(ReadView(*s));
    return out;
  });
}

Result<std::vector<FeedbackView>> SqliteFeedback::FindMany(
    GroupId group, const std::vector<FeedbackId>& ids) {
  return Guard([&]() -> Result<std::vector<FeedbackView>> {
    std::vector<FeedbackView> out;
    if (ids.empty()) return out;
    Stmt s = c_.Prepare(
        RT_FEEDBACK_SELECT
        "WHERE f.id IN (SELECT value FROM json_each(?1)) AND f.group_id = ?2 "
        "ORDER BY f.id");
    s->bind(1, JsonIdArray(ids));
    s->bind(2, group.value);
    while (s->executeStep()) out.push_back(ReadView(*s));
    return out;
  });
}

Status SqliteFeedback::SetStatus(FeedbackId id, FeedbackStatus status,
                                 TimePoint now) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare(
        "UPDATE feedback SET status = ?, updated_at = ? WHERE id = ?");
    s->bind(1, std::string(ToString(status)));
    s->bind(2, ToUnix(now));
    s->bind(3, id.value);
    return s->exec() == 0 ? NotFound() : OkStatus();
  });
}

Status SqliteFeedback::SetLiaison(FeedbackId id, AccountId liaison,
                                  TimePoint now) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare(
        "UPDATE feedback SET liaison_id = ?, updated_at = ? WHERE id = ?");
    BindId(s, 1, liaison);
    s->bind(2, ToUnix(now));
    s->bind(3, id.value);
    return s->exec() == 0 ? NotFound() : OkStatus();
  });
}

Status SqliteFeedback::SetQuoteConsent(FeedbackId id, bool consent,
                                       TimePoint now) {
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare(
        "UPDATE feedback SET quote_consent = ?, updated_at = ? WHERE id = ?");
    s->bind(1, consent ? 1 : 0);
    s->bind(2, ToUnix(now));
    s->bind(3, id.value);
    return s->exec() == 0 ? NotFound() : OkStatus();
  });
}

Status SqliteFeedback::SetSummaryThread(const std::vector<FeedbackId>& ids,
                                        ThreadId thread, TimePoint now) {
  if (ids.empty()) return OkStatus();
  return Guard([&]() -> Status {
    Stmt s = c_.Prepare(
        "UPDATE feedback SET summary_thread_id = ?, updated_at = ? "
        "WHERE id IN (SELECT value FROM json_each(?))");
    s->bind(1, thread.value);
    s->bind(2, ToUnix(now));
    s->bind(3, JsonIdArray(ids));
    s->exec();
    return OkStatus();
  });
}

Result<FeedbackReply> SqliteFeedback::AddReply(const FeedbackReply& r) {
  return Guard([&]() -> Result<FeedbackReply> {
    return Atomically(c_, [&]() -> Result<FeedbackReply> {
      Stmt s = c_.Prepare(
          "INSERT INTO feedback_replies (feedback_id, author_id, body, "
          "created_at) "
          "VALUES (?, ?, ?, ?)");
      s->bind(1, r.feedback_id.value);
      s->bind(2, r.author_id.value);
      s->bind(3, r.body);
      s->bind(4, ToUnix(r.created_at));
      s->exec();
      FeedbackReply out = r;
      out.id = FeedbackReplyId{c_.db().getLastInsertRowid()};
      out.created_at = Stored(r.created_at);
      Stmt u = c_.Prepare("UPDATE feedback SET updated_at = ? WHERE id = ?");
      u->bind(1, ToUnix(r.created_at));
      u->bind(2, r.feedback_id.value);
      u->exec();
      return out;
    });
  });
}

Result<std::vector<FeedbackReplyView>> SqliteFeedback::Replies(FeedbackId id,
                                                               int limit) {
  return Guard([&]() -> Result<std::vector<FeedbackReplyView>> {
    std::vector<FeedbackReplyView> out;
    Stmt s = c_.Prepare(
        "SELECT r.id, r.feedback_id, r.author_id, r.body, r.created_at, "
        "COALESCE(a.name, '') "
        "FROM feedback_replies r LEFT JOIN accounts a ON a.id = r.author_id "
        "WHERE r.feedback_id = ? ORDER BY r.id LIMIT ?");
    s->bind(1, id.value);
    s->bind(2, limit);
    while (s->executeStep()) {
      FeedbackReplyView v;
      v.reply.id = ReadId<FeedbackReplyId>(*s, 0);
      v.reply.feedback_id = ReadId<FeedbackId>(*s, 1);
      v.reply.author_id = ReadId<AccountId>(*s, 2);
      v.reply.body = s->getColumn(3).getString();
      v.reply.created_at = ReadTime(*s, 4);
      v.author_name = s->getColumn(5).getString();
      out.push_back(std::move(v));
    }
    return out;
  });
}

Result<std::vector<LiaisonName>> SqliteFeedback::Liaisons(GroupId group) {
  return Guard([&]() -> Result<std::vector<LiaisonName>> {
    std::vector<LiaisonName> out;
    Stmt s = c_.Prepare(
        "SELECT a.id, a.name, a.email FROM group_members m JOIN accounts a ON "
        "a.id = m.account_id "
        "WHERE m.group_id = ? AND m.role = 'liaison' ORDER BY a.id");
    s->bind(1, group.value);
    while (s->executeStep()) {
      out.push_back({ReadId<AccountId>(*s, 0), s->getColumn(1).getString(),
                     s->getColumn(2).getString()});
    }
    return out;
  });
}

Result<int> SqliteFeedback::RehomeOpen(GroupId group, AccountId preferred,
                                       TimePoint now) {
  return Guard([&]() -> Result<int> {
    // The new owner: `preferred` if it is a liaison of the group, else the
    // lowest remaining liaison, else nobody.
    Stmt t = c_.Prepare(
        "SELECT COALESCE("
        "  (SELECT account_id FROM group_members WHERE group_id = ?1 AND "
        "account_id = ?2 "
        "   AND role = 'liaison'),"
        "  (SELECT MIN(account_id) FROM group_members WHERE group_id = ?1 AND "
        "role = 'liaison'))");
    t->bind(1, group.value);
    t->bind(2, preferred.value);
    t->executeStep();
    AccountId target = ReadId<AccountId>(*t, 0);
    t->reset();
    // Only open items whose owner is not a liaison of the group any more
    // move (unowned ones too, once there is someone to own them).
    Stmt s = c_.Prepare(
        "UPDATE feedback SET liaison_id = ?2, updated_at = ?3 "
        "WHERE group_id = ?1 AND status <> 'resolved' AND "
        "((liaison_id IS NULL AND ?2 IS NOT NULL) OR "
        // NULL NOT IN (no rows) is true: keep unowned items out of it.
        " (liaison_id IS NOT NULL AND liaison_id NOT IN "
        "  (SELECT account_id FROM group_members WHERE group_id = ?1 AND "
        "   role = 'liaison')))");
    s->bind(1, group.value);
    BindId(s, 2, target);
    s->bind(3, ToUnix(now));
    return s->exec();
  });
}

}  // namespace rt::store::sqlite
