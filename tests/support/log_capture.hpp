// Captures the SDK's log lines (callwire::log) while alive, for tests that
// check what went to the log — e.g. the storage detail a client never sees.
#pragma once

#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "support/log.hpp"

namespace callwire::test {

/// Replaces the log sink with one that keeps the lines at `min` and above
/// ("<component>: <message>"); restores the default sink when destroyed.
class LogCapture {
 public:
  explicit LogCapture(log::Level min = log::Level::warn) {
    log::set_sink([this, min](log::Level level, std::string_view component, std::string_view message) {
      if (level < min) return;
      std::lock_guard lock(mu_);
      lines_.push_back(std::string(component) + ": " + std::string(message));
    });
  }
  ~LogCapture() { log::set_sink({}); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  /// The lines that contain every one of `parts`.
  std::vector<std::string> with(std::initializer_list<std::string_view> parts) const {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    for (const auto& line : lines_) {
      bool all = true;
      for (const auto part : parts) all = all && line.find(part) != std::string::npos;
      if (all) out.push_back(line);
    }
    return out;
  }

  std::vector<std::string> lines() const {
    std::lock_guard lock(mu_);
    return lines_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::string> lines_;
};

}  // namespace callwire::test
