#include "server/site_guard.hpp"

#include "server/origin.hpp"

#include <algorithm>

namespace callwire::server {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_wildcard_address(const std::string& host) { return host.empty() || host == "0.0.0.0" || host == "::"; }

Response refuse(int status, std::string_view detail) { return Response::error(status, detail); }

}  // namespace

SiteGuard::SiteGuard(SiteGuardOptions options) : options_(std::move(options)) {
  for (const auto& h : options_.allowed_hosts) {
    const std::string n = ascii_lower(trim_ows(h));
    if (n.empty()) continue;
    if (n == "*") any_host_ = true;
    else if (n.front() == '.') hosts_.push_back(n);  // the domain and its subdomains
    else hosts_.push_back(split_authority(n).first);
  }
  for (const auto& o : options_.trusted_origins) {
    if (auto n = normalize_origin(o); !n.empty()) origins_.push_back(std::move(n));
  }
  options_.bound_host = split_authority(options_.bound_host).first;
}

std::string SiteGuard::host_name(std::string_view host_header) { return split_authority(host_header).first; }

bool SiteGuard::host_allowed(const std::string& host, const Request& req) const {
  if (any_host_ || is_loopback_host(host)) return true;
  if (!is_wildcard_address(options_.bound_host) && host == options_.bound_host) return true;
  if (!req.local_address.empty() && host == split_authority(req.local_address).first) return true;
  for (const auto& allowed : hosts_) {
    if (allowed.front() == '.') {
      if (host == allowed.substr(1) || ends_with(host, allowed)) return true;
    } else if (host == allowed) {
      return true;
    }
  }
  return options_.also_allowed && options_.also_allowed(host);
}

std::optional<Response> SiteGuard::check_host(const Request& req) const {
  const auto header = req.header("Host");
  if (!header) return std::nullopt;
  const std::string host = host_name(*header);
  if (host_allowed(host, req)) return std::nullopt;
  return refuse(421, "This server does not answer for that host name.");
}

std::optional<Response> SiteGuard::check_origin(const Request& req, bool upgrade) const {
  const std::string& m = req.method;
  const bool changes_state = m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE";
  if (!upgrade && !changes_state) return std::nullopt;
  const auto origin_header = req.header("Origin");
  if (!origin_header) return std::nullopt;
  const std::string origin = normalize_origin(*origin_header);
  if (!origin.empty()) {
    if (std::find(origins_.begin(), origins_.end(), origin) != origins_.end()) return std::nullopt;
    // The server's own origin: the authority the request was sent to.
    if (const auto host = req.header("Host")) {
      const std::string scheme = origin.substr(0, origin.find("://"));
      if (normalize_origin(scheme + "://" + std::string(*host)) == origin) return std::nullopt;
    }
  }
  return refuse(403, upgrade ? "WebSocket connections from another site are not allowed."
                             : "Requests from another site are not allowed.");
}

std::optional<Response> SiteGuard::check_content_type(const Request& req) const {
  if (req.body.empty()) return std::nullopt;
  const auto type = req.header("Content-Type");
  if (type) {
    std::string_view media = *type;
    media = trim_ows(media.substr(0, media.find(';')));
    if (ascii_lower(media) == "application/json") return std::nullopt;
  }
  return refuse(415, "Request bodies must be JSON, sent with Content-Type: application/json.");
}

}  // namespace callwire::server
