#ifndef RT_MAIL_SMTP_SENDER_H_
#define RT_MAIL_SMTP_SENDER_H_

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace rt::mail {

// Where and how to submit mail. `url` is the --smtp-url value:
//
//   smtp://[user:password@]host[:port][/ehlo-name][?param=value&...]
//   smtps://[user:password@]host[:port][/ehlo-name][?cafile=PATH]
//
// smtps:// is TLS from the first byte (port 465 by convention). smtp:// is
// plain TCP upgraded with STARTTLS as `starttls` says:
//   starttls=try       upgrade when the server offers it (the default without
//                      credentials);
//   starttls=required  fail unless the session is encrypted (the default when
//                      the URL carries credentials, so a password is never
//                      sent in clear by accident);
//   starttls=never     stay in plain text, even to authenticate: only for a
//                      relay on the same host or a private network.
// `cafile=PATH` trusts the CA certificates in PATH (PEM) instead of the
// system store, for a relay with a private CA. Certificates and host names
// are always verified. User and password are percent-decoded and used for
// SMTP AUTH (curl picks the best mechanism the server offers). The path,
// if any, is the name sent in EHLO. curl's default ports apply (25, 465):
// give :587 for a submission server. Unknown parameters are refused.
struct SmtpOptions {
  std::string url;
  std::chrono::milliseconds connect_timeout{10'000};  // TCP + TLS handshake
  std::chrono::milliseconds total_timeout{60'000};    // whole session
};

// The SMTP envelope, separate from the message headers. An empty
// `mail_from` is the null reverse-path "<>" (for bounces and auto-replies,
// RFC 3834). Every address must pass ValidateAddress.
struct Envelope {
  std::string mail_from;
  std::vector<std::string> rcpt_to;  // at least one
};

// What the server said when it took the message.
struct SendReceipt {
  int smtp_code = 0;  // 250
  std::string reply;  // "250 OK: queued as 1A2B3C"
};

// How a failed Send should be treated. Send's error `code` is one of these
// strings, so a worker that stores only the Error still knows what to do.
//   smtp_transient     retry later: no connection, timeout, dropped
//                      connection, any 4xx reply (greylisting, 451, 452).
//   smtp_permanent     do not retry this message: a 5xx reply to MAIL, RCPT
//                      or DATA. `field` says who is at fault: "rcpt_to" (the
//                      recipient is unknown or refused; a bounce), "mail_from"
//                      or "message" (the content was refused).
//   smtp_misconfigured the sender's set-up is wrong (credentials refused,
//                      TLS required but not offered, certificate not trusted,
//                      bad URL): no message can go until an operator acts, so
//                      retry later but alert; never count it as a bounce.
inline constexpr char kSmtpTransient[] = "smtp_transient";
inline constexpr char kSmtpPermanent[] = "smtp_permanent";
inline constexpr char kSmtpMisconfigured[] = "smtp_misconfigured";

// Submits messages over one SMTP connection, which libcurl keeps open between
// Send calls and reopens when the server has closed it.
//
// Thread safety: a sender is not thread-safe; give each worker thread its
// own (they share nothing). Create may be called from any thread; it runs
// curl_global_init once per process under std::call_once.
class SmtpSender {
 public:
  // Checks and splits `options.url`; connects only on the first Send.
  // Errors: smtp_misconfigured (kInvalidInput) naming what is wrong.
  static Result<std::unique_ptr<SmtpSender>> Create(const SmtpOptions& options);

  ~SmtpSender();
  SmtpSender(const SmtpSender&) = delete;
  SmtpSender& operator=(const SmtpSender&) = delete;

  // Sends `message` (RFC 5322 bytes with CRLF line endings, such as Render
  // returns; dot-stuffing is done here) to every envelope recipient. All or
  // nothing: if the server refuses any recipient, nothing is sent. Blocks
  // for at most options.total_timeout, name lookup included. Errors carry
  // one of the codes above and the server's reply in `message`; invalid
  // envelope addresses (mail_invalid_address) and bare CR or LF in the
  // message (mail_bare_newline) fail before connecting.
  Result<SendReceipt> Send(const Envelope& envelope, std::string_view message);

 private:
  struct Impl;
  explicit SmtpSender(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// True when sending the same message again later may succeed: smtp_transient,
// or smtp_misconfigured once an operator has fixed the set-up. False for
// smtp_permanent and for input errors (bad address, bare newline).
bool IsRetryable(const Error& error);

}  // namespace rt::mail

#endif  // RT_MAIL_SMTP_SENDER_H_
