// The WebSocket session (Beast): one accepted client of a WebSocketHub.
#include "server/server_core.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>

#include "support/log.hpp"

namespace callwire::server {

namespace websocket = beast::websocket;

namespace {

void fail(const beast::error_code& ec, const char* what, const std::string& peer) {
  if (ec == net::error::operation_aborted) return;
  const bool ordinary = ec == websocket::error::closed || ec == beast::error::timeout || ec == net::error::eof ||
                        ec == net::error::connection_reset || ec == net::error::broken_pipe;
  log::print(ordinary ? log::Level::debug : log::Level::warn, "ws", what, ": ", ec.message(), " (", peer, ")");
}

class WsSession final : public WebSocketHub::Member, public SessionBase, public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(std::shared_ptr<HttpServer::Core> core, beast::tcp_stream&& stream, std::shared_ptr<WebSocketHub> hub,
            WebSocketClientInfo info, AddressSlot slot)
      : core_(std::move(core)),
        slot_(std::move(slot)),
        ws_(std::move(stream)),
        hub_(std::move(hub)),
        info_(std::move(info)),
        drop_timer_(ws_.get_executor()) {}

  void run(beast::http::request<beast::http::string_body> upgrade) {
    info_.id = core_->add_session(shared_from_this());
    auto self = shared_from_this();
    // The opening hold: broadcasts wait until on_open has run.
    opening_hold_ = hold();
    beast::get_lowest_layer(ws_).expires_never();  // the websocket stream has its own timeouts
    const auto& o = hub_->options();
    websocket::stream_base::timeout t{};
    t.handshake_timeout = o.handshake_timeout;
    t.idle_timeout = o.idle_timeout;
    t.keep_alive_pings = true;
    ws_.set_option(t);
    ws_.read_message_max(o.max_incoming_message);
    const std::string server_name = core_->options.server_name;
    ws_.set_option(websocket::stream_base::decorator([server_name](websocket::response_type& res) {
      if (!server_name.empty()) res.set(beast::http::field::server, server_name);
    }));
    auto req = std::make_shared<beast::http::request<beast::http::string_body>>(std::move(upgrade));
    net::dispatch(ws_.get_executor(), [self, req] {
      self->ws_.async_accept(*req, [self, req](beast::error_code ec) { self->on_accept(ec); });
    });
  }

  // ---- WebSocketClient -------------------------------------------------------------

  bool send(std::string text) override { return enqueue(std::make_shared<const std::string>(std::move(text)), true); }

  void deliver(const std::shared_ptr<const std::string>& message) override { enqueue(message, false); }

  void close(int code, std::string reason) override {
    {
      std::lock_guard lock(mutex_);
      if (closing_) return;
      closing_ = true;
      close_code_ = code;
      close_reason_ = std::move(reason);
      held_.clear();
    }
    net::post(ws_.get_executor(), [self = shared_from_this()] { self->do_write(); });
  }

  std::shared_ptr<void> hold() override {
    {
      std::lock_guard lock(mutex_);
      ++holds_;
    }
    auto self = shared_from_this();
    return std::shared_ptr<void>(nullptr, [self](void*) { self->release_hold(); });
  }

  const WebSocketClientInfo& info() const noexcept override { return info_; }

  bool is_open() const noexcept override {
    std::lock_guard lock(mutex_);
    return !closing_ && !dropped_ && !done_;
  }

  // ---- SessionBase -------------------------------------------------------------------

  void request_stop() override { close(1001, "server shutting down"); }
  void force_close() override {
    net::post(ws_.get_executor(), [self = shared_from_this()] { self->teardown(true); });
  }

 private:
  bool enqueue(std::shared_ptr<const std::string> msg, bool direct) {
    bool post_write = false;
    bool dropped_here = false;
    {
      std::lock_guard lock(mutex_);
      if (closing_ || dropped_ || done_) return false;
      const auto& o = hub_->options();
      const bool overflow =
          queue_.size() + held_.size() + 1 > o.max_queue_messages || queued_bytes_ + msg->size() > o.max_queue_bytes;
      if (!overflow) {
        queued_bytes_ += msg->size();
        if (direct || holds_ == 0) {
          queue_.push_back(std::move(msg));
          if (!write_scheduled_) post_write = write_scheduled_ = true;
        } else {
          held_.push_back(std::move(msg));
        }
      } else {
        dropped_ = dropped_here = true;
        queue_.clear();
        held_.clear();
        queued_bytes_ = 0;
      }
    }
    if (dropped_here) {
      net::post(ws_.get_executor(), [self = shared_from_this()] { self->on_dropped(); });
      return false;
    }
    if (post_write) net::post(ws_.get_executor(), [self = shared_from_this()] { self->do_write(); });
    return true;
  }

  void release_hold() {
    bool start = false;
    {
      std::lock_guard lock(mutex_);
      if (--holds_ > 0) return;
      for (auto& m : held_) queue_.push_back(std::move(m));
      held_.clear();
      if (!queue_.empty() && !write_scheduled_) {
        write_scheduled_ = true;
        start = true;
      }
    }
    if (start) net::post(ws_.get_executor(), [self = shared_from_this()] { self->do_write(); });
  }

  void on_accept(beast::error_code ec) {
    if (ec) {
      fail(ec, "accept", info_.remote_address);
      {
        std::lock_guard lock(mutex_);
        done_ = true;
      }
      opening_hold_.reset();
      core_->remove_session(info_.id);
      return;
    }
    accepted_ = true;
    auto self = shared_from_this();
    hub_->attach(self, std::move(opening_hold_));
    do_read();
    do_write();
  }

  void do_read() {
    ws_.async_read(read_buf_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) {
        fail(ec, "read", self->info_.remote_address);
        return self->teardown(false);
      }
      if (self->ws_.got_text()) {
        const auto data = self->read_buf_.cdata();
        self->hub_->on_client_message(self, std::string_view(static_cast<const char*>(data.data()), data.size()));
      }
      self->read_buf_.consume(self->read_buf_.size());
      self->do_read();
    });
  }

  /// On the strand: writes the next queued message, or the close frame.
  void do_write() {
    if (!accepted_ || writing_ || finished_) return;
    std::shared_ptr<const std::string> next;
    bool send_close = false;
    {
      std::lock_guard lock(mutex_);
      if (dropped_) return;
      if (!queue_.empty()) {
        next = queue_.front();
      } else if (closing_) {
        send_close = true;
      } else {
        write_scheduled_ = false;
        return;
      }
    }
    if (send_close) return start_close(static_cast<std::uint16_t>(close_code_), close_reason_);
    writing_ = true;
    ws_.text(true);
    ws_.async_write(net::buffer(*next), [self = shared_from_this(), next](beast::error_code ec, std::size_t) {
      self->writing_ = false;
      {
        std::lock_guard lock(self->mutex_);
        if (!self->queue_.empty() && self->queue_.front() == next) {
          self->queue_.pop_front();
          self->queued_bytes_ -= next->size();
        }
      }
      if (ec) {
        fail(ec, "write", self->info_.remote_address);
        return self->teardown(false);
      }
      if (self->drop_pending_) return self->start_close(websocket::close_code::policy_error, "client too slow");
      self->do_write();
    });
  }

  void on_dropped() {
    if (finished_) return;
    log::print(log::Level::warn, "ws", info_.path, ": dropping a slow client (", info_.remote_address, ")");
    hub_->note_dropped();
    hub_->detach(*this);
    if (!accepted_) return;
    if (!writing_) return start_close(websocket::close_code::policy_error, "client too slow");
    // A write is stuck on a client that does not read: send the close frame
    // if it completes soon, else cut the connection.
    drop_pending_ = true;
    drop_timer_.expires_after(hub_->options().handshake_timeout);
    drop_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec && !self->finished_) self->teardown(true);
    });
  }

  void start_close(std::uint16_t code, std::string reason) {
    if (close_started_ || finished_) return;
    close_started_ = true;
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
    }
    websocket::close_reason cr;
    cr.code = code;
    if (reason.size() > 120) reason.resize(120);
    cr.reason = reason;
    ws_.async_close(cr, [self = shared_from_this()](beast::error_code ec) {
      if (ec) fail(ec, "close", self->info_.remote_address);
      self->teardown(true);
    });
  }

  /// Unregisters and closes the socket (hard: without a close handshake).
  void teardown(bool hard) {
    if (finished_) return;
    finished_ = true;
    drop_timer_.cancel();
    {
      std::lock_guard lock(mutex_);
      done_ = true;
      queue_.clear();
      held_.clear();
      queued_bytes_ = 0;
    }
    opening_hold_.reset();
    hub_->detach(*this);
    if (hard || !ws_.is_open()) {
      beast::error_code ec;
      beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ec);
      beast::get_lowest_layer(ws_).close();
    }
    slot_.release();
    core_->remove_session(info_.id);
  }

  std::shared_ptr<HttpServer::Core> core_;
  AddressSlot slot_;  ///< this connection in max_connections_per_ip
  websocket::stream<beast::tcp_stream> ws_;
  std::shared_ptr<WebSocketHub> hub_;
  WebSocketClientInfo info_;
  net::steady_timer drop_timer_;
  beast::flat_buffer read_buf_;
  std::shared_ptr<void> opening_hold_;

  // Strand-only state.
  bool accepted_ = false;
  bool writing_ = false;
  bool close_started_ = false;
  bool finished_ = false;
  bool drop_pending_ = false;

  // Shared state (mutex_).
  mutable std::mutex mutex_;
  std::deque<std::shared_ptr<const std::string>> queue_;  ///< front may be in flight
  std::deque<std::shared_ptr<const std::string>> held_;   ///< broadcasts held during opening
  std::size_t queued_bytes_ = 0;
  int holds_ = 0;
  bool write_scheduled_ = false;
  bool closing_ = false;
  bool dropped_ = false;
  bool done_ = false;
  int close_code_ = 1000;
  std::string close_reason_;
};

}  // namespace

void start_websocket_session(std::shared_ptr<HttpServer::Core> core, beast::tcp_stream stream,
                             beast::http::request<beast::http::string_body> upgrade, std::shared_ptr<WebSocketHub> hub,
                             WebSocketClientInfo info, AddressSlot slot) {
  auto s = std::make_shared<WsSession>(std::move(core), std::move(stream), std::move(hub), std::move(info),
                                       std::move(slot));
  s->run(std::move(upgrade));
}

}  // namespace callwire::server
