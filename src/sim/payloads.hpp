// callwire — the JSON of the simulator's webhooks (internal).
//
// Each function writes one payload the way Telnyx does (the fields of the
// spec's examples, tests/fixtures/telnyx/openapi_call_*.json, plus
// call_control_id on every event), and envelope_body() wraps a payload in
// {"data": {...}, "meta": {"attempt": 1, "delivered_to": ...}}.
#pragma once

#include <string>
#include <string_view>

#include "json/telnyx_api.hpp"
#include "sim/plan.hpp"
#include "sim/random.hpp"
#include "sim/types.hpp"

namespace callwire::sim {

using json::telnyx_api::Value;

/// The fields every call event carries: the leg's ids, connection_id and
/// client_state (a string, or null).
Value call_base(const Ids& leg, const std::string& connection_id, const Value& client_state);
/// `p` with `from` and `to` set.
Value with_parties(Value p, const std::string& from, const std::string& to);

/// call_quality_stats of a call that talked for `talk` (null when it never
/// did): 20 ms packets, jitter and MOS drawn from `key`.
Value call_quality_stats(const KeyedRandom& random, const std::string& key, Micros talk);

/// A call.hangup payload: `base` (call_base of the leg) with the parties,
/// the leg's start_time and end_time (which the spec's example omits and real
/// deliveries carry), the cause, source and SIP code of `end`, and `quality`.
Value hangup_payload(Value base, const std::string& from, const std::string& to, const std::string& start_time,
                     const std::string& end_time, const End& end, Value quality);

/// recording_urls (and public_recording_urls): `url` under the recording's
/// format, null for the other one.
Value recording_urls(const std::string& format, const std::string& url);

/// The whole webhook: data (record_type, event_type, id, occurred_at,
/// payload) and meta (attempt 1, delivered_to).
std::string envelope_body(const std::string& event_type, const std::string& event_id, SysMicros occurred_at,
                          Value payload, const std::string& delivered_to);

/// The body of a call.recording.error that replaces the call.recording.saved
/// `saved_body`: its call ids and client_state, `reason`, and its meta.
std::string recording_error_body(std::string_view saved_body, const std::string& event_id, SysMicros occurred_at,
                                 std::string_view reason);

}  // namespace callwire::sim
