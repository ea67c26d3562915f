// The SDK's log records on their way to Python's logging module.
//
// cw_log_set_handler's callback runs on whatever thread logs: an SDK thread
// that has never held the GIL, or a Python thread inside a C call (which may
// hold it, or have released it while another thread waits for a lock this
// one holds). Taking the GIL there could deadlock, so the callback never
// does: it copies the record into LogQueue and returns. A Python thread
// (callwire._logging) waits on the queue without the GIL and hands each
// record to logging.getLogger("callwire").
//
// Included once, by native.cpp (the extension's one translation unit).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "callwire.h"

namespace callwire_python {

/// One record, copied out of the C callback.
struct LogEntry {
  int level;
  int64_t time_ms;
  std::string component;
  std::string message;
  std::string request_id;
};

/// Records waiting for the Python thread. Bounded: past kCapacity the oldest
/// are dropped and counted (a Python that does not run must not make the
/// SDK's memory grow).
class LogQueue {
 public:
  static constexpr std::size_t kCapacity = 10000;

  static LogQueue& instance() {
    static LogQueue* q = new LogQueue();  // never destroyed: SDK threads may log during exit
    return *q;
  }

  /// The cw_log_cb: copies and returns; never blocks on Python.
  static void callback(void* user_data, const cw_log_record* r) noexcept {
    auto* q = static_cast<LogQueue*>(user_data);
    try {
      LogEntry e{r->level, r->time_ms, r->component, std::string(r->message, r->message_len), r->request_id};
      {
        std::lock_guard lock(q->mu_);
        if (q->entries_.size() >= kCapacity) {
          q->entries_.pop_front();
          ++q->dropped_;
        }
        q->entries_.push_back(std::move(e));
      }
      q->cv_.notify_one();
    } catch (...) {
      // Out of memory: the record is lost. Nothing may escape into the SDK.
    }
  }

  /// Waits up to `timeout` for records (call without the GIL); answers them
  /// and the number dropped since the last call. Returns early on wake().
  std::pair<std::vector<LogEntry>, std::size_t> take(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return !entries_.empty() || woken_; });
    woken_ = false;
    std::vector<LogEntry> out(std::make_move_iterator(entries_.begin()), std::make_move_iterator(entries_.end()));
    entries_.clear();
    return {std::move(out), std::exchange(dropped_, 0)};
  }

  /// Makes a take() in progress return now.
  void wake() {
    {
      std::lock_guard lock(mu_);
      woken_ = true;
    }
    cv_.notify_all();
  }

 private:
  LogQueue() = default;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<LogEntry> entries_;
  std::size_t dropped_ = 0;
  bool woken_ = false;
};

}  // namespace callwire_python
