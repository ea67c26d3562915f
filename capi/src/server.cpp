// cw_server: a WebhookServer (webhooks, WebSocket, REST API, static folder)
// over a client. The handle shares the client's core, so the client lives
// until the last of its handle and its servers is freed.
#include "internal.hpp"
#include "server/middleware.hpp"

#include <cstddef>
#include <cstring>

namespace callwire::capi {
namespace {

WebhookServer& server_of(cw_server* s) {
  require(s, "server");
  return *s->server;
}

WebhookServerOptions server_options(const cw_server_options* given) {
  // NULL means CW_SERVER_OPTIONS_INIT (port 0, REST API on), not the C++ defaults.
  const cw_server_options defaults = CW_SERVER_OPTIONS_INIT;
  const cw_server_options* o = given != nullptr ? given : &defaults;
  WebhookServerOptions opts;
  opts.version = CW_VERSION_STRING;
  check_version(o->version, CW_SERVER_OPTIONS_VERSION, "cw_server_options");
  if (o->host != nullptr && o->host[0] != '\0') opts.host = o->host;
  opts.port = o->port;
  opts.rest_api = o->rest_api != 0;
  if (o->static_dir != nullptr) opts.static_dir = o->static_dir;
  opts.cors_origins = server::split_list(o->cors_origins == nullptr ? "" : o->cors_origins);
  if (o->jwt_secret != nullptr) opts.jwt_secret = o->jwt_secret;
  opts.allow_public_without_auth = o->allow_public_without_auth != 0;
  if (o->body_limit != 0) opts.body_limit = o->body_limit;
  if (o->threads != 0) opts.threads = o->threads;
  if (o->worker_threads != 0) opts.worker_threads = o->worker_threads;
  if (o->version >= 2) {  // the fields of version 2 exist only in a version-2 struct
    opts.allowed_hosts = server::split_list(o->allowed_hosts == nullptr ? "" : o->allowed_hosts);
    if (o->metrics_token != nullptr) opts.metrics_token = o->metrics_token;
  }
  return opts;
}

}  // namespace
}  // namespace callwire::capi

using namespace callwire;
using namespace callwire::capi;

extern "C" {

CW_API int cw_server_options_init(cw_server_options* opts, unsigned version) {
  return guarded(nullptr, Origin::sdk, [&] {
    require(opts, "opts");
    check_version(version, CW_SERVER_OPTIONS_VERSION, "cw_server_options");
    const cw_server_options defaults = CW_SERVER_OPTIONS_INIT;
    // A version-1 caller's struct ends before allowed_hosts: write only that much.
    const std::size_t size = version >= 2 ? sizeof(cw_server_options) : offsetof(cw_server_options, allowed_hosts);
    std::memcpy(static_cast<void*>(opts), &defaults, size);
    opts->version = version;
  });
}

CW_API int cw_server_new(cw_server** out, cw_client* client, const cw_server_options* opts, cw_error* err) {
  return guarded(err, Origin::sdk, [&] {
    require(out, "out");
    *out = nullptr;
    require(client, "client");
    client->core->check_open();
    WebhookServerOptions o = server_options(opts);
    auto handle = std::make_unique<cw_server>();
    handle->server = std::make_unique<WebhookServer>(*client->core->client, std::move(o));
    handle->core = client->core;
    *out = handle.release();
  });
}

CW_API int cw_server_start(cw_server* server, cw_error* err) {
  return guarded(err, Origin::sdk, [&] {
    WebhookServer& s = server_of(server);
    server->core->check_open();
    s.start();
  });
}

CW_API int cw_server_port(uint16_t* out, cw_server* server, cw_error* err) {
  return guarded(err, Origin::sdk, [&] {
    require(out, "out");
    *out = 0;
    *out = server_of(server).port();
  });
}

CW_API int cw_server_stop(cw_server* server, cw_error* err) {
  return guarded(err, Origin::sdk, [&] { server_of(server).stop(); });
}

CW_API void cw_server_free(cw_server* server) {
  if (server == nullptr) return;
  try {
    server->server.reset();  // stops it; it refers to the client, so it goes first
  } catch (...) {
    // A destructor that throws would be a bug in the server; keep freeing.
  }
  release_core(std::move(server->core));
  delete server;
}

}  // extern "C"
