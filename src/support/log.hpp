// callwire — a minimal leveled logger (internal).
//
// One process-wide logger writing one line per message to stderr:
//
//   2026-11-26T10:22:45.123Z WARN  http: read: end of stream (127.0.0.1:53122)
//
// The level defaults to `info` and can be changed at run time (set_level, or
// parse_level("debug") from an environment variable in the host). Tests and
// hosts may replace the output with set_sink() (e.g. to capture lines).
//
// Thread-safety: every function may be called from any thread. Lines from
// concurrent callers never interleave (one lock around the write).
#pragma once

#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

namespace callwire::log {

enum class Level { trace = 0, debug = 1, info = 2, warn = 3, error = 4, off = 5 };

/// "trace", "debug", "info", "warn", "error", "off".
std::string_view to_string(Level level) noexcept;
/// Accepts the names above (any case) and "warning"; std::nullopt otherwise.
std::optional<Level> parse_level(std::string_view name) noexcept;

void set_level(Level level) noexcept;
Level level() noexcept;
inline bool enabled(Level l) noexcept { return l >= level() && l != Level::off; }

/// Receives every line at or above the level. An empty function restores
/// the default (stderr).
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

}  // namespace callwire::log
