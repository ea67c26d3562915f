// Test helpers: every field of a record as text, so EXPECT_EQ(dump(a),
// dump(b)) compares whole records and prints readable differences.
#pragma once

#include <sstream>
#include <string>

#include "callwire/json.hpp"
#include "callwire/types.hpp"

namespace callwire::test {

inline std::string t(TimePoint p) { return json::format_time(p); }
inline std::string t(const std::optional<TimePoint>& p) { return p ? json::format_time(*p) : "null"; }
inline std::string o(const std::optional<std::string>& s) { return s ? "'" + *s + "'" : "null"; }

inline std::string dump(const Contact& c) {
  std::ostringstream s;
  s << "id=" << c.id << " name=" << c.name << " phone=" << c.phone << " email=" << c.email
    << " category=" << to_string(c.category) << " fav=" << c.is_favorite << " notes=" << c.notes
    << " created=" << t(c.created_at) << " updated=" << t(c.updated_at);
  return s.str();
}

inline std::string dump(const Call& c) {
  std::ostringstream s;
  s << "id=" << c.call_id << " ccid=" << c.call_control_id << " leg=" << c.call_leg_id << " session=" << c.call_session_id
    << " conn=" << c.connection_id << " to=" << c.to_number << " from=" << c.from_number << " dir=" << to_string(c.direction)
    << " status=" << to_string(c.status) << " created=" << t(c.created_at) << " updated=" << t(c.updated_at)
    << " ringing=" << t(c.ringing_at) << " answered=" << t(c.answered_at) << " ended=" << t(c.ended_at)
    << " duration=" << c.duration << " cause=" << c.hangup_cause << " source=" << c.hangup_source
    << " reason=" << c.failure_reason << " amd=" << c.machine_detection << " greeting=" << c.machine_greeting << " contact_id=" << o(c.contact_id)
    << " contact_name=" << o(c.contact_name) << " recording_id=" << o(c.recording_id) << " recording=" << c.recording
    << " paused=" << c.recording_paused << " muted=" << c.muted << " hold=" << c.on_hold << " demo=" << c.demo
    << " from_answer=" << c.record_from_answer << " rec_error=" << c.recording_error;
  return s.str();
}

inline std::string dump(const CallEvent& e) {
  std::ostringstream s;
  s << "id=" << e.id << " type=" << e.event_type << " at=" << t(e.occurred_at) << " ccid=" << e.call_control_id
    << " leg=" << e.call_leg_id << " session=" << e.call_session_id << " conn=" << e.connection_id
    << " state=" << o(e.client_state) << " from=" << e.from << " to=" << e.to << " dir=" << e.direction
    << " st=" << e.state << " cause=" << e.hangup_cause << " source=" << e.hangup_source << " sip=" << e.sip_hangup_cause
    << " digit=" << e.digit << " result=" << e.result << " rec=" << e.recording_id << " url=" << e.recording_url
    << " fmt=" << e.recording_format << " rs=" << t(e.recording_started_at) << " re=" << t(e.recording_ended_at)
    << " payload=" << e.payload_json << " meta=" << e.meta_json;
  return s.str();
}

inline std::string dump(const Recording& r) {
  std::ostringstream s;
  s << "id=" << r.id << " call=" << r.call_id << " ccid=" << r.call_control_id << " telnyx=" << r.telnyx_recording_id
    << " url=" << r.url << " duration=" << r.duration << " fmt=" << r.format << " ch=" << r.channels
    << " created=" << t(r.created_at) << " delete_error=" << r.remote_delete_error;
  return s.str();
}

inline std::string dump(const PhoneNumber& n) {
  std::ostringstream s;
  s << "id=" << n.id << " number=" << n.number << " name=" << n.name << " status=" << n.status
    << " default=" << n.is_default << " created=" << t(n.created_at);
  return s.str();
}

inline std::string dump(const Settings& v) {
  std::ostringstream s;
  s << "api_key=" << v.api_key << " v2=" << v.api_v2_key << " webhook=" << v.webhook_url << " conn=" << v.connection_id
    << " pub=" << v.public_key << " base=" << v.api_base << " rec=" << v.auto_record << " channels=" << v.recording_channels << " demo=" << v.demo_mode
    << " updated=" << t(v.updated_at);
  return s.str();
}

}  // namespace callwire::test
