// callwire — Telnyx webhooks: envelope parsing and Ed25519 signature checks.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "callwire/types.hpp"

namespace callwire::telnyx {

/// Why a webhook body was not accepted.
enum class ParseError {
  malformed_json,    ///< not JSON, or not an object
  legacy_v1,         ///< flat v1 payload (event_type "call_initiated" …)
  missing_field,     ///< data, data.id, data.event_type or data.occurred_at missing
  wrong_type,        ///< a known field has the wrong JSON type
  bad_time,          ///< occurred_at is not ISO-8601
};

struct ParseFailure {
  ParseError error;
  std::string message;  ///< names the field
};

/// Parses the v2 envelope {"data": {record_type, event_type, id, occurred_at,
/// payload}, "meta": {...}}. Unknown event types and fields pass through.
/// Throws nothing; on failure returns std::nullopt and fills `failure`.
std::optional<CallEvent> parse_webhook(std::string_view body, ParseFailure* failure = nullptr);

/// True for an event type Telnyx Call Control documents ("call.hangup",
/// "conference.participant.joined", "streaming.started", …). Other types
/// still parse and pass through; this bounds what is counted by name.
bool is_known_event_type(std::string_view type) noexcept;
/// The type itself when known, "other" otherwise: a metrics label whose
/// values stay a fixed, small set whatever a sender puts in event_type.
std::string_view event_type_label(std::string_view type) noexcept;

/// The verdicts of verify_signature(); each failure is distinct.
enum class Verdict {
  valid,
  missing_headers,              ///< telnyx-signature-ed25519 or telnyx-timestamp absent
  invalid_timestamp,            ///< not a decimal Unix time
  timestamp_outside_tolerance,  ///< |now - timestamp| > tolerance
  invalid_signature_encoding,   ///< signature is not base64
  invalid_signature_size,       ///< not 64 bytes
  invalid_public_key_encoding,  ///< public key is not base64
  invalid_public_key_size,      ///< not 32 bytes
  signature_mismatch,           ///< Ed25519 verification failed
};

/// "valid", "invalid_timestamp", … (the names used by the test vectors).
std::string_view to_string(Verdict v) noexcept;

/// HTTP headers; lookups are case-insensitive.
class Headers {
 public:
  void set(std::string_view name, std::string_view value);
  std::optional<std::string_view> get(std::string_view name) const;

 private:
  std::map<std::string, std::string> map_;  // lower-cased names
};

inline constexpr std::int64_t kDefaultToleranceSeconds = 300;

/// Verifies a Telnyx webhook exactly as Telnyx specifies: Ed25519 over
/// `telnyx-timestamp + "|" + raw_body`, base64 public key and signature.
/// The timestamp tolerance (both directions) is checked before the signature.
Verdict verify_signature(std::string_view public_key_b64, const Headers& headers,
                         std::string_view raw_body, std::int64_t now_unix,
                         std::int64_t tolerance_seconds = kDefaultToleranceSeconds);

/// Signs `timestamp|body` with a 32-byte Ed25519 seed (base64) and returns the
/// base64 signature. Used by the simulator, the fake Telnyx and tests.
std::string sign(std::string_view private_seed_b64, std::string_view timestamp, std::string_view raw_body);

/// The base64 public key of a base64 Ed25519 seed.
std::string public_key_for_seed(std::string_view private_seed_b64);

}  // namespace callwire::telnyx
