// The id of one HTTP request: what its log records carry (log::RequestScope)
// and what the answer's X-Request-Id header says, so an operator can match a
// client's report, a proxy's log and the server's log lines.
//
// A request that arrives with an X-Request-Id (set by a reverse proxy or the
// client) keeps it when it is 1 to 64 characters of [A-Za-z0-9._:-] — so it
// cannot forge log lines or headers; any other request gets a fresh id:
// 16 hex digits, random per process, then a counter ("3f9a1c0e4b7d2a65-1a").
#pragma once

#include <string>
#include <string_view>

namespace callwire::server {

struct Request;

/// The header it is read from and answered in.
inline constexpr std::string_view kRequestIdHeader = "X-Request-Id";

/// True for an id this server accepts from a client (see above).
bool acceptable_request_id(std::string_view id) noexcept;

/// A fresh id, unique in this process and, with high probability, across processes.
std::string new_request_id();

/// The request's X-Request-Id when acceptable, else a fresh id.
std::string request_id_for(const Request& request);

}  // namespace callwire::server
