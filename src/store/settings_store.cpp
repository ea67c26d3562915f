// SettingsStore: the one telnyx_config record.
#include "callwire/settings_store.hpp"

#include "callwire/error.hpp"
#include "store/schema.hpp"
#include "store/util.hpp"

namespace callwire {

using namespace store_detail;

namespace {

Backend& be(const Storage& s) { return *s.backend_impl(); }

constexpr const char* kDefaultApiBase = "https://api.telnyx.com/v2";

void check_url(const std::string& v, const char* field) {
  check_text(v, field, 2048);
  if (!v.empty() && v.rfind("https://", 0) != 0 && v.rfind("http://", 0) != 0) {
    throw Error(errc::invalid_argument, std::string(field) + ": must be an http:// or https:// URL");
  }
}

}  // namespace

SettingsStore::SettingsStore(Storage storage) : storage_(std::move(storage)) {}

std::optional<Settings> SettingsStore::find() const {
  auto row = be(storage_).get(config_table(), kSettingsId);
  if (!row) return std::nullopt;
  return settings_from_row(*row);
}

Settings SettingsStore::get() const {
  Settings s = find().value_or(Settings{});
  if (s.api_base.empty()) s.api_base = kDefaultApiBase;
  return s;
}

Settings SettingsStore::get_masked() const { return masked(get()); }

Settings SettingsStore::save(Settings s) {
  const auto current = find();
  if (current) {
    // A client that shows the masked view and sends it back unchanged keeps
    // the stored secret.
    if (s.api_key != current->api_key && s.api_key == mask_secret(current->api_key)) s.api_key = current->api_key;
    if (s.api_v2_key != current->api_v2_key && s.api_v2_key == mask_secret(current->api_v2_key)) s.api_v2_key = current->api_v2_key;
  }
  s.api_key = trim(s.api_key);
  s.api_v2_key = trim(s.api_v2_key);
  s.connection_id = trim(s.connection_id);
  s.public_key = trim(s.public_key);
  check_text(s.api_key, "api_key", 1024);
  check_text(s.api_v2_key, "api_v2_key", 1024);
  check_text(s.connection_id, "connection_id", 256);
  check_text(s.public_key, "public_key", 1024);
  check_url(s.webhook_url, "webhook_url");
  check_url(s.api_base, "api_base");
  if (s.api_base.empty()) s.api_base = kDefaultApiBase;
  s.updated_at = storage_.now();
  be(storage_).upsert(config_table(), kSettingsId, settings_assignments(s));
  return s;
}

}  // namespace callwire
