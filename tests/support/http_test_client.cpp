// The same Beast configuration as the library (src/CMakeLists.txt).
#ifndef BOOST_ASIO_NO_DEPRECATED
#define BOOST_ASIO_NO_DEPRECATED
#endif
#ifndef BOOST_BEAST_USE_STD_STRING_VIEW
#define BOOST_BEAST_USE_STD_STRING_VIEW
#endif

#include "http_test_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <cctype>
#include <functional>
#include <limits>
#include <stdexcept>

namespace callwire::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

/// Runs `ioc` until `done` or the deadline. Returns done.
bool run_until(net::io_context& ioc, const bool& done, Clock::time_point deadline) {
  while (!done) {
    if (Clock::now() >= deadline) return false;
    ioc.restart();
    ioc.run_one_until(deadline);
  }
  return true;
}

/// Connects `socket` (already opened when a receive buffer is wanted).
void connect_socket(net::io_context& ioc, tcp::socket& socket, const std::string& host, std::uint16_t port,
                    int receive_buffer, std::chrono::milliseconds timeout) {
  const tcp::endpoint ep(net::ip::make_address(host), port);
  if (receive_buffer > 0) {
    socket.open(ep.protocol());
    socket.set_option(net::socket_base::receive_buffer_size(receive_buffer));
  }
  bool done = false;
  beast::error_code result;
  socket.async_connect(ep, [&](beast::error_code ec) {
    result = ec;
    done = true;
  });
  if (!run_until(ioc, done, Clock::now() + timeout)) {
    beast::error_code ignored;
    socket.close(ignored);
    run_until(ioc, done, Clock::now() + std::chrono::seconds(5));
    throw std::runtime_error("connect timed out");
  }
  if (result) throw std::runtime_error("connect: " + result.message());
  socket.set_option(tcp::no_delay(true));
}

template <class Fields>
HeaderPairs copy_headers(const Fields& f) {
  HeaderPairs out;
  for (const auto& h : f) out.emplace_back(std::string(h.name_string()), std::string(h.value()));
  return out;
}

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (iequal(k, name)) return v;
  }
  return std::nullopt;
}

// ---- HTTP --------------------------------------------------------------------------

struct HttpTestClient::Impl {
  std::string host;
  std::uint16_t port;
  std::chrono::milliseconds timeout;
  net::io_context ioc;
  tcp::socket socket{ioc};
  beast::flat_buffer buffer;
  int receive_buffer = 0;
  std::size_t connects = 0;

  /// Runs one async operation to completion or throws on timeout (closing
  /// the socket).
  template <class Start>
  beast::error_code run(Start start, const char* what) {
    bool done = false;
    beast::error_code result;
    start([&](beast::error_code ec, std::size_t = 0) {
      result = ec;
      done = true;
    });
    if (!run_until(ioc, done, Clock::now() + timeout)) {
      beast::error_code ignored;
      socket.close(ignored);
      run_until(ioc, done, Clock::now() + std::chrono::seconds(5));
      throw std::runtime_error(std::string(what) + " timed out");
    }
    return result;
  }
};

HttpTestClient::HttpTestClient(std::uint16_t port, std::string host, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
  impl_->timeout = timeout;
}

HttpTestClient::~HttpTestClient() { close(); }

void HttpTestClient::connect() {
  close();
  impl_->socket = tcp::socket(impl_->ioc);
  impl_->buffer.clear();
  connect_socket(impl_->ioc, impl_->socket, impl_->host, impl_->port, impl_->receive_buffer, impl_->timeout);
  ++impl_->connects;
}

bool HttpTestClient::is_open() const { return impl_->socket.is_open(); }

void HttpTestClient::close() {
  beast::error_code ec;
  if (impl_->socket.is_open()) {
    impl_->socket.shutdown(tcp::socket::shutdown_both, ec);
    impl_->socket.close(ec);
  }
}

void HttpTestClient::set_receive_buffer(int bytes) { impl_->receive_buffer = bytes; }
std::size_t HttpTestClient::connects() const noexcept { return impl_->connects; }

void HttpTestClient::send_raw(std::string_view bytes) {
  if (!is_open()) connect();
  auto ec = impl_->run(
      [&](auto handler) { net::async_write(impl_->socket, net::buffer(bytes.data(), bytes.size()), handler); }, "write");
  if (ec) throw std::runtime_error("write: " + ec.message());
}

HttpResponse HttpTestClient::read_response(bool head_request) {
  http::response_parser<http::string_body> parser;
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  parser.skip(head_request);
  std::size_t chunks = 0;
  std::function<void(std::uint64_t, std::string_view, beast::error_code&)> on_chunk =
      [&](std::uint64_t size, std::string_view, beast::error_code&) {
        if (size > 0) ++chunks;
      };
  parser.on_chunk_header(on_chunk);
  auto ec = impl_->run([&](auto handler) { http::async_read(impl_->socket, impl_->buffer, parser, handler); }, "read");
  if (ec) {
    close();
    throw std::runtime_error("read response: " + ec.message());
  }
  auto msg = parser.release();
  HttpResponse out;
  out.status = static_cast<int>(msg.result_int());
  out.headers = copy_headers(msg);
  out.body = std::move(msg.body());
  out.keep_alive = msg.keep_alive();
  out.chunked = msg.chunked();
  out.chunks = chunks;
  if (!out.keep_alive) close();
  return out;
}

HttpResponse HttpTestClient::read_head() {
  http::response_parser<http::string_body> parser;
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  auto ec =
      impl_->run([&](auto handler) { http::async_read_header(impl_->socket, impl_->buffer, parser, handler); }, "read");
  if (ec) throw std::runtime_error("read head: " + ec.message());
  const auto& msg = parser.get();
  HttpResponse out;
  out.status = static_cast<int>(msg.result_int());
  out.headers = copy_headers(msg);
  out.keep_alive = msg.keep_alive();
  out.chunked = msg.chunked();
  return out;
}

bool HttpTestClient::wait_closed_by_peer(std::chrono::milliseconds wait) {
  if (!is_open()) return true;
  if (impl_->buffer.size() > 0) throw std::runtime_error("unread data on the connection");
  char byte = 0;
  bool done = false;
  beast::error_code result;
  std::size_t got = 0;
  impl_->socket.async_read_some(net::buffer(&byte, 1), [&](beast::error_code ec, std::size_t n) {
    result = ec;
    got = n;
    done = true;
  });
  if (!run_until(impl_->ioc, done, Clock::now() + wait)) {
    impl_->socket.cancel();
    run_until(impl_->ioc, done, Clock::now() + std::chrono::seconds(5));
    if (result == net::error::operation_aborted) return false;
  }
  if (!result && got > 0) throw std::runtime_error("data arrived while waiting for the server to close");
  close();
  return true;
}

HttpResponse HttpTestClient::request(std::string_view method, std::string_view target, std::string body,
                                     const HeaderPairs& headers) {
  if (!is_open()) connect();
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(http::field::host, impl_->host + ":" + std::to_string(impl_->port));
  req.set(http::field::user_agent, "callwire-test");
  for (const auto& [k, v] : headers) {
    if (beast::iequals(k, "Host")) req.set(http::field::host, v);  // replaces the default
    else req.insert(k, v);
  }
  const bool has_body = !body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
  req.body() = std::move(body);
  if (has_body) req.prepare_payload();
  auto ec = impl_->run([&](auto handler) { http::async_write(impl_->socket, req, handler); }, "write");
  if (ec) {
    close();
    throw std::runtime_error("write request: " + ec.message());
  }
  return read_response(method == "HEAD");
}

HttpResponse HttpTestClient::get(std::string_view target, const HeaderPairs& headers) {
  return request("GET", target, {}, headers);
}

HttpResponse HttpTestClient::post(std::string_view target, std::string body, const HeaderPairs& headers) {
  HeaderPairs h = headers;
  bool has_type = false;
  for (const auto& [k, v] : h) has_type = has_type || iequal(k, "Content-Type");
  if (!has_type) h.emplace_back("Content-Type", "application/json");
  return request("POST", target, std::move(body), h);
}

HttpResponse HttpTestClient::put(std::string_view target, std::string body, const HeaderPairs& headers) {
  HeaderPairs h = headers;
  bool has_type = false;
  for (const auto& [k, v] : h) has_type = has_type || iequal(k, "Content-Type");
  if (!has_type) h.emplace_back("Content-Type", "application/json");
  return request("PUT", target, std::move(body), h);
}

HttpResponse HttpTestClient::del(std::string_view target, const HeaderPairs& headers) {
  return request("DELETE", target, {}, headers);
}

// ---- WebSocket --------------------------------------------------------------------------

struct WebSocketTestClient::Impl {
  net::io_context ioc;
  websocket::stream<tcp::socket> ws{ioc};
  beast::flat_buffer buffer;
  std::chrono::milliseconds timeout{10000};
  int pings = 0;
  // A pending read (continued across next() calls).
  bool reading = false;
  bool read_done = false;
  beast::error_code read_ec;

  void handshake(std::uint16_t port, const std::string& target, const Options& o, websocket::response_type& res,
                 beast::error_code& result) {
    connect_socket(ioc, ws.next_layer(), o.host, port, o.receive_buffer, o.timeout);
    timeout = o.timeout;
    HeaderPairs headers = o.headers;
    ws.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
      for (const auto& [k, v] : headers) req.set(k, v);
    }));
    ws.control_callback([this](websocket::frame_type kind, std::string_view) {
      if (kind == websocket::frame_type::ping) ++pings;
    });
    bool done = false;
    ws.async_handshake(res, o.host + ":" + std::to_string(port), target, [&](beast::error_code ec) {
      result = ec;
      done = true;
    });
    if (!run_until(ioc, done, Clock::now() + timeout)) {
      beast::error_code ignored;
      ws.next_layer().close(ignored);
      run_until(ioc, done, Clock::now() + std::chrono::seconds(5));
      throw std::runtime_error("websocket handshake timed out");
    }
  }
};

WebSocketTestClient::WebSocketTestClient(std::uint16_t port, std::string target)
    : WebSocketTestClient(port, std::move(target), Options{}) {}

WebSocketTestClient::WebSocketTestClient(std::uint16_t port, std::string target, Options options)
    : impl_(std::make_unique<Impl>()) {
  websocket::response_type res;
  beast::error_code ec;
  impl_->handshake(port, target, options, res, ec);
  if (ec) {
    throw std::runtime_error("websocket upgrade of " + target + " refused: HTTP " + std::to_string(res.result_int()) +
                             " " + res.body() + " (" + ec.message() + ")");
  }
}

WebSocketTestClient::~WebSocketTestClient() {
  beast::error_code ec;
  impl_->ws.next_layer().close(ec);
}

int WebSocketTestClient::try_connect(std::uint16_t port, std::string target, Options options, std::string* body) {
  Impl impl;
  websocket::response_type res;
  beast::error_code ec;
  impl.handshake(port, target, options, res, ec);
  if (body) *body = res.body();
  if (!ec) {
    beast::error_code ignored;
    impl.ws.next_layer().close(ignored);
    return 101;
  }
  if (res.result_int() == 0) throw std::runtime_error("websocket upgrade failed: " + ec.message());
  return static_cast<int>(res.result_int());
}

WsEvent WebSocketTestClient::next(std::chrono::milliseconds wait) {
  auto& i = *impl_;
  if (!i.reading) {
    i.reading = true;
    i.read_done = false;
    i.buffer.consume(i.buffer.size());
    i.ws.async_read(i.buffer, [&i](beast::error_code ec, std::size_t) {
      i.read_ec = ec;
      i.read_done = true;
    });
  }
  WsEvent ev;
  if (!run_until(i.ioc, i.read_done, Clock::now() + wait)) {
    ev.kind = WsEvent::Kind::timeout;
    return ev;
  }
  i.reading = false;
  if (i.read_ec == websocket::error::closed) {
    ev.kind = WsEvent::Kind::closed;
    ev.close_code = i.ws.reason().code;
    return ev;
  }
  if (i.read_ec) {
    ev.kind = WsEvent::Kind::error;
    ev.error = i.read_ec.message();
    return ev;
  }
  ev.kind = WsEvent::Kind::message;
  const auto data = i.buffer.cdata();
  ev.text.assign(static_cast<const char*>(data.data()), data.size());
  return ev;
}

std::string WebSocketTestClient::read_text(std::chrono::milliseconds wait) {
  auto ev = next(wait);
  switch (ev.kind) {
    case WsEvent::Kind::message: return ev.text;
    case WsEvent::Kind::timeout: throw std::runtime_error("websocket read timed out");
    case WsEvent::Kind::closed: throw std::runtime_error("websocket closed with code " + std::to_string(ev.close_code));
    case WsEvent::Kind::error: throw std::runtime_error("websocket read failed: " + ev.error);
  }
  return {};
}

void WebSocketTestClient::send(std::string_view text) {
  auto& i = *impl_;
  bool done = false;
  beast::error_code result;
  i.ws.text(true);
  i.ws.async_write(net::buffer(text.data(), text.size()), [&](beast::error_code ec, std::size_t) {
    result = ec;
    done = true;
  });
  if (!run_until(i.ioc, done, Clock::now() + i.timeout)) throw std::runtime_error("websocket write timed out");
  if (result) throw std::runtime_error("websocket write: " + result.message());
}

void WebSocketTestClient::close(int code) {
  auto& i = *impl_;
  bool done = false;
  i.ws.async_close(websocket::close_reason(static_cast<std::uint16_t>(code)), [&](beast::error_code) { done = true; });
  run_until(i.ioc, done, Clock::now() + i.timeout);
  if (i.reading) run_until(i.ioc, i.read_done, Clock::now() + i.timeout);
  i.reading = false;
}

int WebSocketTestClient::pings() const noexcept { return impl_->pings; }

}  // namespace callwire::test
