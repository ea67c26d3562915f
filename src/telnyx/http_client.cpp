// callwire — HTTP(S) transport with a keep-alive pool, timeouts and retries
// (see http_client.hpp).
#include "telnyx/http_client.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <ctime>
#include <deque>
#include <random>
#include <set>

namespace callwire::telnyx {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Strand = net::strand<net::any_io_executor>;
using std::chrono::milliseconds;
using steady = std::chrono::steady_clock;

// ---------------------------------------------------------------------------
// URL and header helpers

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// A non-negative decimal number ("12", "1.5"); std::nullopt otherwise.
std::optional<double> parse_seconds(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.size() > 32) return std::nullopt;
  bool dot = false;
  for (char c : s) {
    if (c == '.') {
      if (dot) return std::nullopt;
      dot = true;
    } else if (c < '0' || c > '9') {
      return std::nullopt;
    }
  }
  if (s.front() == '.' || s.back() == '.') return std::nullopt;
  return std::strtod(std::string(s).c_str(), nullptr);
}

milliseconds seconds_to_ms(double seconds) {
  if (seconds <= 0) return milliseconds(0);
  // Cap at a day: anything beyond is as good as "not now".
  seconds = std::min(seconds, 86400.0);
  return milliseconds(static_cast<std::int64_t>(std::llround(seconds * 1000.0)));
}

}  // namespace

bool is_ip_literal(std::string_view host) {
  boost::system::error_code ec;
  net::ip::make_address(std::string(host), ec);
  return !ec;
}

BaseUrl BaseUrl::parse(std::string_view url) {
  auto bad = [&](const std::string& why) {
    return Error(errc::invalid_argument, "Telnyx API base URL '" + std::string(url) + "': " + why);
  };
  BaseUrl out;
  std::string_view rest;
  const std::string head = lower(url.substr(0, 8));
  if (head.rfind("https://", 0) == 0) {
    out.tls = true;
    out.port = 443;
    rest = url.substr(8);
  } else if (head.rfind("http://", 0) == 0) {
    out.tls = false;
    out.port = 80;
    rest = url.substr(7);
  } else {
    throw bad("must start with https:// or http://");
  }
  if (rest.find_first_of("?#") != std::string_view::npos) throw bad("query strings and fragments are not allowed");
  if (rest.find_first_of(" \t\r\n") != std::string_view::npos) throw bad("contains whitespace");
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  if (authority.find('@') != std::string_view::npos) throw bad("user info is not allowed");
  std::string_view host;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) throw bad("unterminated IPv6 literal");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') throw bad("unexpected text after the IPv6 literal");
      port = after.substr(1);
    }
    if (!is_ip_literal(host)) throw bad("invalid IPv6 literal");
  } else {
    const auto colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (host.empty()) throw bad("no host");
  for (char c : host) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '_')) {
      throw bad("invalid character in host");
    }
  }
  if (authority.find(':') != std::string_view::npos && (port.data() != nullptr)) {
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      throw bad("invalid port");
    }
    const long p = std::strtol(std::string(port).c_str(), nullptr, 10);
    if (p < 1 || p > 65535) throw bad("port out of range");
    out.port = static_cast<std::uint16_t>(p);
  }
  out.host = lower(host);
  std::string p(path);
  while (!p.empty() && p.back() == '/') p.pop_back();
  out.path = p;
  return out;
}

std::string BaseUrl::host_header() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if ((tls && port != 443) || (!tls && port != 80)) h += ":" + std::to_string(port);
  return h;
}

bool BaseUrl::is_loopback() const {
  if (host == "localhost") return true;
  boost::system::error_code ec;
  auto addr = net::ip::make_address(host, ec);
  return !ec && addr.is_loopback();
}

std::string BaseUrl::to_string() const {
  return std::string(tls ? "https://" : "http://") +
         (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port) + path;
}

milliseconds backoff_delay(const RetryPolicy& policy, int retry, double random01) {
  const double base = static_cast<double>(policy.base_delay.count());
  const double cap = static_cast<double>(policy.max_delay.count());
  const int exponent = std::clamp(retry - 1, 0, 30);
  double d = std::min(cap, base * std::ldexp(1.0, exponent));
  const double jitter = std::clamp(policy.jitter, 0.0, 1.0);
  d *= 1.0 - jitter * std::clamp(random01, 0.0, 1.0);
  return milliseconds(static_cast<std::int64_t>(std::llround(std::max(0.0, d))));
}

std::optional<milliseconds> parse_retry_after(std::string_view value, std::int64_t now_unix) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (auto secs = parse_seconds(value)) return seconds_to_ms(*secs);
  // HTTP-date (IMF-fixdate), e.g. "Wed, 21 Oct 2015 07:28:00 GMT".
  std::tm tm{};
  const std::string text(value);
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  const std::int64_t at = static_cast<std::int64_t>(timegm(&tm));
  return seconds_to_ms(static_cast<double>(at - now_unix));
}

std::optional<milliseconds> parse_ratelimit_reset(std::string_view value, std::int64_t now_unix) {
  auto secs = parse_seconds(value);
  if (!secs) return std::nullopt;
  if (*secs > 1e9) return seconds_to_ms(*secs - static_cast<double>(now_unix));
  return seconds_to_ms(*secs);
}

// ---------------------------------------------------------------------------
// The client

namespace {

/// One pooled connection: a TCP stream, TLS on top when the base URL is
/// https, and the read buffer that belongs to it. Used on the strand only.
class Connection {
 public:
  Connection(const Strand& ex, ssl::context* ctx) {
    if (ctx != nullptr) secure_.emplace(ex, *ctx);
    else plain_.emplace(ex);
  }

  beast::tcp_stream& tcp() { return plain_ ? *plain_ : secure_->next_layer(); }
  bool is_tls() const { return secure_.has_value(); }
  beast::ssl_stream<beast::tcp_stream>& secure() { return *secure_; }

  /// Calls f with the stream to read and write HTTP on.
  template <class F>
  void visit(F&& f) {
    if (plain_) f(*plain_);
    else f(*secure_);
  }

  /// A pooled connection the server has closed (or sent unexpected bytes
  /// on) is stale: peek at the socket without blocking.
  bool is_stale() {
    auto& sock = tcp().socket();
    if (!sock.is_open() || buffer.size() != 0) return true;
    boost::system::error_code ec;
    sock.non_blocking(true, ec);
    if (ec) return true;
    char byte = 0;
    sock.receive(net::buffer(&byte, 1), tcp::socket::message_peek, ec);
    boost::system::error_code ignored;
    sock.non_blocking(false, ignored);
    return !(ec == net::error::would_block || ec == net::error::try_again);
  }

  void close() {
    boost::system::error_code ec;
    tcp().socket().shutdown(tcp::socket::shutdown_both, ec);
    tcp().close();
  }

  beast::flat_buffer buffer;
  steady::time_point last_used{};

 private:
  std::optional<beast::tcp_stream> plain_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure_;
};

using ConnectionPtr = std::shared_ptr<Connection>;

/// One request and its attempts.
struct Op {
  explicit Op(const Strand& ex) : timer(ex) {}

  HttpRequest req;
  std::function<void(HttpOutcome)> done;
  http::request<http::string_body> msg;
  int attempts = 0;
  std::chrono::steady_clock::time_point first_attempt{};  ///< when attempt 1 began
  bool free_retry_used = false;  ///< per attempt
  ConnectionPtr conn;
  bool reused = false;
  std::optional<http::response_parser<http::string_body>> parser;
  net::steady_timer timer;  ///< resolve timeout, then backoff
  std::optional<tcp::resolver> resolver;
  bool resolving = false;
  bool resolve_timed_out = false;
  std::optional<HttpResponse> last_response;
  bool finished = false;
};

using OpPtr = std::shared_ptr<Op>;

bool closed_by_peer(const boost::system::error_code& ec) {
  return ec == http::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset ||
         ec == net::error::broken_pipe || ec == net::error::connection_aborted || ec == ssl::error::stream_truncated;
}

std::string describe(const boost::system::error_code& ec) {
  if (ec == beast::error::timeout) return "timed out";
  return ec.message();
}

class HttpClientImpl final : public HttpClient, public std::enable_shared_from_this<HttpClientImpl> {
 public:
  HttpClientImpl(net::any_io_executor ex, HttpClientOptions options)
      : strand_(net::make_strand(ex)), opts_(std::move(options)), rng_(std::random_device{}()) {
    if (opts_.base.host.empty()) throw Error(errc::invalid_argument, "HTTP client: no host");
    if (opts_.max_connections < 1) throw Error(errc::invalid_argument, "max_connections must be at least 1");
    if (opts_.retry.max_attempts < 1) throw Error(errc::invalid_argument, "retry.max_attempts must be at least 1");
    if (opts_.retry.budget < milliseconds(0)) throw Error(errc::invalid_argument, "retry.budget must not be negative");
    const auto& t = opts_.timeouts;
    if (t.connect.count() <= 0 || t.tls_handshake.count() <= 0 || t.write.count() <= 0 || t.read.count() <= 0) {
      throw Error(errc::invalid_argument, "every timeout must be positive");
    }
    if (opts_.base.tls) {
      ssl_ctx_.emplace(ssl::context::tls_client);
      SSL_CTX_set_min_proto_version(ssl_ctx_->native_handle(), TLS1_2_VERSION);
      boost::system::error_code ec;
      if (opts_.tls.use_system_store) {
        ssl_ctx_->set_default_verify_paths(ec);
        if (ec) throw Error(errc::tls, "cannot load the system certificate store: " + ec.message());
      }
      if (!opts_.tls.ca_file.empty()) {
        ssl_ctx_->load_verify_file(opts_.tls.ca_file, ec);
        if (ec) {
          throw Error(errc::invalid_argument, "CA file '" + opts_.tls.ca_file + "' cannot be loaded: " + ec.message());
        }
      }
      ssl_ctx_->set_verify_mode(ssl::verify_peer);
    }
    port_ = std::to_string(opts_.base.port);
  }

  void async_request(HttpRequest req, std::function<void(HttpOutcome)> done) override {
    auto op = std::make_shared<Op>(strand_);
    op->req = std::move(req);
    op->done = std::move(done);
    net::post(strand_, [self = shared_from_this(), op] { self->start(op); });
  }

  void shutdown() override {
    net::post(strand_, [self = shared_from_this()] { self->do_shutdown(); });
  }

  HttpStats stats() const override {
    HttpStats s;
    s.connections_opened = connections_opened_.load();
    s.tls_handshakes = tls_handshakes_.load();
    s.requests_sent = requests_sent_.load();
    s.connections_reused = connections_reused_.load();
    s.stale_discarded = stale_discarded_.load();
    s.retries = retries_.load();
    s.open_connections = open_gauge_.load();
    s.idle_connections = idle_gauge_.load();
    return s;
  }

  const HttpClientOptions& options() const noexcept override { return opts_; }

 private:
  // --- lifecycle -----------------------------------------------------------

  void start(const OpPtr& op) {
    if (closed_) return finish_error(op, errc::closed, "the Telnyx client is shut down");
    ops_.insert(op);
    auto& m = op->msg;
    m.method(op->req.method);
    m.target(opts_.base.path + op->req.target);
    m.version(11);
    m.set(http::field::host, opts_.base.host_header());
    m.set(http::field::user_agent, opts_.user_agent);
    for (const auto& [name, value] : op->req.headers) m.set(name, value);
    m.keep_alive(true);
    if (!op->req.body.empty() || op->req.method == http::verb::post) {
      m.body() = op->req.body;
      m.prepare_payload();
    }
    begin_attempt(op);
  }

  void begin_attempt(const OpPtr& op) {
    if (op->attempts == 0) op->first_attempt = steady::now();
    ++op->attempts;
    op->free_retry_used = false;
    acquire(op);
  }

  void do_shutdown() {
    if (closed_) return;
    closed_ = true;
    for (auto& c : idle_) c->close();
    idle_.clear();
    idle_gauge_ = 0;
    auto waiting = std::move(waiters_);
    waiters_.clear();
    for (auto& op : waiting) finish_error(op, errc::closed, "the Telnyx client was shut down");
    auto live = ops_;
    for (const auto& op : live) {
      op->timer.cancel();
      if (op->resolver) op->resolver->cancel();
      if (op->conn) {
        op->conn->close();
        op->conn.reset();
      }
      finish_error(op, errc::closed, "the Telnyx client was shut down");
    }
    open_ = 0;
    open_gauge_ = 0;
  }

  // --- connections ---------------------------------------------------------

  void acquire(const OpPtr& op) {
    if (op->finished) return;
    if (closed_) return finish_error(op, errc::closed, "the Telnyx client was shut down");
    const auto now = steady::now();
    while (!idle_.empty()) {
      ConnectionPtr c = idle_.back();
      idle_.pop_back();
      idle_gauge_ = idle_.size();
      if (now - c->last_used > opts_.timeouts.idle || c->is_stale()) {
        ++stale_discarded_;
        discard(c);
        continue;
      }
      op->conn = std::move(c);
      op->reused = true;
      ++connections_reused_;
      return send(op);
    }
    if (open_ < opts_.max_connections) {
      ++open_;
      open_gauge_ = open_;
      op->conn = std::make_shared<Connection>(strand_, ssl_ctx_ ? &*ssl_ctx_ : nullptr);
      op->reused = false;
      ++connections_opened_;
      return resolve(op);
    }
    waiters_.push_back(op);
  }

  /// Closes a connection that is not idle and frees its slot.
  void discard(const ConnectionPtr& c) {
    c->close();
    if (open_ > 0) --open_;
    open_gauge_ = open_;
  }

  /// Returns the connection of a finished exchange to the pool, or closes it.
  void release(const OpPtr& op, bool keep) {
    ConnectionPtr c = std::move(op->conn);
    if (!c) return;
    if (keep && !closed_) {
      c->last_used = steady::now();
      idle_.push_back(std::move(c));
      idle_gauge_ = idle_.size();
    } else {
      discard(c);
    }
    wake_waiter();
  }

  void wake_waiter() {
    while (!waiters_.empty() && (!idle_.empty() || open_ < opts_.max_connections)) {
      OpPtr next = waiters_.front();
      waiters_.pop_front();
      if (next->finished) continue;
      acquire(next);
      return;
    }
  }

  void resolve(const OpPtr& op) {
    op->resolver.emplace(strand_);
    op->resolving = true;
    op->resolve_timed_out = false;
    op->timer.expires_after(capped(op, opts_.timeouts.connect));
    op->timer.async_wait([self = shared_from_this(), op](boost::system::error_code ec) {
      if (!ec && op->resolving && op->resolver) {
        op->resolve_timed_out = true;
        op->resolver->cancel();
      }
    });
    const auto started = steady::now();
    op->resolver->async_resolve(
        opts_.base.host, port_, tcp::resolver::numeric_service,
        [self = shared_from_this(), op, started](boost::system::error_code ec, tcp::resolver::results_type results) {
          op->resolving = false;
          op->timer.cancel();
          if (op->finished) return;
          if (ec) {
            if (op->resolve_timed_out) {
              return self->fail_attempt(op, errc::timeout, "resolving " + self->opts_.base.host + " timed out", true);
            }
            return self->fail_attempt(op, errc::unavailable,
                                      "cannot resolve " + self->opts_.base.host + ": " + ec.message(), true);
          }
          auto remaining = self->capped(op, self->opts_.timeouts.connect -
                                                std::chrono::duration_cast<milliseconds>(steady::now() - started));
          op->conn->tcp().expires_after(remaining);
          // Every handler holds the connection: shutdown() may drop op->conn
          // while an operation on it is still pending.
          op->conn->tcp().async_connect(results, [self, op, conn = op->conn](boost::system::error_code cec,
                                                                              const tcp::endpoint&) {
            self->on_connect(op, cec);
          });
        });
  }

  std::string where() const { return opts_.base.host + ":" + port_; }

  void on_connect(const OpPtr& op, boost::system::error_code ec) {
    if (op->finished) return;
    if (ec == beast::error::timeout) {
      return fail_attempt(op, errc::timeout, "connecting to " + where() + " timed out", true);
    }
    if (ec) return fail_attempt(op, errc::unavailable, "cannot connect to " + where() + ": " + ec.message(), true);
    if (op->conn->is_tls()) return handshake(op);
    send(op);
  }

  void handshake(const OpPtr& op) {
    SSL* ssl_handle = op->conn->secure().native_handle();
    const std::string& host = opts_.base.host;
    const bool ip = is_ip_literal(host);
    // SNI carries DNS names only (RFC 6066).
    if (!ip && SSL_set_tlsext_host_name(ssl_handle, host.c_str()) != 1) {
      return fail_attempt(op, errc::tls, "cannot set the TLS server name " + host, false);
    }
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl_handle);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    const int ok = ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                      : X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
    if (ok != 1) return fail_attempt(op, errc::tls, "cannot set the expected TLS peer name " + host, false);
    op->conn->tcp().expires_after(capped(op, opts_.timeouts.tls_handshake));
    op->conn->secure().async_handshake(ssl::stream_base::client, [self = shared_from_this(), op, conn = op->conn](
                                                                      boost::system::error_code ec) {
      if (op->finished) return;
      if (!ec) {
        ++self->tls_handshakes_;
        return self->send(op);
      }
      const std::string peer = self->where();
      if (ec == beast::error::timeout) {
        return self->fail_attempt(op, errc::timeout, "TLS handshake with " + peer + " timed out", true);
      }
      const long verify = SSL_get_verify_result(conn->secure().native_handle());
      if (verify != X509_V_OK) {
        return self->fail_attempt(op, errc::tls,
                                  "TLS certificate verification failed for " + self->opts_.base.host + ": " +
                                      X509_verify_cert_error_string(verify),
                                  false);
      }
      if (ec.category() == net::error::get_ssl_category() && ec != ssl::error::stream_truncated) {
        return self->fail_attempt(op, errc::tls, "TLS handshake with " + peer + " failed: " + ec.message(), false);
      }
      self->fail_attempt(op, errc::unavailable, "TLS handshake with " + peer + " failed: " + describe(ec), true);
    });
  }

  // --- one exchange --------------------------------------------------------

  void send(const OpPtr& op) {
    op->conn->tcp().expires_after(capped(op, opts_.timeouts.write));
    op->conn->visit([&](auto& stream) {
      http::async_write(stream, op->msg, [self = shared_from_this(), op, conn = op->conn](boost::system::error_code ec,
                                                                                          std::size_t) {
        self->on_write(op, ec);
      });
    });
  }

  void on_write(const OpPtr& op, boost::system::error_code ec) {
    if (op->finished) return;
    if (ec) {
      if (op->reused && !op->free_retry_used && ec != beast::error::timeout) {
        return free_retry(op, "pooled connection was closed by the server (" + ec.message() + ")");
      }
      return fail_attempt(op, ec == beast::error::timeout ? errc::timeout : errc::unavailable,
                          "sending the request to " + where() + " failed: " + describe(ec), true);
    }
    ++requests_sent_;
    op->parser.emplace();
    op->parser->body_limit(opts_.max_response_bytes);
    op->conn->tcp().expires_after(capped(op, opts_.timeouts.read));
    op->conn->visit([&](auto& stream) {
      http::async_read(stream, op->conn->buffer, *op->parser,
                       [self = shared_from_this(), op, conn = op->conn](boost::system::error_code rec, std::size_t) {
                         self->on_read(op, rec);
                       });
    });
  }

  void on_read(const OpPtr& op, boost::system::error_code ec) {
    if (op->finished) return;
    if (ec) {
      if (op->reused && !op->free_retry_used && !op->parser->got_some() && closed_by_peer(ec)) {
        return free_retry(op, "pooled connection was closed by the server before answering (" + ec.message() + ")");
      }
      if (ec == http::error::body_limit) {
        return fail_attempt(op, errc::unavailable, "the answer from " + where() + " is too large", false);
      }
      return fail_attempt(op, ec == beast::error::timeout ? errc::timeout : errc::unavailable,
                          "reading the answer from " + where() + " failed: " + describe(ec), true);
    }
    auto res = op->parser->release();
    op->parser.reset();
    const bool keep = res.keep_alive() && op->conn->buffer.size() == 0;
    op->conn->tcp().expires_never();
    release(op, keep);

    HttpResponse r;
    r.status = static_cast<int>(res.result_int());
    r.body = std::move(res.body());
    r.content_type = std::string(res[http::field::content_type]);
    r.retry_after = std::string(res[http::field::retry_after]);
    r.ratelimit_reset = std::string(res["x-ratelimit-reset"]);
    op->last_response = r;

    const bool retriable = (r.status == 429 && op->req.retry_rate_limited) || r.status >= 500;
    if (!retriable || op->attempts >= opts_.retry.max_attempts) return finish_ok(op, std::move(r));

    std::optional<milliseconds> hinted;
    if (r.status == 429 || r.status == 503) {
      const std::int64_t now_unix =
          std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
              .count();
      if (!r.retry_after.empty()) hinted = parse_retry_after(r.retry_after, now_unix);
      if (!hinted && !r.ratelimit_reset.empty()) hinted = parse_ratelimit_reset(r.ratelimit_reset, now_unix);
    }
    if (hinted && *hinted > opts_.retry.max_retry_after) return finish_ok(op, std::move(r));
    const milliseconds delay = hinted ? *hinted : next_backoff(op->attempts);
    if (!fits_budget(op, delay)) return finish_ok(op, std::move(r));
    schedule_retry(op, delay, true, r.status, "HTTP " + std::to_string(r.status));
  }

  // --- retries and completion ----------------------------------------------

  /// `timeout`, cut to what is left of the request's retry budget (at least 1 ms).
  milliseconds capped(const OpPtr& op, milliseconds timeout) const {
    if (opts_.retry.budget <= milliseconds(0)) return timeout;
    const auto left = std::chrono::duration_cast<milliseconds>(op->first_attempt + opts_.retry.budget - steady::now());
    return std::max(milliseconds(1), std::min(timeout, left));
  }

  /// True when a retry after `delay` still starts within the budget.
  bool fits_budget(const OpPtr& op, milliseconds delay) const {
    if (opts_.retry.budget <= milliseconds(0)) return true;
    return steady::now() + delay < op->first_attempt + opts_.retry.budget;
  }

  std::string budget_note() const {
    const auto ms = opts_.retry.budget.count();
    const std::string budget = ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
    return " (no more retries: the retry budget of " + budget +
           " since the first attempt, kept inside Telnyx's 60 s command_id window, is spent)";
  }

  milliseconds next_backoff(int failed_attempt) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    return backoff_delay(opts_.retry, failed_attempt, u(rng_));
  }

  /// A pooled connection failed before any answer: retry at once on another
  /// connection, without counting an attempt (once per attempt).
  void free_retry(const OpPtr& op, const std::string& reason) {
    op->free_retry_used = true;
    discard(op->conn);
    op->conn.reset();
    op->parser.reset();
    ++retries_;
    report_retry(op, false, milliseconds(0), 0, reason);
    acquire(op);
  }

  void fail_attempt(const OpPtr& op, errc code, const std::string& message, bool retriable) {
    if (op->conn) {
      discard(op->conn);
      op->conn.reset();
      wake_waiter();
    }
    op->parser.reset();
    if (closed_) return finish_error(op, errc::closed, "the Telnyx client was shut down");
    if (retriable && op->attempts < opts_.retry.max_attempts) {
      const milliseconds delay = next_backoff(op->attempts);
      if (fits_budget(op, delay)) return schedule_retry(op, delay, true, 0, message);
      return finish_error(op, code, message + budget_note());
    }
    finish_error(op, code, message);
  }

  void schedule_retry(const OpPtr& op, milliseconds delay, bool counted, int status, const std::string& reason) {
    ++retries_;
    report_retry(op, counted, delay, status, reason);
    op->timer.expires_after(delay);
    op->timer.async_wait([self = shared_from_this(), op](boost::system::error_code) {
      if (op->finished) return;
      if (self->closed_) return self->finish_error(op, errc::closed, "the Telnyx client was shut down");
      self->begin_attempt(op);
    });
  }

  void report_retry(const OpPtr& op, bool counted, milliseconds delay, int status, const std::string& reason) {
    if (!opts_.on_retry) return;
    RetryEvent e;
    e.method = std::string(http::to_string(op->req.method));
    e.target = opts_.base.path + op->req.target;
    e.attempt = op->attempts;
    e.counted = counted;
    e.delay = delay;
    e.http_status = status;
    e.reason = reason;
    opts_.on_retry(e);
  }

  void finish_ok(const OpPtr& op, HttpResponse r) {
    HttpOutcome out;
    out.code = errc::ok;
    out.response = std::move(r);
    complete(op, std::move(out));
  }

  void finish_error(const OpPtr& op, errc code, std::string message) {
    HttpOutcome out;
    out.code = code;
    out.message = std::move(message);
    out.response = op->last_response;
    complete(op, std::move(out));
  }

  void complete(const OpPtr& op, HttpOutcome out) {
    if (op->finished) return;
    op->finished = true;
    ops_.erase(op);
    out.attempts = op->attempts;
    auto done = std::move(op->done);
    if (done) net::post(strand_, [done = std::move(done), out = std::move(out)]() mutable { done(std::move(out)); });
  }

  Strand strand_;
  HttpClientOptions opts_;
  std::optional<ssl::context> ssl_ctx_;
  std::string port_;
  std::mt19937_64 rng_;

  // Strand-only state.
  bool closed_ = false;
  std::size_t open_ = 0;                // connections open (idle or busy)
  std::vector<ConnectionPtr> idle_;     // most recently used last
  std::deque<OpPtr> waiters_;           // requests waiting for a connection slot
  std::set<OpPtr> ops_;                 // every unfinished request

  // Counters readable from any thread.
  std::atomic<std::uint64_t> connections_opened_{0};
  std::atomic<std::uint64_t> tls_handshakes_{0};
  std::atomic<std::uint64_t> requests_sent_{0};
  std::atomic<std::uint64_t> connections_reused_{0};
  std::atomic<std::uint64_t> stale_discarded_{0};
  std::atomic<std::uint64_t> retries_{0};
  std::atomic<std::size_t> open_gauge_{0};
  std::atomic<std::size_t> idle_gauge_{0};
};

}  // namespace

std::shared_ptr<HttpClient> HttpClient::create(net::any_io_executor ex, HttpClientOptions options) {
  return std::make_shared<HttpClientImpl>(std::move(ex), std::move(options));
}

}  // namespace callwire::telnyx
