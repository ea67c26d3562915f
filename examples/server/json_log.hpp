// CALLWIRE_LOG_FORMAT=json: the SDK's log records as one JSON object a line
// on stderr, for log collectors —
//   {"time":"2026-11-26T10:22:45.123Z","level":"warn","component":"http",
//    "message":"…","request_id":"3f9a1c0e4b7d2a65-1a"}
// ("request_id" only when the record belongs to a request). Installed
// through the public hook, callwire::set_log_handler.
#pragma once

#include <callwire/log.hpp>

#include <string>

namespace callwire::server_app {

/// The JSON line of one record, with its trailing newline.
std::string json_log_line(const LogRecord& record);

/// Sends every record at `level` and above to stderr as json_log_line().
void install_json_log(LogLevel level);

}  // namespace callwire::server_app
