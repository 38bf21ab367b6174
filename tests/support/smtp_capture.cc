#include "support/smtp_capture.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

extern char** environ;

namespace rt::testing {

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Runs argv, waits for it, and returns its exit status (-1 if it could not
// start).
int Run(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const std::string& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

SmtpCapture::SmtpCapture(const SmtpCaptureOptions& options) {
  std::vector<std::string> args = {
      "node", RT_SOURCE_DIR "/tests/support/smtp_capture.mjs", dir_.path()};
  for (const auto& [address, code] : options.reject) {
    args.push_back("--reject");
    args.push_back(address + "=" + std::to_string(code));
  }
  if (options.reject_data != 0) {
    args.push_back("--reject-data");
    args.push_back(std::to_string(options.reject_data));
  }
  if (!options.auth.empty()) {
    args.push_back("--auth");
    args.push_back(options.auth);
  }
  if (options.insecure_auth) args.push_back("--insecure-auth");
  if (!options.tls_key.empty()) {
    args.push_back("--tls");
    args.push_back(options.tls_key + "," + options.tls_cert);
    if (options.implicit_tls) args.push_back("--implicit-tls");
  }
  std::vector<char*> argv;
  for (const std::string& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    error_ = "pipe failed";
    return;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  int rc = posix_spawnp(&pid_, "node", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  stdout_fd_ = fds[0];
  if (rc != 0) {
    pid_ = -1;
    error_ = "could not start node (is Node.js installed? run make test-deps)";
    return;
  }
  std::string line;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (line.find('\n') == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      error_ = "smtp_capture.mjs printed no port within 20 s";
      return;
    }
    pollfd p{stdout_fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[64];
    ssize_t n = read(stdout_fd_, buf, sizeof buf);
    if (n <= 0) {
      error_ =
          "smtp_capture.mjs exited before printing its port "
          "(see stderr; is smtp-server installed? run make test-deps)";
      return;
    }
    line.append(buf, static_cast<size_t>(n));
  }
  port_ = std::atoi(line.c_str());
  if (port_ <= 0) error_ = "smtp_capture.mjs printed no port: " + line;
}

SmtpCapture::~SmtpCapture() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status;
    for (int i = 0; i < 100 && waitpid(pid_, &status, WNOHANG) == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (i == 99) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
      }
    }
  }
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

std::vector<CapturedMail> SmtpCapture::Messages() const {
  std::vector<CapturedMail> out;
  for (int n = 1;; ++n) {
    std::string base = dir_.path() + "/" + std::to_string(n);
    if (!std::filesystem::exists(base + ".json")) break;
    auto meta = nlohmann::json::parse(ReadFile(base + ".json"));
    CapturedMail mail;
    if (meta["mailFrom"].is_string())
      mail.mail_from = meta["mailFrom"].get<std::string>();
    for (const auto& r : meta["rcptTo"])
      mail.rcpt_to.push_back(r.get<std::string>());
    if (meta["authUser"].is_string())
      mail.auth_user = meta["authUser"].get<std::string>();
    mail.secure = meta["secure"].get<bool>();
    mail.raw = ReadFile(base + ".eml");
    out.push_back(std::move(mail));
  }
  return out;
}

int UnusedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

SilentListener::SilentListener() {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  listen(fd_, 8);
  socklen_t len = sizeof addr;
  getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
}

SilentListener::~SilentListener() { close(fd_); }

std::string MakeSelfSignedCert(const std::string& dir) {
  int rc = Run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                dir + "/key.pem", "-out", dir + "/cert.pem", "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost"});
  if (rc != 0)
    return "openssl could not make a certificate (exit " + std::to_string(rc) +
           ")";
  return "";
}

}  // namespace rt::testing
