// callwire Node addon — NativeStorage: cw_storage and its stores (users included).
#include "wrappers.h"

#include <utility>

namespace cwnode {

Napi::Function NativeStorage::Define(Napi::Env env) {
  return DefineClass(env, "NativeStorage",
                     {
                         InstanceMethod<&NativeStorage::Open>("open"),
                         InstanceMethod<&NativeStorage::Close>("close"),
                         InstanceMethod<&NativeStorage::Info>("info"),
                         InstanceMethod<&NativeStorage::ContactsCreate>("contactsCreate"),
                         InstanceMethod<&NativeStorage::ContactsGet>("contactsGet"),
                         InstanceMethod<&NativeStorage::ContactsList>("contactsList"),
                         InstanceMethod<&NativeStorage::ContactsUpdate>("contactsUpdate"),
                         InstanceMethod<&NativeStorage::ContactsRemove>("contactsRemove"),
                         InstanceMethod<&NativeStorage::ContactsToggleFavorite>("contactsToggleFavorite"),
                         InstanceMethod<&NativeStorage::LogsGet>("logsGet"),
                         InstanceMethod<&NativeStorage::LogsList>("logsList"),
                         InstanceMethod<&NativeStorage::LogsStats>("logsStats"),
                         InstanceMethod<&NativeStorage::LogsExportCsv>("logsExportCsv"),
                         InstanceMethod<&NativeStorage::RecordingsList>("recordingsList"),
                         InstanceMethod<&NativeStorage::RecordingsListForCall>("recordingsListForCall"),
                         InstanceMethod<&NativeStorage::RecordingsRemove>("recordingsRemove"),
                         InstanceMethod<&NativeStorage::NumbersList>("numbersList"),
                         InstanceMethod<&NativeStorage::NumbersCreate>("numbersCreate"),
                         InstanceMethod<&NativeStorage::NumbersRemove>("numbersRemove"),
                         InstanceMethod<&NativeStorage::NumbersSetDefault>("numbersSetDefault"),
                         InstanceMethod<&NativeStorage::SettingsGet>("settingsGet"),
                         InstanceMethod<&NativeStorage::SettingsSave>("settingsSave"),
                         InstanceMethod<&NativeStorage::UsersCreate>("usersCreate"),
                         InstanceMethod<&NativeStorage::UsersGet>("usersGet"),
                         InstanceMethod<&NativeStorage::UsersFindByEmail>("usersFindByEmail"),
                         InstanceMethod<&NativeStorage::UsersList>("usersList"),
                         InstanceMethod<&NativeStorage::UsersUpdate>("usersUpdate"),
                         InstanceMethod<&NativeStorage::UsersRemove>("usersRemove"),
                         InstanceMethod<&NativeStorage::UsersSetStatus>("usersSetStatus"),
                         InstanceMethod<&NativeStorage::UsersSetPassword>("usersSetPassword"),
                         InstanceMethod<&NativeStorage::UsersCheckPassword>("usersCheckPassword"),
                         InstanceMethod<&NativeStorage::UsersAuthenticate>("usersAuthenticate"),
                         InstanceMethod<&NativeStorage::UsersRevokeTokens>("usersRevokeTokens"),
                     });
}

NativeStorage::NativeStorage(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeStorage>(info) {
  info.This().As<Napi::Object>().TypeTag(&kStorageTag);
  // At teardown: let go of the handle (freed here unless a call still runs).
  cleanup_.Add(info.Env(), [this] {
    closed_ = true;
    handle_.reset();
  });
}

NativeStorage::~NativeStorage() = default;

NativeStorage* NativeStorage::From(Napi::Env env, const Napi::Value& v) {
  if (!v.IsObject() || !v.As<Napi::Object>().CheckTypeTag(&kStorageTag)) {
    throw MakeError(env, CW_EINVAL, "expected a callwire Storage");
  }
  return Unwrap(v.As<Napi::Object>());
}

std::shared_ptr<StorageHandle> NativeStorage::Require(Napi::Env env) const {
  if (!handle_) throw MakeError(env, CW_ECLOSED, closed_ ? "the storage is closed" : "the storage is not open");
  return handle_;
}

Napi::Value NativeStorage::Run(const Napi::CallbackInfo& info,
                               std::function<int(cw_storage*, cw_buf*, cw_error*)> call) {
  std::shared_ptr<StorageHandle> h = Require(info.Env());
  return Task::Start(info.Env(), Napi::Object(),
                     [h, call = std::move(call)](cw_buf* out, cw_error* err) { return call(h->get(), out, err); });
}

// open(url, {database, timeoutMs, maxConnections}) → Promise<undefined>
Napi::Value NativeStorage::Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (handle_ || open_called_ || closed_) throw MakeError(env, CW_ECONFLICT, "open() may be called once");
  std::string url = ArgString(info, 0, "url");
  Napi::Object o = ArgOptions(info, 1);
  std::optional<std::string> database = OptString(o, "database");
  const uint32_t timeout_ms = OptUint32(o, "timeoutMs", 0);
  const uint32_t max_connections = OptUint32(o, "maxConnections", 0);

  auto slot = std::make_shared<std::shared_ptr<StorageHandle>>();
  open_called_ = true;
  return Task::Start(
      env, info.This().As<Napi::Object>(),
      [=](cw_buf*, cw_error* err) {
        cw_storage_options opts = CW_STORAGE_OPTIONS_INIT;
        opts.database = CStr(database);
        opts.timeout_ms = timeout_ms;
        opts.max_connections = max_connections;
        cw_storage* storage = nullptr;
        const int rc = cw_storage_open(&storage, url.c_str(), &opts, err);
        if (rc == CW_OK) *slot = std::make_shared<StorageHandle>(storage);
        return rc;
      },
      [this, slot](Napi::Env e, const std::string*) -> Napi::Value {
        if (!closed_) handle_ = std::move(*slot);
        return e.Undefined();
      });
}

// close() → Promise<undefined>; the handle is freed off the JS thread once no call uses it.
Napi::Value NativeStorage::Close(const Napi::CallbackInfo& info) {
  closed_ = true;
  cleanup_.Remove();
  std::shared_ptr<StorageHandle> h = std::move(handle_);
  return Task::Start(info.Env(), Napi::Object(), [h](cw_buf*, cw_error*) { return CW_OK; });
}

Napi::Value NativeStorage::Info(const Napi::CallbackInfo& info) {
  return Run(info, [](cw_storage* s, cw_buf* out, cw_error* err) { return cw_storage_info(out, s, err); });
}

// ---- contacts ----------------------------------------------------------------------

Napi::Value NativeStorage::ContactsCreate(const Napi::CallbackInfo& info) {
  std::string json = ArgString(info, 0, "contact");
  return Run(info, [json](cw_storage* s, cw_buf* out, cw_error* err) {
    return cw_contacts_create(out, s, json.c_str(), err);
  });
}

Napi::Value NativeStorage::ContactsGet(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "id");
  return Run(info, [id](cw_storage* s, cw_buf* out, cw_error* err) { return cw_contacts_get(out, s, id.c_str(), err); });
}

Napi::Value NativeStorage::ContactsList(const Napi::CallbackInfo& info) {
  std::optional<std::string> filter = ArgOptString(info, 0, "filter");
  return Run(info, [filter](cw_storage* s, cw_buf* out, cw_error* err) {
    return cw_contacts_list(out, s, CStr(filter), err);
  });
}

Napi::Value NativeStorage::ContactsUpdate(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "id");
  std::string patch = ArgString(info, 1, "patch");
  return Run(info, [id, patch](cw_storage* s, cw_buf* out, cw_error* err) {
    return cw_contacts_update(out, s, id.c_str(), patch.c_str(), err);
  });
}

Napi::Value NativeStorage::ContactsRemove(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "id");
  return Run(info, [id](cw_storage* s, cw_buf*, cw_error* err) { return cw_contacts_remove(s, id.c_str(), err); });
}

Napi::Value NativeStorage::ContactsToggleFavorite(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "id");
  return Run(info, [id](cw_storage* s, cw_buf* out, cw_error* err) {
    return cw_contacts_toggle_favorite(out, s, id.c_str(), err);
  });
}

// ---- call logs ---------------------------------------------------------------------

Napi::Value NativeStorage::LogsGet(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "callId");
  return Run(info, [id](cw_storage* s, cw_buf* out, cw_error* err) { return cw_logs_get(out, s, id.c_str(), err); });
}

Napi::Value NativeStorage::LogsList(const Napi::CallbackInfo& info) {
  std::optional<std::string> filter = ArgOptString(info, 0, "filter");
  return Run(info, [filter](cw_storage* s, cw_buf* out, cw_error* err) {
    return cw_logs_list(out, s, CStr(filter), err);
  });
}

Napi::Value NativeStorage::LogsStats(const Napi::CallbackInfo& info) {
  std::optional<std::string> filter = ArgOptString(info, 0, "filter");
  return Run(info, [filter](cw_storage* s, cw_buf* out, cw_error* err) {
    return cw_logs_stats(out, s, CStr(filter), err);
  });
}

Napi::Value NativeStorage::LogsExportCsv(const Napi::CallbackInfo& info) {
  std::optional<std::string> filter = ArgOptString(info, 0, "filter");
  return Run(info, [filter](cw_storage* s, cw_buf* out, cw_error* err) {
    return cw_logs_export_csv(out, s, CStr(filter), err);
  });
}

// ---- recordings --------------------------------------------------------------------

Napi::Value NativeStorage::RecordingsList(const Napi::CallbackInfo& info) {
  std::optional<std::string> filter = ArgOptString(info, 0, "filter");
  return Run(info, [filter](cw_storage* s, cw_buf* out, cw_error* err) {
    return cw_recordings_list(out, s, CStr(filter), err);
  });
}

Napi::Value NativeStorage::RecordingsListForCall(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "callId");
  return Run(info, [id](cw_storage* s, cw_buf* out, cw_error* err) {
    return cw_recordings_list_for_call(out, s, id.c_str(), err);
  });
}

Napi::Value NativeStorage::RecordingsRemove(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "recordingId");
  return Run(info, [id](cw_storage* s, cw_buf*, cw_error* err) { return cw_recordings_remove(s, id.c_str(), err); });
}

// ---- caller-ID numbers -------------------------------------------------------------

Napi::Value NativeStorage::NumbersList(const Napi::CallbackInfo& info) {
  return Run(info, [](cw_storage* s, cw_buf* out, cw_error* err) { return cw_numbers_list(out, s, err); });
}

Napi::Value NativeStorage::NumbersCreate(const Napi::CallbackInfo& info) {
  std::string json = ArgString(info, 0, "number");
  return Run(info, [json](cw_storage* s, cw_buf* out, cw_error* err) {
    return cw_numbers_create(out, s, json.c_str(), err);
  });
}

Napi::Value NativeStorage::NumbersRemove(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "id");
  return Run(info, [id](cw_storage* s, cw_buf*, cw_error* err) { return cw_numbers_remove(s, id.c_str(), err); });
}

Napi::Value NativeStorage::NumbersSetDefault(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "id");
  return Run(info, [id](cw_storage* s, cw_buf* out, cw_error* err) {
    return cw_numbers_set_default(out, s, id.c_str(), err);
  });
}

// ---- settings ----------------------------------------------------------------------

Napi::Value NativeStorage::SettingsGet(const Napi::CallbackInfo& info) {
  if (!info[0].IsBoolean()) throw MakeError(info.Env(), CW_EINVAL, "masked must be a boolean");
  const int masked = info[0].As<Napi::Boolean>().Value() ? 1 : 0;
  return Run(info, [masked](cw_storage* s, cw_buf* out, cw_error* err) {
    return cw_settings_get(out, s, masked, err);
  });
}

Napi::Value NativeStorage::SettingsSave(const Napi::CallbackInfo& info) {
  std::string json = ArgString(info, 0, "settings");
  return Run(info, [json](cw_storage* s, cw_buf* out, cw_error* err) {
    return cw_settings_save(out, s, json.c_str(), err);
  });
}

// ---- users ------------------------------------------------------------------------
// Passwords go straight to the C call; nothing here keeps or repeats them.

Napi::Value NativeStorage::UsersCreate(const Napi::CallbackInfo& info) {
  std::string json = ArgString(info, 0, "user");
  return Run(info, [json](cw_storage* s, cw_buf* out, cw_error* err) {
    return cw_users_create(out, s, json.c_str(), err);
  });
}

Napi::Value NativeStorage::UsersGet(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "id");
  return Run(info, [id](cw_storage* s, cw_buf* out, cw_error* err) { return cw_users_get(out, s, id.c_str(), err); });
}

// Resolves with the User's JSON, or "null" when no account has the email.
Napi::Value NativeStorage::UsersFindByEmail(const Napi::CallbackInfo& info) {
  std::string email = ArgString(info, 0, "email");
  return Run(info, [email](cw_storage* s, cw_buf* out, cw_error* err) {
    return cw_users_find_by_email(out, s, email.c_str(), err);
  });
}

Napi::Value NativeStorage::UsersList(const Napi::CallbackInfo& info) {
  return Run(info, [](cw_storage* s, cw_buf* out, cw_error* err) { return cw_users_list(out, s, err); });
}

Napi::Value NativeStorage::UsersUpdate(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "id");
  std::string patch = ArgString(info, 1, "patch");
  return Run(info, [id, patch](cw_storage* s, cw_buf* out, cw_error* err) {
    return cw_users_update(out, s, id.c_str(), patch.c_str(), err);
  });
}

Napi::Value NativeStorage::UsersRemove(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "id");
  return Run(info, [id](cw_storage* s, cw_buf*, cw_error* err) { return cw_users_remove(s, id.c_str(), err); });
}

Napi::Value NativeStorage::UsersSetStatus(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "id");
  std::string status = ArgString(info, 1, "status");
  return Run(info, [id, status](cw_storage* s, cw_buf* out, cw_error* err) {
    return cw_users_set_status(out, s, id.c_str(), status.c_str(), err);
  });
}

Napi::Value NativeStorage::UsersSetPassword(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "id");
  std::string password = ArgString(info, 1, "newPassword");
  return Run(info, [id, password](cw_storage* s, cw_buf* out, cw_error* err) {
    return cw_users_set_password(out, s, id.c_str(), password.c_str(), err);
  });
}

// Resolves with a boolean (cw_users_check_password's *out).
Napi::Value NativeStorage::UsersCheckPassword(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string id = ArgString(info, 0, "id");
  std::string password = ArgString(info, 1, "password");
  std::shared_ptr<StorageHandle> h = Require(env);
  auto match = std::make_shared<int>(0);
  return Task::Start(
      env, Napi::Object(),
      [h, id, password, match](cw_buf*, cw_error* err) {
        return cw_users_check_password(match.get(), h->get(), id.c_str(), password.c_str(), err);
      },
      [match](Napi::Env e, const std::string*) -> Napi::Value { return Napi::Boolean::New(e, *match != 0); });
}

// Resolves with the User's JSON, or "null" alike for an unknown email, a wrong password and a disabled account.
Napi::Value NativeStorage::UsersAuthenticate(const Napi::CallbackInfo& info) {
  std::string email = ArgString(info, 0, "email");
  std::string password = ArgString(info, 1, "password");
  return Run(info, [email, password](cw_storage* s, cw_buf* out, cw_error* err) {
    return cw_users_authenticate(out, s, email.c_str(), password.c_str(), err);
  });
}

Napi::Value NativeStorage::UsersRevokeTokens(const Napi::CallbackInfo& info) {
  std::string id = ArgString(info, 0, "id");
  return Run(info, [id](cw_storage* s, cw_buf* out, cw_error* err) {
    return cw_users_revoke_tokens(out, s, id.c_str(), err);
  });
}

}  // namespace cwnode
