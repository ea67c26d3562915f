// The simulator's phases on their own (src/sim/plan.hpp): the far end's plan,
// each command's effect on it, answering machine detection, recordings'
// audio and the payload builders. Jitter is 0 here, so every time is exact.
#include <gtest/gtest.h>

#include "json/telnyx_api.hpp"
#include "sim/amd.hpp"
#include "sim/command_effects.hpp"
#include "sim/far_end.hpp"
#include "sim/payloads.hpp"
#include "sim/timeline.hpp"
#include "sim_test_util.hpp"

using namespace callwire;
using namespace callwire::sim;
using namespace std::chrono_literals;
using callwire::test::make_dial;
using callwire::test::sim_start;

namespace {

Timings exact() {
  Timings t;
  t.jitter = 0us;
  return t;
}

struct Fixture {
  Timings timings = exact();
  KeyedRandom random{7};
  Delays delay{timings, random};
  Options options;
  Dial dial = make_dial("+12125551234");
  Ids ids{"v3:call", "leg", "session", "rec-answer"};

  Plan far_end(const std::string& to) {
    dial.to = to;
    return plan_far_end(dial, scenario_for(to), options, delay);
  }
  CommandContext context() const { return CommandContext{dial, ids, delay}; }
};

}  // namespace

// ---------------------------------------------------------------------------
// Phase 1: the far end

TEST(FarEnd, EachScenarioAnswersAndEndsAsDocumented) {
  Fixture f;
  const Timings& T = f.timings;
  Plan busy = f.far_end("+12125550000");
  EXPECT_EQ(busy.initiated, T.initiated);
  EXPECT_FALSE(busy.answered);
  EXPECT_EQ(busy.end.at, T.busy);
  EXPECT_EQ(busy.end.cause, "user_busy");
  EXPECT_EQ(busy.end.sip, "486");

  f.dial.timeout_secs = 25;
  Plan ring = f.far_end("+12125550001");
  EXPECT_EQ(ring.end.at, Micros(25s));
  EXPECT_EQ(ring.end.cause, "timeout");
  EXPECT_EQ(ring.end.source, "caller");

  Plan rejected = f.far_end("+12125550002");
  EXPECT_EQ(rejected.end.at, T.rejected);
  EXPECT_EQ(rejected.end.sip, "603");

  Plan machine = f.far_end("+12125550003");
  ASSERT_TRUE(machine.answered);
  EXPECT_EQ(*machine.answered, T.machine_answer);
  EXPECT_EQ(machine.end.at, T.machine_answer + T.machine_greeting + T.machine_message);
  EXPECT_EQ(machine.end.source, "callee");

  Plan callee = f.far_end("+12125550004");
  ASSERT_TRUE(callee.answered);
  EXPECT_EQ(callee.end.at - *callee.answered, T.callee_hangup);
  EXPECT_EQ(callee.end_decided, callee.end.at);
}

TEST(FarEnd, TheTimeLimitCountsFromTheAnswerAndTheCapFromTheDial) {
  Fixture f;
  f.dial.time_limit_secs = 120;
  Plan limited = f.far_end("+12125551234");
  ASSERT_TRUE(limited.answered);
  EXPECT_EQ(limited.end.at - *limited.answered, Micros(120s));
  EXPECT_EQ(limited.end.cause, "time_limit");

  f.options.max_call_duration = 60s;
  Plan capped = f.far_end("+12125551234");
  EXPECT_EQ(capped.end.at, Micros(60s));
  EXPECT_EQ(capped.end.cause, "time_limit");
  EXPECT_EQ(capped.end.key, "hangup/cap");

  // Still ringing at the cap: the call rang out, and was never answered.
  f.options.max_call_duration = 1s;
  Plan rang_out = f.far_end("+12125551234");
  EXPECT_FALSE(rang_out.answered);
  EXPECT_EQ(rang_out.end.cause, "timeout");
  EXPECT_EQ(rang_out.end.sip, "487");
}

TEST(FarEnd, TelnyxsOwnRefusalEndsTheCallBeforeTheFarEnd) {
  Fixture f;
  for (Refusal r : {Refusal::caller_id, Refusal::no_outbound_profile, Refusal::channel_limit}) {
    f.dial.refusal = r;
    Plan p = f.far_end("+12125550003");  // a scenario that would answer
    EXPECT_FALSE(p.answered) << to_string(r);
    EXPECT_EQ(p.end.at, f.timings.refused);
    EXPECT_EQ(p.end.cause, "call_rejected");
    EXPECT_EQ(p.end.sip, "403");
    EXPECT_GT(p.end.at, p.initiated);
  }
  EXPECT_EQ(to_string(Refusal::caller_id), "D35");
  EXPECT_EQ(to_string(Refusal::no_outbound_profile), "D38");
  EXPECT_EQ(to_string(Refusal::channel_limit), "D1");
}

TEST(FarEnd, RecordFromAnswerStartsAtTheAnswerWithTheDialsFormat) {
  Fixture f;
  f.dial.record_format = "wav";
  f.dial.record_channels = "dual";
  const PlannedRecording r = record_from_answer(f.dial, f.ids, 2s);
  EXPECT_EQ(r.id, "rec-answer");
  EXPECT_EQ(r.key, "recording/answer");
  EXPECT_EQ(r.start, Micros(2s));
  EXPECT_EQ(r.format, "wav");
  EXPECT_EQ(r.channels, "dual");
  EXPECT_FALSE(r.stop);
}

// ---------------------------------------------------------------------------
// Phase 2: command effects

TEST(CommandEffects, EachCommandTakesEffectAfterTheOneSentBeforeIt) {
  Fixture f;
  f.timings.jitter = 100ms;  // latencies of 50–250 ms, drawn per command
  std::vector<Command> commands;
  for (int i = 0; i < 50; ++i) commands.push_back(Command{CommandKind::dtmf, Micros(3s) + Micros(i), "1", {}, {}});
  const auto t = effect_times(commands, f.delay);
  ASSERT_EQ(t.size(), commands.size());
  for (std::size_t i = 0; i < t.size(); ++i) {
    EXPECT_GE(t[i], commands[i].at + f.timings.command_latency - f.timings.jitter) << i;
    if (i > 0) {
      EXPECT_GT(t[i], t[i - 1]) << i;
    }
  }
}

TEST(CommandEffects, HangupBeforeTheAnswerCancelsAndDropsTheAnswer) {
  Fixture f;
  Plan p = f.far_end("+12125551234");
  p.recordings.push_back(record_from_answer(f.dial, f.ids, *p.answered));
  apply_hangup(p, 100ms, 250ms, "c0");
  EXPECT_FALSE(p.answered);
  EXPECT_TRUE(p.recordings.empty());
  EXPECT_EQ(p.end.cause, "originator_cancel");
  EXPECT_EQ(p.end.sip, "487");
  EXPECT_EQ(p.end.at, p.initiated + 1ms);  // never before call.initiated
  EXPECT_EQ(p.end_decided, Micros(100ms));
  EXPECT_EQ(p.end.key, "hangup/c0");
}

TEST(CommandEffects, HangupAfterTheAnswerCompletes) {
  Fixture f;
  Plan p = f.far_end("+12125551234");
  apply_hangup(p, 10s, 10150ms, "c1");
  ASSERT_TRUE(p.answered);
  EXPECT_EQ(p.end.at, Micros(10150ms));
  EXPECT_EQ(p.end.cause, "normal_clearing");
  EXPECT_EQ(p.end.source, "caller");
  EXPECT_EQ(p.end_decided, Micros(10s));
}

TEST(CommandEffects, RecordingsStopPauseAndResume) {
  Fixture f;
  Plan p = f.far_end("+12125551234");
  apply_record_start(p, 3s, "c0", "mp3", "single", f.random);
  apply_record_pause(p, 4s);
  apply_record_pause(p, 4500ms);  // already paused: no second pause
  apply_record_resume(p, 5s);
  apply_record_stop(p, 7900ms, 8s);
  apply_record_pause(p, 9s);  // stopped: nothing to pause
  ASSERT_EQ(p.recordings.size(), 1u);
  const PlannedRecording& r = p.recordings[0];
  EXPECT_EQ(r.id, f.random.uuid_v4("recording/c0"));
  ASSERT_EQ(r.pauses.size(), 1u);
  EXPECT_EQ(r.pauses[0].first, Micros(4s));
  EXPECT_EQ(r.pauses[0].second, Micros(5s));
  EXPECT_EQ(r.stop, Micros(8s));
  EXPECT_EQ(r.stop_command, Micros(7900ms));
}

TEST(CommandEffects, SpeechQueuesAndPlaybackReplaces) {
  Fixture f;
  Plan p = f.far_end("+12125551234");
  apply_speak(p, 3s, "c0", std::string(100, 'a'), f.timings);  // 6.5 s of speech
  apply_speak(p, 4s, "c1", "hi", f.timings);                   // at least 1 s, after the first
  ASSERT_EQ(p.media.size(), 2u);
  EXPECT_EQ(p.media[0].natural_end, Micros(3s) + 100 * f.timings.speak_per_char);
  EXPECT_EQ(p.media[1].start, p.media[0].natural_end);
  EXPECT_EQ(p.media[1].natural_end - p.media[1].start, Micros(1s));

  apply_playback_start(p, 5s, "c2", "https://example.test/a.wav", f.timings);
  apply_playback_start(p, 6s, "c3", "https://example.test/b.wav", f.timings);
  apply_playback_stop(p, 7s);
  ASSERT_EQ(p.media.size(), 4u);
  EXPECT_EQ(p.media[2].stop, Micros(6s));  // replaced by the second file
  EXPECT_EQ(p.media[3].stop, Micros(7s));
  EXPECT_EQ(p.media[3].media_url, "https://example.test/b.wav");
  EXPECT_FALSE(p.media[0].stop);  // playback_stop leaves speech alone
}

TEST(CommandEffects, TransferLegsFollowTheirTargetsScenario) {
  Fixture f;
  Plan p = f.far_end("+12125551234");
  apply_transfer(p, 3s, "c0", "+13125550000", "", f.context());
  apply_transfer(p, 4s, "c1", "+13125550001", "+15550100111", f.context());
  apply_transfer(p, 5s, "c2", "+13125559999", "", f.context());
  ASSERT_EQ(p.legs.size(), 3u);
  ASSERT_TRUE(p.legs[0].fail);
  EXPECT_EQ(p.legs[0].fail->cause, "user_busy");
  EXPECT_EQ(p.legs[0].fail->at, Micros(3s) + f.timings.busy);
  EXPECT_EQ(p.legs[0].from, f.dial.from);  // no from: the call's caller ID
  EXPECT_EQ(p.legs[0].ids.call_session_id, "session");
  EXPECT_NE(p.legs[0].ids.call_control_id, f.ids.call_control_id);
  EXPECT_EQ(p.legs[1].fail->at, Micros(4s) + f.timings.transfer_timeout);
  EXPECT_EQ(p.legs[1].from, "+15550100111");
  EXPECT_EQ(p.legs[2].answer, Micros(5s) + f.timings.answer);
  EXPECT_FALSE(p.legs[2].fail);
  // A leg is over at its own failure, else with the call.
  EXPECT_EQ(leg_end(p.legs[0], p.end), p.legs[0].fail->at);
  EXPECT_EQ(leg_end(p.legs[2], p.end), p.end.at);
}

// ---------------------------------------------------------------------------
// Answering machine detection

TEST(Amd, OutcomeForEachModeAndFarEnd) {
  EXPECT_FALSE(amd_outcome(Scenario::answered, AmdMode::disabled));
  EXPECT_FALSE(amd_outcome(Scenario::busy, AmdMode::detect));  // never answered

  auto human = amd_outcome(Scenario::answered, AmdMode::detect);
  ASSERT_TRUE(human);
  EXPECT_EQ(human->detection_event, "call.machine.detection.ended");
  EXPECT_EQ(human->result, "human");
  EXPECT_FALSE(human->machine);
  EXPECT_FALSE(human->greeting_event);

  auto machine = amd_outcome(Scenario::machine, AmdMode::detect);
  ASSERT_TRUE(machine);
  EXPECT_EQ(machine->result, "machine");
  EXPECT_FALSE(machine->greeting_event);  // detect reports no greeting
  for (AmdMode m : {AmdMode::greeting_end, AmdMode::detect_words, AmdMode::detect_beep}) {
    auto o = amd_outcome(Scenario::machine, m);
    ASSERT_TRUE(o);
    EXPECT_EQ(o->greeting_event, "call.machine.greeting.ended") << to_string(m);
  }

  auto premium_human = amd_outcome(Scenario::answered, AmdMode::premium);
  EXPECT_EQ(premium_human->detection_event, "call.machine.premium.detection.ended");
  EXPECT_EQ(premium_human->result, "human_residence");
  auto premium_machine = amd_outcome(Scenario::machine, AmdMode::premium);
  EXPECT_EQ(premium_machine->greeting_event, "call.machine.premium.greeting.ended");

  // Fax, silence and a business: the results standard detection does not have
  // fall back to its nearest one; none of them beeps.
  EXPECT_EQ(amd_outcome(Scenario::fax, AmdMode::detect)->result, "machine");
  EXPECT_EQ(amd_outcome(Scenario::fax, AmdMode::premium)->result, "fax_detected");
  EXPECT_EQ(amd_outcome(Scenario::silence, AmdMode::greeting_end)->result, "not_sure");
  EXPECT_EQ(amd_outcome(Scenario::silence, AmdMode::premium)->result, "silence");
  EXPECT_EQ(amd_outcome(Scenario::business, AmdMode::detect)->result, "human");
  EXPECT_EQ(amd_outcome(Scenario::business, AmdMode::premium)->result, "human_business");
  for (Scenario sc : {Scenario::fax, Scenario::silence, Scenario::business}) {
    EXPECT_FALSE(amd_outcome(sc, AmdMode::greeting_end)->greeting_event) << to_string(sc);
  }
  EXPECT_TRUE(amd_outcome(Scenario::silence, AmdMode::detect)->machine);  // the full analysis time
  EXPECT_FALSE(amd_outcome(Scenario::business, AmdMode::detect)->machine);
}

// ---------------------------------------------------------------------------
// Recordings and payloads

TEST(RecordingInfo, AudioLeavesOutPausesAndStopsAtTheEnd) {
  PlannedRecording r;
  r.id = "r1";
  r.format = "mp3";
  r.channels = "dual";
  r.start = 2s;
  r.pauses = {{4s, 5s}, {9s, std::nullopt}};  // the second pause lasts until the end
  Options o;
  o.wav_only = false;
  o.recording_url_base = "https://demo.test";
  const RecordingInfo info = recording_info(r, /*call_end=*/10s, /*saved_after=*/1200ms, o, sim_start());
  EXPECT_EQ(info.audio, Micros(6s));  // 2→10 s, minus 1 s and 1 s paused
  EXPECT_EQ(info.started_at, sim_start() + 2s);
  EXPECT_EQ(info.ended_at, sim_start() + 10s);
  EXPECT_EQ(info.saved_at, Micros(11200ms));
  EXPECT_EQ(info.format, "mp3");
  EXPECT_EQ(info.url, "https://demo.test/recordings/r1.mp3");

  r.stop = 12s;  // a stop after the end: the end wins
  o.wav_only = true;
  const RecordingInfo wav = recording_info(r, 10s, 0us, o, sim_start());
  EXPECT_EQ(wav.ended_at, sim_start() + 10s);
  EXPECT_EQ(wav.format, "wav");
  EXPECT_EQ(wav.file_name, "r1.wav");
}

TEST(Payloads, QualityStatsOnlyForACallThatTalked) {
  KeyedRandom random(3);
  EXPECT_TRUE(call_quality_stats(random, "k", 0us).is_null());
  const Value q = call_quality_stats(random, "k", 10s);
  ASSERT_TRUE(q.is_object());
  EXPECT_EQ(q.find("inbound")->string_at("packet_count"), "500");  // 20 ms packets
  EXPECT_EQ(q.find("outbound")->string_at("skip_packet_count"), "0");
  EXPECT_EQ(json::telnyx_api::encode(q), json::telnyx_api::encode(call_quality_stats(random, "k", 10s)));  // drawn by key
}

TEST(Payloads, RecordingUrlsNameOnlyTheFormatThatExists) {
  const Value urls = recording_urls("wav", "https://x.test/r.wav");
  EXPECT_TRUE(urls.find("mp3")->is_null());
  EXPECT_EQ(urls.string_at("wav"), "https://x.test/r.wav");
}

TEST(Payloads, EnvelopeBodyIsATelnyxWebhook) {
  Value p = call_base(Ids{"v3:a", "leg", "session", ""}, "conn", Value(nullptr));
  const std::string body = envelope_body("call.answered", "evt-1", sim_start(), std::move(p), "https://hook.test/x");
  const CallEvent e = callwire::test::parse(body);
  EXPECT_EQ(e.id, "evt-1");
  EXPECT_EQ(e.event_type, "call.answered");
  EXPECT_EQ(e.call_control_id, "v3:a");
  auto doc = json::telnyx_api::parse(body);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->find("meta")->string_at("delivered_to"), "https://hook.test/x");
  EXPECT_EQ(doc->find("data")->string_at("occurred_at"), "2026-01-02T03:04:05.678901Z");
  EXPECT_TRUE(doc->find("data")->find("payload")->find("client_state")->is_null());
}
