#ifndef RT_HTTP_SERVER_H_
#define RT_HTTP_SERVER_H_

#include <functional>
#include <memory>
#include <string>

#include "core/config.h"
#include "core/result.h"
#include "http/message.h"

namespace rt::http {

// Called once per request on one of the server's threads; must be
// thread-safe. Exceptions escaping it become a 500 and are logged.
using Handler = std::function<Response(Request&)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;          // 0 picks a free port (see Server::port)
  int threads = 0;          // io_contexts; 0 = hardware concurrency
  bool access_log = true;
  ServerLimits limits;
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
  // closes idle connections and returns. Blocks the calling thread.
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
