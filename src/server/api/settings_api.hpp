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

/// Applies the fields present in `body` (api_key, api_v2_key, webhook_url,
/// connection_id, public_key, api_base, auto_record, demo_mode) to the saved
/// settings and saves them. A secret sent back masked (four or more leading
/// '*') keeps the stored one. Wrong types and bad URLs throw
/// Error(invalid_argument) naming the field. Returns what was stored. The
/// caller reloads any client that should see the change.
Settings save_settings(const Storage& storage, const json::Body& body);

}  // namespace callwire::server
