#include "domain/feedback/feedback.h"

namespace rt {

std::string_view ToString(FeedbackCategory c) {
  switch (c) {
    case FeedbackCategory::kIdea:
      return "idea";
    case FeedbackCategory::kResourceRequest:
      return "resource_request";
    case FeedbackCategory::kConcern:
      return "concern";
    case FeedbackCategory::kProgramProposal:
      return "program_proposal";
    case FeedbackCategory::kOther:
      return "other";
  }
  return "other";
}

std::optional<FeedbackCategory> ParseFeedbackCategory(std::string_view s) {
  for (FeedbackCategory c : kFeedbackCategories) {
    if (ToString(c) == s) return c;
  }
  return std::nullopt;
}

std::string_view Label(FeedbackCategory c) {
  switch (c) {
    case FeedbackCategory::kIdea:
      return "Idea for the group";
    case FeedbackCategory::kResourceRequest:
      return "Resource request";
    case FeedbackCategory::kConcern:
      return "Concern";
    case FeedbackCategory::kProgramProposal:
      return "Programme proposal";
    case FeedbackCategory::kOther:
      return "Something else";
  }
  return "Something else";
}

std::string_view ToString(FeedbackStatus s) {
  switch (s) {
    case FeedbackStatus::kNew:
      return "new";
    case FeedbackStatus::kAcknowledged:
      return "acknowledged";
    case FeedbackStatus::kInProgress:
      return "in_progress";
    case FeedbackStatus::kResolved:
      return "resolved";
  }
  return "new";
}

std::optional<FeedbackStatus> ParseFeedbackStatus(std::string_view s) {
  for (FeedbackStatus v : kFeedbackStatuses) {
    if (ToString(v) == s) return v;
  }
  return std::nullopt;
}

std::string_view Label(FeedbackStatus s) {
  switch (s) {
    case FeedbackStatus::kNew:
      return "New";
    case FeedbackStatus::kAcknowledged:
      return "Acknowledged";
    case FeedbackStatus::kInProgress:
      return "In progress";
    case FeedbackStatus::kResolved:
      return "Resolved";
  }
  return "New";
}

}  // namespace rt
