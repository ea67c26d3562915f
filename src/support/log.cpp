#include "support/log.hpp"

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <exception>
#include <mutex>
#include <utility>

#include "callwire/error.hpp"
#include "callwire/json.hpp"

namespace callwire {
namespace {

std::atomic<LogLevel> g_level{LogLevel::info};

/// The handler slot. `mutex` is held for the whole of a handler call, so
/// calls are serialised and set_log_handler() waits for the one in flight.
struct Handler {
  std::mutex mutex;
  LogHandler handler;
};

Handler& handler_slot() {
  static Handler h;
  return h;
}

/// Default lines: one lock around each write, so lines never interleave.
std::mutex& stderr_mutex() {
  static std::mutex m;
  return m;
}

thread_local bool t_in_handler = false;
thread_local std::string_view t_request_id;

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

/// "2026-11-26T10:22:45.123Z WARN  http: message[ request_id=<id>]\n" on stderr.
void write_default(const LogRecord& r) {
  std::string line = json::format_time(std::chrono::time_point_cast<std::chrono::milliseconds>(r.time));
  line += ' ';
  std::string lvl(to_string(r.level));
  for (auto& c : lvl) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  lvl.resize(5, ' ');
  line += lvl;
  line += ' ';
  line.append(r.component);
  line += ": ";
  line.append(r.message);
  if (!r.request_id.empty()) {
    line += " request_id=";
    line.append(r.request_id);
  }
  line += '\n';
  std::lock_guard lock(stderr_mutex());
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

/// Marks this thread as inside a handler for the duration of one call.
struct InHandler {
  InHandler() noexcept { t_in_handler = true; }
  ~InHandler() { t_in_handler = false; }
  InHandler(const InHandler&) = delete;
  InHandler& operator=(const InHandler&) = delete;
};

}  // namespace

std::string_view to_string(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::trace: return "trace";
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warn: return "warn";
    case LogLevel::error: return "error";
    case LogLevel::off: return "off";
  }
  return "off";
}

std::optional<LogLevel> parse_log_level(std::string_view name) noexcept {
  for (LogLevel l : {LogLevel::trace, LogLevel::debug, LogLevel::info, LogLevel::warn, LogLevel::error, LogLevel::off}) {
    if (iequals(name, to_string(l))) return l;
  }
  if (iequals(name, "warning")) return LogLevel::warn;
  return std::nullopt;
}

void set_log_level(LogLevel level) noexcept { g_level.store(level, std::memory_order_relaxed); }

LogLevel log_level() noexcept { return g_level.load(std::memory_order_relaxed); }

void set_log_handler(LogLevel level, LogHandler handler) {
  if (t_in_handler) throw Error(errc::conflict, "set_log_handler called from inside a log handler");
  auto& slot = handler_slot();
  LogHandler previous;
  {
    std::lock_guard lock(slot.mutex);  // waits for a call in flight
    previous = std::exchange(slot.handler, std::move(handler));
    g_level.store(level, std::memory_order_relaxed);
  }
  // `previous` is destroyed here, outside the lock: what it captured may log.
}

namespace log {

void set_sink(Sink sink) {
  if (!sink) {
    callwire::set_log_handler(level(), nullptr);
    return;
  }
  callwire::set_log_handler(level(), [sink = std::move(sink)](const LogRecord& r) { sink(r.level, r.component, r.message); });
}

void write(Level l, std::string_view component, std::string_view message) {
  if (!enabled(l)) return;
  LogRecord record;
  record.level = l;
  record.time = std::chrono::system_clock::now();
  record.component = component;
  record.message = message;
  record.request_id = t_request_id;
  if (t_in_handler) return write_default(record);  // logged by the handler itself: no re-entry
  auto& slot = handler_slot();
  std::unique_lock lock(slot.mutex);
  if (!slot.handler) {
    lock.unlock();
    return write_default(record);
  }
  try {
    InHandler in;
    slot.handler(record);
  } catch (...) {
    lock.unlock();
    write_default(record);
    LogRecord why = record;
    why.level = Level::error;
    why.component = "log";
    why.message = "the log handler threw: the record above went to stderr instead";
    write_default(why);
  }
}

RequestScope::RequestScope(std::string_view request_id) noexcept : previous_(t_request_id) { t_request_id = request_id; }

RequestScope::~RequestScope() { t_request_id = previous_; }

std::string_view current_request_id() noexcept { return t_request_id; }

}  // namespace log
}  // namespace callwire
