// A loopback HttpServer on an ephemeral port, its io_context run by two
// threads, for the server tests.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "server/http_server.hpp"

namespace callwire::test {

class TestServer {
 public:
  TestServer(std::shared_ptr<server::Router> router, server::HttpServerOptions options = {},
             const std::function<void(server::HttpServer&)>& setup = {})
      : work_(boost::asio::make_work_guard(ioc_)) {
    options.host = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<server::HttpServer>(ioc_, std::move(router), std::move(options));
    if (setup) setup(*server_);
    server_->start();
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc_.run(); });
  }

  ~TestServer() {
    stop_and_wait();
    work_.reset();
    ioc_.stop();
    for (auto& t : threads_) t.join();
  }

  /// Graceful stop; true when it completed within `wait`.
  bool stop_and_wait(std::chrono::milliseconds wait = std::chrono::seconds(20)) {
    auto done = std::make_shared<std::promise<void>>();
    auto fut = done->get_future();
    server_->stop([done] { done->set_value(); });
    return fut.wait_for(wait) == std::future_status::ready;
  }

  server::HttpServer& server() { return *server_; }
  std::uint16_t port() const { return server_->port(); }
  boost::asio::io_context& ioc() { return ioc_; }

 private:
  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::unique_ptr<server::HttpServer> server_;
  std::vector<std::thread> threads_;
};

/// Polls `pred` until true or `wait` elapsed (for state reached asynchronously).
inline bool eventually(const std::function<bool()>& pred, std::chrono::milliseconds wait = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return pred();
}

}  // namespace callwire::test
