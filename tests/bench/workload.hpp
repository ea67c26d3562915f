// Benchmarks: realistic calls and their webhook events, made by the call
// simulator (src/sim/) exactly as the DemoCarrier and the fake Telnyx make
// them — the same envelopes, ids and client_state a real Telnyx call gives.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "callwire/types.hpp"
#include "sim/simulator.hpp"

namespace callwire::bench {

/// A UUID-shaped call id whose last 12 hex digits are `n` (so a WebSocket
/// message can be mapped back to its sequence number): "<prefix>…-4000-8000-<n>".
std::string numbered_call_id(std::uint64_t n, char prefix = 'b');
/// The `n` of numbered_call_id, read from a "call_id":"…" field of JSON
/// text; -1 when absent.
std::int64_t numbered_call_id_in(std::string_view json_text);

/// The `n` of a numbered_call_id itself; -1 when it is not one.
std::int64_t number_of_call_id(std::string_view call_id);

/// A destination whose last four digits pick the simulator scenario
/// ("0004": answered, the callee hangs up 5 s later), varied by `n`.
std::string destination(std::uint64_t n, const char* last4 = "0004");

struct SimulatedCall {
  Call call;                          ///< as the client stores it right after the dial (status dialing, Telnyx ids set)
  std::vector<sim::Envelope> events;  ///< every webhook of the call, in order
};

/// Simulates call `n` (seed n + 1) dialed at `start` to destination(n, last4).
SimulatedCall simulate_call(std::uint64_t n, sim::SysMicros start, const char* last4 = "0004", char id_prefix = 'b');

/// Now, on the simulator's clock type.
sim::SysMicros sys_now();

}  // namespace callwire::bench
