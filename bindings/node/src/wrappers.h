// callwire Node addon — the three native classes lib/*.js builds the API on:
// NativeStorage (cw_storage), NativeClient (cw_client + its event stream) and
// NativeServer (cw_server). Every method that may block returns a Promise
// settled by a Task; the JS layer (lib/) parses JSON and shapes the API.
#pragma once

#include "common.h"

#include <mutex>

namespace cwnode {

// ---- storage ---------------------------------------------------------------------

class NativeStorage : public Napi::ObjectWrap<NativeStorage> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit NativeStorage(const Napi::CallbackInfo& info);
  ~NativeStorage() override;

  /// The wrapper behind `v`, or a CW_EINVAL error when `v` is not one.
  static NativeStorage* From(Napi::Env env, const Napi::Value& v);
  /// The open handle, or a CW_ECLOSED error.
  std::shared_ptr<StorageHandle> Require(Napi::Env env) const;

 private:
  /// Queues `call(storage, out, err)` with this storage's handle.
  Napi::Value Run(const Napi::CallbackInfo& info, std::function<int(cw_storage*, cw_buf*, cw_error*)> call);

  Napi::Value Open(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value Info(const Napi::CallbackInfo& info);
  Napi::Value ContactsCreate(const Napi::CallbackInfo& info);
  Napi::Value ContactsGet(const Napi::CallbackInfo& info);
  Napi::Value ContactsList(const Napi::CallbackInfo& info);
  Napi::Value ContactsUpdate(const Napi::CallbackInfo& info);
  Napi::Value ContactsRemove(const Napi::CallbackInfo& info);
  Napi::Value ContactsToggleFavorite(const Napi::CallbackInfo& info);
  Napi::Value LogsGet(const Napi::CallbackInfo& info);
  Napi::Value LogsList(const Napi::CallbackInfo& info);
  Napi::Value LogsStats(const Napi::CallbackInfo& info);
  Napi::Value LogsExportCsv(const Napi::CallbackInfo& info);
  Napi::Value RecordingsList(const Napi::CallbackInfo& info);
  Napi::Value RecordingsListForCall(const Napi::CallbackInfo& info);
  Napi::Value RecordingsRemove(const Napi::CallbackInfo& info);
  Napi::Value NumbersList(const Napi::CallbackInfo& info);
  Napi::Value NumbersCreate(const Napi::CallbackInfo& info);
  Napi::Value NumbersRemove(const Napi::CallbackInfo& info);
  Napi::Value NumbersSetDefault(const Napi::CallbackInfo& info);
  Napi::Value SettingsGet(const Napi::CallbackInfo& info);
  Napi::Value SettingsSave(const Napi::CallbackInfo& info);
  Napi::Value UsersCreate(const Napi::CallbackInfo& info);
  Napi::Value UsersGet(const Napi::CallbackInfo& info);
  Napi::Value UsersFindByEmail(const Napi::CallbackInfo& info);
  Napi::Value UsersList(const Napi::CallbackInfo& info);
  Napi::Value UsersUpdate(const Napi::CallbackInfo& info);
  Napi::Value UsersRemove(const Napi::CallbackInfo& info);
  Napi::Value UsersSetStatus(const Napi::CallbackInfo& info);
  Napi::Value UsersSetPassword(const Napi::CallbackInfo& info);
  Napi::Value UsersCheckPassword(const Napi::CallbackInfo& info);
  Napi::Value UsersAuthenticate(const Napi::CallbackInfo& info);
  Napi::Value UsersRevokeTokens(const Napi::CallbackInfo& info);

  std::shared_ptr<StorageHandle> handle_;
  bool open_called_ = false;
  bool closed_ = false;
  CleanupHook cleanup_;
};

// ---- client events -----------------------------------------------------------------

/// One call event on its way from an SDK thread to JavaScript.
struct CallUpdate {
  std::string type;
  std::string call_json;
};

void CallDispatcher(Napi::Env env, Napi::Function dispatcher, std::nullptr_t* context, CallUpdate* event);
using UpdateTsfn = Napi::TypedThreadSafeFunction<std::nullptr_t, CallUpdate, &CallDispatcher>;

/// The bridge between cw_client_subscribe() and a thread-safe function that
/// calls the JS dispatcher(type, callJson) on the JS thread. The TSFN is used
/// only while the sink is open, under a mutex, so an SDK thread can never
/// touch it after Release() or after Node finalized it (environment teardown).
class UpdateSink {
 public:
  void Start(UpdateTsfn tsfn);
  /// The cw_update_cb; `userdata` is the UpdateSink.
  static void OnUpdate(void* userdata, const char* type, const char* call_json, size_t len) noexcept;
  /// Keep / stop keeping the event loop alive (JS thread only).
  void Ref(napi_env env);
  void Unref(napi_env env);
  /// Stops forwarding and releases the TSFN (any thread; idempotent). Events
  /// already queued are still delivered, then the dispatcher gets (null, null).
  void Release();
  /// Called by the TSFN's finalizer.
  void MarkFinalized();

 private:
  std::mutex mu_;
  bool open_ = false;
  UpdateTsfn tsfn_;
};

/// A cw_client and the sink its subscription points at. Member order matters:
/// the sink outlives cw_client_free(), after which no callback runs.
struct ClientHandle {
  ClientHandle(cw_client* c, std::shared_ptr<UpdateSink> s) noexcept : ptr(c), sink(std::move(s)) {}
  ~ClientHandle() { cw_client_free(ptr); }
  ClientHandle(const ClientHandle&) = delete;
  ClientHandle& operator=(const ClientHandle&) = delete;
  cw_client* get() const noexcept { return ptr; }
  cw_client* ptr;
  std::shared_ptr<UpdateSink> sink;
};

// ---- client ------------------------------------------------------------------------

class NativeClient : public Napi::ObjectWrap<NativeClient> {
 public:
  static Napi::Function Define(Napi::Env env);
  /// new NativeClient(dispatcher): dispatcher(type, callJson) gets every event,
  /// then (null, null) once the stream has ended (after close()).
  explicit NativeClient(const Napi::CallbackInfo& info);
  ~NativeClient() override;

  static NativeClient* From(Napi::Env env, const Napi::Value& v);
  std::shared_ptr<ClientHandle> Require(Napi::Env env) const;

 private:
  Napi::Value Run(const Napi::CallbackInfo& info, std::function<int(cw_client*, cw_buf*, cw_error*)> call);
  /// Closes and releases everything at once, on the calling thread.
  void CloseNow();

  Napi::Value Open(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value CloseSync(const Napi::CallbackInfo& info);
  Napi::Value Ref(const Napi::CallbackInfo& info);
  Napi::Value Unref(const Napi::CallbackInfo& info);
  Napi::Value Dial(const Napi::CallbackInfo& info);
  Napi::Value Hangup(const Napi::CallbackInfo& info);
  Napi::Value SendDtmf(const Napi::CallbackInfo& info);
  Napi::Value StartRecording(const Napi::CallbackInfo& info);
  Napi::Value StopRecording(const Napi::CallbackInfo& info);
  Napi::Value PauseRecording(const Napi::CallbackInfo& info);
  Napi::Value ResumeRecording(const Napi::CallbackInfo& info);
  Napi::Value Speak(const Napi::CallbackInfo& info);
  Napi::Value StartPlayback(const Napi::CallbackInfo& info);
  Napi::Value StopPlayback(const Napi::CallbackInfo& info);
  Napi::Value RefreshRecording(const Napi::CallbackInfo& info);
  Napi::Value RemoveRecording(const Napi::CallbackInfo& info);
  Napi::Value Transfer(const Napi::CallbackInfo& info);
  Napi::Value SetMuted(const Napi::CallbackInfo& info);
  Napi::Value SetOnHold(const Napi::CallbackInfo& info);
  Napi::Value GetCall(const Napi::CallbackInfo& info);
  Napi::Value ActiveCalls(const Napi::CallbackInfo& info);
  Napi::Value Stats(const Napi::CallbackInfo& info);
  Napi::Value Settings(const Napi::CallbackInfo& info);
  Napi::Value ReloadSettings(const Napi::CallbackInfo& info);
  Napi::Value IngestWebhook(const Napi::CallbackInfo& info);

  std::shared_ptr<ClientHandle> handle_;
  std::shared_ptr<UpdateSink> sink_;
  bool open_called_ = false;
  bool closed_ = false;
  CleanupHook cleanup_;
};

// ---- server ------------------------------------------------------------------------

class NativeServer : public Napi::ObjectWrap<NativeServer> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit NativeServer(const Napi::CallbackInfo& info);
  ~NativeServer() override;

 private:
  /// A started server keeps the event loop alive (as a net.Server does)
  /// through this TSFN, which never carries calls.
  using KeepAlive = Napi::TypedThreadSafeFunction<>;
  void SetKeepAlive(bool on);
  void ReleaseKeepAlive();
  void CloseNow();

  Napi::Value Open(const Napi::CallbackInfo& info);
  Napi::Value Start(const Napi::CallbackInfo& info);
  Napi::Value Stop(const Napi::CallbackInfo& info);
  Napi::Value CloseSync(const Napi::CallbackInfo& info);
  Napi::Value Ref(const Napi::CallbackInfo& info);
  Napi::Value Unref(const Napi::CallbackInfo& info);

  std::shared_ptr<ServerHandle> handle_;
  KeepAlive keepalive_;
  bool keepalive_open_ = false;
  bool started_ = false;
  bool refed_ = true;  ///< what ref()/unref() asked for; applies while started
  bool open_called_ = false;
  bool closed_ = false;
  CleanupHook cleanup_;
};

}  // namespace cwnode
