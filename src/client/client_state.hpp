// client_state: callwire sends its call id, base64-encoded, as the
// client_state of every dial (TelnyxCarrier; the simulator's
// sim::client_state_for); Telnyx echoes it on every webhook and lists it
// with each active call. This reads it back.
#pragma once

#include <optional>
#include <string>

namespace callwire::client {

/// The call id a client_state carries; empty when it carries none (absent,
/// not base64, or not a UUID).
std::string call_id_from_client_state(const std::optional<std::string>& client_state);

/// The client_state stamped on the new leg of a transfer of `call_id`: it
/// names the call it came from but is not the call's own, so the leg's
/// events (its failure, its hangup) never fold into the call.
std::string transfer_leg_client_state(const std::string& call_id);

}  // namespace callwire::client
