// cw_client: a CallClient behind a C handle — dial and call controls, event
// subscriptions (whose unsubscribe waits for a callback in flight: that is
// CallClient::unsubscribe's guarantee), and webhook ingestion for hosts with
// their own HTTP server.
#include <cmath>
#include <thread>
#include <vector>

#include "callwire/json.hpp"
#include "internal.hpp"
#include "server/api/request_fields.hpp"
#include "server/api/settings_api.hpp"
#include "server/api/webhook_status.hpp"
#include "status_codes.hpp"

namespace callwire::capi {
namespace {

// The client whose event callback is running on this thread, if any (see
// in_callback_of).
thread_local const ClientCore* tl_core = nullptr;

/// Marks the current thread as running a callback of `core` for its lifetime.
class CallbackScope {
 public:
  explicit CallbackScope(const ClientCore* core) : core_(tl_core) { tl_core = core; }
  ~CallbackScope() { tl_core = core_; }
  CallbackScope(const CallbackScope&) = delete;
  CallbackScope& operator=(const CallbackScope&) = delete;

 private:
  const ClientCore* core_;
};

ClientCore& core_of(cw_client* c) {
  require(c, "client");
  ClientCore& core = *c->core;
  core.check_open();
  return core;
}

/// The shape of every call function: out checked and emptied, the client
/// checked and open, then `body` answers the text to put into out.
template <class F>
int with_client_out(cw_buf* out, cw_client* c, cw_error* err, F&& body) noexcept {
  return guarded(err, Origin::storage, [&] {
    require(out, "out");
    reset_buf(out);
    ClientCore& core = core_of(c);
    set_buf(out, body(*core.client));
  });
}

template <class F>
int with_call(cw_buf* out, cw_client* c, const char* call_id, cw_error* err, F&& body) noexcept {
  return with_client_out(out, c, err, [&](CallClient& client) {
    require(call_id, "call_id");
    return json::encode(body(client, std::string_view(call_id)));
  });
}

CallClientOptions client_options(const cw_client_options* o) {
  CallClientOptions opts;
  if (o == nullptr) return opts;
  check_version(o->version, CW_CLIENT_OPTIONS_VERSION, "cw_client_options");
  auto text = [](const char* s) { return s == nullptr ? std::string() : std::string(s); };
  opts.api_key = text(o->api_key);
  opts.api_base = text(o->api_base);
  opts.connection_id = text(o->connection_id);
  opts.webhook_url = text(o->webhook_url);
  opts.public_key = text(o->public_key);
  opts.ca_file = text(o->ca_file);
  opts.force_demo = o->force_demo != 0;
  opts.insecure_webhooks = o->insecure_webhooks != 0;
  if (!std::isfinite(o->demo_speed) || o->demo_speed < 0) {
    invalid("cw_client_options.demo_speed: must be a positive number (0 means real time)");
  }
  if (o->demo_speed > 0) opts.demo_speed = o->demo_speed;
  opts.recordings_dir = text(o->recordings_dir);
  opts.auto_record = o->auto_record != 0;
  if (o->hangup_wait_ms != 0) opts.hangup_wait = std::chrono::milliseconds(o->hangup_wait_ms);
  if (o->io_threads != 0) opts.io_threads = o->io_threads;
  if (o->worker_threads != 0) opts.worker_threads = o->worker_threads;
  return opts;
}

DialOptions dial_options(const char* text) {
  const auto body = parse_object(text, "options_json");
  return read_fields("options_json", [&] { return server::dial_options(server::RequestFields::of(body)); });
}

SpeakOptions speak_options(const char* text) {
  const auto body = parse_object(text, "options_json");
  return read_fields("options_json", [&] { return server::speak_options(server::RequestFields::of(body)); });
}

std::string ingest_json(const IngestResult& r) {
  return json::ObjectWriter()
      .add("http_status", static_cast<std::int64_t>(server::webhook_status(r.code)))
      .add("duplicate", r.duplicate)
      .add("event_type", r.event_type)
      .add("call_id", r.call_id)
      .add("message", r.message)
      .finish();
}

}  // namespace

void ClientCore::check_open() const {
  if (closed) throw Error(errc::closed, "the call client is closed");
}

bool in_callback_of(const ClientCore* core) noexcept { return core != nullptr && tl_core == core; }

void release_core(std::shared_ptr<ClientCore> core) noexcept {
  if (!core) return;
  if (in_callback_of(core.get())) {
    // Closing the client joins the thread we are on: let another thread drop
    // the reference once this callback has returned.
    try {
      std::thread([c = std::move(core)]() mutable { c.reset(); }).detach();
      return;
    } catch (...) {
      // No thread: keep the client rather than deadlock (a leak, not a hang).
      new std::shared_ptr<ClientCore>(std::move(core));
      return;
    }
  }
  core.reset();
}

}  // namespace callwire::capi

using namespace callwire;
using namespace callwire::capi;

extern "C" {

CW_API int cw_client_options_init(cw_client_options* opts, unsigned version) {
  return guarded(nullptr, Origin::sdk, [&] {
    require(opts, "opts");
    check_version(version, CW_CLIENT_OPTIONS_VERSION, "cw_client_options");
    *opts = cw_client_options CW_CLIENT_OPTIONS_INIT;
    opts->version = version;
  });
}

CW_API int cw_client_new(cw_client** out, cw_storage* storage, const cw_client_options* opts, cw_error* err) {
  return guarded(err, Origin::storage, [&] {
    require(out, "out");
    *out = nullptr;
    require(storage, "storage");
    CallClientOptions o = client_options(opts);
    auto client = std::make_shared<CallClient>(storage->storage, std::move(o));
    auto handle = std::make_unique<cw_client>();
    handle->core = std::make_shared<ClientCore>(storage->storage, std::move(client));
    *out = handle.release();
  });
}

CW_API int cw_client_close(cw_client* client, cw_error* err) {
  return guarded(err, Origin::sdk, [&] {
    require(client, "client");
    ClientCore& core = *client->core;
    if (in_callback_of(&core)) {
      throw Error(errc::conflict,
                  "cw_client_close must not be called from an event callback: it waits for the callback's own thread");
    }
    core.closed = true;
    core.client->close();
  });
}

CW_API void cw_client_free(cw_client* client) {
  if (client == nullptr) return;
  // A server made from this client may keep it running: this handle's
  // callbacks stop here in any case, so their userdata may be freed.
  // CallClient::unsubscribe waits for a callback running on another thread
  // and returns at once from inside that callback.
  std::set<std::uint64_t> subs;
  {
    std::lock_guard lock(client->core->subs_mu);
    subs.swap(client->core->subs);
  }
  for (const auto id : subs) {
    try {
      client->core->client->unsubscribe(id);
    } catch (...) {
      // Only a failing mutex could throw here: nothing to report from a free.
    }
  }
  release_core(std::move(client->core));
  delete client;
}

CW_API int cw_client_is_demo(cw_client* client) {
  int demo = 0;
  const int rc = guarded(nullptr, Origin::sdk, [&] { demo = core_of(client).client->demo() ? 1 : 0; });
  return rc == CW_OK ? demo : rc;
}

// ---- calls ----------------------------------------------------------------------

CW_API int cw_client_dial(cw_buf* out, cw_client* client, const char* to, const char* from, const char* options_json,
                          cw_error* err) {
  return with_client_out(out, client, err, [&](CallClient& c) {
    require(to, "to");
    const DialOptions o = dial_options(options_json);
    return json::encode(c.dial(to, from == nullptr ? std::string_view() : std::string_view(from), o));
  });
}

CW_API int cw_client_hangup(cw_buf* out, cw_client* client, const char* call_id, cw_error* err) {
  return with_call(out, client, call_id, err, [](CallClient& c, std::string_view id) { return c.hangup(id); });
}

CW_API int cw_client_send_dtmf(cw_buf* out, cw_client* client, const char* call_id, const char* digits, cw_error* err) {
  return with_call(out, client, call_id, err, [&](CallClient& c, std::string_view id) {
    require(digits, "digits");
    return c.send_dtmf(id, digits);
  });
}

CW_API int cw_client_start_recording(cw_buf* out, cw_client* client, const char* call_id, cw_error* err) {
  return with_call(out, client, call_id, err, [](CallClient& c, std::string_view id) { return c.start_recording(id); });
}

CW_API int cw_client_stop_recording(cw_buf* out, cw_client* client, const char* call_id, cw_error* err) {
  return with_call(out, client, call_id, err, [](CallClient& c, std::string_view id) { return c.stop_recording(id); });
}

CW_API int cw_client_refresh_recording(cw_buf* out, cw_client* client, const char* recording_id, cw_error* err) {
  return with_client_out(out, client, err, [&](CallClient& c) {
    require(recording_id, "recording_id");
    return json::encode(c.refresh_recording(recording_id));
  });
}

CW_API int cw_client_remove_recording(cw_client* client, const char* recording_id, cw_error* err) {
  return guarded(err, Origin::storage, [&] {
    require(recording_id, "recording_id");
    core_of(client).client->remove_recording(recording_id);
  });
}

CW_API int cw_client_transfer(cw_buf* out, cw_client* client, const char* call_id, const char* to, cw_error* err) {
  return with_call(out, client, call_id, err, [&](CallClient& c, std::string_view id) {
    require(to, "to");
    return c.transfer(id, to);
  });
}

CW_API int cw_client_set_muted(cw_buf* out, cw_client* client, const char* call_id, int muted, cw_error* err) {
  return with_call(out, client, call_id, err,
                   [&](CallClient& c, std::string_view id) { return c.set_muted(id, muted != 0); });
}

CW_API int cw_client_set_on_hold(cw_buf* out, cw_client* client, const char* call_id, int on_hold, cw_error* err) {
  return with_call(out, client, call_id, err,
                   [&](CallClient& c, std::string_view id) { return c.set_on_hold(id, on_hold != 0); });
}

CW_API int cw_client_pause_recording(cw_buf* out, cw_client* client, const char* call_id, cw_error* err) {
  return with_call(out, client, call_id, err, [](CallClient& c, std::string_view id) { return c.pause_recording(id); });
}

CW_API int cw_client_resume_recording(cw_buf* out, cw_client* client, const char* call_id, cw_error* err) {
  return with_call(out, client, call_id, err, [](CallClient& c, std::string_view id) { return c.resume_recording(id); });
}

CW_API int cw_client_speak(cw_buf* out, cw_client* client, const char* call_id, const char* text,
                           const char* options_json, cw_error* err) {
  return with_call(out, client, call_id, err, [&](CallClient& c, std::string_view id) {
    require(text, "text");
    const SpeakOptions o = speak_options(options_json);
    return c.speak(id, text, o);
  });
}

CW_API int cw_client_start_playback(cw_buf* out, cw_client* client, const char* call_id, const char* audio_url,
                                    cw_error* err) {
  return with_call(out, client, call_id, err, [&](CallClient& c, std::string_view id) {
    require(audio_url, "audio_url");
    return c.start_playback(id, audio_url);
  });
}

CW_API int cw_client_stop_playback(cw_buf* out, cw_client* client, const char* call_id, cw_error* err) {
  return with_call(out, client, call_id, err, [](CallClient& c, std::string_view id) { return c.stop_playback(id); });
}

CW_API int cw_client_get_call(cw_buf* out, cw_client* client, const char* call_id, cw_error* err) {
  return with_call(out, client, call_id, err, [](CallClient& c, std::string_view id) { return c.get_call(id); });
}

CW_API int cw_client_active_calls(cw_buf* out, cw_client* client, cw_error* err) {
  return with_client_out(out, client, err, [](CallClient& c) { return json::encode(c.active_calls()); });
}

CW_API int cw_client_stats(cw_buf* out, cw_client* client, cw_error* err) {
  return with_client_out(out, client, err, [](CallClient& c) { return json::encode(c.stats()); });
}

CW_API int cw_client_settings(cw_buf* out, cw_client* client, cw_error* err) {
  return with_client_out(out, client, err, [](CallClient& c) { return server::settings_json(c); });
}

CW_API int cw_client_reload_settings(cw_client* client, cw_error* err) {
  return guarded(err, Origin::storage, [&] { core_of(client).client->reload_settings(); });
}

// ---- events -----------------------------------------------------------------------

CW_API int cw_client_subscribe(uint64_t* out_id, cw_client* client, cw_update_cb callback, void* userdata,
                               cw_error* err) {
  return guarded(err, Origin::sdk, [&] {
    require(out_id, "out_id");
    *out_id = 0;
    ClientCore& core = core_of(client);
    if (callback == nullptr) invalid("callback must not be NULL");
    const ClientCore* identity = &core;  // compared only, never dereferenced
    // Hold subs_mu across subscribe so that a concurrent cw_client_free sees
    // the id (and unsubscribes it) once the subscription exists.
    std::lock_guard lock(core.subs_mu);
    const std::uint64_t id = core.client->subscribe([callback, userdata, identity](const CallUpdate& u) {
      const std::string call = json::encode(u.call);
      CallbackScope scope(identity);
      callback(userdata, u.type.c_str(), call.c_str(), call.size());
    });
    core.subs.insert(id);
    *out_id = id;
  });
}

CW_API int cw_client_unsubscribe(cw_client* client, uint64_t id, cw_error* err) {
  return guarded(err, Origin::sdk, [&] {
    ClientCore& core = core_of(client);
    {
      std::lock_guard lock(core.subs_mu);
      if (core.subs.erase(id) == 0) {
        throw Error(errc::not_found, "no subscription with id " + std::to_string(id) + " on this client");
      }
    }
    // Waits for this subscription's callback running on another thread;
    // from inside that callback it returns at once (CallClient's guarantee).
    core.client->unsubscribe(id);
  });
}

// ---- webhooks -------------------------------------------------------------------------

CW_API int cw_client_ingest_webhook(cw_buf* out, cw_client* client, const char* body, size_t body_len,
                                    const cw_header* headers, size_t header_count, cw_error* err) {
  std::vector<std::pair<std::string, std::string>> header_list;
  const int rc = guarded(err, Origin::sdk, [&] {
    require(out, "out");
    reset_buf(out);
    require(client, "client");
    if (body == nullptr && body_len > 0) invalid("body must not be NULL when body_len > 0");
    if (headers == nullptr && header_count > 0) invalid("headers must not be NULL when header_count > 0");
    header_list.reserve(header_count);
    for (size_t i = 0; i < header_count; ++i) {
      if (headers[i].name == nullptr) invalid("headers[" + std::to_string(i) + "].name must not be NULL");
      header_list.emplace_back(headers[i].name, headers[i].value == nullptr ? "" : headers[i].value);
    }
  });
  if (rc != CW_OK) return rc;

  // From here *out is filled in every case, with the status to answer Telnyx.
  IngestResult result;
  int code = CW_OK;
  try {
    ClientCore& core = core_of(client);
    result = core.client->ingest_webhook(body == nullptr ? std::string_view() : std::string_view(body, body_len),
                                         header_list);
    if (!result) {
      // A webhook that could not be stored now is the storage's failure.
      const auto domain = result.code == errc::unavailable ? CW_DOMAIN_STORAGE : CW_DOMAIN_SDK;
      code = fail(err, to_status(result.code), domain, result.message);
    }
  } catch (...) {
    cw_error local{};
    cw_error* e = err != nullptr ? err : &local;
    code = fail_current(e, Origin::storage);
    result = IngestResult{};
    // CW_ENOMEM (and CW_EVERSION, which cannot happen here) have no errc.
    result.code = to_errc(static_cast<cw_status>(code)).value_or(errc::internal);
    result.message = e->message;
  }
  const int filled = guarded(err, Origin::sdk, [&] { set_buf(out, ingest_json(result)); });
  return filled != CW_OK ? filled : code;
}

}  // extern "C"
