// callwire — where the SDK's log records go.
//
// The SDK logs what a host's operator may want to know and no return value
// carries: connections refused at a limit, a handler that threw, a storage
// detail behind a 500, a carrier retry. By default each record at `info` and
// above is one line on stderr:
//
//   2026-11-26T10:22:45.123Z WARN  http: read: end of stream (127.0.0.1:53122)
//
// (with " request_id=<id>" at the end when the record belongs to a request of
// the reference server's front door). A host hands records to its own logging
// with set_log_handler(), as libgit2's git_trace_set and mongo-c's
// mongoc_log_set_handler do; the C ABI's cw_log_set_handler() and the Python
// and Node bindings are built on it.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

namespace callwire {

/// Severities, lowest first; `off` as a threshold lets nothing through.
/// The values are the C ABI's CW_LOG_* codes.
enum class LogLevel { trace = 0, debug = 1, info = 2, warn = 3, error = 4, off = 5 };

/// One record. The views are valid only during the handler call: copy what
/// you keep.
struct LogRecord {
  LogLevel level = LogLevel::info;
  std::chrono::system_clock::time_point time;  ///< when it was logged
  std::string_view component;   ///< the part of the SDK: "http", "ws", "client", "auth", "sqlite", …
  std::string_view message;     ///< one line of text, no trailing newline
  std::string_view request_id;  ///< the HTTP request it belongs to (X-Request-Id); "" when none
};

/// Receives the records at or above the level given to set_log_handler().
///
/// Threading: called on the thread that logs — an SDK network, worker or
/// timer thread, or a host thread inside an SDK call — never on a thread of
/// its own. Calls are serialised: one record at a time, process-wide. The
/// handler must return quickly and must not block (queue the record if the
/// destination may block: a Python interpreter, a JavaScript thread, a
/// socket), must not throw (an exception is caught and the record written
/// to stderr instead), and must not call set_log_handler(); a record logged
/// from inside the handler, on the same thread, goes to stderr instead of
/// re-entering it.
using LogHandler = std::function<void(const LogRecord& record)>;

/// Sends every record at `level` and above to `handler`, process-wide,
/// replacing the previous handler. An empty handler restores the default
/// output (stderr, as above) at `level`; LogLevel::off silences the SDK.
/// When it returns, the previous handler is not running and will not be
/// called again (what it captured may be destroyed). Any thread; throws
/// callwire::Error (errc::conflict) when called from inside a handler.
void set_log_handler(LogLevel level, LogHandler handler);

/// Changes the threshold only, keeping the handler (or the default output).
/// Any thread, a handler included.
void set_log_level(LogLevel level) noexcept;

/// The threshold in force.
LogLevel log_level() noexcept;

/// "trace", "debug", "info", "warn", "error", "off".
std::string_view to_string(LogLevel level) noexcept;

/// Parses those names (any case; "warning" too); std::nullopt otherwise.
std::optional<LogLevel> parse_log_level(std::string_view name) noexcept;

}  // namespace callwire
