// callwire — WebSocket fan-out: a hub of clients on one path (internal,
// Beast-free).
//
// A WebSocketHub is registered with the server on a path (HttpServer::
// add_websocket("/ws/calls")). Each accepted client is registered with the
// hub, then the hub's on_open hook runs; broadcast() sends a text message to
// every registered client.
//
// Ordering guarantees:
//   - Messages to one client go out in the order they were queued.
//   - broadcast() calls are totally ordered: every client sees broadcasts in
//     the same order (concurrent callers are serialized).
//   - Snapshot first: a client is registered BEFORE on_open runs, and every
//     broadcast made from then on is held back for that client until on_open
//     returns (and until every WebSocketClient::hold() token is released).
//     Messages on_open sends with client->send() go out first. So a host that
//     builds its snapshot inside on_open (or under a hold, asynchronously)
//     never misses an update made after the snapshot was read, and never gets
//     one before it.
//
// Backpressure: each client has a bounded outgoing queue (messages and
// bytes, held messages included). A client whose queue would overflow — it
// stopped reading or reads too slowly — is dropped: its queue is discarded
// and it is closed with code 1008 (policy violation), counted in
// callwire_websocket_dropped_total. Other clients never wait for it.
//
// Keep-alive: the server pings a client after idle_timeout/2 without
// incoming data and closes it after idle_timeout (dead peers are detected).
//
// Metrics (when the server has a registry):
//   callwire_websocket_clients{path}         gauge
//   callwire_websocket_dropped_total{path}   counter
//
// Thread-safety: every member may be called from any thread. Hooks run on
// the client's network strand: keep them short (hold() for slow work).
#pragma once

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
#include <string_view>
#include <utility>
#include <vector>

#include "server/http_message.hpp"
#include "server/metrics.hpp"

namespace callwire::server {

struct WebSocketOptions {
  /// Queued per client before it is dropped. Well above the burst of one
  /// ingest batch (CallClient publishes up to 2 × ingest_batch_max = 512
  /// updates at once); max_queue_bytes is what bounds the memory.
  std::size_t max_queue_messages = 4096;
  std::size_t max_queue_bytes = 4u << 20;   ///< queued bytes per client before it is dropped
  std::size_t max_incoming_message = 64u << 10;  ///< larger client messages close the connection (1009)
  std::chrono::milliseconds idle_timeout{30000};
  std::chrono::milliseconds handshake_timeout{10000};  ///< upgrade and closing handshakes
};

/// What a hook knows about a client.
struct WebSocketClientInfo {
  std::uint64_t id = 0;  ///< unique per server run
  std::string path;
  std::string query_string;
  std::vector<std::pair<std::string, std::string>> query;
  std::optional<AuthInfo> auth;
  std::string remote_address;
};

/// One connected client. Held by shared_ptr; thread-safe.
class WebSocketClient {
 public:
  virtual ~WebSocketClient() = default;
  /// Queues a text message for this client only (ahead of held broadcasts).
  /// False when the client is closed or was dropped (also when this message
  /// made the queue overflow).
  virtual bool send(std::string text) = 0;
  /// Sends the queued messages, then a close frame with `code`.
  virtual void close(int code = 1000, std::string reason = {}) = 0;
  /// Holds broadcasts back for this client until the returned token (and
  /// every copy of it) is destroyed. For an on_open hook that answers
  /// asynchronously: capture the token with the work that sends the snapshot.
  virtual std::shared_ptr<void> hold() = 0;
  virtual const WebSocketClientInfo& info() const noexcept = 0;
  /// False once closing, closed or dropped.
  virtual bool is_open() const noexcept = 0;
};

class WebSocketHub {
 public:
  using OpenHook = std::function<void(const std::shared_ptr<WebSocketClient>& client)>;
  using MessageHook = std::function<void(const std::shared_ptr<WebSocketClient>& client, std::string_view text)>;
  using CloseHook = std::function<void(const WebSocketClientInfo& info)>;

  /// `registry` may be null (no metrics).
  explicit WebSocketHub(std::string path, WebSocketOptions options = {},
                        std::shared_ptr<metrics::Registry> registry = nullptr);

  /// Hooks: set before the server starts.
  void on_open(OpenHook hook) { on_open_ = std::move(hook); }
  void on_message(MessageHook hook) { on_message_ = std::move(hook); }
  void on_close(CloseHook hook) { on_close_ = std::move(hook); }

  /// Queues `text` for every registered client. Returns how many clients it
  /// was queued for.
  std::size_t broadcast(std::string text);
  /// The same for the clients `to` accepts (called under the hub's lock, in
  /// the broadcast order: keep it short and do not call the hub from it).
  std::size_t broadcast(std::string text, const std::function<bool(const WebSocketClientInfo&)>& to);
  /// Closes every client (queued messages are sent first).
  void close_all(int code = 1001, std::string reason = {});
  /// Closes the clients `which` picks, as close_all does. Returns how many.
  std::size_t close_if(const std::function<bool(const WebSocketClientInfo&)>& which, int code, std::string reason = {});

  std::size_t client_count() const;
  std::uint64_t dropped_count() const noexcept { return dropped_.load(); }
  const std::string& path() const noexcept { return path_; }
  const WebSocketOptions& options() const noexcept { return options_; }

  // ---- used by the server's WebSocket sessions ------------------------------

  /// A client as the hub sees it.
  class Member : public WebSocketClient {
   public:
    /// Queues a broadcast (held while the client holds); may drop the client.
    virtual void deliver(const std::shared_ptr<const std::string>& message) = 0;
  };
  /// Registers a member that is already holding broadcasts, runs on_open, and
  /// releases `opening_hold` afterwards.
  void attach(const std::shared_ptr<Member>& member, std::shared_ptr<void> opening_hold);
  /// Unregisters (idempotent); runs on_close the first time.
  void detach(const Member& member);
  void on_client_message(const std::shared_ptr<Member>& member, std::string_view text);
  /// Counts a drop.
  void note_dropped();

 private:
  std::string path_;
  WebSocketOptions options_;
  OpenHook on_open_;
  MessageHook on_message_;
  CloseHook on_close_;

  mutable std::mutex mutex_;  ///< guards members_ and orders broadcasts
  std::map<std::uint64_t, std::weak_ptr<Member>> members_;
  std::atomic<std::uint64_t> dropped_{0};
  metrics::Gauge* clients_gauge_ = nullptr;
  metrics::Counter* dropped_counter_ = nullptr;
};

}  // namespace callwire::server
