// The webhook signature policy (see signature_policy.hpp).
#include "client/signature_policy.hpp"

namespace callwire::client {

std::optional<IngestResult> check_signature(const SignaturePolicy& policy, const Settings& settings,
                                            const telnyx::Headers& headers, std::string_view body,
                                            std::int64_t now_unix) {
  const bool required = !settings.api_key.empty() && !policy.insecure_webhooks;
  const bool signed_webhook = headers.get("telnyx-signature-ed25519").has_value();
  if (!required && !(signed_webhook && !settings.public_key.empty())) return std::nullopt;
  IngestResult refused;
  refused.code = errc::unauthorized;
  if (settings.public_key.empty()) {
    refused.message = "webhook signature required but no Telnyx public key is configured (TELNYX_PUBLIC_KEY)";
    return refused;
  }
  const auto verdict = telnyx::verify_signature(settings.public_key, headers, body, now_unix, policy.tolerance_seconds);
  if (verdict == telnyx::Verdict::valid) return std::nullopt;
  refused.message = "invalid webhook signature: " + std::string(telnyx::to_string(verdict));
  return refused;
}

}  // namespace callwire::client
