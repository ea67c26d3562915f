// callwire Node addon — NativeServer: cw_server, the reference server's HTTP +
// WebSocket front door, run from Node.
#include "wrappers.h"

#include <utility>

namespace cwnode {

namespace {

/// cw_server_options with the strings it points at.
struct ServerOptions {
  std::optional<std::string> host, static_dir, cors_origins, jwt_secret, allowed_hosts, metrics_token;
  uint16_t port = 0;
  bool rest_api = true;
  bool allow_public_without_auth = false;
  size_t body_limit = 0;
  uint32_t threads = 0, worker_threads = 0;

  static ServerOptions Read(const Napi::Object& o) {
    ServerOptions r;
    r.host = OptString(o, "host");
    const uint32_t port = OptUint32(o, "port", 0);
    if (port > 65535) throw MakeError(o.Env(), CW_EINVAL, "port must be from 0 to 65535");
    r.port = static_cast<uint16_t>(port);
    r.rest_api = OptBool(o, "restApi", true);
    r.static_dir = OptString(o, "staticDir");
    r.cors_origins = OptString(o, "corsOrigins");
    r.jwt_secret = OptString(o, "jwtSecret");
    r.allow_public_without_auth = OptBool(o, "allowPublicWithoutAuth", false);
    r.body_limit = OptUint32(o, "bodyLimit", 0);
    r.threads = OptUint32(o, "threads", 0);
    r.worker_threads = OptUint32(o, "workerThreads", 0);
    r.allowed_hosts = OptString(o, "allowedHosts");
    r.metrics_token = OptString(o, "metricsToken");
    return r;
  }

  cw_server_options ToC() const {
    cw_server_options c = CW_SERVER_OPTIONS_INIT;
    c.host = CStr(host);
    c.port = port;
    c.rest_api = rest_api ? 1 : 0;
    c.static_dir = CStr(static_dir);
    c.cors_origins = CStr(cors_origins);
    c.jwt_secret = CStr(jwt_secret);
    c.allow_public_without_auth = allow_public_without_auth ? 1 : 0;
    c.body_limit = body_limit;
    c.threads = threads;
    c.worker_threads = worker_threads;
    c.allowed_hosts = CStr(allowed_hosts);
    c.metrics_token = CStr(metrics_token);
    return c;
  }
};

}  // namespace

Napi::Function NativeServer::Define(Napi::Env env) {
  return DefineClass(env, "NativeServer",
                     {
                         InstanceMethod<&NativeServer::Open>("open"),
                         InstanceMethod<&NativeServer::Start>("start"),
                         InstanceMethod<&NativeServer::Stop>("stop"),
                         InstanceMethod<&NativeServer::CloseSync>("closeSync"),
                         InstanceMethod<&NativeServer::Ref>("ref"),
                         InstanceMethod<&NativeServer::Unref>("unref"),
                     });
}

NativeServer::NativeServer(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeServer>(info) {
  Napi::Env env = info.Env();
  info.This().As<Napi::Object>().TypeTag(&kServerTag);
  keepalive_ = KeepAlive::New(env, "callwire.server", 0, 1);
  keepalive_open_ = true;
  keepalive_.Unref(env);
  // Registered after the TSFN, so it runs before Node closes the TSFN.
  cleanup_.Add(env, [this] { CloseNow(); });
}

NativeServer::~NativeServer() {
  if (handle_ || !closed_) CloseNow();
}

void NativeServer::SetKeepAlive(bool on) {
  if (!keepalive_open_) return;
  if (on) keepalive_.Ref(Env());
  else keepalive_.Unref(Env());
}

void NativeServer::ReleaseKeepAlive() {
  if (!keepalive_open_) return;
  keepalive_open_ = false;
  keepalive_.Release();
}

void NativeServer::CloseNow() {
  closed_ = true;
  started_ = false;
  cleanup_.Remove();
  ReleaseKeepAlive();
  std::shared_ptr<ServerHandle> h = std::move(handle_);
  if (h) cw_server_stop(h->get(), nullptr);
}

// open(client, options) → Promise<undefined>
Napi::Value NativeServer::Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (handle_ || open_called_ || closed_) throw MakeError(env, CW_ECONFLICT, "open() may be called once");
  std::shared_ptr<ClientHandle> client = NativeClient::From(env, info[0])->Require(env);
  const ServerOptions options = ServerOptions::Read(ArgOptions(info, 1));
  open_called_ = true;
  auto slot = std::make_shared<std::shared_ptr<ServerHandle>>();
  return Task::Start(
      env, info.This().As<Napi::Object>(),
      [client, options, slot](cw_buf*, cw_error* err) {
        const cw_server_options opts = options.ToC();
        cw_server* server = nullptr;
        const int rc = cw_server_new(&server, client->get(), &opts, err);
        if (rc == CW_OK) *slot = std::make_shared<ServerHandle>(server);
        return rc;
      },
      [this, slot](Napi::Env e, const std::string*) -> Napi::Value {
        if (!closed_) handle_ = std::move(*slot);
        return e.Undefined();
      });
}

// start() → Promise<port>
Napi::Value NativeServer::Start(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!handle_) throw MakeError(env, CW_ECLOSED, closed_ ? "the server is stopped" : "the server is not open");
  std::shared_ptr<ServerHandle> h = handle_;
  auto port = std::make_shared<uint16_t>(0);
  return Task::Start(
      env, info.This().As<Napi::Object>(),
      [h, port](cw_buf*, cw_error* err) -> int {
        const int rc = cw_server_start(h->get(), err);
        if (rc != CW_OK) return rc;
        return cw_server_port(port.get(), h->get(), err);
      },
      [this, port](Napi::Env e, const std::string*) -> Napi::Value {
        if (!closed_) {
          started_ = true;
          SetKeepAlive(refed_);
        }
        return Napi::Number::New(e, *port);
      });
}

// stop() → Promise<undefined>: stops serving and frees the server (off the JS thread).
Napi::Value NativeServer::Stop(const Napi::CallbackInfo& info) {
  closed_ = true;
  started_ = false;
  cleanup_.Remove();
  ReleaseKeepAlive();
  std::shared_ptr<ServerHandle> h = std::move(handle_);
  return Task::Start(info.Env(), Napi::Object(), [h](cw_buf*, cw_error* err) {
    return h ? cw_server_stop(h->get(), err) : CW_OK;
  });
}

Napi::Value NativeServer::CloseSync(const Napi::CallbackInfo& info) {
  CloseNow();
  return info.Env().Undefined();
}

Napi::Value NativeServer::Ref(const Napi::CallbackInfo& info) {
  refed_ = true;
  if (started_) SetKeepAlive(true);
  return info.Env().Undefined();
}

Napi::Value NativeServer::Unref(const Napi::CallbackInfo& info) {
  refed_ = false;
  SetKeepAlive(false);
  return info.Env().Undefined();
}

}  // namespace cwnode
