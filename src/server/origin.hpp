// callwire — how the server layer compares origins and host names
// (internal, Beast-free): one rule for CORS (middleware.hpp) and the Host and
// Origin checks (site_guard.hpp).
//
// Scheme and host compare without case, a trailing dot or slash is dropped,
// and a default port (80 for http, 443 for https) is the same as none:
// "HTTP://Example.COM:80/" and "http://example.com" are one origin.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace callwire::server {

/// "HTTP://Example.com:80/" → "http://example.com"; "" when `origin` is not
/// scheme://host[:port] (e.g. "null").
std::string normalize_origin(std::string_view origin);

/// Splits "Host:8000", "[::1]:80", "host" into the host — lower-case, without
/// brackets or a trailing dot — and the port text ("" when none). A bare
/// IPv6 address ("::1") is a host without a port.
std::pair<std::string, std::string> split_authority(std::string_view authority);

/// True for a loopback name or address: "localhost", "*.localhost",
/// 127.0.0.0/8, ::1 and ::ffff:127.x.x.x. `host` without port or brackets
/// (split_authority's first part).
bool is_loopback_host(const std::string& host);

/// ASCII lower case.
std::string ascii_lower(std::string_view s);

}  // namespace callwire::server
