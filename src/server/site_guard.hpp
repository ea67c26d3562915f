// callwire — who may talk to the server from a browser (internal,
// Beast-free): the Host, Origin and Content-Type rules of DESIGN.md
// ("Security defaults").
//
// A server on loopback without JWT_SECRET trusts whoever can reach it. A
// browser can reach it for any page its user opens, so three rules keep other
// sites out:
//
//   Host (421)          the Host header names this server: a loopback name
//                       (localhost, *.localhost), a loopback address, the
//                       address the server is bound to or the client
//                       connected to, or a name in allowed_hosts. A page
//                       that re-binds its own name to 127.0.0.1 (DNS
//                       rebinding) still sends its own name, and is refused.
//   Origin (403)        a state-changing request (POST, PUT, PATCH, DELETE)
//                       or a WebSocket upgrade that carries an Origin must
//                       come from the server's own origin (the scheme and
//                       the Host it was sent to) or a trusted origin
//                       (CORS_ORIGINS, FRONTEND_URL). "null" is foreign.
//                       No Origin: not a browser (curl, Telnyx), allowed.
//   Content-Type (415)  a request with a body declares application/json
//                       (parameters such as charset allowed). Browsers send
//                       text/plain, form and multipart bodies cross-site
//                       without a preflight; JSON needs one.
//
// Immutable after construction; thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/http_message.hpp"

namespace callwire::server {

struct SiteGuardOptions {
  /// Host names (CALLWIRE_ALLOWED_HOSTS) besides the loopback ones, compared
  /// without port and case. ".example.com" also allows every subdomain;
  /// "*" allows any Host (turns the Host rule off).
  std::vector<std::string> allowed_hosts;
  /// Origins ("https://app.example.com") besides the server's own that may
  /// change state and open WebSockets. "*" is ignored here: a wildcard never
  /// lets a foreign page change state.
  std::vector<std::string> trusted_origins;
  /// The address the server listens on ("127.0.0.1", "0.0.0.0", "::1").
  std::string bound_host;
  /// More Host names, asked only for a Host the rules above refuse (the
  /// WebhookServer allows its webhook URL's host this way, so a tunnel such
  /// as ngrok keeps working). May be empty.
  std::function<bool(std::string_view host)> also_allowed;
};

class SiteGuard {
 public:
  explicit SiteGuard(SiteGuardOptions options);

  /// 421 when the Host header names another site; std::nullopt otherwise
  /// (no Host header: allowed).
  std::optional<Response> check_host(const Request& req) const;
  /// 403 for a state-changing request (or any WebSocket upgrade, when
  /// `upgrade`) from a foreign Origin.
  std::optional<Response> check_origin(const Request& req, bool upgrade) const;
  /// 415 for a body that is not declared application/json.
  std::optional<Response> check_content_type(const Request& req) const;

  /// The host part of a Host header, lower-case, without port, brackets or
  /// a trailing dot: "LocalHost:8000" → "localhost", "[::1]:80" → "::1".
  static std::string host_name(std::string_view host_header);

 private:
  bool host_allowed(const std::string& host, const Request& req) const;

  SiteGuardOptions options_;
  std::vector<std::string> hosts_;    ///< lower-case
  std::vector<std::string> origins_;  ///< normalized
  bool any_host_ = false;
};

}  // namespace callwire::server
