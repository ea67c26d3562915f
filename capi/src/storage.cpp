// cw_storage and the record functions on it: contacts, call logs,
// recordings, caller-ID numbers, settings, users. Records go in and out as the JSON
// of the codec (callwire/json.hpp); filters and patches are small ad-hoc
// objects read with json::Body.
#include <limits>
#include <new>

#include "callwire/contact_store.hpp"
#include "callwire/json.hpp"
#include "callwire/log_store.hpp"
#include "callwire/number_store.hpp"
#include "callwire/settings_store.hpp"
#include "callwire/user_store.hpp"
#include "internal.hpp"
#include "server/api/request_fields.hpp"
#include "server/api/settings_api.hpp"

namespace callwire::capi {
namespace {

Storage& storage_of(cw_storage* s) {
  require(s, "storage");
  return s->storage;
}

UserStore& users_of(cw_storage* s) {
  require(s, "storage");
  return s->users;
}

// Every filter and patch is decoded by the rules the REST API uses
// (server/api/request_fields.hpp); errors name the parameter too.
using server::RequestFields;

/// {search, category, favorites_only, limit, offset}; limit defaults to 1000.
ContactFilter contact_filter(const char* text) {
  const auto body = parse_object(text, "filter_json");
  return read_fields("filter_json", [&] { return server::contact_filter(RequestFields::of(body)); });
}

struct LogQuery {
  CallFilter filter;
  Page page;
};

/// {search, status, from, to, limit, offset}; limit defaults to 50.
LogQuery log_query(const char* text) {
  const auto body = parse_object(text, "filter_json");
  return read_fields("filter_json", [&] {
    const auto fields = RequestFields::of(body);
    return LogQuery{server::call_filter(fields), server::page(fields, 50)};
  });
}

ContactPatch contact_patch(const char* text) {
  const auto body = parse_object(text, "patch_json");
  return read_fields("patch_json", [&] { return server::contact_patch(RequestFields::of(body)); });
}

NewUser new_user(const char* text) {
  const auto body = parse_object(text, "user_json");
  return read_fields("user_json", [&] { return server::new_user(RequestFields::of(body)); });
}

UserPatch user_patch(const char* text) {
  const auto body = parse_object(text, "patch_json");
  return read_fields("patch_json", [&] { return server::user_patch(RequestFields::of(body)); });
}

/// The status a user sets themself, by the REST API's rule (available or
/// away). `status` is a plain string parameter: its name is the field's, so
/// the message needs no prefix ("status: you can set available or away …").
UserStatus own_status(const char* status) {
  return server::own_status(RequestFields::of_query([&](std::string_view field) -> std::optional<std::string> {
    if (field == "status") return std::string(status);
    return std::nullopt;
  }));
}

/// A User, or the JSON text null when there is none.
std::string user_or_null(const std::optional<User>& u) { return u ? json::encode(*u) : std::string("null"); }

std::string storage_info_json(const StorageInfo& info) {
  std::string tables = "[";
  for (const auto& t : info.tables) {
    if (tables.size() > 1) tables += ',';
    std::string indexes = "[";
    for (const auto& i : t.indexes) {
      if (indexes.size() > 1) indexes += ',';
      indexes += json_string(i);
    }
    indexes += ']';
    tables += json::ObjectWriter().add("name", t.name).add_raw("indexes", indexes).finish();
  }
  tables += ']';
  return json::ObjectWriter()
      .add("backend", info.backend)
      .add("location", info.location)
      .add("schema_version", static_cast<std::int64_t>(info.schema_version))
      .add_raw("tables", tables)
      .finish();
}

/// The shape of every record function: out checked and emptied, the storage
/// checked, then `body` answers the text to put into out.
template <class F>
int with_storage_out(cw_buf* out, cw_storage* s, cw_error* err, F&& body) noexcept {
  return guarded(err, Origin::storage, [&] {
    require(out, "out");
    reset_buf(out);
    Storage& storage = storage_of(s);
    set_buf(out, body(storage));
  });
}

/// The same for the users functions, on the handle's UserStore.
template <class F>
int with_users_out(cw_buf* out, cw_storage* s, cw_error* err, F&& body) noexcept {
  return guarded(err, Origin::storage, [&] {
    require(out, "out");
    reset_buf(out);
    UserStore& users = users_of(s);
    set_buf(out, body(users));
  });
}

}  // namespace
}  // namespace callwire::capi

using namespace callwire;
using namespace callwire::capi;

extern "C" {

CW_API int cw_storage_options_init(cw_storage_options* opts, unsigned version) {
  return guarded(nullptr, Origin::sdk, [&] {
    require(opts, "opts");
    check_version(version, CW_STORAGE_OPTIONS_VERSION, "cw_storage_options");
    *opts = cw_storage_options CW_STORAGE_OPTIONS_INIT;
    opts->version = version;
  });
}

CW_API int cw_storage_open(cw_storage** out, const char* url, const cw_storage_options* opts, cw_error* err) {
  return guarded(err, Origin::storage, [&] {
    require(out, "out");
    *out = nullptr;
    require(url, "url");
    StorageOptions so;
    if (opts != nullptr) {
      check_version(opts->version, CW_STORAGE_OPTIONS_VERSION, "cw_storage_options");
      if (opts->database != nullptr) so.database = opts->database;
      if (opts->timeout_ms != 0) so.timeout = std::chrono::milliseconds(opts->timeout_ms);
      if (opts->max_connections != 0) so.max_connections = opts->max_connections;
    }
    auto handle = std::make_unique<cw_storage>(Storage::open(url, std::move(so)));
    *out = handle.release();
  });
}

CW_API void cw_storage_free(cw_storage* storage) { delete storage; }

CW_API int cw_storage_info(cw_buf* out, cw_storage* storage, cw_error* err) {
  return with_storage_out(out, storage, err, [](Storage& s) { return storage_info_json(s.info()); });
}

// ---- contacts ----------------------------------------------------------------

CW_API int cw_contacts_create(cw_buf* out, cw_storage* storage, const char* contact_json, cw_error* err) {
  return with_storage_out(out, storage, err, [&](Storage& s) {
    require(contact_json, "contact_json");
    const auto body = parse_object(contact_json, "contact_json");
    Contact c = read_fields("contact_json", [&] { return server::new_contact(RequestFields::of(body)); });
    return json::encode(ContactStore(s).create(std::move(c)));
  });
}

CW_API int cw_contacts_get(cw_buf* out, cw_storage* storage, const char* id, cw_error* err) {
  return with_storage_out(out, storage, err, [&](Storage& s) {
    require(id, "id");
    return json::encode(ContactStore(s).get(id));
  });
}

CW_API int cw_contacts_list(cw_buf* out, cw_storage* storage, const char* filter_json, cw_error* err) {
  return with_storage_out(out, storage, err, [&](Storage& s) {
    return json::encode(ContactStore(s).list(contact_filter(filter_json)));
  });
}

CW_API int cw_contacts_update(cw_buf* out, cw_storage* storage, const char* id, const char* patch_json, cw_error* err) {
  return with_storage_out(out, storage, err, [&](Storage& s) {
    require(id, "id");
    require(patch_json, "patch_json");
    return json::encode(ContactStore(s).patch(id, contact_patch(patch_json)));
  });
}

CW_API int cw_contacts_remove(cw_storage* storage, const char* id, cw_error* err) {
  return guarded(err, Origin::storage, [&] {
    Storage& s = storage_of(storage);
    require(id, "id");
    ContactStore(s).remove(id);
  });
}

CW_API int cw_contacts_toggle_favorite(cw_buf* out, cw_storage* storage, const char* id, cw_error* err) {
  return with_storage_out(out, storage, err, [&](Storage& s) {
    require(id, "id");
    return json::encode(ContactStore(s).toggle_favorite(id));
  });
}

// ---- call logs -----------------------------------------------------------------

CW_API int cw_logs_get(cw_buf* out, cw_storage* storage, const char* call_id, cw_error* err) {
  return with_storage_out(out, storage, err, [&](Storage& s) {
    require(call_id, "call_id");
    return json::encode(LogStore(s).get(call_id));
  });
}

CW_API int cw_logs_list(cw_buf* out, cw_storage* storage, const char* filter_json, cw_error* err) {
  return with_storage_out(out, storage, err, [&](Storage& s) {
    const LogQuery q = log_query(filter_json);
    return json::encode(LogStore(s).list(q.filter, q.page));
  });
}

CW_API int cw_logs_stats(cw_buf* out, cw_storage* storage, const char* filter_json, cw_error* err) {
  return with_storage_out(out, storage, err, [&](Storage& s) {
    return json::encode(LogStore(s).stats(log_query(filter_json).filter));
  });
}

CW_API int cw_logs_export_csv(cw_buf* out, cw_storage* storage, const char* filter_json, cw_error* err) {
  return with_storage_out(out, storage, err, [&](Storage& s) {
    std::string csv;
    LogStore(s).export_csv(log_query(filter_json).filter, [&](std::string_view line) { csv += line; });
    return csv;
  });
}

// ---- recordings --------------------------------------------------------------------

CW_API int cw_recordings_list(cw_buf* out, cw_storage* storage, const char* filter_json, cw_error* err) {
  return with_storage_out(out, storage, err, [&](Storage& s) {
    const auto body = parse_object(filter_json, "filter_json");
    const Page page = read_fields("filter_json", [&] { return server::page(RequestFields::of(body), 50); });
    return json::encode(LogStore(s).list_recordings(page));
  });
}

CW_API int cw_recordings_list_for_call(cw_buf* out, cw_storage* storage, const char* call_id, cw_error* err) {
  return with_storage_out(out, storage, err, [&](Storage& s) {
    require(call_id, "call_id");
    LogStore logs(s);
    if (!logs.find(call_id)) throw Error(errc::not_found, std::string("call not found: ") + call_id);
    return json::encode(logs.list_recordings_for_call(call_id));
  });
}

CW_API int cw_recordings_remove(cw_storage* storage, const char* recording_id, cw_error* err) {
  return guarded(err, Origin::storage, [&] {
    Storage& s = storage_of(storage);
    require(recording_id, "recording_id");
    LogStore(s).remove_recording(recording_id);
  });
}

// ---- caller-ID numbers -------------------------------------------------------------------

CW_API int cw_numbers_list(cw_buf* out, cw_storage* storage, cw_error* err) {
  return with_storage_out(out, storage, err, [](Storage& s) { return json::encode(NumberStore(s).list()); });
}

CW_API int cw_numbers_create(cw_buf* out, cw_storage* storage, const char* number_json, cw_error* err) {
  return with_storage_out(out, storage, err, [&](Storage& s) {
    require(number_json, "number_json");
    check_object(number_json, "number_json");
    PhoneNumber n = json::decode_phone_number(number_json);
    if (n.number.empty()) invalid("number_json.number: field required");
    return json::encode(NumberStore(s).create(std::move(n)));
  });
}

CW_API int cw_numbers_remove(cw_storage* storage, const char* id, cw_error* err) {
  return guarded(err, Origin::storage, [&] {
    Storage& s = storage_of(storage);
    require(id, "id");
    NumberStore(s).remove(id);
  });
}

CW_API int cw_numbers_set_default(cw_buf* out, cw_storage* storage, const char* id, cw_error* err) {
  return with_storage_out(out, storage, err, [&](Storage& s) {
    require(id, "id");
    return json::encode(NumberStore(s).set_default(id));
  });
}

// ---- settings ----------------------------------------------------------------------------

CW_API int cw_settings_get(cw_buf* out, cw_storage* storage, int masked, cw_error* err) {
  return with_storage_out(out, storage, err, [&](Storage& s) {
    SettingsStore store(s);
    return json::encode(masked != 0 ? store.get_masked() : store.get());
  });
}

CW_API int cw_settings_save(cw_buf* out, cw_storage* storage, const char* settings_json, cw_error* err) {
  return with_storage_out(out, storage, err, [&](Storage& s) {
    require(settings_json, "settings_json");
    const auto body = parse_object(settings_json, "settings_json");
    const Settings saved = read_fields("settings_json", [&] {
      return server::save_settings(s, body, {SettingsStore(s).get(), "the C ABI host"});
    });
    return json::encode(masked(saved));
  });
}

// ---- users ---------------------------------------------------------------------------------
// Decoded by the REST API's rules (new_user, user_patch, own_status); the
// password is passed on to UserStore and never put into a message.

CW_API int cw_users_create(cw_buf* out, cw_storage* storage, const char* user_json, cw_error* err) {
  return with_users_out(out, storage, err, [&](UserStore& users) {
    require(user_json, "user_json");
    return json::encode(users.create(new_user(user_json)));
  });
}

CW_API int cw_users_get(cw_buf* out, cw_storage* storage, const char* id, cw_error* err) {
  return with_users_out(out, storage, err, [&](UserStore& users) {
    require(id, "id");
    return json::encode(users.get(id));
  });
}

CW_API int cw_users_find_by_email(cw_buf* out, cw_storage* storage, const char* email, cw_error* err) {
  return with_users_out(out, storage, err, [&](UserStore& users) {
    require(email, "email");
    return user_or_null(users.find_by_email(email));
  });
}

CW_API int cw_users_list(cw_buf* out, cw_storage* storage, cw_error* err) {
  return with_users_out(out, storage, err, [](UserStore& users) { return json::encode(users.list()); });
}

CW_API int cw_users_update(cw_buf* out, cw_storage* storage, const char* id, const char* patch_json, cw_error* err) {
  return with_users_out(out, storage, err, [&](UserStore& users) {
    require(id, "id");
    require(patch_json, "patch_json");
    return json::encode(users.update(id, user_patch(patch_json)));
  });
}

CW_API int cw_users_remove(cw_storage* storage, const char* id, cw_error* err) {
  return guarded(err, Origin::storage, [&] {
    UserStore& users = users_of(storage);
    require(id, "id");
    users.remove(id);
  });
}

CW_API int cw_users_set_status(cw_buf* out, cw_storage* storage, const char* id, const char* status, cw_error* err) {
  return with_users_out(out, storage, err, [&](UserStore& users) {
    require(id, "id");
    require(status, "status");
    return json::encode(users.set_status(id, own_status(status)));
  });
}

CW_API int cw_users_set_password(cw_buf* out, cw_storage* storage, const char* id, const char* new_password,
                                 cw_error* err) {
  return with_users_out(out, storage, err, [&](UserStore& users) {
    require(id, "id");
    require(new_password, "new_password");
    return json::encode(users.set_password(id, new_password));
  });
}

CW_API int cw_users_check_password(int* out, cw_storage* storage, const char* id, const char* password,
                                   cw_error* err) {
  return guarded(err, Origin::storage, [&] {
    require(out, "out");
    *out = 0;
    UserStore& users = users_of(storage);
    require(id, "id");
    require(password, "password");
    *out = users.check_password(id, password) ? 1 : 0;
  });
}

CW_API int cw_users_authenticate(cw_buf* out, cw_storage* storage, const char* email, const char* password,
                                 cw_error* err) {
  return with_users_out(out, storage, err, [&](UserStore& users) {
    require(email, "email");
    require(password, "password");
    return user_or_null(users.authenticate(email, password));
  });
}

CW_API int cw_users_revoke_tokens(cw_buf* out, cw_storage* storage, const char* id, cw_error* err) {
  return with_users_out(out, storage, err, [&](UserStore& users) {
    require(id, "id");
    return json::encode(users.revoke_tokens(id));
  });
}

}  // extern "C"
