// callwire — CORS and bearer-token authentication for the server layer
// (internal, Beast-free).
//
// Cors answers preflight requests and adds the CORS headers to actual
// responses for allowed origins. Authenticator checks HS256 bearer tokens on
// protected path prefixes (DESIGN.md, "Security defaults").
//
// Both are immutable after construction and thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/http_message.hpp"

namespace callwire::server {

struct CorsOptions {
  /// Allowed origins ("http://localhost:3000"), compared as origin.hpp
  /// says (case, a trailing slash and a default port do not matter). "*" lets every other origin read
  /// answers as `Access-Control-Allow-Origin: *`, never with credentials
  /// (and never lets it change state: site_guard.hpp). Empty: CORS is off
  /// (no CORS headers; preflights are routed like any OPTIONS request).
  std::vector<std::string> allowed_origins;
  bool allow_credentials = true;
  std::string allow_methods = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
  /// Empty: echo the preflight's Access-Control-Request-Headers.
  std::string allow_headers;
  /// Response headers a browser script may read.
  std::string expose_headers = "Content-Disposition";
  std::chrono::seconds max_age{600};
};

/// Splits a comma-separated list (CORS_ORIGINS), trimming spaces and
/// dropping empty items.
std::vector<std::string> split_list(std::string_view comma_list);

class Cors {
 public:
  explicit Cors(CorsOptions options);

  bool enabled() const noexcept { return !origins_.empty() || any_; }
  bool allows(std::string_view origin) const;

  /// OPTIONS with Origin and Access-Control-Request-Method, CORS enabled.
  bool is_preflight(const Request& req) const;
  /// 200 with the Access-Control-Allow-* headers for an allowed origin;
  /// 400 {"detail":"Disallowed CORS origin"} otherwise.
  Response preflight(const Request& req) const;
  /// Adds Access-Control-Allow-Origin (the request's origin),
  /// -Allow-Credentials, -Expose-Headers and Vary: Origin when the request
  /// has an allowed Origin; only Vary: Origin for other origins.
  void decorate(const Request& req, Response& res) const;

 private:
  void allow_origin(Response& res, std::string_view origin) const;

  CorsOptions options_;
  std::vector<std::string> origins_;
  bool any_ = false;
};

struct AuthOptions {
  /// JWT_SECRET. Empty: authentication is off.
  std::string jwt_secret;
  /// Path prefixes that need a token, on segment boundaries ("/api" covers
  /// "/api" and "/api/…", not "/apix").
  std::vector<std::string> protected_prefixes{"/api", "/ws"};
  /// Prefixes where a `token` query parameter is accepted as well as the
  /// header (media elements and downloads cannot send headers). WebSocket
  /// upgrades always accept it.
  std::vector<std::string> query_token_prefixes;
  /// Exact paths under a protected prefix that stay open.
  std::vector<std::string> public_paths;
  /// Clock skew allowed on exp / nbf.
  std::chrono::seconds leeway{30};
  /// For a token with a `sub` (a signed-in user): checks it against the
  /// account and sets info.role to the account's role now. Returns "" to
  /// accept, or why not ("the session has ended; sign in again"), answered as
  /// 401 "Invalid token: <why>". Unset: every validly signed token passes.
  /// Runs on the network thread; it may read a cache, not wait long.
  std::function<std::string(AuthInfo& info)> check_account;
};

class Authenticator {
 public:
  explicit Authenticator(AuthOptions options);

  bool enabled() const noexcept { return !options_.jwt_secret.empty(); }
  /// True when `canonical_path` (CanonicalPath::text, decoded — never the
  /// raw target) needs a token.
  bool protects(std::string_view canonical_path) const;

  /// Checks a request on a protected path: `Authorization: Bearer <token>`,
  /// and for a WebSocket upgrade also the `token` query parameter. On
  /// success sets req.auth and returns std::nullopt; otherwise returns the
  /// 401 to send ({"detail":"Not authenticated"} or
  /// {"detail":"Invalid token: <why>"}, with WWW-Authenticate: Bearer).
  /// Unprotected paths and a disabled authenticator always pass. Decided on
  /// req.canonical_path; a request that was not canonicalized is treated as
  /// protected (fail closed).
  std::optional<Response> check(Request& req, bool websocket) const;

 private:
  AuthOptions options_;
};

}  // namespace callwire::server
