// callwire Node addon — module entry: the native classes, the small
// synchronous utilities (versions, status names, phone normalisation) and
// the log hook (log_handler.h).
//
// The module is context-aware: each environment (main thread, every worker
// thread) gets its own classes, and each wrapper registers its own cleanup.
#include "log_handler.h"
#include "wrappers.h"

namespace cwnode {
namespace {

// normalizePhone(input) → "+12125551234"; throws a CW_EINVAL error. Pure
// computation, no I/O: it runs on the calling thread.
Napi::Value NormalizePhone(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string input = ArgString(info, 0, "number");
  cw_buf out = CW_BUF_INIT;
  cw_error err{};
  const int rc = cw_phone_normalize(&out, input.c_str(), &err);
  if (rc != CW_OK) {
    cw_buf_dispose(&out);
    throw MakeError(env, rc, err);
  }
  Napi::String result = Napi::String::New(env, out.ptr, out.size);
  cw_buf_dispose(&out);
  return result;
}

Napi::Value StatusName(const Napi::CallbackInfo& info) {
  if (!info[0].IsNumber()) throw MakeError(info.Env(), CW_EINVAL, "code must be a number");
  return Napi::String::New(info.Env(), cw_status_name(info[0].As<Napi::Number>().Int32Value()));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeStorage", NativeStorage::Define(env));
  exports.Set("NativeClient", NativeClient::Define(env));
  exports.Set("NativeServer", NativeServer::Define(env));
  exports.Set("normalizePhone", Napi::Function::New(env, NormalizePhone, "normalizePhone"));
  exports.Set("statusName", Napi::Function::New(env, StatusName, "statusName"));
  exports.Set("setLogHandler", Napi::Function::New(env, LogRoute::Set, "setLogHandler"));
  exports.Set("version", Napi::String::New(env, cw_version_string()));
  exports.Set("versionNumber", Napi::Number::New(env, cw_version_number()));
  exports.Set("headerVersion", Napi::String::New(env, CW_VERSION_STRING));
  exports.Set("abiVersion", Napi::Number::New(env, CW_ABI_VERSION));

  // Every status code by name, from the library itself: {CW_OK: 0, CW_EINVAL: -1, …}.
  Napi::Object codes = Napi::Object::New(env);
  for (int code = 0; code >= CW_EFORBIDDEN; --code) codes.Set(cw_status_name(code), code);
  exports.Set("codes", codes);
  return exports;
}

}  // namespace
}  // namespace cwnode

static Napi::Object InitCallwire(Napi::Env env, Napi::Object exports) { return cwnode::Init(env, exports); }

NODE_API_MODULE(callwire, InitCallwire)
