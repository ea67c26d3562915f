// Dialer: CallClient::dial — validate, store the new call, hand it to its
// carrier — and the carrier's answer to the dial (DESIGN.md, "A call, end to
// end", steps 1–2).
//
// dial() returns once the call is stored as `dialing` and call.created is
// published; the carrier's answer arrives later on the worker pool
// (on_dial_result): its Telnyx ids are stored on the call, or the dial's
// failure is folded as callwire.dial.failed.
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
#include "carrier/carrier.hpp"
#include "client/call_tracker.hpp"
#include "client/carrier_selector.hpp"
#include "client/client_counters.hpp"

namespace callwire::client {

struct DialTimings {
  std::chrono::seconds ring_timeout{60};  ///< sent as timeout_secs
  std::chrono::seconds time_limit{14400}; ///< sent as time_limit_secs
};

class Dialer {
 public:
  Dialer(boost::asio::thread_pool& workers, LogStore& logs, NumberStore& numbers, ContactStore& contacts,
         CallTracker& tracker, CarrierSelector& carriers, ClientCounters& counters, DialTimings timings,
         const std::atomic<bool>& closed, std::weak_ptr<const void> lifetime);

  /// Throws InvalidArgument for a bad number or no caller ID.
  Call dial(std::string_view to, std::string_view from, const DialOptions& options);

 private:
  void on_dial_result(const std::string& call_id, carrier::CarrierResult<carrier::DialResult> r);

  boost::asio::thread_pool& workers_;
  LogStore& logs_;
  NumberStore& numbers_;
  ContactStore& contacts_;
  CallTracker& tracker_;
  CarrierSelector& carriers_;
  ClientCounters& counters_;
  const DialTimings timings_;
  const std::atomic<bool>& closed_;
  const std::weak_ptr<const void> lifetime_;
};

}  // namespace callwire::client
