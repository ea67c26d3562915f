// callwire — the SDK's leveled logger (internal): what every layer that does
// I/O writes with. Where the records go is public (callwire/log.hpp:
// set_log_handler, the default stderr line).
//
//   log::print(log::Level::warn, "http", "bad request from ", peer);
//
// Records written while a RequestScope is alive on the thread carry its
// request id (the reference server's front door opens one per request).
//
// Thread-safety: every function may be called from any thread. Records reach
// the handler one at a time; default lines from concurrent callers never
// interleave.
#pragma once

#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "callwire/log.hpp"

namespace callwire::log {

using Level = callwire::LogLevel;

/// "trace", "debug", "info", "warn", "error", "off".
inline std::string_view to_string(Level level) noexcept { return callwire::to_string(level); }
/// Accepts the names above (any case) and "warning"; std::nullopt otherwise.
inline std::optional<Level> parse_level(std::string_view name) noexcept { return callwire::parse_log_level(name); }

inline void set_level(Level level) noexcept { callwire::set_log_level(level); }
inline Level level() noexcept { return callwire::log_level(); }
inline bool enabled(Level l) noexcept { return l >= level() && l != Level::off; }

/// Receives every record at or above the level, as a handler of
/// set_log_handler() does (for tests that capture lines), keeping the
/// threshold. An empty function restores the default (stderr).
using Sink = std::function<void(Level level, std::string_view component, std::string_view message)>;
void set_sink(Sink sink);

/// Writes one message. `component` names the part of the SDK ("http", "ws").
void write(Level level, std::string_view component, std::string_view message);

/// Formats with operator<< only when the level is enabled:
///   log::print(log::Level::warn, "http", "bad request from ", peer);
template <class... Args>
void print(Level l, std::string_view component, const Args&... args) {
  if (!enabled(l)) return;
  std::ostringstream out;
  (out << ... << args);
  write(l, component, out.str());
}

/// While alive, records written on this thread carry `request_id`
/// (LogRecord::request_id). Scopes nest; the innermost wins. The id must
/// outlive the scope.
class RequestScope {
 public:
  explicit RequestScope(std::string_view request_id) noexcept;
  ~RequestScope();
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;

 private:
  std::string_view previous_;
};

/// The request id of the innermost RequestScope on this thread; "" when none.
std::string_view current_request_id() noexcept;

}  // namespace callwire::log
