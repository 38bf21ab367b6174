#include "domain/outcomes/checkins.h"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

namespace rt {
namespace {

using std::chrono::days;

const TimePoint kJoined = FromUnix(1767225600);  // 2026-01-01

TEST(CheckinDueTest, ImmediateAfterThirtyDaysOrAnAcceptedAnswerWhicheverFirst) {
  CheckinFacts f;
  f.joined_at = kJoined;
  EXPECT_EQ(DueMoment(f, kJoined), std::nullopt);
  EXPECT_EQ(DueMoment(f, kJoined + days(29)), std::nullopt);
  EXPECT_EQ(DueMoment(f, kJoined + days(30)), CheckinMoment::kImmediate);
  f.has_accepted_answer = true;
  EXPECT_EQ(DueMoment(f, kJoined + days(1)), CheckinMoment::kImmediate);
}

TEST(CheckinDueTest, FollowUpSixWeeksAfterTheImmediateOneAndEachOnlyOnce) {
  CheckinFacts f;
  f.joined_at = kJoined;
  f.immediate_done_at = kJoined + days(30);
  EXPECT_EQ(DueMoment(f, kJoined + days(30)), std::nullopt);
  EXPECT_EQ(DueMoment(f, kJoined + days(30 + 41)), std::nullopt);
  EXPECT_EQ(DueMoment(f, kJoined + days(30 + 42)), CheckinMoment::kFollowUp);
  f.follow_up_done = true;
  EXPECT_EQ(DueMoment(f, kJoined + days(400)), std::nullopt);
}

TEST(CheckinMomentTest, NamesRoundTrip) {
  for (CheckinMoment m : kCheckinMoments) EXPECT_EQ(ParseCheckinMoment(ToString(m)), m);
  EXPECT_EQ(ParseCheckinMoment("later"), std::nullopt);
  EXPECT_EQ(ToString(CheckinMoment::kFollowUp), "follow_up");
}

TEST(StatementIdTest, LowerCaseWordsOnlyAndNotTheOpenQuestions) {
  EXPECT_TRUE(IsValidStatementId("network"));
  EXPECT_TRUE(IsValidStatementId("team_2"));
  EXPECT_FALSE(IsValidStatementId(""));
  EXPECT_FALSE(IsValidStatementId("Network"));
  EXPECT_FALSE(IsValidStatementId("a-b"));
  EXPECT_FALSE(IsValidStatementId(std::string(33, 'a')));
  EXPECT_FALSE(IsValidStatementId("learned"));
  EXPECT_FALSE(IsValidStatementId("improve"));
  for (const OutcomeStatement& s : DefaultOutcomeStatements()) {
    EXPECT_TRUE(IsValidStatementId(s.id)) << s.id;
  }
}

TEST(MonthTest, MonthsAreCalendarMonthsInUtc) {
  const TimePoint jan_end = FromUnix(1769903999);  // 2026-01-31T23:59:59Z
  EXPECT_EQ(MonthIndex(jan_end), (2026 - 1970) * 12);
  EXPECT_EQ(MonthIndex(jan_end + std::chrono::seconds(1)), (2026 - 1970) * 12 + 1);
  EXPECT_EQ(MonthStart(MonthIndex(jan_end)), kJoined);
  EXPECT_EQ(MonthStart(MonthIndex(jan_end) + 1), jan_end + std::chrono::seconds(1));
  EXPECT_EQ(MonthStart(12), FromUnix(31536000));  // 1971-01-01
}

TEST(ReleaseBlocksTest, BlocksCloseAtTheThresholdAndTheTrailingOneWaits) {
  // Jan 3, Feb 2, Mar 6, Apr 1, Jun 3 (May empty), threshold 5.
  std::vector<MonthCount> months = {{0, 3}, {1, 2}, {2, 6}, {3, 1}, {5, 3}};
  std::vector<ReleaseBlock> blocks = ReleaseBlocks(months, 5);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].first_month, 0);
  EXPECT_EQ(blocks[0].end_month, 2);
  EXPECT_EQ(blocks[0].checkins, 5);
  EXPECT_EQ(blocks[1].first_month, 2);
  EXPECT_EQ(blocks[1].end_month, 3);
  EXPECT_EQ(blocks[1].checkins, 6);
  // April and June (4 check-ins) have not reached the threshold yet.
  months.push_back({6, 1});
  blocks = ReleaseBlocks(months, 5);
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks[2].first_month, 3);
  EXPECT_EQ(blocks[2].end_month, 7);
  EXPECT_EQ(blocks[2].checkins, 5);
  EXPECT_TRUE(ReleaseBlocks({{0, 4}}, 5).empty());
  EXPECT_EQ(ReleaseBlocks({{0, 5}}, 5).size(), 1u);
}

}  // namespace
}  // namespace rt
