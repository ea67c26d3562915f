// The webhook signature policy: when a webhook must carry a valid Telnyx
// Ed25519 signature, and the verdict for one webhook (docs/client.md,
// "Webhook signatures").
//
//  * A Telnyx API key is configured and signatures are required (the
//    default): every webhook must be signed with the configured public key;
//    with no public key configured, every webhook is refused.
//  * Otherwise (demo mode, or the development switch insecure_webhooks):
//    unsigned webhooks are accepted; a signed one is still checked
//    when a public key is configured, so a wrong signature never passes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "callwire/call_client.hpp"
#include "callwire/types.hpp"
#include "callwire/webhook.hpp"

namespace callwire::client {

struct SignaturePolicy {
  bool insecure_webhooks = false;  ///< CallClientOptions::insecure_webhooks
  std::int64_t tolerance_seconds = 300;
};

/// Why a webhook is refused (code unauthorized, a sentence), or nothing when
/// it may be ingested. `now_unix` is the receiver's clock for the timestamp
/// window.
std::optional<IngestResult> check_signature(const SignaturePolicy& policy, const Settings& settings,
                                            const telnyx::Headers& headers, std::string_view body,
                                            std::int64_t now_unix);

}  // namespace callwire::client
