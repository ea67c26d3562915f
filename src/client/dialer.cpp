// Dialer: a new call, stored and handed to its carrier (see dialer.hpp).
#include "client/dialer.hpp"

#include <boost/asio/post.hpp>

#include "callwire/call_state.hpp"
#include "callwire/error.hpp"
#include "callwire/phone.hpp"
#include "client/carrier_wait.hpp"
#include "client/exception_text.hpp"
#include "core/uuid.hpp"
#include "support/log.hpp"

namespace callwire::client {

namespace net = boost::asio;

Dialer::Dialer(net::thread_pool& workers, LogStore& logs, NumberStore& numbers, ContactStore& contacts,
               const UserStore& users, CallTracker& tracker, CarrierSelector& carriers, ClientCounters& counters, DialTimings timings,
               const std::atomic<bool>& closed, std::weak_ptr<const void> lifetime)
    : workers_(workers),
      logs_(logs),
      numbers_(numbers),
      contacts_(contacts),
      users_(users),
      tracker_(tracker),
      carriers_(carriers),
      counters_(counters),
      timings_(timings),
      closed_(closed),
      lifetime_(std::move(lifetime)) {}

Call Dialer::dial(std::string_view to, std::string_view from, const DialOptions& options) {
  Call c;
  c.to_number = normalize_e164(to, "to_number");
  if (from.empty()) {
    auto def = numbers_.default_number();
    if (!def) {
      throw Error(errc::invalid_argument,
                  "from_number: no caller-ID number given and no default number configured (add one under /api/numbers)");
    }
    c.from_number = def->number;
  } else {
    c.from_number = normalize_e164(from, "from_number");
  }
  if (auto problem = amd_problem(options.answering_machine_detection.mode(), options.answering_machine_detection_config);
      !problem.empty()) {
    throw Error(errc::invalid_argument, problem);
  }
  if (options.agent_id && !users_.find(*options.agent_id)) {
    throw Error(errc::invalid_argument, "agent_id: no user has this id");
  }
  const Settings s = carriers_.settings();
  c.call_id = new_uuid_v4();
  c.direction = Direction::outbound;
  c.status = CallStatus::dialing;
  c.created_at = c.updated_at = tracker_.now();
  c.demo = s.demo_mode || s.api_key.empty();
  c.connection_id = options.connection_id.empty() ? s.connection_id : options.connection_id;
  if (options.contact_id) {
    c.contact_id = options.contact_id;
    if (auto contact = contacts_.find(*options.contact_id)) c.contact_name = contact->name;
  } else if (auto contact = contacts_.find_by_phone(c.to_number)) {
    c.contact_id = contact->id;
    c.contact_name = contact->name;
  }
  c.agent_id = options.agent_id;
  c.recording = false;  // a recording from the answer shows once answered (callwire/call_state.hpp)
  c.record_from_answer = options.record.value_or(s.auto_record);
  c = tracker_.insert(c);
  ++counters_.dials;

  carrier::DialRequest req;
  req.call_id = c.call_id;
  req.to = c.to_number;
  req.from = c.from_number;
  req.connection_id = c.connection_id;
  req.command_id = new_uuid_v4();
  req.webhook_url = s.webhook_url;
  req.record = c.record_from_answer;
  req.record_channels = s.recording_channels;
  req.answering_machine_detection = options.answering_machine_detection.mode();
  req.answering_machine_detection_config = options.answering_machine_detection_config;
  req.timeout_secs = static_cast<int>(timings_.ring_timeout.count());
  req.time_limit_secs = static_cast<int>(timings_.time_limit.count());
  // The handler holds the client weakly: one stuck in a queue that close()
  // has already drained (a carrier's, the pool's) must not keep it alive.
  carriers_.carrier_for(c)->dial(
      req, [this, weak = lifetime_, call_id = c.call_id](carrier::CarrierResult<carrier::DialResult> r) {
        if (!weak.lock()) return;
        net::post(workers_, [this, weak, call_id, r = std::move(r)]() mutable {
          if (auto alive = weak.lock()) on_dial_result(call_id, std::move(r));
        });
      });
  return c;
}

void Dialer::on_dial_result(const std::string& call_id, carrier::CarrierResult<carrier::DialResult> r) {
  // Closing cancels dials in flight: the calls stay as they are in storage
  // and are reconciled at the next start, not failed now.
  if (closed_) return;
  try {
    if (!r && r.error.code == errc::conflict) return;  // withdrawn while queued: already canceled
    if (!r) {
      ++counters_.carrier_errors;
      CallEvent e;
      e.occurred_at = tracker_.now();
      if (carrier::dial_certainly_refused(r.error)) {
        e.id = "callwire-dial-failed-" + call_id;
        e.event_type = std::string(kEventDialFailed);
        e.result = "dial failed: " + r.error.message;
      } else {
        // It may have been placed: the phone may ring. Not an end.
        e.id = "callwire-dial-unknown-" + call_id;
        e.event_type = std::string(kEventDialUnknown);
        e.result = "the dial's outcome is unknown: " + r.error.message;
        log::write(log::Level::warn, "client",
                   "call " + call_id + ": " + e.result + "; waiting for the carrier's events or the reconciler");
      }
      logs_.record_event(e);
      tracker_.fold_into(call_id, e, /*fresh=*/true);
      return;
    }
    const auto& ids = *r.value;
    tracker_.update(call_id, [&](Call& c) {
      if (c.call_control_id.empty()) c.call_control_id = ids.call_control_id;
      if (c.call_leg_id.empty()) c.call_leg_id = ids.call_leg_id;
      if (c.call_session_id.empty()) c.call_session_id = ids.call_session_id;
    });
  } catch (const std::exception& e) {
    log::write(log::Level::error, "client", "storing the dial result of " + call_id + " failed: " + exception_text(e));
  }
}

carrier::DialPhase Dialer::withdraw(const Call& c) {
  auto phase = wait_for_carrier<carrier::DialPhase>(
      [&](auto done) { carriers_.carrier_for(c)->cancel_dial(c.call_id, std::move(done)); });
  if (!phase) return carrier::DialPhase::none;
  if (*phase.value == carrier::DialPhase::queued) {
    CallEvent e;
    e.id = "callwire-dial-canceled-" + c.call_id;
    e.event_type = std::string(kEventDialCanceled);
    e.occurred_at = tracker_.now();
    e.result = "hung up before the dial was sent";
    logs_.record_event(e);
    tracker_.fold_into(c.call_id, e, /*fresh=*/true);
  }
  return *phase.value;
}

}  // namespace callwire::client
