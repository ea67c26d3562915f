// Dialer: CallClient::dial — validate, store the new call, hand it to its
// carrier — and the carrier's answer to the dial (DESIGN.md, "A call, end to
// end", steps 1–2).
//
// dial() returns once the call is stored as `dialing` and call.created is
// published; the carrier's answer arrives later on the worker pool
// (on_dial_result):
//  * placed: its Telnyx ids are stored on the call;
//  * certainly refused (carrier::dial_certainly_refused: a 4xx, a request
//    that never left): callwire.dial.failed, the call is failed;
//  * outcome unknown (a timeout, a lost connection, a 5xx after the
//    retries: Telnyx may have placed it): callwire.dial.unknown is stored
//    and the call stays dialing — the carrier's webhooks, or the
//    reconciler asking for the connection's active calls, settle it;
//  * withdrawn by withdraw() while queued: nothing more (it is canceled).
#include "client/pending_hangups.hpp"

#pragma once

#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "callwire/call_client.hpp"
#include "callwire/contact_store.hpp"
#include "callwire/log_store.hpp"
#include "callwire/number_store.hpp"
#include "callwire/user_store.hpp"
#include "carrier/carrier.hpp"
#include "client/call_tracker.hpp"
#include "client/carrier_selector.hpp"
#include "client/client_counters.hpp"
#include "client/pending_hangups.hpp"

namespace callwire::client {

struct DialTimings {
  std::chrono::seconds ring_timeout{60};  ///< sent as timeout_secs
  std::chrono::seconds time_limit{14400}; ///< sent as time_limit_secs
};

class Dialer {
 public:
  Dialer(boost::asio::thread_pool& workers, LogStore& logs, NumberStore& numbers, ContactStore& contacts,
         const UserStore& users, CallTracker& tracker, CarrierSelector& carriers, ClientCounters& counters, DialTimings timings,
         const std::atomic<bool>& closed, std::weak_ptr<const void> lifetime);

  /// Throws InvalidArgument for a bad number or no caller ID.
  Call dial(std::string_view to, std::string_view from, const DialOptions& options);

  /// Withdraws the dial of a call with no call_control_id yet from its
  /// carrier's queue: then it is never placed and the call ends canceled
  /// (callwire.dial.canceled). Answers the phase the dial was in (queued:
  /// withdrawn; in_flight or none: not withdrawn).
  carrier::DialPhase withdraw(const Call& c);

 private:
  void on_dial_result(const std::string& call_id, carrier::CarrierResult<carrier::DialResult> r);

  boost::asio::thread_pool& workers_;
  LogStore& logs_;
  NumberStore& numbers_;
  ContactStore& contacts_;
  const UserStore& users_;
  CallTracker& tracker_;
  CarrierSelector& carriers_;
  ClientCounters& counters_;
  const DialTimings timings_;
  const std::atomic<bool>& closed_;
  const std::weak_ptr<const void> lifetime_;
};

}  // namespace callwire::client
