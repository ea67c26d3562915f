// UpdateBus: CallClient's subscribers and the delivery of CallUpdates to
// them (internal; the public contract is CallClient::subscribe/unsubscribe).
//
// Delivery runs on a strand of the executor given at construction (the
// client's worker pool): one callback at a time for the whole bus, in the
// order publish() was called — a caller that publishes the updates of one
// call in order (CallClient does, under that call's stripe lock) gets them
// delivered in that order. publish() only posts: it never runs a callback on
// the calling thread and never blocks on one.
//
// unsubscribe(id): when it returns, the subscription's callback is not
// running and never runs again. Called on another thread while that callback
// runs, it waits for the callback to return; called from inside that very
// callback, it returns at once (the callback finishes normally). Do not call
// it while holding something the callback waits for.
//
// The posted delivery jobs hold the bus weakly: a job that runs after the bus
// is destroyed (or that never runs because its pool was joined) delivers
// nothing and keeps nothing alive.
#pragma once

#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "callwire/call_client.hpp"

namespace callwire::client {

class UpdateBus {
 public:
  using Callback = std::function<void(const CallUpdate&)>;
  using Executor = boost::asio::thread_pool::executor_type;

  explicit UpdateBus(Executor executor);
  ~UpdateBus();
  UpdateBus(const UpdateBus&) = delete;
  UpdateBus& operator=(const UpdateBus&) = delete;

  /// Registers `callback` for every update published from now on. Exceptions
  /// it throws are caught and logged; delivery to the others goes on.
  /// Returns its id (never 0).
  std::uint64_t subscribe(Callback callback);

  /// Removes a subscription (see above for the wait). False for an id that is
  /// not subscribed (never was, or already removed): nothing happens.
  bool unsubscribe(std::uint64_t id);

  /// Queues one update for every current subscriber.
  void publish(CallUpdate update);
  /// Queues updates in this order, in one job (one hand-off to the strand
  /// for a whole batch); still delivered one at a time. Empty: no job.
  void publish(std::vector<CallUpdate> updates);

  /// Subscriptions currently registered.
  std::size_t size() const;
  /// unsubscribe() calls now waiting for a callback running on another
  /// thread. For tests (a deterministic "it is waiting") and diagnostics.
  std::size_t waiting_unsubscribes() const;

 private:
  struct Subscription;
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace callwire::client
