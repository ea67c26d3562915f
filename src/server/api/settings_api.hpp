// The provider settings as the REST API and the C ABI show and save them
// (internal): one definition for GET/POST /api/telnyx/settings and for
// cw_client_settings() / cw_settings_save().
#pragma once

#include <string>

#include "callwire/call_client.hpp"
#include "callwire/storage.hpp"
#include "callwire/types.hpp"
#include "json/body.hpp"

namespace callwire::server {

/// The client's effective settings (options merged with the saved ones),
/// secrets masked, plus the mode, flat: {"api_key":"****abcd", …, "mode":"demo"}.
std::string settings_json(const CallClient& client);

/// Who saves, and what they see.
struct SettingsChange {
  /// The settings the caller was shown, unmasked (CallClient::settings():
  /// the saved ones merged with the options). api_base is deployment
  /// configuration: a body may repeat effective.api_base (a form sends back
  /// what it showed) but any other value is refused. A secret sent back as
  /// masked() showed it — the saved one's mask, or the effective one's when
  /// it comes from the options — keeps the saved secret.
  Settings effective;
  /// Named in the log line when the webhook verification key changes.
  std::string who = "the host";
};

/// Applies the fields present in `body` (api_key, api_v2_key, webhook_url,
/// connection_id, public_key, auto_record, demo_mode; api_base only as
/// above) to the saved settings, validates the result as a whole
/// (SettingsStore::validate) and only then saves it: an invalid body stores
/// nothing. A masked secret sent back keeps the stored one (see above); any
/// other value that starts with "****" is refused as a mask, never stored
/// as a key. Wrong types and bad values throw Error(invalid_argument)
/// naming the field. A changed public_key is logged (warn). Returns what
/// was stored. The caller reloads any client that should see the change.
Settings save_settings(const Storage& storage, const json::Body& body, const SettingsChange& change);

}  // namespace callwire::server
