// Reconciler: nothing stays "live" forever (DESIGN.md, "The call state
// machine"; docs/client.md, "Reconciliation").
//
// Every reconcile_interval it looks at the live calls. One that has heard
// nothing from its carrier for longer than its limit — stale_after while
// dialing or ringing, live_poll_after once answered — is checked with the
// carrier that placed it (GET /v2/calls/{id} for Telnyx): still alive, it is
// looked at again after another quiet spell; gone (or unknown to the
// carrier), it ends with a reason (callwire.reconciled): an answered call
// as completed at the time it was last heard of — its call.hangup was lost —
// one never answered as failed. A demo call its DemoCarrier does not know was
// left by a process that stopped.
//
// The passes run on the worker pool; the timer on the io context. Timer
// callbacks hold the client weakly (`lifetime`): one that fires after the
// client is gone does nothing.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>
#include <memory>

#include "callwire/log_store.hpp"
#include "client/call_tracker.hpp"
#include "client/carrier_selector.hpp"
#include "client/client_counters.hpp"

namespace callwire::client {

struct ReconcileTimings {
  std::chrono::milliseconds interval{30'000};
  std::chrono::milliseconds stale_after{120'000};
  std::chrono::milliseconds live_poll_after{300'000};
};

class Reconciler {
 public:
  Reconciler(boost::asio::io_context& io, boost::asio::thread_pool& workers, LogStore& logs, CallTracker& tracker,
             CarrierSelector& carriers, ClientCounters& counters, ReconcileTimings timings,
             const std::atomic<bool>& closed, std::weak_ptr<const void> lifetime);

  /// Schedules the passes, the first one interval from now.
  void start();
  /// One pass now, on the calling thread (not an io thread: it waits for
  /// the carrier).
  void run_once();
  /// Cancels the timer; call on the io context's thread or before it runs.
  void cancel();
  /// Demo calls live in the process that simulates them: the ones storage
  /// still holds as live at start were left by a process that stopped, and
  /// end now (answered ones completed at the time last heard of).
  void end_orphaned_demo_calls();

 private:
  void schedule();
  void check(const Call& c, TimePoint last_heard, std::chrono::milliseconds quiet);
  bool settle_unacknowledged(const Call& c);

  boost::asio::io_context& io_;
  boost::asio::thread_pool& workers_;
  LogStore& logs_;
  CallTracker& tracker_;
  CarrierSelector& carriers_;
  ClientCounters& counters_;
  const ReconcileTimings timings_;
  const std::atomic<bool>& closed_;
  const std::weak_ptr<const void> lifetime_;
  boost::asio::steady_timer timer_;
};

}  // namespace callwire::client
