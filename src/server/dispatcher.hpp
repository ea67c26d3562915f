// callwire — the request pipeline of the server layer (internal, Beast-free).
//
// For each HTTP request, in order:
//   0. the path is decoded and split once (request_path.hpp); a path that is
//      not canonical gets 400 — routes, tokens, files and hubs are all
//      decided on Request::segments / canonical_path, never the raw target;
//   1. a Host that names another site gets 421 (site_guard.hpp);
//   2. CORS preflight (OPTIONS + Origin + Access-Control-Request-Method) is
//      answered at once, before authentication (browsers send no token on it);
//   3. a state-changing request from a foreign Origin gets 403, a body that
//      is not application/json 415 (site_guard.hpp);
//   4. on protected prefixes, the bearer token is checked (401 otherwise);
//   5. the router matches the route, the access policy may refuse it (403),
//      then the handler runs; or the router answers 404 / 405;
//   6. a GET/HEAD that no route matched is tried against the static folder
//      (with its SPA fallback) before the 404.
// Every answer — the handler's included, whenever and from whatever thread it
// comes — gets the CORS headers and is counted in the metrics:
//   callwire_http_requests_total{route,method,status}          counter
//   callwire_http_request_duration_seconds{route,method}       histogram
// `route` is the matched pattern, or "static", "preflight", "unmatched",
// "websocket:<path>" — never a raw path, so cardinality stays bounded.
// `method` is one of the standard methods or "OTHER". Durations run from
// the request's arrival to the handler's answer (for a stream, its head).
//
// The same pipeline serves hosts that own their sockets: build a Request and
// call handle() with a callback.
//
// Thread-safety: immutable after construction; dispatch from any thread.
// The Dispatcher must outlive every request it dispatched.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "server/http_message.hpp"
#include "server/metrics.hpp"
#include "server/middleware.hpp"
#include "server/router.hpp"
#include "server/site_guard.hpp"
#include "server/static_files.hpp"

namespace callwire::server {

struct DispatcherOptions {
  CorsOptions cors;
  AuthOptions auth;
  SiteGuardOptions site;
  /// A folder served for GET/HEAD requests no route matched (the web UI).
  std::optional<StaticOptions> static_files;
  /// Step 5a, after the route matched and before its handler: who may call
  /// it (api/access_policy.hpp). std::nullopt lets the request through;
  /// otherwise the answer to send (403). Unset: every route is open to
  /// whoever passed step 4.
  std::function<std::optional<Response>(const Request&, std::string_view pattern)> authorize;
  /// Where request metrics go; nullptr: none recorded.
  std::shared_ptr<metrics::Registry> metrics;
};

class Dispatcher {
 public:
  /// Throws Error(invalid_argument) when the static folder is not a directory.
  Dispatcher(std::shared_ptr<const Router> router, DispatcherOptions options);

  /// Runs the pipeline for one request; the answer goes to `sink`. The
  /// request's entry: gives it its id (request_id.hpp) unless it has one,
  /// and opens a log::RequestScope for it while it is dispatched.
  void dispatch(std::shared_ptr<Request> request, std::shared_ptr<ResponseSink> sink) const;
  /// Router-only use: the answer is passed to `on_response` (a stream is
  /// collected into one Response).
  void handle(Request request, std::function<void(Response)> on_response) const;

  /// Fills request.segments and request.canonical_path from request.path
  /// (always from the path, whatever they held). std::nullopt: canonical;
  /// otherwise the 400 to send.
  std::optional<Response> canonicalize(Request& request) const;

  /// Checks of a WebSocket upgrade: path, Host, Origin, then the token
  /// (header or ?token=). std::nullopt: accept; otherwise the 400, 421, 403
  /// or 401 to send. Fills request.query,
  /// the canonical path and request.auth.
  std::optional<Response> check_websocket(Request& request) const;

  /// CORS headers for answers the server makes itself (413, 400, ...), and
  /// X-Request-Id once the request has an id (every answer of dispatch()).
  void decorate(const Request& request, Response& response) const;
  /// Counts one answered request.
  void record(const Request& request, std::string_view route, int status) const;

  const Router& router() const noexcept { return *router_; }
  const std::shared_ptr<metrics::Registry>& metrics() const noexcept { return metrics_; }

 private:
  std::shared_ptr<const Router> router_;
  Cors cors_;
  Authenticator auth_;
  std::function<std::optional<Response>(const Request&, std::string_view)> authorize_;
  SiteGuard site_;
  std::optional<StaticFiles> static_;
  std::shared_ptr<metrics::Registry> metrics_;
  std::shared_ptr<metrics::CounterFamily> requests_;
  std::shared_ptr<metrics::HistogramFamily> durations_;
};

/// A route handler that answers with registry.render() (GET /metrics).
Router::Handler metrics_handler(std::shared_ptr<metrics::Registry> registry);

}  // namespace callwire::server
