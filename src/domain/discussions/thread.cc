#include "domain/discussions/thread.h"

#include "core/text.h"

namespace rt {

std::string_view ToString(ThreadKind k) {
  switch (k) {
    case ThreadKind::kDiscussion: return "discussion";
    case ThreadKind::kQuestion: return "question";
    case ThreadKind::kStory: return "story";
  }
  return "discussion";
}

std::optional<ThreadKind> ParseThreadKind(std::string_view s) {
  if (s == "discussion") return ThreadKind::kDiscussion;
  if (s == "question") return ThreadKind::kQuestion;
  if (s == "story") return ThreadKind::kStory;
  return std::nullopt;
}

std::string_view ToString(StoryConsent c) {
  switch (c) {
    case StoryConsent::kGroupOnly: return "group_only";
    case StoryConsent::kStaffAdvocacy: return "staff_advocacy";
    case StoryConsent::kPublic: return "public";
  }
  return "group_only";
}

std::optional<StoryConsent> ParseStoryConsent(std::string_view s) {
  if (s == "group_only") return StoryConsent::kGroupOnly;
  if (s == "staff_advocacy") return StoryConsent::kStaffAdvocacy;
  if (s == "public") return StoryConsent::kPublic;
  return std::nullopt;
}

std::string_view ToString(PostVia v) {
  switch (v) {
    case PostVia::kWeb: return "web";
    case PostVia::kApi: return "api";
    case PostVia::kEmail: return "email";
  }
  return "web";
}

Result<std::string> ValidateTitle(std::string_view title) {
  if (!text::IsValidUtf8(title) || text::HasControlChars(title, false)) {
    return MakeError(ErrorKind::kInvalidInput, "invalid_characters",
                     "The title contains characters that are not allowed.", "title");
  }
  std::string_view t = text::Trim(title);
  if (t.empty()) {
    return MakeError(ErrorKind::kInvalidInput, "required", "Enter a title.", "title");
  }
  if (text::CodePointCount(t) > kMaxTitleLength) {
    return MakeError(ErrorKind::kInvalidInput, "too_long",
                     "The title must be 200 characters or fewer.", "title");
  }
  return std::string(t);
}

Result<std::string> ValidateBody(std::string_view body, std::string_view field) {
  std::string f(field);
  if (body.size() > kMaxBodyBytes) {
    return MakeError(ErrorKind::kTooLarge, "too_large",
                     "The text must be 64 KB or shorter. Split it into several posts.", f);
  }
  if (!text::IsValidUtf8(body) || text::HasControlChars(body, true)) {
    return MakeError(ErrorKind::kInvalidInput, "invalid_characters",
                     "The text contains characters that are not allowed.", f);
  }
  if (text::Trim(body).empty()) {
    return MakeError(ErrorKind::kInvalidInput, "required", "Write something first.", f);
  }
  return std::string(body);
}

}  // namespace rt
