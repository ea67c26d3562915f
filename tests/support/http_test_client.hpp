// Test helpers: a small blocking HTTP/1.1 client and WebSocket client over
// Beast, for loopback servers in the test suites. Beast-free header.
//
// To use them in a suite, add ../support/http_test_client.cpp to the suite's
// SOURCES (it sets the same Beast configuration macros as the library).
//
// Every operation has a deadline (the client's timeout, or the one given) and
// throws std::runtime_error when it fails or runs out of time — except the
// few calls documented to report a timeout as a value. Not thread-safe: use
// one client per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace callwire::test {

using HeaderPairs = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  int status = 0;
  HeaderPairs headers;
  std::string body;
  bool keep_alive = true;
  bool chunked = false;
  std::size_t chunks = 0;  ///< non-empty chunks received (chunked responses)

  /// First header of that name (case-insensitive).
  std::optional<std::string> header(std::string_view name) const;
};

class HttpTestClient {
 public:
  explicit HttpTestClient(std::uint16_t port, std::string host = "127.0.0.1",
                          std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~HttpTestClient();
  HttpTestClient(const HttpTestClient&) = delete;
  HttpTestClient& operator=(const HttpTestClient&) = delete;

  /// Sends one request on the kept-alive connection (connecting first when
  /// there is none) and reads the answer. Adds Host, and Content-Length
  /// when there is a body. Closes the connection when the answer says so.
  HttpResponse request(std::string_view method, std::string_view target, std::string body = {},
                       const HeaderPairs& headers = {});
  HttpResponse get(std::string_view target, const HeaderPairs& headers = {});
  /// Content-Type: application/json unless `headers` has one.
  HttpResponse post(std::string_view target, std::string body, const HeaderPairs& headers = {});
  HttpResponse put(std::string_view target, std::string body, const HeaderPairs& headers = {});
  HttpResponse del(std::string_view target, const HeaderPairs& headers = {});

  // ---- raw access (protocol tests) ----------------------------------------------
  void connect();
  bool is_open() const;
  void close();
  /// Writes bytes as they are.
  void send_raw(std::string_view bytes);
  /// Reads one response from the connection (`head_request`: no body follows).
  HttpResponse read_response(bool head_request = false);
  /// Reads the status line and headers of a response and stops (for streams
  /// the test abandons).
  HttpResponse read_head();
  /// True when the server closes the connection (end of stream or reset)
  /// within `wait`; false when the connection is still open after it.
  /// Throws if data arrives instead.
  bool wait_closed_by_peer(std::chrono::milliseconds wait);
  /// SO_RCVBUF for the next connect() (0: system default).
  void set_receive_buffer(int bytes);
  /// TCP connections opened so far (keep-alive checks).
  std::size_t connects() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// One event read from a WebSocket.
struct WsEvent {
  enum class Kind { message, timeout, closed, error };
  Kind kind = Kind::timeout;
  std::string text;     ///< message
  int close_code = 0;   ///< closed: the code of the peer's close frame
  std::string error;    ///< error: what happened (reset, end of stream, ...)
};

class WebSocketTestClient {
 public:
  struct Options {
    HeaderPairs headers;
    std::string host = "127.0.0.1";
    std::chrono::milliseconds timeout = std::chrono::seconds(10);
    int receive_buffer = 0;  ///< SO_RCVBUF; 0: system default
  };

  /// Connects and upgrades; throws std::runtime_error (with the HTTP status
  /// in the message) when the server declines.
  WebSocketTestClient(std::uint16_t port, std::string target, Options options);
  WebSocketTestClient(std::uint16_t port, std::string target);
  ~WebSocketTestClient();
  WebSocketTestClient(const WebSocketTestClient&) = delete;
  WebSocketTestClient& operator=(const WebSocketTestClient&) = delete;

  /// Tries an upgrade and returns the status: 101 on success, else the HTTP
  /// status of the refusal (body in *body when given).
  static int try_connect(std::uint16_t port, std::string target, Options options, std::string* body = nullptr);

  /// Waits up to `wait` for the next event. A read that times out stays
  /// pending and is continued by the next call (nothing is lost). While a
  /// read runs, pings are answered.
  WsEvent next(std::chrono::milliseconds wait);
  /// next() that must be a message; throws otherwise.
  std::string read_text(std::chrono::milliseconds wait = std::chrono::seconds(10));
  void send(std::string_view text);
  /// Sends a close frame and waits for the close to complete (best effort).
  void close(int code = 1000);
  /// Ping frames received so far.
  int pings() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace callwire::test
