#include "server/middleware.hpp"

#include <algorithm>

#include "server/jwt.hpp"
#include "server/origin.hpp"
#include "support/log.hpp"

namespace callwire::server {
namespace {

bool under_prefix(std::string_view path, std::string_view prefix) {
  while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
  if (prefix.empty()) return true;
  if (path.substr(0, prefix.size()) != prefix) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

}  // namespace

std::vector<std::string> split_list(std::string_view comma_list) {
  std::vector<std::string> out;
  while (!comma_list.empty()) {
    auto comma = comma_list.find(',');
    auto item = trim_ows(comma_list.substr(0, comma));
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    comma_list.remove_prefix(comma + 1);
  }
  return out;
}

// ---- CORS ----------------------------------------------------------------------

Cors::Cors(CorsOptions options) : options_(std::move(options)) {
  for (const auto& o : options_.allowed_origins) {
    if (trim_ows(o) == "*") {
      any_ = true;
    } else if (auto n = normalize_origin(o); !n.empty()) {
      origins_.push_back(std::move(n));
    }
  }
}

bool Cors::allows(std::string_view origin) const {
  if (origin.empty() || origin == "null") return false;
  if (any_) return true;
  auto n = normalize_origin(origin);
  return std::find(origins_.begin(), origins_.end(), n) != origins_.end();
}

bool Cors::is_preflight(const Request& req) const {
  return enabled() && req.method == "OPTIONS" && req.header("Origin") && req.header("Access-Control-Request-Method");
}

Response Cors::preflight(const Request& req) const {
  const auto origin = req.header("Origin").value_or("");
  if (!allows(origin)) {
    auto res = Response::error(400, "Disallowed CORS origin");
    res.set_header("Vary", "Origin");
    return res;
  }
  auto res = Response::text("OK", 200);
  allow_origin(res, origin);
  res.set_header("Access-Control-Allow-Methods", options_.allow_methods);
  std::string headers = options_.allow_headers;
  if (headers.empty()) headers = std::string(req.header("Access-Control-Request-Headers").value_or(""));
  if (!headers.empty()) res.set_header("Access-Control-Allow-Headers", headers);
  res.set_header("Access-Control-Max-Age", std::to_string(options_.max_age.count()));
  res.set_header("Vary", "Origin");
  return res;
}

void Cors::allow_origin(Response& res, std::string_view origin) const {
  const bool listed = std::find(origins_.begin(), origins_.end(), normalize_origin(origin)) != origins_.end();
  if (!listed) {
    // Allowed only through "*": any page may read, never with the user's
    // credentials (a wildcard with credentials would hand every site the
    // cookies and tokens of this origin).
    res.set_header("Access-Control-Allow-Origin", "*");
    return;
  }
  res.set_header("Access-Control-Allow-Origin", std::string(origin));
  if (options_.allow_credentials) res.set_header("Access-Control-Allow-Credentials", "true");
}

void Cors::decorate(const Request& req, Response& res) const {
  if (!enabled()) return;
  const auto origin = req.header("Origin");
  if (origin && allows(*origin)) {
    allow_origin(res, *origin);
    if (!options_.expose_headers.empty()) res.set_header("Access-Control-Expose-Headers", options_.expose_headers);
  }
  auto vary = res.header("Vary");
  if (!vary) res.set_header("Vary", "Origin");
  else if (vary->find("Origin") == std::string_view::npos) res.set_header("Vary", std::string(*vary) + ", Origin");
}

// ---- auth ----------------------------------------------------------------------

Authenticator::Authenticator(AuthOptions options) : options_(std::move(options)) {}

bool Authenticator::protects(std::string_view canonical_path) const {
  if (!enabled()) return false;
  for (const auto& p : options_.public_paths) {
    if (canonical_path == p) return false;
  }
  for (const auto& p : options_.protected_prefixes) {
    if (under_prefix(canonical_path, p)) return true;
  }
  return false;
}

std::optional<Response> Authenticator::check(Request& req, bool websocket) const {
  if (!enabled()) return std::nullopt;
  req.authentication_on = true;
  if (!req.canonical_path.empty() && !protects(req.canonical_path)) return std::nullopt;
  auto unauthorized = [](std::string_view detail) {
    auto res = Response::error(401, detail);
    res.set_header("WWW-Authenticate", "Bearer");
    return res;
  };
  std::string token;
  if (auto h = req.header("Authorization")) {
    auto v = trim_ows(*h);
    if (v.size() > 7 && iequals(v.substr(0, 7), "bearer ")) token = std::string(trim_ows(v.substr(7)));
  }
  bool query_allowed = websocket;
  for (const auto& p : options_.query_token_prefixes) query_allowed = query_allowed || under_prefix(req.canonical_path, p);
  if (token.empty() && query_allowed) {
    if (auto q = req.query_param("token")) token = *q;
  }
  if (token.empty()) return unauthorized("Not authenticated");
  try {
    req.auth = jwt_verify(token, options_.jwt_secret, std::chrono::system_clock::now(), options_.leeway);
  } catch (const Error& e) {
    return unauthorized(std::string("Invalid token: ") + e.what());
  }
  if (!req.auth->subject.empty() && options_.check_account) {
    std::string why;
    try {
      why = options_.check_account(*req.auth);
    } catch (const Error& e) {
      // The accounts cannot be read (the database is down): not the
      // caller's fault, and not a reason to let them in.
      log::print(log::Level::warn, "http", "cannot check the account of a token: ", e.what(),
                 e.detail().empty() ? "" : ": " + e.detail());
      req.auth.reset();
      return Response::error(503, "Sign-in cannot be checked right now; try again.");
    }
    if (!why.empty()) {
      req.auth.reset();
      return unauthorized("Invalid token: " + why);
    }
  }
  return std::nullopt;
}

}  // namespace callwire::server
