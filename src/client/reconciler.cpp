// Reconciler: calls gone quiet are checked with their carrier (see
// reconciler.hpp).
#include "client/reconciler.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>

#include "callwire/call_state.hpp"
#include "client/carrier_wait.hpp"
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

namespace {

// Telnyx no longer knows the call: 404 (its status is kept for 10 minutes
// after the end), or 422 with 90015/90018 ("call has already ended").
bool carrier_forgot(const carrier::CarrierError& e) {
  return e.http_status == 404 || e.code == errc::not_found ||
         (e.http_status == 422 && (e.telnyx_code == "90015" || e.telnyx_code == "90018"));
}

}  // namespace

void Reconciler::check(const Call& c, TimePoint last_heard, std::chrono::milliseconds quiet) {
  CallEvent r;
  r.id = "callwire-reconciled-" + c.call_id;
  r.event_type = std::string(kEventReconciled);
  r.occurred_at = tracker_.now();
  const std::string quiet_s = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(quiet).count());
  if (c.call_control_id.empty()) {
    r.result = "the carrier never acknowledged the dial (no answer for " + quiet_s + " s)";
  } else {
    auto status = wait_for_carrier<carrier::CallStatusResult>(
        [&](auto done) { carriers_.carrier_for(c)->call_status(c.call_control_id, std::move(done)); });
    if (status && status.value->is_alive) {
      tracker_.live().touch(c.call_id, tracker_.now());  // still up: look again later
      return;
    }
    if (status || (!c.demo && carrier_forgot(status.error))) {
      r.result = status ? "no hangup webhook received; the carrier reports the call is over"
                        : "no hangup webhook received; the carrier no longer knows the call";
      if (c.answered_at) {
        // Its call.hangup was lost: it ended some time after it was last
        // heard of; that time is the one known.
        r.hangup_cause = "normal_clearing";
        r.hangup_source = std::string(kHangupSourceCallwire);
        r.occurred_at = std::max(last_heard, *c.answered_at);
      }
    } else if (c.demo) {
      r.result = "the simulated call ended when the callwire process that ran it stopped";
    } else {
      r.result = "no event for " + quiet_s + " s and the carrier status query failed: " + status.error.message;
    }
  }
  ++counters_.reconciled;
  logs_.record_event(r);
  tracker_.fold_into(c.call_id, r, true);
}

}  // namespace callwire::client
