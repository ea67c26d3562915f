// Reconciler: calls gone quiet are checked with their carrier (see
// reconciler.hpp).
#include "client/reconciler.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>

#include "callwire/call_state.hpp"
#include "client/carrier_wait.hpp"
#include "client/client_state.hpp"
#include "client/exception_text.hpp"
#include "support/log.hpp"

namespace callwire::client {

namespace net = boost::asio;

Reconciler::Reconciler(net::io_context& io, net::thread_pool& workers, LogStore& logs, CallTracker& tracker,
                       CarrierSelector& carriers, ClientCounters& counters, ReconcileTimings timings,
                       const std::atomic<bool>& closed, std::weak_ptr<const void> lifetime)
    : io_(io),
      workers_(workers),
      logs_(logs),
      tracker_(tracker),
      carriers_(carriers),
      counters_(counters),
      timings_(timings),
      closed_(closed),
      lifetime_(std::move(lifetime)),
      timer_(io) {}

void Reconciler::start() { schedule(); }

void Reconciler::cancel() { timer_.cancel(); }

void Reconciler::schedule() {
  timer_.expires_after(timings_.interval);
  timer_.async_wait([this, weak = lifetime_](const boost::system::error_code& ec) {
    auto alive = weak.lock();
    if (ec || !alive || closed_) return;
    net::post(workers_, [this, weak] {
      auto held = weak.lock();
      if (!held) return;
      run_once();
      if (!closed_) {
        net::post(io_, [this, weak] {
          if (auto again = weak.lock()) schedule();
        });
      }
    });
  });
}

void Reconciler::run_once() {
  carriers_.release_idle();
  const TimePoint t = tracker_.now();
  for (const auto& [c, last] : tracker_.live().entries()) {
    if (closed_) return;
    const auto limit = c.status == CallStatus::active ? timings_.live_poll_after : timings_.stale_after;
    if (t - last < limit) continue;
    try {
      check(c, last, std::chrono::duration_cast<std::chrono::milliseconds>(t - last));
    } catch (const std::exception& e) {
      log::write(log::Level::error, "client", "reconciling call " + c.call_id + " failed: " + exception_text(e));
    }
  }
}


// A dial with no call_control_id: still in the carrier (queued for pacing
// or a call slot, or sent and waiting for its answer) — not lost, look again
// later; else it may have been placed with its answer lost (a timeout):
// the connection's active calls, matched by client_state, find it. True
// when the call stays live.
bool Reconciler::settle_unacknowledged(const Call& c) {
  auto carrier = carriers_.carrier_for(c);
  auto phase = wait_for_carrier<carrier::DialPhase>([&](auto done) { carrier->dial_phase(c.call_id, std::move(done)); });
  if (phase && *phase.value != carrier::DialPhase::none) {
    tracker_.live().touch(c.call_id, tracker_.now());
    return true;
  }
  if (c.connection_id.empty()) return false;
  auto listed = wait_for_carrier<std::vector<carrier::ActiveCall>>(
      [&](auto done) { carrier->active_calls(c.connection_id, std::move(done)); });
  if (!listed) {
    log::write(log::Level::warn, "client", "call " + c.call_id + ": listing the connection's active calls failed: " +
                                               listed.error.message);
    return false;
  }
  for (const auto& a : *listed.value) {
    if (call_id_from_client_state(a.client_state) != c.call_id) continue;
    // Found: its dial answer was lost. Adopt the ids (a hangup requested
    // meanwhile goes out now, through the commit hook).
    tracker_.update(c.call_id, [&](Call& x) {
      if (x.call_control_id.empty()) x.call_control_id = a.call_control_id;
      if (x.call_leg_id.empty()) x.call_leg_id = a.call_leg_id;
      if (x.call_session_id.empty()) x.call_session_id = a.call_session_id;
    });
    tracker_.live().touch(c.call_id, tracker_.now());
    log::write(log::Level::info, "client", "call " + c.call_id + ": its dial answer was lost; found it up at the carrier as " +
                                               a.call_control_id);
    return true;
  }
  return false;
}

void Reconciler::check(const Call& c, TimePoint last_heard, std::chrono::milliseconds quiet) {
  const std::string quiet_s = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(quiet).count());
  std::string reason;
  bool carrier_knew = true;  // false: the carrier could not say, so an answered call is not called completed
  if (c.call_control_id.empty()) {
    if (settle_unacknowledged(c)) return;
    reason = "the carrier never acknowledged the dial (no answer for " + quiet_s + " s)";
    if (!c.connection_id.empty()) reason += " and does not list it among the connection's active calls";
  } else {
    auto status = wait_for_carrier<carrier::CallStatusResult>(
        [&](auto done) { carriers_.carrier_for(c)->call_status(c.call_control_id, std::move(done)); });
    if (status && status.value->is_alive) {
      tracker_.live().touch(c.call_id, tracker_.now());  // still up: look again later
      return;
    }
    if (c.demo && !status) {
      reason = std::string(kDemoCallOrphaned);
    } else if (status || carrier::carrier_forgot_call(status.error)) {
      reason = status ? "no hangup webhook received; the carrier reports the call is over"
                      : "no hangup webhook received; the carrier no longer knows the call";
    } else {
      reason = "no event for " + quiet_s + " s and the carrier status query failed: " + status.error.message;
      carrier_knew = false;
    }
  }
  ++counters_.reconciled;
  tracker_.end_inferred(c, last_heard, reason, /*answered_means_completed=*/carrier_knew);
}

void Reconciler::end_orphaned_demo_calls() {
  for (const auto& [c, last] : tracker_.live().entries()) {
    if (!c.demo) continue;
    try {
      ++counters_.reconciled;
      tracker_.end_inferred(c, last, std::string(kDemoCallOrphaned));
    } catch (const std::exception& e) {
      log::write(log::Level::error, "client", "ending demo call " + c.call_id + " failed: " + exception_text(e));
    }
  }
}

}  // namespace callwire::client
