#include "http/server.h"

// <utility> must precede the Asio coroutine headers (Boost 1.74 + g++ 12).
#include <utility>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <csignal>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>
#include <vector>

#include <unistd.h>

// Asio's recycling allocator of coroutine frames trips a false positive of
// g++ 12 when frames are inlined into each other.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

// Only this file sees Beast, so switching its string_view is harmless and
// spares conversions to std::string_view.
#define BOOST_BEAST_USE_STD_STRING_VIEW
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "http/error_status.h"

namespace rt::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using beast::error_code;
using std::chrono::seconds;
using SteadyClock = std::chrono::steady_clock;

constexpr size_t kMaxLoggedTarget = 200;

// Added to every response unless the handler set them itself.
constexpr std::pair<std::string_view, std::string_view> kSecurityHeaders[] = {
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self'; "
     "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
     "base-uri 'none'; object-src 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "same-origin"},
    {"X-Frame-Options", "DENY"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Server", "roundtable"},
};

struct Session;

// Everything belonging to one thread. Only that thread touches it (Stop
// reaches it through asio::post), so nothing here needs a lock. Members are
// ordered so that destroying `ioc` (which destroys suspended coroutines and
// thus Sessions) happens while `sessions` still exists and after `acceptor`.
struct Worker {
  std::unordered_set<Session*> sessions;
  bool stopping = false;
  asio::io_context ioc{1};
  std::optional<tcp::acceptor> acceptor;
};

// One connection; registered with its Worker for as long as it lives so that
// Stop can close it when it is idle.
struct Session {
  Session(Worker& w, tcp::socket socket) : worker(w), stream(std::move(socket)) {
    worker.sessions.insert(this);
  }
  ~Session() { worker.sessions.erase(this); }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  Worker& worker;
  beast::tcp_stream stream;
  bool busy = false;  // between a request's first byte and its response
};

// Methods that must not change anything, whose handlers stay on the io
// threads. Everything else may write and goes to the write threads.
bool IsSafeMethod(bhttp::verb v) {
  return v == bhttp::verb::get || v == bhttp::verb::head ||
         v == bhttp::verb::options;
}

bool HasLineBreak(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

// Converts `r` (consuming its body) to a Beast response. Security headers,
// Content-Length and keep-alive are decided here rather than by handlers.
template <class Body>
void FillBeast(bhttp::response<Body>& res, Response& r, unsigned version, bool& keep_alive);

bhttp::response<bhttp::string_body> ToBeast(Response& r, unsigned version,
                                            bool head, bool keep_alive) {
  bhttp::response<bhttp::string_body> res;
  FillBeast(res, r, version, keep_alive);
  int status = res.result_int();
  bool bodiless = status < 200 || status == 204 || status == 304;
  if (bodiless) {
    r.body.clear();
  } else {
    res.content_length(r.body.size());
  }
  if (!head) res.body() = std::move(r.body);
  res.keep_alive(keep_alive);
  return res;
}

// Status, headers (the handler's, then the security headers) and version of
// a response of any body type; clears keep_alive when the handler asked for
// "Connection: close".
template <class Body>
void FillBeast(bhttp::response<Body>& res, Response& r, unsigned version, bool& keep_alive) {
  int status = r.status >= 100 && r.status <= 999 ? r.status : 500;
  res.result(static_cast<unsigned>(status));
  res.reason(StatusText(status));
  // HTTP/1.0 clients need "Connection: keep-alive", which Beast only adds
  // for version 10.
  res.version(version == 10 ? 10 : 11);
  for (auto& [name, value] : r.headers) {
    bhttp::field f = bhttp::string_to_field(name);
    if (f == bhttp::field::content_length ||
        f == bhttp::field::transfer_encoding) {
      continue;
    }
    if (name.empty() || HasLineBreak(name) || HasLineBreak(value)) {
      // A line break would let header values inject headers or a body.
      spdlog::warn("dropping a response header that contains a line break");
      continue;
    }
    if (f == bhttp::field::connection && beast::iequals(value, "close")) {
      keep_alive = false;
    }
    res.insert(name, value);
  }
  for (auto [name, value] : kSecurityHeaders) {
    if (res.find(name) == res.end()) res.set(name, value);
  }
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions o, Handler h)
      : options(std::move(o)), handler(std::move(h)) {}

  asio::awaitable<void> Accept(Worker& w);
  asio::awaitable<void> Serve(Worker& w, tcp::socket socket);
  // Runs the handler; never throws.
  Response CallHandler(Request& req) const;
  // CallHandler on a write thread, resuming the calling coroutine on w's
  // io_context afterwards. The pending call counts as work of that
  // io_context, so a graceful stop waits for it.
  asio::awaitable<Response> CallHandlerOnWriteThread(Worker& w, Request& req);
  // Writes a server-generated error and closes the connection. `method` and
  // `target` are only for the access log.
  asio::awaitable<void> WriteError(Session& s, int status, std::string_view code,
                                   std::string_view message,
                                   const std::string& ip, std::string_view method,
                                   std::string_view target,
                                   SteadyClock::time_point start);
  void LogAccess(const std::string& ip, std::string_view method,
                 std::string_view target, int status, size_t bytes,
                 SteadyClock::time_point start) const;
  void StopWorker(Worker& w);

  const ServerOptions options;
  const Handler handler;
  std::vector<std::unique_ptr<Worker>> workers;
  int port = 0;
  bool listening = false;
  std::optional<asio::signal_set> signals;  // on workers[0], during Run
  std::optional<asio::thread_pool> write_pool;  // during Run, if write_threads
  std::atomic<bool> stopping{false};

  std::mutex mu;  // guards what follows, and `workers` against Stop()
  std::condition_variable cv;
  bool stop_requested = false;
  SteadyClock::time_point stop_time;
  size_t finished_threads = 0;
};

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() = default;

int Server::port() const { return impl_->port; }

Status Server::Listen() {
  Impl& m = *impl_;
  if (m.listening) return OkStatus();
  const std::string addr_text =
      m.options.host + ":" + std::to_string(m.options.port);
  auto fail = [&](const std::string& why) -> Status {
    return MakeError(ErrorKind::kUnavailable, "listen_failed",
                     "cannot listen on " + addr_text + ": " + why);
  };
  error_code ec;
  asio::ip::address address = asio::ip::make_address(m.options.host, ec);
  if (ec) {
    // A host name such as "localhost": take its first address.
    asio::io_context tmp;
    tcp::resolver resolver(tmp);
    auto results = resolver.resolve(m.options.host, "", ec);
    if (ec || results.empty()) return fail("cannot resolve host");
    address = results.begin()->endpoint().address();
  }
  tcp::endpoint endpoint(address, static_cast<unsigned short>(m.options.port));

  // SO_REUSEPORT would let us share the port with another running instance
  // of the same user, silently splitting traffic; a probe socket without it
  // fails when anyone is listening there already.
  if (m.options.port != 0) {
    asio::io_context tmp;
    tcp::acceptor probe(tmp);
    probe.open(endpoint.protocol(), ec);
    if (!ec) probe.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) probe.bind(endpoint, ec);
    if (ec) return fail(ec.message());
  }

  int threads = m.options.threads > 0
                    ? m.options.threads
                    : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(threads, 1);
  using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;
  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < threads; ++i) {
    auto w = std::make_unique<Worker>();
    tcp::acceptor& a = w->acceptor.emplace(w->ioc);
    a.open(endpoint.protocol(), ec);
    if (!ec) a.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) a.set_option(ReusePort(true), ec);
    if (!ec) a.bind(endpoint, ec);
    if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return fail(ec.message());
    if (i == 0) {
      endpoint.port(a.local_endpoint(ec).port());
      if (ec) return fail(ec.message());
    }
    workers.push_back(std::move(w));
  }
  std::lock_guard<std::mutex> lock(m.mu);  // Stop() reads `workers`
  m.workers = std::move(workers);
  m.port = endpoint.port();
  m.listening = true;
  return OkStatus();
}

void Server::Run(std::function<void()> on_ready) {
  Impl& m = *impl_;
  if (!m.listening) {
    Status st = Listen();
    if (!st.ok()) {
      spdlog::error("{}", st.error().message);
      return;
    }
  }
  Worker& first = *m.workers.front();
  m.signals.emplace(first.ioc, SIGINT, SIGTERM);
  m.signals->async_wait([this](const error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("received signal {}, stopping", signal);
    Stop();
  });
  for (auto& w : m.workers) {
    asio::co_spawn(w->ioc, m.Accept(*w), asio::detached);
  }

  {
    // Stop() may have come before Listen() created the workers.
    std::lock_guard<std::mutex> lock(m.mu);
    if (m.stop_requested) {
      for (auto& w : m.workers) {
        asio::post(w->ioc, [&m, w = w.get()] { m.StopWorker(*w); });
      }
    }
  }
  if (m.options.write_threads > 0) {
    m.write_pool.emplace(static_cast<size_t>(m.options.write_threads));
  }
  std::vector<std::thread> threads;
  for (auto& w : m.workers) {
    threads.emplace_back([&m, &ioc = w->ioc] {
      ioc.run();
      std::lock_guard<std::mutex> lock(m.mu);
      ++m.finished_threads;
      m.cv.notify_all();
    });
  }
  spdlog::info("listening on {}:{} with {} threads", m.options.host, m.port,
               m.workers.size());
  if (on_ready) on_ready();

  {
    std::unique_lock<std::mutex> lock(m.mu);
    auto all_done = [&] { return m.finished_threads == m.workers.size(); };
    m.cv.wait(lock, [&] { return m.stop_requested || all_done(); });
    auto deadline =
        m.stop_time + seconds(m.options.limits.drain_timeout_seconds);
    if (!m.cv.wait_until(lock, deadline, all_done)) {
      spdlog::warn("drain timeout: closing remaining connections");
      for (auto& w : m.workers) w->ioc.stop();
    }
  }
  for (auto& t : threads) t.join();
  if (m.write_pool) {
    // Past a drain timeout a handler may still be running with references
    // into its connection's coroutine: wait for it before that goes away.
    m.write_pool->join();
    m.write_pool.reset();
  }
  m.signals.reset();
  std::lock_guard<std::mutex> lock(m.mu);
  // Drop suspended coroutines (their sockets) now rather than in ~Server.
  m.workers.clear();
  m.listening = false;
  spdlog::info("server stopped");
}

void Server::Stop() {
  Impl& m = *impl_;
  {
    std::lock_guard<std::mutex> lock(m.mu);
    if (m.stop_requested) return;
    m.stop_requested = true;
    m.stopping = true;
    m.stop_time = SteadyClock::now();
    m.cv.notify_all();
    // Under the lock so that Run cannot destroy the workers meanwhile.
    for (auto& w : m.workers) {
      asio::post(w->ioc, [&m, w = w.get()] { m.StopWorker(*w); });
    }
  }
}

void Server::Impl::StopWorker(Worker& w) {
  w.stopping = true;
  error_code ec;
  if (w.acceptor) w.acceptor->close(ec);
  if (&w == workers.front().get() && signals) signals->cancel(ec);
  // Busy sessions see `stopping` once their response is written.
  for (Session* s : w.sessions) {
    if (!s->busy) s->stream.close();
  }
}

asio::awaitable<void> Server::Impl::Accept(Worker& w) {
  while (!w.stopping) {
    error_code ec;
    tcp::socket socket = co_await w.acceptor->async_accept(
        asio::redirect_error(asio::use_awaitable, ec));
    if (w.stopping || ec == asio::error::operation_aborted ||
        ec == asio::error::bad_descriptor) {
      co_return;
    }
    if (ec) {
      // Typically EMFILE: back off instead of spinning on the error.
      spdlog::warn("accept failed: {}", ec.message());
      asio::steady_timer timer(w.ioc, std::chrono::milliseconds(100));
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    asio::co_spawn(w.ioc, Serve(w, std::move(socket)),
                   [](std::exception_ptr e) {
                     if (!e) return;
                     try {
                       std::rethrow_exception(e);
                     } catch (const std::exception& ex) {
                       spdlog::error("connection failed: {}", ex.what());
                     }
                   });
  }
}

asio::awaitable<void> Server::Impl::Serve(Worker& w, tcp::socket socket) {
  const ServerLimits& limits = options.limits;
  error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  const std::string ip = socket.remote_endpoint(ec).address().to_string();
  Session s(w, std::move(socket));
  beast::flat_buffer buffer;
  auto token = asio::redirect_error(asio::use_awaitable, ec);

  while (!w.stopping) {
    s.busy = false;
    if (buffer.size() == 0) {
      // Idle until the first byte of the next request; the read timeout of
      // the request counts from there.
      s.stream.expires_after(seconds(limits.idle_timeout_seconds));
      size_t n = co_await s.stream.async_read_some(buffer.prepare(4096), token);
      if (ec) co_return;
      buffer.commit(n);
    }
    s.busy = true;
    const auto start = SteadyClock::now();
    // One deadline for headers and body together, so trickling bytes does
    // not extend it.
    s.stream.expires_after(seconds(limits.read_timeout_seconds));

    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
    // Beast compares Content-Length with the body limit while it reads the
    // header, before the route is known: let uploads through there, and
    // decide each request's own limit once the header is in.
    const uint64_t upload_limit = options.uploads.accepts ? options.uploads.max_body_bytes : 0;
    parser.body_limit(std::max<uint64_t>(limits.max_body_bytes, upload_limit));
    co_await bhttp::async_read_header(s.stream, buffer, parser, token);
    bool upload = false;
    uint64_t body_limit = limits.max_body_bytes;
    if (!ec && upload_limit > 0 && parser.get().method() == bhttp::verb::post) {
      std::string_view target = parser.get().target();
      std::string_view type = parser.get()[bhttp::field::content_type];
      if (beast::iequals(type.substr(0, std::min<size_t>(type.size(), 19)),
                         "multipart/form-data")) {
        Request head;
        head.method = "POST";
        head.path = std::string(target.substr(0, target.find('?')));
        for (const auto& field : parser.get()) {
          if (field.name() == bhttp::field::authorization || field.name() == bhttp::field::cookie) {
            head.headers.emplace_back(beast::iequals(field.name_string(), "cookie") ? "cookie"
                                                                                   : "authorization",
                                      std::string(field.value()));
          }
        }
        upload = options.uploads.accepts(head);
      }
      if (upload) body_limit = upload_limit;
    }
    if (!ec && parser.content_length() && *parser.content_length() > body_limit) {
      // Refused before a byte of the body is read.
      co_await WriteError(s, 413, "body_too_large", "The request body is too large.", ip,
                          parser.get().method_string(), parser.get().target(), start);
      co_return;
    }
    if (!ec) parser.body_limit(body_limit);
    // An upload is written to a file as it arrives, so a large one costs no
    // memory; it gets longer to arrive than other requests.
    std::optional<bhttp::request_parser<bhttp::file_body>> file_parser;
    std::string spooled;
    struct RemoveSpool {
      std::string* path;
      ~RemoveSpool() {
        if (!path->empty()) std::remove(path->c_str());
      }
    } remove_spool{&spooled};
    if (!ec && upload && !parser.is_done()) {
      static std::atomic<uint64_t> spool_counter{0};
      spooled = options.uploads.spool_dir + "/body-" + std::to_string(::getpid()) + "-" +
                std::to_string(++spool_counter);
      file_parser.emplace(std::move(parser));
      file_parser->body_limit(body_limit);
      file_parser->get().body().open(spooled.c_str(), beast::file_mode::write_new, ec);
      if (ec) {
        spdlog::error("cannot spool an upload to {}: {}", spooled, ec.message());
        spooled.clear();
        co_await WriteError(s, 503, "upload_unavailable",
                            "Uploads cannot be received right now. Try again later.", ip, "POST",
                            "-", start);
        co_return;
      }
      s.stream.expires_after(seconds(options.uploads.read_timeout_seconds));
    }
    if (!ec && parser.get().target().size() > limits.max_target_bytes) {
      co_await WriteError(s, 414, "uri_too_long", "The address is too long.", ip,
                          parser.get().method_string(), parser.get().target(),
                          start);
      co_return;
    }
    const bool need_body = file_parser ? !file_parser->is_done() : !parser.is_done();
    if (!ec && need_body) {
      std::string_view expect = file_parser ? (*file_parser).get()[bhttp::field::expect]
                                            : parser.get()[bhttp::field::expect];
      if (beast::iequals(expect, "100-continue")) {
        static constexpr std::string_view kContinue =
            "HTTP/1.1 100 Continue\r\n\r\n";
        co_await asio::async_write(s.stream, asio::buffer(kContinue), token);
      }
      if (!ec && file_parser) {
        co_await bhttp::async_read(s.stream, buffer, *file_parser, token);
      } else if (!ec) {
        co_await bhttp::async_read(s.stream, buffer, parser, token);
      }
    }
    if (ec) {
      // The target is set once the request line has been parsed (the
      // header moved to file_parser for uploads).
      auto& head = file_parser ? file_parser->get().base() : parser.get().base();
      const bool have_line = !head.target().empty();
      std::string_view method = have_line ? head.method_string() : "-";
      if (ec == bhttp::error::header_limit) {
        if (!have_line) {
          // The request line alone is over the limit: blame the address.
          co_await WriteError(s, 414, "uri_too_long", "The address is too long.",
                              ip, method, "-", start);
        } else {
          co_await WriteError(s, 431, "header_too_large",
                              "The request headers are too large.", ip, method,
                              "-", start);
        }
      } else if (ec == bhttp::error::body_limit) {
        co_await WriteError(s, 413, "body_too_large",
                            "The request body is too large.", ip, method,
                            head.target(), start);
      } else if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
                 ec != bhttp::error::end_of_stream &&
                 ec != bhttp::error::partial_message) {
        co_await WriteError(s, 400, "bad_request", "The request is malformed.",
                            ip, method, "-", start);
      }
      // Anything else is the network or a timeout: nobody to answer.
      co_return;
    }

    bhttp::request<bhttp::string_body> breq;
    if (file_parser) {
      file_parser->get().body().close();
      auto fmsg = file_parser->release();
      breq.base() = std::move(fmsg.base());
    } else {
      breq = parser.release();
    }
    Request req;
    req.method = breq.method_string();
    req.target = breq.target();
    size_t q = req.target.find('?');
    req.path = req.target.substr(0, q);
    if (q != std::string::npos) req.query = req.target.substr(q + 1);
    for (const auto& f : breq) {
      std::string name(f.name_string());
      std::transform(name.begin(), name.end(), name.begin(), [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
      });
      req.headers.emplace_back(std::move(name), std::string(f.value()));
    }
    req.body = std::move(breq.body());
    req.body_file = spooled;
    req.remote_ip = ip;

    // Reads stay inline: they are most of the traffic and hopping threads
    // would cost more than most of them take. Writes mostly wait (for the
    // database's commit), so they wait on a write thread rather than block
    // every connection of this io thread. (Not a conditional expression:
    // g++ 12 miscompiles co_await inside one.)
    Response resp;
    if (write_pool && !IsSafeMethod(breq.method())) {
      resp = co_await CallHandlerOnWriteThread(w, req);
    } else {
      resp = CallHandler(req);
    }

    const bool head = breq.method() == bhttp::verb::head;
    std::optional<uint64_t> head_file_size;
    if (!resp.body_file.empty()) {
      // A file (a download): Beast reads it from disk as it writes.
      bhttp::response<bhttp::file_body> fres;
      fres.body().open(resp.body_file.c_str(), beast::file_mode::scan, ec);
      if (!ec && !head) {
        bool keep = breq.keep_alive() && !stopping;
        FillBeast(fres, resp, breq.version(), keep);
        const uint64_t size = fres.body().size();
        fres.content_length(size);
        fres.keep_alive(keep);
        const int fstatus = fres.result_int();
        s.stream.expires_after(seconds(limits.write_timeout_seconds * 10));
        co_await bhttp::async_write(s.stream, fres, token);
        LogAccess(ip, req.method, req.target, fstatus, static_cast<size_t>(size), start);
        if (ec) co_return;
        if (!keep) break;
        continue;
      }
      if (ec) {
        ec = {};
        resp = ErrorResponse(404, "not_found", "We could not find that file.");
      } else {
        head_file_size = fres.body().size();  // HEAD: the file's headers, without it
      }
    }
    const size_t body_bytes = head ? 0 : resp.body.size();
    const int status = resp.status;
    // `stopping` (not w.stopping) because this thread was busy in the handler
    // and has not run its stop task yet.
    auto res =
        ToBeast(resp, breq.version(), head, breq.keep_alive() && !stopping);
    if (head_file_size && status >= 200 && status != 204 && status != 304) {
      res.content_length(*head_file_size);
    }
    s.stream.expires_after(seconds(limits.write_timeout_seconds));
    co_await bhttp::async_write(s.stream, res, token);
    LogAccess(ip, req.method, req.target, status, body_bytes, start);
    if (ec) co_return;
    if (res.need_eof()) break;
  }
  s.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  s.stream.close();
}

Response Server::Impl::CallHandler(Request& req) const {
  try {
    return handler(req);
  } catch (const std::exception& e) {
    spdlog::error("handler failed on {} {}: {}", req.method,
                  req.target.substr(0, kMaxLoggedTarget), e.what());
  } catch (...) {
    spdlog::error("handler failed on {} {}: unknown exception", req.method,
                  req.target.substr(0, kMaxLoggedTarget));
  }
  return ErrorResponse(500, "internal", "Something went wrong on our side.");
}

asio::awaitable<Response> Server::Impl::CallHandlerOnWriteThread(Worker& w,
                                                                 Request& req) {
  // `req` lives in the suspended coroutine's frame, which stays put until
  // the completion below resumes it (or, after a drain timeout, until Run
  // has joined the write threads).
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable),
                                          void(Response)>(
      [this, &w, &req](auto completion) {
        asio::post(*write_pool,
                   [this, &w, &req, completion = std::move(completion),
                    work = asio::make_work_guard(w.ioc)]() mutable {
                     Response resp = CallHandler(req);
                     asio::post(w.ioc, [completion = std::move(completion),
                                        resp = std::move(resp)]() mutable {
                       completion(std::move(resp));
                     });
                   });
      },
      asio::use_awaitable);
}

asio::awaitable<void> Server::Impl::WriteError(
    Session& s, int status, std::string_view code, std::string_view message,
    const std::string& ip, std::string_view method, std::string_view target,
    SteadyClock::time_point start) {
  Response resp = ErrorResponse(status, code, message);
  const size_t bytes = resp.body.size();
  auto res = ToBeast(resp, 11, false, false);
  error_code ec;
  auto token = asio::redirect_error(asio::use_awaitable, ec);
  s.stream.expires_after(seconds(options.limits.write_timeout_seconds));
  co_await bhttp::async_write(s.stream, res, token);
  LogAccess(ip, method, target, status, bytes, start);
  if (ec) co_return;
  // Closing with unread input makes the kernel send a reset, which can
  // destroy the response before the client reads it (typically a 413 while
  // the body is still arriving). So drain for a moment first.
  s.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  s.stream.expires_after(seconds(2));
  char sink[4096];
  for (size_t total = 0; !ec && total < (1u << 20);) {
    total += co_await s.stream.async_read_some(asio::buffer(sink), token);
  }
  s.stream.close();
}

void Server::Impl::LogAccess(const std::string& ip, std::string_view method,
                             std::string_view target, int status, size_t bytes,
                             SteadyClock::time_point start) const {
  if (!options.access_log) return;
  double ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - start)
                  .count();
  spdlog::info("{} {} {} {} {} {:.1f}ms", ip, method,
               target.substr(0, kMaxLoggedTarget), status, bytes, ms);
}

}  // namespace rt::http
