#include "support/log.hpp"

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <mutex>

#include "callwire/json.hpp"

namespace callwire::log {
namespace {

std::atomic<Level> g_level{Level::info};

struct SinkHolder {
  std::mutex mutex;
  Sink sink;
};

SinkHolder& holder() {
  static SinkHolder h;
  return h;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

}  // namespace

std::string_view to_string(Level level) noexcept {
  switch (level) {
    case Level::trace: return "trace";
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
    case Level::off: return "off";
  }
  return "off";
}

std::optional<Level> parse_level(std::string_view name) noexcept {
  for (Level l : {Level::trace, Level::debug, Level::info, Level::warn, Level::error, Level::off}) {
    if (iequals(name, to_string(l))) return l;
  }
  if (iequals(name, "warning")) return Level::warn;
  return std::nullopt;
}

void set_level(Level l) noexcept { g_level.store(l, std::memory_order_relaxed); }
Level level() noexcept { return g_level.load(std::memory_order_relaxed); }

void set_sink(Sink sink) {
  auto& h = holder();
  std::lock_guard lock(h.mutex);
  h.sink = std::move(sink);
}

void write(Level l, std::string_view component, std::string_view message) {
  if (!enabled(l)) return;
  auto& h = holder();
  std::lock_guard lock(h.mutex);
  if (h.sink) {
    h.sink(l, component, message);
    return;
  }
  const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  std::string line = json::format_time(now);
  line += ' ';
  std::string lvl(to_string(l));
  for (auto& c : lvl) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  lvl.resize(5, ' ');
  line += lvl;
  line += ' ';
  line.append(component);
  line += ": ";
  line.append(message);
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace callwire::log
