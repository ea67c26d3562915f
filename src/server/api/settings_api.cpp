// Provider settings for the REST API and the C ABI (see settings_api.hpp).
#include "server/api/settings_api.hpp"

#include <string_view>

#include "callwire/error.hpp"
#include "callwire/json.hpp"
#include "callwire/settings_store.hpp"
#include "support/log.hpp"

namespace callwire::server {
namespace {

// A masked secret sent back unchanged means "keep the stored one": exactly
// what masked() shows for it — the same rule as SettingsStore::save, so the
// REST API, the C ABI and the store agree (anything else is a new value).
void take_secret(const json::Body& body, std::string_view field, std::string& slot, const std::string& effective) {
  auto v = body.string(field);
  if (!v) return;
  if (!v->empty() && (*v == mask_secret(slot) || *v == mask_secret(effective))) return;
  if (v->rfind("****", 0) == 0) {
    throw Error(errc::invalid_argument, std::string(field) + ": this is a masked key, not a key; send the whole key, "
                                                             "or the mask exactly as it was shown to keep the saved one");
  }
  slot = *v;
}

}  // namespace

std::string settings_json(const CallClient& client) {
  const Settings s = masked(client.settings());
  std::string text = json::encode(s);
  // The Settings object plus the mode, flat: {"api_key": "****abcd", …, "mode": "demo"}.
  text.pop_back();
  text += ",\"mode\":\"" + std::string(client.mode()) + "\"}";
  return text;
}

Settings save_settings(const Storage& storage, const json::Body& body, const SettingsChange& change) {
  SettingsStore store(storage);
  const Settings before = store.get();
  Settings s = before;
  take_secret(body, "api_key", s.api_key, change.effective.api_key);
  take_secret(body, "api_v2_key", s.api_v2_key, change.effective.api_v2_key);
  if (auto v = body.string("webhook_url")) s.webhook_url = *v;
  if (auto v = body.string("connection_id")) s.connection_id = *v;
  if (auto v = body.string("public_key")) s.public_key = *v;
  if (auto v = body.string("api_base"); v && *v != change.effective.api_base) {
    throw Error(errc::invalid_argument,
                "api_base: the Telnyx API address is set where the server is deployed (TELNYX_API_BASE) and cannot be "
                "changed through the API");
  }
  if (auto v = body.boolean("auto_record")) s.auto_record = *v;
  if (auto v = body.string("recording_channels")) s.recording_channels = *v;
  if (auto v = body.boolean("demo_mode")) s.demo_mode = *v;
  SettingsStore::validate(s);
  Settings saved = store.save(s);
  if (saved.public_key != before.public_key) {
    log::print(log::Level::warn, "settings", "the webhook verification key (public_key) was changed by ", change.who);
  }
  return saved;
}

}  // namespace callwire::server
