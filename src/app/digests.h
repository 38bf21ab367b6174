#ifndef RT_APP_DIGESTS_H_
#define RT_APP_DIGESTS_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/context.h"
#include "app/mail_tokens.h"
#include "core/config.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/result.h"
#include "core/time_zone.h"
#include "domain/groups/group.h"
#include "mail/outgoing.h"
#include "store/store.h"

// Digests (issue 5, point 4): one mail per person per period (daily or
// weekly) listing what is new in every group where that person chose that
// period, sent at the association's digest hour in the person's time zone.
// `roundtable digests send` runs DigestService::Send; the mail sender
// delivers what it queues.
namespace rt::app {

// How much a digest lists, so that a busy week still makes a mail one reads
// in a few minutes and that Gmail shows whole (it clips HTML past 102 kB,
// hiding the footer's unsubscribe link): kDigestMaxThreads threads of
// kDigestMaxPostsPerThread full-length excerpts make about 72 kB of HTML
// (five posts a thread would not fit). What is left out is counted and
// linked ("and 7 more replies", "12 more threads in Health").
inline constexpr int kDigestMaxThreads = 30;
// Leaves room for the other groups of a busy person.
inline constexpr int kDigestMaxThreadsPerGroup = 10;
// The first new posts of a thread: how its conversation started.
inline constexpr int kDigestMaxPostsPerThread = 3;
// Characters of a post's text shown; longer posts end in "…" and "Read more".
inline constexpr int kDigestExcerptChars = 400;
static_assert(kDigestExcerptChars < store::kDigestBodyChars);

// One thread of a digest and the posts it lists from it (oldest first).
// Posts point into the run's GroupPosts, which must outlive it.
struct DigestThread {
  ThreadId id;
  std::string title;
  bool question = false;
  // A question with no replies and no accepted answer (as the thread is
  // now): called out so that someone who knows answers it.
  bool unanswered = false;
  bool started = false;  // its opening post is new (and so listed: it comes first)
  int new_posts = 0;     // every new post for the reader, listed or not
  // The first kDigestMaxPostsPerThread new posts; the others are counted.
  std::vector<const store::DigestPost*> posts;
  PostId first_unlisted;  // the first new post not listed; invalid if none
};

struct DigestGroup {
  const Group* group = nullptr;
  // Unanswered questions first, then the threads with the most new posts
  // (ties in the order of their first new post); kDigestMaxThreadsPerGroup
  // at the most, and fewer when the digest's kDigestMaxThreads run out.
  std::vector<DigestThread> threads;
  int more_threads = 0;  // threads with new posts that are not listed
};

// What one person's digest lists.
struct DigestContent {
  std::vector<DigestGroup> groups;  // every group with new posts, even if none is listed
  int posts = 0;                    // every new post, listed or not: the subject's count
  int unanswered = 0;               // unanswered questions listed
  bool empty() const { return posts == 0; }
};

// One group's posts for a run, loaded once for everyone (oldest first).
struct GroupPosts {
  const Group* group = nullptr;
  const std::vector<store::DigestPost>* posts = nullptr;
};

// What `reader` finds in a digest covering `groups` (the groups of theirs
// with this period that they may receive mail about, in the order to show
// them): each post created after `since`, except the reader's own and those
// for which `mailed(post)` says real-time mail was already queued to them (a
// reply to them, a mention, a followed thread). Within the limits above: the
// threads are shared out between the groups in turn (unanswered questions
// first), and posts past a thread's limit are only counted. Pure;
// thread-safe.
DigestContent AssembleDigest(AccountId reader, TimePoint since,
                             const std::vector<GroupPosts>& groups,
                             const std::function<bool(PostId)>& mailed);

// The local date whose digest of `period` is due for a person in `zone` at
// `now`, or nullopt when none is: due once their local time has reached
// `schedule.hour` (weekly: on `schedule.weekday`) and their last digest of
// the period (`last_local_date`) was for an earlier local date. A run that
// misses the whole day skips it; a weekly digest waits for the next week.
std::optional<Date> DigestDueDate(Delivery period, const store::DigestSchedule& schedule,
                                  const TimeZone& zone, TimePoint now,
                                  std::optional<Date> last_local_date);

// Where a person's digest window starts: where their last one ended, or
// one period before `now` for their first (and when the last one ended more
// than two periods ago, so that someone back to digests after months of
// real-time mail does not get months of posts). The window ends at `now`.
TimePoint DigestWindowStart(Delivery period, TimePoint now,
                            std::optional<TimePoint> last_window_end);

// Everything the digest mail to one person says. Plain data.
struct DigestMailFacts {
  MailSettings settings;  // domain, base_url and from_address are used
  std::string site_name;  // "PLA Interest Groups"
  Delivery period = Delivery::kDaily;
  mail::Mailbox to;
  const DigestContent* content = nullptr;
  std::string unsubscribe_token;  // MailTokens::UnsubscribeToken(account, GroupId{0})
  std::string message_id;
  TimePoint date;
};

// The digest mail: From the site at from_address (no group's address, since
// it covers several), subject "Your daily digest: 12 new posts in 3
// groups", text and HTML from templates/mail/digest_*.mustache with a link
// to each thread and post, an excerpt of each listed post (DigestExcerpt),
// links to what was left out, a Reply link per thread, a link per group to
// change that group's delivery, List-Unsubscribe (one-click over https)
// covering every group, and Auto-Submitted: auto-generated. Titles and
// names are made one line. Pure; thread-safe.
mail::OutgoingMessage ComposeDigestMail(const DigestMailFacts& f);

// A post's text as a digest shows it: its Markdown source with each run of
// whitespace made one space, and past kDigestExcerptChars characters (or
// when `longer`, the store having cut it) cut at a word and ended with "…"
// (*cut set). Valid UTF-8 stays valid. Pure.
std::string DigestExcerpt(std::string_view body_source, bool longer, bool* cut);

struct DigestRunOptions {
  Delivery period = Delivery::kDaily;  // kDaily or kWeekly
  TimePoint now;      // decides who is due and where windows end
  bool dry_run = false;  // build and count, queue and record nothing
  // Called now and then with (people done, people due), from the calling
  // thread; may be empty.
  std::function<void(int, int)> progress;
};

struct DigestReport {
  int sent = 0;     // queued for the mail sender
  int skipped = 0;  // due, but nothing new
  int failed = 0;   // due, but composing or queueing failed (logged)
  int not_due = 0;  // not due now, already done for that date, or may receive nothing
  // "N sent, N skipped (nothing new), N failed"
  std::string Summary() const;
};

// Builds and queues digests. Thread-compatible: one Send at a time per
// object; several processes may run Send at once (each digest's dedupe key
// "digest:<period>:<account>:<local date>" and its digest_state row, written
// in one transaction, make the second one a no-op).
class DigestService {
 public:
  // `ctx` must outlive this object.
  DigestService(const AppContext& ctx, MailTokens tokens) : ctx_(ctx), tokens_(std::move(tokens)) {}

  // One pass over every person due at `options.now`: their memberships with
  // delivery `options.period` are read in one query, each group's posts of
  // the run's widest window once, and each digest is assembled in memory.
  // Nothing goes to a paused address or about a group CanReceivePostMail
  // refuses (a lapsed member, someone who may no longer read it). Digests
  // are queued (QueueMail, due at the clock's now) and recorded in
  // transactions of kDigestBatch people, each person in its own savepoint,
  // so one failure costs only that digest. Errors: kInvalidInput
  // "period_invalid" for another period; the store's (from loading; a
  // failing batch is counted as failed instead).
  Result<DigestReport> Send(const DigestRunOptions& options);

  static constexpr int kDigestBatch = 500;

 private:
  const AppContext& ctx_;
  MailTokens tokens_;
};

}  // namespace rt::app

#endif  // RT_APP_DIGESTS_H_
