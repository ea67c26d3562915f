// Internals of libcallwire_c shared by its translation units: the handle
// structs, the exception → cw_status mapping every entry point goes through,
// and small helpers for buffers and JSON inputs. Nothing here is exported.
#pragma once

#include "callwire.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "callwire/call_client.hpp"
#include "callwire/error.hpp"
#include "callwire/storage.hpp"
#include "callwire/user_store.hpp"
#include "callwire/webhook_server.hpp"
#include "json/body.hpp"

namespace callwire::capi {

// ---- errors -------------------------------------------------------------------

/// A failure the C layer detects itself, for codes the SDK has no errc for
/// (CW_EVERSION) or when the domain must be forced.
struct CError {
  int code;
  std::string message;
};

/// Which domain an errc::unavailable belongs to when nothing else tells:
/// every entry point knows whether it talks to storage only.
enum class Origin { sdk, storage };

/// Fills `err` (when not NULL) entirely and returns `code`: `message` for
/// anyone, `detail` (callwire::Error::detail(): SQL, paths, driver text) for
/// logs only.
int fail(cw_error* err, int code, cw_error_domain domain, std::string_view message, std::string_view detail = {});

/// Maps the exception in flight (call only from a catch block) to a code and
/// cw_error: callwire::CarrierError → CARRIER with http_status/carrier_code;
/// callwire::Error → -errc with a domain by code; both with what() as the
/// message and detail() as the detail; CError as given;
/// std::bad_alloc → CW_ENOMEM; anything else → CW_EINTERNAL.
int fail_current(cw_error* err, Origin origin) noexcept;

/// Runs `body` and turns every exception into a code: the one shape of every
/// entry point that can fail.
template <class F>
int guarded(cw_error* err, Origin origin, F&& body) noexcept {
  try {
    body();
    return CW_OK;
  } catch (...) {
    return fail_current(err, origin);
  }
}

[[noreturn]] void invalid(std::string message);
/// Throws CW_EINVAL "<name> must not be NULL" when p is NULL.
template <class T>
void require(const T* p, const char* name) {
  if (p == nullptr) invalid(std::string(name) + " must not be NULL");
}
/// Checks an option struct's version: 0 or newer than `known` → CW_EVERSION.
void check_version(unsigned version, unsigned known, const char* what);

// ---- buffers ------------------------------------------------------------------

/// Disposes `out`'s previous contents (so it is empty if the call fails).
void reset_buf(cw_buf* out) noexcept;
/// Copies `data` into `out` (malloc'd, NUL-terminated). Throws std::bad_alloc.
void set_buf(cw_buf* out, std::string_view data);

// ---- JSON inputs --------------------------------------------------------------

/// Parses an optional JSON object parameter (NULL or blank: empty object).
/// Not JSON → CW_EMALFORMED; not an object → CW_EINVAL; both name `param`.
json::Body parse_object(const char* text, const char* param);
/// Checks that `text` is a JSON object (as parse_object) before a codec
/// decode, so malformed text gives CW_EMALFORMED everywhere.
void check_object(const char* text, const char* param);
/// Runs `read` (lookups on a parsed body) and prefixes the message of any
/// invalid_argument it throws with "<param>.": "filter_json.limit: expected an integer".
template <class F>
auto read_fields(const char* param, F&& read) -> decltype(read()) {
  try {
    return read();
  } catch (const Error& e) {
    if (e.code() != errc::invalid_argument) throw;
    throw Error(e.code(), std::string(param) + "." + e.what(), e.detail());
  }
}

/// A JSON string literal with its quotes ("a\"b").
std::string json_string(std::string_view s);

}  // namespace callwire::capi

// ---- handles --------------------------------------------------------------------
// Defined at global scope: callwire.h declares them as `struct cw_storage` etc.

struct cw_storage {
  explicit cw_storage(callwire::Storage s) : storage(std::move(s)), users(storage) {}

  callwire::Storage storage;
  /// One UserStore per handle, so its decoy hash (what an unknown email is
  /// verified against) is made once, not on every cw_users_authenticate.
  /// Default PasswordHashing: the server's, so neither re-hashes the other's.
  callwire::UserStore users;
};

namespace callwire::capi {

/// What a cw_client handle and the servers made from it share. Destroying it
/// closes the client (CallClient's destructor) and joins its threads.
struct ClientCore {
  ClientCore(Storage s, std::shared_ptr<CallClient> c) : client(std::move(c)), storage(std::move(s)) {}

  std::shared_ptr<CallClient> client;
  Storage storage;
  std::atomic<bool> closed{false};
  /// This handle's cw_client_subscribe() ids (CallClient subscription ids),
  /// for CW_ENOTFOUND and for cw_client_free. Waiting for a callback in
  /// flight is CallClient::unsubscribe's guarantee, not kept here.
  std::mutex subs_mu;
  std::set<std::uint64_t> subs;

  /// Throws CW_ECLOSED after cw_client_close().
  void check_open() const;
};

/// True on the thread running an event callback of `core` (its dispatch
/// thread, inside a callback).
bool in_callback_of(const ClientCore* core) noexcept;

/// Drops a reference to a core. When it is the last one and this thread is
/// inside one of the core's callbacks, closing here would make the client wait
/// for its own thread: the last reference is dropped on a new thread instead.
void release_core(std::shared_ptr<ClientCore> core) noexcept;

}  // namespace callwire::capi

struct cw_client {
  std::shared_ptr<callwire::capi::ClientCore> core;
};

struct cw_server {
  std::shared_ptr<callwire::capi::ClientCore> core;  // keeps the client alive while the server exists
  std::unique_ptr<callwire::WebhookServer> server;   // destroyed before `core` is released
};
