// Shared helpers of the carrier tests: an io_context on a thread, waiting for
// one handler, and the test PKI made once per test binary.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <thread>

#include "carrier/carrier.hpp"
#include "test_pki.hpp"

namespace callwire::test {

/// An io_context run by one thread for the lifetime of the object.
class Loop {
 public:
  Loop() : work_(boost::asio::make_work_guard(ioc_)), thread_([this] { ioc_.run(); }) {}
  ~Loop() {
    work_.reset();
    ioc_.stop();
    thread_.join();
  }
  boost::asio::any_io_executor executor() { return ioc_.get_executor(); }

 private:
  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

/// A handler's result, to be waited for. Fails the test when the handler is
/// called twice.
template <class T>
class Pending {
 public:
  Pending() : state_(std::make_shared<State>()) { future_ = state_->promise.get_future(); }

  carrier::Handler<T> handler() {
    return [state = state_](carrier::CarrierResult<T> r) {
      if (state->called.exchange(true)) {
        ADD_FAILURE() << "handler called twice";
        return;
      }
      state->promise.set_value(std::move(r));
    };
  }

  bool ready() const { return future_.wait_for(std::chrono::seconds(0)) == std::future_status::ready; }

  /// The result; a failure (errc::internal, "no answer") after `timeout`.
  carrier::CarrierResult<T> get(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    if (!result_) {
      if (future_.wait_for(timeout) != std::future_status::ready) {
        ADD_FAILURE() << "no answer within " << timeout.count() << " ms";
        carrier::CarrierError e;
        e.code = errc::internal;
        e.message = "no answer";
        return carrier::CarrierResult<T>::fail(e);
      }
      result_ = future_.get();
    }
    return *result_;
  }

 private:
  struct State {
    std::promise<carrier::CarrierResult<T>> promise;
    std::atomic<bool> called{false};
  };
  std::shared_ptr<State> state_;
  std::future<carrier::CarrierResult<T>> future_;
  std::optional<carrier::CarrierResult<T>> result_;
};

/// Starts an operation with a fresh handler and waits for its result.
template <class T, class Start>
carrier::CarrierResult<T> await(Start&& start) {
  Pending<T> p;
  start(p.handler());
  return p.get();
}

/// One CA, a server certificate for 127.0.0.1 and localhost, and the CA as a
/// PEM file, made once per test binary.
struct Pki {
  TestCa ca{"callwire test CA"};
  CertAndKey server = ca.issue_server({"localhost"}, {"127.0.0.1"});
  TempFile ca_file{ca.cert_pem(), "-ca.pem"};

  static const Pki& get() {
    static const Pki pki;
    return pki;
  }
};

}  // namespace callwire::test
