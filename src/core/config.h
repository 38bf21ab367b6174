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

  std::string DatabaseUrl() const {
    return database.empty() ? "sqlite:" + data_dir + "/roundtable.db" : database;
  }
  bool SecureCookies() const { return base_url.rfind("https://", 0) == 0; }
};

}  // namespace rt

#endif  // RT_CORE_CONFIG_H_
