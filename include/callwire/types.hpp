// callwire — domain value types.
//
// Pure values: no I/O, no clocks, no threads. Every type here is encoded and
// decoded by the codec (callwire/json.hpp) and stored by the storage layer.
// This header compiles as C++17 on its own.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace callwire {

/// Milliseconds since the Unix epoch, UTC. All times in callwire use it and
/// are written as ISO-8601 UTC ("2026-11-26T10:22:45.123Z") in JSON.
using TimePoint = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

/// The status of a Call (DESIGN.md, "The call state machine").
enum class CallStatus {
  dialing,    ///< accepted, not yet acknowledged by the carrier
  ringing,    ///< the carrier is alerting the far end (call.initiated)
  active,     ///< answered (call.answered)
  completed,  ///< answered, then hung up
  busy,       ///< far end busy (hangup_cause user_busy)
  no_answer,  ///< rang out (hangup_cause timeout / no_answer)
  canceled,   ///< we hung up before answer (originator_cancel or our hangup)
  failed,     ///< rejected, not found, carrier error, or the dial itself failed
};

/// True for completed, busy, no_answer, canceled and failed: absorbing states.
bool is_terminal(CallStatus s) noexcept;
/// "dialing", "ringing", …, as in the REST API.
std::string_view to_string(CallStatus s) noexcept;
/// Parses the REST spelling; std::nullopt when unknown.
std::optional<CallStatus> parse_call_status(std::string_view s) noexcept;

enum class Direction { outbound, inbound };
std::string_view to_string(Direction d) noexcept;
std::optional<Direction> parse_direction(std::string_view s) noexcept;

/// One call, as stored in `call_logs` and returned by the REST API. Its
/// event-derived fields are a pure function of the set of CallEvents received
/// for it (see callwire/call_state.hpp); the rest is set by the client.
struct Call {
  std::string call_id;          ///< UUID v4; also the record id
  std::string call_control_id;  ///< Telnyx ids, empty until the carrier answers the dial
  std::string call_leg_id;
  std::string call_session_id;
  std::string connection_id;
  std::string to_number;        ///< E.164
  std::string from_number;      ///< E.164
  Direction direction = Direction::outbound;
  CallStatus status = CallStatus::dialing;
  TimePoint created_at{};
  TimePoint updated_at{};
  std::optional<TimePoint> ringing_at;   ///< first call.initiated
  std::optional<TimePoint> answered_at;  ///< first call.answered
  std::optional<TimePoint> ended_at;     ///< first terminal event
  std::int64_t duration = 0;             ///< whole seconds answered_at → ended_at, 0 if never answered
  std::string hangup_cause;              ///< Telnyx hangup_cause, or a callwire cause (dial_failed, reconciled_timeout)
  std::string hangup_source;             ///< caller, callee, unknown
  std::string failure_reason;            ///< human-readable reason for `failed`
  std::string machine_detection;         ///< human, machine, not_sure … (call.machine.detection.ended)
  /// How a machine's greeting ended: beep_detected, ended, not_sure (the
  /// result of call.machine.greeting.ended) or, premium, beep_detected /
  /// no_beep_detected (call.machine.premium.greeting.ended); "" when no such
  /// event came (a person, or a mode that does not report it).
  std::string machine_greeting;
  std::optional<std::string> contact_id;
  std::optional<std::string> contact_name;
  /// Who placed the call: a user's id (UserStore); none for a call an SDK
  /// host placed without one. Set at dial, never changed by events.
  std::optional<std::string> agent_id;
  std::optional<std::string> recording_id;
  /// A recording is in progress: from record_start until record_stop, the
  /// recording's call.recording.saved / call.recording.error or the hangup;
  /// for a call dialled with record_from_answer, from its answer.
  bool recording = false;
  /// The recording is paused (pause_recording, until resume, stop or start).
  bool recording_paused = false;
  bool muted = false;
  bool on_hold = false;
  bool demo = false;       ///< placed by the DemoCarrier
  /// The dial asked the carrier to record from the answer (Telnyx's
  /// `record: record-from-answer`: Settings::auto_record or
  /// DialOptions::record).
  bool record_from_answer = false;
  /// Why a recording of this call failed (call.recording.error): a sentence
  /// with Telnyx's reason; "" when none failed.
  std::string recording_error;
};

/// One Telnyx Call Control webhook event (the v2 envelope's `data`), already
/// verified and parsed. Fields a given event type does not carry stay empty.
/// `payload_json` keeps the whole payload so unknown fields pass through.
struct CallEvent {
  std::string id;            ///< data.id — unique; duplicates are dropped
  std::string event_type;    ///< "call.initiated", "call.hangup", … (unknown types pass through)
  TimePoint occurred_at{};
  std::string call_control_id;
  std::string call_leg_id;
  std::string call_session_id;
  std::string connection_id;
  std::optional<std::string> client_state;  ///< base64 as sent; null is allowed
  std::string from;
  std::string to;
  std::string direction;
  std::string state;
  std::string hangup_cause;
  std::string hangup_source;
  std::string sip_hangup_cause;
  std::string digit;              ///< call.dtmf.received
  std::string result;             ///< call.machine.*.ended; call.recording.error's reason
  std::string recording_id;       ///< call.recording.saved
  std::string recording_url;      ///< preferred download URL (mp3, else wav)
  std::string recording_format;   ///< "mp3" / "wav"
  std::optional<TimePoint> recording_started_at;
  std::optional<TimePoint> recording_ended_at;
  std::string recording_channels; ///< call.recording.saved: "single" / "dual" (as recorded)
  std::string payload_json;       ///< the raw payload object, as JSON text
  std::string meta_json;          ///< the envelope's meta object ("" when absent)
};

/// Contact categories of the original system.
enum class ContactCategory { lead, client, follow_up, other };
std::string_view to_string(ContactCategory c) noexcept;
std::optional<ContactCategory> parse_contact_category(std::string_view s) noexcept;

struct Contact {
  std::string id;
  std::string name;
  std::string phone;   ///< E.164
  std::string email;
  ContactCategory category = ContactCategory::other;
  bool is_favorite = false;
  std::string notes;
  TimePoint created_at{};
  TimePoint updated_at{};
};

struct Recording {
  std::string id;
  std::string call_id;
  std::string call_control_id;
  std::string telnyx_recording_id;
  std::string url;          ///< download URL (Telnyx URLs expire after 10 min: CallClient::refresh_recording)
  std::int64_t duration = 0;  ///< whole seconds
  std::string format;       ///< "mp3" / "wav"
  std::string channels;     ///< "single" / "dual"
  TimePoint created_at{};
  /// The call's agent_id, copied when the recording is attached (so an
  /// agent's recordings are listed without reading their calls).
  std::optional<std::string> agent_id;
  /// Why Telnyx did not delete it the last time it was asked to
  /// (CallClient::remove_recording): a sentence; "" when it never refused.
  /// The recording is kept while Telnyx still has it.
  std::string remote_delete_error;
};

struct PhoneNumber {
  std::string id;
  std::string number;  ///< E.164
  std::string name;
  std::string status = "active";
  bool is_default = false;
  TimePoint created_at{};
};

/// Provider settings (`telnyx_config`). Secrets are only ever shown masked
/// to clients (see masked()).
struct Settings {
  std::string api_key;
  std::string api_v2_key;
  std::string webhook_url;
  std::string connection_id;
  std::string public_key;      ///< base64 Ed25519 webhook verification key
  std::string api_base;        ///< in force: CallClientOptions::api_base (default https://api.telnyx.com/v2); stored: as saved, "" = not set
  bool auto_record = false;
  /// How recordings are made: "single" (one mixed channel) or "dual" (each
  /// party on its own channel, Telnyx's default). In force: as saved, else
  /// CallClientOptions::recording_channels, else "dual"; stored: "" = not set.
  std::string recording_channels;
  bool demo_mode = false;      ///< force demo mode even with a key
  TimePoint updated_at{};
};

/// The same settings with every secret masked: "KEY…abcd" keeps only the
/// last four characters; empty stays empty.
Settings masked(const Settings& s);
/// Masks one secret as masked() does.
std::string mask_secret(std::string_view secret);

/// What a user may do (DESIGN.md, "People and roles"; the table of
/// docs/reference-server.md, "Who may do what").
enum class UserRole { admin, agent };
std::string_view to_string(UserRole r) noexcept;
std::optional<UserRole> parse_user_role(std::string_view s) noexcept;

/// A user's presence: busy while on a live call, wrap_up for a while after
/// it, away / available as they set it, offline without an open WebSocket.
enum class UserStatus { available, busy, wrap_up, away, offline };
std::string_view to_string(UserStatus s) noexcept;
std::optional<UserStatus> parse_user_status(std::string_view s) noexcept;

/// An account (`users`). The password is never part of it: UserStore keeps
/// only its Argon2id hash, and never returns that.
struct User {
  std::string id;
  std::string email;  ///< as entered (trimmed); unique ignoring ASCII case
  std::string name;
  UserRole role = UserRole::agent;
  UserStatus status = UserStatus::offline;
  std::optional<std::string> default_number_id;  ///< the caller-ID number this user dials from
  bool disabled = false;
  /// Bumped by logout, a password change and disabling: a token that names
  /// an older version is revoked.
  std::int64_t token_version = 0;
  TimePoint created_at{};
  TimePoint updated_at{};
  std::optional<TimePoint> last_login_at;
};

/// Aggregate statistics over call logs.
struct Stats {
  std::int64_t total_calls = 0;
  std::int64_t completed_calls = 0;
  std::int64_t failed_calls = 0;  ///< failed + busy + no_answer + canceled
  std::int64_t active_calls = 0;  ///< dialing + ringing + active
  double average_duration = 0;    ///< seconds, over completed calls
  double answer_rate = 0;         ///< answered / ended, 0..1
  std::int64_t total_duration = 0;
  std::map<std::string, std::int64_t> by_status;  ///< status → count
  std::map<std::string, std::int64_t> per_day;    ///< "YYYY-MM-DD" → count
};

}  // namespace callwire
