#ifndef RT_DOMAIN_FEEDBACK_FEEDBACK_H_
#define RT_DOMAIN_FEEDBACK_FEEDBACK_H_

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/ids.h"
#include "core/result.h"

// Feedback to a group's staff liaison (issue 6, points 7 to 9): a private,
// tracked message from a member to the group's staff, with replies.
namespace rt {

using FeedbackId = Id<struct FeedbackTag>;
using FeedbackReplyId = Id<struct FeedbackReplyTag>;

// What the feedback is about; the author chooses one.
enum class FeedbackCategory {
  kIdea,
  kResourceRequest,
  kConcern,
  kProgramProposal,
  kOther
};
inline constexpr std::array<FeedbackCategory, 5> kFeedbackCategories = {
    FeedbackCategory::kIdea, FeedbackCategory::kResourceRequest,
    FeedbackCategory::kConcern, FeedbackCategory::kProgramProposal,
    FeedbackCategory::kOther};
// "idea", "resource_request", "concern", "program_proposal", "other".
std::string_view ToString(FeedbackCategory c);
std::optional<FeedbackCategory> ParseFeedbackCategory(std::string_view s);
// Plain words for people ("Idea for the group").
std::string_view Label(FeedbackCategory c);

// Where the staff are with it. Staff may move it to any of the four, in
// either direction (reopening a resolved item is normal work), so there is
// no transition rule beyond the value being one of these.
enum class FeedbackStatus { kNew, kAcknowledged, kInProgress, kResolved };
inline constexpr std::array<FeedbackStatus, 4> kFeedbackStatuses = {
    FeedbackStatus::kNew, FeedbackStatus::kAcknowledged,
    FeedbackStatus::kInProgress, FeedbackStatus::kResolved};
// "new", "acknowledged", "in_progress", "resolved".
std::string_view ToString(FeedbackStatus s);
std::optional<FeedbackStatus> ParseFeedbackStatus(std::string_view s);
std::string_view Label(FeedbackStatus s);  // "In progress"

struct Feedback {
  FeedbackId id;
  GroupId group_id;
  AccountId author_id;
  // The liaison who looks after it; invalid while the group has none.
  AccountId liaison_id;
  FeedbackCategory category = FeedbackCategory::kIdea;
  FeedbackStatus status = FeedbackStatus::kNew;
  std::string body;  // Markdown source; rendered when shown
  // The author agrees to be named when staff publish a "you said, we did"
  // summary that includes it. Off unless the author says so.
  bool quote_consent = false;
  // The summary thread it was published in; invalid until then.
  ThreadId summary_thread;
  TimePoint created_at;
  TimePoint updated_at;
};

struct FeedbackReply {
  FeedbackReplyId id;
  FeedbackId feedback_id;
  AccountId author_id;
  std::string body;  // Markdown source
  TimePoint created_at;
};

// Limits. The body follows posts (64 KiB, ValidateBody); replies to one
// item are capped so that its page stays one page.
inline constexpr int kMaxFeedbackReplies = 200;
// A summary names at most this many items.
inline constexpr size_t kMaxSummaryItems = 50;

}  // namespace rt

#endif  // RT_DOMAIN_FEEDBACK_FEEDBACK_H_
