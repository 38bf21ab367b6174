#include "http/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace rt::http {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// --- A tiny blocking HTTP/1.1 client over POSIX sockets. -------------------

struct ClientResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

class Client {
 public:
  explicit Client(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{10, 0};  // no test hangs forever on a read
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      throw std::runtime_error("connect failed");
    }
  }
  ~Client() { close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // False when the server has closed the connection.
  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads one response; status 0 when the connection ended first.
  ClientResponse Read(bool head = false) {
    ClientResponse r;
    size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return r;
    }
    std::string head_text = buf_.substr(0, end + 2);
    buf_.erase(0, end + 4);
    size_t line_end = head_text.find("\r\n");
    r.status = std::stoi(head_text.substr(9, 3));
    for (size_t pos = line_end + 2; pos < head_text.size();) {
      size_t eol = head_text.find("\r\n", pos);
      std::string line = head_text.substr(pos, eol - pos);
      size_t colon = line.find(':');
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(c));
      r.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
      pos = eol + 2;
    }
    size_t length = 0;
    if (!head && r.headers.count("content-length")) {
      length = std::stoul(r.headers["content-length"]);
    }
    while (buf_.size() < length) {
      if (!Fill()) return ClientResponse{};
    }
    r.body = buf_.substr(0, length);
    buf_.erase(0, length);
    return r;
  }

  // Waits until the server closes the connection (EOF or reset); false on
  // timeout or if the server sends data instead.
  bool WaitClosed() {
    char c;
    ssize_t n = recv(fd_, &c, 1, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

  // Bytes already received but not consumed by Read.
  const std::string& pending() const { return buf_; }

 private:
  bool Fill() {
    char tmp[4096];
    ssize_t n = recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<size_t>(n));
    return true;
  }

  int fd_;
  std::string buf_;
};

// --- The server under test. ------------------------------------------------

Response TestHandler(Request& req) {
  Response r;
  r.SetHeader("Content-Type", "text/plain; charset=utf-8");
  if (req.path == "/") {
    r.body = "hello";
  } else if (req.path == "/info") {
    r.body = req.method + "|" + req.path + "|" + req.query + "|" +
             req.remote_ip + "|" + std::string(req.Header("x-test"));
  } else if (req.path == "/echo") {
    r.body = req.body;
  } else if (req.path == "/throw") {
    throw std::runtime_error("boom");
  } else if (req.path == "/slow") {
    std::this_thread::sleep_for(500ms);
    r.body = "slow done";
  } else if (req.path == "/frame") {
    r.SetHeader("X-Frame-Options", "SAMEORIGIN");
  } else {
    r.status = 404;
  }
  return r;
}

ServerOptions TestOptions() {
  ServerOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  o.threads = 2;
  o.access_log = false;
  o.limits.max_header_bytes = 1024;
  o.limits.max_target_bytes = 256;
  o.limits.max_body_bytes = 1000;
  o.limits.read_timeout_seconds = 2;
  o.limits.idle_timeout_seconds = 5;
  o.limits.write_timeout_seconds = 5;
  o.limits.drain_timeout_seconds = 5;
  return o;
}

// Runs a Server on a background thread for the duration of a test.
class TestServer {
 public:
  explicit TestServer(ServerOptions options = TestOptions(),
                      Handler handler = TestHandler)
      : server_(std::move(options), std::move(handler)) {
    Status st = server_.Listen();
    if (!st.ok()) throw std::runtime_error(st.error().message);
    std::promise<void> ready;
    auto ready_future = ready.get_future();
    thread_ = std::thread([this, &ready] {
      server_.Run([&ready] { ready.set_value(); });
    });
    ready_future.wait();
  }
  ~TestServer() {
    server_.Stop();
    thread_.join();
  }

  int port() const { return server_.port(); }
  Server& server() { return server_; }
  std::thread& thread() { return thread_; }

 private:
  Server server_;
  std::thread thread_;
};

void ExpectSecurityHeaders(const ClientResponse& r) {
  EXPECT_EQ(r.headers.at("content-security-policy"),
            "default-src 'self'; script-src 'self'; style-src 'self'; "
            "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
            "base-uri 'none'; object-src 'none'");
  EXPECT_EQ(r.headers.at("x-content-type-options"), "nosniff");
  EXPECT_EQ(r.headers.at("referrer-policy"), "same-origin");
  EXPECT_EQ(r.headers.at("x-frame-options"), "DENY");
  EXPECT_EQ(r.headers.at("cross-origin-opener-policy"), "same-origin");
  EXPECT_TRUE(r.headers.count("content-length"));
}

// A server error: JSON body with `code`, security headers, connection closed.
void ExpectServerError(Client& c, int status, const std::string& code) {
  ClientResponse r = c.Read();
  EXPECT_EQ(r.status, status);
  EXPECT_EQ(r.headers["content-type"], "application/json; charset=utf-8");
  EXPECT_NE(r.body.find("{\"error\":{\"code\":\"" + code + "\""),
            std::string::npos)
      << r.body;
  EXPECT_EQ(r.headers["connection"], "close");
  ExpectSecurityHeaders(r);
  EXPECT_TRUE(c.WaitClosed());
}

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { spdlog::set_level(spdlog::level::warn); }
  TestServer server_;
};

TEST_F(ServerTest, ServesBodyWithSecurityHeaders) {
  Client c(server_.port());
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  ClientResponse r = c.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello");
  EXPECT_EQ(r.headers["content-length"], "5");
  EXPECT_EQ(r.headers["content-type"], "text/plain; charset=utf-8");
  ExpectSecurityHeaders(r);
}

TEST_F(ServerTest, HandlerHeadersWin) {
  Client c(server_.port());
  ASSERT_TRUE(c.Send("GET /frame HTTP/1.1\r\nHost: x\r\n\r\n"));
  ClientResponse r = c.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["x-frame-options"], "SAMEORIGIN");
  EXPECT_EQ(r.headers["content-length"], "0");
}

TEST_F(ServerTest, KeepAliveAndRequestFields) {
  Client c(server_.port());
  ASSERT_TRUE(c.Send("GET /info?a=1&b=2 HTTP/1.1\r\nHost: x\r\nX-TEST: yes\r\n\r\n"));
  ClientResponse r1 = c.Read();
  EXPECT_EQ(r1.status, 200);
  EXPECT_EQ(r1.body, "GET|/info|a=1&b=2|127.0.0.1|yes");
  EXPECT_FALSE(r1.headers.count("connection"));
  ASSERT_TRUE(c.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nping"));
  ClientResponse r2 = c.Read();
  EXPECT_EQ(r2.status, 200);
  EXPECT_EQ(r2.body, "ping");
}

TEST_F(ServerTest, PipelinedRequests) {
  Client c(server_.port());
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"
                     "GET /info HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(c.Read().body, "hello");
  EXPECT_EQ(c.Read().body, "GET|/info||127.0.0.1|");
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  Client c(server_.port());
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  ClientResponse r = c.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["connection"], "close");
  EXPECT_TRUE(c.WaitClosed());
}

TEST_F(ServerTest, Http10KeepAlive) {
  Client c(server_.port());
  ASSERT_TRUE(c.Send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  ClientResponse r = c.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["connection"], "keep-alive");
  ASSERT_TRUE(c.Send("GET / HTTP/1.0\r\n\r\n"));
  EXPECT_EQ(c.Read().body, "hello");
  EXPECT_TRUE(c.WaitClosed());
}

TEST_F(ServerTest, HeadSendsHeadersOnly) {
  Client c(server_.port());
  ASSERT_TRUE(c.Send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n"));
  ClientResponse r = c.Read(/*head=*/true);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-length"], "5");
  // Had a body been sent, it would precede the next response.
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  ClientResponse next = c.Read();
  EXPECT_EQ(next.status, 200);
  EXPECT_EQ(next.body, "hello");
}

TEST_F(ServerTest, ExpectContinue) {
  Client c(server_.port());
  ASSERT_TRUE(c.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                     "Expect: 100-continue\r\n\r\n"));
  EXPECT_EQ(c.Read().status, 100);
  ASSERT_TRUE(c.Send("abc"));
  ClientResponse r = c.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "abc");
}

TEST_F(ServerTest, HeadersTooLarge) {
  Client c(server_.port());
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " +
                     std::string(2000, 'a') + "\r\n\r\n"));
  ExpectServerError(c, 431, "header_too_large");
}

TEST_F(ServerTest, BodyTooLarge) {
  Client c(server_.port());
  ASSERT_TRUE(c.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" +
                     std::string(1500, 'b')));
  ExpectServerError(c, 413, "body_too_large");
}

TEST_F(ServerTest, ChunkedBodyTooLarge) {
  Client c(server_.port());
  std::string chunk(800, 'c');
  ASSERT_TRUE(c.Send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "320\r\n" + chunk + "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n"));
  ExpectServerError(c, 413, "body_too_large");
}

TEST_F(ServerTest, TargetTooLong) {
  Client c(server_.port());
  ASSERT_TRUE(c.Send("GET /" + std::string(400, 'u') + " HTTP/1.1\r\nHost: x\r\n\r\n"));
  ExpectServerError(c, 414, "uri_too_long");
}

TEST_F(ServerTest, TargetLongerThanHeaderLimit) {
  Client c(server_.port());
  ASSERT_TRUE(c.Send("GET /" + std::string(3000, 'u') + " HTTP/1.1\r\nHost: x\r\n\r\n"));
  ExpectServerError(c, 414, "uri_too_long");
}

TEST_F(ServerTest, MalformedRequest) {
  const char* requests[] = {
      "garbage\r\n\r\n",
      "GET / HTTP/1.1\r\nNo colon here\r\n\r\n",
      "GET / HTTP/9.9\r\n\r\n",
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n",
  };
  for (const char* req : requests) {
    SCOPED_TRACE(req);
    Client c(server_.port());
    ASSERT_TRUE(c.Send(req));
    ExpectServerError(c, 400, "bad_request");
  }
}

TEST_F(ServerTest, HandlerExceptionIs500) {
  Client c(server_.port());
  ASSERT_TRUE(c.Send("GET /throw HTTP/1.1\r\nHost: x\r\n\r\n"));
  ClientResponse r = c.Read();
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.body.find("\"code\":\"internal\""), std::string::npos);
  EXPECT_EQ(r.headers["content-type"], "application/json; charset=utf-8");
  ExpectSecurityHeaders(r);
  // The connection stays usable.
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(c.Read().body, "hello");
}

TEST_F(ServerTest, SlowLorisIsCutOff) {
  Client c(server_.port());
  const auto start = Clock::now();
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nHo"));
  bool closed = false;
  // One byte every 500 ms would take forever; the server must hang up
  // within read_timeout (2 s) plus a margin.
  while (Clock::now() - start < 6s) {
    std::this_thread::sleep_for(500ms);
    if (!c.Send("o")) {
      closed = true;
      break;
    }
  }
  if (!closed) closed = c.WaitClosed();
  const auto elapsed = Clock::now() - start;
  EXPECT_TRUE(closed);
  EXPECT_LT(elapsed, 3s + 1s);
  EXPECT_GE(elapsed, 1500ms);
}

TEST_F(ServerTest, IdleConnectionTimesOut) {
  ServerOptions o = TestOptions();
  o.limits.idle_timeout_seconds = 1;
  TestServer quick(o);
  Client c(quick.port());
  const auto start = Clock::now();
  EXPECT_TRUE(c.WaitClosed());
  EXPECT_LT(Clock::now() - start, 3s);
}

TEST(ServerStopTest, InFlightRequestFinishesAndIdleOnesClose) {
  spdlog::set_level(spdlog::level::warn);
  Server server(TestOptions(), TestHandler);
  ASSERT_TRUE(server.Listen().ok());
  std::promise<void> ready;
  std::thread runner([&] { server.Run([&] { ready.set_value(); }); });
  ready.get_future().wait();

  Client idle(server.port());
  ASSERT_TRUE(idle.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(idle.Read().status, 200);  // now idle between requests

  Client busy(server.port());
  ASSERT_TRUE(busy.Send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::this_thread::sleep_for(150ms);  // the handler is sleeping now
  const auto stop_at = Clock::now();
  server.Stop();

  // Promptly, though its thread may first have to finish the slow handler.
  EXPECT_TRUE(idle.WaitClosed());
  EXPECT_LT(Clock::now() - stop_at, 1500ms);

  ClientResponse r = busy.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "slow done");
  EXPECT_EQ(r.headers["connection"], "close");
  EXPECT_TRUE(busy.WaitClosed());

  runner.join();  // Run returned
  EXPECT_LT(Clock::now() - stop_at, 3s);
  EXPECT_THROW(Client late(server.port()), std::runtime_error);
}

TEST(ServerStopTest, DrainTimeoutBoundsStop) {
  ServerOptions o = TestOptions();
  o.limits.read_timeout_seconds = 30;
  o.limits.drain_timeout_seconds = 1;
  Server server(o, TestHandler);
  ASSERT_TRUE(server.Listen().ok());
  std::promise<void> ready;
  std::thread runner([&] { server.Run([&] { ready.set_value(); }); });
  ready.get_future().wait();

  // A request that never completes keeps its connection busy.
  Client stuck(server.port());
  ASSERT_TRUE(stuck.Send("GET / HTTP/1.1\r\nHo"));
  std::this_thread::sleep_for(100ms);
  const auto stop_at = Clock::now();
  server.Stop();
  runner.join();
  const auto elapsed = Clock::now() - stop_at;
  EXPECT_GE(elapsed, 900ms);
  EXPECT_LT(elapsed, 3s);
  EXPECT_TRUE(stuck.WaitClosed());
}

TEST(ServerStopTest, StopBeforeRun) {
  Server server(TestOptions(), TestHandler);
  ASSERT_TRUE(server.Listen().ok());
  server.Stop();
  const auto start = Clock::now();
  server.Run();
  EXPECT_LT(Clock::now() - start, 2s);
}

// --- Requests that may write run on the write threads. ---------------------

// Lets handlers wait for an event with a deadline, so that a test whose
// handlers never meet fails instead of hanging.
class Gate {
 public:
  // Counts the caller in, then waits up to `limit` until Open() or until
  // `want` callers are in; true unless the wait timed out.
  bool Wait(int want, std::chrono::milliseconds limit) {
    std::unique_lock<std::mutex> lock(mu_);
    ++inside_;
    cv_.notify_all();
    return cv_.wait_for(lock, limit, [&] { return open_ || inside_ >= want; });
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  // Waits up to 5 s until `n` callers are in Wait.
  bool WaitInside(int n) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, 5s, [&] { return inside_ >= n; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int inside_ = 0;
  bool open_ = false;
};

std::string Post(const std::string& path) {
  return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
}

TEST(ServerWriteThreadsTest, PostsAreHandledConcurrently) {
  // With 2 io threads, 8 handlers can only all be inside at once if the
  // POSTs run elsewhere.
  constexpr int kClients = 8;
  Gate gate;
  TestServer server(TestOptions(), [&](Request& req) {
    Response r;
    r.body = gate.Wait(kClients, 3s) ? "met" : "alone";
    r.body += req.method;
    return r;
  });
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<Client>(server.port()));
    ASSERT_TRUE(clients.back()->Send(Post("/meet")));
  }
  for (auto& c : clients) {
    ClientResponse r = c->Read();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "metPOST");
  }
}

TEST(ServerWriteThreadsTest, GetsAreServedWhileEveryWriteThreadIsBusy) {
  ServerOptions o = TestOptions();
  o.write_threads = 2;
  Gate gate;
  TestServer server(o, [&](Request& req) {
    if (req.method == "GET") return TestHandler(req);
    Response r;
    r.body = gate.Wait(1000, 10s) ? "released" : "timed out";
    return r;
  });
  Client w1(server.port()), w2(server.port()), w3(server.port());
  ASSERT_TRUE(w1.Send(Post("/hold")));
  ASSERT_TRUE(w2.Send(Post("/hold")));
  ASSERT_TRUE(gate.WaitInside(2));
  ASSERT_TRUE(w3.Send(Post("/hold")));  // queued: no write thread is free

  const auto start = Clock::now();
  Client reader(server.port());
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(reader.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    ClientResponse r = reader.Read();
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "hello");
  }
  EXPECT_LT(Clock::now() - start, 1s);

  gate.Open();
  EXPECT_EQ(w1.Read().body, "released");
  EXPECT_EQ(w2.Read().body, "released");
  EXPECT_EQ(w3.Read().body, "released");
}

// A server whose handler waits at `gate` (up to 10 s), then answers with the
// request's path and sets `finished`. The test stops it and joins `runner`.
struct GatedServer {
  explicit GatedServer(ServerOptions o)
      : server(std::move(o), [this](Request& req) {
          Response r;
          gate.Wait(1000, 10s);
          r.body = "done " + req.path;  // reads the request after the wait
          finished = true;
          return r;
        }) {
    spdlog::set_level(spdlog::level::warn);
    if (!server.Listen().ok()) throw std::runtime_error("listen failed");
    std::promise<void> ready;
    runner = std::thread([&] { server.Run([&] { ready.set_value(); }); });
    ready.get_future().wait();
  }
  ~GatedServer() {
    gate.Open();
    server.Stop();
    if (runner.joinable()) runner.join();
  }

  Gate gate;
  std::atomic<bool> finished{false};
  Server server;
  std::thread runner;
};

TEST(ServerWriteThreadsTest, StopWaitsForWriteThreads) {
  GatedServer s(TestOptions());
  Client c(s.server.port());
  ASSERT_TRUE(c.Send(Post("/write")));
  ASSERT_TRUE(s.gate.WaitInside(1));
  s.server.Stop();
  std::this_thread::sleep_for(300ms);
  EXPECT_FALSE(s.finished.load());
  s.gate.Open();
  ClientResponse r = c.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "done /write");
  EXPECT_EQ(r.headers["connection"], "close");
  s.runner.join();
  EXPECT_TRUE(s.finished.load());
}

TEST(ServerWriteThreadsTest, RunOutlivesAWriteHandlerPastTheDrainTimeout) {
  // The connection is given up after the drain timeout, but the handler
  // still holds references into it: Run must not return before it is done.
  ServerOptions o = TestOptions();
  o.limits.drain_timeout_seconds = 1;
  GatedServer s(o);
  Client c(s.server.port());
  ASSERT_TRUE(c.Send(Post("/write")));
  ASSERT_TRUE(s.gate.WaitInside(1));
  const auto stop_at = Clock::now();
  s.server.Stop();
  std::thread opener([&] {
    std::this_thread::sleep_for(1500ms);
    s.gate.Open();
  });
  s.runner.join();
  EXPECT_TRUE(s.finished.load());
  EXPECT_GE(Clock::now() - stop_at, 1400ms);
  opener.join();
}

TEST(ServerListenTest, PortInUse) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);

  ServerOptions o = TestOptions();
  o.port = port;
  Server server(o, TestHandler);
  Status st = server.Listen();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(st.error().code, "listen_failed");
  EXPECT_NE(st.error().message.find("127.0.0.1:" + std::to_string(port)),
            std::string::npos)
      << st.error().message;
  close(fd);
}

TEST(ServerListenTest, SecondServerOnSamePortFails) {
  TestServer first;
  ServerOptions o = TestOptions();
  o.port = first.port();
  Server second(o, TestHandler);
  EXPECT_FALSE(second.Listen().ok());
}

TEST(ServerListenTest, BadHost) {
  ServerOptions o = TestOptions();
  o.host = "256.1.1.1";
  Server server(o, TestHandler);
  Status st = server.Listen();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "listen_failed");
}

}  // namespace
}  // namespace rt::http
