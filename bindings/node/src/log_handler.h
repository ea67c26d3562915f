// callwire Node addon — the SDK's log records, delivered to a JavaScript
// function on the JS thread (setLogHandler in lib/log.js).
//
// cw_log_set_handler() is process-wide, one callback for all environments
// (the main thread and every worker thread): the last setLogHandler() wins.
// The C callback runs on whichever thread logs and must not block, so it
// copies the record onto a thread-safe function (an unbounded queue: it never
// blocks) whose JS side calls the handler. The TSFN is unref'd: logging never
// keeps the process alive. A route is retired when replaced (after
// cw_log_set_handler returns its callback no longer runs, so its TSFN can be
// released) and at its environment's teardown, which first gives the library
// back its default output if the route is still the one in force.
//
// Included by addon.cc only.
#pragma once

#include "common.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace cwnode {

/// One record, copied out of the C callback.
struct LogEntry {
  int level = CW_LOG_INFO;
  int64_t time_ms = 0;
  std::string component;
  std::string message;
  std::string request_id;
};

inline const char* LogLevelName(int level) noexcept {
  switch (level) {
    case CW_LOG_TRACE: return "trace";
    case CW_LOG_DEBUG: return "debug";
    case CW_LOG_INFO: return "info";
    case CW_LOG_WARN: return "warn";
    case CW_LOG_ERROR: return "error";
    default: return "off";
  }
}

/// On the JS thread: handler({level, time, component, message, requestId}).
inline void CallLogHandler(Napi::Env env, Napi::Function handler, std::nullptr_t*, LogEntry* entry) {
  std::unique_ptr<LogEntry> owned(entry);
  if (static_cast<napi_env>(env) == nullptr || handler.IsEmpty()) return;  // teardown: drop it
  try {
    Napi::Object record = Napi::Object::New(env);
    record.Set("level", LogLevelName(owned->level));
    record.Set("time", Napi::Date::New(env, static_cast<double>(owned->time_ms)));
    record.Set("component", owned->component);
    record.Set("message", owned->message);
    record.Set("requestId", owned->request_id);
    handler.Call({record});
  } catch (const Napi::Error& e) {
    // lib/log.js turns a handler's exception into an uncaught one itself;
    // this is environment teardown, where JavaScript can no longer run.
    try {
      e.ThrowAsJavaScriptException();
    } catch (...) {
    }
  }
}

using LogTsfn = Napi::TypedThreadSafeFunction<std::nullptr_t, LogEntry, &CallLogHandler>;

/// One environment's route from the C callback to its JS handler.
class LogRoute {
 public:
  /// The cw_log_cb; `user_data` is the LogRoute.
  static void OnRecord(void* user_data, const cw_log_record* r) noexcept {
    auto* route = static_cast<LogRoute*>(user_data);
    try {
      auto entry = std::make_unique<LogEntry>();
      entry->level = r->level;
      entry->time_ms = r->time_ms;
      entry->component = r->component != nullptr ? r->component : "";
      if (r->message != nullptr) entry->message.assign(r->message, r->message_len);
      entry->request_id = r->request_id != nullptr ? r->request_id : "";
      if (route->tsfn_.NonBlockingCall(entry.get()) == napi_ok) entry.release();
    } catch (...) {
      // Out of memory: the record is lost; nothing may escape into the SDK.
    }
  }

  /// setLogHandler(level, handler | null): level a cw_log_level number.
  static Napi::Value Set(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!info[0].IsNumber()) throw MakeError(env, CW_EINVAL, "level must be a number (a cw_log_level)");
    const int level = info[0].As<Napi::Number>().Int32Value();
    if (level < CW_LOG_TRACE || level > CW_LOG_OFF) throw MakeError(env, CW_EINVAL, "level must be a cw_log_level (0 to 5)");
    const bool has_handler = info[1].IsFunction();
    if (!has_handler && !info[1].IsNull() && !info[1].IsUndefined()) {
      throw MakeError(env, CW_EINVAL, "the log handler must be a function or null");
    }

    std::unique_ptr<LogRoute> route;
    if (has_handler) {
      route.reset(new LogRoute(env));
      route->tsfn_ = LogTsfn::New(env, info[1].As<Napi::Function>(), "callwire.log", 0, 1);
      route->tsfn_.Unref(env);
    }
    std::lock_guard lock(Mutex());  // one setLogHandler at a time, process-wide
    const int rc = route ? cw_log_set_handler(static_cast<cw_log_level>(level), &LogRoute::OnRecord, route.get())
                         : cw_log_set_handler(static_cast<cw_log_level>(level), nullptr, nullptr);
    if (rc != CW_OK) {
      if (route) route->tsfn_.Release();
      throw MakeError(env, rc, rc == CW_ECONFLICT ? "setLogHandler cannot be called from inside a log handler"
                                                 : "cw_log_set_handler failed");
    }
    // The previous route's callback is not running and will not run again.
    LogRoute* previous = Current();
    Current() = route.release();
    if (Current() != nullptr) Current()->cleanup_.Add(env, [r = Current()] { r->Teardown(); });
    if (previous != nullptr) previous->Retire(env);
    return env.Undefined();
  }

 private:
  explicit LogRoute(Napi::Env env) : env_(env) {}

  static std::mutex& Mutex() {
    static std::mutex m;
    return m;
  }
  static LogRoute*& Current() {
    static LogRoute* current = nullptr;
    return current;
  }

  /// Replaced (its callback no longer runs): release the TSFN; free the route
  /// now when it belongs to this environment, else at its own teardown.
  void Retire(Napi::Env env) {
    if (!retired_) {
      retired_ = true;
      tsfn_.Release();
    }
    if (static_cast<napi_env>(env) == env_) {
      cleanup_.Remove();
      delete this;
    }
  }

  /// Environment teardown (the cleanup hook; JS thread of `env_`).
  void Teardown() {
    {
      std::lock_guard lock(Mutex());
      if (Current() == this) {
        cw_log_set_handler(static_cast<cw_log_level>(cw_log_get_level()), nullptr, nullptr);
        Current() = nullptr;
      }
    }
    if (!retired_) {
      retired_ = true;
      tsfn_.Release();
    }
    delete this;  // CleanupHook::Run has already unregistered the hook
  }

  napi_env env_;
  LogTsfn tsfn_;
  bool retired_ = false;
  CleanupHook cleanup_;
};

}  // namespace cwnode
