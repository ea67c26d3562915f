// callwire — the limits that keep one server within the process's means
// (internal, Beast-free): open files, request bodies buffered at once, and
// the throttle on the logs of a condition that keeps recurring (docs/server.md,
// "What one client can hold", "File descriptors").
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>

namespace callwire::server {

/// Raises RLIMIT_NOFILE's soft limit to the hard limit when asked (process
/// wide; logged) and returns the soft limit in force; 0 when unknown or
/// unlimited.
std::uint64_t open_file_limit(bool raise);

/// How many connections fit under an open-file limit, leaving a reserve of
/// max(64, limit / 8), at most half the limit, for everything else the
/// process opens (files, storage, TLS to Telnyx, pipes).
std::uint64_t connection_room(std::uint64_t fd_limit);

/// Reports a recurring condition (accept errors, refused connections) at
/// most once per interval: the first occurrence at once, later ones with the
/// count of those suppressed since the last report. Not thread-safe: used on
/// the acceptor's strand only.
class LogThrottle {
 public:
  explicit LogThrottle(std::chrono::steady_clock::duration interval) : interval_(interval) {}

  /// Counts one occurrence. True when it is to be reported now; `suppressed`
  /// is then the number of occurrences not reported since the last report.
  bool occurred(std::chrono::steady_clock::time_point now, std::uint64_t& suppressed) {
    if (reported_once_ && now - last_report_ < interval_) {
      ++suppressed_;
      return false;
    }
    suppressed = suppressed_;
    suppressed_ = 0;
    reported_once_ = true;
    last_report_ = now;
    return true;
  }

  /// When the condition has ended: true when occurrences went unreported and
  /// a report is due (the interval has passed), with their number; the
  /// count is otherwise kept for the next report.
  bool ended(std::chrono::steady_clock::time_point now, std::uint64_t& suppressed) {
    if (suppressed_ == 0 || now - last_report_ < interval_) return false;
    suppressed = std::exchange(suppressed_, 0);
    last_report_ = now;
    return true;
  }

 private:
  std::chrono::steady_clock::duration interval_;
  std::chrono::steady_clock::time_point last_report_{};
  bool reported_once_ = false;
  std::uint64_t suppressed_ = 0;
};

/// Bytes of request bodies buffered by all the connections of one server,
/// against a cap. Thread-safe. Shared with the reservations, which may
/// outlive the server (a Request a handler still holds).
class BodyBudget {
 public:
  explicit BodyBudget(std::size_t cap) : cap_(cap) {}

  /// Takes `n` bytes; false, taking nothing, when that would pass the cap.
  bool take(std::size_t n) noexcept {
    std::size_t used = used_.load(std::memory_order_relaxed);
    do {
      if (n > cap_ - used) return false;
    } while (!used_.compare_exchange_weak(used, used + n, std::memory_order_relaxed));
    return true;
  }
  void give_back(std::size_t n) noexcept { used_.fetch_sub(n, std::memory_order_relaxed); }
  std::size_t used() const noexcept { return used_.load(std::memory_order_relaxed); }

 private:
  const std::size_t cap_;
  std::atomic<std::size_t> used_{0};
};

/// The bytes one request's body holds in a BodyBudget (none without a
/// budget: no cap). Given back when reset or destroyed.
class BodyReservation {
 public:
  BodyReservation() = default;
  explicit BodyReservation(std::shared_ptr<BodyBudget> budget) : budget_(std::move(budget)) {}
  BodyReservation(BodyReservation&& o) noexcept : budget_(std::move(o.budget_)), bytes_(std::exchange(o.bytes_, 0)) {}
  BodyReservation& operator=(BodyReservation&& o) noexcept {
    if (this != &o) {
      reset();
      budget_ = std::move(o.budget_);
      bytes_ = std::exchange(o.bytes_, 0);
    }
    return *this;
  }
  BodyReservation(const BodyReservation&) = delete;
  BodyReservation& operator=(const BodyReservation&) = delete;
  ~BodyReservation() { reset(); }

  /// Takes `n` more bytes; false (nothing taken) when the budget is spent.
  bool grow(std::uint64_t n) noexcept {
    if (!budget_ || n == 0) return true;
    if (n > SIZE_MAX || !budget_->take(static_cast<std::size_t>(n))) return false;
    bytes_ += static_cast<std::size_t>(n);
    return true;
  }
  /// Gives every byte back.
  void reset() noexcept {
    if (budget_ && bytes_ > 0) budget_->give_back(bytes_);
    bytes_ = 0;
  }

 private:
  std::shared_ptr<BodyBudget> budget_;
  std::size_t bytes_ = 0;
};

}  // namespace callwire::server
