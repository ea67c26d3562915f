// callwire — the call simulator's value types (internal; docs/demo-mode.md).
//
// The dial, the options and timings, the ids, envelopes, command answers and
// status views a SimCall (simulator.hpp) takes and gives, apart from the call
// itself so that the simulator's phases (plan.hpp) can use them too.
//
// Plain values: no I/O, no clocks, no threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callwire/amd.hpp"

namespace callwire::sim {

using Micros = std::chrono::microseconds;
using SysMicros = std::chrono::sys_time<Micros>;

/// What the far end does, chosen by the destination's last four digits.
enum class Scenario {
  busy,           ///< …0000: call.initiated, then call.hangup user_busy
  no_answer,      ///< …0001: rings for the dial's timeout_secs, then call.hangup timeout
  rejected,       ///< …0002: call.initiated, then call.hangup call_rejected
  machine,        ///< …0003: an answering machine answers (AMD result "machine")
  callee_hangup,  ///< …0004: answered, the callee hangs up 5 s later
  silence,        ///< …0005: answered, but nobody speaks (AMD "not_sure", premium "silence")
  fax,            ///< …0006: a fax machine answers (AMD "machine", premium "fax_detected") and gives up after 35 s
  business,       ///< …0007: a person at a business answers (AMD "human", premium "human_business")
  answered,       ///< any other number: answered after ~2 s, up until hung up or the time limit
};

/// The scenario for a destination number (its last four digits; any
/// separators are ignored). Numbers with fewer than four digits are `answered`.
Scenario scenario_for(std::string_view to) noexcept;
/// "busy", "no_answer", "rejected", "machine", "callee_hangup", "silence", "fax",
/// "business", "answered".
std::string_view to_string(Scenario s) noexcept;

/// Telnyx `answering_machine_detection` modes: the core's (callwire/amd.hpp),
/// whose names are the one rule for every surface.
using AmdMode = callwire::AmdMode;
using callwire::parse_amd_mode;
using callwire::to_string;

/// Nominal delays in simulated time. Each delay marked "±" gets a uniform
/// jitter in [-jitter, +jitter] drawn from the seed. Defaults are the
/// documented demo timings (docs/demo-mode.md).
struct Timings {
  Micros initiated = std::chrono::milliseconds(250);         ///< dial → call.initiated (±)
  Micros answer = std::chrono::milliseconds(2000);           ///< dial → call.answered (±)
  Micros busy = std::chrono::milliseconds(1500);             ///< dial → call.hangup user_busy (±)
  Micros rejected = std::chrono::milliseconds(1200);         ///< dial → call.hangup call_rejected (±)
  Micros refused = std::chrono::milliseconds(500);           ///< dial → call.hangup of Telnyx's own refusal (±)
  Micros machine_answer = std::chrono::milliseconds(3000);   ///< dial → call.answered by a machine (±)
  Micros amd_human = std::chrono::milliseconds(1800);        ///< answer → detection ended, human (±)
  Micros amd_machine = std::chrono::milliseconds(3500);      ///< answer → detection ended, machine (±)
  Micros machine_greeting = std::chrono::milliseconds(9000); ///< answer → greeting ended / beep (±)
  Micros machine_message = std::chrono::seconds(30);         ///< beep → the machine hangs up
  Micros callee_hangup = std::chrono::seconds(5);            ///< answer → callee hangs up (…0004)
  Micros fax_hangup = std::chrono::seconds(35);              ///< answer → a fax machine gives up (…0006; T.30's T1)
  Micros command_latency = std::chrono::milliseconds(150);   ///< command → its first event (±)
  Micros recording_saved = std::chrono::milliseconds(1200);  ///< recording end → call.recording.saved (±)
  Micros speak_per_char = std::chrono::milliseconds(65);     ///< speech length per character (≥ 1 s)
  Micros playback = std::chrono::seconds(5);                 ///< length of any played audio file
  Micros transfer_timeout = std::chrono::seconds(30);        ///< transfer ring time (Telnyx default)
  Micros jitter = std::chrono::milliseconds(150);
};

struct Options {
  /// Simulated seconds per real second (1 = real time, 100 = 100× faster).
  /// Must be > 0; values below 0.001 are treated as 0.001.
  double speed = 1.0;
  Timings timings;
  /// meta.delivered_to when the dial has no webhook_url.
  std::string delivered_to = "/webhooks/call";
  /// Prefix of recording URLs: "<base>/recordings/<recording_id>.wav".
  std::string recording_url_base;
  /// Demo recordings are WAV files: report format "wav" and only a wav URL
  /// whatever format was asked for. false: give the asked format's URL
  /// (".mp3"/".wav"), as Telnyx does (the fake Telnyx serves no files).
  bool wav_only = true;
  /// Caps every call's length, counted from the dial (0: no cap beyond the
  /// dial's time_limit_secs). The call then ends with cause time_limit.
  Micros max_call_duration{0};
  /// public_recording_urls of call.recording.saved: Telnyx fills them (URLs
  /// valid as long as the file exists) only for accounts whose support asked
  /// for them; for everyone else they are {}. false: {}, as most accounts get.
  bool public_recording_urls = false;
};

/// Telnyx's own refusals of an outbound call, for its account's setup. Each is
/// a SIP 403 whose reason phrase ends in the code ("403 Caller Origination
/// Number is Invalid D35", "403 User channel limit exceeded D1"); POST
/// /v2/calls has already answered 200 by then, so Call Control reports it as
/// call.initiated, then call.hangup call_rejected / sip_hangup_cause "403".
enum class Refusal {
  caller_id,            ///< D35: `from` is not a number of the account (bought or verified)
  no_outbound_profile,  ///< D38: the connection has no outbound voice profile
  channel_limit,        ///< D1: the account's concurrent outbound calls are all in use (new accounts: 2)
};
/// "D35", "D38", "D1".
std::string_view to_string(Refusal r) noexcept;

/// The dial as Telnyx received it (POST /v2/calls).
struct Dial {
  std::string to;                 ///< E.164
  std::string from;               ///< E.164
  std::string connection_id;
  std::optional<std::string> client_state;  ///< base64, echoed on every event; nullopt → null
  std::string webhook_url;        ///< meta.delivered_to (empty: Options::delivered_to)
  bool record = false;            ///< "record": "record-from-answer"
  std::string record_format = "mp3";     ///< Telnyx default
  std::string record_channels = "dual";   ///< Telnyx default
  AmdMode amd = AmdMode::disabled;
  int timeout_secs = 60;          ///< ring time before hangup cause timeout
  int time_limit_secs = 14400;    ///< the call ends (time_limit) this long after the answer
  /// Telnyx refuses the call itself (whatever the destination's scenario).
  std::optional<Refusal> refusal;
};

/// How long Telnyx remembers a command_id (in simulated time): a dial or
/// command repeating one seen less long ago is not carried out again; a later
/// repeat is (a dial places a second call).
inline constexpr std::chrono::seconds kCommandIdWindow{60};

/// client_state as callwire sends it: the call_id, base64-encoded.
std::string client_state_for(std::string_view call_id);

/// The ids POST /v2/calls answers with.
struct Ids {
  std::string call_control_id;  ///< "v3:" + 54 base64url characters
  std::string call_leg_id;      ///< UUID v4
  std::string call_session_id;  ///< UUID v4
  std::string recording_id;     ///< record-from-answer only (else empty)
};

/// One webhook, ready to POST.
struct Envelope {
  Micros at{0};             ///< simulated time since the dial
  Micros due{0};            ///< real time since the dial (at / speed)
  SysMicros occurred_at{};  ///< start + at, as in data.occurred_at
  std::string event_id;     ///< data.id (UUID v4)
  std::string event_type;   ///< data.event_type
  std::string call_control_id;  ///< the leg it is about (a transfer adds a second leg)
  std::string recording_id;     ///< call.recording.saved only
  std::string body;         ///< {"data": {...}, "meta": {"attempt": 1, "delivered_to": ...}}
};

/// A Telnyx error answer to a command (HTTP 422 unless said otherwise),
/// as in the spec's error examples ("90018", "Call has already ended", …).
struct CommandError {
  int http_status = 422;
  std::string code;
  std::string title;
  std::string detail;
  std::string source_pointer;  ///< e.g. "/to"; empty when none
};

/// A command's answer: accepted (true) or a Telnyx error.
struct CommandResult {
  std::optional<CommandError> error;
  explicit operator bool() const noexcept { return !error.has_value(); }
};

/// GET /v2/calls/{call_control_id}, as of `now`.
struct StatusView {
  bool is_alive = false;
  std::int64_t call_duration = 0;   ///< whole simulated seconds since the dial (until the end)
  std::string state;                ///< "bridging" (ringing), "answered", "hangup"
  SysMicros start_time{};
  std::optional<SysMicros> end_time;  ///< once ended
};

/// A recording of the call (record-from-answer or record_start).
struct RecordingInfo {
  std::string id;            ///< UUID v4 (recording_id)
  std::string url;           ///< as in recording_urls
  std::string format;        ///< "wav" (or the asked format when !wav_only)
  std::string channels;      ///< "single" / "dual"
  SysMicros started_at{};
  SysMicros ended_at{};
  Micros audio{0};           ///< recorded audio: ended − started − paused time
  Micros saved_at{0};        ///< simulated time of its call.recording.saved
  std::string file_name;     ///< "<id>.wav" (or ".mp3")
};

/// occurred_at format: ISO-8601 UTC with microseconds, "2026-11-26T10:22:45.123456Z".
std::string format_time_micros(SysMicros t);

/// The same envelope with meta.attempt set (Telnyx retries carry attempt 2, 3…).
/// Returns the body unchanged when it is not a JSON object.
std::string with_attempt(std::string_view body, int attempt);

}  // namespace callwire::sim
