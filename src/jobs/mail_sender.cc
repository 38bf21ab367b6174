#include "jobs/mail_sender.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "app/discussions.h"
#include "app/mail_queue.h"
#include "mail/reply_address.h"

namespace rt::jobs {

MailSenderOptions DefaultMailSenderOptions() {
  MailSenderOptions o;
  o.batch = 16;
  o.max_attempts = 10;
  o.first_backoff = std::chrono::seconds(60);
  o.max_backoff = std::chrono::seconds(3600);
  return o;
}

namespace {

// One event per composing transaction: a post to a large real-time group
// queues a mail per member, and the transaction holds the one writer that
// replies' group commits wait on.
OutboxRunnerOptions ComposerOptions(OutboxRunnerOptions options) {
  options.batch = 1;
  return options;
}

}  // namespace

std::string SmtpUrlWithStarttls(const MailSettings& settings) {
  std::string url = settings.smtp_url;
  if (settings.starttls.empty() || settings.starttls == "try" ||
      url.find("starttls=") != std::string::npos) {
    return url;
  }
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "starttls=" + settings.starttls;
}

Result<std::unique_ptr<MailSender>> MailSender::Create(const app::AppContext& ctx,
                                                       app::OutboxSignal& signal,
                                                       MailSenderOptions options) {
  mail::SmtpOptions smtp;
  smtp.url = SmtpUrlWithStarttls(ctx.mail);
  RT_ASSIGN_OR_RETURN(std::unique_ptr<mail::SmtpSender> sender, mail::SmtpSender::Create(smtp));
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx.Db());
  RT_ASSIGN_OR_RETURN(app::MailTokens tokens, app::MailTokens::Load(*db));
  // Only the sender's thread uses the SMTP connection.
  std::shared_ptr<mail::SmtpSender> shared = std::move(sender);
  Submit submit = [shared](const mail::Envelope& envelope, std::string_view message) {
    return shared->Send(envelope, message);
  };
  return std::make_unique<MailSender>(ctx, signal, options, std::move(tokens), std::move(submit));
}

MailSender::MailSender(const app::AppContext& ctx, app::OutboxSignal& signal,
                       MailSenderOptions options, app::MailTokens tokens, Submit submit)
    : ctx_(ctx),
      signal_(signal),
      options_(options),
      submit_(std::move(submit)),
      tokens_(tokens),
      thread_mail_(ctx, std::move(tokens)),
      composer_(ctx, signal, ComposerOptions(options),
                {{app::kPostMailKind,
                  [this](store::Store& db, const store::OutboxItem& item) -> Result<int> {
                    if (Stale(item)) return 0;
                    return thread_mail_.QueuePostMail(db, app::PostIdOfPayload(item.payload));
                  }},
                 {app::kNotificationKind,
                  [this](store::Store& db, const store::OutboxItem& item) -> Result<int> {
                    if (Stale(item)) return 0;
                    return thread_mail_.QueueNotificationMail(db, item.payload);
                  }}}) {}

bool MailSender::Stale(const store::OutboxItem& item) const {
  return item.created_at < ctx_.Now() - kMaxEventAge;
}

MailSender::~MailSender() { Stop(); }

Result<MailPass> MailSender::RunOnce() {
  RT_ASSIGN_OR_RETURN(MailPass pass, Compose());
  RT_ASSIGN_OR_RETURN(MailPass sent, SendDue());
  sent.events = pass.events;
  sent.composed = pass.composed;
  return sent;
}

Result<MailPass> MailSender::Compose() {
  MailPass pass;
  RT_ASSIGN_OR_RETURN(OutboxPass composed, composer_.RunOnce());
  pass.events = composed.claimed;
  pass.composed = composed.notifications;
  return pass;
}

Result<MailPass> MailSender::SendDue() {
  MailPass pass;
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(std::vector<store::OutboxItem> due,
                      db->outbox().Due(app::kMailKind, ctx_.Now(), options_.batch));
  for (const store::OutboxItem& item : due) {
    // A stop waits for at most the SMTP session in flight (a slow server
    // may take options.total_timeout), not for the whole batch.
    if (stopping_) break;
    RT_RETURN_IF_ERROR(SendOne(*db, item, pass));
  }
  return pass;
}

Status MailSender::SendOne(store::Store& db, const store::OutboxItem& item, MailPass& pass) {
  const TimePoint now = ctx_.Now();
  // Records a failed attempt on a claimed row: reopened, then marked failed
  // as the outbox runner does (retry later, or give up for good).
  auto fail = [&](const std::string& error, bool give_up,
                  const std::function<Status()>& also = {}) -> Status {
    ++pass.failed;
    int attempts = item.attempts + 1;
    give_up = give_up || attempts >= options_.max_attempts;
    if (give_up) {
      spdlog::error("mail: gave up on {} after {} attempt(s): {}", item.dedupe_key, attempts,
                    error);
    } else {
      spdlog::warn("mail: {} failed (attempt {}), will retry: {}", item.dedupe_key, attempts,
                   error);
    }
    return db.InTransaction([&]() -> Status {
      RT_RETURN_IF_ERROR(db.outbox().Reopen(item.id));
      RT_RETURN_IF_ERROR(
          db.outbox().MarkFailed(item.id, error, RetryAt(options_, now, attempts), give_up));
      return also ? also() : OkStatus();
    });
  };

  auto job = app::ParseMailJob(item.payload);
  if (!job.ok()) {
    // Never sendable: give it up without claiming it.
    ++pass.failed;
    spdlog::error("mail: gave up on {}: {}", item.dedupe_key, job.error().message);
    return db.outbox().MarkFailed(item.id, job.error().code, now, /*give_up=*/true);
  }

  // The claim: committed before any SMTP, so no other sender (nor this one
  // after a crash) sends it again.
  bool mine = false;
  std::string why_not;
  RT_RETURN_IF_ERROR(db.InTransaction([&]() -> Status {
    RT_ASSIGN_OR_RETURN(mine, db.outbox().MarkSent(item.id, now));
    if (!mine) return OkStatus();
    RT_ASSIGN_OR_RETURN(why_not, app::WhyNotSend(ctx_, db, *job));
    if (!why_not.empty()) RT_RETURN_IF_ERROR(db.outbox().Note(item.id, "not sent: " + why_not));
    return OkStatus();
  }));
  if (!mine || !why_not.empty()) {
    ++pass.skipped;
    if (mine) spdlog::info("mail: {} not sent: {}", item.dedupe_key, why_not);
    return OkStatus();
  }

  auto rendered = mail::Render(job->message);
  if (!rendered.ok()) return fail(rendered.error().code, /*give_up=*/true);
  mail::Envelope envelope;
  // VERP: reports of failure come back to an address that names the
  // account, which only we can make; the ingest trusts no other bounce.
  envelope.mail_from = job->account.valid() && !ctx_.mail.domain.empty()
                           ? mail::BounceAddress(tokens_.BounceToken(job->account),
                                                 ctx_.mail.domain)
                           : ctx_.mail.from_address;
  for (const mail::Mailbox& to : job->message.to) envelope.rcpt_to.push_back(to.address);
  Result<mail::SendReceipt> receipt = submit_(envelope, *rendered);
  if (receipt.ok()) {
    ++pass.sent;
    return OkStatus();
  }
  const Error& e = receipt.error();
  std::string error = e.code + ": " + e.message;
  if (e.code == mail::kSmtpPermanent && e.field == "rcpt_to" && job->account.valid()) {
    // The address is refused for good: stop mailing it until the member
    // says it works again.
    ++pass.paused;
    spdlog::warn("mail: pausing mail to account {}: {}", job->account.value, e.message);
    return fail(error, /*give_up=*/true, [&]() {
      return db.accounts().PauseMail(job->account, e.message, now);
    });
  }
  if (e.code == mail::kSmtpMisconfigured) {
    spdlog::error("mail: the SMTP set-up needs an operator: {}", e.message);
  }
  return fail(error, /*give_up=*/!mail::IsRetryable(e));
}

void MailSender::Start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void MailSender::Stop() {
  stopping_ = true;
  signal_.Notify();
  if (thread_.joinable()) thread_.join();
}

void MailSender::Loop() {
  while (!stopping_) {
    Result<MailPass> pass = RunOnce();
    if (!pass.ok()) {
      spdlog::warn("mail: pass failed: {} ({})", pass.error().message, pass.error().code);
    } else if ((pass->events > 0 || pass->sent + pass->skipped + pass->failed >= options_.batch) &&
               !stopping_) {
      continue;  // probably more due right now
    }
    if (stopping_) break;
    signal_.WaitFor(options_.poll);
  }
}

}  // namespace rt::jobs
