// SettingsStore: the one telnyx_config record.
#include "callwire/settings_store.hpp"

#include "callwire/error.hpp"
#include "core/base64.hpp"
#include "core/media.hpp"
#include "store/schema.hpp"
#include "store/util.hpp"

namespace callwire {

using namespace store_detail;

namespace {

Backend& be(const Storage& s) { return *s.backend_impl(); }

bool has_control_character(std::string_view v) {
  for (const char c : v) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// A value that goes into an HTTP header or a URL: no CR, LF or other control
// character (header injection), within its size.
void check_token(const std::string& v, const char* field, std::size_t max_bytes) {
  check_text(v, field, max_bytes);
  if (has_control_character(v)) {
    throw Error(errc::invalid_argument, std::string(field) + ": must not contain line breaks or other control characters");
  }
}

void check_url(const std::string& v, const char* field) {
  check_token(v, field, 2048);
  if (v.empty()) return;
  const bool https = v.rfind("https://", 0) == 0, http = v.rfind("http://", 0) == 0;
  if (!https && !http) throw Error(errc::invalid_argument, std::string(field) + ": must be an http:// or https:// URL");
  const std::string_view rest = std::string_view(v).substr(https ? 8 : 7);
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.empty()) throw Error(errc::invalid_argument, std::string(field) + ": has no host");
  if (authority.find('@') != std::string_view::npos) {
    throw Error(errc::invalid_argument, std::string(field) + ": must not carry a user name or password");
  }
  if (v.find_first_of(" \\") != std::string::npos) throw Error(errc::invalid_argument, std::string(field) + ": must not contain spaces or backslashes");
}

// Telnyx's webhook verification key: base64 of a 32-byte Ed25519 public key.
void check_public_key(const std::string& v) {
  if (v.empty()) return;
  const auto raw = base64::decode(v);
  if (!raw || raw->size() != 32) {
    throw Error(errc::invalid_argument, "public_key: must be the base64 Ed25519 public key from the Telnyx portal (32 bytes)");
  }
}

}  // namespace

void SettingsStore::validate(const Settings& s) {
  check_token(s.api_key, "api_key", 1024);
  check_token(s.api_v2_key, "api_v2_key", 1024);
  check_token(s.connection_id, "connection_id", 256);
  check_token(s.public_key, "public_key", 1024);
  check_public_key(s.public_key);
  check_url(s.webhook_url, "webhook_url");
  check_url(s.api_base, "api_base");
  if (!s.recording_channels.empty()) {
    if (auto problem = recording_channels_problem(s.recording_channels); !problem.empty()) {
      throw Error(errc::invalid_argument, problem);
    }
  }
}

SettingsStore::SettingsStore(Storage storage) : storage_(std::move(storage)) {}

std::optional<Settings> SettingsStore::find() const {
  auto row = be(storage_).get(config_table(), kSettingsId);
  if (!row) return std::nullopt;
  return settings_from_row(*row);
}

Settings SettingsStore::get() const { return find().value_or(Settings{}); }

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
  validate(s);
  s.updated_at = storage_.now();
  be(storage_).upsert(config_table(), kSettingsId, settings_assignments(s));
  return s;
}

}  // namespace callwire
