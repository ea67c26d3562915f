// Test support: the fake Telnyx server and the webhook collector (see
// fake_telnyx.hpp).
#include "fake_telnyx.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <future>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <type_traits>

#include "callwire/phone.hpp"
#include "callwire/webhook.hpp"
#include "core/base64.hpp"
#include "json/telnyx_api.hpp"
#include "sim/simulator.hpp"

namespace callwire::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
namespace api = callwire::json::telnyx_api;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
using api::Value;

namespace {

constexpr const char* kJavaSdkSeed = "i1xxSkIuQOY9H8laaRslIoYGTJ1NwBAFdjsQwiwJH04=";
constexpr const char* kJavaSdkPublicKey = "jrMBoswHlhhVx2W2Www72WU/xn4UMpjreslD0m2u0qs=";

std::string default_fixtures_dir() {
#ifdef CALLWIRE_FIXTURES_DIR
  return std::string(CALLWIRE_FIXTURES_DIR) + "/telnyx";
#else
  return "tests/fixtures/telnyx";
#endif
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("fake Telnyx: cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Value read_json(const std::string& path) {
  std::string err;
  auto v = api::parse(read_text(path), &err);
  if (!v) throw std::runtime_error("fake Telnyx: " + path + ": " + err);
  return *v;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '/') {
      ++pos;
      continue;
    }
    const auto next = path.find('/', pos);
    out.push_back(percent_decode(path.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos)));
    if (next == std::string_view::npos) break;
    pos = next;
  }
  return out;
}

api::ApiError make_error(std::string code, std::string title, std::string detail, std::string pointer = {}) {
  return api::ApiError{std::move(code), std::move(title), std::move(detail), std::move(pointer)};
}

// --- request schemas from the OpenAPI document -------------------------------

struct FieldRule {
  std::set<std::string> types;  // empty: anything
  std::vector<std::string> enum_values;
  std::optional<double> minimum;
  std::optional<double> maximum;
  bool int32 = false;  ///< format int32
  /// An object's own fields (answering_machine_detection_config, …); none:
  /// any members.
  std::map<std::string, FieldRule> properties;
};

struct BodySchema {
  std::vector<std::string> required;
  std::map<std::string, FieldRule> fields;
};

const Value* resolve(const Value& spec, const Value* v) {
  for (int depth = 0; v != nullptr && depth < 16; ++depth) {
    const Value* ref = v->find("$ref");
    if (ref == nullptr || !ref->is_string()) return v;
    const std::string& r = ref->as_string();
    const std::string prefix = "#/components/schemas/";
    if (r.rfind(prefix, 0) != 0) return nullptr;
    const Value* comps = spec.find("components");
    const Value* schemas = comps != nullptr ? comps->find("schemas") : nullptr;
    v = schemas != nullptr ? schemas->find(r.substr(prefix.size())) : nullptr;
  }
  return v;
}

void collect(const Value& spec, const Value* prop, FieldRule& rule, int depth = 0) {
  prop = resolve(spec, prop);
  if (prop == nullptr || depth > 8) return;
  if (const Value* t = prop->find("type")) {
    if (t->is_string()) rule.types.insert(t->as_string());
    for (const auto& item : t->items()) rule.types.insert(item.as_string());
  }
  for (const char* combo : {"oneOf", "anyOf", "allOf"}) {
    if (const Value* alts = prop->find(combo)) {
      for (const auto& alt : alts->items()) collect(spec, &alt, rule, depth + 1);
    }
  }
  if (const Value* e = prop->find("enum")) {
    for (const auto& item : e->items()) {
      if (item.is_string()) rule.enum_values.push_back(item.as_string());
    }
  }
  if (const Value* m = prop->find("minimum"); m != nullptr && m->is_number()) rule.minimum = m->as_double();
  if (const Value* m = prop->find("maximum"); m != nullptr && m->is_number()) rule.maximum = m->as_double();
  if (const Value* f = prop->find("format"); f != nullptr && f->as_string() == "int32") rule.int32 = true;
  if (const Value* props = prop->find("properties"); props != nullptr && props->is_object()) {
    for (const auto& [name, sub] : props->members()) collect(spec, &sub, rule.properties[name], depth + 1);
  }
}

/// "POST /calls", "POST /calls/{call_control_id}/actions/hangup", … → the
/// schema of the JSON request body.
std::map<std::string, BodySchema> load_schemas(const Value& spec) {
  std::map<std::string, BodySchema> out;
  const Value* paths = spec.find("paths");
  if (paths == nullptr) throw std::runtime_error("fake Telnyx: the OpenAPI document has no paths");
  for (const auto& [path, ops] : paths->members()) {
    for (const auto& [method, op] : ops.members()) {
      const Value* body = op.find("requestBody");
      const Value* content = body != nullptr ? body->find("content") : nullptr;
      const Value* media = content != nullptr ? content->find("application/json") : nullptr;
      const Value* schema = media != nullptr ? resolve(spec, media->find("schema")) : nullptr;
      if (schema == nullptr) continue;
      BodySchema s;
      if (const Value* req = schema->find("required")) {
        for (const auto& r : req->items()) s.required.push_back(r.as_string());
      }
      if (const Value* props = schema->find("properties")) {
        for (const auto& [name, prop] : props->members()) collect(spec, &prop, s.fields[name]);
      }
      out[lower(method) == "post" ? "POST " + path : lower(method) + " " + path] = std::move(s);
    }
  }
  return out;
}

bool kind_matches(const std::string& type, const Value& v) {
  if (type == "string") return v.is_string();
  if (type == "integer") return v.is_int();
  if (type == "number") return v.is_number();
  if (type == "boolean") return v.is_bool();
  if (type == "array") return v.is_array();
  if (type == "object") return v.is_object();
  if (type == "null") return v.is_null();
  return false;
}

std::optional<api::ApiError> validate_members(const std::map<std::string, FieldRule>& fields, const Value& object,
                                              const std::string& prefix);

std::optional<api::ApiError> validate(const BodySchema& schema, const Value& body) {
  if (!body.is_object()) return make_error("10015", "Bad Request", "The request body must be a JSON object.");
  for (const auto& name : schema.required) {
    const Value* v = body.find(name);
    if (v == nullptr || v->is_null() || (v->is_string() && v->as_string().empty())) {
      return make_error("10004", "Missing required parameter",
                        "The '" + name + "' parameter is required and cannot be blank.", "/" + name);
    }
  }
  return validate_members(schema.fields, body, "");
}

/// The members of one object against its fields' rules; `prefix` is the
/// object's JSON pointer ("" for the body, "/answering_machine_detection_config").
std::optional<api::ApiError> validate_members(const std::map<std::string, FieldRule>& fields, const Value& object,
                                              const std::string& prefix) {
  for (const auto& member : object.members()) {
    const std::string name = prefix.empty() ? member.first : prefix.substr(1) + "." + member.first;
    const std::string pointer = prefix + "/" + member.first;
    const Value& v = member.second;  // (clang 14 cannot capture structured bindings)
    auto it = fields.find(member.first);
    if (it == fields.end()) {
      return make_error("10015", "Bad Request", "'" + name + "' is not a parameter of this command.", pointer);
    }
    const FieldRule& rule = it->second;
    if (!rule.types.empty() &&
        std::none_of(rule.types.begin(), rule.types.end(), [&](const std::string& t) { return kind_matches(t, v); })) {
      std::string expected;
      for (const auto& t : rule.types) expected += (expected.empty() ? "" : " or ") + t;
      return make_error("10015", "Bad Request",
                        "'" + name + "' must be of type " + expected + ", not " + api::kind_name(v.kind()) + ".",
                        pointer);
    }
    if (v.is_string() && !rule.enum_values.empty() &&
        std::find(rule.enum_values.begin(), rule.enum_values.end(), v.as_string()) == rule.enum_values.end()) {
      std::string allowed;
      for (const auto& e : rule.enum_values) allowed += (allowed.empty() ? "" : ", ") + e;
      return make_error("10032", "Invalid enumerated value", "The value must be one of: " + allowed + ".", pointer);
    }
    if (v.is_number() && ((rule.minimum && v.as_double() < *rule.minimum) ||
                          (rule.maximum && v.as_double() > *rule.maximum))) {
      auto num = [](const std::optional<double>& d) {
        return d ? std::to_string(static_cast<long long>(*d)) : std::string("…");
      };
      return make_error("10033", "Value outside of range",
                        "The value is outside of allowed range " + num(rule.minimum) + " to " + num(rule.maximum),
                        pointer);
    }
    if (rule.int32 && v.is_int() && (v.as_int() < INT32_MIN || v.as_int() > INT32_MAX)) {
      return make_error("10033", "Value outside of range",
                        "The value is outside of allowed range -2147483648 to 2147483647", pointer);
    }
    if (v.is_object() && !rule.properties.empty()) {
      if (auto e = validate_members(rule.properties, v, pointer)) return e;
    }
  }
  return std::nullopt;
}

Response json_response(int status, std::string body) {
  Response res;
  res.result(static_cast<unsigned>(status));
  res.version(11);
  res.set(http::field::content_type, "application/json");
  res.set(http::field::server, "fake-telnyx");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Response error_response(int status, const api::ApiError& e) { return json_response(status, api::encode_errors({e})); }

sim::Micros since(Clock::time_point t0) {
  return std::chrono::duration_cast<sim::Micros>(Clock::now() - t0);
}

/// http://host:port/path → (host, port, target).
struct PlainUrl {
  std::string host;
  std::string port;
  std::string target;
};

std::optional<PlainUrl> parse_plain_url(const std::string& url) {
  const std::string prefix = "http://";
  if (url.rfind(prefix, 0) != 0) return std::nullopt;
  std::string rest = url.substr(prefix.size());
  const auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  PlainUrl u;
  u.target = slash == std::string::npos ? "/" : rest.substr(slash);
  const auto colon = authority.rfind(':');
  if (colon == std::string::npos) {
    u.host = authority;
    u.port = "80";
  } else {
    u.host = authority.substr(0, colon);
    u.port = authority.substr(colon + 1);
  }
  if (u.host.empty()) return std::nullopt;
  return u;
}

std::uint16_t to_port(const tcp::acceptor& a) { return a.local_endpoint().port(); }

}  // namespace

std::string test_signing_seed() { return kJavaSdkSeed; }
std::string test_public_key() { return kJavaSdkPublicKey; }

// =============================================================================
// FakeTelnyx

class FakeTelnyx::Impl {
 public:
  explicit Impl(FakeTelnyxOptions o) : opts_(std::move(o)) {
    if (opts_.fixtures_dir.empty()) opts_.fixtures_dir = default_fixtures_dir();
    if (opts_.signing_seed_b64.empty()) opts_.signing_seed_b64 = kJavaSdkSeed;
    spec_ = read_json(opts_.fixtures_dir + "/call-control.openapi.json");
    schemas_ = load_schemas(spec_);
    dial_template_ = read_json(opts_.fixtures_dir + "/openapi_dial_response_example.json");
    examples_ = read_json(opts_.fixtures_dir + "/openapi_error_422_examples.json");
    const Value others = read_json(opts_.fixtures_dir + "/openapi_error_other_examples.json");
    for (const auto& [k, v] : others.members()) examples_.set(k, v);
    ioc_.emplace(1);
    if (opts_.tls) {
      if (opts_.cert_pem.empty() || opts_.key_pem.empty()) {
        throw std::invalid_argument("fake Telnyx: tls needs cert_pem and key_pem");
      }
      ssl_ctx_.emplace(ssl::context::tls_server);
      ssl_ctx_->use_certificate_chain(net::buffer(opts_.cert_pem));
      ssl_ctx_->use_private_key(net::buffer(opts_.key_pem), ssl::context::pem);
    }
    acceptor_.emplace(*ioc_, tcp::endpoint(net::ip::make_address("127.0.0.1"), opts_.port));
    port_ = to_port(*acceptor_);
    webhook_timer_.emplace(*ioc_);
    work_.emplace(net::make_work_guard(*ioc_));
    accept();
    thread_ = std::thread([this] { ioc_->run(); });
  }

  ~Impl() {
    net::post(*ioc_, [this] {
      boost::system::error_code ec;
      acceptor_->close(ec);
      webhook_timer_->cancel();
      auto closers = sessions_;
      for (auto& [id, closer] : closers) closer();
    });
    work_.reset();
    ioc_->stop();
    if (thread_.joinable()) thread_.join();
    // Destroy pending handlers (and the sessions they own) while the rest of
    // this object is still alive.
    webhook_timer_.reset();
    acceptor_.reset();
    ioc_.reset();
  }

  // --- public API (any thread) ----------------------------------------------

  std::uint16_t port() const { return port_; }
  const FakeTelnyxOptions& options() const { return opts_; }

  std::string base_url(const std::string& host) const {
    return std::string(opts_.tls ? "https://" : "http://") + host + ":" + std::to_string(port_) + "/v2";
  }

  void inject(const Fault& f, int times) {
    std::lock_guard lock(mu_);
    for (int i = 0; i < times; ++i) faults_.push_back(f);
  }

  std::size_t pending_faults() const {
    std::lock_guard lock(mu_);
    return faults_.size();
  }

  int calls_placed() const {
    std::lock_guard lock(mu_);
    return static_cast<int>(call_order_.size());
  }

  int calls_placed(const std::string& command_id) const {
    std::lock_guard lock(mu_);
    auto it = dial_commands_.find(command_id);
    return it == dial_commands_.end() ? 0 : it->second.calls;
  }

  std::vector<RecordedRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

  std::size_t request_count() const {
    std::lock_guard lock(mu_);
    return requests_.size();
  }

  int connections_accepted() const {
    std::lock_guard lock(mu_);
    return connections_;
  }

  int tls_handshakes() const {
    std::lock_guard lock(mu_);
    return handshakes_;
  }

  void close_connections() {
    std::promise<void> done;
    net::post(*ioc_, [this, &done] {
      auto closers = sessions_;  // closing erases the map entries
      for (auto& [id, closer] : closers) closer();
      done.set_value();
    });
    done.get_future().wait();
  }

  void set_webhook_faults(bool duplicate, bool reorder) {
    std::lock_guard lock(mu_);
    duplicate_ = duplicate;
    reorder_ = reorder;
  }

  std::vector<DeliveredWebhook> webhooks() const {
    std::lock_guard lock(mu_);
    return delivered_;
  }

  std::vector<std::string> call_control_ids() const {
    std::lock_guard lock(mu_);
    return call_order_;
  }

  std::string refusal_of(const std::string& call_control_id) const {
    std::lock_guard lock(mu_);
    auto it = calls_.find(call_control_id);
    if (it == calls_.end() || !it->second.sim->dial().refusal) return {};
    return std::string(sim::to_string(*it->second.sim->dial().refusal));
  }

  bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout) const {
    const auto deadline = Clock::now() + timeout;
    while (true) {
      std::uint64_t seen;
      {
        std::lock_guard lock(mu_);
        seen = version_;
      }
      if (pred()) return true;
      if (Clock::now() >= deadline) return false;
      std::unique_lock lock(mu_);
      cv_.wait_until(lock, std::min(deadline, Clock::now() + std::chrono::milliseconds(20)),
                     [&] { return version_ != seen; });
    }
  }

  // --- connections (io thread) -----------------------------------------------

  template <class Stream>
  class Session;

  void accept();

  // --- request handling (io thread) ------------------------------------------

  struct Plan {
    std::size_t index = 0;
    std::optional<Fault> fault;
  };

  /// Records the request and takes the fault that applies to it, if any.
  Plan begin(const Request& req, std::uint64_t connection) {
    std::lock_guard lock(mu_);
    RecordedRequest r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    for (const auto& f : req) r.headers[lower(f.name_string())] = std::string(f.value());
    r.body = req.body();
    r.connection = connection;
    requests_.push_back(std::move(r));
    Plan p;
    p.index = requests_.size() - 1;
    for (auto it = faults_.begin(); it != faults_.end(); ++it) {
      if (it->match.empty() || std::string_view(req.target()).find(it->match) != std::string_view::npos) {
        p.fault = *it;
        faults_.erase(it);
        break;
      }
    }
    changed();
    return p;
  }

  void set_status(std::size_t index, int status) {
    std::lock_guard lock(mu_);
    if (index < requests_.size()) requests_[index].status = status;
    changed();
  }

  Response fault_response(const Fault& f) {
    switch (f.kind) {
      case Fault::Kind::rate_limit: {
        auto res = error_response(429, make_error("429", "Too Many Requests", "Rate limit exceeded."));
        if (!f.retry_after.empty()) res.set(http::field::retry_after, f.retry_after);
        if (!f.ratelimit_reset.empty()) res.set("x-ratelimit-reset", f.ratelimit_reset);
        return res;
      }
      case Fault::Kind::telnyx_error: {
        const Value* example = &examples_;
        std::string key = f.example;
        std::size_t pos = 0;
        while (example != nullptr && pos <= key.size()) {
          const auto dot = key.find('.', pos);
          example = example->find(key.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos));
          if (dot == std::string::npos) break;
          pos = dot + 1;
        }
        if (example == nullptr) throw std::runtime_error("fake Telnyx: no error example '" + f.example + "'");
        return json_response(f.status, api::encode(*example));
      }
      case Fault::Kind::status:
      default: {
        const std::string title = f.status == 503 ? "Service unavailable" : "Internal server error";
        return error_response(f.status, make_error("10007", title, title));
      }
    }
  }

  /// The API itself.
  Response process(const Request& req) {
    std::lock_guard lock(mu_);
    auto res = route(req);
    changed();
    return res;
  }

  Response route(const Request& req) {
    if (req[http::field::authorization] != "Bearer " + opts_.api_key) {
      return error_response(401, make_error("401", "Unauthorized", "Unauthorized"));
    }
    const std::string accept(req[http::field::accept]);
    if (accept.find("application/json") == std::string::npos && accept.find("*/*") == std::string::npos) {
      return error_response(406, make_error("10015", "Bad Request", "Accept must allow application/json."));
    }
    std::string_view target = req.target();
    target = target.substr(0, target.find('?'));
    auto parts = split_path(target);
    if (parts.empty() || parts[0] != "v2") return not_found();
    parts.erase(parts.begin());
    const bool post = req.method() == http::verb::post;
    const bool get = req.method() == http::verb::get;
    const bool del = req.method() == http::verb::delete_;
    std::optional<Value> body;
    if (post) {
      const std::string type(req[http::field::content_type]);
      if (type.rfind("application/json", 0) != 0) {
        return error_response(415, make_error("10015", "Bad Request", "Content-Type must be application/json."));
      }
      std::string err;
      body = api::parse(req.body(), &err);
      if (!body) return error_response(400, make_error("10028", "Character encoding error", "Error decoding request body: " + err));
    }
    if (parts.size() == 1 && parts[0] == "calls" && post) return dial(*body);
    if (parts.size() == 2 && parts[0] == "calls" && get) return status(parts[1]);
    if (parts.size() == 4 && parts[0] == "calls" && parts[2] == "actions" && post) {
      return action(parts[1], parts[3], *body);
    }
    if (parts.size() == 2 && parts[0] == "recordings" && get) return recording(parts[1]);
    if (parts.size() == 2 && parts[0] == "recordings" && del) return delete_recording(parts[1]);
    if (parts.size() == 3 && parts[0] == "connections" && parts[2] == "active_calls" && get) {
      return active_calls(parts[1], req.target());
    }
    return not_found();
  }

  // GET /v2/connections/{id}/active_calls: the calls up on the connection,
  // cursor-paginated as Telnyx does (page[limit], 1 to 250, default 20;
  // meta.cursors.after names the last call of the page).
  Response active_calls(const std::string& connection_id, std::string_view target) {
    auto query_value = [&](std::string_view key) -> std::string {
      const auto q = target.find('?');
      if (q == std::string_view::npos) return {};
      std::string_view rest = target.substr(q + 1);
      while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == key) return std::string(pair.substr(eq + 1));
        if (amp == std::string_view::npos) break;
        rest = rest.substr(amp + 1);
      }
      return {};
    };
    int limit = 20;
    if (const std::string l = query_value("page%5Blimit%5D"); !l.empty()) {
      limit = std::atoi(l.c_str());
      if (limit < 1 || limit > 250) {
        return error_response(422, make_error("10015", "Bad Request", "page[limit] must be between 1 and 250.", "/page/limit"));
      }
    }
    const std::string after = query_value("page%5Bafter%5D");
    bool skipping = !after.empty();
    Value data = Value::array();
    std::string last;
    std::size_t total = 0;
    bool more = false;
    for (const auto& id : call_order_) {
      auto it = calls_.find(id);
      if (it == calls_.end()) continue;
      const auto& c = *it->second.sim;
      if (c.dial().connection_id != connection_id || !c.status(since(it->second.started)).is_alive) continue;
      ++total;
      if (skipping) {
        if (id == after) skipping = false;
        continue;
      }
      if (static_cast<int>(data.items().size()) == limit) {
        more = true;
        continue;
      }
      Value item = Value::object();
      item.set("record_type", "call");
      item.set("call_control_id", c.ids().call_control_id);
      item.set("call_leg_id", c.ids().call_leg_id);
      item.set("call_session_id", c.ids().call_session_id);
      if (c.dial().client_state) item.set("client_state", *c.dial().client_state);
      item.set("call_duration", c.status(since(it->second.started)).call_duration);
      data.push(std::move(item));
      last = id;
    }
    Value cursors = Value::object();
    if (more) cursors.set("after", last);
    Value meta = Value::object();
    meta.set("cursors", std::move(cursors));
    meta.set("total_items", static_cast<std::int64_t>(total));
    Value answer = Value::object();
    answer.set("data", std::move(data));
    answer.set("meta", std::move(meta));
    return json_response(200, api::encode(answer));
  }

  Response not_found() {
    return error_response(404, make_error("10005", "Resource not found", "The requested resource or URL could not be found."));
  }

  Response invalid_call_control_id() {
    return json_response(422, api::encode(*examples_.find("invalid_call_control_id")));
  }

  sim::Dial to_sim_dial(const Value& b) {
    sim::Dial d;
    if (const Value* to = b.find("to")) d.to = to->is_array() && !to->items().empty() ? to->items()[0].as_string() : to->as_string();
    d.from = b.string_at("from");
    d.connection_id = b.string_at("connection_id");
    if (const Value* cs = b.find("client_state"); cs != nullptr && cs->is_string()) d.client_state = cs->as_string();
    d.webhook_url = b.string_at("webhook_url");
    d.record = b.string_at("record") == "record-from-answer";
    if (const Value* f = b.find("record_format")) d.record_format = f->as_string();
    d.record_channels = "dual";  // the spec's default
    if (const Value* c = b.find("record_channels")) d.record_channels = c->as_string();
    if (auto amd = sim::parse_amd_mode(b.string_at("answering_machine_detection"))) d.amd = *amd;
    d.timeout_secs = 30;  // the spec's default
    if (const Value* t = b.find("timeout_secs")) d.timeout_secs = static_cast<int>(t->as_int());
    if (const Value* t = b.find("time_limit_secs")) d.time_limit_secs = static_cast<int>(t->as_int());
    return d;
  }

  Response dial(const Value& body) {
    if (auto e = validate(schemas_["POST /calls"], body)) return error_response(422, *e);
    // command_id is optional; Telnyx ignores a dial repeating one it saw
    // less than 60 s ago (the same call, not a second one) and places a new
    // call for a later repeat.
    const std::string& command_id = body.string_at("command_id");
    if (auto it = dial_commands_.find(command_id); !command_id.empty() && it != dial_commands_.end() &&
                                                   Clock::now() - it->second.first_seen < command_window()) {
      return json_response(200, calls_.at(it->second.call_control_id).dial_answer);
    }
    const Value* to = body.find("to");
    if (to == nullptr || !to->is_string() || (!is_e164(to->as_string()) && to->as_string().rfind("sip:", 0) != 0)) {
      return error_response(422, make_error("10016", "Phone number must be in +E164 format",
                                            "The 'to' parameter must be in E164 format.", "/to"));
    }
    if (!is_e164(body.string_at("from"))) {
      return error_response(422, make_error("10016", "Phone number must be in +E164 format",
                                            "The 'from' parameter must be in E164 format.", "/from"));
    }
    if (const Value* cs = body.find("client_state"); cs != nullptr && !base64::decode(cs->as_string())) {
      return error_response(422, make_error("10015", "Bad Request", "client_state must be a valid Base-64 encoded string.",
                                            "/client_state"));
    }
    const std::string& hook = body.string_at("webhook_url");
    if (!hook.empty() && hook.rfind("http://", 0) != 0 && hook.rfind("https://", 0) != 0) {
      return error_response(422, make_error("10015", "Bad Request", "webhook_url must be an http(s) URL.", "/webhook_url"));
    }

    sim::Dial sim_dial = to_sim_dial(body);
    sim_dial.refusal = refusal_for(sim_dial);

    sim::Options so;
    so.speed = opts_.sim_speed;
    so.delivered_to = opts_.default_webhook_url;
    so.recording_url_base = base_url("127.0.0.1");
    so.wav_only = false;
    so.public_recording_urls = opts_.public_recording_urls;
    const auto start = std::chrono::time_point_cast<sim::Micros>(std::chrono::system_clock::now());
    auto call = std::make_unique<sim::SimCall>(std::move(sim_dial), so, start,
                                               opts_.seed + static_cast<std::uint64_t>(call_order_.size()));
    CallState st;
    st.started = Clock::now();
    st.webhook_url = hook.empty() ? opts_.default_webhook_url : hook;
    const auto& ids = call->ids();

    Value data = dial_template_.find("data") != nullptr ? *dial_template_.find("data") : Value::object();
    data.set("call_control_id", ids.call_control_id);
    data.set("call_leg_id", ids.call_leg_id);
    data.set("call_session_id", ids.call_session_id);
    if (const Value* cs = body.find("client_state")) data.set("client_state", *cs);
    else data.erase("client_state");
    // Telnyx answers the dial while the call is being set up: not alive
    // yet (its own example says false), no duration, no end_time.
    data.set("is_alive", false);
    data.set("call_duration", 0);
    data.set("record_type", "call");
    if (!ids.recording_id.empty()) data.set("recording_id", ids.recording_id);
    else data.erase("recording_id");
    data.set("start_time", sim::format_time_micros(start));
    data.erase("end_time");
    Value answer = Value::object();
    answer.set("data", std::move(data));
    st.dial_answer = api::encode(answer);
    st.sim = std::move(call);

    const std::string id = ids.call_control_id;
    if (!command_id.empty()) {
      auto& seen = dial_commands_[command_id];
      seen.call_control_id = id;
      seen.first_seen = Clock::now();
      ++seen.calls;
    }
    call_order_.push_back(id);
    auto& stored = calls_[id] = std::move(st);
    net::post(*ioc_, [this] { schedule_webhooks(); });
    return json_response(200, stored.dial_answer);
  }

  /// The account check a dial fails, in the order Telnyx's routing makes
  /// them: a profile to route with, a caller ID of the account, a free channel.
  std::optional<sim::Refusal> refusal_for(const sim::Dial& d) const {
    if (!opts_.outbound_voice_profile) return sim::Refusal::no_outbound_profile;
    if (!opts_.caller_ids.empty() && opts_.caller_ids.count(d.from) == 0) return sim::Refusal::caller_id;
    if (opts_.channel_limit > 0 && live_calls() >= opts_.channel_limit) return sim::Refusal::channel_limit;
    return std::nullopt;
  }

  /// Calls holding a channel now: placed, not refused, not yet hung up.
  int live_calls() const {
    int n = 0;
    for (const auto& [id, st] : calls_) {
      if (!st.sim->dial().refusal && st.sim->status(since(st.started)).is_alive) ++n;
    }
    return n;
  }

  struct CallState;

  /// GET /v2/calls/{id} of a call Telnyx does not know, or no longer knows.
  Response unknown_call() { return not_found(); }

  /// Telnyx serves a call's status, and takes commands for it, until 10
  /// minutes after its end (call_retention, simulated time); after that its
  /// call_control_id is unknown.
  bool forgotten(const CallState& st) const {
    const sim::StatusView v = st.sim->status(since(st.started));
    if (!v.end_time) return false;
    const sim::Micros ended = *v.end_time - v.start_time;
    return st.sim->simulated(since(st.started)) - ended >= sim::Micros(opts_.call_retention);
  }

  Response status(const std::string& id) {
    auto it = calls_.find(id);
    if (it == calls_.end() || forgotten(it->second)) return unknown_call();
    const auto& c = *it->second.sim;
    const auto v = c.status(since(it->second.started));
    Value data = Value::object();
    data.set("record_type", "call");
    data.set("call_session_id", c.ids().call_session_id);
    data.set("call_leg_id", c.ids().call_leg_id);
    data.set("call_control_id", c.ids().call_control_id);
    data.set("is_alive", v.is_alive);
    if (c.dial().client_state) data.set("client_state", *c.dial().client_state);
    data.set("call_duration", v.call_duration);
    data.set("start_time", sim::format_time_micros(v.start_time));
    if (v.end_time) data.set("end_time", sim::format_time_micros(*v.end_time));
    Value answer = Value::object();
    answer.set("data", std::move(data));
    return json_response(200, api::encode(answer));
  }

  // GET /v2/recordings/{id}; after DELETE, 404 as for an unknown id.
  Response recording(const std::string& id) {
    if (auto data = recording_data(id)) {
      Value answer = Value::object();
      answer.set("data", std::move(*data));
      return json_response(200, api::encode(answer));
    }
    return recording_not_found();
  }

  // DELETE /v2/recordings/{id}: "Permanently deletes a call recording",
  // answering 200 with the recording (RecordingResponseBody) once, then 404
  // as for any unknown id.
  Response delete_recording(const std::string& id) {
    auto data = recording_data(id);
    if (!data) return recording_not_found();
    deleted_recordings_.insert(id);
    Value answer = Value::object();
    answer.set("data", std::move(*data));
    return json_response(200, api::encode(answer));
  }

  Response recording_not_found() {
    return json_response(404, api::encode(*examples_.find("_404_call_recordings_examples")->find("not_found")));
  }

  // The recording resource (RecordingResponseData) of a saved, not deleted recording.
  std::optional<Value> recording_data(const std::string& id) {
    if (deleted_recordings_.count(id) != 0) return std::nullopt;
    for (auto& [ccid, st] : calls_) {
      auto rec = st.sim->recording(id);
      if (!rec) continue;
      if (st.sim->simulated(since(st.started)) < rec->saved_at) break;  // not saved yet
      const auto& ids = st.sim->ids();
      // Like Telnyx's presigned download URLs: a new one per answer, valid
      // for 10 minutes (the webhook's own URL expires the same way).
      Value urls = Value::object();
      urls.set(rec->format, rec->url + "?X-Amz-Expires=600&X-Amz-Signature=fresh-" + std::to_string(++urls_issued_));
      Value data = Value::object();
      data.set("call_control_id", ids.call_control_id);
      data.set("call_leg_id", ids.call_leg_id);
      data.set("call_session_id", ids.call_session_id);
      data.set("channels", rec->channels);
      data.set("created_at", sim::format_time_micros(rec->ended_at));
      data.set("download_urls", std::move(urls));
      data.set("duration_millis", static_cast<std::int64_t>(rec->audio.count() / 1000));
      data.set("id", rec->id);
      data.set("record_type", "recording");
      data.set("recording_started_at", sim::format_time_micros(rec->started_at));
      data.set("recording_ended_at", sim::format_time_micros(rec->ended_at));
      data.set("source", "call");
      data.set("status", "completed");
      data.set("updated_at", sim::format_time_micros(rec->ended_at));
      return data;
    }
    return std::nullopt;
  }

  Response action(const std::string& id, const std::string& name, const Value& body) {
    auto schema = schemas_.find("POST /calls/{call_control_id}/actions/" + name);
    static const std::set<std::string> supported = {"hangup",       "send_dtmf",    "record_start", "record_stop",
                                                    "record_pause", "record_resume", "transfer",    "speak",
                                                    "playback_start", "playback_stop"};
    if (schema == schemas_.end() || supported.count(name) == 0) return not_found();
    auto it = calls_.find(id);
    if (it == calls_.end() || forgotten(it->second)) return invalid_call_control_id();
    if (auto e = validate(schema->second, body)) return error_response(422, *e);
    // As for dials: a command_id seen on this call less than 60 s ago is
    // answered as before and not applied again; none, or an older one, is
    // carried out.
    const std::string& command_id = body.string_at("command_id");
    CallState& st = it->second;
    if (auto done = st.answers.find(command_id); !command_id.empty() && done != st.answers.end() &&
                                                 Clock::now() - done->second.first_seen < command_window()) {
      return json_response(done->second.status, done->second.body);  // already applied
    }
    const auto now = since(st.started);
    sim::SimCall& c = *st.sim;
    sim::CommandResult r;
    if (name == "hangup") r = c.hangup(now);
    else if (name == "send_dtmf") r = c.send_dtmf(now, body.string_at("digits"));
    else if (name == "record_start") r = c.record_start(now, body.string_at("format"), body.string_at("channels"));
    else if (name == "record_stop") r = c.record_stop(now);
    else if (name == "record_pause") r = c.record_pause(now);
    else if (name == "record_resume") r = c.record_resume(now);
    else if (name == "transfer") r = c.transfer(now, body.string_at("to"), body.string_at("from"));
    else if (name == "speak") r = c.speak(now, body.string_at("payload"), body.string_at("voice"), body.string_at("language"),
                                               body.string_at("service_level"));
    else if (name == "playback_start") r = c.playback_start(now, body.string_at("audio_url"));
    else r = c.playback_stop(now);
    Answer answer;
    answer.first_seen = Clock::now();
    if (r) {
      answer.status = 200;
      answer.body = R"({"data":{"result":"ok"}})";
    } else {
      const auto& e = *r.error;
      answer.status = e.http_status;
      answer.body = api::encode_errors({make_error(e.code, e.title, e.detail, e.source_pointer)});
    }
    if (!command_id.empty()) st.answers[command_id] = answer;
    net::post(*ioc_, [this] { schedule_webhooks(); });
    return json_response(answer.status, answer.body);
  }

  // --- webhooks (io thread) ----------------------------------------------------

  void schedule_webhooks() {
    std::optional<Clock::time_point> next;
    {
      std::lock_guard lock(mu_);
      if (!opts_.send_webhooks) return;
      for (auto& [id, st] : calls_) {
        if (auto due = st.sim->next_due()) {
          const auto at = st.started + std::chrono::duration_cast<Clock::duration>(*due);
          if (!next || at < *next) next = at;
        }
      }
    }
    if (!next) return;
    if (webhook_armed_ && *next >= webhook_at_) return;
    webhook_armed_ = true;
    webhook_at_ = *next;
    webhook_timer_->expires_at(*next);
    webhook_timer_->async_wait([this](boost::system::error_code ec) {
      if (ec == net::error::operation_aborted) return;
      webhook_armed_ = false;
      collect_due();
      schedule_webhooks();
    });
  }

  void collect_due() {
    {
      std::lock_guard lock(mu_);
      for (auto& [id, st] : calls_) {
        auto due = st.sim->take_due(since(st.started));
        for (auto& env : due) {
          if (reorder_) st.held.push_back(std::move(env));
          else enqueue(st.webhook_url, env);
        }
        if (reorder_ && st.sim->done() && !st.held.empty()) {
          for (auto it = st.held.rbegin(); it != st.held.rend(); ++it) enqueue(st.webhook_url, *it);
          st.held.clear();
        }
      }
    }
    send_next();
  }

  void enqueue(const std::string& url, const sim::Envelope& env) {
    if (url.empty()) return;
    outbox_.push_back(Outgoing{url, env.event_type, env.body});
    if (duplicate_) outbox_.push_back(Outgoing{url, env.event_type, sim::with_attempt(env.body, 2)});
  }

  struct Outgoing {
    std::string url;
    std::string event_type;
    std::string body;
  };

  struct Delivery {
    Outgoing out;
    std::optional<PlainUrl> url;
    tcp::resolver resolver;
    beast::tcp_stream stream;
    Request req;
    Response res;
    beast::flat_buffer buffer;
    explicit Delivery(net::io_context& ioc) : resolver(ioc), stream(ioc) {}
  };

  void send_next() {
    std::shared_ptr<Delivery> d;
    {
      std::lock_guard lock(mu_);
      if (sending_ || outbox_.empty()) return;
      sending_ = true;
      d = std::make_shared<Delivery>(*ioc_);
      d->out = std::move(outbox_.front());
      outbox_.pop_front();
    }
    d->url = parse_plain_url(d->out.url);
    if (!d->url) return delivered(d, 0);
    const std::string ts = std::to_string(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
    d->req.method(http::verb::post);
    d->req.target(d->url->target);
    d->req.version(11);
    d->req.set(http::field::host, d->url->host + ":" + d->url->port);
    d->req.set(http::field::user_agent, "telnyx-webhooks");
    d->req.set(http::field::content_type, "application/json");
    d->req.set("telnyx-timestamp", ts);
    d->req.set("telnyx-signature-ed25519", telnyx::sign(opts_.signing_seed_b64, ts, d->out.body));
    d->req.keep_alive(false);
    d->req.body() = d->out.body;
    d->req.prepare_payload();
    d->resolver.async_resolve(d->url->host, d->url->port, [this, d](boost::system::error_code ec, tcp::resolver::results_type r) {
      if (ec) return delivered(d, 0);
      d->stream.expires_after(std::chrono::seconds(5));
      d->stream.async_connect(r, [this, d](boost::system::error_code cec, const tcp::endpoint&) {
        if (cec) return delivered(d, 0);
        http::async_write(d->stream, d->req, [this, d](boost::system::error_code wec, std::size_t) {
          if (wec) return delivered(d, 0);
          http::async_read(d->stream, d->buffer, d->res, [this, d](boost::system::error_code rec, std::size_t) {
            delivered(d, rec ? 0 : static_cast<int>(d->res.result_int()));
          });
        });
      });
    });
  }

  void delivered(const std::shared_ptr<Delivery>& d, int status) {
    boost::system::error_code ec;
    d->stream.socket().close(ec);
    {
      std::lock_guard lock(mu_);
      delivered_.push_back(DeliveredWebhook{d->out.url, d->out.event_type, d->out.body, status});
      sending_ = false;
      changed();
    }
    send_next();
  }

  // --- state -----------------------------------------------------------------

  void changed() {  // with mu_ held
    ++version_;
    cv_.notify_all();
  }

  /// A command's answer, kept for repeats of its command_id.
  struct Answer {
    int status = 200;
    std::string body;
    Clock::time_point first_seen;
  };

  struct CallState {
    std::unique_ptr<sim::SimCall> sim;
    Clock::time_point started;
    std::string webhook_url;
    std::string dial_answer;
    std::map<std::string, Answer> answers;  // command_id → its answer
    std::vector<sim::Envelope> held;        // reordering
  };

  /// A dial's command_id: the call it placed last, when, and how many calls
  /// it placed (a repeat after the window places another).
  struct DialCommand {
    std::string call_control_id;
    Clock::time_point first_seen;
    int calls = 0;
  };

  /// Simulated time as real time on the fake's clock.
  Clock::duration real_time(std::chrono::seconds simulated) const {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(simulated) / opts_.sim_speed);
  }
  Clock::duration command_window() const { return real_time(opts_.command_id_window); }

  FakeTelnyxOptions opts_;
  Value spec_;
  std::map<std::string, BodySchema> schemas_;
  Value dial_template_;
  Value examples_;
  std::uint16_t port_ = 0;

  std::optional<net::io_context> ioc_;
  std::optional<ssl::context> ssl_ctx_;
  std::optional<tcp::acceptor> acceptor_;
  std::optional<net::steady_timer> webhook_timer_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  std::thread thread_;

  // io thread only
  std::map<std::uint64_t, std::function<void()>> sessions_;  // closers of live connections
  bool webhook_armed_ = false;
  Clock::time_point webhook_at_{};

  // guarded by mu_
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::uint64_t version_ = 0;
  std::deque<Fault> faults_;
  std::vector<RecordedRequest> requests_;
  int connections_ = 0;
  int handshakes_ = 0;
  std::map<std::string, DialCommand> dial_commands_;
  std::map<std::string, CallState> calls_;
  std::uint64_t urls_issued_ = 0;  ///< recording download URLs answered (each one is new)
  std::set<std::string> deleted_recordings_;  ///< DELETE /v2/recordings/{id} answered 200
  std::vector<std::string> call_order_;
  bool duplicate_ = false;
  bool reorder_ = false;
  std::deque<Outgoing> outbox_;
  bool sending_ = false;
  std::vector<DeliveredWebhook> delivered_;
};

/// One server connection: reads requests, applies faults, answers.
template <class Stream>
class FakeTelnyx::Impl::Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(Impl& impl, std::uint64_t id, tcp::socket socket, ssl::context* ctx)
      : impl_(impl), id_(id), stream_(make(std::move(socket), ctx)), timer_(stream_.get_executor()) {}

  void handshake() {
    if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
      register_closer();
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(10));
      stream_.async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](boost::system::error_code ec) {
        if (ec) return self->close();
        {
          std::lock_guard lock(self->impl_.mu_);
          ++self->impl_.handshakes_;
          self->impl_.changed();
        }
        self->read();
      });
    }
  }

  void read() {
    register_closer();
    parser_.emplace();
    parser_->body_limit(1 << 20);
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
    http::async_read(stream_, buffer_, *parser_, [self = this->shared_from_this()](boost::system::error_code ec, std::size_t) {
      if (ec) return self->close();
      self->req_ = self->parser_->release();
      self->plan_ = self->impl_.begin(self->req_, self->id_);
      if (self->plan_.fault && self->plan_.fault->kind == Fault::Kind::delay) {
        self->timer_.expires_after(self->plan_.fault->delay);
        self->timer_.async_wait([self](boost::system::error_code) { self->respond(); });
        return;
      }
      self->respond();
    });
  }

 private:
  static Stream make(tcp::socket socket, ssl::context* ctx) {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      (void)ctx;
      return Stream(std::move(socket));
    } else {
      return Stream(std::move(socket), *ctx);
    }
  }

  void register_closer() {
    std::weak_ptr<Session> weak = this->shared_from_this();
    impl_.sessions_[id_] = [weak] {
      if (auto s = weak.lock()) s->close();
    };
  }

  void respond() {
    const auto& fault = plan_.fault;
    using K = Fault::Kind;
    if (fault && fault->kind == K::drop && !fault->apply_first) {
      impl_.set_status(plan_.index, 0);
      return close();
    }
    const bool failing = fault && (fault->kind == K::status || fault->kind == K::rate_limit || fault->kind == K::telnyx_error);
    if (!failing || fault->apply_first) res_ = impl_.process(req_);
    if (fault && fault->kind == K::drop) {  // applied, answer lost
      impl_.set_status(plan_.index, 0);
      return close();
    }
    if (failing) res_ = impl_.fault_response(*fault);
    close_after_ = (fault && fault->kind == K::close_after) || !req_.keep_alive();
    res_.keep_alive(!close_after_ || (fault && fault->kind == K::close_after));
    impl_.set_status(plan_.index, static_cast<int>(res_.result_int()));
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(10));
    http::async_write(stream_, res_, [self = this->shared_from_this()](boost::system::error_code ec, std::size_t) {
      if (ec || self->close_after_) return self->close();
      self->read();
    });
  }

  void close() {
    impl_.sessions_.erase(id_);
    auto& tcp_stream = beast::get_lowest_layer(stream_);
    boost::system::error_code ec;
    tcp_stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    tcp_stream.close();
  }

  Impl& impl_;
  std::uint64_t id_;
  Stream stream_;
  net::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Request req_;
  Response res_;
  Plan plan_;
  bool close_after_ = false;
};

void FakeTelnyx::Impl::accept() {
  acceptor_->async_accept(*ioc_, [this](boost::system::error_code ec, tcp::socket socket) {
    if (ec) return;  // closed
    std::uint64_t id;
    {
      std::lock_guard lock(mu_);
      ++connections_;
      id = static_cast<std::uint64_t>(connections_);
      changed();
    }
    if (ssl_ctx_) {
      auto s = std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(*this, id, std::move(socket), &*ssl_ctx_);
      s->handshake();
    } else {
      auto s = std::make_shared<Session<beast::tcp_stream>>(*this, id, std::move(socket), nullptr);
      s->read();
    }
    accept();
  });
}

FakeTelnyx::FakeTelnyx(FakeTelnyxOptions options) : impl_(std::make_shared<Impl>(std::move(options))) {}
FakeTelnyx::~FakeTelnyx() = default;
std::uint16_t FakeTelnyx::port() const { return impl_->port(); }
std::string FakeTelnyx::base_url(const std::string& host) const { return impl_->base_url(host); }
const FakeTelnyxOptions& FakeTelnyx::options() const noexcept { return impl_->options(); }
void FakeTelnyx::inject(const Fault& f, int times) { impl_->inject(f, times); }
std::size_t FakeTelnyx::pending_faults() const { return impl_->pending_faults(); }
int FakeTelnyx::calls_placed() const { return impl_->calls_placed(); }
int FakeTelnyx::calls_placed(const std::string& command_id) const { return impl_->calls_placed(command_id); }
std::vector<RecordedRequest> FakeTelnyx::requests() const { return impl_->requests(); }
std::size_t FakeTelnyx::request_count() const { return impl_->request_count(); }
int FakeTelnyx::connections_accepted() const { return impl_->connections_accepted(); }
int FakeTelnyx::tls_handshakes() const { return impl_->tls_handshakes(); }
void FakeTelnyx::close_connections() { impl_->close_connections(); }
void FakeTelnyx::set_webhook_faults(bool duplicate, bool reorder) { impl_->set_webhook_faults(duplicate, reorder); }
std::vector<DeliveredWebhook> FakeTelnyx::webhooks() const { return impl_->webhooks(); }
std::vector<std::string> FakeTelnyx::call_control_ids() const { return impl_->call_control_ids(); }
std::string FakeTelnyx::refusal_of(const std::string& call_control_id) const { return impl_->refusal_of(call_control_id); }
bool FakeTelnyx::wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout) const {
  return impl_->wait_until(pred, timeout);
}

// =============================================================================
// WebhookCollector

class WebhookCollector::Impl {
 public:
  explicit Impl(int status) : status_(status) {
    ioc_.emplace(1);
    acceptor_.emplace(*ioc_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
    port_ = to_port(*acceptor_);
    work_.emplace(net::make_work_guard(*ioc_));
    accept();
    thread_ = std::thread([this] { ioc_->run(); });
  }

  ~Impl() {
    net::post(*ioc_, [this] {
      boost::system::error_code ec;
      acceptor_->close(ec);
    });
    work_.reset();
    ioc_->stop();
    if (thread_.joinable()) thread_.join();
    acceptor_.reset();
    ioc_.reset();
  }

  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

  std::vector<RecordedRequest> received() const {
    std::lock_guard lock(mu_);
    return received_;
  }

  bool wait_for(std::size_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return received_.size() >= count; });
  }

 private:
  struct Conn {
    explicit Conn(tcp::socket s) : stream(std::move(s)) {}
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    Request req;
    Response res;
  };

  void accept() {
    acceptor_->async_accept(*ioc_, [this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) return;
      read(std::make_shared<Conn>(std::move(socket)));
      accept();
    });
  }

  void read(const std::shared_ptr<Conn>& c) {
    c->req = {};
    c->stream.expires_after(std::chrono::seconds(30));
    http::async_read(c->stream, c->buffer, c->req, [this, c](boost::system::error_code ec, std::size_t) {
      if (ec) return;
      RecordedRequest r;
      r.method = std::string(c->req.method_string());
      r.target = std::string(c->req.target());
      for (const auto& f : c->req) r.headers[lower(f.name_string())] = std::string(f.value());
      r.body = c->req.body();
      r.status = status_;
      {
        std::lock_guard lock(mu_);
        received_.push_back(std::move(r));
        cv_.notify_all();
      }
      c->res = {};
      c->res.result(static_cast<unsigned>(status_));
      c->res.version(11);
      c->res.keep_alive(c->req.keep_alive());
      c->res.prepare_payload();
      http::async_write(c->stream, c->res, [this, c](boost::system::error_code wec, std::size_t) {
        if (wec || !c->req.keep_alive()) {
          boost::system::error_code ignored;
          c->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
          return;
        }
        read(c);
      });
    });
  }

  int status_;
  std::uint16_t port_ = 0;
  std::optional<net::io_context> ioc_;
  std::optional<tcp::acceptor> acceptor_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  std::thread thread_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<RecordedRequest> received_;
};

WebhookCollector::WebhookCollector(int status) : impl_(std::make_shared<Impl>(status)) {}
WebhookCollector::~WebhookCollector() = default;
std::string WebhookCollector::url(const std::string& path) const { return impl_->url(path); }
std::vector<RecordedRequest> WebhookCollector::received() const { return impl_->received(); }
bool WebhookCollector::wait_for(std::size_t count, std::chrono::milliseconds timeout) const {
  return impl_->wait_for(count, timeout);
}

}  // namespace callwire::test
