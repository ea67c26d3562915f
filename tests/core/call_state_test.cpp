// Property tests for the order-free call state machine: for every scenario,
// every permutation and any duplication of its events gives the same Call,
// a terminal status never changes back, and the duration is right to the second.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "callwire/call_state.hpp"
#include "callwire/json.hpp"

using namespace callwire;
using namespace std::chrono_literals;

namespace {

const TimePoint kT0 = TimePoint(1'700'000'000'000ms);

CallEvent ev(std::string id, std::string type, std::chrono::milliseconds at) {
  CallEvent e;
  e.id = std::move(id);
  e.event_type = std::move(type);
  e.occurred_at = kT0 + at;
  e.call_control_id = "v3:ctrl";
  e.call_leg_id = "leg-1";
  e.call_session_id = "session-1";
  return e;
}

CallEvent hangup(std::string id, std::chrono::milliseconds at, std::string cause, std::string source) {
  CallEvent e = ev(std::move(id), "call.hangup", at);
  e.hangup_cause = std::move(cause);
  e.hangup_source = std::move(source);
  return e;
}

// record_from_answer: dialled with "record": "record-from-answer" (auto_record).
Call base_call(bool record_from_answer = false) {
  Call c;
  c.call_id = "call-1";
  c.to_number = "+12125551234";
  c.from_number = "+13125550000";
  c.created_at = kT0 - 500ms;
  c.record_from_answer = record_from_answer;
  return c;
}

Call fold(const std::vector<CallEvent>& events, bool record_from_answer = false) {
  Call c = base_call(record_from_answer);
  for (const auto& e : events) apply(c, e);
  return c;
}

struct Scenario {
  std::string name;
  std::vector<CallEvent> events;
  CallStatus status;
  std::int64_t duration;
  std::string greeting = "";  // the expected machine_greeting
  bool record_from_answer = false;  // the call was dialled to record from its answer
  bool recording = false;           // the expected recording flag
  std::string recording_error = "";  // the expected recording_error
};

CallEvent recording_error(std::string id, std::chrono::milliseconds at, std::string reason) {
  CallEvent e = ev(std::move(id), "call.recording.error", at);
  e.result = std::move(reason);
  return e;
}

CallEvent greeting(std::string id, std::string type, std::chrono::milliseconds at, std::string result) {
  CallEvent e = ev(std::move(id), std::move(type), at);
  e.result = std::move(result);
  return e;
}

std::vector<Scenario> scenarios() {
  CallEvent initiated = ev("e-init", "call.initiated", 0ms);
  CallEvent answered = ev("e-ans", "call.answered", 2'300ms);
  CallEvent machine = ev("e-amd", "call.machine.detection.ended", 2'100ms);
  machine.result = "machine";
  CallEvent saved = ev("e-rec", "call.recording.saved", 64'000ms);
  saved.recording_id = "rec-1";
  CallEvent dial_failed = ev("e-fail", std::string(kEventDialFailed), 50ms);
  dial_failed.call_control_id.clear();
  dial_failed.result = "carrier answered 503";
  // The reconciler gave up on an answered call (its end inferred at the
  // last time it was heard of, 30 s), then the real call.hangup (62 s) came.
  CallEvent inferred_end = ev("e-rcn", std::string(kEventReconciled), 30'000ms);
  inferred_end.hangup_cause = "normal_clearing";
  inferred_end.hangup_source = std::string(kHangupSourceCallwire);
  CallEvent reconciled_failure = ev("e-rcn-f", std::string(kEventReconciled), 20'000ms);
  return {
      {"reconciled_then_real_hangup",
       {initiated, answered, inferred_end, hangup("e-h", 62'000ms, "normal_clearing", "callee")},
       CallStatus::completed, 59},
      {"reconciled_completed", {initiated, answered, inferred_end}, CallStatus::completed, 27},
      {"real_hangup_beats_reconciled_failure",
       {initiated, reconciled_failure, hangup("e-h", 30'000ms, "user_busy", "callee")}, CallStatus::busy, 0},
      {"real_hangup_beats_dial_failed", {dial_failed, initiated, hangup("e-h", 30'000ms, "timeout", "callee")},
       CallStatus::no_answer, 0},
      {"callee_hangs_up", {initiated, answered, hangup("e-h", 62'999ms, "normal_clearing", "callee")}, CallStatus::completed, 60},
      {"caller_hangs_up", {initiated, answered, hangup("e-h", 12'300ms, "normal_clearing", "caller")}, CallStatus::completed, 10},
      {"busy", {initiated, hangup("e-h", 1'000ms, "user_busy", "callee")}, CallStatus::busy, 0},
      {"no_answer", {initiated, hangup("e-h", 30'000ms, "timeout", "callee")}, CallStatus::no_answer, 0},
      {"no_answer_cause", {initiated, hangup("e-h", 30'000ms, "no_answer", "callee")}, CallStatus::no_answer, 0},
      {"canceled", {initiated, hangup("e-h", 4'000ms, "originator_cancel", "caller")}, CallStatus::canceled, 0},
      {"our_hangup_before_answer", {initiated, hangup("e-h", 4'000ms, "normal_clearing", "caller")}, CallStatus::canceled, 0},
      {"rejected", {initiated, hangup("e-h", 900ms, "call_rejected", "callee")}, CallStatus::failed, 0},
      {"callee_clears_before_answer", {initiated, hangup("e-h", 1'500ms, "normal_clearing", "callee")},
       CallStatus::failed, 0},
      // The same hangup, but the call.answered (learnt in any order) says it
      // was answered: the derived reason must not stay behind.
      {"callee_clearing_answered", {initiated, hangup("e-h", 9'500ms, "normal_clearing", "callee"), answered},
       CallStatus::completed, 7},
      {"unknown_clears_before_answer", {initiated, hangup("e-h", 1'500ms, "normal_clearing", "unknown")},
       CallStatus::failed, 0},
      {"not_found", {initiated, hangup("e-h", 900ms, "not_found", "unknown")}, CallStatus::failed, 0},
      {"carrier_failure", {dial_failed}, CallStatus::failed, 0},
      {"recording_after_hangup",
       {initiated, answered, hangup("e-h", 33'300ms, "normal_clearing", "callee"), saved}, CallStatus::completed, 31},
      {"answering_machine",
       {initiated, machine, answered, hangup("e-h", 20'300ms, "normal_clearing", "caller")}, CallStatus::completed, 18},
      {"two_hangups_first_wins",
       {initiated, answered, hangup("e-h1", 10'300ms, "normal_clearing", "callee"),
        hangup("e-h2", 11'000ms, "normal_clearing", "caller")},
       CallStatus::completed, 8},
      // A machine's greeting (greeting_end, detect_words, detect_beep):
      // after detection, before the machine hangs up — or, delivered late,
      // after the hangup.
      {"machine_greeting_beep",
       {initiated, answered, machine, greeting("e-gr", "call.machine.greeting.ended", 11'300ms, "beep_detected"),
        hangup("e-h", 41'300ms, "normal_clearing", "callee")},
       CallStatus::completed, 39, "beep_detected"},
      {"machine_greeting_silence_after_hangup",
       {initiated, answered, machine, hangup("e-h", 8'300ms, "normal_clearing", "caller"),
        greeting("e-gr", "call.machine.greeting.ended", 7'000ms, "ended")},
       CallStatus::completed, 6, "ended"},
      {"machine_greeting_not_sure",
       {initiated, answered, machine, greeting("e-gr", "call.machine.greeting.ended", 32'300ms, "not_sure")},
       CallStatus::active, 0, "not_sure"},
      // Premium: a beep heard before detection ended sends only the greeting
      // event; both, in either order, give the same Call.
      {"premium_beep_before_detection",
       {initiated, answered, greeting("e-gr", "call.machine.premium.greeting.ended", 3'000ms, "beep_detected")},
       CallStatus::active, 0, "beep_detected"},
      {"premium_greeting_and_detection",
       {initiated, answered, greeting("e-pd", "call.machine.premium.detection.ended", 4'000ms, "machine"),
        greeting("e-gr", "call.machine.premium.greeting.ended", 9'000ms, "no_beep_detected"),
        hangup("e-h", 12'300ms, "normal_clearing", "caller")},
       CallStatus::completed, 10, "no_beep_detected"},
      // Two greeting results for one call (never from Telnyx for one mode,
      // but redeliveries and future results must not depend on order): the
      // most telling one, then an unknown result below the known ones.
      {"greeting_results_join",
       {answered, greeting("e-g1", "call.machine.greeting.ended", 8'000ms, "not_sure"),
        greeting("e-g2", "call.machine.greeting.ended", 9'000ms, "beep_detected"),
        greeting("e-g3", "call.machine.greeting.ended", 9'500ms, "ended"),
        greeting("e-g4", "call.machine.greeting.ended", 9'600ms, "some_future_result")},
       CallStatus::active, 0, "beep_detected"},
      {"greeting_unknown_result_kept",
       {answered, greeting("e-g4", "call.machine.greeting.ended", 9'600ms, "some_future_result"),
        greeting("e-g5", "call.machine.greeting.ended", 9'700ms, "another_result")},
       CallStatus::active, 0, "some_future_result"},
      {"still_ringing", {initiated}, CallStatus::ringing, 0},
      {"still_active", {initiated, answered}, CallStatus::active, 0},
      // Auto-record (record-from-answer): recording from the answer until
      // the call ends or the recording is saved, in any order; a call not
      // dialled so records nothing by itself.
      {"auto_record_rings_unrecorded", {initiated}, CallStatus::ringing, 0, "", true, false},
      {"auto_record_records_while_active", {initiated, answered}, CallStatus::active, 0, "", true, true},
      {"auto_record_machine_answers", {initiated, machine, answered}, CallStatus::active, 0, "", true, true},
      {"auto_record_stops_at_the_hangup",
       {initiated, answered, hangup("e-h", 33'300ms, "normal_clearing", "callee")}, CallStatus::completed, 31, "",
       true, false},
      {"auto_record_saved_after_the_hangup",
       {initiated, answered, hangup("e-h", 63'000ms, "normal_clearing", "callee"), saved}, CallStatus::completed, 60,
       "", true, false},
      // record_stop while the call goes on: Telnyx saves the recording.
      {"auto_record_stopped_and_saved", {initiated, answered, saved}, CallStatus::active, 0, "", true, false},
      {"auto_record_never_answered", {initiated, hangup("e-h", 30'000ms, "timeout", "callee")}, CallStatus::no_answer,
       0, "", true, false},
      {"auto_record_reconciled", {initiated, answered, inferred_end}, CallStatus::completed, 27, "", true, false},
      {"auto_record_dial_failed", {dial_failed}, CallStatus::failed, 0, "", true, false},
      // call.recording.error: the recording failed, the call goes on; it
      // says why, and the flag is off whatever came first.
      {"auto_record_fails",
       {initiated, answered, recording_error("e-re", 9'000ms, "Internal server error")}, CallStatus::active, 0, "",
       true, false, "Telnyx could not save the recording: Internal server error"},
      {"recording_fails_after_the_hangup",
       {initiated, answered, hangup("e-h", 33'300ms, "normal_clearing", "callee"),
        recording_error("e-re", 34'500ms, "Failed to authorize with storage using custom credentials")},
       CallStatus::completed, 31, "", true, false,
       "Telnyx could not save the recording: Failed to authorize with storage using custom credentials"},
      {"two_recording_errors_join",
       {answered, recording_error("e-re1", 9'000ms, "Unsupported backend"),
        recording_error("e-re2", 12'000ms, "Invalid credentials json"), recording_error("e-re3", 13'000ms, "")},
       CallStatus::active, 0, "", true, false, "Telnyx could not save the recording (it gave no reason)"},
  };
}

class CallStateProperty : public ::testing::TestWithParam<Scenario> {};

}  // namespace

TEST_P(CallStateProperty, EveryPermutationGivesTheSameCall) {
  const Scenario& s = GetParam();
  const Call expected = fold(s.events, s.record_from_answer);
  EXPECT_EQ(expected.status, s.status) << s.name;
  EXPECT_EQ(expected.duration, s.duration) << s.name;
  EXPECT_EQ(expected.machine_greeting, s.greeting) << s.name;
  EXPECT_EQ(expected.recording, s.recording) << s.name;
  EXPECT_EQ(expected.recording_error, s.recording_error) << s.name;

  std::vector<std::size_t> order(s.events.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  int permutations = 0;
  do {
    std::vector<CallEvent> seq;
    for (auto i : order) seq.push_back(s.events[i]);
    Call got = base_call(s.record_from_answer);
    bool terminal_seen = false;
    for (const auto& e : seq) {
      apply(got, e);
      if (terminal_seen) {
        EXPECT_TRUE(is_terminal(got.status)) << s.name << ": a terminal status changed back";
      }
      terminal_seen = terminal_seen || is_terminal(got.status);
    }
    EXPECT_EQ(json::encode(got), json::encode(expected)) << s.name << " permutation " << permutations;
    ++permutations;
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_GT(permutations, 0);
}

TEST_P(CallStateProperty, DuplicationsChangeNothing) {
  const Scenario& s = GetParam();
  const Call expected = fold(s.events, s.record_from_answer);
  std::mt19937 rng(12345);
  for (int round = 0; round < 200; ++round) {
    std::vector<CallEvent> seq = s.events;
    const int extra = static_cast<int>(rng() % 8);
    for (int i = 0; i < extra; ++i) seq.push_back(s.events[rng() % s.events.size()]);
    std::shuffle(seq.begin(), seq.end(), rng);
    EXPECT_EQ(json::encode(fold(seq, s.record_from_answer)), json::encode(expected)) << s.name << " round " << round;
  }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, CallStateProperty, ::testing::ValuesIn(scenarios()),
                         [](const auto& param_info) { return param_info.param.name; });

TEST(CallState, LateAnswerAfterHangupSetsTheDuration) {
  Call c = base_call();
  apply(c, ev("i", "call.initiated", 0ms));
  apply(c, hangup("h", 45'000ms, "normal_clearing", "caller"));
  EXPECT_EQ(c.status, CallStatus::canceled);
  EXPECT_EQ(c.duration, 0);
  apply(c, ev("a", "call.answered", 5'000ms));  // delivered late
  EXPECT_EQ(c.status, CallStatus::completed);
  EXPECT_EQ(c.duration, 40);
  ASSERT_TRUE(c.answered_at);
  EXPECT_EQ(*c.answered_at, kT0 + 5'000ms);
}

// A recording started by a command (start_recording sets the flag; no event
// does) is still ended by the call's end and by its saved recording; a call
// not dialled to record from its answer is not shown recording by it.
TEST(CallState, EndsAndSavedRecordingsClearACommandedRecording) {
  Call c = base_call();
  apply(c, ev("a", "call.answered", 1'000ms));
  EXPECT_FALSE(c.recording);
  c.recording = true;  // start_recording
  apply(c, ev("i", "call.initiated", 0ms));  // late, changes nothing of it
  EXPECT_TRUE(c.recording);
  CallEvent saved = ev("s", "call.recording.saved", 9'000ms);
  saved.recording_id = "rec-9";
  apply(c, saved);  // record_stop, then saved
  EXPECT_FALSE(c.recording);
  c.recording = true;  // started again
  apply(c, recording_error("re", 15'000ms, "Internal server error"));  // and failed
  EXPECT_FALSE(c.recording);
  EXPECT_EQ(c.recording_error, "Telnyx could not save the recording: Internal server error");
  c.recording = true;  // started once more
  apply(c, hangup("h", 20'000ms, "normal_clearing", "caller"));
  EXPECT_FALSE(c.recording);
  EXPECT_EQ(c.status, CallStatus::completed);
}

TEST(CallState, DurationIsFlooredToTheSecond) {
  Call c = base_call();
  apply(c, ev("a", "call.answered", 1'001ms));
  apply(c, hangup("h", 3'000ms, "normal_clearing", "callee"));
  EXPECT_EQ(c.duration, 1);  // 1.999 s
  Call d = base_call();
  apply(d, ev("a", "call.answered", 1'000ms));
  apply(d, hangup("h", 3'000ms, "normal_clearing", "callee"));
  EXPECT_EQ(d.duration, 2);
}

TEST(CallState, UnknownAndInformationalEventsChangeNothing) {
  Call c = base_call();
  const std::string before = json::encode(c);
  apply(c, ev("x", "call.speak.started", 1'000ms));
  apply(c, ev("y", "call.some_future_event", 1'000ms));
  apply(c, ev("z", "call.dtmf.received", 1'000ms));
  EXPECT_EQ(json::encode(c), before);
}

TEST(CallState, IdsAreFilledFromEvents) {
  Call c = base_call();
  apply(c, ev("i", "call.initiated", 0ms));
  EXPECT_EQ(c.call_control_id, "v3:ctrl");
  EXPECT_EQ(c.call_session_id, "session-1");
  EXPECT_EQ(c.status, CallStatus::ringing);
  ASSERT_TRUE(c.ringing_at);
}

TEST(CallState, ReconciliationEndsAsFailedWithAReasonUnlessTheCarrierKnew) {
  Call c = base_call();
  apply(c, ev("a", "call.answered", 1'000ms));
  CallEvent r = ev("r", std::string(kEventReconciled), 4'000'000ms);
  r.result = "no event for 3600 s and the carrier could not be asked";
  apply(c, r);
  EXPECT_EQ(c.status, CallStatus::failed);
  EXPECT_EQ(c.failure_reason, r.result);

  Call d = base_call();
  apply(d, ev("a", "call.answered", 1'000ms));
  CallEvent known = r;
  known.hangup_cause = "normal_clearing";
  known.result = "the carrier reports the call is over";
  apply(d, known);
  EXPECT_EQ(d.status, CallStatus::completed);

  // A real hangup that happened earlier wins over the reconciliation.
  apply(c, hangup("h", 30'000ms, "normal_clearing", "callee"));
  EXPECT_EQ(c.status, CallStatus::completed);
  EXPECT_EQ(c.duration, 29);
}

// Telnyx reports its own policy refusals with the callee's cause
// (call_rejected): the SIP code says which it was.
TEST(CallState, RejectionsSayWhoRefusedByTheirSipCode) {
  auto rejected = [](std::string sip) {
    Call c = base_call();
    CallEvent h = hangup("h", 1'000ms, "call_rejected", "callee");
    h.sip_hangup_cause = std::move(sip);
    apply(c, h);
    EXPECT_EQ(c.status, CallStatus::failed);
    return c.failure_reason;
  };
  EXPECT_EQ(rejected("603"), "the far end declined the call (SIP 603)");
  EXPECT_EQ(rejected("403"),
            "Telnyx refused the call (SIP 403): check the outbound voice profile, the caller ID and the destination");
  EXPECT_EQ(rejected("486"), "the far end rejected the call (SIP 486)");
  EXPECT_EQ(rejected(""), "the far end rejected the call");
}

TEST(CallState, ATimeLimitEndsACompletedCallWithoutAFailureReason) {
  Call c = base_call();
  apply(c, ev("a", "call.answered", 1'000ms));
  apply(c, hangup("h", 61'000ms, "time_limit", "callee"));
  EXPECT_EQ(c.status, CallStatus::completed);
  EXPECT_EQ(c.failure_reason, "");  // was "hangup cause time_limit" on a completed call
  EXPECT_EQ(c.duration, 60);
}

// Telnyx gives no reason for a normal_clearing that the callee sent while it
// rang; the state machine derives one, and drops it once the call is known
// to have been answered, whichever came first.
TEST(CallState, ACalleeClearingBeforeAnswerGetsAReason) {
  Call c = base_call();
  apply(c, hangup("h", 3'000ms, "normal_clearing", "callee"));
  EXPECT_EQ(c.status, CallStatus::failed);
  EXPECT_EQ(c.failure_reason, "the callee hung up before answering");
  apply(c, ev("a", "call.answered", 1'000ms));
  EXPECT_EQ(c.status, CallStatus::completed);
  EXPECT_EQ(c.failure_reason, "");

  Call unknown = base_call();
  apply(unknown, hangup("h", 3'000ms, "normal_clearing", "unknown"));
  EXPECT_EQ(unknown.failure_reason, "the call was cleared before it was answered");

  // A reason an end event carries is kept as it is.
  Call reconciled = base_call();
  CallEvent r = ev("r", std::string(kEventReconciled), 4'000ms);
  r.hangup_cause = "normal_clearing";
  r.hangup_source = "callee";
  r.result = "the carrier reports the call is over";
  apply(reconciled, r);
  EXPECT_EQ(reconciled.failure_reason, r.result);
}

TEST(CallState, RandomEventSetsAreOrderFree) {
  // Random subsets of a pool of events, with random times, shuffled and
  // duplicated, against the same set applied in a canonical order.
  std::mt19937 rng(2026);
  const char* causes[] = {"normal_clearing", "user_busy", "timeout", "originator_cancel", "call_rejected", "unspecified"};
  const char* sources[] = {"caller", "callee", "unknown"};
  for (int round = 0; round < 500; ++round) {
    std::vector<CallEvent> pool;
    const int n = 1 + static_cast<int>(rng() % 6);
    for (int i = 0; i < n; ++i) {
      const auto at = std::chrono::milliseconds(rng() % 100'000);
      switch (rng() % 6) {
        case 0: pool.push_back(ev("i" + std::to_string(i), "call.initiated", at)); break;
        case 1: pool.push_back(ev("a" + std::to_string(i), "call.answered", at)); break;
        case 2: pool.push_back(hangup("h" + std::to_string(i), at, causes[rng() % 6], sources[rng() % 3])); break;
        case 3: {
          CallEvent m = ev("m" + std::to_string(i), "call.machine.detection.ended", at);
          m.result = rng() % 2 ? "human" : "machine";
          pool.push_back(m);
          break;
        }
        case 4:
          pool.push_back(recording_error("r" + std::to_string(i), at, rng() % 2 ? "Internal server error" : ""));
          break;
        default: {
          CallEvent s = ev("s" + std::to_string(i), "call.recording.saved", at);
          s.recording_id = "rec-" + std::to_string(rng() % 3);
          pool.push_back(s);
        }
      }
    }
    const bool from_answer = rng() % 2 == 0;
    const Call canonical = fold(pool, from_answer);
    const std::string expected = json::encode(canonical);
    std::vector<CallEvent> seq = pool;
    for (int i = 0; i < 3; ++i) seq.push_back(pool[rng() % pool.size()]);
    std::shuffle(seq.begin(), seq.end(), rng);
    EXPECT_EQ(json::encode(fold(seq, from_answer)), expected) << "round " << round;
    // The flag is what the set says: an answer and no end nor saved recording.
    const bool ends = std::any_of(pool.begin(), pool.end(), [](const CallEvent& e) {
      return e.event_type == "call.hangup" || e.event_type == "call.recording.saved" ||
             e.event_type == "call.recording.error";
    });
    const bool answered = std::any_of(pool.begin(), pool.end(), [](const CallEvent& e) { return e.event_type == "call.answered"; });
    EXPECT_EQ(canonical.recording, from_answer && answered && !ends) << "round " << round;
  }
}
