#include "app/mail_ingest.h"

#include <algorithm>
#include <utility>

#include "app/mail_queue.h"
#include "app/mail_tokens.h"
#include "core/crypto.h"
#include "core/text.h"
#include "domain/accounts/account.h"
#include "mail/address.h"
#include "mail/automatic.h"
#include "mail/body_text.h"
#include "mail/reply_address.h"
#include "mail/reply_text.h"

namespace rt::app {
namespace {

using namespace std::chrono_literals;

// The header section a message over the limits is refused from.
constexpr size_t kMaxHeaderSectionBytes = 256 * 1024;
// How much of the subject an answer quotes.
constexpr size_t kMaxQuotedSubjectBytes = 150;
// Old records pruned per ingest: enough to keep up with any inflow.
constexpr int kPruneBatch = 100;
// Failed recipients of a dropped delivery report named in its log line.
constexpr size_t kMaxLoggedBounces = 5;

constexpr char kUnknownReplyAddress[] =
    "The address you replied to is not one we gave out, or it was changed on the way. Reply "
    "to the latest email from the discussion, or take part on the web.";
constexpr char kSenderMismatch[] =
    "The address you replied to belongs to another member, so we cannot post a message from "
    "your address through it. Reply to the email we sent to you, from the address it was sent "
    "to.";
constexpr char kEmptyReply[] =
    "We found nothing to post: after we took out the quoted message and your signature, your "
    "reply was empty. Write your reply above the quoted text.";
constexpr char kUnknownSender[] =
    "Your address does not belong to an account here, so you cannot start discussions by "
    "email from it. Send from the address you sign in with, or create an account on the web.";

bool IsNullSender(const std::optional<std::string>& sender) {
  return sender && (sender->empty() || text::ToLowerAscii(*sender) == "mailer-daemon");
}

std::string_view DomainOf(std::string_view address) {
  size_t at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view() : address.substr(at + 1);
}

// The header section of `raw` alone (up to the first empty line, at most
// kMaxHeaderSectionBytes), with no body: enough to know who sent a message
// we refuse for its size or shape, and to answer them.
Result<mail::InboundMessage> ParseHeaderSection(std::string_view raw) {
  std::string_view head = raw.substr(0, kMaxHeaderSectionBytes);
  size_t end = std::min(head.find("\n\n"), head.find("\n\r\n"));
  if (end == std::string_view::npos) end = head.rfind('\n');
  if (end == std::string_view::npos) {
    return MakeError(ErrorKind::kInvalidInput, "mail_not_a_message", "No header section");
  }
  // Without the body a multipart Content-Type would promise parts that are
  // not there; the text is not wanted anyway.
  std::string section(head.substr(0, end + 1));
  section += "\r\n";
  return mail::ParseInbound(section);
}

// A reply address among the message's own To and Cc, if any: a "reply all"
// to a thread email reaches both its reply address and the group's, and
// both deliveries must be the same one reply (then Message-ID does the
// rest).
std::optional<mail::MailTarget> ReplyAmongRecipients(const mail::InboundMessage& m,
                                                     std::string_view domain) {
  for (const auto* list : {&m.to, &m.cc}) {
    for (const mail::Mailbox& box : *list) {
      auto t = mail::ParseTargetAddress(box.address, domain);
      if (t.ok() && t->kind == mail::TargetKind::kReply) return *std::move(t);
    }
  }
  return std::nullopt;
}

// Cuts `s` to at most `max` bytes at a code point boundary.
std::string Shorten(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n)) + "…";
}

bool IsStoreFailure(const Error& e) {
  return e.kind == ErrorKind::kUnavailable || e.kind == ErrorKind::kInternal;
}

// The files a member attached, which posts cannot keep yet. Inline images
// (logos) and signature parts were never files to share.
std::vector<std::string> FilesNotKept(const mail::InboundMessage& m) {
  std::vector<std::string> files;
  for (const mail::InboundAttachment& a : m.attachments) files.push_back(a.filename);
  for (const mail::SkippedPart& s : m.skipped) {
    if (s.reason == "too_large" || s.reason == "too_many") {
      files.push_back(s.filename.empty() ? "attachment" : s.filename);
    }
  }
  return files;
}

void Refuse(IngestReport& report, std::string reason, std::string detail) {
  report.outcome = IngestOutcome::kRefused;
  report.reason = std::move(reason);
  report.detail = std::move(detail);
}

}  // namespace

// What one ingest knows before and while it acts.
struct MailIngestService::Context {
  const InboundDelivery* delivery = nullptr;
  TimePoint now;
  mail::InboundMessage message;
  // Set when the message is refused from its headers alone (too large or
  // too complex to read whole).
  std::optional<Error> unreadable;
  std::optional<mail::AutomaticReason> automatic;
  std::string sender;      // From address, lower-case
  std::string dedupe_key;  // see InboundRecord
  Result<mail::MailTarget> target = MakeError(ErrorKind::kNotFound, "mail_no_target", "");
  // The sender's account, once known (for the answer's account and limits).
  std::optional<Account> account;
  // Files the member attached that were not kept (kPosted only).
  std::vector<std::string> dropped_files;
};

std::string_view ToString(IngestOutcome o) {
  switch (o) {
    case IngestOutcome::kPosted:
      return "posted";
    case IngestOutcome::kDuplicate:
      return "duplicate";
    case IngestOutcome::kDropped:
      return "dropped";
    case IngestOutcome::kBounce:
      return "bounce";
    case IngestOutcome::kRefused:
      return "refused";
    case IngestOutcome::kUndeliverable:
      return "undeliverable";
  }
  return "undeliverable";
}

int ExitStatus(const Result<IngestReport>& result) {
  if (!result.ok()) return kExitTempFail;
  if (result->outcome != IngestOutcome::kUndeliverable) return kExitOk;
  return result->reason == "unknown_recipient" ? kExitNoUser : kExitDataErr;
}

Result<IngestReport> MailIngestService::Ingest(const InboundDelivery& delivery) {
  Context c;
  c.delivery = &delivery;
  c.now = ctx_.Now();
  IngestReport report;

  // 1. Read it, within the limits; past them, read the headers only.
  mail::InboundLimits limits;
  limits.max_message_bytes = kMaxInboundBytes;
  Result<mail::InboundMessage> parsed =
      delivery.truncated
          ? Result<mail::InboundMessage>(MakeError(
                ErrorKind::kTooLarge, "mail_too_large",
                "Your message is larger than the 25 MB we accept."))
          : mail::ParseInbound(delivery.raw, limits);
  if (!parsed.ok() && parsed.error().kind == ErrorKind::kTooLarge) {
    c.unreadable = parsed.error();
    parsed = ParseHeaderSection(delivery.raw);
  }
  if (!parsed.ok()) {
    report.outcome = IngestOutcome::kUndeliverable;
    report.reason = c.unreadable ? c.unreadable->code : parsed.error().code;
    report.detail = c.unreadable ? c.unreadable->message : parsed.error().message;
    return report;
  }
  c.message = *std::move(parsed);
  const mail::InboundMessage& m = c.message;
  c.sender = text::ToLowerAscii(m.from.address);
  c.dedupe_key = c.sender + "\n" +
                 (m.message_id.empty() ? "hash:" + crypto::HashToken(delivery.raw)
                                       : m.message_id);

  // 2. Machines are never answered; neither is mail that claims to be ours
  // (a loop, or a forgery).
  c.automatic = mail::ClassifyAutomatic(m);
  if (!c.automatic && IsNullSender(delivery.envelope_sender)) {
    c.automatic = mail::AutomaticReason{mail::AutomaticKind::kBounce, "null_sender",
                                        "MAIL FROM:<>"};
  }
  std::string_view from_domain = DomainOf(c.sender);
  if (!c.automatic && (text::ToLowerAscii(from_domain) == text::ToLowerAscii(ctx_.mail.domain) ||
                       c.sender == text::ToLowerAscii(ctx_.mail.from_address))) {
    c.automatic = mail::AutomaticReason{mail::AutomaticKind::kAutoReply, "own_address",
                                        "From: " + m.from.address};
  }

  // 3. Where it was sent.
  c.target = mail::FindTarget(m, ctx_.mail.domain, delivery.envelope_recipient);
  if (c.target.ok() && c.target->kind == mail::TargetKind::kNewDiscussion) {
    if (auto reply = ReplyAmongRecipients(m, ctx_.mail.domain)) c.target = *std::move(reply);
  }

  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    report = IngestReport{};
    c.account.reset();
    c.dropped_files.clear();
    return Handle(*db, c, report);
  }));
  if (report.answered || report.outcome == IngestOutcome::kPosted) ctx_.OutboxChanged();
  return report;
}

Status MailIngestService::Handle(store::Store& db, Context& c, IngestReport& report) {
  const mail::InboundMessage& m = c.message;
  RT_RETURN_IF_ERROR(ToStatus(db.inbound_mail().Prune(c.now - kInboundRetention, kPruneBatch)));
  RT_ASSIGN_OR_RETURN(std::optional<store::InboundRecord> earlier,
                      db.inbound_mail().Find(c.dedupe_key));
  if (earlier) {
    report.outcome = IngestOutcome::kDuplicate;
    report.reason = "duplicate";
    report.detail = "Handled before (" + earlier->outcome + ": " + earlier->reason + ").";
    return OkStatus();
  }

  bool at_our_domain =
      c.target.ok() || c.target.error().code == "mail_invalid_token" ||
      c.target.error().code == "mail_unknown_address";
  bool to_bounce_address = c.target.ok() && c.target->kind == mail::TargetKind::kBounce;
  if (c.automatic) {
    if (c.automatic->kind == mail::AutomaticKind::kBounce && !m.delivery_status.empty() &&
        at_our_domain) {
      RT_RETURN_IF_ERROR(HandleBounce(db, c, report));
    } else {
      report.outcome = IngestOutcome::kDropped;
      report.reason = c.automatic->code;
      report.detail = c.automatic->detail;
    }
  } else if (!c.target.ok() && c.target.error().code != "mail_invalid_token") {
    // Not an address we have: the MTA says so ("user unknown"), as it would
    // for any mailbox that does not exist. Nothing to record.
    report.outcome = IngestOutcome::kUndeliverable;
    report.reason = "unknown_recipient";
    report.detail = c.target.error().message;
    return OkStatus();
  } else if (!c.target.ok()) {
    Refuse(report, "unknown_reply_address", kUnknownReplyAddress);
  } else if (to_bounce_address) {
    // Not a delivery report, yet sent to an envelope sender: a confused
    // auto-responder, or someone who read our Return-Path. Never posted,
    // never answered.
    report.outcome = IngestOutcome::kDropped;
    report.reason = "not_a_delivery_report";
    report.detail = "Mail to a bounce address that is not a delivery report.";
  } else if (c.unreadable) {
    Refuse(report, c.unreadable->code,
           c.unreadable->message + " Nothing was posted. Send a shorter message, without "
                                   "attachments.");
  } else if (c.target->kind == mail::TargetKind::kReply) {
    RT_RETURN_IF_ERROR(PostReply(db, c, report));
  } else {
    RT_RETURN_IF_ERROR(PostNewDiscussion(db, c, report));
  }

  bool attachments_dropped = report.outcome == IngestOutcome::kPosted && !c.dropped_files.empty();
  if (report.outcome == IngestOutcome::kRefused || attachments_dropped) {
    RT_RETURN_IF_ERROR(Answer(db, c, report));
  }
  store::InboundRecord r;
  r.dedupe_key = c.dedupe_key;
  r.message_id = m.message_id;
  r.sender = c.sender;
  r.recipient = c.target.ok() ? c.target->address : c.delivery->envelope_recipient;
  r.outcome = std::string(ToString(report.outcome));
  r.reason = report.reason;
  if (report.created) r.post = report.created->post;
  if (report.answered) {
    r.answered_to = c.sender;
    r.answered_account = c.account.has_value();
  }
  r.received_at = c.now;
  return db.inbound_mail().Record(r);
}

Status MailIngestService::HandleBounce(store::Store& db, Context& c, IngestReport& report) {
  // RFC 3464: "failed" with a 5.x.x status is permanent; "delayed" and
  // 4.x.x will be retried by the sending MTA and say nothing yet.
  std::vector<const mail::DeliveryStatus*> permanent;
  for (const mail::DeliveryStatus& ds : c.message.delivery_status) {
    if (ds.action == "failed" && ds.status.starts_with("5")) permanent.push_back(&ds);
  }
  std::string claimed;  // what the report says failed, for the log
  for (size_t i = 0; i < permanent.size() && i < kMaxLoggedBounces; ++i) {
    claimed += (claimed.empty() ? "" : ", ") + Shorten(permanent[i]->recipient, 254) + " (" +
               Shorten(permanent[i]->status, 16) + ")";
  }
  if (permanent.size() > kMaxLoggedBounces) {
    claimed += " and " + std::to_string(permanent.size() - kMaxLoggedBounces) + " more";
  }

  // Anyone can send a report to a fixed address, naming any member. Only
  // one that arrived at the bounce address of an account (VERP: the
  // envelope sender of our mail to it, whose token only we make) is about
  // mail we sent, and then only a failure of that account's own address.
  // The envelope recipient, when the MTA gives it, is where it arrived;
  // headers are read only without it.
  Result<mail::MailTarget> arrived =
      c.delivery->envelope_recipient.empty()
          ? c.target
          : mail::ParseTargetAddress(c.delivery->envelope_recipient, ctx_.mail.domain);
  std::optional<Account> owner;
  if (arrived.ok() && arrived->kind == mail::TargetKind::kBounce) {
    RT_ASSIGN_OR_RETURN(MailTokens tokens, MailTokens::Load(db));
    if (std::optional<AccountId> id = tokens.OpenBounceToken(arrived->token)) {
      RT_ASSIGN_OR_RETURN(owner, db.accounts().FindById(*id));
    }
  }
  if (!owner) {
    report.outcome = IngestOutcome::kDropped;
    report.reason = "unauthenticated_bounce";
    report.detail = "A delivery report that did not arrive at a bounce address we gave out; "
                    "nobody's mail was paused." +
                    (claimed.empty() ? "" : " It claimed: " + claimed + ".");
    return OkStatus();
  }

  report.outcome = IngestOutcome::kBounce;
  report.reason = permanent.empty() ? "transient_failure" : "bounce_recipient_mismatch";
  for (const mail::DeliveryStatus* ds : permanent) {
    // Accounts are keyed by their lower-cased address: this compares
    // without regard to case. An old address (mail about an address
    // change) failing must not pause the new one.
    auto email = NormalizeEmail(ds->recipient);
    if (!email.ok() || *email != owner->email) continue;
    BouncedAccount b{owner->id, *email, ds->status, ds->diagnostic};
    if (on_bounce_) RT_RETURN_IF_ERROR(on_bounce_(db, b, c.now));
    report.reason = "permanent_failure";
    report.detail = b.address + " (" + b.status + ")";
    report.bounced.push_back(std::move(b));
    break;  // one account, paused once
  }
  if (report.reason == "bounce_recipient_mismatch") {
    report.outcome = IngestOutcome::kDropped;
    report.detail = "A delivery report at the bounce address of account " +
                    std::to_string(owner->id.value) +
                    " about other addresses; nobody's mail was paused. It claimed: " + claimed +
                    ".";
  }
  return OkStatus();
}

Status MailIngestService::PostReply(store::Store& db, Context& c, IngestReport& report) {
  RT_ASSIGN_OR_RETURN(MailTokens tokens, MailTokens::Load(db));
  std::optional<ReplyTarget> target = tokens.OpenReplyToken(c.target->token);
  std::optional<Account> owner;
  if (target) {
    RT_ASSIGN_OR_RETURN(owner, db.accounts().FindById(target->account));
  }
  if (!owner) {
    Refuse(report, "unknown_reply_address", kUnknownReplyAddress);
    return OkStatus();
  }
  // Accounts are keyed by their lower-cased address, so this compares the
  // local part without regard to case too: the token is the secret, the
  // From check stops a leaked token being used from another address.
  auto from = NormalizeEmail(c.sender);
  if (!from.ok() || *from != owner->email) {
    Refuse(report, "sender_mismatch", kSenderMismatch);
    return OkStatus();
  }
  c.account = owner;
  std::string body = mail::ExtractReply(c.message.text);
  if (text::Trim(body).empty()) {
    Refuse(report, "empty_reply", kEmptyReply);
    return OkStatus();
  }
  auto created = DiscussionsService(ctx_).Reply(Viewer{*owner}, target->thread, body, PostId{},
                                                PostVia::kEmail, "");
  if (!created.ok()) {
    if (IsStoreFailure(created.error())) return created.take_error();
    Refuse(report, created.error().code, created.error().message);
    return OkStatus();
  }
  report.outcome = IngestOutcome::kPosted;
  report.reason = "posted";
  report.detail = "Posted as a reply in thread " + std::to_string(target->thread.value) + ".";
  report.created = *created;
  c.dropped_files = FilesNotKept(c.message);
  return OkStatus();
}

Status MailIngestService::PostNewDiscussion(store::Store& db, Context& c, IngestReport& report) {
  auto email = NormalizeEmail(c.sender);
  std::optional<Account> account;
  if (email.ok()) {
    RT_ASSIGN_OR_RETURN(account, db.accounts().FindByEmail(*email));
  }
  if (!account) {
    Refuse(report, "unknown_sender", kUnknownSender);
    return OkStatus();
  }
  // Anyone can register an address they do not own, and a From header is
  // easy to forge: mail to a group address counts only from an address its
  // owner confirmed. (A reply needs no such check: its token was mailed to
  // the address, which proves the mailbox.)
  if (!account->email_verified()) {
    Refuse(report, "email_unverified",
           "Confirm your email address first: open the link we sent when you registered (or "
           "ask for a new one on the site), then send your message again.");
    return OkStatus();
  }
  c.account = account;
  NewThread in;
  in.kind = "discussion";
  in.title = c.message.subject;
  in.body = mail::ExtractReply(c.message.text);
  if (text::Trim(in.body).empty()) {
    Refuse(report, "empty_body",
           "We found nothing to post: the message had no text above your signature.");
    return OkStatus();
  }
  auto created = DiscussionsService(ctx_).StartThread(Viewer{*account}, c.target->group_slug, in,
                                                      PostVia::kEmail, "");
  if (!created.ok()) {
    if (IsStoreFailure(created.error())) return created.take_error();
    std::string detail = created.error().message;
    if (created.error().field == "title") {
      detail = "The subject line is the discussion's title. " + detail;
    }
    Refuse(report, created.error().code, std::move(detail));
    return OkStatus();
  }
  report.outcome = IngestOutcome::kPosted;
  report.reason = "posted";
  report.detail = "Started thread " + std::to_string(created->thread.value) + " in " +
                  c.target->group_slug + ".";
  report.created = *created;
  c.dropped_files = FilesNotKept(c.message);
  return OkStatus();
}

Status MailIngestService::Answer(store::Store& db, Context& c, IngestReport& report) {
  const mail::InboundMessage& m = c.message;
  if (IsNullSender(c.delivery->envelope_sender)) {
    report.not_answered = "null_sender";
    return OkStatus();
  }
  if (!mail::ValidateAddress(c.sender, "to").ok()) {
    report.not_answered = "invalid_address";
    return OkStatus();
  }
  if (!c.account) {
    auto email = NormalizeEmail(c.sender);
    if (email.ok()) {
      RT_ASSIGN_OR_RETURN(c.account, db.accounts().FindByEmail(*email));
    }
  }
  store::InboundMailRepository& inbound = db.inbound_mail();
  RT_ASSIGN_OR_RETURN(int64_t recent, inbound.CountAnswers(c.sender, c.now - kAnswerWindow));
  RT_ASSIGN_OR_RETURN(int64_t today, inbound.CountAnswers(c.sender, c.now - 24h));
  int64_t strangers = 0;
  if (!c.account) {
    RT_ASSIGN_OR_RETURN(strangers, inbound.CountAnswersToStrangers(c.now - 1h));
  }
  if (recent >= kAnswersPerWindow || today >= kAnswersPerDay ||
      strangers >= kStrangerAnswersPerHour) {
    report.not_answered = "rate_limited";
    return OkStatus();
  }

  auto message_id = mail::NewMessageId(ctx_.mail.domain);
  if (!message_id.ok()) {
    report.not_answered = "mail_misconfigured";
    return OkStatus();
  }
  std::string site_name = "Roundtable";
  if (auto assoc = LoadAssociation(ctx_, db); assoc.ok()) site_name = assoc->name;

  std::string subject = Shorten(m.subject, kMaxQuotedSubjectBytes);
  bool posted = report.outcome == IngestOutcome::kPosted;
  mail::OutgoingMessage out;
  out.from = mail::Mailbox{site_name, ctx_.mail.from_address};
  out.to = {mail::Mailbox{m.from.name, m.from.address}};
  out.subject = (posted ? "Posted without attachments: " : "Not posted: ") +
                (subject.empty() ? std::string("your message") : subject);
  std::string quoted = subject.empty() ? "your message" : "\"" + subject + "\"";
  std::string text = "Hello" + (m.from.name.empty() ? "" : " " + m.from.name) + ",\n\n";
  if (posted) {
    std::string files;
    for (const std::string& f : c.dropped_files) files += (files.empty() ? "" : ", ") + f;
    text += "We posted " + quoted + ", but not its attachments (" + files +
            "): posts cannot hold files yet. To share a file, put it online and post a "
            "link to it.\n\n";
  } else {
    text += "We could not post " + quoted + ".\n\n" + report.detail + "\n\n";
  }
  text += "You can read and take part on the web at " + ctx_.mail.base_url +
          "\n\nThis is an automatic answer; replies to it are not read.\n";
  out.text_body = std::move(text);
  out.message_id = *message_id;
  out.in_reply_to = m.message_id;
  size_t keep = std::min<size_t>(m.references.size(), mail::kMaxReferences - 2);
  out.references.assign(m.references.end() - static_cast<ptrdiff_t>(keep), m.references.end());
  if (!m.message_id.empty()) out.references.push_back(m.message_id);
  out.auto_submitted = mail::AutoSubmitted::kAutoReplied;
  out.date = c.now;

  MailJob job;
  job.dedupe_key = "inbound_answer:" + crypto::HashToken(c.dedupe_key);
  if (c.account) job.account = c.account->id;
  job.message = std::move(out);
  auto queued = QueueMail(db, job, c.now);
  if (!queued.ok()) {
    if (IsStoreFailure(queued.error())) return queued.take_error();
    report.not_answered = "invalid_address";  // Validate refused what we built
    return OkStatus();
  }
  report.answered = true;
  return OkStatus();
}

namespace {

// The account of `email`, for the address printers below. Errors: kNotFound
// "account_not_found"; the store's.
Result<Account> AccountOf(store::Store& db, const std::string& email) {
  RT_ASSIGN_OR_RETURN(std::string normal, NormalizeEmail(email));
  RT_ASSIGN_OR_RETURN(std::optional<Account> account, db.accounts().FindByEmail(normal));
  if (!account) {
    return MakeError(ErrorKind::kNotFound, "account_not_found", "No account has that address.");
  }
  return *std::move(account);
}

}  // namespace

Result<std::string> ReplyAddressFor(const AppContext& ctx, const std::string& email,
                                    ThreadId thread) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx.Db());
  RT_ASSIGN_OR_RETURN(Account account, AccountOf(*db, email));
  RT_ASSIGN_OR_RETURN(std::optional<store::ThreadListing> t, db->threads().Find(thread));
  if (!t) return MakeError(ErrorKind::kNotFound, "not_found", "There is no such thread.");
  RT_ASSIGN_OR_RETURN(MailTokens tokens, MailTokens::Load(*db));
  return std::string(mail::kReplyLocalPart) + "+" + tokens.ReplyToken(account.id, thread) + "@" +
         ctx.mail.domain;
}

Result<std::string> BounceAddressFor(const AppContext& ctx, const std::string& email) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx.Db());
  RT_ASSIGN_OR_RETURN(Account account, AccountOf(*db, email));
  RT_ASSIGN_OR_RETURN(MailTokens tokens, MailTokens::Load(*db));
  return mail::BounceAddress(tokens.BounceToken(account.id), ctx.mail.domain);
}

}  // namespace rt::app
