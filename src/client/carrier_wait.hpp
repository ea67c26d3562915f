// Blocking on one carrier operation (the carrier's API is asynchronous; the
// client's controls and the reconciler wait for the answer on a worker or a
// caller thread — never on an io thread, where the answers complete), and
// turning a carrier error into the public CarrierError.
#pragma once

#include <future>
#include <memory>
#include <string>

#include "callwire/error.hpp"
#include "carrier/carrier.hpp"

namespace callwire::client {

/// Starts an operation with a completion handler and returns its result.
template <class T, class Start>
carrier::CarrierResult<T> wait_for_carrier(Start start) {
  auto promise = std::make_shared<std::promise<carrier::CarrierResult<T>>>();
  auto future = promise->get_future();
  start([promise](carrier::CarrierResult<T> r) { promise->set_value(std::move(r)); });
  return future.get();
}

/// Throws the public CarrierError for a failed `what` ("hangup", "transfer").
[[noreturn]] inline void throw_carrier(const carrier::CarrierError& e, const std::string& what) {
  throw CarrierError(e.code, what + ": " + e.message, e.http_status, e.telnyx_code, e.title, e.detail);
}

}  // namespace callwire::client
