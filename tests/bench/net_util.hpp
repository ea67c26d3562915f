// Benchmarks: small, fast loopback clients over plain POSIX sockets — a
// keep-alive HTTP/1.1 connection for load generators and health polling, and
// a fleet of WebSocket clients read by one epoll thread (so that 1,000 clients
// cost one thread, not 1,000). Deliberately minimal: text frames,
// continuation frames, ping → pong, close; no TLS, no extensions.
//
// Thread-safety: an HttpConn is used by one thread at a time. A WsFleet is
// built (add()) on one thread, then run() on one thread; stop() and
// counters may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace callwire::bench {

/// Builds request bytes: "<method> <target> HTTP/1.1", Host, the given
/// headers, Content-Length when there is a body (or for POST/PUT).
std::string make_request(std::string_view method, std::string_view target,
                         const std::vector<std::pair<std::string, std::string>>& headers = {},
                         std::string_view body = {});

/// One keep-alive HTTP/1.1 connection to 127.0.0.1:port.
class HttpConn {
 public:
  /// Connects (throws std::runtime_error on failure). TCP_NODELAY is set.
  explicit HttpConn(int port, int timeout_ms = 10000);
  ~HttpConn();
  HttpConn(const HttpConn&) = delete;
  HttpConn& operator=(const HttpConn&) = delete;

  /// Sends `request` (complete bytes) and reads one response: returns its
  /// status; the body goes to *body when given. Throws on I/O errors and
  /// timeouts. Reconnects first if the previous answer closed the connection.
  int exchange(std::string_view request, std::string* body = nullptr);
  std::size_t connects() const noexcept { return connects_; }

 private:
  void connect_now();
  void close_now();
  int port_;
  int timeout_ms_;
  int fd_ = -1;
  std::string buf_;
  std::size_t connects_ = 0;
};

/// GET once on a fresh connection; returns the status, or 0 when the
/// connection was refused (nothing listening yet).
int http_get_once(int port, std::string_view target, std::string* body = nullptr, int timeout_ms = 2000);

/// A set of WebSocket clients, all read by one epoll loop.
class WsFleet {
 public:
  /// A message (text frame, reassembled), with the steady_ns() it was read at.
  using OnMessage = std::function<void(std::size_t client, std::string_view text, std::int64_t recv_ns)>;

  WsFleet();
  ~WsFleet();
  WsFleet(const WsFleet&) = delete;
  WsFleet& operator=(const WsFleet&) = delete;

  /// Connects and upgrades one client (blocking handshake); returns its
  /// index. `rcvbuf` > 0 sets SO_RCVBUF before connecting. A `stalled`
  /// client is never read by run() (it models a peer that stopped reading).
  /// Throws std::runtime_error when the upgrade is refused.
  std::size_t add(int port, const std::string& target, int rcvbuf = 0, bool stalled = false);
  std::size_t size() const noexcept { return clients_.size(); }

  /// Reads every non-stalled client until stop() (or until every one of
  /// them is closed), calling `on_message` for each text message. Pings are
  /// answered with pongs.
  void run(const OnMessage& on_message);
  void stop() { stop_ = true; }

  /// After run(): reads a stalled client until the server closes it or
  /// `timeout_ms` passes. Returns the close code of the server's close frame,
  /// -1 for a connection closed/reset without one, 0 when still open.
  /// `messages` receives how many text messages it had buffered.
  int drain_stalled(std::size_t client, int timeout_ms, std::uint64_t* messages = nullptr);

  /// Close code received by client i (0: none), and whether it is closed.
  int close_code(std::size_t i) const;
  bool closed(std::size_t i) const;
  std::uint64_t messages(std::size_t i) const;
  std::uint64_t total_messages() const noexcept { return total_.load(); }

 private:
  struct Client;
  // Parses the complete frames buffered for client `index`; false once closed.
  bool pump(std::size_t index, const OnMessage* on_message, std::int64_t recv_ns);
  int epfd_ = -1;
  std::vector<std::unique_ptr<Client>> clients_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> total_{0};
};

}  // namespace callwire::bench
