// callwire — HTTP requests, responses and the asynchronous Responder of the
// server layer (internal, Beast-free).
//
// A handler is `void(const Request&, Responder)`. It may answer at once or
// later from any thread (e.g. from a storage worker): the Responder posts the
// answer back to the connection's strand. Exactly one answer is sent per
// request: the first call wins, later calls are ignored (and logged). When
// every copy of a Responder is destroyed without an answer, the client gets
// 500 {"detail":"Internal Server Error"} — a forgotten responder never hangs
// a connection.
//
// The Request passed to a handler stays valid as long as any copy of its
// Responder is alive (the Responder keeps it), so a handler may capture the
// reference together with the Responder.
//
// Streaming: Responder::stream() sends the status line and headers at once
// and returns a StreamWriter that pushes the body with chunked transfer
// encoding (CSV export row by row). See StreamWriter for backpressure.
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "callwire/error.hpp"

namespace callwire::server {

/// Header fields in the order given; names keep their case, lookups ignore it.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

/// ASCII case-insensitive comparison (header names, tokens).
bool iequals(std::string_view a, std::string_view b) noexcept;
/// Without leading and trailing spaces and tabs (a header value's "OWS").
std::string_view trim_ows(std::string_view s) noexcept;

/// Claims of a verified bearer token (set by the auth middleware).
struct AuthInfo {
  std::string subject;       ///< `sub`, empty when absent (a service token)
  std::string payload_json;  ///< the whole decoded payload
  /// The `role` claim; once the account check has run (AuthOptions::
  /// check_account), the account's role now, whatever the token said.
  std::string role;
  std::optional<std::int64_t> token_version;  ///< the `ver` claim
};

/// One HTTP request as the server read it.
struct Request {
  std::string method;        ///< as sent, e.g. "GET"
  std::string target;        ///< as sent: path plus "?query"
  std::string path;          ///< target without the query, still percent-encoded
  std::string query_string;  ///< after the '?', raw ("" when none)
  HeaderList headers;
  std::string body;
  std::string remote_address;  ///< "127.0.0.1:53122"; empty when unknown
  std::string local_address;   ///< the server's address the client connected to, "127.0.0.1:8000"; empty when unknown
  /// The request's id (request_id.hpp): set by Dispatcher::dispatch, sent
  /// back as X-Request-Id and carried by every log record written while the
  /// request is handled. Empty before dispatch.
  std::string request_id;
  /// When the request line arrived (latency metrics).
  std::chrono::steady_clock::time_point received_at = std::chrono::steady_clock::now();

  // ---- set by the dispatcher, router and middleware --------------------------
  /// The decoded segments of `path` (request_path.hpp): every decision —
  /// route, token, file, hub — is made on these. Set by
  /// Dispatcher::canonicalize before anything else looks at the request.
  std::vector<std::string> segments;
  /// The segments joined ("/api/contacts/a b"); empty until canonicalized.
  std::string canonical_path;
  std::string route;  ///< the matched pattern ("/api/contacts/{id}"); empty when none
  std::map<std::string, std::string, std::less<>> params;  ///< path parameters, percent-decoded
  std::vector<std::pair<std::string, std::string>> query;  ///< query pairs, decoded, in order
  std::optional<AuthInfo> auth;  ///< when a bearer token was verified
  /// True when the server checks tokens (JWT_SECRET is set): without `auth`,
  /// the caller is then anonymous, not the implicit administrator.
  bool authentication_on = false;

  /// The first header with this name (case-insensitive).
  std::optional<std::string_view> header(std::string_view name) const;
  /// The LAST value of a query parameter, like FastAPI; std::nullopt when absent.
  std::optional<std::string> query_param(std::string_view name) const;
  /// A path parameter of the matched route; throws Error(internal) when the
  /// route has no such parameter (a handler bug).
  const std::string& param(std::string_view name) const;
};

/// A byte range of a file, served as the response body instead of `body`.
struct FileBody {
  std::string path;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

/// One HTTP response. The server adds Content-Length (or chunked encoding),
/// Date-free minimal headers, CORS headers and Connection handling.
struct Response {
  int status = 200;
  HeaderList headers;
  std::string body;
  std::optional<FileBody> file;  ///< when set, replaces `body`

  /// application/json.
  static Response json(std::string body, int status = 200);
  /// `{"detail": message}` with the given status (callwire::json::error_body).
  static Response error(int status, std::string_view detail);
  /// text/plain; charset=utf-8 unless told otherwise.
  static Response text(std::string body, int status = 200,
                       std::string_view content_type = "text/plain; charset=utf-8");
  /// No body (204 by default).
  static Response empty(int status = 204);
  /// Maps an SDK error to a status and `{"detail": what()}`; see status_for().
  static Response from_error(const Error& e);
  /// from_error() for callwire::Error, 500 "Internal Server Error" for
  /// anything else (the message is logged, not sent).
  static Response from_exception(std::exception_ptr e);

  /// Replaces every header of this name (or adds it).
  Response& set_header(std::string name, std::string value);
  /// Adds a header even if one of that name exists.
  Response& add_header(std::string name, std::string value);
  std::optional<std::string_view> header(std::string_view name) const;
};

/// The HTTP status for an SDK error code: invalid_argument 422, malformed 400,
/// not_found 404, conflict 409, unauthorized 401, too_large 413,
/// rate_limited 429, carrier 502, tls 502, unavailable 503, closed 503,
/// timeout 504, storage 500, internal 500.
int status_for(errc code) noexcept;

/// The reason phrase of a status ("Not Found"); "Unknown" for odd codes.
std::string_view reason_phrase(int status) noexcept;

/// The body of a streamed (chunked) response. Held by shared_ptr; every
/// member is thread-safe.
///
/// Backpressure: write() queues data and returns at once while less than the
/// server's stream buffer (HttpServerOptions::stream_buffer_bytes) is waiting
/// to go out; past that it BLOCKS the calling thread until the connection has
/// drained enough — so call it from a worker thread, never from a network
/// thread (on the connection's own strand it throws Error(internal) rather
/// than deadlock). write() returns false once the stream is closed: the client
/// went away, a write timed out, the server was stopped or finish()/abort()
/// was called; the producer should then stop.
///
/// finish() ends the body with the last chunk. abort() closes the connection
/// without it, so the client sees a truncated transfer (use it when the
/// producer fails half way). Dropping the last reference without finish()
/// aborts.
class StreamWriter {
 public:
  virtual ~StreamWriter() = default;
  virtual bool write(std::string_view data) = 0;
  virtual void finish() = 0;
  virtual void abort() = 0;
  /// True once write() would return false.
  virtual bool closed() const = 0;
};

/// Where a Responder delivers. The server implements it per request; hosts
/// that own the socket can use Responder::from_callback().
class ResponseSink {
 public:
  virtual ~ResponseSink() = default;
  virtual void send(Response response) = 0;
  /// Sends `head` (status and headers; its body is ignored) and returns the
  /// writer for the chunked body.
  virtual std::shared_ptr<StreamWriter> start_stream(Response head) = 0;
};

/// The once-only, copyable, thread-safe answer channel of one request.
class Responder {
 public:
  /// `keep_alive` is kept with the responder (the server passes the Request).
  Responder(std::shared_ptr<ResponseSink> sink, std::shared_ptr<const void> keep_alive = {});

  /// A responder that calls `on_response` (on the caller's thread). A stream
  /// started on it is collected in memory and delivered as one Response when
  /// finished (no backpressure).
  static Responder from_callback(std::function<void(Response)> on_response);

  /// Sends the response. Only the first send()/stream() of a request counts.
  void send(Response response) const;
  void operator()(Response response) const { send(std::move(response)); }
  /// Starts a chunked response; returns nullptr when the request was already
  /// answered.
  std::shared_ptr<StreamWriter> stream(Response head) const;
  /// True once send() or stream() was called on any copy.
  bool responded() const noexcept;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

/// Decodes %XX escapes; with `plus_as_space` also '+' → ' ' (query strings).
/// Invalid escapes are kept as they are (like Python's urllib.parse.unquote).
std::string percent_decode(std::string_view s, bool plus_as_space = false);

/// Splits "a=1&b=x%20y&c" into decoded pairs (c → ""); empty pieces skipped.
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);

}  // namespace callwire::server
