// callwire._native — the pybind11 extension of the Python package.
//
// A thin layer over the C ABI (capi/include/callwire.h) and nothing else: it
// never sees the C++ SDK. Records cross as JSON text (str); the pure-Python
// package (src/callwire/) turns them into dataclasses. Rules kept here:
//
//  - The GIL is released around every C call (they may block on storage, the
//    carrier or other threads) and taken back in update callbacks, which run
//    on the client's worker threads.
//  - A failing C call raises the matching callwire.Error subclass, built by
//    callwire._errors._from_native() — the one place that maps C codes to the
//    exception hierarchy.
//  - Handles are freed exactly once: Storage and Server by close() or their
//    destructor, Client by its destructor (close() only stops it, which the C
//    ABI allows while other threads still use the handle).
//  - Event callbacks never run during interpreter shutdown: an atexit hook
//    (registered at import) turns them into no-ops.
//  - Log records never take the GIL on the thread that logs: they queue
//    (log_queue.hpp) for callwire._logging's thread.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "callwire.h"
#include "log_queue.hpp"

namespace py = pybind11;

namespace {

// ---- errors ---------------------------------------------------------------------

/// A failed C call, with its details; translated to a Python exception.
struct Failure : std::exception {
  int code;
  cw_error err;

  Failure(int c, const cw_error& e) : code(c), err(e) {
    if (err.code == 0) err.code = c;  // a C function that forgot to fill err
    if (err.message[0] == '\0') std::snprintf(err.message, sizeof err.message, "%s", cw_status_name(c));
  }
  /// A failure detected here, before reaching the C ABI (domain: SDK).
  Failure(int c, const std::string& message) : code(c), err{} {
    err.domain = CW_DOMAIN_SDK;
    err.code = c;
    std::snprintf(err.message, sizeof err.message, "%s", message.c_str());
  }
  const char* what() const noexcept override { return err.message; }
};

/// The Python exception for a failure: callwire._errors._from_native(...),
/// with cw_error.detail (for logs, never for end users) as its `.detail`.
py::object make_error(int code, const cw_error& err) {
  py::object factory = py::module_::import("callwire._errors").attr("_from_native");
  return factory(code, err.domain, err.http_status, py::str(err.carrier_code), py::str(err.message),
                 py::str(err.detail));
}

/// Fills err (when given) and returns code: for failures found inside a C-call lambda.
int fail(cw_error* err, int code, const char* message) {
  if (err != nullptr) {
    cw_error_clear(err);
    err->domain = CW_DOMAIN_SDK;
    err->code = code;
    std::snprintf(err->message, sizeof err->message, "%s", message);
  }
  return code;
}

/// Strings cross the C ABI as NUL-terminated: refuse one that would be cut short.
const std::string& text(const std::string& s, const char* what) {
  if (s.find('\0') != std::string::npos) throw Failure(CW_EINVAL, std::string(what) + " must not contain a NUL character");
  return s;
}
const char* opt_text(const std::optional<std::string>& s, const char* what) {
  return s ? text(*s, what).c_str() : nullptr;
}

/// Runs a C call that answers in a cw_buf, without the GIL; returns the text or throws Failure.
template <class F>
std::string call_buf(F&& f) {
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  cw_error_clear(&err);
  int rc;
  {
    py::gil_scoped_release nogil;
    rc = f(&buf, &err);
  }
  if (rc != CW_OK) {
    cw_buf_dispose(&buf);
    throw Failure(rc, err);
  }
  std::string out = buf.ptr != nullptr ? std::string(buf.ptr, buf.size) : std::string();
  cw_buf_dispose(&buf);
  return out;
}

/// Runs a C call without output, without the GIL; throws Failure.
template <class F>
void call_void(F&& f) {
  cw_error err;
  cw_error_clear(&err);
  int rc;
  {
    py::gil_scoped_release nogil;
    rc = f(&err);
  }
  if (rc != CW_OK) throw Failure(rc, err);
}

// ---- update callbacks ------------------------------------------------------------

/// Set by the atexit hook: from then on update callbacks do not enter Python.
std::atomic<bool> g_interpreter_exiting{false};
/// >0 while this thread runs a Python update callback (cw_client_close/free/unsubscribe are not allowed there).
thread_local int t_callback_depth = 0;

struct Subscription {
  py::object callback;  // callable(type: str, call_json: str)
};

void event_trampoline(void* userdata, const char* type, const char* call_json, size_t call_json_len) {
  if (g_interpreter_exiting.load() || !Py_IsInitialized()) return;
  py::gil_scoped_acquire gil;
  auto* sub = static_cast<Subscription*>(userdata);
  ++t_callback_depth;
  try {
    sub->callback(py::str(type), py::str(call_json, call_json_len));
  } catch (py::error_already_set& e) {
    // The Python layer routes callback exceptions itself; this is the last
    // resort for a failure in that routing: sys.unraisablehook, never silence.
    e.discard_as_unraisable("callwire update callback");
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
    PyErr_WriteUnraisable(sub->callback.ptr());
  }
  --t_callback_depth;
}

// ---- handles ----------------------------------------------------------------------

class Storage {
 public:
  Storage(const std::string& url, const std::optional<std::string>& database, uint32_t timeout_ms,
          uint32_t max_connections) {
    cw_storage_options opts;
    cw_storage_options_init(&opts, CW_STORAGE_OPTIONS_VERSION);
    opts.database = opt_text(database, "database");
    opts.timeout_ms = timeout_ms;
    opts.max_connections = max_connections;
    const char* c_url = text(url, "url").c_str();
    call_void([&](cw_error* err) { return cw_storage_open(&h_, c_url, &opts, err); });
  }
  ~Storage() { close(); }
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  /// Frees the handle once calls in flight on other threads have returned. Idempotent.
  void close() {
    py::gil_scoped_release nogil;
    std::unique_lock lock(mu_);
    cw_storage_free(h_);
    h_ = nullptr;
  }
  bool closed() const {
    std::shared_lock lock(mu_);
    return h_ == nullptr;
  }

  /// Runs f(buf, handle, err) under the shared lock, without the GIL.
  template <class F>
  std::string with_buf(F&& f) const {
    return call_buf([&](cw_buf* buf, cw_error* err) {
      std::shared_lock lock(mu_);
      if (h_ == nullptr) return fail(err, CW_ECLOSED, "the storage is closed");
      return f(buf, h_, err);
    });
  }
  template <class F>
  void with_void(F&& f) const {
    call_void([&](cw_error* err) {
      std::shared_lock lock(mu_);
      if (h_ == nullptr) return fail(err, CW_ECLOSED, "the storage is closed");
      return f(h_, err);
    });
  }

  /// The raw handle for cw_client_new (which takes its own reference); throws if closed.
  template <class F>
  void with_handle(F&& f) const {
    std::shared_lock lock(mu_);
    if (h_ == nullptr) throw Failure(CW_ECLOSED, "the storage is closed");
    f(h_);
  }

 private:
  mutable std::shared_mutex mu_;
  cw_storage* h_ = nullptr;
};

struct ClientOptions {
  std::optional<std::string> api_key, api_base, connection_id, webhook_url, public_key, ca_file, recordings_dir;
  bool force_demo = false, insecure_webhooks = false, auto_record = false;
  double demo_speed = 0;
  uint32_t hangup_wait_ms = 0, io_threads = 0, worker_threads = 0;
};

class Client {
 public:
  Client(const Storage& storage, const ClientOptions& o) {
    cw_client_options opts;
    cw_client_options_init(&opts, CW_CLIENT_OPTIONS_VERSION);
    opts.api_key = opt_text(o.api_key, "api_key");
    opts.api_base = opt_text(o.api_base, "api_base");
    opts.connection_id = opt_text(o.connection_id, "connection_id");
    opts.webhook_url = opt_text(o.webhook_url, "webhook_url");
    opts.public_key = opt_text(o.public_key, "public_key");
    opts.ca_file = opt_text(o.ca_file, "ca_file");
    opts.recordings_dir = opt_text(o.recordings_dir, "recordings_dir");
    opts.force_demo = o.force_demo ? 1 : 0;
    opts.insecure_webhooks = o.insecure_webhooks ? 1 : 0;
    opts.auto_record = o.auto_record ? 1 : 0;
    opts.demo_speed = o.demo_speed;
    opts.hangup_wait_ms = o.hangup_wait_ms;
    opts.io_threads = o.io_threads;
    opts.worker_threads = o.worker_threads;
    py::gil_scoped_release nogil;  // the storage lock is taken without the GIL, as everywhere
    storage.with_handle([&](cw_storage* s) {
      cw_error err;
      cw_error_clear(&err);
      int rc = cw_client_new(&h_, s, &opts, &err);
      if (rc != CW_OK) throw Failure(rc, err);
    });
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  ~Client() {
    if (h_ == nullptr) return;
    std::map<uint64_t, Subscription*> subs = take_subscriptions();
    if (t_callback_depth > 0) {
      // The last reference went away inside one of this client's own event
      // callbacks, where cw_client_free is not allowed: free it from a thread
      // of its own once the callback has returned.
      cw_client* h = h_;
      std::thread([h, subs] {
        cw_client_free(h);
        if (!subs.empty() && Py_IsInitialized() && !g_interpreter_exiting.load()) {
          py::gil_scoped_acquire gil;
          for (auto& [id, sub] : subs) delete sub;
        }
      }).detach();
      return;
    }
    {
      py::gil_scoped_release nogil;
      cw_client_free(h_);
    }
    for (auto& [id, sub] : subs) delete sub;
  }

  void close() {
    not_in_callback("close()");
    call_void([&](cw_error* err) { return cw_client_close(h_, err); });
    // Closed: its threads are joined, so no callback runs any more.
    {
      std::lock_guard lock(subs_mu_);
      closed_ = true;
    }
    for (auto& [id, sub] : take_subscriptions()) delete sub;
  }

  bool is_demo() const {
    int rc;
    {
      py::gil_scoped_release nogil;
      rc = cw_client_is_demo(h_);
    }
    if (rc < 0) throw Failure(rc, rc == CW_ECLOSED ? "the client is closed" : cw_status_name(rc));
    return rc == 1;
  }

  std::string dial(const std::string& to, const std::optional<std::string>& from,
                   const std::optional<std::string>& options_json) {
    const char* c_to = text(to, "to").c_str();
    const char* c_from = opt_text(from, "from_number");
    const char* c_opts = opt_text(options_json, "options");
    return call_buf([&](cw_buf* b, cw_error* e) { return cw_client_dial(b, h_, c_to, c_from, c_opts, e); });
  }

  /// For the call-id controls: f(buf, handle, call_id, err).
  template <class F>
  std::string on_call(const std::string& call_id, F&& f) {
    const char* id = text(call_id, "call_id").c_str();
    return call_buf([&](cw_buf* b, cw_error* e) { return f(b, h_, id, e); });
  }

  std::string send_dtmf(const std::string& call_id, const std::string& digits) {
    const char* d = text(digits, "digits").c_str();
    return on_call(call_id, [&](cw_buf* b, cw_client* c, const char* id, cw_error* e) {
      return cw_client_send_dtmf(b, c, id, d, e);
    });
  }
  std::string transfer(const std::string& call_id, const std::string& to) {
    const char* t = text(to, "to").c_str();
    return on_call(call_id, [&](cw_buf* b, cw_client* c, const char* id, cw_error* e) {
      return cw_client_transfer(b, c, id, t, e);
    });
  }
  std::string refresh_recording(const std::string& recording_id) {
    const char* r = text(recording_id, "recording_id").c_str();
    return call_buf([&](cw_buf* b, cw_error* e) { return cw_client_refresh_recording(b, h_, r, e); });
  }
  void remove_recording(const std::string& recording_id) {
    const char* r = text(recording_id, "recording_id").c_str();
    call_void([&](cw_error* e) { return cw_client_remove_recording(h_, r, e); });
  }
  std::string set_muted(const std::string& call_id, bool muted) {
    return on_call(call_id, [&](cw_buf* b, cw_client* c, const char* id, cw_error* e) {
      return cw_client_set_muted(b, c, id, muted ? 1 : 0, e);
    });
  }
  std::string set_on_hold(const std::string& call_id, bool on_hold) {
    return on_call(call_id, [&](cw_buf* b, cw_client* c, const char* id, cw_error* e) {
      return cw_client_set_on_hold(b, c, id, on_hold ? 1 : 0, e);
    });
  }
  std::string speak(const std::string& call_id, const std::string& text_, const std::optional<std::string>& options_json) {
    const char* t = text(text_, "text").c_str();
    const char* o = opt_text(options_json, "options");
    return on_call(call_id, [&](cw_buf* b, cw_client* c, const char* id, cw_error* e) {
      return cw_client_speak(b, c, id, t, o, e);
    });
  }
  std::string start_playback(const std::string& call_id, const std::string& audio_url) {
    const char* u = text(audio_url, "audio_url").c_str();
    return on_call(call_id, [&](cw_buf* b, cw_client* c, const char* id, cw_error* e) {
      return cw_client_start_playback(b, c, id, u, e);
    });
  }

  template <class F>
  std::string no_args(F&& f) {
    return call_buf([&](cw_buf* b, cw_error* e) { return f(b, h_, e); });
  }

  void reload_settings() {
    call_void([&](cw_error* e) { return cw_client_reload_settings(h_, e); });
  }

  uint64_t subscribe(py::object callback) {
    if (!PyCallable_Check(callback.ptr())) throw Failure(CW_EINVAL, "the update callback must be callable");
    auto* sub = new Subscription{std::move(callback)};
    uint64_t id = 0;
    cw_error err;
    cw_error_clear(&err);
    int rc;
    {
      py::gil_scoped_release nogil;
      rc = cw_client_subscribe(&id, h_, &event_trampoline, sub, &err);
    }
    if (rc != CW_OK) {
      delete sub;
      throw Failure(rc, err);
    }
    bool keep;
    {
      std::lock_guard lock(subs_mu_);
      keep = !closed_;
      if (keep) subs_[id] = sub;
    }
    if (!keep) delete sub;  // closed meanwhile: it can no longer be called
    return id;
  }

  void unsubscribe(uint64_t id) {
    not_in_callback("unsubscribe()");
    call_void([&](cw_error* e) { return cw_client_unsubscribe(h_, id, e); });
    // The callback is not running and will not run again: drop it.
    Subscription* sub = nullptr;
    {
      std::lock_guard lock(subs_mu_);
      auto it = subs_.find(id);
      if (it != subs_.end()) {
        sub = it->second;
        subs_.erase(it);
      }
    }
    delete sub;
  }

  /// (answer JSON, None) on success; (answer JSON, Error) when the C call failed but filled the answer.
  py::tuple ingest_webhook(const py::bytes& body, const std::vector<std::pair<std::string, std::string>>& headers) {
    std::string raw = body;
    std::vector<cw_header> c_headers;
    c_headers.reserve(headers.size());
    for (const auto& [name, value] : headers) {
      c_headers.push_back({text(name, "header name").c_str(), text(value, "header value").c_str()});
    }
    cw_buf buf = CW_BUF_INIT;
    cw_error err;
    cw_error_clear(&err);
    int rc;
    {
      py::gil_scoped_release nogil;
      rc = cw_client_ingest_webhook(&buf, h_, raw.data(), raw.size(), c_headers.data(), c_headers.size(), &err);
    }
    if (rc != CW_OK && buf.ptr == nullptr) throw Failure(rc, err);
    std::string answer(buf.ptr, buf.size);
    cw_buf_dispose(&buf);
    if (rc == CW_OK) return py::make_tuple(py::str(answer), py::none());
    Failure f(rc, err);
    return py::make_tuple(py::str(answer), make_error(f.code, f.err));
  }

  cw_client* handle() const { return h_; }

 private:
  void not_in_callback(const char* what) const {
    if (t_callback_depth > 0) {
      throw Failure(CW_EINVAL, std::string(what) + " cannot be called from an update callback");
    }
  }
  std::map<uint64_t, Subscription*> take_subscriptions() {
    std::lock_guard lock(subs_mu_);
    return std::exchange(subs_, {});
  }

  cw_client* h_ = nullptr;
  std::mutex subs_mu_;
  bool closed_ = false;
  std::map<uint64_t, Subscription*> subs_;
};

struct ServerOptions {
  std::optional<std::string> host, static_dir, cors_origins, jwt_secret, allowed_hosts, metrics_token;
  uint16_t port = 0;
  bool rest_api = true, allow_public_without_auth = false;
  size_t body_limit = 0;
  uint32_t threads = 0, worker_threads = 0;
};

class Server {
 public:
  Server(const Client& client, const ServerOptions& o) {
    cw_server_options opts;
    cw_server_options_init(&opts, CW_SERVER_OPTIONS_VERSION);
    opts.host = opt_text(o.host, "host");
    opts.port = o.port;
    opts.rest_api = o.rest_api ? 1 : 0;
    opts.static_dir = opt_text(o.static_dir, "static_dir");
    opts.cors_origins = opt_text(o.cors_origins, "cors_origins");
    opts.jwt_secret = opt_text(o.jwt_secret, "jwt_secret");
    opts.allow_public_without_auth = o.allow_public_without_auth ? 1 : 0;
    opts.body_limit = o.body_limit;
    opts.threads = o.threads;
    opts.worker_threads = o.worker_threads;
    opts.allowed_hosts = opt_text(o.allowed_hosts, "allowed_hosts");
    opts.metrics_token = opt_text(o.metrics_token, "metrics_token");
    cw_client* c = client.handle();
    call_void([&](cw_error* err) { return cw_server_new(&h_, c, &opts, err); });
  }
  ~Server() { close(); }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void start() {
    with([](cw_server* s, cw_error* e) { return cw_server_start(s, e); });
  }
  uint16_t port() const {
    uint16_t port = 0;
    with([&](cw_server* s, cw_error* e) { return cw_server_port(&port, s, e); });
    return port;
  }
  void stop() {
    with([](cw_server* s, cw_error* e) { return cw_server_stop(s, e); });
  }
  /// Stops and frees. Idempotent.
  void close() {
    py::gil_scoped_release nogil;
    std::unique_lock lock(mu_);
    cw_server_free(h_);
    h_ = nullptr;
  }
  bool closed() const {
    std::shared_lock lock(mu_);
    return h_ == nullptr;
  }

 private:
  template <class F>
  void with(F&& f) const {
    call_void([&](cw_error* err) {
      std::shared_lock lock(mu_);
      if (h_ == nullptr) return fail(err, CW_ECLOSED, "the server is closed");
      return f(h_, err);
    });
  }

  mutable std::shared_mutex mu_;
  cw_server* h_ = nullptr;
};

std::string phone_normalize(const std::string& input) {
  const char* in = text(input, "phone number").c_str();
  return call_buf([&](cw_buf* b, cw_error* e) { return cw_phone_normalize(b, in, e); });
}

}  // namespace

PYBIND11_MODULE(_native, m) {
  m.doc() = "callwire's C ABI (libcallwire_c) for Python. Private: use the callwire package.";

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Failure& f) {
      try {
        py::object exc = make_error(f.code, f.err);
        PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
      } catch (py::error_already_set& e) {
        e.restore();
      }
    }
  });

  // Event callbacks stop entering Python once the interpreter starts exiting.
  // (callwire's own atexit hook, registered later and so run earlier, closes
  // the clients that are still open.)
  py::module_::import("atexit").attr("register")(py::cpp_function([] { g_interpreter_exiting.store(true); }));

  m.attr("HEADER_VERSION") = CW_VERSION_STRING;
  m.attr("ABI_VERSION") = CW_ABI_VERSION;
  m.def("version_string", [] { return std::string(cw_version_string()); }, "cw_version_string()");
  m.def("version_number", [] { return cw_version_number(); }, "cw_version_number()");
  m.def("in_update_callback", [] { return t_callback_depth > 0; },
        "True on a thread that is running an update callback (where close() and unsubscribe() are refused).");
  m.def("status_name", [](int code) { return std::string(cw_status_name(code)); }, py::arg("code"));
  m.def("phone_normalize", &phone_normalize, py::arg("number"));
  m.def(
      "write_unraisable",
      [](py::object exc, py::object where) {
        PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
        PyErr_WriteUnraisable(where.ptr());
      },
      py::arg("exc"), py::arg("where"), "Hands exc to sys.unraisablehook (as an exception that cannot be raised).");

  // The log hook (callwire._logging): records queue here, a Python thread takes them.
  m.def("log_level", [] { return cw_log_get_level(); }, "cw_log_get_level()");
  m.def(
      "log_start",
      [](int level) {
        py::gil_scoped_release nogil;
        const int rc = cw_log_set_handler(static_cast<cw_log_level>(level), &callwire_python::LogQueue::callback,
                                          &callwire_python::LogQueue::instance());
        if (rc != CW_OK) throw Failure(rc, std::string("cw_log_set_handler: ") + cw_status_name(rc));
      },
      py::arg("level"), "Sends the library's records at `level` and above to the queue (cw_log_set_handler).");
  m.def(
      "log_stop",
      [](int level) {
        py::gil_scoped_release nogil;
        const int rc = cw_log_set_handler(static_cast<cw_log_level>(level), nullptr, nullptr);
        if (rc != CW_OK) throw Failure(rc, std::string("cw_log_set_handler: ") + cw_status_name(rc));
      },
      py::arg("level"), "Gives the library back its default output (stderr) at `level`.");
  m.def(
      "log_take",
      [](int timeout_ms) {
        std::pair<std::vector<callwire_python::LogEntry>, std::size_t> got;
        {
          py::gil_scoped_release nogil;
          got = callwire_python::LogQueue::instance().take(std::chrono::milliseconds(timeout_ms < 0 ? 0 : timeout_ms));
        }
        py::list records;
        for (const auto& e : got.first) {
          // Invalid UTF-8 (a driver's text) must not lose the record: replace it.
          auto text = [](const std::string& s) {
            PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
            if (o == nullptr) throw py::error_already_set();
            return py::reinterpret_steal<py::str>(o);
          };
          records.append(py::make_tuple(e.level, e.time_ms, text(e.component), text(e.message), text(e.request_id)));
        }
        return py::make_tuple(records, got.second);
      },
      py::arg("timeout_ms"),
      "Waits up to timeout_ms for records (without the GIL): ([(level, time_ms, component, message, request_id)], dropped).");
  m.def("log_wake", [] { callwire_python::LogQueue::instance().wake(); }, "Makes a log_take in progress return now.");

  py::class_<Storage>(m, "Storage")
      .def(py::init<const std::string&, const std::optional<std::string>&, uint32_t, uint32_t>(), py::arg("url"),
           py::arg("database") = py::none(), py::arg("timeout_ms") = 0, py::arg("max_connections") = 0)
      .def("close", &Storage::close)
      .def_property_readonly("closed", &Storage::closed)
      .def("info", [](const Storage& s) { return s.with_buf(cw_storage_info); })
      .def("contacts_create",
           [](const Storage& s, const std::string& json) {
             const char* j = text(json, "contact").c_str();
             return s.with_buf([&](cw_buf* b, cw_storage* h, cw_error* e) { return cw_contacts_create(b, h, j, e); });
           }, py::arg("contact_json"))
      .def("contacts_get",
           [](const Storage& s, const std::string& id) {
             const char* i = text(id, "id").c_str();
             return s.with_buf([&](cw_buf* b, cw_storage* h, cw_error* e) { return cw_contacts_get(b, h, i, e); });
           }, py::arg("id"))
      .def("contacts_list",
           [](const Storage& s, const std::optional<std::string>& filter) {
             const char* f = opt_text(filter, "filter");
             return s.with_buf([&](cw_buf* b, cw_storage* h, cw_error* e) { return cw_contacts_list(b, h, f, e); });
           }, py::arg("filter_json") = py::none())
      .def("contacts_update",
           [](const Storage& s, const std::string& id, const std::string& patch) {
             const char* i = text(id, "id").c_str();
             const char* p = text(patch, "patch").c_str();
             return s.with_buf([&](cw_buf* b, cw_storage* h, cw_error* e) { return cw_contacts_update(b, h, i, p, e); });
           }, py::arg("id"), py::arg("patch_json"))
      .def("contacts_remove",
           [](const Storage& s, const std::string& id) {
             const char* i = text(id, "id").c_str();
             s.with_void([&](cw_storage* h, cw_error* e) { return cw_contacts_remove(h, i, e); });
           }, py::arg("id"))
      .def("contacts_toggle_favorite",
           [](const Storage& s, const std::string& id) {
             const char* i = text(id, "id").c_str();
             return s.with_buf(
                 [&](cw_buf* b, cw_storage* h, cw_error* e) { return cw_contacts_toggle_favorite(b, h, i, e); });
           }, py::arg("id"))
      .def("logs_get",
           [](const Storage& s, const std::string& id) {
             const char* i = text(id, "call_id").c_str();
             return s.with_buf([&](cw_buf* b, cw_storage* h, cw_error* e) { return cw_logs_get(b, h, i, e); });
           }, py::arg("call_id"))
      .def("logs_list",
           [](const Storage& s, const std::optional<std::string>& filter) {
             const char* f = opt_text(filter, "filter");
             return s.with_buf([&](cw_buf* b, cw_storage* h, cw_error* e) { return cw_logs_list(b, h, f, e); });
           }, py::arg("filter_json") = py::none())
      .def("logs_stats",
           [](const Storage& s, const std::optional<std::string>& filter) {
             const char* f = opt_text(filter, "filter");
             return s.with_buf([&](cw_buf* b, cw_storage* h, cw_error* e) { return cw_logs_stats(b, h, f, e); });
           }, py::arg("filter_json") = py::none())
      .def("logs_export_csv",
           [](const Storage& s, const std::optional<std::string>& filter) {
             const char* f = opt_text(filter, "filter");
             return s.with_buf([&](cw_buf* b, cw_storage* h, cw_error* e) { return cw_logs_export_csv(b, h, f, e); });
           }, py::arg("filter_json") = py::none())
      .def("recordings_list",
           [](const Storage& s, const std::optional<std::string>& filter) {
             const char* f = opt_text(filter, "filter");
             return s.with_buf([&](cw_buf* b, cw_storage* h, cw_error* e) { return cw_recordings_list(b, h, f, e); });
           }, py::arg("filter_json") = py::none())
      .def("recordings_list_for_call",
           [](const Storage& s, const std::string& id) {
             const char* i = text(id, "call_id").c_str();
             return s.with_buf(
                 [&](cw_buf* b, cw_storage* h, cw_error* e) { return cw_recordings_list_for_call(b, h, i, e); });
           }, py::arg("call_id"))
      .def("recordings_remove",
           [](const Storage& s, const std::string& id) {
             const char* i = text(id, "recording_id").c_str();
             s.with_void([&](cw_storage* h, cw_error* e) { return cw_recordings_remove(h, i, e); });
           }, py::arg("recording_id"))
      .def("numbers_list", [](const Storage& s) { return s.with_buf(cw_numbers_list); })
      .def("numbers_create",
           [](const Storage& s, const std::string& json) {
             const char* j = text(json, "number").c_str();
             return s.with_buf([&](cw_buf* b, cw_storage* h, cw_error* e) { return cw_numbers_create(b, h, j, e); });
           }, py::arg("number_json"))
      .def("numbers_remove",
           [](const Storage& s, const std::string& id) {
             const char* i = text(id, "id").c_str();
             s.with_void([&](cw_storage* h, cw_error* e) { return cw_numbers_remove(h, i, e); });
           }, py::arg("id"))
      .def("numbers_set_default",
           [](const Storage& s, const std::string& id) {
             const char* i = text(id, "id").c_str();
             return s.with_buf([&](cw_buf* b, cw_storage* h, cw_error* e) { return cw_numbers_set_default(b, h, i, e); });
           }, py::arg("id"))
      .def("settings_get",
           [](const Storage& s, bool masked) {
             return s.with_buf(
                 [&](cw_buf* b, cw_storage* h, cw_error* e) { return cw_settings_get(b, h, masked ? 1 : 0, e); });
           }, py::arg("masked") = true)
      .def("settings_save",
           [](const Storage& s, const std::string& json) {
             const char* j = text(json, "settings").c_str();
             return s.with_buf([&](cw_buf* b, cw_storage* h, cw_error* e) { return cw_settings_save(b, h, j, e); });
           }, py::arg("settings_json"))
      // Users. Passwords go straight to the C call; nothing here keeps or repeats them.
      .def("users_create",
           [](const Storage& s, const std::string& json) {
             const char* j = text(json, "user").c_str();
             return s.with_buf([&](cw_buf* b, cw_storage* h, cw_error* e) { return cw_users_create(b, h, j, e); });
           }, py::arg("user_json"))
      .def("users_get",
           [](const Storage& s, const std::string& id) {
             const char* i = text(id, "id").c_str();
             return s.with_buf([&](cw_buf* b, cw_storage* h, cw_error* e) { return cw_users_get(b, h, i, e); });
           }, py::arg("id"))
      .def("users_find_by_email",
           [](const Storage& s, const std::string& email) {
             const char* em = text(email, "email").c_str();
             return s.with_buf([&](cw_buf* b, cw_storage* h, cw_error* e) { return cw_users_find_by_email(b, h, em, e); });
           }, py::arg("email"))
      .def("users_list", [](const Storage& s) { return s.with_buf(cw_users_list); })
      .def("users_update",
           [](const Storage& s, const std::string& id, const std::string& patch) {
             const char* i = text(id, "id").c_str();
             const char* p = text(patch, "patch").c_str();
             return s.with_buf([&](cw_buf* b, cw_storage* h, cw_error* e) { return cw_users_update(b, h, i, p, e); });
           }, py::arg("id"), py::arg("patch_json"))
      .def("users_remove",
           [](const Storage& s, const std::string& id) {
             const char* i = text(id, "id").c_str();
             s.with_void([&](cw_storage* h, cw_error* e) { return cw_users_remove(h, i, e); });
           }, py::arg("id"))
      .def("users_set_status",
           [](const Storage& s, const std::string& id, const std::string& status) {
             const char* i = text(id, "id").c_str();
             const char* st = text(status, "status").c_str();
             return s.with_buf(
                 [&](cw_buf* b, cw_storage* h, cw_error* e) { return cw_users_set_status(b, h, i, st, e); });
           }, py::arg("id"), py::arg("status"))
      .def("users_set_password",
           [](const Storage& s, const std::string& id, const std::string& new_password) {
             const char* i = text(id, "id").c_str();
             const char* pw = text(new_password, "new_password").c_str();
             return s.with_buf(
                 [&](cw_buf* b, cw_storage* h, cw_error* e) { return cw_users_set_password(b, h, i, pw, e); });
           }, py::arg("id"), py::arg("new_password"))
      .def("users_check_password",
           [](const Storage& s, const std::string& id, const std::string& password) {
             const char* i = text(id, "id").c_str();
             const char* pw = text(password, "password").c_str();
             int match = 0;
             s.with_void([&](cw_storage* h, cw_error* e) { return cw_users_check_password(&match, h, i, pw, e); });
             return match != 0;
           }, py::arg("id"), py::arg("password"))
      .def("users_authenticate",
           [](const Storage& s, const std::string& email, const std::string& password) {
             const char* em = text(email, "email").c_str();
             const char* pw = text(password, "password").c_str();
             return s.with_buf(
                 [&](cw_buf* b, cw_storage* h, cw_error* e) { return cw_users_authenticate(b, h, em, pw, e); });
           }, py::arg("email"), py::arg("password"))
      .def("users_revoke_tokens",
           [](const Storage& s, const std::string& id) {
             const char* i = text(id, "id").c_str();
             return s.with_buf([&](cw_buf* b, cw_storage* h, cw_error* e) { return cw_users_revoke_tokens(b, h, i, e); });
           }, py::arg("id"));

  py::class_<Client>(m, "Client")
      .def(py::init([](const Storage& storage, const std::optional<std::string>& api_key,
                       const std::optional<std::string>& api_base, const std::optional<std::string>& connection_id,
                       const std::optional<std::string>& webhook_url, const std::optional<std::string>& public_key,
                       const std::optional<std::string>& ca_file, bool force_demo, bool insecure_webhooks,
                       double demo_speed, const std::optional<std::string>& recordings_dir, bool auto_record,
                       uint32_t hangup_wait_ms, uint32_t io_threads, uint32_t worker_threads) {
             ClientOptions o;
             o.api_key = api_key;
             o.api_base = api_base;
             o.connection_id = connection_id;
             o.webhook_url = webhook_url;
             o.public_key = public_key;
             o.ca_file = ca_file;
             o.force_demo = force_demo;
             o.insecure_webhooks = insecure_webhooks;
             o.demo_speed = demo_speed;
             o.recordings_dir = recordings_dir;
             o.auto_record = auto_record;
             o.hangup_wait_ms = hangup_wait_ms;
             o.io_threads = io_threads;
             o.worker_threads = worker_threads;
             return new Client(storage, o);
           }),
           py::arg("storage"), py::kw_only(), py::arg("api_key") = py::none(), py::arg("api_base") = py::none(),
           py::arg("connection_id") = py::none(), py::arg("webhook_url") = py::none(),
           py::arg("public_key") = py::none(), py::arg("ca_file") = py::none(), py::arg("force_demo") = false,
           py::arg("insecure_webhooks") = false, py::arg("demo_speed") = 0.0, py::arg("recordings_dir") = py::none(),
           py::arg("auto_record") = false, py::arg("hangup_wait_ms") = 0, py::arg("io_threads") = 0,
           py::arg("worker_threads") = 0)
      .def("close", &Client::close)
      .def("is_demo", &Client::is_demo)
      .def("dial", &Client::dial, py::arg("to"), py::arg("from_number") = py::none(),
           py::arg("options_json") = py::none())
      .def("hangup",
           [](Client& c, const std::string& id) {
             return c.on_call(id, [](cw_buf* b, cw_client* h, const char* i, cw_error* e) {
               return cw_client_hangup(b, h, i, e);
             });
           }, py::arg("call_id"))
      .def("send_dtmf", &Client::send_dtmf, py::arg("call_id"), py::arg("digits"))
      .def("start_recording",
           [](Client& c, const std::string& id) {
             return c.on_call(id, [](cw_buf* b, cw_client* h, const char* i, cw_error* e) {
               return cw_client_start_recording(b, h, i, e);
             });
           }, py::arg("call_id"))
      .def("stop_recording",
           [](Client& c, const std::string& id) {
             return c.on_call(id, [](cw_buf* b, cw_client* h, const char* i, cw_error* e) {
               return cw_client_stop_recording(b, h, i, e);
             });
           }, py::arg("call_id"))
      .def("pause_recording",
           [](Client& c, const std::string& id) {
             return c.on_call(id, [](cw_buf* b, cw_client* h, const char* i, cw_error* e) {
               return cw_client_pause_recording(b, h, i, e);
             });
           }, py::arg("call_id"))
      .def("resume_recording",
           [](Client& c, const std::string& id) {
             return c.on_call(id, [](cw_buf* b, cw_client* h, const char* i, cw_error* e) {
               return cw_client_resume_recording(b, h, i, e);
             });
           }, py::arg("call_id"))
      .def("speak", &Client::speak, py::arg("call_id"), py::arg("text"), py::arg("options_json") = py::none())
      .def("start_playback", &Client::start_playback, py::arg("call_id"), py::arg("audio_url"))
      .def("stop_playback",
           [](Client& c, const std::string& id) {
             return c.on_call(id, [](cw_buf* b, cw_client* h, const char* i, cw_error* e) {
               return cw_client_stop_playback(b, h, i, e);
             });
           }, py::arg("call_id"))
      .def("refresh_recording", &Client::refresh_recording, py::arg("recording_id"))
      .def("remove_recording", &Client::remove_recording, py::arg("recording_id"))
      .def("transfer", &Client::transfer, py::arg("call_id"), py::arg("to"))
      .def("set_muted", &Client::set_muted, py::arg("call_id"), py::arg("muted"))
      .def("set_on_hold", &Client::set_on_hold, py::arg("call_id"), py::arg("on_hold"))
      .def("get_call",
           [](Client& c, const std::string& id) {
             return c.on_call(id, [](cw_buf* b, cw_client* h, const char* i, cw_error* e) {
               return cw_client_get_call(b, h, i, e);
             });
           }, py::arg("call_id"))
      .def("active_calls", [](Client& c) { return c.no_args(cw_client_active_calls); })
      .def("stats", [](Client& c) { return c.no_args(cw_client_stats); })
      .def("settings", [](Client& c) { return c.no_args(cw_client_settings); })
      .def("reload_settings", &Client::reload_settings)
      .def("subscribe", &Client::subscribe, py::arg("callback"))
      .def("unsubscribe", &Client::unsubscribe, py::arg("id"))
      .def("ingest_webhook", &Client::ingest_webhook, py::arg("body"), py::arg("headers"));

  py::class_<Server>(m, "Server")
      .def(py::init([](const Client& client, const std::optional<std::string>& host, uint16_t port, bool rest_api,
                       const std::optional<std::string>& static_dir, const std::optional<std::string>& cors_origins,
                       const std::optional<std::string>& jwt_secret, bool allow_public_without_auth,
                       size_t body_limit, uint32_t threads, uint32_t worker_threads,
                       const std::optional<std::string>& allowed_hosts, const std::optional<std::string>& metrics_token) {
             ServerOptions o;
             o.host = host;
             o.port = port;
             o.rest_api = rest_api;
             o.static_dir = static_dir;
             o.cors_origins = cors_origins;
             o.jwt_secret = jwt_secret;
             o.allow_public_without_auth = allow_public_without_auth;
             o.body_limit = body_limit;
             o.threads = threads;
             o.worker_threads = worker_threads;
             o.allowed_hosts = allowed_hosts;
             o.metrics_token = metrics_token;
             return new Server(client, o);
           }),
           py::arg("client"), py::kw_only(), py::arg("host") = py::none(), py::arg("port") = 0,
           py::arg("rest_api") = true, py::arg("static_dir") = py::none(), py::arg("cors_origins") = py::none(),
           py::arg("jwt_secret") = py::none(), py::arg("allow_public_without_auth") = false,
           py::arg("body_limit") = 0, py::arg("threads") = 0, py::arg("worker_threads") = 0,
           py::arg("allowed_hosts") = py::none(), py::arg("metrics_token") = py::none())
      .def("start", &Server::start)
      .def("port", &Server::port)
      .def("stop", &Server::stop)
      .def("close", &Server::close)
      .def_property_readonly("closed", &Server::closed);
}
