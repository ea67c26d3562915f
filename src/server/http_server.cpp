// HttpServer: the listener and the HTTP session (Beast). The WebSocket
// session lives in websocket_session.cpp.
#include "server/server_core.hpp"

#include "server/connection_limits.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>

#include "support/log.hpp"

namespace callwire::server {

namespace http = beast::http;

namespace {

constexpr std::size_t kFilePiece = 64u << 10;
constexpr std::size_t kLingerBytes = 4u << 20;
constexpr std::chrono::milliseconds kLingerMax{2000};
// After a failed accept: wait 10 ms, doubling up to 1 s while accepts keep
// failing; a successful accept resets it. Accept errors are logged at most
// once per 5 s, with the number suppressed since the last line.
constexpr std::chrono::milliseconds kAcceptBackoffMin{10};
constexpr std::chrono::milliseconds kAcceptBackoffMax{1000};
constexpr std::chrono::seconds kRefusalLogInterval{5};
// A request body that does not fit in max_buffered_body_bytes.
constexpr std::string_view kBodyBudgetDetail =
    "The server is receiving too many request bodies at once; retry shortly.";
constexpr std::string_view kBodyBudgetRetryAfter = "1";  // seconds

bool is_disconnect(const beast::error_code& ec) {
  return ec == net::error::operation_aborted || ec == beast::error::timeout || ec == http::error::end_of_stream ||
         ec == net::error::eof || ec == net::error::connection_reset || ec == net::error::broken_pipe ||
         ec == net::error::not_connected || ec == net::error::bad_descriptor;
}

/// The one failure reporter: ordinary disconnects at debug level, the rest as warnings.
void fail(const beast::error_code& ec, const char* what, const std::string& peer) {
  if (ec == net::error::operation_aborted) return;
  const auto level = is_disconnect(ec) ? log::Level::debug : log::Level::warn;
  log::print(level, "http", what, ": ", ec.message(), peer.empty() ? "" : " (", peer, peer.empty() ? "" : ")");
}

std::string strip_trailing_slash(std::string_view p) {
  while (p.size() > 1 && p.back() == '/') p.remove_suffix(1);
  return std::string(p);
}

struct FileCloser {
  void operator()(std::FILE* f) const noexcept {
    if (f) std::fclose(f);
  }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

}  // namespace

std::string endpoint_text(const tcp::socket& socket, bool local) {
  beast::error_code ec;
  auto ep = local ? socket.local_endpoint(ec) : socket.remote_endpoint(ec);
  if (ec) return {};
  auto addr = ep.address();
  if (addr.is_v6()) return "[" + addr.to_string() + "]:" + std::to_string(ep.port());
  return addr.to_string() + ":" + std::to_string(ep.port());
}

class HttpSession;

// ---- streamed bodies ---------------------------------------------------------------

/// State shared by a session and the StreamWriter of one chunked response.
struct StreamChannel {
  std::mutex mutex;
  std::condition_variable cv;
  std::string pending;
  bool finished = false;  ///< the producer called finish()
  bool aborted = false;   ///< the producer called abort() or dropped the writer
  bool closed = false;    ///< the connection side is done (error, stop, HEAD)
  bool waiting = false;   ///< the session waits for data: kick it
  std::size_t high_water = 0;
  std::optional<net::strand<net::io_context::executor_type>> strand;

  void close_from_session() {
    {
      std::lock_guard lock(mutex);
      closed = true;
    }
    cv.notify_all();
  }
};

/// The producer's end. It keeps the session alive while the producer holds
/// it (the session may have no operation pending while it waits for data).
class StreamHandle final : public StreamWriter {
 public:
  StreamHandle(std::shared_ptr<StreamChannel> ch, std::shared_ptr<HttpSession> session)
      : ch_(std::move(ch)), session_(std::move(session)) {}
  ~StreamHandle() override { abort(); }

  bool write(std::string_view data) override {
    if (ch_->strand && ch_->strand->running_in_this_thread()) {
      throw Error(errc::internal, "StreamWriter::write called on the connection's network thread: it would deadlock");
    }
    bool need_kick = false;
    {
      std::unique_lock lock(ch_->mutex);
      ch_->cv.wait(lock, [&] { return ch_->closed || ch_->aborted || ch_->finished || ch_->pending.size() < ch_->high_water; });
      if (ch_->closed || ch_->aborted || ch_->finished) return false;
      ch_->pending.append(data);
      need_kick = ch_->waiting;
      ch_->waiting = false;
    }
    if (need_kick) kick();
    return true;
  }

  void finish() override {
    bool need_kick = false;
    {
      std::lock_guard lock(ch_->mutex);
      if (ch_->finished || ch_->aborted) return;
      ch_->finished = true;
      need_kick = ch_->waiting;
      ch_->waiting = false;
    }
    ch_->cv.notify_all();
    if (need_kick) kick();
  }

  void abort() override {
    bool need_kick = false;
    {
      std::lock_guard lock(ch_->mutex);
      if (ch_->finished || ch_->aborted) return;
      ch_->aborted = true;
      ch_->waiting = false;
      need_kick = !ch_->closed;  // a closed channel's session is already done with it
    }
    ch_->cv.notify_all();
    if (need_kick) kick();
  }

  bool closed() const override {
    std::lock_guard lock(ch_->mutex);
    return ch_->closed || ch_->aborted || ch_->finished;
  }

 private:
  void kick();

  std::shared_ptr<StreamChannel> ch_;
  std::shared_ptr<HttpSession> session_;
};

// ---- the HTTP session -------------------------------------------------------------------

class HttpSession final : public SessionBase, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket&& socket, net::strand<net::io_context::executor_type> strand,
              std::shared_ptr<HttpServer::Core> core, AddressSlot slot)
      : stream_(std::move(socket)),
        core_(std::move(core)),
        slot_(std::move(slot)),
        timer_(strand),
        strand_(std::move(strand)) {
    remote_ = endpoint_text(stream_.socket(), false);
    local_ = endpoint_text(stream_.socket(), true);
  }

  ~HttpSession() override {
    if (channel_) channel_->close_from_session();  // never leave a producer blocked
  }

  void run() {
    id_ = core_->add_session(shared_from_this());
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_idle(); });
  }

  void request_stop() override {
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->on_stop(); });
  }
  void force_close() override {
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->close(); });
  }

  // Called through the ResponseSink, on the strand.
  void on_response(std::uint64_t seq, Response res);
  void on_stream_start(std::uint64_t seq, Response head, std::shared_ptr<StreamChannel> ch);
  void pump_stream();
  void wait_for_producer();

  net::any_io_executor executor() { return stream_.get_executor(); }
  const net::strand<net::io_context::executor_type>& strand() const { return strand_; }
  std::size_t stream_buffer_bytes() const { return core_->options.stream_buffer_bytes; }

 private:
  enum class State { idle, reading, handling, writing, streaming, lingering, closed };

  void do_idle();
  void do_read_request();
  void on_header(beast::error_code ec);
  void on_body(beast::error_code ec);
  void on_read_error(beast::error_code ec);
  void on_request();
  void on_stop();
  void send_error_and_close(int status, std::string_view detail, HeaderList headers = {});
  void refuse_for_body_budget();
  void after_write(beast::error_code ec);
  void linger();
  void close();

  template <class Body>
  void fill_head(http::response<Body>& out, const Response& r);
  void write_string(Response r);
  void write_file(Response r);
  void write_file_piece();
  void write_stream_piece(bool final_piece);
  std::shared_ptr<Request> request_from_header() const;

  beast::tcp_stream stream_;
  std::shared_ptr<HttpServer::Core> core_;
  AddressSlot slot_;  ///< this connection in max_connections_per_ip
  net::steady_timer timer_;  ///< handler timeout
  net::strand<net::io_context::executor_type> strand_;  ///< the socket's executor
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  // The bytes the body being read holds in the server's BodyBudget: its
  // Content-Length once the headers are in, or each chunk's size as its
  // header arrives. Moves into the Request (given back when it is destroyed).
  BodyReservation body_reservation_;
  std::function<void(std::uint64_t, std::string_view, beast::error_code&)> on_chunk_header_;
  bool over_body_budget_ = false;  ///< on_chunk_header_ refused a chunk
  std::string remote_;
  std::string local_;
  std::uint64_t id_ = 0;
  State state_ = State::idle;
  bool stop_requested_ = false;
  bool keep_alive_ = true;
  bool head_ = false;
  unsigned version_ = 11;
  std::uint64_t seq_ = 0;
  std::shared_ptr<Request> current_;
  std::chrono::steady_clock::time_point received_at_;

  // The response being written.
  std::shared_ptr<http::response<http::string_body>> string_res_;
  std::shared_ptr<http::response<http::buffer_body>> buffer_res_;
  std::shared_ptr<http::response_serializer<http::buffer_body>> serializer_;
  FilePtr file_;
  std::uint64_t file_remaining_ = 0;
  std::vector<char> file_buf_;
  std::shared_ptr<StreamChannel> channel_;
  std::string piece_;
  bool piece_in_flight_ = false;
  std::array<char, 8192> discard_{};
  std::size_t lingered_ = 0;
};

void StreamHandle::kick() {
  net::post(session_->executor(), [s = session_] { s->pump_stream(); });
}

/// The ResponseSink of one request: hops to the session's strand.
class SessionSink final : public ResponseSink {
 public:
  SessionSink(std::shared_ptr<HttpSession> s, std::uint64_t seq, bool head) : s_(std::move(s)), seq_(seq), head_(head) {}

  void send(Response response) override {
    net::post(s_->executor(), [s = s_, seq = seq_, r = std::move(response)]() mutable { s->on_response(seq, std::move(r)); });
  }

  std::shared_ptr<StreamWriter> start_stream(Response head) override {
    auto ch = std::make_shared<StreamChannel>();
    ch->high_water = std::max<std::size_t>(s_->stream_buffer_bytes(), 1);
    ch->strand = s_->strand();
    ch->closed = head_;  // HEAD: no body will be sent; the producer stops at its first write
    auto handle = std::make_shared<StreamHandle>(ch, s_);
    net::post(s_->executor(), [s = s_, seq = seq_, h = std::move(head), ch]() mutable {
      s->on_stream_start(seq, std::move(h), std::move(ch));
    });
    return handle;
  }

 private:
  std::shared_ptr<HttpSession> s_;
  std::uint64_t seq_;
  bool head_;
};

void HttpSession::do_idle() {
  if (state_ == State::closed) return;
  if (stop_requested_) return close();
  state_ = State::idle;
  if (buffer_.size() > 0) return do_read_request();  // a pipelined request is already here
  stream_.expires_after(core_->options.idle_timeout);
  stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
    if (ec) {
      fail(ec, "idle", self->remote_);
      return self->close();
    }
    self->buffer_.commit(n);
    self->do_read_request();
  });
}

void HttpSession::do_read_request() {
  if (state_ == State::closed) return;
  state_ = State::reading;
  received_at_ = std::chrono::steady_clock::now();
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(core_->options.header_limit, UINT32_MAX)));
  parser_->body_limit(core_->options.body_limit);
  body_reservation_ = BodyReservation(core_->body_budget);
  over_body_budget_ = false;
  if (core_->body_budget) {
    // Checked by the parser after body_limit (a chunk over it is still a 413).
    on_chunk_header_ = [this](std::uint64_t size, std::string_view, beast::error_code& ec) {
      if (body_reservation_.grow(size)) return;
      over_body_budget_ = true;
      ec = http::error::body_limit;
    };
    parser_->on_chunk_header(on_chunk_header_);
  }
  stream_.expires_after(core_->options.read_timeout);
  http::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->on_header(ec);
  });
}

void HttpSession::on_header(beast::error_code ec) {
  if (ec) return on_read_error(ec);
  auto& msg = parser_->get();
  // The body's bytes are taken from the server-wide budget before any is
  // read (and before a 100 Continue invites them).
  if (!body_reservation_.grow(parser_->content_length().value_or(0))) return refuse_for_body_budget();
  const bool expects_body = parser_->chunked() || parser_->content_length().value_or(0) > 0;
  if (expects_body && iequals(msg[http::field::expect], "100-continue")) {
    static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    net::async_write(stream_, net::buffer(kContinue), [self = shared_from_this()](beast::error_code wec, std::size_t) {
      if (wec) {
        fail(wec, "write 100-continue", self->remote_);
        return self->close();
      }
      http::async_read(self->stream_, self->buffer_, *self->parser_,
                       [self](beast::error_code rec, std::size_t) { self->on_body(rec); });
    });
    return;
  }
  http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code rec, std::size_t) {
    self->on_body(rec);
  });
}

void HttpSession::on_body(beast::error_code ec) {
  if (ec) return on_read_error(ec);
  on_request();
}

void HttpSession::on_read_error(beast::error_code ec) {
  if (over_body_budget_) return refuse_for_body_budget();
  if (ec == http::error::body_limit) {
    return send_error_and_close(413, "request body too large (limit " + std::to_string(core_->options.body_limit) + " bytes)");
  }
  if (ec == http::error::header_limit) return send_error_and_close(431, "request header too large");
  const bool parse_error = ec.category() == http::make_error_code(http::error::bad_method).category() &&
                           ec != http::error::end_of_stream && ec != http::error::partial_message;
  if (parse_error) {
    fail(ec, "parse", remote_);
    return send_error_and_close(400, "Bad Request");
  }
  fail(ec, "read", remote_);
  close();
}

std::shared_ptr<Request> HttpSession::request_from_header() const {
  auto req = std::make_shared<Request>();
  req->received_at = received_at_;
  req->remote_address = remote_;
  if (parser_ && parser_->got_some()) {
    // Whatever was parsed (the fields before the one that failed, say).
    const auto& msg = parser_->get();
    req->method = std::string(msg.method_string());
    req->target = std::string(msg.target());
    for (const auto& f : msg) req->headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  }
  auto q = req->target.find('?');
  req->path = req->target.substr(0, q);
  if (q != std::string::npos) req->query_string = req->target.substr(q + 1);
  return req;
}

void HttpSession::refuse_for_body_budget() {
  log::print(log::Level::debug, "http", "request body refused: max_buffered_body_bytes reached (", remote_, ")");
  body_reservation_.reset();
  if (parser_) std::string().swap(parser_->get().body());  // what was read of it (chunked) is dropped
  send_error_and_close(503, kBodyBudgetDetail, {{"Retry-After", std::string(kBodyBudgetRetryAfter)}});
}

void HttpSession::on_request() {
  auto msg = parser_->release();
  // The Request carries the reservation of its body: the bytes go back to
  // the budget when the last reference to it (a handler's, a responder's)
  // goes.
  struct RequestWithBody {
    Request request;
    BodyReservation reservation;
  };
  auto holder = std::make_shared<RequestWithBody>();
  holder->reservation = std::move(body_reservation_);
  std::shared_ptr<Request> req(holder, &holder->request);
  req->received_at = received_at_;
  req->remote_address = remote_;
  req->local_address = local_;
  req->method = std::string(msg.method_string());
  req->target = std::string(msg.target());
  for (const auto& f : msg) req->headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  auto q = req->target.find('?');
  req->path = req->target.substr(0, q);
  if (q != std::string::npos) req->query_string = req->target.substr(q + 1);
  if (req->path.empty() || req->path.front() != '/') return send_error_and_close(400, "Bad Request");

  keep_alive_ = msg.keep_alive() && !stop_requested_;
  version_ = msg.version();
  head_ = msg.method() == http::verb::head;

  // A non-canonical path is not an upgrade: dispatch() answers it 400.
  if (beast::websocket::is_upgrade(msg) && !core_->dispatcher.canonicalize(*req)) {
    if (auto hub = core_->find_hub(req->canonical_path)) {
      if (auto denied = core_->dispatcher.check_websocket(*req)) {
        core_->dispatcher.record(*req, "websocket:" + hub->path(), denied->status);
        keep_alive_ = false;
        state_ = State::writing;
        return write_string(std::move(*denied));
      }
      if (stop_requested_) return send_error_and_close(503, "Server is shutting down");
      core_->dispatcher.record(*req, "websocket:" + hub->path(), 101);
      WebSocketClientInfo info;
      info.path = hub->path();
      info.query_string = req->query_string;
      info.query = req->query;
      info.auth = req->auth;
      info.remote_address = remote_;
      state_ = State::closed;
      start_websocket_session(core_, std::move(stream_), std::move(msg), std::move(hub), std::move(info), std::move(slot_));
      core_->remove_session(id_);
      return;
    }
  }

  req->body = std::move(msg.body());
  current_ = req;
  state_ = State::handling;
  const auto seq = ++seq_;
  timer_.expires_after(core_->options.handler_timeout);
  timer_.async_wait([self = shared_from_this(), seq](beast::error_code ec) {
    if (ec || seq != self->seq_ || self->state_ != State::handling) return;
    log::RequestScope scope(self->current_->request_id);
    log::print(log::Level::warn, "http", self->current_->method, " ", self->current_->path, ": handler did not answer in time");
    auto res = Response::error(504, "Request handler timed out");
    self->core_->dispatcher.decorate(*self->current_, res);
    self->core_->dispatcher.record(*self->current_, self->current_->route, 504);
    self->keep_alive_ = false;
    self->on_response(seq, std::move(res));
  });
  core_->dispatcher.dispatch(req, std::make_shared<SessionSink>(shared_from_this(), seq, head_));
}

template <class Body>
void HttpSession::fill_head(http::response<Body>& out, const Response& r) {
  out.version(version_);
  out.result(r.status >= 100 && r.status <= 999 ? static_cast<unsigned>(r.status) : 500u);
  for (const auto& [name, value] : r.headers) out.insert(name, value);
  if (!core_->options.server_name.empty() && out.find(http::field::server) == out.end()) {
    out.set(http::field::server, core_->options.server_name);
  }
  out.keep_alive(keep_alive_ && !stop_requested_);
}

void HttpSession::on_response(std::uint64_t seq, Response res) {
  if (seq != seq_ || state_ != State::handling) {
    log::print(log::Level::debug, "http", "late response ", res.status, " dropped (", remote_, ")");
    return;
  }
  timer_.cancel();
  state_ = State::writing;
  if (res.file) return write_file(std::move(res));
  write_string(std::move(res));
}

void HttpSession::write_string(Response r) {
  string_res_ = std::make_shared<http::response<http::string_body>>();
  auto& out = *string_res_;
  fill_head(out, r);
  const bool bodiless = r.status < 200 || r.status == 204 || r.status == 304;
  if (!bodiless) out.content_length(r.body.size());
  if (!bodiless && !head_) out.body() = std::move(r.body);
  stream_.expires_after(core_->options.write_timeout);
  http::async_write(stream_, out, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->string_res_.reset();
    self->after_write(ec);
  });
}

void HttpSession::write_file(Response r) {
  const FileBody fb = *r.file;
  FilePtr f(std::fopen(fb.path.c_str(), "rb"));
  if (!f || (fb.offset > 0 && fseeko(f.get(), static_cast<off_t>(fb.offset), SEEK_SET) != 0)) {
    log::print(log::Level::warn, "http", "cannot open ", fb.path);
    auto err = Response::error(404, "Not Found");
    if (current_) core_->dispatcher.decorate(*current_, err);
    return write_string(std::move(err));
  }
  buffer_res_ = std::make_shared<http::response<http::buffer_body>>();
  fill_head(*buffer_res_, r);
  buffer_res_->content_length(fb.length);
  if (head_) {
    // Headers only: write them through a string response with the file's length.
    auto head = std::make_shared<http::response<http::string_body>>();
    fill_head(*head, r);
    head->content_length(fb.length);
    buffer_res_.reset();
    string_res_ = head;
    stream_.expires_after(core_->options.write_timeout);
    http::async_write(stream_, *head, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->string_res_.reset();
      self->after_write(ec);
    });
    return;
  }
  file_ = std::move(f);
  file_remaining_ = fb.length;
  file_buf_.resize(kFilePiece);
  buffer_res_->body().data = nullptr;
  buffer_res_->body().more = true;
  serializer_ = std::make_shared<http::response_serializer<http::buffer_body>>(*buffer_res_);
  write_file_piece();
}

void HttpSession::write_file_piece() {
  auto& body = buffer_res_->body();
  if (file_remaining_ == 0) {
    body.data = nullptr;
    body.size = 0;
    body.more = false;
  } else {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(file_remaining_, file_buf_.size()));
    const std::size_t got = std::fread(file_buf_.data(), 1, want, file_.get());
    if (got == 0) {
      log::write(log::Level::warn, "http", "file shrank while being served");
      return close();  // Content-Length promised more: the connection cannot be reused
    }
    file_remaining_ -= got;
    body.data = file_buf_.data();
    body.size = got;
    body.more = file_remaining_ > 0;
  }
  stream_.expires_after(core_->options.write_timeout);
  http::async_write(stream_, *serializer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec == http::error::need_buffer) ec = {};
    if (ec) {
      fail(ec, "write file", self->remote_);
      return self->close();
    }
    if (!self->serializer_->is_done()) return self->write_file_piece();
    self->serializer_.reset();
    self->buffer_res_.reset();
    self->file_.reset();
    self->after_write({});
  });
}

void HttpSession::on_stream_start(std::uint64_t seq, Response head, std::shared_ptr<StreamChannel> ch) {
  if (seq != seq_ || state_ != State::handling) {
    ch->close_from_session();
    return;
  }
  timer_.cancel();
  state_ = State::streaming;
  channel_ = std::move(ch);
  buffer_res_ = std::make_shared<http::response<http::buffer_body>>();
  head.headers.erase(std::remove_if(head.headers.begin(), head.headers.end(),
                                    [](const auto& h) { return iequals(h.first, "Content-Length"); }),
                     head.headers.end());
  fill_head(*buffer_res_, head);
  buffer_res_->chunked(true);
  buffer_res_->body().data = nullptr;
  buffer_res_->body().more = true;
  serializer_ = std::make_shared<http::response_serializer<http::buffer_body>>(*buffer_res_);
  if (head_) {
    // HEAD: the headers only; the producer stops at its first write.
    channel_->close_from_session();
    channel_.reset();
    stream_.expires_after(core_->options.write_timeout);
    http::async_write_header(stream_, *serializer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->serializer_.reset();
      self->buffer_res_.reset();
      self->after_write(ec);
    });
    return;
  }
  write_stream_piece(false);
}

void HttpSession::write_stream_piece(bool final_piece) {
  auto& body = buffer_res_->body();
  if (final_piece) {
    body.data = nullptr;
    body.size = 0;
    body.more = false;
  } else if (!piece_.empty()) {
    body.data = piece_.data();
    body.size = piece_.size();
    body.more = true;
  }
  stream_.expires_after(core_->options.write_timeout);
  piece_in_flight_ = true;
  http::async_write(stream_, *serializer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec == http::error::need_buffer) ec = {};
    self->piece_in_flight_ = false;
    self->piece_.clear();
    if (ec) {
      fail(ec, "write stream", self->remote_);
      return self->close();
    }
    if (self->serializer_->is_done()) {
      self->serializer_.reset();
      self->buffer_res_.reset();
      self->channel_->close_from_session();
      self->channel_.reset();
      return self->after_write({});
    }
    self->pump_stream();
  });
}

void HttpSession::pump_stream() {
  if (state_ != State::streaming || !channel_ || !serializer_) return;
  if (piece_in_flight_) return;  // its completion pumps again
  bool final_piece = false;
  bool aborted = false;
  {
    std::lock_guard lock(channel_->mutex);
    if (channel_->aborted) {
      // The producer gave up: end the connection without the last chunk.
      channel_->closed = aborted = true;
    } else if (!channel_->pending.empty()) {
      piece_.swap(channel_->pending);
      channel_->pending.clear();
    } else if (channel_->finished) {
      final_piece = true;
    } else {
      channel_->waiting = true;
    }
  }
  if (!aborted && !final_piece && piece_.empty()) return wait_for_producer();
  timer_.cancel();
  channel_->cv.notify_all();
  if (aborted) {
    log::print(log::Level::debug, "http", "stream aborted by its producer (", remote_, ")");
    return close();
  }
  write_stream_piece(final_piece);
}

void HttpSession::wait_for_producer() {
  // A producer that sends nothing for handler_timeout is given up on, so a
  // stuck one cannot hold the connection forever.
  timer_.expires_after(core_->options.handler_timeout);
  timer_.async_wait([self = shared_from_this(), seq = seq_](beast::error_code ec) {
    if (ec || seq != self->seq_ || self->state_ != State::streaming || !self->channel_) return;
    {
      std::lock_guard lock(self->channel_->mutex);
      if (!self->channel_->waiting) return;
    }
    log::print(log::Level::warn, "http", "stream producer idle for too long; closing (", self->remote_, ")");
    self->close();
  });
}

void HttpSession::after_write(beast::error_code ec) {
  if (ec) {
    fail(ec, "write", remote_);
    return close();
  }
  current_.reset();
  if (!keep_alive_ || stop_requested_) return close();
  do_idle();
}

void HttpSession::send_error_and_close(int status, std::string_view detail, HeaderList headers) {
  auto req = request_from_header();
  auto res = Response::error(status, detail);
  for (auto& [name, value] : headers) res.set_header(std::move(name), std::move(value));
  core_->dispatcher.decorate(*req, res);
  std::string route = "unmatched";
  if (!req->method.empty()) {
    auto m = core_->dispatcher.router().match(req->method, req->path);
    if (m.outcome == Router::Outcome::found) route = m.pattern;
  }
  core_->dispatcher.record(*req, route, status);
  head_ = req->method == "HEAD";
  keep_alive_ = false;
  ++seq_;  // a late handler answer (none expected) would be ignored
  state_ = State::writing;
  string_res_ = std::make_shared<http::response<http::string_body>>();
  fill_head(*string_res_, res);
  string_res_->content_length(res.body.size());
  if (!head_) string_res_->body() = std::move(res.body);
  stream_.expires_after(core_->options.write_timeout);
  http::async_write(stream_, *string_res_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->string_res_.reset();
    if (ec) {
      fail(ec, "write error response", self->remote_);
      return self->close();
    }
    self->linger();
  });
}

void HttpSession::linger() {
  // Half-close and read (and drop) what the client is still sending for a
  // while, so that it reads our answer instead of a connection reset.
  state_ = State::lingering;
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) return close();
  lingered_ = 0;
  buffer_.consume(buffer_.size());
  stream_.expires_after(std::min<std::chrono::milliseconds>(core_->options.read_timeout, kLingerMax));
  struct Drain {
    std::shared_ptr<HttpSession> self;
    void operator()(beast::error_code ec, std::size_t n) {
      self->lingered_ += n;
      if (ec || self->lingered_ > kLingerBytes || self->state_ != State::lingering) return self->close();
      self->stream_.async_read_some(net::buffer(self->discard_), std::move(*this));
    }
  };
  stream_.async_read_some(net::buffer(discard_), Drain{shared_from_this()});
}

void HttpSession::on_stop() {
  stop_requested_ = true;
  if (state_ == State::idle) close();
  // Otherwise the request in flight finishes and after_write() closes.
}

void HttpSession::close() {
  if (state_ == State::closed) return;
  state_ = State::closed;
  timer_.cancel();
  body_reservation_.reset();
  slot_.release();
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
  stream_.close();
  if (channel_) {
    channel_->close_from_session();
    channel_.reset();
  }
  core_->remove_session(id_);
}

// ---- Core -------------------------------------------------------------------------------

HttpServer::Core::Core(net::io_context& io, std::shared_ptr<const Router> router, HttpServerOptions opts)
    : ioc(io),
      options(std::move(opts)),
      dispatcher(std::move(router), options.dispatch),
      strand(net::make_strand(io)),
      acceptor(strand),
      stop_timer(strand),
      max_connections(options.max_connections),
      accept_timer(strand),
      accept_error_log(kRefusalLogInterval),
      full_log(kRefusalLogInterval),
      per_ip_log(kRefusalLogInterval) {
  if (options.max_buffered_body_bytes > 0) {
    // One body as large as body_limit always fits when nothing else is buffered.
    body_budget = std::make_shared<BodyBudget>(std::max(options.max_buffered_body_bytes, options.body_limit));
  }
  if (dispatcher.metrics()) {
    connections_gauge = &dispatcher.metrics()->gauge("callwire_http_connections", "Open connections, WebSocket ones included")->labels({});
    accept_errors_counter =
        &dispatcher.metrics()
             ->counter("callwire_http_accept_errors_total", "Failed accepts (out of file descriptors or memory, ...)")
             ->labels({});
    refused_counter = dispatcher.metrics()
                          ->counter("callwire_http_connections_refused_total",
                                    "Connections closed at once: max_connections or max_connections_per_ip reached",
                                    {"reason"})
                          .get();
  }
}

std::uint64_t HttpServer::Core::add_session(const std::shared_ptr<SessionBase>& s) {
  std::lock_guard lock(mutex);
  const auto id = next_id++;
  sessions[id] = s;
  if (connections_gauge) connections_gauge->inc();
  if (stopping) s->request_stop();
  return id;
}

void HttpServer::Core::remove_session(std::uint64_t id) {
  std::unique_lock lock(mutex);
  if (sessions.erase(id) == 0) return;
  if (connections_gauge) connections_gauge->dec();
  maybe_finish_stop(lock);
}

bool HttpServer::Core::is_stopping() {
  std::lock_guard lock(mutex);
  return stopping;
}

bool HttpServer::Core::take_address(const net::ip::address& address) {
  std::lock_guard lock(mutex);
  auto& n = per_address[address];  // max_connections_per_ip > 0: never left at 0
  if (n >= options.max_connections_per_ip) return false;
  ++n;
  return true;
}

void HttpServer::Core::release_address(const net::ip::address& address) {
  std::lock_guard lock(mutex);
  auto it = per_address.find(address);
  if (it == per_address.end()) return;
  if (--it->second == 0) per_address.erase(it);
}

std::shared_ptr<WebSocketHub> HttpServer::Core::find_hub(std::string_view path) const {
  auto it = hubs.find(std::string(path));
  return it == hubs.end() ? nullptr : it->second;
}

void HttpServer::Core::do_accept() {
  auto session_strand = net::make_strand(ioc);
  acceptor.async_accept(session_strand, [self = shared_from_this(), session_strand](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !self->acceptor.is_open()) return;
    if (ec) return self->on_accept_error(ec);  // retries after a pause, never at once
    if (self->accept_backoff.count() != 0) {
      self->accept_backoff = std::chrono::milliseconds(0);
      std::uint64_t suppressed = 0;
      if (self->accept_error_log.ended(std::chrono::steady_clock::now(), suppressed)) {
        log::print(log::Level::warn, "http", "accepting again (", suppressed, " more accept errors since the last report)");
      }
    }
    if (self->is_stopping()) {
      beast::error_code ignored;
      socket.close(ignored);
    } else if (auto slot = self->admit(socket)) {
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      std::make_shared<HttpSession>(std::move(socket), session_strand, self, std::move(*slot))->run();
    } else {
      beast::error_code ignored;
      socket.close(ignored);
    }
    self->do_accept();
  });
}

std::optional<AddressSlot> HttpServer::Core::admit(const tcp::socket& socket) {
  // Refusals are logged like accept errors: the first at once, then at most
  // one line per interval with a count (a client could otherwise make the
  // server write a line per connection it opens).
  const auto now = std::chrono::steady_clock::now();
  std::uint64_t suppressed = 0;
  bool full = false;
  {
    std::lock_guard lock(mutex);
    full = sessions.size() >= max_connections.load();
  }
  if (full) {
    if (refused_counter) refused_counter->labels({"max_connections"}).inc();
    if (full_log.occurred(now, suppressed)) {
      log::print(log::Level::warn, "http", "connection limit (", max_connections.load(), ") reached; closing new connections (",
                 suppressed, " more since the last report)");
    }
    return std::nullopt;
  }
  if (options.max_connections_per_ip == 0) return AddressSlot();
  beast::error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  if (ec) return std::nullopt;  // already gone
  auto address = endpoint.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6());
  }
  if (!take_address(address)) {
    if (refused_counter) refused_counter->labels({"max_connections_per_ip"}).inc();
    if (per_ip_log.occurred(now, suppressed)) {
      log::print(log::Level::warn, "http", "connection limit per address (", options.max_connections_per_ip, ") reached by ",
                 address.to_string(), "; closing its new connections (", suppressed,
                 " more refused for some address since the last report)");
    }
    return std::nullopt;
  }
  return AddressSlot(shared_from_this(), std::move(address));
}

void HttpServer::Core::on_accept_error(const beast::error_code& ec) {
  // EMFILE, ENFILE, ENOBUFS, ENOMEM...: the pending connection stays in the
  // backlog and the listener stays readable, so accepting again at once
  // would fail again at once — a busy core and a flood of identical lines.
  if (accept_errors_counter) accept_errors_counter->inc();
  accept_backoff = accept_backoff.count() == 0 ? kAcceptBackoffMin : std::min(accept_backoff * 2, kAcceptBackoffMax);
  std::uint64_t suppressed = 0;
  if (accept_error_log.occurred(std::chrono::steady_clock::now(), suppressed)) {
    log::print(log::Level::warn, "http", "accept: ", ec.message(), "; retrying in ", accept_backoff.count(), " ms (",
               suppressed, " more accept errors since the last report; reported at most every ",
               kRefusalLogInterval.count(), " s)");
  }
  accept_timer.expires_after(accept_backoff);
  accept_timer.async_wait([self = shared_from_this()](beast::error_code tec) {
    if (tec || !self->acceptor.is_open()) return;  // canceled by begin_stop
    self->do_accept();
  });
}

void HttpServer::Core::maybe_finish_stop(std::unique_lock<std::mutex>& lock) {
  if (!stopping || stopped || accepting || !sessions.empty()) return;
  stopped = true;
  auto callbacks = std::move(on_stopped);
  on_stopped.clear();
  lock.unlock();
  net::post(strand, [self = shared_from_this()] { self->stop_timer.cancel(); });
  for (auto& cb : callbacks) {
    if (cb) cb();
  }
}

void HttpServer::Core::begin_stop(std::function<void()> done) {
  std::vector<std::shared_ptr<SessionBase>> live;
  {
    std::unique_lock lock(mutex);
    if (stopped) {
      lock.unlock();
      if (done) done();
      return;
    }
    if (done) on_stopped.push_back(std::move(done));
    if (stopping) return;
    stopping = true;
    if (!accepting) {
      // Never started: nothing to close (and the io_context may not run).
      maybe_finish_stop(lock);
      return;
    }
    for (const auto& [id, weak] : sessions) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  net::dispatch(strand, [self = shared_from_this()] {
    beast::error_code ec;
    self->acceptor.close(ec);
    self->accept_timer.cancel();  // a listener backing off after accept errors
    self->stop_timer.expires_after(self->options.stop_timeout);
    self->stop_timer.async_wait([self](beast::error_code tec) {
      if (tec) return;
      log::write(log::Level::warn, "http", "stop timeout: closing the remaining connections");
      self->close_now();
    });
    std::unique_lock lock(self->mutex);
    self->accepting = false;
    self->maybe_finish_stop(lock);
  });
  for (const auto& s : live) s->request_stop();
}

void HttpServer::Core::close_now() {
  std::vector<std::shared_ptr<SessionBase>> live;
  {
    std::lock_guard lock(mutex);
    for (const auto& [id, weak] : sessions) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (const auto& s : live) s->force_close();
}

// ---- HttpServer ---------------------------------------------------------------------------

HttpServer::HttpServer(boost::asio::io_context& ioc, std::shared_ptr<const Router> router, HttpServerOptions options)
    : core_(std::make_shared<Core>(ioc, std::move(router), std::move(options))) {}

HttpServer::~HttpServer() {
  core_->begin_stop({});
  core_->close_now();
}

std::shared_ptr<WebSocketHub> HttpServer::add_websocket(const std::string& path, WebSocketOptions options) {
  auto hub = std::make_shared<WebSocketHub>(strip_trailing_slash(path), options, core_->dispatcher.metrics());
  add_websocket(hub);
  return hub;
}

void HttpServer::add_websocket(std::shared_ptr<WebSocketHub> hub) {
  if (!hub) throw Error(errc::invalid_argument, "WebSocket hub is null");
  auto path = strip_trailing_slash(hub->path());
  if (!core_->hubs.emplace(path, std::move(hub)).second) {
    throw Error(errc::invalid_argument, "a WebSocket hub is already registered on " + path);
  }
}

void HttpServer::start() {
  auto& c = *core_;
  {
    std::lock_guard lock(c.mutex);
    if (c.accepting || c.stopping) throw Error(errc::invalid_argument, "HttpServer::start: already started or stopped");
  }
  beast::error_code ec;
  const std::string host = c.options.host == "localhost" ? "127.0.0.1" : c.options.host;
  auto address = net::ip::make_address(host, ec);
  if (ec) throw Error(errc::invalid_argument, "listen address '" + c.options.host + "' is not an IP address");
  const tcp::endpoint ep(address, c.options.port);
  auto failed = [&](const char* what) {
    return Error(errc::unavailable, std::string("cannot listen on ") + c.options.host + ":" +
                                        std::to_string(c.options.port) + ": " + what + ": " + ec.message());
  };
  c.acceptor.open(ep.protocol(), ec);
  if (ec) throw failed("open");
  c.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (ec) throw failed("set_option");
  c.acceptor.bind(ep, ec);
  if (ec) throw failed("bind");
  c.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) throw failed("listen");
  c.bound_port = c.acceptor.local_endpoint().port();
  // Every connection is a file descriptor: keep max_connections below the
  // open-file limit, with room for the process's other files.
  if (const auto fd_limit = open_file_limit(c.options.raise_fd_limit); fd_limit > 0) {
    const auto room = connection_room(fd_limit);
    if (c.options.max_connections > room) {
      c.max_connections = static_cast<std::size_t>(room);
      log::print(log::Level::info, "http", "max_connections ", c.options.max_connections, " lowered to ", room,
                 ": the open-file limit is ", fd_limit, " and ", fd_limit - room, " are kept for other files");
    }
  }
  {
    std::lock_guard lock(c.mutex);
    c.accepting = true;
  }
  net::dispatch(c.strand, [core = core_] { core->do_accept(); });
  log::print(log::Level::info, "http", "listening on ", c.options.host, ":", c.bound_port.load());
}

std::uint16_t HttpServer::port() const noexcept { return core_->bound_port.load(); }
const std::string& HttpServer::host() const noexcept { return core_->options.host; }

void HttpServer::stop(std::function<void()> on_stopped) { core_->begin_stop(std::move(on_stopped)); }

bool HttpServer::stopped() const noexcept {
  std::lock_guard lock(core_->mutex);
  return core_->stopped;
}

std::size_t HttpServer::max_connections() const noexcept { return core_->max_connections.load(); }

std::size_t HttpServer::buffered_body_bytes() const noexcept {
  return core_->body_budget ? core_->body_budget->used() : 0;
}

std::size_t HttpServer::connection_count() const noexcept {
  std::lock_guard lock(core_->mutex);
  return core_->sessions.size();
}

const Dispatcher& HttpServer::dispatcher() const noexcept { return core_->dispatcher; }

}  // namespace callwire::server
