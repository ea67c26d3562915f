// callwire — SettingsStore: the Telnyx provider settings (`telnyx_config`).
//
// One record. Secrets (api_key, api_v2_key) are stored whole; anything a
// client can reach must use masked(). A save that sends back a secret exactly
// as masked() showed it keeps the stored secret (so a UI that round-trips the
// masked view never overwrites a key with its mask). Thread-safe: see
// callwire/storage.hpp.
#pragma once

#include <optional>

#include "callwire/storage.hpp"
#include "callwire/types.hpp"

namespace callwire {

class SettingsStore {
 public:
  explicit SettingsStore(Storage storage);

  /// The saved settings, std::nullopt when never saved.
  std::optional<Settings> find() const;
  /// The saved settings, or an empty Settings when never saved. The store
  /// keeps what was saved and invents nothing: an empty field is "not set"
  /// (where requests go when api_base is empty is the client's and the
  /// carrier's business: CallClient::settings() shows the settings in force).
  Settings get() const;
  /// get() with every secret masked (callwire::masked).
  Settings get_masked() const;
  /// Stores all fields after validate(); updated_at is set. Returns what
  /// was stored. Nothing is stored when a field is invalid.
  Settings save(Settings settings);

  /// The rules every saved record meets (errc::invalid_argument naming the
  /// field): secrets, ids and URLs without line breaks or other control
  /// characters (they go into HTTP headers); URLs http(s):// with a host and
  /// no user name or password; public_key the base64 of a 32-byte Ed25519
  /// key; recording_channels "" (not set), "single" or "dual"; sizes within
  /// limits.
  static void validate(const Settings& settings);

 private:
  Storage storage_;
};

}  // namespace callwire
