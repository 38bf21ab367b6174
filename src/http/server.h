#ifndef RT_HTTP_SERVER_H_
#define RT_HTTP_SERVER_H_

#include <functional>
#include <memory>
#include <string>

#include "core/config.h"
#include "core/result.h"
#include "http/message.h"

namespace rt::http {

// Called once per request: GET, HEAD and OPTIONS on one of the io threads,
// every other method (anything that may write) on one of the write threads.
// Must be thread-safe. Exceptions escaping it become a 500 and are logged.
using Handler = std::function<Response(Request&)>;

// Large request bodies, allowed only where a handler expects an upload.
struct UploadOptions {
  // Whether `head` (a request's method, path and headers, before its body is
  // read) may send a multipart/form-data body of up to max_body_bytes;
  // others keep ServerLimits::max_body_bytes. Asked before a byte of the
  // body is read, so it should check who is asking too: a stranger must not
  // make the server spool 25 MB to disk. Must be thread-safe.
  std::function<bool(const Request& head)> accepts;
  uint64_t max_body_bytes = 0;  // 0: no uploads anywhere
  // Where such bodies are written as they arrive (never held in memory).
  std::string spool_dir;
  // For the whole request, instead of ServerLimits::read_timeout_seconds.
  int read_timeout_seconds = 600;
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;          // 0 picks a free port (see Server::port)
  int threads = 0;          // io_contexts; 0 = hardware concurrency
  // Threads that run the handler for requests that may write, so that many
  // writes are in flight at once (and can share a database commit) while
  // the io threads keep serving reads. 0 runs them on the io threads.
  int write_threads = 32;
  bool access_log = true;
  ServerLimits limits;
  UploadOptions uploads;
};

// An HTTP/1.1 server: one io_context per thread, each with its own
// SO_REUSEPORT acceptor; C++20 coroutines per connection. Adds the security
// headers to every response and enforces the limits and timeouts in
// ServerOptions::limits.
class Server {
 public:
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. Fails with kUnavailable when the address is taken.
  Status Listen();
  // The bound port (useful with port 0). Valid after Listen().
  int port() const;

  // Serves until Stop() is called or SIGTERM/SIGINT arrives, then stops
  // accepting, lets requests in flight finish (up to drain_timeout_seconds),
  // closes idle connections and returns. Blocks the calling thread; returns
  // only once no handler runs any more (a handler still running after the
  // drain timeout is waited for, though its connection is dropped).
  // `on_ready` runs once all threads are accepting.
  void Run(std::function<void()> on_ready = {});

  // Thread-safe; may be called from any thread or a signal context through
  // Run's own signal handling.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rt::http

#endif  // RT_HTTP_SERVER_H_
