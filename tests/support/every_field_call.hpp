// A Call with every member set to a value other than its default, for the
// tests that check each surface carries every field (tests/fields/).
#pragma once

#include <chrono>

#include "callwire/types.hpp"
#include "core/field_count.hpp"

namespace callwire::test {

// A member added to struct Call must be set here too (to a value that is not
// its default), and then this count raised: the test
// json.call_fields_on_every_surface then names each surface that lacks it.
static_assert(detail::field_count<Call>() == 31,
              "struct Call changed: set the new member in every_field_call() and update this count");

inline Call every_field_call() {
  using namespace std::chrono_literals;
  Call c;
  c.call_id = "5f0c6a0e-2b43-4a5b-9d43-0b6f2c1d8e11";
  c.call_control_id = "v3:control";
  c.call_leg_id = "leg-1";
  c.call_session_id = "session-1";
  c.connection_id = "connection-1";
  c.to_number = "+12125551234";
  c.from_number = "+13125550000";
  c.direction = Direction::inbound;
  c.status = CallStatus::completed;
  c.created_at = TimePoint(1'700'000'000'000ms);
  c.updated_at = TimePoint(1'700'000'070'000ms);
  c.ringing_at = TimePoint(1'700'000'001'000ms);
  c.answered_at = TimePoint(1'700'000'002'000ms);
  c.ended_at = TimePoint(1'700'000'062'000ms);
  c.duration = 60;
  c.hangup_cause = "normal_clearing";
  c.hangup_source = "callee";
  c.failure_reason = "not a failure, but set";
  c.machine_detection = "machine";
  c.machine_greeting = "beep_detected";
  c.contact_id = "contact-1";
  c.contact_name = "Ada Lovelace";
  c.agent_id = "user-1";
  c.recording_id = "recording-1";
  c.recording = true;
  c.recording_paused = true;
  c.muted = true;
  c.on_hold = true;
  c.demo = true;
  c.record_from_answer = true;
  c.recording_error = "Telnyx could not save the recording: test";
  return c;
}

}  // namespace callwire::test
