// callwire — state shared by HttpServer and its sessions (internal to
// src/server/; included only by http_server.cpp and websocket_session.cpp).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/connection_limits.hpp"
#include "server/http_server.hpp"

namespace callwire::server {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

/// What the server needs from every connection, HTTP or WebSocket. Both
/// calls may come from any thread; implementations post to their strand.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  /// Finish what is in flight, then close.
  virtual void request_stop() = 0;
  /// Close now.
  virtual void force_close() = 0;
};

class AddressSlot;

struct HttpServer::Core : std::enable_shared_from_this<HttpServer::Core> {
  Core(net::io_context& io, std::shared_ptr<const Router> router, HttpServerOptions opts);

  net::io_context& ioc;
  HttpServerOptions options;
  Dispatcher dispatcher;
  std::map<std::string, std::shared_ptr<WebSocketHub>> hubs;  ///< by path without trailing slash

  net::strand<net::io_context::executor_type> strand;  ///< the acceptor and the stop timer
  tcp::acceptor acceptor;
  net::steady_timer stop_timer;
  std::atomic<std::uint16_t> bound_port{0};
  /// options.max_connections, clamped below the open-file limit by start().
  std::atomic<std::size_t> max_connections{0};
  metrics::Gauge* connections_gauge = nullptr;
  metrics::Counter* accept_errors_counter = nullptr;
  /// max(max_buffered_body_bytes, body_limit); null when there is no cap.
  std::shared_ptr<BodyBudget> body_budget;

  // On the strand: the pause after a failed accept (EMFILE, ENFILE, ENOBUFS,
  // ENOMEM...) so that a listener whose accepts keep failing does not spin.
  net::steady_timer accept_timer;
  std::chrono::milliseconds accept_backoff{0};  ///< 0 after a successful accept
  LogThrottle accept_error_log;
  LogThrottle full_log;     ///< connections refused for max_connections
  LogThrottle per_ip_log;   ///< connections refused for max_connections_per_ip
  metrics::CounterFamily* refused_counter = nullptr;

  std::mutex mutex;  ///< guards the members below
  std::map<std::uint64_t, std::weak_ptr<SessionBase>> sessions;
  /// Open connections by remote address (with max_connections_per_ip).
  std::map<net::ip::address, std::size_t> per_address;
  bool accepting = false;  ///< the acceptor is open
  bool stopping = false;
  bool stopped = false;
  std::vector<std::function<void()>> on_stopped;
  std::uint64_t next_id = 1;

  /// Registers a connection; returns its id.
  std::uint64_t add_session(const std::shared_ptr<SessionBase>& s);
  /// A connection closed (idempotent per id).
  void remove_session(std::uint64_t id);
  bool is_stopping();
  /// Counts one more connection from `address`; false (not counted) when it
  /// already has max_connections_per_ip.
  bool take_address(const net::ip::address& address);
  void release_address(const net::ip::address& address);
  std::shared_ptr<WebSocketHub> find_hub(std::string_view path) const;

  void do_accept();
  /// On the strand, for an accepted socket: its slot when it may be served,
  /// nullopt when a limit refuses it (counted and logged, throttled).
  std::optional<AddressSlot> admit(const tcp::socket& socket);
  /// Counts and (throttled) logs a failed accept, then retries after the backoff.
  void on_accept_error(const beast::error_code& ec);
  void begin_stop(std::function<void()> done);
  void maybe_finish_stop(std::unique_lock<std::mutex>& lock);
  void close_now();
};

/// One connection's place in the count of its remote address
/// (max_connections_per_ip). It follows the connection from the HTTP session
/// to the WebSocket session of an upgrade, and is given back when the
/// connection closes (release(), on its strand) or at the latest when the
/// slot is destroyed. Empty: nothing counted.
class AddressSlot {
 public:
  AddressSlot() = default;
  AddressSlot(std::shared_ptr<HttpServer::Core> core, net::ip::address address)
      : core_(std::move(core)), address_(std::move(address)) {}
  AddressSlot(AddressSlot&& o) noexcept : core_(std::move(o.core_)), address_(std::move(o.address_)) {}
  AddressSlot& operator=(AddressSlot&& o) noexcept {
    if (this != &o) {
      release();
      core_ = std::move(o.core_);
      address_ = std::move(o.address_);
    }
    return *this;
  }
  AddressSlot(const AddressSlot&) = delete;
  AddressSlot& operator=(const AddressSlot&) = delete;
  ~AddressSlot() { release(); }

  void release() noexcept {
    if (auto core = std::move(core_)) core->release_address(address_);
  }

 private:
  std::shared_ptr<HttpServer::Core> core_;
  net::ip::address address_;
};

/// Starts a WebSocket session on an upgraded connection (websocket_session.cpp).
void start_websocket_session(std::shared_ptr<HttpServer::Core> core, beast::tcp_stream stream,
                             beast::http::request<beast::http::string_body> upgrade,
                             std::shared_ptr<WebSocketHub> hub, WebSocketClientInfo info, AddressSlot slot);

/// "ip:port" ("[v6]:port") of the peer, or with `local` of this end; "" when unknown.
std::string endpoint_text(const tcp::socket& socket, bool local);

}  // namespace callwire::server
