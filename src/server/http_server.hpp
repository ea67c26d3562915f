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
// max_buffered_body_bytes caps the request bodies buffered by all
// connections at once: a request whose Content-Length (or next chunk) does
// not fit in what is left gets 503 {"detail": "The server is receiving too
// many request bodies at once; retry shortly."} with Retry-After: 1, before
// its body (or that chunk) is read, and the connection is closed. A body's
// bytes are counted from its headers (Content-Length) or chunk by chunk
// (chunked) until the Request is destroyed — normally once it is answered;
// later if a handler keeps it.
//
// Connections: past max_connections, or past max_connections_per_ip from one
// remote address (IPv4-mapped IPv6 counted as IPv4; a WebSocket counts as the
// connection it was upgraded from), a new connection is accepted and closed
// at once. Refusals are logged like accept errors: the first at once, then at
// most one line per 5 s with the number since the last line.
// "Expect: 100-continue" is honoured. Keep-alive as in HTTP/1.1; pipelined
// requests are read one after another.
//
// Every connection is a file descriptor. start() raises the process's soft
// RLIMIT_NOFILE to its hard limit (raise_fd_limit; process-wide, logged) and
// lowers max_connections, if needed, to the soft limit minus a reserve of
// max(64, limit / 8) descriptors (at most half the limit) for everything else
// the process opens: files, storage, TLS connections to Telnyx, pipes
// (logged; max_connections() is the limit in force). The reserve is per
// server: several servers in one process share one table. When accepting
// fails nevertheless (EMFILE, ENFILE, ENOBUFS, ENOMEM), the listener pauses —
// 10 ms, doubling to 1 s while accepts keep failing, reset by a successful
// one — instead of retrying at once, and logs the first error at once, then
// at most one line per 5 s with the number of errors since the last line.
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
//   callwire_http_connections          gauge    open connections (WebSocket ones included)
//   callwire_http_accept_errors_total  counter  failed accepts (EMFILE...), logged or not
//   callwire_http_connections_refused_total{reason}  counter  closed at once:
//                                      reason="max_connections" or "max_connections_per_ip"
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
  /// Request bodies buffered by all connections at once (503 past it; see
  /// above). At least body_limit is allowed, so that one largest body always
  /// fits. 0: no cap.
  std::size_t max_buffered_body_bytes = 64u << 20;
  std::chrono::milliseconds idle_timeout{60000};
  std::chrono::milliseconds read_timeout{30000};
  std::chrono::milliseconds write_timeout{30000};
  std::chrono::milliseconds handler_timeout{60000};
  std::chrono::milliseconds stop_timeout{10000};
  /// StreamWriter::write blocks while this many bytes wait to be sent.
  std::size_t stream_buffer_bytes = 256u << 10;
  /// Connections past this are accepted and closed at once. start() lowers
  /// it below the open-file limit (see above and max_connections()).
  std::size_t max_connections = 4096;
  /// start() raises the soft RLIMIT_NOFILE to the hard limit (process-wide).
  /// Off: hosts that manage the limit themselves (or use select() on
  /// descriptors past FD_SETSIZE) keep theirs; max_connections is still
  /// clamped below it.
  bool raise_fd_limit = true;
  /// Connections from one remote address past this are accepted and closed
  /// at once. Behind a reverse proxy every connection comes from the proxy's
  /// address: turn it off (0) or raise it above the proxy's connections.
  /// 0: no per-address limit.
  std::size_t max_connections_per_ip = 256;
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
  /// The connection limit in force: options.max_connections, lowered by
  /// start() below the open-file limit when it does not fit.
  std::size_t max_connections() const noexcept;
  /// Bytes of request bodies counted against max_buffered_body_bytes now.
  std::size_t buffered_body_bytes() const noexcept;
  const Dispatcher& dispatcher() const noexcept;

  struct Core;  ///< shared with the sessions (defined in the .cpp files)

 private:
  std::shared_ptr<Core> core_;
};

}  // namespace callwire::server
