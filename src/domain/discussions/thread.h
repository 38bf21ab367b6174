#ifndef RT_DOMAIN_DISCUSSIONS_THREAD_H_
#define RT_DOMAIN_DISCUSSIONS_THREAD_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/ids.h"
#include "core/result.h"

namespace rt {

enum class ThreadKind { kDiscussion, kQuestion, kStory };
std::string_view ToString(ThreadKind k);
std::optional<ThreadKind> ParseThreadKind(std::string_view s);

// Who may quote a story beyond the group. The default is kGroupOnly.
enum class StoryConsent { kGroupOnly, kStaffAdvocacy, kPublic };
std::string_view ToString(StoryConsent c);
std::optional<StoryConsent> ParseStoryConsent(std::string_view s);

// A thread in a group. Its opening text is its first post.
struct Thread {
  ThreadId id;
  GroupId group_id;
  AccountId author_id;
  ThreadKind kind = ThreadKind::kDiscussion;
  std::string title;
  bool pinned = false;
  bool locked = false;
  PostId first_post_id;
  PostId accepted_post_id;  // questions only; invalid when unanswered
  StoryConsent consent = StoryConsent::kGroupOnly;
  int64_t reply_count = 0;  // visible (not deleted) replies, kept by the store
  TimePoint created_at;
  TimePoint last_activity_at;

  bool answered() const { return accepted_post_id.valid(); }
};

// How a post arrived.
enum class PostVia { kWeb, kApi, kEmail };
std::string_view ToString(PostVia v);

struct Post {
  PostId id;
  ThreadId thread_id;
  AccountId author_id;
  PostId reply_to;  // invalid when replying to the thread
  std::string body_source;  // Markdown as written
  std::string body_html;    // sanitised rendering of body_source
  int render_version = 0;   // renderer version that produced body_html
  PostVia via = PostVia::kWeb;
  bool deleted = false;
  int64_t recommend_count = 0;
  TimePoint created_at;
  std::optional<TimePoint> edited_at;
};

// Limits.
inline constexpr size_t kMaxTitleLength = 200;          // code points
inline constexpr size_t kMaxBodyBytes = 64 * 1024;      // Markdown source

// Trims and checks a title: 1..200 code points, no control characters.
// Errors name field "title".
Result<std::string> ValidateTitle(std::string_view title);

// Checks a body: not blank, valid UTF-8, at most 64 KiB, no NUL or control
// characters other than newlines and tabs. Errors name `field`
// (kTooLarge "too_large" over the limit).
Result<std::string> ValidateBody(std::string_view body, std::string_view field = "body");

}  // namespace rt

#endif  // RT_DOMAIN_DISCUSSIONS_THREAD_H_
