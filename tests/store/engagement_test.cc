// Engagement figures on hand-built data with known answers: every figure,
// UTC month boundaries (a row at 23:59:59 on the last day and one at 00:00
// on the first), the median with odd and even counts, and the same answers
// for one group and for the association-wide query.
#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/store.h"
#include "store/store_fixture.h"

namespace rt::store::testing {
namespace {

// Unix seconds of a UTC time.
int64_t At(int y, unsigned m, unsigned d, int h = 0, int min = 0, int s = 0) {
  return int64_t{Date::FromYmd(y, m, d).days()} * 86400 + h * 3600 + min * 60 + s;
}

constexpr int64_t kHour = 3600;
constexpr int kDiscussion = 0, kQuestion = 1, kStory = 2;

class EngagementStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenStore(dbf_.url());
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
    ASSERT_TRUE(store_->Migrate().ok());
    db_ =
        std::make_unique<SQLite::Database>(dbf_.dir() + "/data/rt.sqlite3", SQLite::OPEN_READWRITE);
    Seed();
  }

  void Exec(const std::string& sql) { db_->exec(sql); }
  static std::string S(int64_t v) { return std::to_string(v); }

  void Member(int group, int account, int64_t joined) {
    Exec("INSERT INTO group_members (group_id, account_id, role, joined_at) VALUES (" + S(group) +
         ", " + S(account) + ", 'member', " + S(joined) + ")");
  }
  // A thread with its first post; returns the thread id.
  int64_t Thread(int group, int author, const char* kind, int64_t at) {
    Exec(
        "INSERT INTO threads (group_id, author_id, kind, title, created_at, last_activity_at) "
        "VALUES (" +
        S(group) + ", " + S(author) + ", '" + kind + "', 't', " + S(at) + ", " + S(at) + ")");
    int64_t t = db_->getLastInsertRowid();
    int64_t p = Post(t, author, at);
    Exec("UPDATE threads SET first_post_id = " + S(p) + " WHERE id = " + S(t));
    return t;
  }
  int64_t Post(int64_t thread, int author, int64_t at, bool deleted = false) {
    Exec(
        "INSERT INTO posts (thread_id, author_id, body_source, body_html, via, deleted, "
        "created_at) VALUES (" +
        S(thread) + ", " + S(author) + ", 'b', '<p>b</p>', 'web', " + (deleted ? "1" : "0") + ", " +
        S(at) + ")");
    return db_->getLastInsertRowid();
  }

  void Resource(int64_t at) {
    Exec(
        "INSERT INTO resources (group_id, shared_by, kind, title, description_source, "
        "description_html, license, url, last_checked_at, created_at) VALUES (1, 1, 'link', "
        "'r', '', '', 'cc0', 'https://x.org', 0, " +
        S(at) + ")");
  }
  // An invitation to group 1, sent at `sent` and accepted at `accepted` (0:
  // not accepted).
  void Invitation(int64_t sent, int64_t accepted) {
    Exec(
        "INSERT INTO invitations (token_hash, group_id, inviter_id, email, created_at, "
        "expires_at, accepted_at) VALUES (" +
        S(sent) + ", 1, 1, 'i@x.org', " + S(sent) + ", 0, " + (accepted ? S(accepted) : "NULL") +
        ")");
  }
  void Feedback(const char* status, int64_t at) {
    Exec(
        "INSERT INTO feedback (group_id, author_id, category, status, body, created_at, "
        "updated_at) VALUES (1, 2, 'idea', '" +
        std::string(status) + "', 'b', " + S(at) + ", 0)");
  }

  // The world of the tests: the period is January and February 2026.
  void Seed() {
    Exec("INSERT INTO associations (id, slug, name, grace_days) VALUES (1, 'pla', 'PLA', 10)");
    Exec(
        "INSERT INTO interest_groups (id, association_id, slug, name, join_policy, visibility) "
        "VALUES (1, 1, 'g1', 'One', 'members_only', 'members'), "
        "(2, 1, 'g2', 'Two', 'open', 'public'), (3, 1, 'g3', 'Quiet', 'open', 'public')");
    for (int a = 1; a <= 6; ++a) {
      Exec(
          "INSERT INTO accounts (id, email, name, name_key, password_hash, created_at, "
          "updated_at) VALUES (" +
          S(a) + ", 'a" + S(a) + "@x.org', 'A', 'a', 'h', 0, 0)");
    }
    // Members: one before the period, two in January (one in its last
    // second), one at the first second of February, one at the first
    // second after the period; account 1 also joins the open group.
    Member(1, 1, At(2025, 12, 15));
    Member(1, 2, At(2026, 1, 5));
    Member(1, 3, At(2026, 1, 31, 23, 59, 59));
    Member(1, 4, At(2026, 2, 1));
    Member(1, 5, At(2026, 3, 1));
    Member(2, 1, At(2026, 2, 10));
    // Memberships, 10 grace days: account 1 lapses on 5 January, account 3
    // on 28 February, account 4 on 1 March (after the period); account 2
    // renewed (its latest paid-through counts).
    Exec(
        "INSERT INTO memberships (association_id, email, account_id, member_type, "
        "paid_through, source, created_at, updated_at) VALUES "
        "(1, 'a1@x.org', 1, 'p', '2025-12-25', 'import', 0, 0), "
        "(1, 'a2@x.org', 2, 'p', '2026-01-20', 'import', 0, 0), "
        "(1, 'a2b@x.org', 2, 'p', '2027-01-01', 'import', 0, 0), "
        "(1, 'a3@x.org', 3, 'p', '2026-02-17', 'import', 0, 0), "
        "(1, 'a4@x.org', 4, 'p', '2026-02-18', 'import', 0, 0)");

    // January: an answered question (first reply from someone else after an
    // hour; the author's own reply and a deleted one do not count), an
    // unanswered question, a discussion answered after two hours.
    int64_t t1 = Thread(1, 1, "question", At(2026, 1, 10));
    Post(t1, 3, At(2026, 1, 10) + 30, /*deleted=*/true);
    Post(t1, 1, At(2026, 1, 10) + 60);
    int64_t answer = Post(t1, 2, At(2026, 1, 10) + kHour);
    Exec("UPDATE threads SET accepted_post_id = " + S(answer) + " WHERE id = " + S(t1));
    Thread(1, 2, "question", At(2026, 1, 20));
    int64_t t3 = Thread(1, 2, "discussion", At(2026, 1, 25));
    int64_t recommended = Post(t3, 1, At(2026, 1, 25) + 2 * kHour);
    Exec("INSERT INTO recommendations (post_id, account_id, created_at) VALUES (" + S(recommended) +
         ", 5, " + S(At(2026, 1, 26)) + ")");
    // A thread from December with a reply in January.
    int64_t t6 = Thread(1, 1, "discussion", At(2025, 12, 20));
    Post(t6, 2, At(2026, 1, 2));
    // February: a story answered in 10 minutes, a question in 2 days (no
    // accepted answer), a discussion in 30 minutes.
    int64_t t4 = Thread(1, 3, "story", At(2026, 2, 3));
    Post(t4, 4, At(2026, 2, 3) + 600);
    int64_t t5 = Thread(1, 4, "question", At(2026, 2, 5));
    int64_t late = Post(t5, 1, At(2026, 2, 7));
    int64_t t7 = Thread(1, 1, "discussion", At(2026, 2, 10));
    Post(t7, 2, At(2026, 2, 10) + 1800);
    // After the period: a recommendation that must not count.
    Exec("INSERT INTO recommendations (post_id, account_id, created_at) VALUES (" + S(late) +
         ", 5, " + S(At(2026, 3, 2)) + ")");
    // The open group: one discussion.
    Thread(2, 1, "discussion", At(2026, 2, 11));

    for (int64_t at : {At(2026, 1, 15), At(2026, 2, 20), At(2026, 3, 1)}) Resource(at);
    Invitation(At(2026, 1, 3), At(2026, 2, 2));
    Invitation(At(2026, 1, 4), 0);
    Invitation(At(2025, 12, 30), At(2026, 1, 1));
    Feedback("resolved", At(2026, 1, 8));
    Feedback("new", At(2026, 1, 9));
    Feedback("resolved", At(2026, 2, 14));
  }

  EngagementScope Scope(GroupId group) {
    EngagementScope s;
    s.association = AssociationId{1};
    s.group = group;
    s.from = FromUnix(At(2026, 1, 1));
    s.to = FromUnix(At(2026, 3, 1));
    s.grace_days = 10;
    return s;
  }

  SqliteTestDatabase dbf_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<SQLite::Database> db_;
};

// Checks group 1's figures (the same whichever scope counted them).
void ExpectGroupOne(const GroupEngagementCounts& g) {
  ASSERT_EQ(g.group, GroupId{1});
  ASSERT_EQ(g.months.size(), 2u);
  const EngagementCounts& jan = g.months.at("2026-01");
  const EngagementCounts& feb = g.months.at("2026-02");
  const EngagementCounts& all = g.period;

  EXPECT_EQ(g.members_before, 1);
  EXPECT_EQ(jan.members_new, 2);  // the one at 23:59:59 on 31 January counts in January
  EXPECT_EQ(feb.members_new, 1);  // 00:00:00 on 1 February is February's; 1 March is out
  EXPECT_EQ(all.members_new, 3);

  EXPECT_EQ(jan.members_lapsed, 1);
  EXPECT_EQ(feb.members_lapsed, 1);  // lapsing on 1 March is after the period
  EXPECT_EQ(all.members_lapsed, 2);

  EXPECT_EQ(jan.members_active, 4);  // 1, 2, 3 (a deleted post) and 5 (a recommendation)
  EXPECT_EQ(feb.members_active, 4);  // 1, 2, 3, 4
  EXPECT_EQ(all.members_active, 5);  // each person once

  EXPECT_EQ(jan.threads[kQuestion], 2);
  EXPECT_EQ(jan.threads[kDiscussion], 1);
  EXPECT_EQ(jan.threads[kStory], 0);
  EXPECT_EQ(feb.threads[kQuestion], 1);
  EXPECT_EQ(feb.threads[kDiscussion], 1);
  EXPECT_EQ(feb.threads[kStory], 1);
  EXPECT_EQ(all.threads[kQuestion], 3);

  EXPECT_EQ(jan.replies[kQuestion], 2);    // the deleted reply is not shown
  EXPECT_EQ(jan.replies[kDiscussion], 2);  // one to a December thread
  EXPECT_EQ(feb.replies[kQuestion], 1);
  EXPECT_EQ(feb.replies[kDiscussion], 1);
  EXPECT_EQ(feb.replies[kStory], 1);
  EXPECT_EQ(all.replies[0] + all.replies[1] + all.replies[2], 7);

  EXPECT_EQ(jan.questions_answered, 1);
  EXPECT_EQ(jan.questions_replied, 1);
  EXPECT_EQ(feb.questions_answered, 0);
  EXPECT_EQ(feb.questions_replied, 1);
  EXPECT_EQ(all.questions_answered, 1);
  EXPECT_EQ(all.questions_replied, 2);

  // Even count: the mean of 1 h and 2 h. Odd: the middle of 10 min, 30 min
  // and 2 days. The period: the middle of all five.
  EXPECT_EQ(jan.first_reply_threads, 2);
  EXPECT_EQ(jan.median_first_reply_seconds, std::optional<double>(5400));
  EXPECT_EQ(feb.first_reply_threads, 3);
  EXPECT_EQ(feb.median_first_reply_seconds, std::optional<double>(1800));
  EXPECT_EQ(all.first_reply_threads, 5);
  EXPECT_EQ(all.median_first_reply_seconds, std::optional<double>(3600));

  EXPECT_EQ(jan.resources_shared, 1);
  EXPECT_EQ(feb.resources_shared, 1);
  EXPECT_EQ(all.resources_shared, 2);

  EXPECT_EQ(jan.invitations_sent, 2);
  EXPECT_EQ(jan.invitations_accepted, 1);  // sent in December
  EXPECT_EQ(feb.invitations_sent, 0);
  EXPECT_EQ(feb.invitations_accepted, 1);
  EXPECT_EQ(all.invitations_sent, 2);
  EXPECT_EQ(all.invitations_accepted, 2);

  EXPECT_EQ(jan.feedback_received, 2);
  EXPECT_EQ(jan.feedback_resolved, 1);
  EXPECT_EQ(feb.feedback_received, 1);
  EXPECT_EQ(feb.feedback_resolved, 1);
  EXPECT_EQ(all.feedback_received, 3);
  EXPECT_EQ(all.feedback_resolved, 2);
}

TEST_F(EngagementStoreTest, CountsEveryFigureOfOneGroupByMonth) {
  auto got = store_->engagement().Count(Scope(GroupId{1}));
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_EQ(got->size(), 1u);
  ExpectGroupOne(got->front());
}

TEST_F(EngagementStoreTest, TheAssociationWideQueryGivesEachGroupTheSameFigures) {
  auto got = store_->engagement().Count(Scope(GroupId{}));
  ASSERT_TRUE(got.ok()) << got.error().message;
  // The quiet group has nothing at all, so it is left out.
  ASSERT_EQ(got->size(), 2u);
  ExpectGroupOne((*got)[0]);
  const GroupEngagementCounts& two = (*got)[1];
  EXPECT_EQ(two.group, GroupId{2});
  EXPECT_EQ(two.period.members_new, 1);
  EXPECT_EQ(two.period.members_lapsed, 0);  // an open group: nobody lapses from it
  EXPECT_EQ(two.period.threads[kDiscussion], 1);
  EXPECT_EQ(two.period.members_active, 1);
  EXPECT_FALSE(two.period.median_first_reply_seconds.has_value());
  EXPECT_EQ(two.months.size(), 1u);
}

TEST_F(EngagementStoreTest, ASingleDelayIsItsOwnMedianAndAnEmptySpanHasNone) {
  EngagementScope s = Scope(GroupId{1});
  s.from = FromUnix(At(2026, 1, 25));
  s.to = FromUnix(At(2026, 1, 26));
  auto got = store_->engagement().Count(s);
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ(got->front().period.median_first_reply_seconds, std::optional<double>(7200));
  EXPECT_EQ(got->front().period.first_reply_threads, 1);
  EXPECT_EQ(got->front().members_before, 2);

  s.from = FromUnix(At(2024, 1, 1));
  s.to = FromUnix(At(2024, 2, 1));
  got = store_->engagement().Count(s);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->empty());
}

}  // namespace
}  // namespace rt::store::testing
