// Provider settings for the REST API and the C ABI (see settings_api.hpp).
#include "server/api/settings_api.hpp"

#include <string_view>

#include "callwire/error.hpp"
#include "callwire/json.hpp"
#include "callwire/settings_store.hpp"

namespace callwire::server {
namespace {

// A masked secret sent back unchanged means "keep the stored one".
bool is_masked(const std::string& v) { return !v.empty() && v.find_first_not_of('*') >= 4; }

}  // namespace

std::string settings_json(const CallClient& client) {
  const Settings s = masked(client.settings());
  std::string text = json::encode(s);
  // The Settings object plus the mode, flat: {"api_key": "****abcd", …, "mode": "demo"}.
  text.pop_back();
  text += ",\"mode\":\"" + std::string(client.mode()) + "\"}";
  return text;
}

Settings save_settings(const Storage& storage, const json::Body& body) {
  SettingsStore store(storage);
  Settings s = store.get();
  auto take = [&](std::string_view field, std::string& slot, bool secret) {
    if (auto v = body.string(field)) {
      if (secret && is_masked(*v)) return;  // the masked value came back: keep the stored secret
      slot = *v;
    }
  };
  take("api_key", s.api_key, true);
  take("api_v2_key", s.api_v2_key, true);
  take("webhook_url", s.webhook_url, false);
  take("connection_id", s.connection_id, false);
  take("public_key", s.public_key, false);
  take("api_base", s.api_base, false);
  if (auto v = body.boolean("auto_record")) s.auto_record = *v;
  if (auto v = body.boolean("demo_mode")) s.demo_mode = *v;
  if (!s.webhook_url.empty() && s.webhook_url.rfind("https://", 0) != 0 && s.webhook_url.rfind("http://", 0) != 0) {
    throw Error(errc::invalid_argument, "webhook_url: must be an http:// or https:// URL");
  }
  return store.save(s);
}

}  // namespace callwire::server
