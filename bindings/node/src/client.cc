// callwire Node addon — NativeClient: cw_client, its calls and its event stream.
//
// Events: cw_client_subscribe() calls UpdateSink::OnUpdate on an SDK thread; it
// queues the event on a thread-safe function whose JS side is the dispatcher
// lib/client.js passed in. The TSFN is unref'd by default (lib/client.js refs
// it while there are listeners) and released by close(), by a failed open,
// or at environment teardown; then its finalizer calls dispatcher(null, null).
#include "wrappers.h"

#include <utility>
#include <vector>

namespace cwnode {

// ---- events ------------------------------------------------------------------------

void CallDispatcher(Napi::Env env, Napi::Function dispatcher, std::nullptr_t*, CallUpdate* event) {
  std::unique_ptr<CallUpdate> owned(event);
  if (static_cast<napi_env>(env) == nullptr || dispatcher.IsEmpty()) return;  // teardown: drop it
  try {
    dispatcher.Call({Napi::String::New(env, owned->type), Napi::String::New(env, owned->call_json)});
  } catch (const Napi::Error& e) {
    // The dispatcher does not throw (lib/client.js reports listener errors
    // itself); this is environment teardown, where JavaScript can no longer
    // run and even rethrowing fails. The event is dropped: nobody listens.
    try {
      e.ThrowAsJavaScriptException();
    } catch (...) {
    }
  }
}

void UpdateSink::Start(UpdateTsfn tsfn) {
  std::lock_guard lock(mu_);
  tsfn_ = tsfn;
  open_ = true;
}

void UpdateSink::OnUpdate(void* userdata, const char* type, const char* call_json, size_t len) noexcept {
  auto* sink = static_cast<UpdateSink*>(userdata);
  try {
    auto event = std::make_unique<CallUpdate>();
    event->type = type != nullptr ? type : "";
    if (call_json != nullptr) event->call_json.assign(call_json, len);
    std::lock_guard lock(sink->mu_);
    if (!sink->open_) return;
    // The queue is unbounded, so this never blocks an SDK thread.
    if (sink->tsfn_.BlockingCall(event.get()) == napi_ok) event.release();
  } catch (...) {
    // Out of memory: the event is lost; the call's state stays in storage.
  }
}

void UpdateSink::Ref(napi_env env) {
  std::lock_guard lock(mu_);
  if (open_) tsfn_.Ref(env);
}

void UpdateSink::Unref(napi_env env) {
  std::lock_guard lock(mu_);
  if (open_) tsfn_.Unref(env);
}

void UpdateSink::Release() {
  std::lock_guard lock(mu_);
  if (!open_) return;
  open_ = false;
  tsfn_.Release();
}

void UpdateSink::MarkFinalized() {
  std::lock_guard lock(mu_);
  open_ = false;
}

namespace {

/// What the TSFN's finalizer needs: the sink to close, the dispatcher to tell.
struct SinkFinalizer {
  std::shared_ptr<UpdateSink> sink;
  Napi::FunctionReference dispatcher;
};

void FinalizeSink(Napi::Env env, SinkFinalizer* fin, std::nullptr_t*) {
  std::unique_ptr<SinkFinalizer> owned(fin);
  owned->sink->MarkFinalized();
  try {
    owned->dispatcher.Call({env.Null(), env.Null()});  // the end of the stream
  } catch (...) {
    // Environment teardown: JavaScript can no longer run; nobody is waiting.
  }
}

/// cw_client_options with the strings it points at.
struct ClientOptions {
  std::optional<std::string> api_key, api_base, connection_id, webhook_url, public_key, ca_file, recordings_dir;
  bool force_demo = false;
  bool insecure_webhooks = false;
  bool auto_record = false;
  double demo_speed = 0;
  uint32_t hangup_wait_ms = 0, io_threads = 0, worker_threads = 0;

  static ClientOptions Read(const Napi::Object& o) {
    ClientOptions r;
    r.api_key = OptString(o, "apiKey");
    r.api_base = OptString(o, "apiBase");
    r.connection_id = OptString(o, "connectionId");
    r.webhook_url = OptString(o, "webhookUrl");
    r.public_key = OptString(o, "publicKey");
    r.ca_file = OptString(o, "caFile");
    r.recordings_dir = OptString(o, "recordingsDir");
    r.force_demo = OptBool(o, "forceDemo", false);
    r.insecure_webhooks = OptBool(o, "insecureWebhooks", false);
    r.auto_record = OptBool(o, "autoRecord", false);
    r.demo_speed = OptNumber(o, "demoSpeed", 0);
    r.hangup_wait_ms = OptUint32(o, "hangupWaitMs", 0);
    r.io_threads = OptUint32(o, "ioThreads", 0);
    r.worker_threads = OptUint32(o, "workerThreads", 0);
    return r;
  }

  cw_client_options ToC() const {
    cw_client_options c = CW_CLIENT_OPTIONS_INIT;
    c.api_key = CStr(api_key);
    c.api_base = CStr(api_base);
    c.connection_id = CStr(connection_id);
    c.webhook_url = CStr(webhook_url);
    c.public_key = CStr(public_key);
    c.ca_file = CStr(ca_file);
    c.force_demo = force_demo ? 1 : 0;
    c.insecure_webhooks = insecure_webhooks ? 1 : 0;
    c.demo_speed = demo_speed;
    c.recordings_dir = CStr(recordings_dir);
    c.auto_record = auto_record ? 1 : 0;
    c.hangup_wait_ms = hangup_wait_ms;
    c.io_threads = io_threads;
    c.worker_threads = worker_threads;
    return c;
  }
};

bool ArgBool(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (!info[i].IsBoolean()) throw MakeError(info.Env(), CW_EINVAL, std::string(what) + " must be a boolean");
  return info[i].As<Napi::Boolean>().Value();
}

}  // namespace

// ---- the class ---------------------------------------------------------------------

Napi::Function NativeClient::Define(Napi::Env env) {
  return DefineClass(env, "NativeClient",
                     {
                         InstanceMethod<&NativeClient::Open>("open"),
                         InstanceMethod<&NativeClient::Close>("close"),
                         InstanceMethod<&NativeClient::CloseSync>("closeSync"),
                         InstanceMethod<&NativeClient::Ref>("ref"),
                         InstanceMethod<&NativeClient::Unref>("unref"),
                         InstanceMethod<&NativeClient::Dial>("dial"),
                         InstanceMethod<&NativeClient::Hangup>("hangup"),
                         InstanceMethod<&NativeClient::SendDtmf>("sendDtmf"),
                         InstanceMethod<&NativeClient::StartRecording>("startRecording"),
                         InstanceMethod<&NativeClient::StopRecording>("stopRecording"),
                         InstanceMethod<&NativeClient::PauseRecording>("pauseRecording"),
                         InstanceMethod<&NativeClient::ResumeRecording>("resumeRecording"),
                         InstanceMethod<&NativeClient::Speak>("speak"),
                         InstanceMethod<&NativeClient::StartPlayback>("startPlayback"),
                         InstanceMethod<&NativeClient::StopPlayback>("stopPlayback"),
                         InstanceMethod<&NativeClient::RefreshRecording>("refreshRecording"),
                         InstanceMethod<&NativeClient::RemoveRecording>("removeRecording"),
                         InstanceMethod<&NativeClient::Transfer>("transfer"),
                         InstanceMethod<&NativeClient::SetMuted>("setMuted"),
                         InstanceMethod<&NativeClient::SetOnHold>("setOnHold"),
                         InstanceMethod<&NativeClient::GetCall>("getCall"),
                         InstanceMethod<&NativeClient::ActiveCalls>("activeCalls"),
                         InstanceMethod<&NativeClient::Stats>("stats"),
                         InstanceMethod<&NativeClient::Settings>("settings"),
                         InstanceMethod<&NativeClient::ReloadSettings>("reloadSettings"),
                         InstanceMethod<&NativeClient::IngestWebhook>("ingestWebhook"),
                     });
}

NativeClient::NativeClient(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeClient>(info) {
  Napi::Env env = info.Env();
  info.This().As<Napi::Object>().TypeTag(&kClientTag);
  if (!info[0].IsFunction()) throw MakeError(env, CW_EINVAL, "the event dispatcher must be a function");
  Napi::Function dispatcher = info[0].As<Napi::Function>();
  sink_ = std::make_shared<UpdateSink>();
  auto* fin = new SinkFinalizer{sink_, Napi::Persistent(dispatcher)};
  UpdateTsfn tsfn;
  try {
    tsfn = UpdateTsfn::New(env, dispatcher, "callwire.events", 0, 1, nullptr, &FinalizeSink, fin);
  } catch (...) {
    delete fin;
    throw;
  }
  tsfn.Unref(env);
  sink_->Start(tsfn);
  // Registered after the TSFN, so it runs before Node closes the TSFN.
  cleanup_.Add(env, [this] { CloseNow(); });
}

NativeClient::~NativeClient() {
  if (handle_ || !closed_) CloseNow();
}

NativeClient* NativeClient::From(Napi::Env env, const Napi::Value& v) {
  if (!v.IsObject() || !v.As<Napi::Object>().CheckTypeTag(&kClientTag)) {
    throw MakeError(env, CW_EINVAL, "expected a callwire Client");
  }
  return Unwrap(v.As<Napi::Object>());
}

std::shared_ptr<ClientHandle> NativeClient::Require(Napi::Env env) const {
  if (!handle_) throw MakeError(env, CW_ECLOSED, closed_ ? "the client is closed" : "the client is not open");
  return handle_;
}

Napi::Value NativeClient::Run(const Napi::CallbackInfo& info,
                              std::function<int(cw_client*, cw_buf*, cw_error*)> call) {
  std::shared_ptr<ClientHandle> h = Require(info.Env());
  return Task::Start(info.Env(), Napi::Object(),
                     [h, call = std::move(call)](cw_buf* out, cw_error* err) { return call(h->get(), out, err); });
}

void NativeClient::CloseNow() {
  closed_ = true;
  cleanup_.Remove();
  std::shared_ptr<ClientHandle> h = std::move(handle_);
  if (h) cw_client_close(h->get(), nullptr);  // joins the SDK threads: no event after this
  sink_->Release();
  // `h` ends here: the handle is freed now unless a call in flight still holds it.
}

// open(storage, options) → Promise<{demo}>
Napi::Value NativeClient::Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (handle_ || open_called_ || closed_) throw MakeError(env, CW_ECONFLICT, "open() may be called once");
  std::shared_ptr<StorageHandle> storage = NativeStorage::From(env, info[0])->Require(env);
  const ClientOptions options = ClientOptions::Read(ArgOptions(info, 1));
  open_called_ = true;

  struct Opened {
    std::shared_ptr<ClientHandle> handle;
    bool demo = false;
  };
  auto slot = std::make_shared<Opened>();
  std::shared_ptr<UpdateSink> sink = sink_;
  return Task::Start(
      env, info.This().As<Napi::Object>(),
      [storage, options, sink, slot](cw_buf*, cw_error* err) -> int {
        const cw_client_options opts = options.ToC();
        cw_client* client = nullptr;
        int rc = cw_client_new(&client, storage->get(), &opts, err);
        if (rc != CW_OK) {
          sink->Release();  // no client, no events: end the stream
          return rc;
        }
        auto handle = std::make_shared<ClientHandle>(client, sink);
        uint64_t id = 0;
        rc = cw_client_subscribe(&id, client, &UpdateSink::OnUpdate, sink.get(), err);
        if (rc != CW_OK) {
          sink->Release();
          return rc;  // `handle` frees the client
        }
        slot->demo = cw_client_is_demo(client) == 1;
        slot->handle = std::move(handle);
        return CW_OK;
      },
      [this, slot](Napi::Env e, const std::string*) -> Napi::Value {
        if (!closed_) handle_ = std::move(slot->handle);
        Napi::Object result = Napi::Object::New(e);
        result.Set("demo", slot->demo);
        return result;
      });
}

// close() → Promise<undefined>. Closing joins SDK threads, so it runs off the
// JS thread; the TSFN stays ref'd until its last event (and the end marker)
// has been delivered.
Napi::Value NativeClient::Close(const Napi::CallbackInfo& info) {
  closed_ = true;
  cleanup_.Remove();
  sink_->Ref(info.Env());
  std::shared_ptr<ClientHandle> h = std::move(handle_);
  std::shared_ptr<UpdateSink> sink = sink_;
  return Task::Start(info.Env(), Napi::Object(), [h, sink](cw_buf*, cw_error* err) {
    const int rc = h ? cw_client_close(h->get(), err) : CW_OK;
    sink->Release();
    return rc;
  });
}

// closeSync(): for process.on('exit'), where nothing asynchronous can run.
Napi::Value NativeClient::CloseSync(const Napi::CallbackInfo& info) {
  CloseNow();
  return info.Env().Undefined();
}

Napi::Value NativeClient::Ref(const Napi::CallbackInfo& info) {
  sink_->Ref(info.Env());
  return info.Env().Undefined();
}

Napi::Value NativeClient::Unref(const Napi::CallbackInfo& info) {
  sink_->Unref(info.Env());
  return info.Env().Undefined();
}

// ---- calls -------------------------------------------------------------------------

// dial(to, from?, optionsJson?)
Napi::Value NativeClient::Dial(const Napi::CallbackInfo& info) {
  std::string to = ArgString(info, 0, "to");
  std::optional<std::string> from = ArgOptString(info, 1, "from");
  std::optional<std::string> options = ArgOptString(info, 2, "options");
  return Run(info, [to, from, options](cw_client* c, cw_buf* out, cw_error* err) {
    return cw_client_dial(out, c, to.c_str(), CStr(from), CStr(options), err);
  });
}

Napi::Value NativeClient::Hangup(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "callId");
  return Run(info, [id](cw_client* c, cw_buf* out, cw_error* err) { return cw_client_hangup(out, c, id.c_str(), err); });
}

Napi::Value NativeClient::SendDtmf(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "callId");
  std::string digits = ArgString(info, 1, "digits");
  return Run(info, [id, digits](cw_client* c, cw_buf* out, cw_error* err) {
    return cw_client_send_dtmf(out, c, id.c_str(), digits.c_str(), err);
  });
}

Napi::Value NativeClient::StartRecording(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "callId");
  return Run(info, [id](cw_client* c, cw_buf* out, cw_error* err) {
    return cw_client_start_recording(out, c, id.c_str(), err);
  });
}

Napi::Value NativeClient::StopRecording(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "callId");
  return Run(info, [id](cw_client* c, cw_buf* out, cw_error* err) {
    return cw_client_stop_recording(out, c, id.c_str(), err);
  });
}

Napi::Value NativeClient::PauseRecording(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "callId");
  return Run(info, [id](cw_client* c, cw_buf* out, cw_error* err) {
    return cw_client_pause_recording(out, c, id.c_str(), err);
  });
}

Napi::Value NativeClient::ResumeRecording(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "callId");
  return Run(info, [id](cw_client* c, cw_buf* out, cw_error* err) {
    return cw_client_resume_recording(out, c, id.c_str(), err);
  });
}

// speak(callId, text, optionsJson?)
Napi::Value NativeClient::Speak(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "callId");
  std::string text = ArgString(info, 1, "text");
  std::optional<std::string> options = ArgOptString(info, 2, "options");
  return Run(info, [id, text, options](cw_client* c, cw_buf* out, cw_error* err) {
    return cw_client_speak(out, c, id.c_str(), text.c_str(), CStr(options), err);
  });
}

Napi::Value NativeClient::StartPlayback(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "callId");
  std::string url = ArgString(info, 1, "audioUrl");
  return Run(info, [id, url](cw_client* c, cw_buf* out, cw_error* err) {
    return cw_client_start_playback(out, c, id.c_str(), url.c_str(), err);
  });
}

Napi::Value NativeClient::StopPlayback(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "callId");
  return Run(info, [id](cw_client* c, cw_buf* out, cw_error* err) {
    return cw_client_stop_playback(out, c, id.c_str(), err);
  });
}

Napi::Value NativeClient::RefreshRecording(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "recordingId");
  return Run(info, [id](cw_client* c, cw_buf* out, cw_error* err) {
    return cw_client_refresh_recording(out, c, id.c_str(), err);
  });
}

// deleteRecording(id) → Promise<undefined>: here and at Telnyx (cw_client_remove_recording).
Napi::Value NativeClient::RemoveRecording(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "recordingId");
  return Run(info, [id](cw_client* c, cw_buf*, cw_error* err) { return cw_client_remove_recording(c, id.c_str(), err); });
}

Napi::Value NativeClient::Transfer(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "callId");
  std::string to = ArgString(info, 1, "to");
  return Run(info, [id, to](cw_client* c, cw_buf* out, cw_error* err) {
    return cw_client_transfer(out, c, id.c_str(), to.c_str(), err);
  });
}

Napi::Value NativeClient::SetMuted(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "callId");
  const int muted = ArgBool(info, 1, "muted") ? 1 : 0;
  return Run(info, [id, muted](cw_client* c, cw_buf* out, cw_error* err) {
    return cw_client_set_muted(out, c, id.c_str(), muted, err);
  });
}

Napi::Value NativeClient::SetOnHold(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "callId");
  const int on_hold = ArgBool(info, 1, "onHold") ? 1 : 0;
  return Run(info, [id, on_hold](cw_client* c, cw_buf* out, cw_error* err) {
    return cw_client_set_on_hold(out, c, id.c_str(), on_hold, err);
  });
}

Napi::Value NativeClient::GetCall(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "callId");
  return Run(info, [id](cw_client* c, cw_buf* out, cw_error* err) { return cw_client_get_call(out, c, id.c_str(), err); });
}

Napi::Value NativeClient::ActiveCalls(const Napi::CallbackInfo& info) {
  return Run(info, [](cw_client* c, cw_buf* out, cw_error* err) { return cw_client_active_calls(out, c, err); });
}

Napi::Value NativeClient::Stats(const Napi::CallbackInfo& info) {
  return Run(info, [](cw_client* c, cw_buf* out, cw_error* err) { return cw_client_stats(out, c, err); });
}

Napi::Value NativeClient::Settings(const Napi::CallbackInfo& info) {
  return Run(info, [](cw_client* c, cw_buf* out, cw_error* err) { return cw_client_settings(out, c, err); });
}

// reloadSettings() → Promise<{demo}>
Napi::Value NativeClient::ReloadSettings(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::shared_ptr<ClientHandle> h = Require(env);
  auto demo = std::make_shared<bool>(false);
  return Task::Start(
      env, Napi::Object(),
      [h, demo](cw_buf*, cw_error* err) {
        const int rc = cw_client_reload_settings(h->get(), err);
        if (rc == CW_OK) *demo = cw_client_is_demo(h->get()) == 1;
        return rc;
      },
      [demo](Napi::Env e, const std::string*) -> Napi::Value {
        Napi::Object result = Napi::Object::New(e);
        result.Set("demo", *demo);
        return result;
      });
}

// ingestWebhook(body: Buffer | string, headers: [name, value][]) → Promise<json>
Napi::Value NativeClient::IngestWebhook(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string body;
  if (info[0].IsBuffer()) {
    auto buffer = info[0].As<Napi::Buffer<char>>();
    body.assign(buffer.Data(), buffer.Length());
  } else if (info[0].IsString()) {
    body = info[0].As<Napi::String>().Utf8Value();
  } else {
    throw MakeError(env, CW_EINVAL, "body must be a Buffer or a string");
  }
  std::vector<std::pair<std::string, std::string>> headers;
  if (!info[1].IsArray()) throw MakeError(env, CW_EINVAL, "headers must be an array of [name, value] pairs");
  Napi::Array list = info[1].As<Napi::Array>();
  for (uint32_t i = 0; i < list.Length(); ++i) {
    Napi::Value pair = list.Get(i);
    if (!pair.IsArray() || pair.As<Napi::Array>().Length() != 2) {
      throw MakeError(env, CW_EINVAL, "headers must be an array of [name, value] pairs");
    }
    Napi::Value name = pair.As<Napi::Array>().Get(uint32_t{0});
    Napi::Value value = pair.As<Napi::Array>().Get(uint32_t{1});
    if (!name.IsString() || !value.IsString()) throw MakeError(env, CW_EINVAL, "header names and values must be strings");
    headers.emplace_back(name.As<Napi::String>().Utf8Value(), value.As<Napi::String>().Utf8Value());
    if (headers.back().first.find('\0') != std::string::npos || headers.back().second.find('\0') != std::string::npos) {
      throw MakeError(env, CW_EINVAL, "header names and values must not contain NUL characters");
    }
  }
  return Run(info, [body = std::move(body), headers = std::move(headers)](cw_client* c, cw_buf* out, cw_error* err) {
    std::vector<cw_header> list;
    list.reserve(headers.size());
    for (const auto& [name, value] : headers) list.push_back(cw_header{name.c_str(), value.c_str()});
    return cw_client_ingest_webhook(out, c, body.data(), body.size(), list.data(), list.size(), err);
  });
}

}  // namespace cwnode
