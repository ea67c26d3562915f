// callwire — the HTTP(S) transport under TelnyxCarrier (internal).
//
// HttpClient sends requests to one base URL (scheme, host, port, path prefix)
// over a keep-alive connection pool, with a timeout on every step (resolve +
// connect, TLS handshake, request write, response read) and retries with
// exponential backoff and jitter on connection errors, timeouts, 5xx and 429.
// It knows nothing of Telnyx bodies: TelnyxCarrier builds requests and maps
// the outcomes.
//
// Threading: every member runs on one strand of the executor given to
// create(). async_request(), shutdown() and stats() may be called from any
// thread; completion handlers are called on that strand, once each.
// Lifetime: the object is held by shared_ptr; in-flight operations keep it
// alive until their handlers have run.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "callwire/error.hpp"

namespace callwire::telnyx {

/// A parsed base URL: `http[s]://host[:port][/path]`. The path keeps no
/// trailing slash ("/v2"); request targets are path + "/calls" etc.
struct BaseUrl {
  bool tls = true;
  std::string host;  ///< IPv6 literals without brackets
  std::uint16_t port = 443;
  std::string path;

  /// Parses the URL or throws Error(invalid_argument) saying why. Query
  /// strings, fragments and user info are refused.
  static BaseUrl parse(std::string_view url);
  /// The Host header value: host, plus ":port" when not the scheme's default.
  std::string host_header() const;
  /// 127.0.0.0/8, ::1 or "localhost".
  bool is_loopback() const;
  /// "https://host:port/path" again.
  std::string to_string() const;
};

/// True when `host` is an IPv4 or IPv6 literal.
bool is_ip_literal(std::string_view host);

/// One timeout per step. A step that runs out of time fails the attempt with
/// errc::timeout (retried like a connection error).
struct HttpTimeouts {
  std::chrono::milliseconds connect{5000};         ///< DNS resolution and TCP connect together
  std::chrono::milliseconds tls_handshake{10000};
  std::chrono::milliseconds write{10000};          ///< sending the whole request
  std::chrono::milliseconds read{30000};           ///< receiving the whole response
  std::chrono::milliseconds idle{30000};           ///< a pooled connection idle longer is closed, not reused
};

/// Retries: attempt n+1 waits min(max_delay, base_delay * 2^(n-1)), reduced
/// by a random fraction of up to `jitter` (0 = none, 1 = "full jitter").
/// A 429 or 503 that carries Retry-After (or x-ratelimit-reset) waits that
/// long instead; when it asks for more than max_retry_after the request fails
/// at once with the answer.
struct RetryPolicy {
  int max_attempts = 4;  ///< including the first; 1 disables retries
  std::chrono::milliseconds base_delay{250};
  std::chrono::milliseconds max_delay{8000};
  double jitter = 0.5;
  std::chrono::milliseconds max_retry_after{60000};
  /// Wall time from a request's first attempt after which nothing more is
  /// sent: no retry starts past it, and each step of the last attempt is cut
  /// at it. Telnyx ignores a repeated command_id for 60 s only, so a retry
  /// later than that could apply a command (place a call) twice; 45 s keeps
  /// every retry well inside. 0: no budget.
  std::chrono::milliseconds budget{45000};
};

/// The backoff before retry number `retry` (1 = the first retry), with
/// `random01` in [0, 1) choosing the jitter.
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry, double random01);

/// Retry-After: delta-seconds ("120", fractional accepted) or an HTTP-date
/// ("Wed, 21 Oct 2015 07:28:00 GMT"). std::nullopt when unparseable.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, std::int64_t now_unix);

/// x-ratelimit-reset: seconds until the window resets or, when the value is
/// a Unix time (above 10^9), the time it resets at.
std::optional<std::chrono::milliseconds> parse_ratelimit_reset(std::string_view value, std::int64_t now_unix);

struct TlsOptions {
  std::string ca_file;          ///< PEM bundle trusted in addition to the system store ("" = none)
  bool use_system_store = true;
};

/// What is reported before each retry (for logs and metrics).
struct RetryEvent {
  std::string method;
  std::string target;
  int attempt = 0;       ///< the attempt that failed (1-based)
  bool counted = true;   ///< false for the free retry of a stale pooled connection
  std::chrono::milliseconds delay{0};
  int http_status = 0;   ///< 0 when no answer was received
  std::string reason;
};

struct HttpClientOptions {
  BaseUrl base;
  HttpTimeouts timeouts;
  RetryPolicy retry;
  TlsOptions tls;
  std::size_t max_connections = 8;            ///< per client (one host); more requests wait for a free one
  std::size_t max_response_bytes = 4u << 20;  ///< a bigger answer fails the attempt
  std::string user_agent = "callwire/0.1";
  /// Called on the strand before each retry; must not block.
  std::function<void(const RetryEvent&)> on_retry;
};

struct HttpRequest {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string target;  ///< path below the base URL's path, e.g. "/calls"
  std::string body;    ///< JSON; empty for GET
  std::vector<std::pair<std::string, std::string>> headers;  ///< e.g. Authorization
  /// false: a 429 is final at once (the caller paces and sends again, as
  /// TelnyxCarrier does with dials); true: retried like a 5xx.
  bool retry_rate_limited = true;
};

struct HttpResponse {
  int status = 0;
  std::string body;
  std::string content_type;
  std::string retry_after;
  std::string ratelimit_reset;
};

/// The result of one request after its retries. `code == ok` means an HTTP
/// answer was received and is final: a non-retried status, or a 5xx/429
/// after the last attempt (or with a Retry-After above max_retry_after).
/// Otherwise no usable answer came: errc::unavailable (connection errors),
/// timeout, tls (handshake or verification failed; never retried), closed.
struct HttpOutcome {
  errc code = errc::ok;
  std::string message;
  std::optional<HttpResponse> response;  ///< the last answer received, if any
  int attempts = 0;                      ///< counted attempts made
};

/// Counters since creation; all monotonic except the two gauges.
struct HttpStats {
  std::uint64_t connections_opened = 0;
  std::uint64_t tls_handshakes = 0;
  std::uint64_t requests_sent = 0;      ///< requests written (each attempt counts)
  std::uint64_t connections_reused = 0; ///< requests sent on a pooled connection
  std::uint64_t stale_discarded = 0;    ///< pooled connections found closed or expired
  std::uint64_t retries = 0;            ///< counted and free retries
  std::size_t open_connections = 0;     ///< gauge
  std::size_t idle_connections = 0;     ///< gauge
};

class HttpClient {
 public:
  /// Builds the TLS context (system store and/or CA file; verification of
  /// the peer and its host name is always on). Throws Error(invalid_argument)
  /// when the CA file cannot be loaded or an option is out of range.
  static std::shared_ptr<HttpClient> create(boost::asio::any_io_executor ex, HttpClientOptions options);

  virtual ~HttpClient() = default;

  /// Sends `req` and calls `done` once, on the client's strand.
  virtual void async_request(HttpRequest req, std::function<void(HttpOutcome)> done) = 0;
  /// Closes every connection and fails pending requests with errc::closed.
  /// Idempotent; later requests fail with errc::closed.
  virtual void shutdown() = 0;
  virtual HttpStats stats() const = 0;
  virtual const HttpClientOptions& options() const noexcept = 0;
};

}  // namespace callwire::telnyx
