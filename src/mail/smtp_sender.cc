#include "mail/smtp_sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

#include "core/text.h"
#include "mail/address.h"

namespace rt::mail {

namespace {

enum class StartTls { kTry, kRequired, kNever };

// The parts of an SMTP URL, with the secrets taken out of the URL itself so
// that it can appear in error messages.
struct Target {
  std::string url;    // without userinfo and query
  std::string where;  // "host:port" for messages
  std::string user, password, login_options;
  bool implicit_tls = false;
  StartTls starttls = StartTls::kTry;
  std::string cafile;
};

Error Misconfigured(std::string message) {
  return MakeError(ErrorKind::kInvalidInput, kSmtpMisconfigured,
                   std::move(message), "smtp_url");
}

Status InitCurlOnce() {
  static std::once_flag once;
  static CURLcode rc = CURLE_OK;
  std::call_once(once, [] { rc = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (rc != CURLE_OK) {
    return MakeError(
        ErrorKind::kInternal, kSmtpMisconfigured,
        std::string("libcurl could not start: ") + curl_easy_strerror(rc));
  }
  return OkStatus();
}

// Owns a string curl allocated.
struct CurlString {
  char* p = nullptr;
  ~CurlString() { curl_free(p); }
  std::string str() const { return p ? std::string(p) : std::string(); }
};

Result<Target> ParseUrl(const std::string& url) {
  if (url.empty()) return Misconfigured("No SMTP URL is set.");
  if (text::HasControlChars(url, /*allow_newlines=*/false)) {
    return Misconfigured("The SMTP URL contains control characters.");
  }
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(),
                                                        &curl_url_cleanup);
  if (curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return Misconfigured("The SMTP URL is not a valid URL.");
  }
  Target t;
  CurlString scheme, host, port, query, fragment, user, password, options;
  curl_url_get(u.get(), CURLUPART_SCHEME, &scheme.p, 0);
  std::string s = text::ToLowerAscii(scheme.str());
  if (s == "smtps") {
    t.implicit_tls = true;
  } else if (s != "smtp") {
    return Misconfigured("The SMTP URL must start with smtp:// or smtps://.");
  }
  if (curl_url_get(u.get(), CURLUPART_HOST, &host.p, 0) != CURLUE_OK ||
      host.str().empty()) {
    return Misconfigured("The SMTP URL has no host.");
  }
  curl_url_get(u.get(), CURLUPART_PORT, &port.p, CURLU_DEFAULT_PORT);
  t.where = host.str() + ":" + port.str();
  if (curl_url_get(u.get(), CURLUPART_FRAGMENT, &fragment.p, 0) == CURLUE_OK) {
    return Misconfigured("The SMTP URL must not have a #fragment.");
  }
  if (curl_url_get(u.get(), CURLUPART_USER, &user.p, CURLU_URLDECODE) ==
      CURLUE_OK) {
    t.user = user.str();
    if (curl_url_get(u.get(), CURLUPART_PASSWORD, &password.p,
                     CURLU_URLDECODE) != CURLUE_OK) {
      return Misconfigured(
          "The SMTP URL names a user but no password (user:password@host).");
    }
    t.password = password.str();
    if (text::HasControlChars(t.user, false) ||
        text::HasControlChars(t.password, false)) {
      return Misconfigured(
          "The SMTP user or password contains control characters.");
    }
  }
  if (curl_url_get(u.get(), CURLUPART_OPTIONS, &options.p, 0) == CURLUE_OK) {
    t.login_options = options.str();  // ";AUTH=PLAIN" style, curl's syntax
  }
  bool starttls_given = false;
  if (curl_url_get(u.get(), CURLUPART_QUERY, &query.p, 0) == CURLUE_OK) {
    std::string_view q = query.p;
    while (!q.empty()) {
      size_t amp = q.find('&');
      std::string_view pair = q.substr(0, amp);
      q = amp == std::string_view::npos ? std::string_view()
                                        : q.substr(amp + 1);
      if (pair.empty()) continue;
      size_t eq = pair.find('=');
      std::string key = text::PercentDecode(pair.substr(0, eq), false);
      std::string value = eq == std::string_view::npos
                              ? std::string()
                              : text::PercentDecode(pair.substr(eq + 1), false);
      if (key == "starttls" && !t.implicit_tls) {
        starttls_given = true;
        if (value == "try") {
          t.starttls = StartTls::kTry;
        } else if (value == "required") {
          t.starttls = StartTls::kRequired;
        } else if (value == "never") {
          t.starttls = StartTls::kNever;
        } else {
          return Misconfigured(
              "starttls in the SMTP URL must be try, required or never.");
        }
      } else if (key == "cafile" && !value.empty()) {
        t.cafile = value;
      } else {
        return Misconfigured(
            "The SMTP URL has an unknown parameter \"" + key +
            "\" (known: starttls, cafile; starttls only with smtp://).");
      }
    }
  }
  if (!starttls_given && !t.user.empty()) t.starttls = StartTls::kRequired;

  for (CURLUPart part : {CURLUPART_USER, CURLUPART_PASSWORD, CURLUPART_OPTIONS,
                         CURLUPART_QUERY}) {
    curl_url_set(u.get(), part, nullptr, 0);
  }
  CurlString clean;
  curl_url_get(u.get(), CURLUPART_URL, &clean.p, 0);
  t.url = clean.str();
  return t;
}

bool IsCommandVerb(std::string_view verb) {
  for (std::string_view known :
       {"EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "RSET",
        "NOOP", "QUIT", "VRFY"}) {
    if (verb == known) return true;
  }
  return false;
}

// Refuses a bare CR or LF: some servers end DATA at "\n.\n", so a message
// with bare line feeds could smuggle a second message past us.
Status CheckCrlf(std::string_view message) {
  for (size_t i = 0; i < message.size(); ++i) {
    bool bare = (message[i] == '\n' && (i == 0 || message[i - 1] != '\r')) ||
                (message[i] == '\r' &&
                 (i + 1 == message.size() || message[i + 1] != '\n'));
    if (bare) {
      return MakeError(ErrorKind::kInvalidInput, "mail_bare_newline",
                       "The message must use CRLF line endings only.",
                       "message");
    }
  }
  return OkStatus();
}

}  // namespace

struct SmtpSender::Impl {
  SmtpOptions options;
  Target target;
  CURL* curl = nullptr;
  char error_buffer[CURL_ERROR_SIZE] = {};

  // Transcript state of the current Send, fed by OnDebug. Only command
  // verbs (and the RCPT address) are kept, never AUTH data.
  std::string last_command;
  std::string last_rcpt;
  std::string reply_lines;  // the reply being received
  std::string last_reply;   // the last complete reply
  // The first 4xx/5xx reply and the command it answered: after a refusal
  // curl still sends QUIT, whose "221" must not hide the reason.
  std::string failed_command;
  std::string failed_reply;

  // The message being uploaded.
  std::string_view body;
  size_t offset = 0;

  ~Impl() {
    if (curl != nullptr) curl_easy_cleanup(curl);
  }

  static size_t OnRead(char* buffer, size_t size, size_t count, void* user) {
    auto* self = static_cast<Impl*>(user);
    size_t n = std::min(size * count, self->body.size() - self->offset);
    std::memcpy(buffer, self->body.data() + self->offset, n);
    self->offset += n;
    return n;
  }

  static int OnDebug(CURL*, curl_infotype type, char* data, size_t size,
                     void* user) {
    auto* self = static_cast<Impl*>(user);
    std::string_view chunk(data, size);
    if (type == CURLINFO_HEADER_OUT) {
      std::string_view verb = chunk.substr(0, chunk.find_first_of(" \r\n"));
      std::string upper(verb);
      for (char& c : upper) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      }
      // AUTH LOGIN continuation lines are base64 secrets, not verbs.
      if (!IsCommandVerb(upper)) return 0;
      self->last_command = upper;
      if (upper == "RCPT") {
        size_t lt = chunk.find('<'), gt = chunk.find('>');
        if (lt != std::string_view::npos && gt != std::string_view::npos &&
            gt > lt) {
          self->last_rcpt = std::string(chunk.substr(lt + 1, gt - lt - 1));
        }
      }
    } else if (type == CURLINFO_HEADER_IN) {
      // One or more reply lines; a line "NNN text" (space after the code)
      // ends a reply, "NNN-text" continues it.
      while (!chunk.empty()) {
        size_t eol = chunk.find('\n');
        std::string_view line = chunk.substr(0, eol);
        chunk = eol == std::string_view::npos ? std::string_view()
                                              : chunk.substr(eol + 1);
        while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) {
          line.remove_suffix(1);
        }
        if (line.empty()) continue;
        if (!self->reply_lines.empty()) self->reply_lines += " / ";
        self->reply_lines += line;
        if (line.size() < 4 || line[3] == ' ') {
          self->last_reply = std::move(self->reply_lines);
          self->reply_lines.clear();
          if ((line[0] == '4' || line[0] == '5') &&
              self->failed_reply.empty()) {
            self->failed_reply = self->last_reply;
            self->failed_command = self->last_command;
          }
        }
      }
    }
    return 0;
  }

  // A fresh handle with the session-wide options. A new handle after a
  // failure also drops the cached connection, whose state we cannot trust.
  Status Open() {
    if (curl != nullptr) curl_easy_cleanup(curl);
    curl = curl_easy_init();
    if (curl == nullptr) {
      return MakeError(ErrorKind::kInternal, kSmtpTransient,
                       "libcurl could not allocate a handle.");
    }
    curl_easy_setopt(curl, CURLOPT_URL, target.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM: threads
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options.connect_timeout.count()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(options.total_timeout.count()));
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, &Impl::OnRead);
    curl_easy_setopt(curl, CURLOPT_READDATA, this);
    curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, &Impl::OnDebug);
    curl_easy_setopt(curl, CURLOPT_DEBUGDATA, this);
    curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);  // feeds OnDebug only
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!target.cafile.empty())
      curl_easy_setopt(curl, CURLOPT_CAINFO, target.cafile.c_str());
    if (!target.implicit_tls) {
      long use_ssl = target.starttls == StartTls::kRequired ? CURLUSESSL_ALL
                     : target.starttls == StartTls::kTry    ? CURLUSESSL_TRY
                                                            : CURLUSESSL_NONE;
      curl_easy_setopt(curl, CURLOPT_USE_SSL, use_ssl);
    }
    if (!target.user.empty()) {
      curl_easy_setopt(curl, CURLOPT_USERNAME, target.user.c_str());
      curl_easy_setopt(curl, CURLOPT_PASSWORD, target.password.c_str());
    }
    if (!target.login_options.empty()) {
      curl_easy_setopt(curl, CURLOPT_LOGIN_OPTIONS,
                       target.login_options.c_str());
    }
    return OkStatus();
  }

  Error Classify(CURLcode rc, long code) const {
    const std::string& command =
        failed_reply.empty() ? last_command : failed_command;
    if (!failed_reply.empty()) code = std::atoi(failed_reply.c_str());
    std::string detail = !failed_reply.empty() ? failed_reply
                         : error_buffer[0] != '\0'
                             ? std::string(error_buffer)
                             : std::string(curl_easy_strerror(rc));
    auto transient = [&](std::string what) {
      Error e = MakeError(ErrorKind::kUnavailable, kSmtpTransient,
                          what + ": " + detail);
      e.retry_after_seconds = 60;
      return e;
    };
    auto misconfigured = [&](std::string what) {
      return MakeError(ErrorKind::kInternal, kSmtpMisconfigured,
                       what + ": " + detail, "smtp_url");
    };
    switch (rc) {
      case CURLE_USE_SSL_FAILED:
        return misconfigured(
            "The mail server at " + target.where +
            " does not offer STARTTLS, which the SMTP URL requires");
      case CURLE_PEER_FAILED_VERIFICATION:
      case CURLE_SSL_CACERT_BADFILE:
      case CURLE_SSL_CERTPROBLEM:
        return misconfigured(
            "The mail server's TLS certificate is not trusted");
      case CURLE_UNSUPPORTED_PROTOCOL:
      case CURLE_URL_MALFORMAT:
      case CURLE_NOT_BUILT_IN:
        return misconfigured("The SMTP URL cannot be used");
      case CURLE_LOGIN_DENIED:
        if (code >= 400 && code < 500)
          return transient("The mail server deferred sign-in");
        return misconfigured("The mail server at " + target.where +
                             " refused the SMTP user name or password");
      default:
        break;
    }
    if (code >= 400 && code < 500) {
      return transient("The mail server at " + target.where +
                       " deferred the message");
    }
    if (code >= 500 && code < 600) {
      if (command == "RCPT") {
        return MakeError(
            ErrorKind::kRuleBroken, kSmtpPermanent,
            "The mail server refused recipient " + last_rcpt + ": " + detail,
            "rcpt_to");
      }
      if (command == "MAIL") {
        return MakeError(ErrorKind::kRuleBroken, kSmtpPermanent,
                         "The mail server refused the sender: " + detail,
                         "mail_from");
      }
      if (command == "DATA") {
        return MakeError(ErrorKind::kRuleBroken, kSmtpPermanent,
                         "The mail server refused the message: " + detail,
                         "message");
      }
      // Refused at greeting, EHLO, STARTTLS or AUTH: every message would be.
      return misconfigured("The mail server at " + target.where +
                           " refused the session");
    }
    if (rc == CURLE_OPERATION_TIMEDOUT) {
      return transient("The mail server at " + target.where +
                       " did not answer in time");
    }
    return transient("Could not send through the mail server at " +
                     target.where);
  }
};

SmtpSender::SmtpSender(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SmtpSender::~SmtpSender() = default;

Result<std::unique_ptr<SmtpSender>> SmtpSender::Create(
    const SmtpOptions& options) {
  RT_RETURN_IF_ERROR(InitCurlOnce());
  if (options.connect_timeout.count() <= 0 ||
      options.total_timeout.count() <= 0) {
    return Misconfigured("SMTP timeouts must be positive.");
  }
  RT_ASSIGN_OR_RETURN(Target target, ParseUrl(options.url));
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->target = std::move(target);
  RT_RETURN_IF_ERROR(impl->Open());
  return std::unique_ptr<SmtpSender>(new SmtpSender(std::move(impl)));
}

Result<SendReceipt> SmtpSender::Send(const Envelope& envelope,
                                     std::string_view message) {
  if (!envelope.mail_from.empty()) {
    RT_RETURN_IF_ERROR(ValidateAddress(envelope.mail_from, "mail_from"));
  }
  if (envelope.rcpt_to.empty()) {
    return MakeError(ErrorKind::kInvalidInput, "mail_missing",
                     "The envelope needs at least one recipient.", "rcpt_to");
  }
  for (const std::string& rcpt : envelope.rcpt_to) {
    RT_RETURN_IF_ERROR(ValidateAddress(rcpt, "rcpt_to"));
  }
  RT_RETURN_IF_ERROR(CheckCrlf(message));
  Impl& s = *impl_;
  if (s.curl == nullptr) RT_RETURN_IF_ERROR(s.Open());

  std::string from = "<" + envelope.mail_from + ">";
  curl_slist* rcpts = nullptr;
  for (const std::string& rcpt : envelope.rcpt_to) {
    rcpts = curl_slist_append(rcpts, ("<" + rcpt + ">").c_str());
  }
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt_list(
      rcpts, &curl_slist_free_all);
  s.body = message;
  s.offset = 0;
  s.last_command.clear();
  s.last_rcpt.clear();
  s.reply_lines.clear();
  s.last_reply.clear();
  s.failed_command.clear();
  s.failed_reply.clear();
  s.error_buffer[0] = '\0';
  curl_easy_setopt(s.curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(s.curl, CURLOPT_MAIL_RCPT, rcpt_list.get());
  curl_easy_setopt(s.curl, CURLOPT_INFILESIZE_LARGE,
                   static_cast<curl_off_t>(message.size()));

  CURLcode rc = curl_easy_perform(s.curl);
  long code = 0;
  curl_easy_getinfo(s.curl, CURLINFO_RESPONSE_CODE, &code);
  curl_easy_setopt(s.curl, CURLOPT_MAIL_RCPT, nullptr);
  s.body = {};
  if (rc != CURLE_OK) {
    Error error = s.Classify(rc, code);
    // If this fails, curl stays null and the next Send tries again.
    (void)s.Open();
    return error;
  }
  return SendReceipt{static_cast<int>(code), s.last_reply};
}

bool IsRetryable(const Error& error) {
  return error.code == kSmtpTransient || error.code == kSmtpMisconfigured;
}

}  // namespace rt::mail
