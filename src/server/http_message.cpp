#include "server/http_message.hpp"

#include <atomic>
#include <mutex>

#include "callwire/json.hpp"
#include "support/log.hpp"

namespace callwire::server {

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

namespace {

std::optional<std::string_view> find_header(const HeaderList& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

// ---- Request -------------------------------------------------------------------

std::optional<std::string_view> Request::header(std::string_view name) const { return find_header(headers, name); }

std::optional<std::string> Request::query_param(std::string_view name) const {
  std::optional<std::string> found;
  for (const auto& [k, v] : query) {
    if (k == name) found = v;
  }
  return found;
}

const std::string& Request::param(std::string_view name) const {
  auto it = params.find(name);
  if (it == params.end()) {
    throw Error(errc::internal, "route " + route + " has no parameter '" + std::string(name) + "'");
  }
  return it->second;
}

// ---- Response ------------------------------------------------------------------

Response Response::json(std::string body, int status) {
  Response r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

Response Response::error(int status, std::string_view detail) { return json(callwire::json::error_body(detail), status); }

Response Response::text(std::string body, int status, std::string_view content_type) {
  Response r;
  r.status = status;
  r.headers.emplace_back("Content-Type", std::string(content_type));
  r.body = std::move(body);
  return r;
}

Response Response::empty(int status) {
  Response r;
  r.status = status;
  return r;
}

Response Response::from_error(const Error& e) {
  const int status = status_for(e.code());
  // The client gets what() only; the detail (SQL, paths, driver messages) is for the log.
  if (!e.detail().empty()) log::print(log::Level::warn, "http", "answered ", status, " (", e.what(), "): ", e.detail());
  return error(status, e.what());
}

Response Response::from_exception(std::exception_ptr e) {
  try {
    if (e) std::rethrow_exception(e);
  } catch (const Error& err) {
    if (status_for(err.code()) >= 500) log::print(log::Level::error, "http", "handler failed: ", err.what());
    return from_error(err);
  } catch (const std::exception& ex) {
    log::print(log::Level::error, "http", "handler threw: ", ex.what());
  } catch (...) {
    log::write(log::Level::error, "http", "handler threw a non-standard exception");
  }
  return error(500, "Internal Server Error");
}

Response& Response::set_header(std::string name, std::string value) {
  bool replaced = false;
  for (auto it = headers.begin(); it != headers.end();) {
    if (iequals(it->first, name)) {
      if (!replaced) {
        it->second = std::move(value);
        replaced = true;
        ++it;
      } else {
        it = headers.erase(it);
      }
    } else {
      ++it;
    }
  }
  if (!replaced) headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

Response& Response::add_header(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

std::optional<std::string_view> Response::header(std::string_view name) const { return find_header(headers, name); }

int status_for(errc code) noexcept {
  switch (code) {
    case errc::ok: return 200;
    case errc::invalid_argument: return 422;
    case errc::malformed: return 400;
    case errc::not_found: return 404;
    case errc::conflict: return 409;
    case errc::unauthorized: return 401;
    case errc::forbidden: return 403;
    case errc::too_large: return 413;
    case errc::rate_limited: return 429;
    case errc::carrier: return 502;
    case errc::tls: return 502;
    case errc::unavailable: return 503;
    case errc::closed: return 503;
    case errc::timeout: return 504;
    case errc::storage: return 500;
    case errc::internal: return 500;
  }
  return 500;
}

std::string_view reason_phrase(int status) noexcept {
  switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Unknown";
  }
}

// ---- Responder -----------------------------------------------------------------

struct Responder::State {
  std::shared_ptr<ResponseSink> sink;
  std::shared_ptr<const void> keep_alive;
  std::atomic<bool> done{false};

  ~State() {
    if (done.exchange(true)) return;
    log::write(log::Level::error, "http", "a handler dropped its responder without answering; sending 500");
    try {
      sink->send(Response::error(500, "Internal Server Error"));
    } catch (...) {
    }
  }
};

Responder::Responder(std::shared_ptr<ResponseSink> sink, std::shared_ptr<const void> keep_alive)
    : state_(std::make_shared<State>()) {
  state_->sink = std::move(sink);
  state_->keep_alive = std::move(keep_alive);
}

void Responder::send(Response response) const {
  if (state_->done.exchange(true)) {
    log::print(log::Level::warn, "http", "response ", response.status, " ignored: the request was already answered");
    return;
  }
  // Only the winner of the exchange touches the sink; letting it go now means
  // answered responders kept around do not keep the connection alive.
  auto sink = std::move(state_->sink);
  sink->send(std::move(response));
}

std::shared_ptr<StreamWriter> Responder::stream(Response head) const {
  if (state_->done.exchange(true)) {
    log::write(log::Level::warn, "http", "stream ignored: the request was already answered");
    return nullptr;
  }
  auto sink = std::move(state_->sink);
  return sink->start_stream(std::move(head));
}

bool Responder::responded() const noexcept { return state_->done.load(); }

namespace {

/// A stream collected in memory for callback responders.
class BufferedStreamWriter final : public StreamWriter {
 public:
  BufferedStreamWriter(Response head, std::function<void(Response)> deliver)
      : head_(std::move(head)), deliver_(std::move(deliver)) {
    head_.body.clear();
    head_.file.reset();
  }
  ~BufferedStreamWriter() override { abort(); }

  bool write(std::string_view data) override {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    head_.body.append(data);
    return true;
  }
  void finish() override { end(false); }
  void abort() override { end(true); }
  bool closed() const override {
    std::lock_guard lock(mutex_);
    return closed_;
  }

 private:
  void end(bool failed) {
    Response out;
    {
      std::lock_guard lock(mutex_);
      if (closed_) return;
      closed_ = true;
      out = failed ? Response::error(500, "Internal Server Error") : std::move(head_);
    }
    deliver_(std::move(out));
  }

  mutable std::mutex mutex_;
  bool closed_ = false;
  Response head_;
  std::function<void(Response)> deliver_;
};

class CallbackSink final : public ResponseSink {
 public:
  explicit CallbackSink(std::function<void(Response)> f) : f_(std::move(f)) {}
  void send(Response response) override { f_(std::move(response)); }
  std::shared_ptr<StreamWriter> start_stream(Response head) override {
    return std::make_shared<BufferedStreamWriter>(std::move(head), f_);
  }

 private:
  std::function<void(Response)> f_;
};

}  // namespace

Responder Responder::from_callback(std::function<void(Response)> on_response) {
  return Responder(std::make_shared<CallbackSink>(std::move(on_response)));
}

// ---- URL helpers -----------------------------------------------------------------

std::string percent_decode(std::string_view s, bool plus_as_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      int hi = hex_value(s[i + 1]);
      int lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    if (c == '+' && plus_as_space) c = ' ';
    out.push_back(c);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view piece = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (piece.empty()) continue;
    auto eq = piece.find('=');
    if (eq == std::string_view::npos) {
      out.emplace_back(percent_decode(piece, true), std::string());
    } else {
      out.emplace_back(percent_decode(piece.substr(0, eq), true), percent_decode(piece.substr(eq + 1), true));
    }
  }
  return out;
}

}  // namespace callwire::server
