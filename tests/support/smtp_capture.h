#ifndef RT_TESTS_SUPPORT_SMTP_CAPTURE_H_
#define RT_TESTS_SUPPORT_SMTP_CAPTURE_H_

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

#include "support/temp_dir.h"

namespace rt::testing {

// One message the capture server accepted.
struct CapturedMail {
  std::string mail_from;  // "" for the null reverse-path
  std::vector<std::string> rcpt_to;
  std::string auth_user;  // "" when the client did not authenticate
  bool secure = false;    // TLS (STARTTLS or implicit)
  std::string raw;        // DATA bytes as received, dot-unstuffed
};

struct SmtpCaptureOptions {
  std::vector<std::pair<std::string, int>>
      reject;                     // RCPT address -> reply code
  int reject_data = 0;            // reply code after DATA instead of 250
  std::string auth;               // "user:password" makes AUTH required
  bool insecure_auth = false;     // allow AUTH before STARTTLS
  std::string tls_key, tls_cert;  // PEM files: offer STARTTLS
  bool implicit_tls = false;      // with a key: TLS from the first byte
};

// Runs tests/support/smtp_capture.mjs (node + smtp-server) as a child process
// on 127.0.0.1 and a free port, writing into its own temporary folder; stops
// it on destruction. Construction waits (at most 20 s) for the port line.
class SmtpCapture {
 public:
  explicit SmtpCapture(const SmtpCaptureOptions& options = {});
  ~SmtpCapture();
  SmtpCapture(const SmtpCapture&) = delete;
  SmtpCapture& operator=(const SmtpCapture&) = delete;

  // False when the server did not start; error() says why.
  bool ok() const { return port_ > 0; }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  std::string url() const {
    return "smtp://127.0.0.1:" + std::to_string(port_);
  }

  // Every accepted message so far, in order of arrival.
  std::vector<CapturedMail> Messages() const;

 private:
  TempDir dir_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int port_ = 0;
  std::string error_;
};

// A port on 127.0.0.1 that nothing listens on (bound, then closed).
int UnusedPort();

// A socket that listens but never accepts or speaks: the kernel completes
// the TCP handshake, and the client then waits for a greeting that never
// comes.
class SilentListener {
 public:
  SilentListener();
  ~SilentListener();
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// A throwaway self-signed certificate for 127.0.0.1 and localhost, made with
// the openssl command in `dir` (key.pem, cert.pem). Returns "" or an error.
std::string MakeSelfSignedCert(const std::string& dir);

}  // namespace rt::testing

#endif  // RT_TESTS_SUPPORT_SMTP_CAPTURE_H_
