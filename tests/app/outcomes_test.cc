// The outcomes aggregate (app/outcomes.h) on hand-built check-ins with
// known answers: counts, release blocks, suppression, and the differencing
// attack that release blocks exist to stop.
#include "app/outcomes.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rt::app {
namespace {

// 00:00 UTC on the 15th of month `m` of 2026 (1 = January).
TimePoint Mid(int m) { return MonthStart((2026 - 1970) * 12 + m - 1) + std::chrono::days(14); }
TimePoint Start(int m) { return MonthStart((2026 - 1970) * 12 + m - 1); }

const std::vector<OutcomeStatement> kStatements = {
    {"network", "I have grown my professional network.", 1, true},
    {"skills", "I have built professional skills.", 2, true},
    {"old", "A statement since retired.", 3, false},
};

store::AnsweredCheckin One(int month, int network, int skills,
                           CheckinMoment moment = CheckinMoment::kImmediate,
                           const std::string& learned = "", const std::string& name = "") {
  static int64_t next_id = 1;
  store::AnsweredCheckin c;
  c.id = CheckinId{next_id++};
  c.group = GroupId{1};
  c.moment = moment;
  c.created_at = Mid(month);
  c.quoted_name = name;
  c.answers = {{"network", "asked", network, ""}, {"skills", "asked", skills, ""}};
  if (!learned.empty()) c.answers.push_back({"learned", "asked", 0, learned});
  return c;
}

// `n` check-ins in `month`, each answering network = skills = `value`.
void Add(std::vector<store::AnsweredCheckin>& to, int month, int n, int value = 4) {
  for (int i = 0; i < n; ++i) to.push_back(One(month, value, value));
}

OutcomePeriod Months(int from, int to_exclusive) { return {Start(from), Start(to_exclusive)}; }

TEST(OutcomesTest, CountsEachLevelAndRespondents) {
  std::vector<store::AnsweredCheckin> data = {One(1, 1, 5), One(1, 2, 5), One(1, 4, 5),
                                              One(1, 4, 4), One(1, 5, 3), One(1, 5, 3)};
  OutcomeReport r = BuildOutcomeReport(data, kStatements, 5, Months(1, 2));
  EXPECT_EQ(r.threshold, 5);
  EXPECT_FALSE(r.immediate.suppressed);
  EXPECT_EQ(r.immediate.respondents, 6);
  ASSERT_EQ(r.immediate.items.size(), 2u);  // the retired one has no answers
  const OutcomeItemResult& network = r.immediate.items[0];
  EXPECT_EQ(network.statement_id, "network");
  EXPECT_EQ(network.text, "I have grown my professional network.");
  EXPECT_EQ(network.answered, 6);
  EXPECT_EQ(network.counts, (std::array<int64_t, 5>{1, 1, 0, 2, 2}));
  EXPECT_EQ(r.immediate.items[1].counts, (std::array<int64_t, 5>{0, 0, 2, 1, 3}));
  // Nobody answered the follow-up: suppressed, items listed without numbers.
  EXPECT_TRUE(r.follow_up.suppressed);
  EXPECT_EQ(r.follow_up.moment, "follow_up");
  EXPECT_EQ(r.follow_up.respondents, 0);
  ASSERT_EQ(r.follow_up.items.size(), 2u);
  EXPECT_TRUE(r.follow_up.items[0].suppressed);
  EXPECT_EQ(r.follow_up.items[0].answered, 0);
}

TEST(OutcomesTest, SuppressedBelowTheThresholdShownAtIt) {
  std::vector<store::AnsweredCheckin> data;
  Add(data, 1, 4);
  data.back().answers.push_back({"learned", "asked", 0, "Something only four could write"});
  OutcomeReport below = BuildOutcomeReport(data, kStatements, 5, Months(1, 2));
  EXPECT_TRUE(below.immediate.suppressed);
  EXPECT_EQ(below.immediate.respondents, 0);
  for (const OutcomeItemResult& it : below.immediate.items) {
    EXPECT_TRUE(it.suppressed);
    EXPECT_EQ(it.answered, 0);
    EXPECT_EQ(it.counts, (std::array<int64_t, 5>{}));
  }
  EXPECT_TRUE(below.open_answers.empty());
  // The period is reported as asked: nothing was covered.
  EXPECT_EQ(below.from, ToUnix(Start(1)));
  EXPECT_EQ(below.to, ToUnix(Start(2)));

  Add(data, 1, 1);
  OutcomeReport at = BuildOutcomeReport(data, kStatements, 5, Months(1, 2));
  EXPECT_FALSE(at.immediate.suppressed);
  EXPECT_EQ(at.immediate.respondents, 5);
  EXPECT_EQ(at.immediate.items[0].answered, 5);
  EXPECT_EQ(at.open_answers.size(), 1u);
  // A threshold of 3 shows the first four already.
  data.pop_back();
  EXPECT_FALSE(BuildOutcomeReport(data, kStatements, 3, Months(1, 2)).immediate.suppressed);
}

TEST(OutcomesTest, PeriodsWidenToWholeBlocksAndTheTrailingBlockWaits) {
  // Jan 3, Feb 2 | Mar 4, Apr 1 | May 2 (not yet released).
  std::vector<store::AnsweredCheckin> data;
  Add(data, 1, 3);
  Add(data, 2, 2);
  Add(data, 3, 4);
  Add(data, 4, 1);
  Add(data, 5, 2);
  OutcomeReport feb = BuildOutcomeReport(data, kStatements, 5, Months(2, 3));
  EXPECT_EQ(feb.immediate.respondents, 5);
  EXPECT_EQ(feb.from, ToUnix(Start(1)));
  EXPECT_EQ(feb.to, ToUnix(Start(3)));
  OutcomeReport march = BuildOutcomeReport(data, kStatements, 5, Months(3, 4));
  EXPECT_EQ(march.immediate.respondents, 5);
  EXPECT_EQ(march.from, ToUnix(Start(3)));
  EXPECT_EQ(march.to, ToUnix(Start(5)));
  OutcomeReport all = BuildOutcomeReport(data, kStatements, 5, Months(1, 13));
  EXPECT_EQ(all.immediate.respondents, 10);  // May's two wait for more
  EXPECT_EQ(all.to, ToUnix(Start(5)));
  OutcomeReport may = BuildOutcomeReport(data, kStatements, 5, Months(5, 6));
  EXPECT_TRUE(may.immediate.suppressed);
  // Three more in June release May and June together.
  Add(data, 6, 3);
  OutcomeReport june = BuildOutcomeReport(data, kStatements, 5, Months(5, 6));
  EXPECT_EQ(june.immediate.respondents, 5);
  EXPECT_EQ(june.to, ToUnix(Start(7)));
}

TEST(OutcomesTest, NoTwoReportsDifferByFewerThanTheThreshold) {
  // The attack: Jan has 5 check-ins, Feb only 2. Without blocks, "Jan to
  // Feb" minus "Jan" would be those 2 people's answers, each level telling
  // how one of them answered.
  std::vector<store::AnsweredCheckin> data;
  Add(data, 1, 5, 4);
  data.push_back(One(2, 1, 1));
  data.push_back(One(2, 1, 1));
  Add(data, 3, 3, 3);
  Add(data, 4, 4, 5);
  Add(data, 6, 6, 2);
  Add(data, 7, 2, 1);  // trailing, never released
  OutcomeReport jan = BuildOutcomeReport(data, kStatements, 5, Months(1, 2));
  OutcomeReport jan_feb = BuildOutcomeReport(data, kStatements, 5, Months(1, 3));
  EXPECT_EQ(jan.immediate.respondents, 5);
  EXPECT_EQ(jan_feb.immediate.respondents, 10);  // Feb comes with March, whole
  // Feb's two "strongly disagree" show only among the five of their block.
  EXPECT_EQ(jan_feb.immediate.items[0].counts[0] - jan.immediate.items[0].counts[0], 2);
  EXPECT_EQ(jan_feb.immediate.items[0].answered - jan.immediate.items[0].answered, 5);

  // Every pair of periods over the year, by month: any difference between
  // two reports' counts rests on at least `threshold` check-ins.
  std::vector<OutcomeReport> reports;
  for (int from = 1; from <= 12; ++from) {
    for (int to = from + 1; to <= 13; ++to) {
      reports.push_back(BuildOutcomeReport(data, kStatements, 5, Months(from, to)));
    }
  }
  for (const OutcomeReport& a : reports) {
    for (const OutcomeReport& b : reports) {
      int64_t d = b.immediate.respondents - a.immediate.respondents;
      EXPECT_TRUE(d == 0 || d >= 5 || d <= -5)
          << a.from << ".." << a.to << " vs " << b.from << ".." << b.to << ": " << d;
      for (size_t i = 0; i < a.immediate.items.size(); ++i) {
        int64_t n = b.immediate.items[i].answered - a.immediate.items[i].answered;
        EXPECT_TRUE(n == 0 || n >= 5 || n <= -5);
      }
    }
  }
}

TEST(OutcomesTest, AnItemCountsOnlyInBlocksWhereEnoughAnsweredIt) {
  std::vector<OutcomeStatement> statements = kStatements;
  statements.push_back({"leadership", "I lead more.", 4, true});
  std::vector<store::AnsweredCheckin> data;
  Add(data, 1, 5);
  // A statement added late in the block: only two answered it.
  data[3].answers.push_back({"leadership", "I lead more.", 5, ""});
  data[4].answers.push_back({"leadership", "I lead more.", 1, ""});
  OutcomeReport r = BuildOutcomeReport(data, statements, 5, Months(1, 2));
  ASSERT_EQ(r.immediate.items.size(), 3u);
  EXPECT_EQ(r.immediate.items[2].statement_id, "leadership");
  EXPECT_TRUE(r.immediate.items[2].suppressed);
  EXPECT_EQ(r.immediate.items[2].counts, (std::array<int64_t, 5>{}));
  // A retired statement with answers in the covered blocks is listed.
  for (auto& c : data) c.answers.push_back({"old", "A statement since retired.", 2, ""});
  r = BuildOutcomeReport(data, statements, 5, Months(1, 2));
  ASSERT_EQ(r.immediate.items.size(), 4u);
  EXPECT_EQ(r.immediate.items[2].statement_id, "old");
  EXPECT_EQ(r.immediate.items[2].counts[1], 5);
}

TEST(OutcomesTest, OpenAnswersNameOnlyThoseWhoAgreedAndAreDatedToTheirBlock) {
  std::vector<store::AnsweredCheckin> data;
  Add(data, 1, 3);
  data.push_back(One(2, 3, 3, CheckinMoment::kImmediate, "Weeding tips", "Ada Lovelace"));
  data.push_back(One(2, 3, 3, CheckinMoment::kImmediate, "Grant writing"));
  data.push_back(One(3, 3, 3, CheckinMoment::kImmediate, "Too few to show"));
  OutcomeReport r = BuildOutcomeReport(data, kStatements, 5, Months(1, 13));
  ASSERT_EQ(r.open_answers.size(), 2u);
  // Same month (the block's first), then by text.
  EXPECT_EQ(r.open_answers[0].text, "Grant writing");
  EXPECT_EQ(r.open_answers[0].quoted_name, "");
  EXPECT_EQ(r.open_answers[1].text, "Weeding tips");
  EXPECT_EQ(r.open_answers[1].quoted_name, "Ada Lovelace");
  EXPECT_EQ(r.open_answers[1].question_id, "learned");
  EXPECT_EQ(r.open_answers[1].question, "What did you learn or apply?");
  EXPECT_EQ(r.open_answers[1].answered_at, ToUnix(Start(1)));
  EXPECT_EQ(r.open_answers[1].moment, "immediate");
}

TEST(OutcomesTest, MomentsAreReleasedSeparately) {
  std::vector<store::AnsweredCheckin> data;
  Add(data, 1, 5);
  for (int i = 0; i < 4; ++i) data.push_back(One(3, 2, 2, CheckinMoment::kFollowUp));
  OutcomeReport r = BuildOutcomeReport(data, kStatements, 5, Months(1, 13));
  EXPECT_FALSE(r.immediate.suppressed);
  EXPECT_TRUE(r.follow_up.suppressed);
  data.push_back(One(4, 2, 2, CheckinMoment::kFollowUp));
  r = BuildOutcomeReport(data, kStatements, 5, Months(1, 13));
  EXPECT_EQ(r.follow_up.respondents, 5);
  EXPECT_EQ(r.follow_up.items[0].counts[1], 5);
}

TEST(OutcomesTest, TheExportHasOnlyReleasedRowsInShuffledOrderWithBlockMonths) {
  std::vector<store::AnsweredCheckin> data;
  Add(data, 1, 3, 2);
  Add(data, 2, 2, 4);
  Add(data, 3, 1, 5);  // trailing
  data[0].quoted_name = "Ada";
  AnswerExport x = BuildAnswerExport(data, kStatements, 5, Months(1, 13), 42);
  ASSERT_EQ(x.statements.size(), 2u);
  ASSERT_EQ(x.rows.size(), 5u);
  int named = 0;
  for (size_t i = 0; i < x.rows.size(); ++i) {
    EXPECT_EQ(x.rows[i].row, static_cast<int64_t>(i + 1));
    EXPECT_EQ(x.rows[i].months, "2026-01/2026-02");
    EXPECT_EQ(x.rows[i].moment, "immediate");
    EXPECT_NE(x.rows[i].values[0], 5);  // March's is not released
    named += x.rows[i].quoted_name == "Ada";
  }
  EXPECT_EQ(named, 1);
}

TEST(OutcomesTest, PeriodsAreParsedAsInclusiveDays) {
  Date today = *Date::ParseIso("2026-03-10");
  auto p = ParseOutcomePeriod("2026-01-01", "2026-01-31", today);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->from, Start(1));
  EXPECT_EQ(p->to, Start(2));
  auto open = ParseOutcomePeriod("", "", today);
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(ToUnix(open->from), 0);
  EXPECT_EQ(open->to, FromUnix(int64_t{today.days() + 1} * 86400));
  auto bad = ParseOutcomePeriod("2026-02-30", "", today);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "from");
  EXPECT_EQ(bad.error().kind, ErrorKind::kRuleBroken);
  auto reversed = ParseOutcomePeriod("2026-03-01", "2026-02-01", today);
  ASSERT_FALSE(reversed.ok());
  EXPECT_EQ(reversed.error().code, "invalid_period");
}

}  // namespace
}  // namespace rt::app
