#ifndef RT_JOBS_MAIL_SENDER_H_
#define RT_JOBS_MAIL_SENDER_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string_view>
#include <thread>

#include "app/context.h"
#include "app/mail_tokens.h"
#include "app/outbox_signal.h"
#include "app/thread_mail.h"
#include "core/result.h"
#include "jobs/outbox_runner.h"
#include "mail/smtp_sender.h"

namespace rt::jobs {

// Options are the outbox runner's: `batch` is the mails sent per pass
// (events are composed one per transaction), the back-off is the same (a
// mail server that answers 4xx is usually back within minutes).
using MailSenderOptions = OutboxRunnerOptions;
// 16 rows a batch; retries from a minute on, doubling to an hour, given up
// after 10 attempts (about four hours).
MailSenderOptions DefaultMailSenderOptions();

// What one pass did.
struct MailPass {
  int events = 0;    // post_mail and notification rows read
  int composed = 0;  // mails queued from them
  int sent = 0;      // accepted by the SMTP server
  int skipped = 0;   // not sent: recipient may no longer have it, or taken by another sender
  int failed = 0;    // failed, to retry later or given up
  int paused = 0;    // accounts paused because their address was refused
};

// Sends the mail of the outbox, in two steps per pass:
//  1. Compose: kPostMailKind and "notification" rows become one
//     app::kMailKind row per recipient (app::ThreadMail), in an
//     OutboxRunner transaction.
//  2. Send: each due kMailKind row is claimed (marked sent) in a committed
//     transaction that also re-checks it (app::WhyNotSend: the account is
//     gone or paused, the member left the group or lapsed → the row stays
//     done with the reason in last_error, and nothing is sent); then it is
//     rendered and submitted over SMTP outside any transaction, with the
//     envelope sender (MAIL FROM) the account's bounce address
//     (mail::BounceAddress, so that a delivery report about it can be
//     trusted), or ctx.mail.from_address for mail to no account. A transient
//     failure reopens the row for a later attempt (back-off as the outbox
//     runner's); a permanent one (5xx) gives it up, and a refused recipient
//     also pauses the account's mail (AccountRepository::PauseMail).
// At most once: a crash after the claim and before the server's answer to
// DATA loses that one mail rather than sending it twice. The window is one
// SMTP transaction; a crash there is rare, and a lost notification is
// better than a duplicate to a whole group.
//
// Thread-safety: RunOnce is for one thread at a time; Start and Stop are
// called from the owning thread.
class MailSender {
 public:
  // Submits one rendered message (mail::SmtpSender::Send, or a test's).
  using Submit =
      std::function<Result<mail::SendReceipt>(const mail::Envelope&, std::string_view message)>;

  // A sender that submits to ctx.mail.smtp_url (with ctx.mail.starttls).
  // Errors: smtp_misconfigured for a bad URL; the store's (the mail token
  // secret is read here).
  static Result<std::unique_ptr<MailSender>> Create(const app::AppContext& ctx,
                                                    app::OutboxSignal& signal,
                                                    MailSenderOptions options =
                                                        DefaultMailSenderOptions());
  // `ctx` and `signal` must outlive the sender; the sender waits on
  // `signal` (chain it from the outbox runner's: OutboxSignal::Chain).
  MailSender(const app::AppContext& ctx, app::OutboxSignal& signal, MailSenderOptions options,
             app::MailTokens tokens, Submit submit);
  ~MailSender();  // stops the thread if it runs

  MailSender(const MailSender&) = delete;
  MailSender& operator=(const MailSender&) = delete;

  // One pass: Compose, then SendDue. Errors: the store's (what was done
  // stays done).
  Result<MailPass> RunOnce();
  // Step 1 alone: composes the mail of up to `batch` due rows of each kind.
  Result<MailPass> Compose();
  // Step 2 alone: sends up to `batch` due mails.
  Result<MailPass> SendDue();

  void Start();
  void Stop();  // after the current pass; idempotent

 private:
  // Events older than this are marked done without mail: a site that ran
  // for months without --smtp-url must not mail every old post when it
  // gets one, nor a worker that was down for days flood its members.
  static constexpr std::chrono::hours kMaxEventAge{24};
  bool Stale(const store::OutboxItem& item) const;
  // Sends one due mail row; adds to `pass`.
  Status SendOne(store::Store& db, const store::OutboxItem& item, MailPass& pass);
  void Loop();

  const app::AppContext& ctx_;
  app::OutboxSignal& signal_;
  MailSenderOptions options_;
  Submit submit_;
  app::MailTokens tokens_;  // for bounce addresses
  app::ThreadMail thread_mail_;
  OutboxRunner composer_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// The --smtp-url with the --smtp-starttls choice added as its query
// parameter (unless the URL has one, or the choice is the default "try").
std::string SmtpUrlWithStarttls(const MailSettings& settings);

}  // namespace rt::jobs

#endif  // RT_JOBS_MAIL_SENDER_H_
