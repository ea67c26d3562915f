// callwire — the HTTP/1.1 + WebSocket server of the server layer (internal).
//
// HttpServer listens on host:port (port 0: an ephemeral port, see port()) on
// an io_context the host runs — the server owns no threads. Each connection
// is a session on its own strand with a deadline on every operation:
//
//   idle_timeout     waiting for the next request on a kept-alive connection
//                    (and for the first one)
//   read_timeout     one whole request, from its first byte to its last
//   write_timeout    each write (a response, or one piece of a file/stream)
//   handler_timeout  a handler that has not answered by then gets a 504 sent
//                    for it (its late answer is ignored); a streaming
//                    producer that sends nothing for as long is given up on
//                    (the connection is closed)
//
// Limits: header_limit (431 past it), body_limit (413 with
// {"detail":"request body too large (limit N bytes)"}; a Content-Length over
// the limit is refused from the headers, without reading the body), both
// followed by closing the connection. Malformed requests get 400.
// "Expect: 100-continue" is honoured. Keep-alive as in HTTP/1.1; pipelined
// requests are read one after another.
//
// Requests go through the Dispatcher (CORS, auth, routes, static files,
// metrics — see dispatcher.hpp). An upgrade request on a path registered with
// add_websocket() becomes a WebSocket client of that hub (after auth).
//
// stop() is graceful: the listener closes, idle connections close, requests
// in flight are answered (with Connection: close), WebSocket clients get a
// close frame (1001), and whatever is still open after stop_timeout is closed
// hard. on_stopped runs (on a network thread) once every connection is closed.
//
// Metrics (with DispatcherOptions::metrics): the request metrics of
// dispatcher.hpp, the WebSocket metrics of websocket_hub.hpp, and
//   callwire_http_connections        gauge   open connections (WebSocket ones included)
//
// Thread-safety: configure (add_websocket) before start(); start(), stop(),
// port() and the accessors may then be called from any thread. Destroying
// the server closes everything at once; handlers still running keep their
// own state alive, but must not outlive what they reference.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "server/dispatcher.hpp"
#include "server/router.hpp"
#include "server/websocket_hub.hpp"

namespace boost::asio {
class io_context;
}

namespace callwire::server {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  ///< 0: ephemeral
  std::size_t header_limit = 16u << 10;
  std::size_t body_limit = 1u << 20;
  std::chrono::milliseconds idle_timeout{60000};
  std::chrono::milliseconds read_timeout{30000};
  std::chrono::milliseconds write_timeout{30000};
  std::chrono::milliseconds handler_timeout{60000};
  std::chrono::milliseconds stop_timeout{10000};
  /// StreamWriter::write blocks while this many bytes wait to be sent.
  std::size_t stream_buffer_bytes = 256u << 10;
  /// Connections past this are accepted and closed at once.
  std::size_t max_connections = 4096;
  /// Value of the Server header; empty: none.
  std::string server_name = "callwire";
  /// CORS, auth, static folder, metrics.
  DispatcherOptions dispatch;
};

class HttpServer {
 public:
  /// Throws Error(invalid_argument) for a bad static folder.
  HttpServer(boost::asio::io_context& ioc, std::shared_ptr<const Router> router, HttpServerOptions options);
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Registers a WebSocket hub on `path` (exact path, trailing slash
  /// ignored). Before start(). Throws Error(invalid_argument) if the path is
  /// already taken.
  std::shared_ptr<WebSocketHub> add_websocket(const std::string& path, WebSocketOptions options = {});
  void add_websocket(std::shared_ptr<WebSocketHub> hub);

  /// Binds and starts accepting. Throws Error(invalid_argument) for a host
  /// that is not an IP address or "localhost", Error(unavailable) when the
  /// address cannot be bound (in use, not local).
  void start();

  /// The bound port (valid after start()).
  std::uint16_t port() const noexcept;
  const std::string& host() const noexcept;

  /// Graceful stop (see above). Idempotent; later calls add their
  /// on_stopped to the list (or run it at once when already stopped).
  void stop(std::function<void()> on_stopped = {});
  bool stopped() const noexcept;

  /// Open connections, WebSocket ones included.
  std::size_t connection_count() const noexcept;
  const Dispatcher& dispatcher() const noexcept;

  struct Core;  ///< shared with the sessions (defined in the .cpp files)

 private:
  std::shared_ptr<Core> core_;
};

}  // namespace callwire::server
