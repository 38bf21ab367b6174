#ifndef RT_CORE_CONFIG_H_
#define RT_CORE_CONFIG_H_

#include <cstddef>
#include <string>

namespace rt {

// Limits and timeouts of the HTTP server. Defaults suit one small machine.
struct ServerLimits {
  size_t max_header_bytes = 16 * 1024;
  size_t max_target_bytes = 4 * 1024;
  size_t max_body_bytes = 1024 * 1024;
  int read_timeout_seconds = 10;   // whole request, from first byte
  int idle_timeout_seconds = 30;   // between keep-alive requests
  int write_timeout_seconds = 30;
  int drain_timeout_seconds = 10;  // graceful stop
};

// Sign-in throttling: after `max_failures_per_account` failures the account
// waits `lockout_seconds` (doubling per further failure, capped); an address
// gets `max_failures_per_ip` failures per `ip_window_seconds`.
struct LoginLimits {
  int max_failures_per_account = 5;
  int lockout_seconds = 60;
  int max_lockout_seconds = 15 * 60;
  int max_failures_per_ip = 50;
  int ip_window_seconds = 15 * 60;
};

// Requests that make us send account mail (password reset, a new
// verification link, email change) per client address: at most
// max_per_ip within window_seconds, then 429 until the window has passed.
struct MailLimits {
  int max_per_ip = 20;
  int window_seconds = 60 * 60;
};

// How the server sends and receives mail (issue 5). Resolved by
// Config::Mail(): an empty domain becomes the host of base_url.
struct MailSettings {
  // smtp://host:port or smtps://host:port, optionally with user:password@.
  // Empty: mail is queued but stays unsent until a process with a URL runs.
  std::string smtp_url;
  // "never", "try" (default: STARTTLS when offered) or "required".
  std::string starttls = "try";
  // Domain of reply+TOKEN@ and group addresses ("groups.example.org").
  std::string domain;
  // Sender of account mail and envelope sender; "noreply@" + domain if empty.
  std::string from_address;
  // Public URL of the site, for links in mail (Config::base_url).
  std::string base_url;
};

// Everything the process is told from flags and ROUNDTABLE_* variables.
struct Config {
  std::string listen = "127.0.0.1:8080";
  std::string data_dir = "data";
  std::string database;  // "sqlite:PATH"; empty means sqlite:<data_dir>/roundtable.db
  std::string base_url = "http://127.0.0.1:8080";
  int threads = 0;       // io_contexts; 0 means one per core
  int write_threads = 32;  // run requests that may write; 0 = on io threads
  bool access_log = true;
  // Run the outbox runner inside `serve` (off with --no-worker).
  bool worker = true;
  ServerLimits limits;
  LoginLimits login;
  MailLimits mail_limits;
  // Invitations sent from one client address per window (issue 6): each
  // invited address counts, whoever is signed in.
  MailLimits invite_limits{100, 60 * 60};
  MailSettings mail;  // see Mail() for the resolved values
  // Resources (issue 6): the largest file a member may share, and how much
  // all of one member's shared files may take together.
  int max_upload_mb = 25;
  int upload_quota_mb = 200;

  // Where shared files are kept: outside anything the server serves.
  std::string ResourceFilesDir() const { return data_dir + "/resources"; }

  std::string DatabaseUrl() const {
    return database.empty() ? "sqlite:" + data_dir + "/roundtable.db" : database;
  }
  MailSettings Mail() const {
    MailSettings m = mail;
    m.base_url = base_url;
    if (m.domain.empty()) {
      std::string host = base_url.substr(base_url.find("://") == std::string::npos
                                             ? 0
                                             : base_url.find("://") + 3);
      host = host.substr(0, host.find_first_of(":/"));
      m.domain = host;
    }
    if (m.from_address.empty()) m.from_address = "noreply@" + m.domain;
    return m;
  }
  bool SecureCookies() const { return base_url.rfind("https://", 0) == 0; }
};

}  // namespace rt

#endif  // RT_CORE_CONFIG_H_
