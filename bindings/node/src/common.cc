// callwire Node addon — errors, arguments, cleanup hooks and the Task worker.
#include "common.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <utility>

namespace cwnode {

const napi_type_tag kStorageTag = {0x6377'7374'6f72'6167ULL, 0x9d1c'41b3'8e07'52a1ULL};
const napi_type_tag kClientTag = {0x6377'636c'6965'6e74ULL, 0x4b2e'9f60'13d8'a7c5ULL};
const napi_type_tag kServerTag = {0x6377'7365'7276'6572ULL, 0x72a4'c0e9'5b31'06fdULL};

// ---- errors ----------------------------------------------------------------------

const char* DomainName(uint32_t domain) noexcept {
  switch (domain) {
    case CW_DOMAIN_CARRIER: return "carrier";
    case CW_DOMAIN_STORAGE: return "storage";
    case CW_DOMAIN_TLS: return "tls";
    default: return "sdk";  // CW_DOMAIN_SDK, and errors the library left unclassified
  }
}

Napi::Error MakeError(Napi::Env env, int code, const cw_error& err, const std::string* body) {
  const char* name = cw_status_name(code);
  const std::string message = err.message[0] != '\0' ? std::string(err.message) : std::string(name);
  Napi::Error error = Napi::Error::New(env, message);
  Napi::Object o = error.Value();
  o.Set("code", name);
  o.Set("status", code);
  o.Set("domain", DomainName(err.domain));
  // cw_error.detail: the raw text behind the message (SQL, paths, driver or Telnyx text), for logs.
  o.Set("detail", std::string(err.detail, strnlen(err.detail, sizeof err.detail)));
  if (err.domain == CW_DOMAIN_CARRIER) {
    o.Set("httpStatus", err.http_status);
    o.Set("carrierCode", std::string(err.carrier_code, strnlen(err.carrier_code, sizeof err.carrier_code)));
  }
  if (body != nullptr) o.Set("body", *body);
  return error;
}

Napi::Error MakeError(Napi::Env env, int code, const std::string& message) {
  cw_error err{};
  err.domain = CW_DOMAIN_SDK;
  err.code = code;
  const size_t n = std::min(message.size(), sizeof err.message - 1);
  std::memcpy(err.message, message.data(), n);
  err.message[n] = '\0';
  return MakeError(env, code, err);
}

// ---- arguments -------------------------------------------------------------------

namespace {
std::string Checked(Napi::Env env, const Napi::Value& v, const char* what) {
  if (!v.IsString()) throw MakeError(env, CW_EINVAL, std::string(what) + " must be a string");
  std::string s = v.As<Napi::String>().Utf8Value();
  if (s.find('\0') != std::string::npos) {
    throw MakeError(env, CW_EINVAL, std::string(what) + " must not contain NUL characters");
  }
  return s;
}
}  // namespace

std::string ArgString(const Napi::CallbackInfo& info, size_t i, const char* what) {
  return Checked(info.Env(), info[i], what);
}

std::optional<std::string> ArgOptString(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (info[i].IsUndefined() || info[i].IsNull()) return std::nullopt;
  return Checked(info.Env(), info[i], what);
}

Napi::Object ArgOptions(const Napi::CallbackInfo& info, size_t i) {
  if (info[i].IsUndefined() || info[i].IsNull()) return Napi::Object::New(info.Env());
  if (!info[i].IsObject()) throw MakeError(info.Env(), CW_EINVAL, "options must be an object");
  return info[i].As<Napi::Object>();
}

std::optional<std::string> OptString(const Napi::Object& o, const char* name) {
  Napi::Value v = o.Get(name);
  if (v.IsUndefined() || v.IsNull()) return std::nullopt;
  return Checked(o.Env(), v, name);
}

bool OptBool(const Napi::Object& o, const char* name, bool fallback) {
  Napi::Value v = o.Get(name);
  if (v.IsUndefined() || v.IsNull()) return fallback;
  if (!v.IsBoolean()) throw MakeError(o.Env(), CW_EINVAL, std::string(name) + " must be a boolean");
  return v.As<Napi::Boolean>().Value();
}

double OptNumber(const Napi::Object& o, const char* name, double fallback) {
  Napi::Value v = o.Get(name);
  if (v.IsUndefined() || v.IsNull()) return fallback;
  if (!v.IsNumber()) throw MakeError(o.Env(), CW_EINVAL, std::string(name) + " must be a number");
  return v.As<Napi::Number>().DoubleValue();
}

uint32_t OptUint32(const Napi::Object& o, const char* name, uint32_t fallback) {
  const double d = OptNumber(o, name, fallback);
  if (!(d >= 0 && d <= 4294967295.0) || d != static_cast<double>(static_cast<uint32_t>(d))) {
    throw MakeError(o.Env(), CW_EINVAL, std::string(name) + " must be a whole number from 0 to 4294967295");
  }
  return static_cast<uint32_t>(d);
}

// ---- cleanup hooks -----------------------------------------------------------------

CleanupHook::~CleanupHook() { Remove(); }

void CleanupHook::Add(Napi::Env env, std::function<void()> run) {
  Remove();
  run_ = std::move(run);
  if (napi_add_env_cleanup_hook(env, &CleanupHook::Run, this) != napi_ok) {
    throw Napi::Error::New(env, "callwire: could not register an environment cleanup hook");
  }
  env_ = env;
}

void CleanupHook::Remove() {
  if (env_ == nullptr) return;
  napi_remove_env_cleanup_hook(env_, &CleanupHook::Run, this);
  env_ = nullptr;
  run_ = nullptr;
}

void CleanupHook::Run(void* self) {
  auto* hook = static_cast<CleanupHook*>(self);
  hook->env_ = nullptr;  // already being removed by Node
  std::function<void()> run = std::move(hook->run_);
  hook->run_ = nullptr;
  if (run) run();
}

// ---- the worker --------------------------------------------------------------------

Task::Task(Napi::Env env, Napi::Object receiver, Work work, Finish finish)
    : Napi::AsyncWorker(env, "callwire"),
      deferred_(Napi::Promise::Deferred::New(env)),
      work_(std::move(work)),
      finish_(std::move(finish)) {
  if (!receiver.IsEmpty()) Receiver().Reset(receiver, 1);
}

Napi::Promise Task::Start(Napi::Env env, Napi::Object receiver, Work work, Finish finish) {
  auto* task = new Task(env, receiver, std::move(work), std::move(finish));
  Napi::Promise promise = task->deferred_.Promise();
  task->Queue();  // the worker deletes itself after OnOK
  return promise;
}

void Task::Execute() {
  cw_buf buf = CW_BUF_INIT;
  try {
    code_ = work_(&buf, &error_);
  } catch (const std::bad_alloc&) {
    code_ = CW_ENOMEM;
    std::strcpy(error_.message, "out of memory");
  } catch (...) {
    code_ = CW_EINTERNAL;
    std::strcpy(error_.message, "unexpected exception in the callwire addon");
  }
  if (buf.ptr != nullptr) {
    filled_ = true;
    try {
      text_.assign(buf.ptr, buf.size);
    } catch (...) {
      code_ = CW_ENOMEM;
      filled_ = false;
    }
  }
  cw_buf_dispose(&buf);
  work_ = nullptr;  // drop captured handle references here, off the JS thread
}

void Task::OnOK() {
  Napi::Env env = Env();
  try {
    if (code_ < 0) {
      deferred_.Reject(MakeError(env, code_, error_, filled_ ? &text_ : nullptr).Value());
    } else if (finish_) {
      try {
        deferred_.Resolve(finish_(env, filled_ ? &text_ : nullptr));
      } catch (const Napi::Error& e) {
        deferred_.Reject(e.Value());
      }
    } else if (filled_) {
      deferred_.Resolve(Napi::String::New(env, text_));
    } else {
      deferred_.Resolve(env.Undefined());
    }
  } catch (const Napi::Error&) {
    // Environment teardown (process exit, worker termination): JavaScript can
    // no longer run, so the promise cannot settle — and nobody awaits it.
  }
}

}  // namespace cwnode
