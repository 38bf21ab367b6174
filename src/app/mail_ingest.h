#ifndef RT_APP_MAIL_INGEST_H_
#define RT_APP_MAIL_INGEST_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/context.h"
#include "app/discussions.h"
#include "core/result.h"
#include "mail/inbound.h"
#include "store/store.h"

namespace rt::app {

// The largest message `mail ingest` reads. Postfix's message_size_limit
// should refuse bigger ones at the door (docs/mail.md); past this the
// message is refused from its headers alone.
inline constexpr size_t kMaxInboundBytes = 25 * 1024 * 1024;

// Automatic answers (refusals, "attachments not kept") to one address: at
// most kAnswersPerWindow per kAnswerWindow and kAnswersPerDay per day; to
// addresses without an account at most kStrangerAnswersPerHour in all, so
// spam with forged senders cannot turn us into a backscatter source.
inline constexpr int kAnswersPerWindow = 1;
inline constexpr std::chrono::seconds kAnswerWindow{10 * 60};
inline constexpr int kAnswersPerDay = 5;
inline constexpr int kStrangerAnswersPerHour = 30;
// Records of handled messages are kept this long: longer than an MTA keeps
// retrying (Postfix: 5 days), so a late retry is still recognised.
inline constexpr std::chrono::seconds kInboundRetention{30 * 24 * 3600};

// One delivery, as the MTA hands it over.
struct InboundDelivery {
  // The message. When `truncated`, only its first bytes (the reader stopped
  // at kMaxInboundBytes): the message is refused as too large.
  std::string_view raw;
  bool truncated = false;
  // RCPT TO (Postfix ${recipient}); empty when not given.
  std::string envelope_recipient;
  // MAIL FROM (Postfix ${sender}); nullopt when not given. "" and
  // "MAILER-DAEMON" (Postfix's word for "<>") are the null sender.
  std::optional<std::string> envelope_sender;
};

enum class IngestOutcome {
  kPosted,     // a reply or a new discussion was posted
  kDuplicate,  // handled before (same sender and Message-ID): nothing done
  kDropped,    // sent by a machine (auto-reply, list, bounce without a
               // report, a report not at a bounce address of ours): never
               // posted, never answered
  kBounce,     // a delivery report at an account's bounce address: a
               // permanent failure of its address was handed on
  kRefused,    // not posted; `answered` says whether the sender is told
  // Not for us to answer: unreadable, or to an address we do not have.
  // The MTA should bounce it (see ExitStatus).
  kUndeliverable,
};

// "posted", "duplicate", "dropped", "bounce", "refused", "undeliverable"
// (also the outcome column of store::InboundRecord, for the first five).
std::string_view ToString(IngestOutcome outcome);

// A permanent delivery failure of an account's address, read from a DSN.
struct BouncedAccount {
  AccountId account;
  std::string address;
  std::string status;      // "5.1.1"
  std::string diagnostic;  // "smtp; 550 5.1.1 User unknown"; may be empty
};

struct IngestReport {
  IngestOutcome outcome = IngestOutcome::kUndeliverable;
  // Stable snake_case word for logs and tests: "posted", "duplicate",
  // "auto_submitted" (ClassifyAutomatic's codes), "permanent_failure",
  // "transient_failure", "unauthenticated_bounce" (a report not at an
  // account's bounce address), "bounce_recipient_mismatch" (at one, about
  // another address), "not_a_delivery_report" (other mail to a bounce
  // address), "unknown_reply_address", "sender_mismatch", "empty_reply",
  // "unknown_sender", "mail_too_large", a use case's refusal reason
  // ("not_group_member", "thread_locked", ...), "unknown_recipient"...
  std::string reason;
  // Plain words: why it was refused (what the answer says), or what
  // happened.
  std::string detail;
  std::optional<Created> created;  // kPosted
  // An automatic answer was queued (a refusal; for kPosted, the note that
  // attachments were not kept).
  bool answered = false;
  // Why no answer was sent when one was due: "rate_limited", "null_sender",
  // "own_address", "invalid_address"; empty otherwise.
  std::string not_answered;
  std::vector<BouncedAccount> bounced;  // kBounce: failures of accounts
};

// The sysexits(3) status `mail ingest` exits with, which tells the MTA what
// to do:
//   0  EX_OK       posted, duplicate, dropped, bounce handled, or refused
//                  with our own answer (or deliberately without one: rate
//                  limits, null sender), so the MTA must not bounce too;
//   65 EX_DATAERR  not a message we can read (no headers, no sender, over
//                  the limits with unreadable headers): the MTA bounces it;
//   67 EX_NOUSER   to an address at our domain that does not exist, or not
//                  at our domain at all: the MTA bounces "user unknown";
//   75 EX_TEMPFAIL the database is unavailable or busy, or an unexpected
//                  error: the MTA keeps the message and retries later.
inline constexpr int kExitOk = 0;
inline constexpr int kExitDataErr = 65;
inline constexpr int kExitNoUser = 67;
inline constexpr int kExitTempFail = 75;
int ExitStatus(const Result<IngestReport>& result);

// Hands a permanent delivery failure of an account's address on (reported
// at that account's own bounce address, so not forged), inside the
// ingest's transaction (so the bounce is recorded as handled only if this
// succeeds). Meant to pause mail to the address (AccountRepository::
// PauseMail, from the outbound-mail work). An error rolls the ingest back.
using BounceHandler = std::function<Status(store::Store& db, const BouncedAccount& bounced,
                                           TimePoint now)>;

// Turns one incoming message into a post, or refuses it (issue 5, "Reply by
// email" and "Bounces"). In order:
//  1. Parses it (mail::ParseInbound, within kMaxInboundBytes). A message
//     over the structural limits is refused from its headers alone.
//  2. Machine mail (mail::ClassifyAutomatic) and mail from our own domain
//     is dropped. A delivery report (DSN) is acted on only when it arrived
//     at an account's bounce address (bounces+TOKEN@, the envelope sender
//     of our mail to it; the envelope recipient when given, else the
//     headers as in 3) whose token opens (MailTokens::OpenBounceToken):
//     then a permanent failure (failed, 5.x.x) of that account's current
//     address (case-insensitive) goes to the BounceHandler, once. Any
//     other report (to bounces@, a group, another account's token, about
//     another address) is dropped and pauses nobody, since anyone can
//     forge one. Other mail to a bounce address is dropped too.
//  3. Finds the target (mail::FindTarget; a reply address among To/Cc wins
//     over a group address, so a "reply all" to both posts one reply).
//  4. Reply address: the token must open (MailTokens), the From address
//     must be the token's account's (case-insensitive, as accounts are),
//     and DiscussionsService::Reply must allow it (still a member, still
//     in good standing, thread not locked). Group address: the From
//     address must be an account's; DiscussionsService::StartThread with
//     the Subject as title.
//     The body is mail::ExtractReply of the text (HTML-only mail comes as
//     text, without script). Attachments are not kept (posts have none
//     yet): the text is posted and the sender told which files were left
//     out.
//  5. Each message (by From address and Message-ID, or a hash of its bytes
//     when it has none) is acted on once; the record, the post and any
//     answer commit in one transaction, so nothing happens half-way.
// A refusal is answered (QueueMail; Auto-Submitted: auto-replied, In-Reply-
// To the message) unless the sender is null or ours, or the rate limits
// above are reached. Errors (the message stays with the MTA): the store's,
// kUnavailable when busy; and kInternal. Thread-safe.
class MailIngestService {
 public:
  // `on_bounce` may be empty: permanent failures are then only recorded
  // and logged by the caller (IngestReport::bounced).
  explicit MailIngestService(const AppContext& ctx, BounceHandler on_bounce = {})
      : ctx_(ctx), on_bounce_(std::move(on_bounce)) {}

  Result<IngestReport> Ingest(const InboundDelivery& delivery);

 private:
  struct Context;
  Status Handle(store::Store& db, Context& c, IngestReport& report);
  Status HandleBounce(store::Store& db, Context& c, IngestReport& report);
  Status PostReply(store::Store& db, Context& c, IngestReport& report);
  Status PostNewDiscussion(store::Store& db, Context& c, IngestReport& report);
  // Queues the automatic answer for `report` unless a rule says not to.
  Status Answer(store::Store& db, Context& c, IngestReport& report);

  const AppContext& ctx_;
  BounceHandler on_bounce_;
};

// The bounce address (bounces+TOKEN@mail domain) of `email`'s account,
// the envelope sender of its mail, for operators and tests. Errors:
// kNotFound "account_not_found"; the store's.
Result<std::string> BounceAddressFor(const AppContext& ctx, const std::string& email);

// The reply address (reply+TOKEN@mail domain) of `email`'s account for
// `thread`, for operators and tests. Errors: kNotFound "account_not_found"
// or "not_found" (no such thread); the store's.
Result<std::string> ReplyAddressFor(const AppContext& ctx, const std::string& email,
                                    ThreadId thread);

}  // namespace rt::app

#endif  // RT_APP_MAIL_INGEST_H_
