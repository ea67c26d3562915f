// WebhookServer: the routes of the reference server on the server layer's
// HttpServer, plus the /ws/calls fan-out of CallClient updates.
#include "callwire/webhook_server.hpp"

#include <boost/asio/io_context.hpp>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <future>
#include <thread>

#include "callwire/error.hpp"
#include "callwire/json.hpp"
#include "json/body.hpp"
#include "server/api/access_policy.hpp"
#include "server/api/auth_api.hpp"
#include "server/api/presence.hpp"
#include "server/api/rest_api.hpp"
#include "server/api/sessions.hpp"
#include "server/login_throttle.hpp"
#include "server/dispatcher.hpp"
#include "server/http_server.hpp"
#include "server/origin.hpp"
#include "server/static_files.hpp"
#include "server/websocket_hub.hpp"
#include "support/log.hpp"
#include "support/thread_name.hpp"

namespace callwire {

namespace srv = callwire::server;

namespace {


constexpr std::size_t kMinJwtSecretBytes = 32;


// Compares in time independent of where the two differ (the length is not the secret).
bool same_secret(std::string_view given, std::string_view secret) {
  if (given.size() != secret.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < given.size(); ++i) diff |= static_cast<unsigned char>(given[i] ^ secret[i]);
  return diff == 0;
}

// GET /metrics: with a metrics token, only `Authorization: Bearer <token>`;
// without one, only clients on this machine (loopback).
srv::Router::Handler metrics_guard(srv::Router::Handler inner, std::string token) {
  return [inner = std::move(inner), token = std::move(token)](const srv::Request& req, srv::Responder res) {
    if (!token.empty()) {
      const std::string_view auth = req.header("Authorization").value_or("");
      constexpr std::string_view kBearer = "Bearer ";
      if (auth.size() <= kBearer.size() || !srv::iequals(auth.substr(0, kBearer.size()), kBearer) ||
          !same_secret(auth.substr(kBearer.size()), token)) {
        auto denied = srv::Response::error(401, "The metrics need their token (CALLWIRE_METRICS_TOKEN).");
        denied.set_header("WWW-Authenticate", "Bearer");
        res.send(std::move(denied));
        return;
      }
    } else if (!req.remote_address.empty() && !srv::is_loopback_host(srv::split_authority(req.remote_address).first)) {
      res.send(srv::Response::error(403, "The metrics are served to this machine only; set CALLWIRE_METRICS_TOKEN to read them from elsewhere."));
      return;
    }
    inner(req, std::move(res));
  };
}

// GET /recordings/<id>.wav: an agent gets the files of their own calls'
// recordings only (another's is answered as a missing file); administrators
// every file. The check reads the recording, so it runs on the worker pool.
srv::Router::Handler own_recording_files(std::shared_ptr<srv::ApiContext> ctx, srv::Router::Handler inner) {
  return [ctx, inner = std::move(inner)](const srv::Request& req, srv::Responder res) {
    if (srv::principal_of(req).is_admin()) {
      inner(req, std::move(res));
      return;
    }
    srv::blocking(ctx, [ctx, inner](const srv::Request& r) {
      std::string id = r.param("file");
      if (const auto dot = id.rfind('.'); dot != std::string::npos) id.resize(dot);
      const auto rec = LogStore(ctx->client.storage()).find_recording(id);
      if (!rec || !srv::sees_recording(srv::principal_of(r), *rec)) return srv::Response::error(404, "Not Found");
      std::optional<srv::Response> answer;
      inner(r, srv::Responder::from_callback([&](srv::Response x) { answer = std::move(x); }));
      return answer ? std::move(*answer) : srv::Response::error(404, "Not Found");
    })(req, std::move(res));
  };
}

// "https://Calls.Example.com:8443/webhooks/call" → "calls.example.com"; "" for none.
std::string webhook_host(const std::string& url) {
  const auto sep = url.find("://");
  if (sep == std::string::npos) return {};
  const auto start = sep + 3;
  const auto end = url.find_first_of("/?#", start);
  return srv::SiteGuard::host_name(std::string_view(url).substr(start, end == std::string::npos ? std::string::npos : end - start));
}

std::string update_message(const CallUpdate& u) {
  return json::ObjectWriter().add("type", u.type).add_raw("call", json::encode(u.call)).finish();
}

std::string snapshot_message(const std::vector<Call>& calls) {
  return json::ObjectWriter().add("type", "snapshot").add_raw("calls", json::encode(calls)).finish();
}

// Reads a FileBody range into memory (router-only mode has no socket to stream to).
std::string read_range(const srv::FileBody& f) {
  std::ifstream in(f.path, std::ios::binary);
  std::string data(f.length, '\0');
  in.seekg(static_cast<std::streamoff>(f.offset));
  in.read(data.data(), static_cast<std::streamsize>(f.length));
  data.resize(static_cast<std::size_t>(in.gcount()));
  return data;
}

}  // namespace

class WebhookServer::Impl {
 public:
  Impl(CallClient& client, WebhookServerOptions options)
      : client_(client),
        opts_(std::move(options)),
        workers_(std::max(1u, opts_.worker_threads), "http-work"),
        metrics_(std::make_shared<srv::metrics::Registry>()),
        router_(std::make_shared<srv::Router>()) {
    if (!srv::is_loopback_host(srv::split_authority(opts_.host).first) && opts_.jwt_secret.empty() && !opts_.allow_public_without_auth) {
      throw Error(errc::invalid_argument,
                  "refusing to serve on " + opts_.host +
                      " without JWT_SECRET: anyone on the network could place calls (set JWT_SECRET, or "
                      "CALLWIRE_ALLOW_PUBLIC=1 to accept the risk)");
    }
    if (!opts_.jwt_secret.empty() && opts_.jwt_secret.size() < kMinJwtSecretBytes) {
      throw Error(errc::invalid_argument, "JWT_SECRET is too short: use at least " + std::to_string(kMinJwtSecretBytes) +
                                              " random bytes (for example: openssl rand -hex 32)");
    }
    ctx_ = std::make_shared<srv::ApiContext>(srv::ApiContext{client_, workers_, *metrics_, opts_.version, ""});
    ctx_->users = std::make_shared<UserStore>(client_.storage());
    ctx_->throttle = std::make_shared<srv::LoginThrottle>();
    if (!opts_.jwt_secret.empty()) {
      ctx_->sessions = std::make_shared<srv::Sessions>(UserStore(client_.storage()),
                                                       srv::SessionOptions{opts_.jwt_secret, opts_.session_lifetime});
    }
    if (opts_.rest_api) {
      srv::mount_rest_api(*router_, ctx_);
      srv::mount_auth_api(*router_, ctx_);
      srv::mount_users_api(*router_, ctx_);
      router_->get("/metrics", metrics_guard(srv::metrics_handler(metrics_), opts_.metrics_token));
    }
    srv::mount_webhooks(*router_, ctx_);
    if (opts_.serve_recordings) {
      srv::StaticOptions so;
      so.root = client_.recordings_dir();
      so.spa_fallback = false;
      recordings_.emplace(so);
      router_->get("/recordings/{file:path}", own_recording_files(ctx_, recordings_->handler("file")));
    }

    dispatch_.cors.allowed_origins = opts_.cors_origins;
    dispatch_.site.trusted_origins = opts_.cors_origins;
    dispatch_.site.allowed_hosts = opts_.allowed_hosts;
    dispatch_.site.bound_host = opts_.host;
    // Telnyx (or a tunnel in front of this server) sends the webhook URL's host.
    dispatch_.site.also_allowed = [&client = client_](std::string_view host) {
      return host == webhook_host(client.settings().webhook_url);
    };
    dispatch_.auth.jwt_secret = opts_.jwt_secret;
    // Recordings need the same token as the API; an <audio src> cannot send
    // a header, so there (as for WebSockets) ?token= is accepted too.
    dispatch_.auth.protected_prefixes = {"/api", "/ws", "/recordings"};
    dispatch_.auth.query_token_prefixes = {"/recordings"};
    dispatch_.auth.public_paths = {"/api/auth/login"};
    if (ctx_->sessions) {
      dispatch_.auth.check_account = [sessions = ctx_->sessions](srv::AuthInfo& info) { return sessions->check(info); };
    }
    // Who may call which route: one table (api/access_policy.cpp).
    dispatch_.authorize = [](const srv::Request& req, std::string_view pattern) { return srv::authorize(req, pattern); };
    dispatch_.metrics = metrics_;
    if (!opts_.static_dir.empty()) {
      srv::StaticOptions so;
      so.root = opts_.static_dir;
      dispatch_.static_files = so;
    }
    dispatcher_ = std::make_shared<srv::Dispatcher>(router_, dispatch_);
  }

  ~Impl() { stop(); }

  void start() {
    std::lock_guard lock(mu_);
    if (http_) throw Error(errc::conflict, "the server is already started");
    if (stopped_) throw Error(errc::closed, "the server was stopped");
    srv::HttpServerOptions h;
    h.host = opts_.host;
    h.port = opts_.port;
    h.body_limit = opts_.body_limit;
    h.max_buffered_body_bytes = opts_.max_buffered_body_bytes;
    h.max_connections_per_ip = opts_.max_connections_per_ip;
    h.dispatch = dispatch_;
    auto http = std::make_unique<srv::HttpServer>(io_, router_, h);
    hub_ = http->add_websocket("/ws/calls");
    // Presence: statuses follow calls and sockets; every change goes to every socket.
    // The hub's hooks hold the Presence; the Presence holds the hub weakly (no cycle).
    presence_ = std::make_shared<srv::Presence>(
        UserStore(client_.storage()), srv::PresenceOptions{opts_.wrap_up},
        [weak_hub = std::weak_ptr<srv::WebSocketHub>(hub_)](const User& u) {
          if (auto hub = weak_hub.lock()) {
            hub->broadcast(json::ObjectWriter().add("type", "agent.updated").add_raw("agent", json::encode(u)).finish());
          }
        });
    ctx_->presence = presence_;
    ctx_->end_sockets = [weak_hub = std::weak_ptr<srv::WebSocketHub>(hub_)](const std::string& user_id) {
      const auto hub = weak_hub.lock();
      if (!hub) return;
      hub->close_if([&](const srv::WebSocketClientInfo& info) { return info.auth && info.auth->subject == user_id; }, 1008,
                    "the session has ended; sign in again");
    };
    // Snapshot first, then every update: the hub holds broadcasts back for
    // a new client until on_open (which sends the snapshot) has returned.
    // active() reads the client's in-memory cache: no storage on this thread.
    // An agent's socket gets their own calls only (api/access_policy.cpp).
    hub_->on_open([&client = client_, presence = presence_](const std::shared_ptr<srv::WebSocketClient>& ws) {
      const srv::Principal p = srv::principal_of(ws->info().auth, false);
      std::vector<Call> calls = client.active_calls();
      std::erase_if(calls, [&](const Call& c) { return !srv::sees_call(p, c); });
      ws->send(snapshot_message(calls));
      if (p.kind == srv::Principal::Kind::user) presence->socket_opened(p.user_id);
    });
    hub_->on_close([presence = presence_](const srv::WebSocketClientInfo& info) {
      const srv::Principal p = srv::principal_of(info.auth, false);
      if (p.kind == srv::Principal::Kind::user) presence->socket_closed(p.user_id);
    });
    subscription_ = client_.subscribe([hub = hub_, presence = presence_](const CallUpdate& u) {
      hub->broadcast(update_message(u), [&u](const srv::WebSocketClientInfo& info) {
        return srv::sees_call(srv::principal_of(info.auth, false), u.call);
      });
      presence->call_changed(u.call);
    });
    http->start();
    http_ = std::move(http);
    for (unsigned i = 0; i < std::max(1u, opts_.threads); ++i) {
      threads_.emplace_back([this, i] {
        support::set_current_thread_name("cw-http-" + std::to_string(i));
        io_.run();
      });
    }
  }

  std::uint16_t port() const {
    std::lock_guard lock(mu_);
    if (!http_) throw Error(errc::conflict, "the server is not started");
    return http_->port();
  }

  void stop() {
    std::unique_ptr<srv::HttpServer> http;
    {
      std::lock_guard lock(mu_);
      if (stopped_) return;
      stopped_ = true;
      http = std::move(http_);
    }
    if (subscription_) client_.unsubscribe(subscription_);
    if (http) {
      std::promise<void> closed;
      http->stop([&closed] { closed.set_value(); });
      closed.get_future().wait();  // bounded by HttpServerOptions::stop_timeout
    }
    // Webhooks still waiting for their commit hold their connection, which
    // needs io_ alive: the client answers each (200 after its commit, or 503
    // when storage fails or the client closes), then they are gone.
    ctx_->in_flight->wait_idle();
    if (presence_) presence_->stop();  // after the sockets closed: their users are offline
    workers_.shutdown(true);
    io_.stop();
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
    http.reset();
    {
      std::lock_guard lock(mu_);
      stopped_cv_.notify_all();
    }
  }

  void wait() {
    std::unique_lock lock(mu_);
    stopped_cv_.wait(lock, [this] { return stopped_; });
  }

  void handle(HttpExchange ex, std::function<void(HttpAnswer)> done) {
    srv::Request req;
    req.method = std::move(ex.method);
    req.target = std::move(ex.target);
    const auto q = req.target.find('?');
    req.path = req.target.substr(0, q);
    req.query_string = q == std::string::npos ? "" : req.target.substr(q + 1);
    req.headers = std::move(ex.headers);
    req.body = std::move(ex.body);
    if (req.body.size() > opts_.body_limit) {
      done(HttpAnswer{413, {{"Content-Type", "application/json"}},
                      json::error_body("request body too large (limit " + std::to_string(opts_.body_limit) + " bytes)")});
      return;
    }
    dispatcher_->handle(std::move(req), [done = std::move(done)](srv::Response r) {
      HttpAnswer a;
      a.status = r.status;
      a.headers = std::move(r.headers);
      a.body = r.file ? read_range(*r.file) : std::move(r.body);
      done(std::move(a));
    });
  }

  std::vector<std::string> routes() const {
    std::vector<std::string> out;
    for (const auto& r : router_->routes()) out.push_back(r.method + " " + r.pattern);
    out.push_back("GET /ws/calls");
    return out;
  }

 private:
  CallClient& client_;
  WebhookServerOptions opts_;
  srv::WorkerPool workers_;
  std::shared_ptr<srv::metrics::Registry> metrics_;
  std::shared_ptr<srv::Router> router_;
  std::shared_ptr<srv::ApiContext> ctx_;
  std::optional<srv::StaticFiles> recordings_;
  srv::DispatcherOptions dispatch_;
  std::shared_ptr<srv::Dispatcher> dispatcher_;
  std::shared_ptr<srv::WebSocketHub> hub_;
  std::shared_ptr<srv::Presence> presence_;
  boost::asio::io_context io_;
  std::vector<std::thread> threads_;
  std::uint64_t subscription_ = 0;

  mutable std::mutex mu_;
  std::condition_variable stopped_cv_;
  std::unique_ptr<srv::HttpServer> http_;
  bool stopped_ = false;
};

WebhookServer::WebhookServer(CallClient& client, WebhookServerOptions options)
    : impl_(std::make_shared<Impl>(client, std::move(options))) {}
WebhookServer::~WebhookServer() { stop(); }
void WebhookServer::start() { impl_->start(); }
std::uint16_t WebhookServer::port() const { return impl_->port(); }
void WebhookServer::stop() {
  if (impl_) impl_->stop();
}
void WebhookServer::wait() { impl_->wait(); }
void WebhookServer::handle(HttpExchange request, std::function<void(HttpAnswer)> done) {
  impl_->handle(std::move(request), std::move(done));
}
std::vector<std::string> WebhookServer::routes() const { return impl_->routes(); }

}  // namespace callwire
