// callwire Node addon — shared pieces: handle ownership, errors, arguments,
// and the AsyncWorker every blocking C call runs in.
//
// The addon is written on the C ABI only (callwire.h). Its rules, and how
// this file keeps them:
//
//  - "A handle must not be used during or after its cw_x_free()": each C
//    handle lives in a shared_ptr (Handle below). The JS wrapper holds one
//    reference and every worker in flight holds another, so the handle is
//    freed only when the wrapper is closed AND no C call still uses it.
//  - Blocking calls never run on the JS thread: Task queues them on the
//    libuv thread pool and settles a Promise afterwards.
//  - Environment teardown (process exit, worker_threads termination) runs a
//    cleanup hook per wrapper (CleanupHook) that closes what is still open.
#pragma once

#include <napi.h>

#include <callwire.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace cwnode {

// ---- handles -------------------------------------------------------------------

/// Owns one C handle; frees it with `Free` in the destructor (on whichever
/// thread drops the last reference — never the JS thread for a close()).
template <typename T, void (*Free)(T*)>
class Handle {
 public:
  explicit Handle(T* ptr) noexcept : ptr_(ptr) {}
  ~Handle() { Free(ptr_); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  T* get() const noexcept { return ptr_; }

 private:
  T* ptr_;
};

using StorageHandle = Handle<cw_storage, cw_storage_free>;
using ServerHandle = Handle<cw_server, cw_server_free>;

// ---- errors ----------------------------------------------------------------------

/// "sdk", "carrier", "storage" or "tls" for a cw_error_domain.
const char* DomainName(uint32_t domain) noexcept;

/// An Error with .code ("CW_ENOTFOUND"), .status (-2), .domain, .detail
/// (cw_error.detail, "" when none), and for the
/// carrier domain .httpStatus and .carrierCode. `body`, when given, becomes
/// .body (the JSON a failing call still filled, e.g. ingest results).
Napi::Error MakeError(Napi::Env env, int code, const cw_error& err, const std::string* body = nullptr);
/// An SDK-domain error with a message of our own (argument checks, closed handles).
Napi::Error MakeError(Napi::Env env, int code, const std::string& message);

// ---- arguments -------------------------------------------------------------------

/// info[i] as a string for the C ABI. Throws a CW_EINVAL error when it is not
/// a string or holds a NUL character (C would silently cut it there).
std::string ArgString(const Napi::CallbackInfo& info, size_t i, const char* what);
/// As ArgString, but undefined and null give nullopt (C: NULL).
std::optional<std::string> ArgOptString(const Napi::CallbackInfo& info, size_t i, const char* what);
/// info[i] as an object of options (undefined/null: empty object).
Napi::Object ArgOptions(const Napi::CallbackInfo& info, size_t i);

/// Option readers: a missing (undefined/null) property gives the fallback.
std::optional<std::string> OptString(const Napi::Object& o, const char* name);
bool OptBool(const Napi::Object& o, const char* name, bool fallback);
double OptNumber(const Napi::Object& o, const char* name, double fallback);
uint32_t OptUint32(const Napi::Object& o, const char* name, uint32_t fallback);

inline const char* CStr(const std::optional<std::string>& s) noexcept { return s ? s->c_str() : nullptr; }

// ---- type tags -------------------------------------------------------------------

/// Tags that tell the addon's own objects apart (napi_type_tag): a wrapper
/// passed where another is expected is refused instead of misread.
extern const napi_type_tag kStorageTag;
extern const napi_type_tag kClientTag;
extern const napi_type_tag kServerTag;

// ---- cleanup hooks -----------------------------------------------------------------

/// An environment cleanup hook calling `run` once: at teardown, or never if
/// Remove() comes first. Register it after creating any thread-safe function
/// the hook must outlive: hooks run in reverse order of registration.
class CleanupHook {
 public:
  CleanupHook() = default;
  ~CleanupHook();
  CleanupHook(const CleanupHook&) = delete;
  CleanupHook& operator=(const CleanupHook&) = delete;
  void Add(Napi::Env env, std::function<void()> run);
  void Remove();

 private:
  static void Run(void* self);
  napi_env env_ = nullptr;
  std::function<void()> run_;
};

// ---- the worker --------------------------------------------------------------------

/// Runs one blocking C call on the libuv thread pool and settles a Promise.
///
/// `work` runs off the JS thread with a zeroed cw_buf and cw_error; it returns
/// the cw_status. It is destroyed right after it runs, still off the JS
/// thread, so a handle reference it captured is released (and possibly freed)
/// there. On success the promise resolves with `finish(env, text)` — text is
/// the buffer's content, or null when the call filled none — or by default
/// with that text as a string (undefined when none). On failure it rejects
/// with MakeError(…), carrying the buffer's text as .body when there is one.
///
/// `receiver` (may be empty) is kept alive until the promise settles, so a
/// `finish` may use the wrapper it belongs to.
class Task : public Napi::AsyncWorker {
 public:
  using Work = std::function<int(cw_buf* out, cw_error* err)>;
  using Finish = std::function<Napi::Value(Napi::Env env, const std::string* text)>;

  static Napi::Promise Start(Napi::Env env, Napi::Object receiver, Work work, Finish finish = {});

 protected:
  void Execute() override;
  void OnOK() override;

 private:
  Task(Napi::Env env, Napi::Object receiver, Work work, Finish finish);
  Napi::Promise::Deferred deferred_;
  Work work_;
  Finish finish_;
  int code_ = CW_OK;
  cw_error error_{};
  bool filled_ = false;
  std::string text_;
};

}  // namespace cwnode
