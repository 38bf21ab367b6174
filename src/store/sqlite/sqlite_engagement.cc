// Engagement figures (EngagementRepository in store/engagement.h): one
// aggregate query per kind of figure, grouped by group and UTC month, for one
// group or for every group of an association at once.

#include "store/sqlite/sqlite_engagement.h"

#include <algorithm>
#include <map>
#include <string>

#include "domain/discussions/thread.h"
#include "store/sqlite/sqlite_util.h"

// Each query is written once and instantiated for the two scopes, so that
// each statement keeps a plan that uses the group's index: `a.group_id = ?`
// for one group, a subquery over the association's groups for all of them.
#define RT_ONE_GROUP(a) a ".group_id = :scope"
#define RT_ALL_GROUPS(a) \
  a ".group_id IN (SELECT id FROM interest_groups WHERE association_id = :scope)"
#define RT_MONTH(col) "strftime('%Y-%m', " col ", 'unixepoch')"

// Current members who joined before the span (month '') or in it.
#define RT_MEMBERS_SQL(SCOPE) \
  "SELECT gm.group_id, CASE WHEN gm.joined_at < :from THEN '' ELSE " RT_MONTH( \
      "gm.joined_at") " END, COUNT(*) FROM group_members gm WHERE " SCOPE("gm")  \
      " AND gm.joined_at < :to GROUP BY 1, 2"

// Members of members-only groups whose association membership lapsed in the
// span: the first day after their latest paid-through date plus the grace
// days (:grace is "+N days", N = grace + 1). The latest paid-through comes
// from memberships_standing, one index probe per member.
#define RT_LAPSED_SQL(SCOPE) \
  "SELECT group_id, strftime('%Y-%m', lapse), COUNT(*) FROM ("                   \
  "SELECT gm.group_id, date((SELECT MAX(ms.paid_through) FROM memberships ms "   \
  "WHERE ms.account_id = gm.account_id AND ms.association_id = g.association_id" \
  "), :grace) AS lapse FROM group_members gm JOIN interest_groups g ON g.id = "  \
  "gm.group_id WHERE " SCOPE("gm") " AND g.join_policy = 'members_only') "       \
  "WHERE lapse >= :from_date AND lapse < :to_date GROUP BY 1, 2"

// Accounts that posted, replied or recommended a post, per month and (month
// '') over the whole span, since distinct counts do not add up.
#define RT_ACTIVE_SQL(SCOPE) \
  "WITH acts(g, m, a) AS MATERIALIZED ("                                          \
  "SELECT t.group_id, " RT_MONTH("p.created_at") ", p.author_id FROM posts p "    \
  "JOIN threads t ON t.id = p.thread_id WHERE " SCOPE("t")                        \
  " AND p.created_at >= :from AND p.created_at < :to "                            \
  "UNION SELECT t.group_id, " RT_MONTH("r.created_at") ", r.account_id FROM "     \
  "recommendations r JOIN posts p ON p.id = r.post_id JOIN threads t ON t.id = " \
  "p.thread_id WHERE " SCOPE("t") " AND r.created_at >= :from AND "              \
  "r.created_at < :to) "                                                          \
  "SELECT g, m, COUNT(DISTINCT a) FROM acts GROUP BY g, m "                       \
  "UNION ALL SELECT g, '', COUNT(DISTINCT a) FROM acts GROUP BY g"

// Threads started, by kind, with what became of the questions.
#define RT_THREADS_SQL(SCOPE) \
  "SELECT t.group_id, " RT_MONTH("t.created_at") ", t.kind, COUNT(*), "       \
  "SUM(t.kind = 'question' AND t.accepted_post_id IS NOT NULL), "             \
  "SUM(t.kind = 'question' AND EXISTS (SELECT 1 FROM posts p WHERE "          \
  "p.thread_id = t.id AND p.id <> t.first_post_id AND p.deleted = 0)) "       \
  "FROM threads t WHERE " SCOPE("t")                                           \
  " AND t.created_at >= :from AND t.created_at < :to GROUP BY 1, 2, 3"

// Visible replies written in the span, by the kind of their thread.
#define RT_REPLIES_SQL(SCOPE) \
  "SELECT t.group_id, " RT_MONTH("p.created_at") ", t.kind, COUNT(*) FROM "    \
  "posts p JOIN threads t ON t.id = p.thread_id WHERE " SCOPE("t")              \
  " AND p.created_at >= :from AND p.created_at < :to AND p.deleted = 0 AND "   \
  "p.id <> t.first_post_id GROUP BY 1, 2, 3"

// The median time to a first reply from someone other than the author, for
// threads started in the span. SQLite has no median, so the window functions
// number each partition's delays in order and the outer query averages the
// middle one (odd count) or two (even count): exact, and only one or two
// rows per partition leave the database. Month '' partitions the whole span.
#define RT_FIRST_REPLY_SQL(SCOPE) \
  "WITH d(g, m, delta) AS MATERIALIZED (SELECT * FROM (SELECT t.group_id, "     \
  RT_MONTH("t.created_at") ", (SELECT MIN(p.created_at) FROM posts p WHERE "    \
  "p.thread_id = t.id AND p.id <> t.first_post_id AND p.deleted = 0 AND "       \
  "p.author_id <> t.author_id) - t.created_at AS delta FROM threads t WHERE "   \
  SCOPE("t") " AND t.created_at >= :from AND t.created_at < :to) "              \
  "WHERE delta IS NOT NULL), "                                                  \
  "r AS (SELECT g, m, delta, ROW_NUMBER() OVER (PARTITION BY g, m ORDER BY "    \
  "delta) AS rn, COUNT(*) OVER (PARTITION BY g, m) AS n FROM d "                \
  "UNION ALL SELECT g, '', delta, ROW_NUMBER() OVER (PARTITION BY g ORDER BY " \
  "delta), COUNT(*) OVER (PARTITION BY g) FROM d) "                             \
  "SELECT g, m, n, AVG(delta) FROM r WHERE rn IN ((n + 1) / 2, (n + 2) / 2) "   \
  "GROUP BY g, m"

#define RT_RESOURCES_SQL(SCOPE) \
  "SELECT r.group_id, " RT_MONTH("r.created_at") ", COUNT(*) FROM "       \
  "resources r WHERE " SCOPE("r") " AND r.created_at >= :from AND "      \
  "r.created_at < :to GROUP BY 1, 2"

// Sent (kind 0) and accepted (kind 1), each in the month it happened.
#define RT_INVITATIONS_SQL(SCOPE) \
  "SELECT i.group_id, " RT_MONTH("i.created_at") ", 0, COUNT(*) FROM "         \
  "invitations i WHERE " SCOPE("i") " AND i.created_at >= :from AND "          \
  "i.created_at < :to GROUP BY 1, 2 "                                           \
  "UNION ALL SELECT i.group_id, " RT_MONTH("i.accepted_at") ", 1, COUNT(*) "   \
  "FROM invitations i WHERE " SCOPE("i") " AND i.accepted_at >= :from AND "    \
  "i.accepted_at < :to GROUP BY 1, 2"

#define RT_FEEDBACK_SQL(SCOPE) \
  "SELECT f.group_id, " RT_MONTH("f.created_at") ", COUNT(*), "                \
  "SUM(f.status = 'resolved') FROM feedback f WHERE " SCOPE("f")                \
  " AND f.created_at >= :from AND f.created_at < :to GROUP BY 1, 2"

namespace rt::store::sqlite {

namespace {

using Groups = std::map<int64_t, GroupEngagementCounts>;

// Where a row's values go: its month and, for figures that add up, the
// whole span too.
struct Row {
  const SQLite::Statement& s;
  GroupEngagementCounts& group;
  std::string month;  // "" for the rows of the whole span

  int64_t Int(int i) const { return s.getColumn(i).getInt64(); }
  // Adds to the month's counts and to the span's.
  template <typename Fn>
  void Add(Fn&& fn) const {
    fn(group.months[month]);
    fn(group.period);
  }
  // The month's counts, or the span's for month "".
  EngagementCounts& Own() const { return month.empty() ? group.period : group.months[month]; }
};

int KindIndex(const SQLite::Statement& s, int i) {
  return static_cast<int>(CheckedEnum(ParseThreadKind(s.getColumn(i).getString())));
}

void ReadMembers(const Row& r) {
  if (r.month.empty()) {
    r.group.members_before = r.Int(2);
  } else {
    r.Add([&](EngagementCounts& c) { c.members_new += r.Int(2); });
  }
}

void ReadLapsed(const Row& r) {
  r.Add([&](EngagementCounts& c) { c.members_lapsed += r.Int(2); });
}

void ReadActive(const Row& r) { r.Own().members_active = r.Int(2); }

void ReadThreads(const Row& r) {
  int kind = KindIndex(r.s, 2);
  r.Add([&](EngagementCounts& c) {
    c.threads[kind] += r.Int(3);
    c.questions_answered += r.Int(4);
    c.questions_replied += r.Int(5);
  });
}

void ReadReplies(const Row& r) {
  int kind = KindIndex(r.s, 2);
  r.Add([&](EngagementCounts& c) { c.replies[kind] += r.Int(3); });
}

void ReadFirstReply(const Row& r) {
  EngagementCounts& c = r.Own();
  c.first_reply_threads = r.Int(2);
  c.median_first_reply_seconds = r.s.getColumn(3).getDouble();
}

void ReadResources(const Row& r) {
  r.Add([&](EngagementCounts& c) { c.resources_shared += r.Int(2); });
}

void ReadInvitations(const Row& r) {
  bool accepted = r.Int(2) == 1;
  r.Add([&](EngagementCounts& c) {
    (accepted ? c.invitations_accepted : c.invitations_sent) += r.Int(3);
  });
}

void ReadFeedback(const Row& r) {
  r.Add([&](EngagementCounts& c) {
    c.feedback_received += r.Int(2);
    c.feedback_resolved += r.Int(3);
  });
}

struct Query {
  const char* one_group;
  const char* all_groups;
  void (*read)(const Row&);
};

#define RT_QUERY(SQL, READ) \
  { SQL(RT_ONE_GROUP), SQL(RT_ALL_GROUPS), READ }

const Query kQueries[] = {
    RT_QUERY(RT_MEMBERS_SQL, ReadMembers),     RT_QUERY(RT_LAPSED_SQL, ReadLapsed),
    RT_QUERY(RT_ACTIVE_SQL, ReadActive),       RT_QUERY(RT_THREADS_SQL, ReadThreads),
    RT_QUERY(RT_REPLIES_SQL, ReadReplies),     RT_QUERY(RT_FIRST_REPLY_SQL, ReadFirstReply),
    RT_QUERY(RT_RESOURCES_SQL, ReadResources), RT_QUERY(RT_INVITATIONS_SQL, ReadInvitations),
    RT_QUERY(RT_FEEDBACK_SQL, ReadFeedback),
};

// Binds the named parameters the statement uses (each query uses some).
template <typename T>
void BindIfUsed(Stmt& s, const char* name, const T& value) {
  int i = s->getIndex(name);
  if (i > 0) s->bind(i, value);
}

}  // namespace

Result<std::vector<GroupEngagementCounts>> SqliteEngagement::Count(const EngagementScope& scope) {
  return Guard([&]() -> Result<std::vector<GroupEngagementCounts>> {
    const bool one = scope.group.valid();
    const int64_t scope_id = one ? scope.group.value : scope.association.value;
    const std::string from_date = Date::FromTime(scope.from).Iso();
    const std::string to_date = Date::FromTime(scope.to).Iso();
    const std::string grace = "+" + std::to_string(std::max(0, scope.grace_days) + 1) + " days";
    Groups groups;
    for (const Query& q : kQueries) {
      Stmt s = c_.Prepare(one ? q.one_group : q.all_groups);
      BindIfUsed(s, ":scope", scope_id);
      BindIfUsed(s, ":from", ToUnix(scope.from));
      BindIfUsed(s, ":to", ToUnix(scope.to));
      BindIfUsed(s, ":from_date", from_date);
      BindIfUsed(s, ":to_date", to_date);
      BindIfUsed(s, ":grace", grace);
      while (s->executeStep()) {
        int64_t id = s->getColumn(0).getInt64();
        GroupEngagementCounts& g = groups[id];
        g.group = GroupId{id};
        q.read(Row{*s, g, s->getColumn(1).getString()});
      }
    }
    std::vector<GroupEngagementCounts> out;
    out.reserve(groups.size());
    for (auto& [id, g] : groups) out.push_back(std::move(g));
    return out;
  });
}

}  // namespace rt::store::sqlite
