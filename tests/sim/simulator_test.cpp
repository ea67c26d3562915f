// The call simulator: every scenario's events, their shape (the Telnyx
// fixtures), ids and times, determinism, and what each command causes. Every
// envelope goes through the real webhook parser and the call state machine.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "callwire/json.hpp"
#include "fixtures.hpp"
#include "json/telnyx_api.hpp"
#include "sim/simulator.hpp"
#include "sim_test_util.hpp"

using namespace callwire;
using namespace callwire::test;
using namespace std::chrono_literals;
using sim::Micros;
namespace api = callwire::json::telnyx_api;

namespace {

constexpr std::uint64_t kSeed = 42;

sim::Options opts(double speed = 1.0) {
  sim::Options o;
  o.speed = speed;
  return o;
}

const sim::Envelope& find_type(const std::vector<sim::Envelope>& envs, const std::string& type, const std::string& ccid = {}) {
  for (const auto& e : envs) {
    if (e.event_type == type && (ccid.empty() || e.call_control_id == ccid)) return e;
  }
  ADD_FAILURE() << "no " << type;
  static const sim::Envelope none;
  return none;
}

api::Value payload_of(const sim::Envelope& e) {
  auto doc = api::parse(e.body);
  EXPECT_TRUE(doc.has_value()) << e.body;
  if (!doc) return {};
  const api::Value* data = doc->find("data");
  const api::Value* payload = data ? data->find("payload") : nullptr;
  return payload ? *payload : api::Value();
}

TimePoint ms(sim::SysMicros t) { return TimePoint{std::chrono::floor<std::chrono::milliseconds>(t).time_since_epoch()}; }

// Runs a call to its end with commands at given real times (speed 1).
struct Script {
  sim::SimCall call;
  explicit Script(const sim::Dial& d, sim::Options o = opts()) : call(d, std::move(o), sim_start(), kSeed) {}
  std::vector<sim::Envelope> drain() {
    std::vector<sim::Envelope> all;
    while (auto next = call.next_due()) {
      auto got = call.take_due(*next);
      all.insert(all.end(), got.begin(), got.end());
    }
    return all;
  }
};

}  // namespace

// ---------------------------------------------------------------------------
// Scenarios

TEST(Scenario, ChosenByTheLastFourDigits) {
  EXPECT_EQ(sim::scenario_for("+12125550000"), sim::Scenario::busy);
  EXPECT_EQ(sim::scenario_for("+12125550001"), sim::Scenario::no_answer);
  EXPECT_EQ(sim::scenario_for("+12125550002"), sim::Scenario::rejected);
  EXPECT_EQ(sim::scenario_for("+12125550003"), sim::Scenario::machine);
  EXPECT_EQ(sim::scenario_for("+12125550004"), sim::Scenario::callee_hangup);
  EXPECT_EQ(sim::scenario_for("+12125550005"), sim::Scenario::silence);
  EXPECT_EQ(sim::scenario_for("+12125550006"), sim::Scenario::fax);
  EXPECT_EQ(sim::scenario_for("+12125550007"), sim::Scenario::business);
  EXPECT_EQ(sim::scenario_for("+12125550008"), sim::Scenario::answered);
  EXPECT_EQ(sim::scenario_for("+12125551234"), sim::Scenario::answered);
  EXPECT_EQ(sim::scenario_for("+1 212 555-00-00"), sim::Scenario::busy);  // separators ignored
  EXPECT_EQ(sim::scenario_for("000"), sim::Scenario::answered);           // fewer than four digits
  EXPECT_EQ(sim::scenario_for("+10000"), sim::Scenario::busy);
  EXPECT_EQ(sim::to_string(sim::Scenario::callee_hangup), "callee_hangup");
  EXPECT_EQ(sim::parse_amd_mode("greeting_end"), sim::AmdMode::greeting_end);
  EXPECT_FALSE(sim::parse_amd_mode("on").has_value());
}

struct Expect {
  std::string to;
  sim::AmdMode amd;
  std::vector<std::string> types;
  std::string cause, source, sip;
  CallStatus status;
  std::int64_t duration;  // -1: check against the envelopes' times
};

void PrintTo(const Expect& x, std::ostream* os) { *os << x.to << " amd=" << sim::to_string(x.amd); }

class ScenarioTest : public ::testing::TestWithParam<Expect> {};

TEST_P(ScenarioTest, ProducesTheRightEventsAndFoldsToTheRightCall) {
  const Expect& x = GetParam();
  sim::Dial d = make_dial(x.to);
  d.amd = x.amd;
  const auto envs = sim::simulate(d, opts(), sim_start(), kSeed);
  sim::SimCall call(d, opts(), sim_start(), kSeed);
  const std::string ccid = call.ids().call_control_id;

  EXPECT_EQ(types(envs), x.types);
  const auto& hangup = find_type(envs, "call.hangup");
  const CallEvent h = parse(hangup.body);
  EXPECT_EQ(h.hangup_cause, x.cause);
  EXPECT_EQ(h.hangup_source, x.source);
  EXPECT_EQ(h.sip_hangup_cause, x.sip);
  EXPECT_EQ(h.state, "hangup");

  // Times never go backwards, due = at at speed 1, occurred_at = start + at.
  for (std::size_t i = 0; i < envs.size(); ++i) {
    if (i > 0) {
      EXPECT_LE(envs[i - 1].at, envs[i].at);
    }
    EXPECT_EQ(envs[i].due, envs[i].at);
    EXPECT_EQ(envs[i].occurred_at, sim_start() + envs[i].at);
    EXPECT_EQ(envs[i].call_control_id, ccid);
  }

  Call c = fold(envs, ccid);
  EXPECT_EQ(c.status, x.status) << to_string(c.status);
  EXPECT_EQ(c.call_control_id, ccid);
  EXPECT_EQ(c.call_leg_id, call.ids().call_leg_id);
  EXPECT_EQ(c.call_session_id, call.ids().call_session_id);
  EXPECT_EQ(c.hangup_cause, x.cause);
  if (x.duration >= 0) {
    EXPECT_EQ(c.duration, x.duration);
  } else {
    const auto& answered = find_type(envs, "call.answered");
    EXPECT_EQ(c.duration, whole_seconds(ms(answered.occurred_at), ms(hangup.occurred_at)));
    EXPECT_GT(c.duration, 0);
  }
  if (x.to.ends_with("0003") && x.amd != sim::AmdMode::disabled) {
    EXPECT_EQ(c.machine_detection, "machine");
  }
}

INSTANTIATE_TEST_SUITE_P(
    All, ScenarioTest,
    ::testing::Values(
        Expect{"+12125550000", sim::AmdMode::disabled, {"call.initiated", "call.hangup"}, "user_busy", "callee", "486",
               CallStatus::busy, 0},
        Expect{"+12125550001", sim::AmdMode::disabled, {"call.initiated", "call.hangup"}, "timeout", "caller", "487",
               CallStatus::no_answer, 0},
        Expect{"+12125550002", sim::AmdMode::disabled, {"call.initiated", "call.hangup"}, "call_rejected", "callee", "603",
               CallStatus::failed, 0},
        Expect{"+12125550003", sim::AmdMode::detect,
               {"call.initiated", "call.answered", "call.machine.detection.ended", "call.hangup"}, "normal_clearing",
               "callee", "200", CallStatus::completed, -1},
        Expect{"+12125550003", sim::AmdMode::greeting_end,
               {"call.initiated", "call.answered", "call.machine.detection.ended", "call.machine.greeting.ended",
                "call.hangup"},
               "normal_clearing", "callee", "200", CallStatus::completed, -1},
        Expect{"+12125550003", sim::AmdMode::premium,
               {"call.initiated", "call.answered", "call.machine.premium.detection.ended",
                "call.machine.premium.greeting.ended", "call.hangup"},
               "normal_clearing", "callee", "200", CallStatus::completed, -1},
        Expect{"+12125550003", sim::AmdMode::disabled, {"call.initiated", "call.answered", "call.hangup"},
               "normal_clearing", "callee", "200", CallStatus::completed, -1},
        Expect{"+12125550004", sim::AmdMode::disabled, {"call.initiated", "call.answered", "call.hangup"},
               "normal_clearing", "callee", "200", CallStatus::completed, 5},
        Expect{"+12125550004", sim::AmdMode::detect,
               {"call.initiated", "call.answered", "call.machine.detection.ended", "call.hangup"}, "normal_clearing",
               "callee", "200", CallStatus::completed, 5},
        Expect{"+12125550006", sim::AmdMode::premium,
               {"call.initiated", "call.answered", "call.machine.premium.detection.ended", "call.hangup"},
               "normal_clearing", "callee", "200", CallStatus::completed, 35},
        Expect{"+12125550005", sim::AmdMode::detect,
               {"call.initiated", "call.answered", "call.machine.detection.ended", "call.hangup"}, "time_limit",
               "caller", "200", CallStatus::completed, 14400},
        Expect{"+12125551234", sim::AmdMode::disabled, {"call.initiated", "call.answered", "call.hangup"}, "time_limit",
               "caller", "200", CallStatus::completed, 14400}));

TEST(Simulator, TimingsAreTheDocumentedOnes) {
  const auto t = sim::Timings{};
  for (int seed = 0; seed < 20; ++seed) {
    const auto envs = sim::simulate(make_dial("+12125551234"), opts(), sim_start(), static_cast<std::uint64_t>(seed));
    const auto& init = find_type(envs, "call.initiated");
    const auto& ans = find_type(envs, "call.answered");
    EXPECT_GE(init.at, t.initiated - t.jitter);
    EXPECT_LE(init.at, t.initiated + t.jitter);
    EXPECT_GE(ans.at, t.answer - 2 * t.jitter);  // initiated's jitter + the answer's own
    EXPECT_LE(ans.at, t.answer + 2 * t.jitter);
  }
  // No answer: the dial's ring time.
  sim::Dial d = make_dial("+12125550001");
  d.timeout_secs = 25;
  EXPECT_EQ(find_type(sim::simulate(d, opts(), sim_start(), 1), "call.hangup").at, Micros(25s));
  // …0004: the callee hangs up exactly 5 s after answering.
  const auto envs = sim::simulate(make_dial("+12125550004"), opts(), sim_start(), 1);
  EXPECT_EQ(find_type(envs, "call.hangup").at - find_type(envs, "call.answered").at, Micros(5s));
  // The time limit counts from the answer; max_call_duration caps from the dial.
  d = make_dial("+12125551234");
  d.time_limit_secs = 120;
  auto limited = sim::simulate(d, opts(), sim_start(), 1);
  EXPECT_EQ(find_type(limited, "call.hangup").at - find_type(limited, "call.answered").at, Micros(120s));
  sim::Options capped = opts();
  capped.max_call_duration = 60s;
  limited = sim::simulate(d, capped, sim_start(), 1);
  EXPECT_EQ(find_type(limited, "call.hangup").at, Micros(60s));
  EXPECT_EQ(parse(find_type(limited, "call.hangup").body).hangup_cause, "time_limit");
}

TEST(Simulator, MachineDetectionFollowsTheAnswer) {
  sim::Dial d = make_dial("+12125550003");
  d.amd = sim::AmdMode::greeting_end;
  const auto envs = sim::simulate(d, opts(), sim_start(), kSeed);
  const auto& ans = find_type(envs, "call.answered");
  const auto& det = find_type(envs, "call.machine.detection.ended");
  const auto& greet = find_type(envs, "call.machine.greeting.ended");
  const auto& bye = find_type(envs, "call.hangup");
  EXPECT_LT(ans.at, det.at);
  EXPECT_LT(det.at, greet.at);
  EXPECT_EQ(bye.at - greet.at, sim::Timings{}.machine_message);  // the machine hangs up after its message time
  EXPECT_EQ(parse(det.body).result, "machine");
  EXPECT_EQ(parse(greet.body).result, "beep_detected");
  // A human answering with AMD on gets "human".
  d.to = "+12125557777";
  EXPECT_EQ(parse(find_type(sim::simulate(d, opts(), sim_start(), kSeed), "call.machine.detection.ended").body).result,
            "human");
  d.amd = sim::AmdMode::premium;
  EXPECT_EQ(
      parse(find_type(sim::simulate(d, opts(), sim_start(), kSeed), "call.machine.premium.detection.ended").body).result,
      "human_residence");
}

// Every result Telnyx's detection can give, from a far end that gives it:
// standard detection says human, machine or not_sure; premium says
// human_residence, human_business, machine, silence or fax_detected.
TEST(Simulator, MachineDetectionGivesEveryTelnyxResult) {
  struct Case {
    const char* to;
    sim::AmdMode mode;
    const char* type;
    const char* result;
  };
  const char* standard = "call.machine.detection.ended";
  const char* premium = "call.machine.premium.detection.ended";
  for (const Case& c : {Case{"+12125551234", sim::AmdMode::detect, standard, "human"},
                        Case{"+12125550003", sim::AmdMode::detect, standard, "machine"},
                        Case{"+12125550005", sim::AmdMode::detect, standard, "not_sure"},
                        Case{"+12125550006", sim::AmdMode::detect, standard, "machine"},
                        Case{"+12125550007", sim::AmdMode::detect, standard, "human"},
                        Case{"+12125551234", sim::AmdMode::premium, premium, "human_residence"},
                        Case{"+12125550007", sim::AmdMode::premium, premium, "human_business"},
                        Case{"+12125550003", sim::AmdMode::premium, premium, "machine"},
                        Case{"+12125550005", sim::AmdMode::premium, premium, "silence"},
                        Case{"+12125550006", sim::AmdMode::premium, premium, "fax_detected"}}) {
    sim::Dial d = make_dial(c.to);
    d.amd = c.mode;
    const auto envs = sim::simulate(d, opts(), sim_start(), kSeed);
    const auto& det = find_type(envs, c.type);
    EXPECT_EQ(parse(det.body).result, c.result) << c.to << " " << sim::to_string(c.mode);
    EXPECT_LT(find_type(envs, "call.answered").at, det.at);
    // Only an answering machine beeps.
    for (const auto& e : envs) {
      if (e.event_type.find("greeting.ended") != std::string::npos) {
        EXPECT_EQ(std::string(c.to), "+12125550003") << e.event_type;
      }
    }
    EXPECT_EQ(fold(envs, sim::SimCall(d, opts(), sim_start(), kSeed).ids().call_control_id).machine_detection, c.result);
  }
  // A fax machine gives up 35 s after answering when no fax handshake comes.
  const auto fax = sim::simulate(make_dial("+12125550006"), opts(), sim_start(), kSeed);
  EXPECT_EQ(find_type(fax, "call.hangup").at - find_type(fax, "call.answered").at, sim::Timings{}.fax_hangup);
  EXPECT_EQ(parse(find_type(fax, "call.hangup").body).hangup_source, "callee");
}

// D35, D38 and D1 are Telnyx's own SIP 403 refusals: the dial was accepted,
// then the call ends call_rejected / 403, which callwire must not read as the
// far end's refusal.
TEST(Simulator, TelnyxsOwnRefusalIsACallRejectedWith403) {
  sim::Dial d = make_dial("+12125551234");
  d.refusal = sim::Refusal::caller_id;
  d.record = true;
  d.amd = sim::AmdMode::detect;
  const auto envs = sim::simulate(d, opts(), sim_start(), kSeed);
  EXPECT_EQ(types(envs), (std::vector<std::string>{"call.initiated", "call.hangup"}));
  const CallEvent h = parse(find_type(envs, "call.hangup").body);
  EXPECT_EQ(h.hangup_cause, "call_rejected");
  EXPECT_EQ(h.sip_hangup_cause, "403");
  const Call c = fold(envs, sim::SimCall(d, opts(), sim_start(), kSeed).ids().call_control_id);
  EXPECT_EQ(c.status, CallStatus::failed);
  EXPECT_EQ(c.failure_reason.rfind("Telnyx refused the call (SIP 403)", 0), 0u) << c.failure_reason;
  // The refused call cannot be controlled.
  sim::SimCall call(d, opts(), sim_start(), kSeed);
  EXPECT_EQ(call.hangup(1s).error->code, "90018");
}

// ---------------------------------------------------------------------------
// Shape, ids, times

TEST(Envelope, HasTheShapeOfTheTelnyxFixtures) {
  // Produce every event type the simulator knows.
  sim::Dial d = make_dial("+12125550003");
  d.amd = sim::AmdMode::greeting_end;
  d.record = true;
  sim::SimCall call(d, opts(), sim_start(), kSeed);
  auto all = call.take_due(4s);
  ASSERT_TRUE(call.speak(4s, "Hello there", "female", "en-US", "basic"));
  ASSERT_TRUE(call.playback_start(4s, "https://example.test/a.wav"));
  ASSERT_TRUE(call.hangup(20s));
  while (auto n = call.next_due()) {
    auto more = call.take_due(*n);
    all.insert(all.end(), more.begin(), more.end());
  }
  std::map<std::string, const sim::Envelope*> by_type;
  for (const auto& e : all) by_type.emplace(e.event_type, &e);

  const std::map<std::string, std::string> fixture_for = {
      {"call.initiated", "openapi_call_initiated.json"},
      {"call.answered", "openapi_call_answered.json"},
      {"call.hangup", "openapi_call_hangup.json"},
      {"call.machine.detection.ended", "openapi_call_machine_detection_ended.json"},
      {"call.machine.greeting.ended", "openapi_call_machine_greeting_ended.json"},
      {"call.recording.saved", "openapi_call_recording_saved.json"},
      {"call.speak.started", "openapi_call_speak_started.json"},
      {"call.speak.ended", "openapi_call_speak_ended.json"},
      {"call.playback.started", "openapi_call_playback_started.json"},
      {"call.playback.ended", "openapi_call_playback_ended.json"},
  };
  for (const auto& [type, file] : fixture_for) {
    SCOPED_TRACE(type);
    ASSERT_TRUE(by_type.count(type)) << "not produced";
    const auto fixture = api::parse(test::fixture("telnyx/" + file));
    const auto ours = api::parse(by_type[type]->body);
    ASSERT_TRUE(fixture && ours);
    // The envelope: data {record_type, event_type, id, occurred_at, payload}, meta {attempt, delivered_to}.
    std::vector<std::string> data_keys;
    for (const auto& [k, v] : ours->find("data")->members()) data_keys.push_back(k);
    EXPECT_EQ(data_keys, (std::vector<std::string>{"record_type", "event_type", "id", "occurred_at", "payload"}));
    EXPECT_EQ(ours->find("data")->string_at("record_type"), "event");
    const api::Value* meta = ours->find("meta");
    ASSERT_NE(meta, nullptr);
    EXPECT_EQ(meta->find("attempt")->as_int(), 1);
    EXPECT_EQ(meta->string_at("delivered_to"), "https://example.test/webhooks/call");
    // Every payload field of the fixture is there, with the same JSON kind.
    const api::Value& fp = *fixture->find("data")->find("payload");
    const api::Value& op = *ours->find("data")->find("payload");
    for (const auto& [k, v] : fp.members()) {
      if (k == "media_name") continue;  // we play URLs (media_url), not stored media
      const api::Value* mine = op.find(k);
      ASSERT_NE(mine, nullptr) << "missing payload." << k;
      EXPECT_EQ(mine->kind(), v.kind()) << "payload." << k;
    }
    // Real Telnyx sends call_control_id on every call event (the spec's
    // examples omit it on some).
    EXPECT_TRUE(op.find("call_control_id") != nullptr);
  }
  // The recording's URLs: wav only, under /recordings/.
  const api::Value rec = payload_of(*by_type["call.recording.saved"]);
  const std::string url = rec.find("recording_urls")->string_at("wav");
  EXPECT_TRUE(rec.find("recording_urls")->find("mp3")->is_null());
  EXPECT_EQ(url, "/recordings/" + rec.string_at("recording_id") + ".wav");
  EXPECT_EQ(rec.string_at("format"), "wav");
  EXPECT_EQ(rec.string_at("channels"), "dual");  // the dial named none: Telnyx's default
  EXPECT_EQ(rec.string_at("recording_id"), call.ids().recording_id);
}

// Telnyx fills public_recording_urls only for accounts that asked its support
// for them; every other account gets {} (and the 10-minute recording_urls).
TEST(Envelope, PublicRecordingUrlsAreEmptyUnlessTheAccountHasThem) {
  sim::Dial d = make_dial("+12125550004");
  d.record = true;
  const api::Value usual = payload_of(find_type(sim::simulate(d, opts(), sim_start(), kSeed), "call.recording.saved"));
  const api::Value* none = usual.find("public_recording_urls");
  ASSERT_NE(none, nullptr);
  ASSERT_TRUE(none->is_object());
  EXPECT_TRUE(none->members().empty());
  EXPECT_FALSE(usual.find("recording_urls")->string_at("wav").empty());
  EXPECT_EQ(parse(find_type(sim::simulate(d, opts(), sim_start(), kSeed), "call.recording.saved").body).recording_url,
            usual.find("recording_urls")->string_at("wav"));

  sim::Options with_public = opts();
  with_public.public_recording_urls = true;
  const api::Value asked =
      payload_of(find_type(sim::simulate(d, with_public, sim_start(), kSeed), "call.recording.saved"));
  EXPECT_EQ(asked.find("public_recording_urls")->string_at("wav"), asked.find("recording_urls")->string_at("wav"));
  EXPECT_TRUE(asked.find("public_recording_urls")->find("mp3")->is_null());
}

TEST(Envelope, IdsAndTimesLookReal) {
  const std::regex uuid4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  const std::regex ccid("^v3:[A-Za-z0-9_-]{54}$");
  const std::regex iso("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z$");
  std::set<std::string> event_ids;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    sim::Dial d = make_dial("+12125550004");
    d.record = true;
    sim::SimCall call(d, opts(), sim_start(), seed);
    EXPECT_TRUE(std::regex_match(call.ids().call_control_id, ccid)) << call.ids().call_control_id;
    EXPECT_TRUE(std::regex_match(call.ids().call_leg_id, uuid4));
    EXPECT_TRUE(std::regex_match(call.ids().call_session_id, uuid4));
    EXPECT_TRUE(std::regex_match(call.ids().recording_id, uuid4));
    EXPECT_NE(call.ids().call_leg_id, call.ids().call_session_id);
    for (const auto& e : call.timeline()) {
      EXPECT_TRUE(std::regex_match(e.event_id, uuid4)) << e.event_id;
      EXPECT_TRUE(event_ids.insert(e.event_id).second) << "duplicate event id " << e.event_id;
      const api::Value p = payload_of(e);
      const auto doc = api::parse(e.body);
      const std::string occurred = doc->find("data")->string_at("occurred_at");
      EXPECT_TRUE(std::regex_match(occurred, iso)) << occurred;
      EXPECT_EQ(occurred, sim::format_time_micros(e.occurred_at));
      const CallEvent ev = parse(e.body);
      EXPECT_EQ(ev.id, e.event_id);
      EXPECT_EQ(ev.event_type, e.event_type);
      EXPECT_EQ(ev.occurred_at, ms(e.occurred_at));
      EXPECT_EQ(ev.client_state, d.client_state);
      EXPECT_EQ(ev.connection_id, d.connection_id);
    }
  }
}

// Real call.hangup deliveries carry end_time (the spec's example omits it):
// the moment of the hangup, the same as occurred_at; start_time is the leg's own
// start (the dial for the call, the transfer for a second leg).
TEST(Envelope, EveryHangupCarriesItsEndTime) {
  for (const char* to : {"+12125550000", "+12125550001", "+12125550002", "+12125550003", "+12125550004"}) {
    const auto envs = sim::simulate(make_dial(to), opts(), sim_start(), kSeed);
    const auto& bye = find_type(envs, "call.hangup");
    const api::Value p = payload_of(bye);
    EXPECT_EQ(p.string_at("end_time"), sim::format_time_micros(bye.occurred_at)) << to;
    EXPECT_EQ(p.string_at("start_time"), sim::format_time_micros(sim_start())) << to;
  }
  Script s(make_dial("+12125551234"));
  s.call.take_due(3s);
  ASSERT_TRUE(s.call.transfer(3s, "+12125550000", ""));  // a busy leg, hung up on its own
  ASSERT_TRUE(s.call.transfer(9s, "+12125558888", ""));  // a bridged leg, hung up with the call
  ASSERT_TRUE(s.call.hangup(20s));
  int legs = 0;
  for (const auto& e : s.drain()) {
    if (e.event_type != "call.hangup") continue;
    const api::Value p = payload_of(e);
    EXPECT_EQ(p.string_at("end_time"), sim::format_time_micros(e.occurred_at));
    if (e.call_control_id == s.call.ids().call_control_id) continue;
    ++legs;
    const auto initiated = std::find_if(s.call.timeline().begin(), s.call.timeline().end(), [&](const sim::Envelope& i) {
      return i.call_control_id == e.call_control_id && i.event_type == "call.initiated";
    });
    ASSERT_NE(initiated, s.call.timeline().end());
    EXPECT_EQ(p.string_at("start_time"), payload_of(*initiated).string_at("start_time"));
    EXPECT_NE(p.string_at("start_time"), sim::format_time_micros(sim_start()));
  }
  EXPECT_EQ(legs, 2);
}

TEST(Envelope, FormatsMicroseconds) {
  EXPECT_EQ(sim::format_time_micros(sim_start()), "2026-01-02T03:04:05.678901Z");
  EXPECT_EQ(sim::format_time_micros(sim_start() + 99us), "2026-01-02T03:04:05.679000Z");
  EXPECT_EQ(sim::format_time_micros(sim::SysMicros{}), "1970-01-01T00:00:00.000000Z");
}

TEST(Envelope, NullClientStateWhenTheDialHasNone) {
  sim::Dial d = make_dial("+12125550000");
  d.client_state.reset();
  const auto envs = sim::simulate(d, opts(), sim_start(), kSeed);
  EXPECT_TRUE(payload_of(envs[0]).find("client_state")->is_null());
  EXPECT_FALSE(parse(envs[0].body).client_state.has_value());
  // No webhook_url: Options::delivered_to.
  d.webhook_url.clear();
  const auto doc = api::parse(sim::simulate(d, opts(), sim_start(), kSeed)[0].body);
  EXPECT_EQ(doc->find("meta")->string_at("delivered_to"), "/webhooks/call");
}

TEST(Envelope, WithAttemptRewritesMeta) {
  const auto envs = sim::simulate(make_dial("+12125550000"), opts(), sim_start(), kSeed);
  const std::string again = sim::with_attempt(envs[0].body, 3);
  const auto doc = api::parse(again);
  EXPECT_EQ(doc->find("meta")->find("attempt")->as_int(), 3);
  EXPECT_EQ(doc->find("meta")->string_at("delivered_to"), "https://example.test/webhooks/call");
  EXPECT_EQ(parse(again).id, envs[0].event_id);
  EXPECT_EQ(sim::with_attempt("not json", 2), "not json");
}

TEST(Determinism, SameSeedSameBytesOtherSeedOtherIds) {
  sim::Dial d = make_dial("+12125550003");
  d.amd = sim::AmdMode::detect;
  d.record = true;
  const auto a = sim::simulate(d, opts(), sim_start(), 7);
  const auto b = sim::simulate(d, opts(), sim_start(), 7);
  const auto c = sim::simulate(d, opts(), sim_start(), 8);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].body, b[i].body);
    EXPECT_EQ(a[i].at, b[i].at);
  }
  EXPECT_NE(a[0].event_id, c[0].event_id);
  EXPECT_NE(a[0].call_control_id, c[0].call_control_id);
  // The same commands at the same times give the same bytes too.
  auto run = [&](std::uint64_t seed) {
    sim::SimCall call(make_dial("+12125551234"), opts(), sim_start(), seed);
    EXPECT_TRUE(call.record_start(3s, "wav", "dual"));
    EXPECT_TRUE(call.speak(4s, "Your appointment is tomorrow", "female", "en-US", "basic"));
    EXPECT_TRUE(call.hangup(9s));
    return call.timeline();
  };
  const auto x = run(11);
  const auto y = run(11);
  ASSERT_EQ(x.size(), y.size());
  for (std::size_t i = 0; i < x.size(); ++i) EXPECT_EQ(x[i].body, y[i].body);
}

TEST(Speed, ScalesEveryDelayButNotTheSimulatedTimes) {
  const auto slow = sim::simulate(make_dial("+12125550004"), opts(1), sim_start(), kSeed);
  const auto fast = sim::simulate(make_dial("+12125550004"), opts(100), sim_start(), kSeed);
  ASSERT_EQ(slow.size(), fast.size());
  for (std::size_t i = 0; i < slow.size(); ++i) {
    EXPECT_EQ(slow[i].body, fast[i].body);  // same occurred_at: the call lasts 5 s either way
    EXPECT_EQ(fast[i].due, Micros((slow[i].at.count() + 99) / 100));
  }
  sim::SimCall call(make_dial("+12125551234"), opts(1000), sim_start(), kSeed);
  EXPECT_EQ(call.simulated(5ms), Micros(5s));
  EXPECT_EQ(call.real(5s), Micros(5ms));
}

// ---------------------------------------------------------------------------
// Commands

TEST(Commands, HangupBeforeAnswerCancels) {
  Script s(make_dial("+12125551234"));
  auto first = s.call.take_due(1s);
  ASSERT_EQ(types(first), (std::vector<std::string>{"call.initiated"}));
  ASSERT_TRUE(s.call.hangup(1s));
  auto rest = s.drain();
  ASSERT_EQ(types(rest), (std::vector<std::string>{"call.hangup"}));
  const CallEvent h = parse(rest[0].body);
  EXPECT_EQ(h.hangup_cause, "originator_cancel");
  EXPECT_EQ(h.hangup_source, "caller");
  EXPECT_EQ(h.sip_hangup_cause, "487");
  EXPECT_TRUE(payload_of(rest[0]).find("call_quality_stats")->is_null());
  first.insert(first.end(), rest.begin(), rest.end());
  const Call c = fold(first, s.call.ids().call_control_id);
  EXPECT_EQ(c.status, CallStatus::canceled);
  EXPECT_EQ(c.duration, 0);
  EXPECT_FALSE(s.call.status(2s).is_alive);
}

TEST(Commands, HangupRightAfterTheDialStillComesAfterInitiated) {
  sim::SimCall call(make_dial("+12125551234"), opts(), sim_start(), kSeed);
  ASSERT_TRUE(call.hangup(0us));
  EXPECT_EQ(types(call.timeline()), (std::vector<std::string>{"call.initiated", "call.hangup"}));
  EXPECT_LT(call.timeline()[0].at, call.timeline()[1].at);
  EXPECT_EQ(fold(call.timeline(), call.ids().call_control_id).status, CallStatus::canceled);
}

TEST(Commands, HangupAfterAnswerCompletes) {
  Script s(make_dial("+12125551234"));
  auto all = s.call.take_due(3s);
  ASSERT_EQ(types(all), (std::vector<std::string>{"call.initiated", "call.answered"}));
  EXPECT_EQ(s.call.status(3s).state, "answered");
  EXPECT_TRUE(s.call.status(3s).is_alive);
  ASSERT_TRUE(s.call.hangup(12s));
  auto rest = s.drain();
  all.insert(all.end(), rest.begin(), rest.end());
  ASSERT_EQ(types(all), (std::vector<std::string>{"call.initiated", "call.answered", "call.hangup"}));
  const CallEvent h = parse(all[2].body);
  EXPECT_EQ(h.hangup_cause, "normal_clearing");
  EXPECT_EQ(h.hangup_source, "caller");
  const api::Value hangup_payload = payload_of(all[2]);
  const api::Value* quality = hangup_payload.find("call_quality_stats");
  ASSERT_TRUE(quality && quality->is_object());
  EXPECT_FALSE(quality->find("inbound")->string_at("mos").empty());
  // The hangup comes command_latency (±jitter) after the command.
  const auto t = sim::Timings{};
  EXPECT_GE(all[2].at, Micros(12s) + t.command_latency - t.jitter);
  EXPECT_LE(all[2].at, Micros(12s) + t.command_latency + t.jitter);
  const Call c = fold(all, s.call.ids().call_control_id);
  EXPECT_EQ(c.status, CallStatus::completed);
  EXPECT_EQ(c.duration, whole_seconds(ms(all[1].occurred_at), ms(all[2].occurred_at)));
  EXPECT_GE(c.duration, 9);
  const auto st = s.call.status(20s);
  EXPECT_FALSE(st.is_alive);
  EXPECT_EQ(st.state, "hangup");
  EXPECT_EQ(st.call_duration, 12);
  ASSERT_TRUE(st.end_time.has_value());
  EXPECT_EQ(*st.end_time, all[2].occurred_at);
}

TEST(Commands, AfterTheEndAnswer90018) {
  Script s(make_dial("+12125550000"));
  s.drain();
  for (auto r : {s.call.hangup(10s), s.call.speak(10s, "hi", "female", "en-US", "basic"), s.call.record_stop(10s),
                 s.call.send_dtmf(10s, "1")}) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error->http_status, 422);
    EXPECT_EQ(r.error->code, "90018");
    EXPECT_EQ(r.error->title, "Call has already ended");
  }
  // Once a hangup was accepted, the call counts as ended even before its webhook.
  Script t(make_dial("+12125551234"));
  t.call.take_due(3s);
  ASSERT_TRUE(t.call.hangup(3s));
  auto again = t.call.hangup(3s);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error->code, "90018");
}

TEST(Commands, BeforeTheAnswerAnswer90034) {
  sim::SimCall call(make_dial("+12125551234"), opts(), sim_start(), kSeed);
  auto r = call.speak(500ms, "hi", "female", "en-US", "basic");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error->code, "90034");
  r = call.record_start(500ms, "wav", "single");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error->code, "90020");
  r = call.transfer(500ms, "+12125557777", "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error->code, "90034");
  EXPECT_EQ(call.status(500ms).state, "bridging");
}

TEST(Commands, ParametersAreCheckedFirst) {
  sim::SimCall call(make_dial("+12125551234"), opts(), sim_start(), kSeed);
  auto expect = [](sim::CommandResult r, const char* code, const char* pointer) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error->code, code);
    EXPECT_EQ(r.error->source_pointer, pointer);
  };
  expect(call.send_dtmf(5s, ""), "10004", "/digits");
  expect(call.send_dtmf(5s, "12x"), "10015", "/digits");
  expect(call.speak(5s, "", "female", "en-US", "basic"), "10004", "/payload");
  expect(call.speak(5s, "hi", "", "en-US", "basic"), "10004", "/voice");
  // Telnyx's default service level is premium, where male and female do not exist.
  expect(call.speak(5s, "hi", "female", "en-US", ""), "10015", "/voice");
  expect(call.speak(5s, "hi", "male", "", "premium"), "10015", "/voice");
  expect(call.speak(5s, "hi", "female", "de-DE", "basic"), "10015", "/language");
  expect(call.speak(5s, "hi", "Polly.Joanna", "", "gold"), "10032", "/service_level");
  expect(call.playback_start(5s, ""), "10004", "/audio_url");
  expect(call.playback_start(5s, "ftp://x/a.wav"), "10015", "/audio_url");
  expect(call.transfer(5s, "", ""), "10004", "/to");
  expect(call.transfer(5s, "12345", ""), "10016", "/to");
  expect(call.transfer(5s, "+12125557777", "nope"), "10016", "/from");
  expect(call.record_start(5s, "ogg", "single"), "10032", "/format");
  expect(call.record_start(5s, "mp3", "stereo"), "10032", "/channels");
  EXPECT_TRUE(call.send_dtmf(5s, "1234#*w"));
}

TEST(Commands, DtmfCausesNoWebhook) {
  Script s(make_dial("+12125551234"));
  s.call.take_due(3s);
  const auto before = s.call.timeline().size();
  ASSERT_TRUE(s.call.send_dtmf(3s, "123"));
  EXPECT_EQ(s.call.timeline().size(), before);
}

TEST(Commands, EventsAlreadyTakenNeverChange) {
  sim::Dial d = make_dial("+12125550003");
  d.amd = sim::AmdMode::greeting_end;
  d.record = true;
  sim::SimCall call(d, opts(), sim_start(), kSeed);
  const auto taken = call.take_due(8s);
  ASSERT_GE(taken.size(), 3u);
  ASSERT_TRUE(call.speak(8s, "Please call us back", "female", "en-US", "basic"));
  ASSERT_TRUE(call.hangup(9s));
  const auto& tl = call.timeline();
  ASSERT_GE(tl.size(), taken.size());
  for (std::size_t i = 0; i < taken.size(); ++i) EXPECT_EQ(tl[i].body, taken[i].body);
  for (std::size_t i = taken.size(); i < tl.size(); ++i) EXPECT_GT(tl[i].at, Micros(8s));
  // A command with an earlier `now` than a previous one acts at the later time.
  sim::SimCall other(make_dial("+12125551234"), opts(), sim_start(), kSeed);
  other.take_due(5s);
  ASSERT_TRUE(other.hangup(1s));
  ASSERT_EQ(types(other.timeline()), (std::vector<std::string>{"call.initiated", "call.answered", "call.hangup"}));
  EXPECT_EQ(parse(other.timeline().back().body).hangup_cause, "normal_clearing");  // answered before 5 s
  EXPECT_GT(other.timeline().back().at, Micros(5s));
}

TEST(Recording, FromAnswerIsSavedAfterTheHangup) {
  sim::Dial d = make_dial("+12125550004");
  d.record = true;
  d.record_channels = "dual";
  Script s(d);
  const auto all = s.drain();
  EXPECT_EQ(types(all), (std::vector<std::string>{"call.initiated", "call.answered", "call.hangup", "call.recording.saved"}));
  const auto& saved = all[3];
  const CallEvent e = parse(saved.body);
  EXPECT_EQ(e.recording_id, s.call.ids().recording_id);
  EXPECT_EQ(saved.recording_id, s.call.ids().recording_id);
  EXPECT_EQ(e.recording_format, "wav");
  EXPECT_EQ(e.recording_url, "/recordings/" + e.recording_id + ".wav");
  ASSERT_TRUE(e.recording_started_at && e.recording_ended_at);
  EXPECT_EQ(*e.recording_started_at, ms(all[1].occurred_at));
  EXPECT_EQ(*e.recording_ended_at, ms(all[2].occurred_at));
  EXPECT_EQ(payload_of(saved).string_at("channels"), "dual");
  const auto t = sim::Timings{};
  EXPECT_GE(saved.at - all[2].at, t.recording_saved - t.jitter);
  EXPECT_LE(saved.at - all[2].at, t.recording_saved + t.jitter);
  const auto info = s.call.recording(e.recording_id);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->audio, Micros(5s));
  EXPECT_EQ(info->file_name, e.recording_id + ".wav");
  const Call c = fold(all, s.call.ids().call_control_id);
  EXPECT_EQ(c.recording_id, e.recording_id);
  EXPECT_EQ(c.status, CallStatus::completed);
  EXPECT_EQ(c.duration, 5);
}

TEST(Recording, NothingWhenTheCallIsNeverAnswered) {
  sim::Dial d = make_dial("+12125550000");
  d.record = true;
  EXPECT_EQ(types(sim::simulate(d, opts(), sim_start(), kSeed)), (std::vector<std::string>{"call.initiated", "call.hangup"}));
  // Hung up before the answer: no recording either.
  d.to = "+12125551234";
  Script s(d);
  s.call.take_due(1s);
  ASSERT_TRUE(s.call.hangup(1s));
  EXPECT_EQ(types(s.call.timeline()), (std::vector<std::string>{"call.initiated", "call.hangup"}));
  EXPECT_TRUE(s.call.recordings().empty());
}

TEST(Recording, StartStopPauseResume) {
  sim::Options o = opts();
  o.wav_only = false;  // as the fake Telnyx runs it
  Script s(make_dial("+12125551234"), o);
  s.call.take_due(3s);
  ASSERT_TRUE(s.call.record_start(3s, "mp3", "single"));
  ASSERT_TRUE(s.call.record_start(3500ms, "mp3", "single"));  // already recording: no second recording
  ASSERT_TRUE(s.call.record_pause(5s));
  ASSERT_TRUE(s.call.record_pause(5500ms));  // already paused: nothing
  ASSERT_TRUE(s.call.record_resume(7s));
  ASSERT_TRUE(s.call.record_stop(10s));
  ASSERT_TRUE(s.call.record_stop(10500ms));  // nothing to stop
  ASSERT_TRUE(s.call.hangup(15s));
  const auto all = s.drain();
  EXPECT_EQ(types(all), (std::vector<std::string>{"call.recording.saved", "call.hangup"}));
  const CallEvent e = parse(all[0].body);
  EXPECT_EQ(e.recording_format, "mp3");
  EXPECT_EQ(e.recording_url, "/recordings/" + e.recording_id + ".mp3");
  EXPECT_LT(all[0].at, all[1].at);  // saved after record_stop, before the hangup
  const auto recs = s.call.recordings();
  ASSERT_EQ(recs.size(), 1u);
  // 7 s from start to stop (each shifted by its own latency) minus 2 s paused, give or take the jitter.
  const auto t = sim::Timings{};
  EXPECT_GE(recs[0].audio, Micros(5s) - 4 * t.jitter);
  EXPECT_LE(recs[0].audio, Micros(5s) + 4 * t.jitter);
  EXPECT_GE(recs[0].started_at, sim_start() + 3s + t.command_latency - t.jitter);
  EXPECT_LE(recs[0].started_at, sim_start() + 3s + t.command_latency + t.jitter);
  EXPECT_EQ(ms(recs[0].started_at), *parse(all[0].body).recording_started_at);
}

TEST(Recording, CommandsTakeEffectInTheOrderTheyWereSent) {
  // record_start, record_stop and hangup a millisecond apart: whatever the
  // random latencies, none overtakes the one sent before it, so the recording
  // is always saved, with its start before its end.
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    sim::SimCall call(make_dial("+12125551234"), opts(), sim_start(), seed);
    call.take_due(3s);
    ASSERT_TRUE(call.record_start(3s, "wav", "single"));
    ASSERT_TRUE(call.record_stop(3001ms));
    ASSERT_TRUE(call.hangup(3002ms));
    std::vector<sim::Envelope> all;
    while (auto next = call.next_due()) {
      auto got = call.take_due(*next);
      all.insert(all.end(), got.begin(), got.end());
    }
    // The hangup took effect after the stop; the recording is saved later.
    ASSERT_EQ(types(all), (std::vector<std::string>{"call.hangup", "call.recording.saved"})) << "seed " << seed;
    const auto recs = call.recordings();
    ASSERT_EQ(recs.size(), 1u) << "seed " << seed;
    EXPECT_LE(recs[0].started_at, recs[0].ended_at) << "seed " << seed;
    EXPECT_GE(recs[0].audio, Micros(0)) << "seed " << seed;
  }
}

TEST(Media, SpeakStartsAndEnds) {
  Script s(make_dial("+12125551234"));
  s.call.take_due(3s);
  const std::string text = "Hello, this is a reminder from your dentist.";
  ASSERT_TRUE(s.call.speak(3s, text, "female", "en-US", "basic"));
  ASSERT_TRUE(s.call.speak(3s, "Second", "female", "en-US", "basic"));  // queued after the first
  ASSERT_TRUE(s.call.hangup(30s));
  const auto all = s.drain();
  EXPECT_EQ(types(all), (std::vector<std::string>{"call.speak.started", "call.speak.ended", "call.speak.started",
                                                  "call.speak.ended", "call.hangup"}));
  const auto t = sim::Timings{};
  EXPECT_EQ(all[1].at - all[0].at, t.speak_per_char * static_cast<std::int64_t>(text.size()));
  EXPECT_EQ(all[2].at, all[1].at);
  EXPECT_EQ(payload_of(all[1]).string_at("status"), "completed");
  EXPECT_EQ(all[3].at - all[2].at, Micros(1s));  // short texts last at least a second
}

TEST(Media, HangupCutsSpeechAndPlayback) {
  Script s(make_dial("+12125551234"));
  s.call.take_due(3s);
  ASSERT_TRUE(s.call.speak(3s, std::string(300, 'a'), "female", "en-US", "basic"));
  ASSERT_TRUE(s.call.playback_start(3s, "https://example.test/hold.wav"));
  ASSERT_TRUE(s.call.hangup(5s));
  const auto all = s.drain();
  EXPECT_EQ(types(all), (std::vector<std::string>{"call.speak.started", "call.playback.started", "call.speak.ended",
                                                  "call.playback.ended", "call.hangup"}));
  EXPECT_EQ(payload_of(all[2]).string_at("status"), "call_hangup");
  EXPECT_EQ(payload_of(all[3]).string_at("status"), "call_hangup");
  EXPECT_EQ(payload_of(all[1]).string_at("media_url"), "https://example.test/hold.wav");
  EXPECT_EQ(all[3].at, all[4].at);
}

TEST(Media, PlaybackStopAndReplace) {
  Script s(make_dial("+12125551234"));
  s.call.take_due(3s);
  ASSERT_TRUE(s.call.playback_start(3s, "https://example.test/a.wav"));
  ASSERT_TRUE(s.call.playback_start(4s, "https://example.test/b.wav"));  // replaces a
  ASSERT_TRUE(s.call.playback_stop(6s));
  ASSERT_TRUE(s.call.playback_stop(7s));  // nothing playing: fine
  ASSERT_TRUE(s.call.playback_start(8s, "https://example.test/c.wav"));
  ASSERT_TRUE(s.call.hangup(20s));
  const auto all = s.drain();
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& e : all) {
    if (e.event_type == "call.playback.ended") got.emplace_back(payload_of(e).string_at("media_url"), payload_of(e).string_at("status"));
  }
  EXPECT_EQ(got, (std::vector<std::pair<std::string, std::string>>{{"https://example.test/a.wav", "cancelled"},
                                                                   {"https://example.test/b.wav", "cancelled"},
                                                                   {"https://example.test/c.wav", "completed"}}));
}

TEST(Transfer, BridgesANewLegThatEndsWithTheCall) {
  Script s(make_dial("+12125551234"));
  auto all = s.call.take_due(3s);
  ASSERT_TRUE(s.call.transfer(3s, "+12125558888", ""));
  auto second = s.call.transfer(4s, "+12125559999", "");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error->code, "90033");
  ASSERT_TRUE(s.call.hangup(20s));
  auto rest = s.drain();
  all.insert(all.end(), rest.begin(), rest.end());
  const std::string a = s.call.ids().call_control_id;
  std::string b;
  for (const auto& e : all) {
    if (e.call_control_id != a) b = e.call_control_id;
  }
  ASSERT_FALSE(b.empty());
  EXPECT_EQ(types(all, a), (std::vector<std::string>{"call.initiated", "call.answered", "call.bridged", "call.hangup"}));
  EXPECT_EQ(types(all, b), (std::vector<std::string>{"call.initiated", "call.answered", "call.bridged", "call.hangup"}));
  const CallEvent leg = parse(find_type(all, "call.initiated", b).body);
  EXPECT_EQ(leg.to, "+12125558888");
  EXPECT_EQ(leg.from, "+15550100999");
  EXPECT_EQ(leg.call_session_id, s.call.ids().call_session_id);
  EXPECT_NE(leg.call_leg_id, s.call.ids().call_leg_id);
  EXPECT_FALSE(leg.client_state.has_value());
  EXPECT_EQ(fold(all, a).status, CallStatus::completed);
  EXPECT_EQ(fold(all, b).status, CallStatus::completed);
}

TEST(Transfer, ToABusyNumberFailsAndTheCallStays) {
  Script s(make_dial("+12125551234"));
  s.call.take_due(3s);
  ASSERT_TRUE(s.call.transfer(3s, "+12125550000", "+15550100111"));
  auto mid = s.call.take_due(8s);
  ASSERT_EQ(types(mid), (std::vector<std::string>{"call.initiated", "call.hangup"}));
  EXPECT_EQ(parse(mid[1].body).hangup_cause, "user_busy");
  EXPECT_NE(mid[1].call_control_id, s.call.ids().call_control_id);
  EXPECT_TRUE(s.call.status(8s).is_alive);
  ASSERT_TRUE(s.call.transfer(8s, "+12125557777", ""));  // another try is allowed now
  ASSERT_TRUE(s.call.hangup(20s));
  const auto rest = s.drain();
  EXPECT_EQ(types(rest, s.call.ids().call_control_id), (std::vector<std::string>{"call.bridged", "call.hangup"}));
}

TEST(RecordingError, ReplacesASavedEnvelope) {
  sim::Dial d = make_dial("+12125550004");
  d.record = true;
  sim::SimCall call(d, opts(), sim_start(), kSeed);
  const auto& saved = find_type(call.timeline(), "call.recording.saved");
  const auto err = call.recording_error(saved, "Internal server error");
  const CallEvent e = parse(err.body);
  EXPECT_EQ(e.event_type, "call.recording.error");
  EXPECT_NE(e.id, saved.event_id);
  EXPECT_EQ(e.call_control_id, call.ids().call_control_id);
  EXPECT_EQ(payload_of(err).string_at("reason"), "Internal server error");
  EXPECT_EQ(e.occurred_at, ms(saved.occurred_at));
}

TEST(Fold, OrderOfEventsDoesNotMatter) {
  sim::Dial d = make_dial("+12125550003");
  d.amd = sim::AmdMode::detect;
  d.record = true;
  auto envs = sim::simulate(d, opts(), sim_start(), kSeed);
  const std::string ccid = envs[0].call_control_id;
  const Call forward = fold(envs, ccid);
  std::reverse(envs.begin(), envs.end());
  const Call backward = fold(envs, ccid);
  EXPECT_EQ(json::encode(forward), json::encode(backward));
}
