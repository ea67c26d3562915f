// callwire — WebhookServer: the HTTP + WebSocket front door of a CallClient.
//
// Serves POST /webhooks/call (Telnyx webhooks, signature-checked by the
// client), GET /ws/calls (a WebSocket: a snapshot of live calls on connect,
// then every update) and, when asked, the REST API of the reference server
// (/api/*, /health, /metrics), demo recordings under /recordings/ and a static
// folder (the web softphone) at /.
//
//   callwire::WebhookServer server(client, {.port = 8000});
//   server.start();          // returns at once; port() is the bound port
//   …
//   server.stop();           // finishes requests in flight
//
// Hosts that own the socket can skip start() and pass requests to handle().
//
// Threading: the server runs its own io_context on `threads` threads and a
// worker pool for blocking work; every member is thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "callwire/call_client.hpp"
#include "callwire/version.hpp"

namespace callwire {

struct WebhookServerOptions {
  std::string host = "127.0.0.1";  ///< loopback by default
  std::uint16_t port = 8000;       ///< 0 picks a free port (see port())
  bool rest_api = true;            ///< mount /api/*, /health, /metrics
  std::string static_dir;          ///< serve this folder at / (SPA fallback to index.html); empty: none
  bool serve_recordings = true;    ///< GET /recordings/<file> from the client's recordings folder
  std::vector<std::string> cors_origins;  ///< allowed browser origins; empty: no CORS headers
  /// Host names clients may use besides loopback names and the bound
  /// address (CALLWIRE_ALLOWED_HOSTS); other Host headers get 421. The host
  /// of the client's webhook URL is always allowed. ".example.com" allows
  /// subdomains too, "*" any host (docs/server.md, "Security").
  std::vector<std::string> allowed_hosts;
  /// When set, /api/*, /ws/* and /recordings/* need an HS256 bearer token
  /// (?token= also works for /ws and /recordings). At least 32 bytes.
  std::string jwt_secret;
  /// How long a sign-in's token lasts (JWT_EXPIRES_HOURS; 12 h).
  std::chrono::seconds session_lifetime{12 * 3600};
  /// How long a user stays in wrap_up after their last call ends before they
  /// are available again (CALLWIRE_WRAP_UP_SECONDS; 30 s).
  std::chrono::milliseconds wrap_up{30'000};
  /// When set, GET /metrics needs `Authorization: Bearer <metrics_token>`
  /// (CALLWIRE_METRICS_TOKEN); when empty it answers loopback clients only.
  std::string metrics_token;
  /// Binding a non-loopback address without jwt_secret is refused unless this is set.
  bool allow_public_without_auth = false;
  std::size_t body_limit = 1 << 20;  ///< bytes; larger bodies get 413
  /// Request bodies buffered by all connections at once (bytes, at least
  /// body_limit); a body that does not fit gets 503 with Retry-After before
  /// it is read. 0: no cap.
  std::size_t max_buffered_body_bytes = 64u << 20;
  /// Connections from one remote address past this are closed at once.
  /// Behind a reverse proxy (every connection from its address): 0 (off) or
  /// more than the proxy opens.
  std::size_t max_connections_per_ip = 256;
  unsigned threads = 2;              ///< network threads
  unsigned worker_threads = 4;       ///< blocking work (storage, carrier waits)
  std::string version = callwire::version();  ///< reported by /health
};

/// One request for handle(), and its answer.
struct HttpExchange {
  std::string method;
  std::string target;  ///< path and query, e.g. "/api/contacts?search=ada"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};
struct HttpAnswer {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

class WebhookServer {
 public:
  /// Validates the options (errc::invalid_argument: a public host without
  /// jwt_secret, a jwt_secret shorter than 32 bytes) and mounts the routes. `client` must outlive it.
  WebhookServer(CallClient& client, WebhookServerOptions options = {});
  ~WebhookServer();  ///< stop()
  WebhookServer(const WebhookServer&) = delete;
  WebhookServer& operator=(const WebhookServer&) = delete;

  /// Binds and starts serving; returns at once. errc::unavailable when the
  /// address cannot be bound (the message says why).
  void start();
  /// The bound port (after start()).
  std::uint16_t port() const;
  /// Stops accepting, finishes requests in flight (bounded), closes
  /// WebSockets and joins the threads. Webhooks already accepted are
  /// answered first: stop() waits until the client has committed (200) or
  /// failed (503) each of them, so a carrier never sees a cut connection for
  /// an event that was stored. Idempotent.
  void stop();
  /// Blocks until stop() has been called (from another thread or a signal handler thread).
  void wait();

  /// Router-only mode: runs one request through the same routes (without
  /// WebSocket upgrades) and calls `done` once with the answer, possibly on
  /// another thread. POST /webhooks/call is verified and parsed on the
  /// calling thread, and a stored webhook's `done` runs on the CallClient's
  /// ingest writer thread: keep it short, it delays the next batch.
  void handle(HttpExchange request, std::function<void(HttpAnswer)> done);

  /// Every route as "METHOD /pattern" (for documentation checks).
  std::vector<std::string> routes() const;

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace callwire
