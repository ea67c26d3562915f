// CallControls on its own (src/client/call_controls.hpp) with a
// ScriptedCarrier: the controls of an active call — recording pause and
// resume, speech, playback — send exactly one carrier command each, refuse
// what Telnyx would refuse before sending anything, and report the
// carrier's refusals as CarrierError.
#include <gtest/gtest.h>

#include "callwire/contact_store.hpp"
#include "callwire/error.hpp"
#include "callwire/number_store.hpp"
#include "callwire/user_store.hpp"
#include "client/call_controls.hpp"
#include "client/carrier_selector.hpp"
#include "client/dialer.hpp"
#include "part_fixture.hpp"
#include "scripted_carrier.hpp"

namespace callwire {
namespace {

using test::ScriptedCarrier;

class CallControlsTest : public test::PartTest {
 protected:
  void SetUp() override {
    PartTest::SetUp();
    numbers_ = std::make_unique<NumberStore>(*storage_);
    contacts_ = std::make_unique<ContactStore>(*storage_);
    users_ = std::make_unique<UserStore>(*storage_);
    selector_ = std::make_unique<client::CarrierSelector>(options_, demo_, [this](const Settings&) { return live_; });
    Settings s;
    s.api_key = "KEY_live";
    selector_->apply(s);
    dialer_ = std::make_unique<client::Dialer>(pool_, *logs_, *numbers_, *contacts_, *users_, *tracker_, *selector_, counters_,
                                               client::DialTimings{}, closed_, token_);
    controls_ = std::make_unique<client::CallControls>(*logs_, *tracker_, *selector_, counters_, *dialer_, pending_,
                                                       std::chrono::milliseconds(100));
  }
  void TearDown() override {
    controls_.reset();
    dialer_.reset();
    selector_.reset();
    PartTest::TearDown();
  }

  Call answered(const std::string& control_id) {
    Call c = new_call(control_id);
    tracker_->fold_into(c.call_id, event(c, "call.answered", 2), true);
    return logs_->get(c.call_id);
  }

  Speech speech(std::string text, std::string voice = {}, std::string language = {}, std::string payload_type = {}) {
    return Speech{std::move(text), std::move(voice), std::move(language), std::move(payload_type), {}};
  }

  template <class F>
  static Error error_of(F f) {
    try {
      f();
    } catch (const Error& e) {
      return e;
    }
    ADD_FAILURE() << "no callwire::Error was thrown";
    return Error(errc::ok, "");
  }

  CallClientOptions options_;
  std::shared_ptr<ScriptedCarrier> demo_ = std::make_shared<ScriptedCarrier>(true);
  std::shared_ptr<ScriptedCarrier> live_ = std::make_shared<ScriptedCarrier>(false);
  client::ClientCounters counters_;
  client::PendingHangups pending_;
  std::atomic<bool> closed_{false};
  std::shared_ptr<int> token_ = std::make_shared<int>(0);
  std::unique_ptr<NumberStore> numbers_;
  std::unique_ptr<ContactStore> contacts_;
  std::unique_ptr<UserStore> users_;
  std::unique_ptr<client::CarrierSelector> selector_;
  std::unique_ptr<client::Dialer> dialer_;
  std::unique_ptr<client::CallControls> controls_;
};

TEST_F(CallControlsTest, PauseAndResumeSendOneCommandEachAndTheCallShowsThePause) {
  const Call c = answered("v3:rec");
  EXPECT_TRUE(controls_->set_recording(c.call_id, true).recording);
  const Call paused = controls_->set_recording_paused(c.call_id, true);
  EXPECT_TRUE(paused.recording);
  EXPECT_TRUE(paused.recording_paused);
  EXPECT_TRUE(logs_->get(c.call_id).recording_paused);  // stored, not only answered
  EXPECT_FALSE(controls_->set_recording_paused(c.call_id, false).recording_paused);
  EXPECT_TRUE(controls_->set_recording_paused(c.call_id, true).recording_paused);
  // Stopping ends the pause with the recording; a new one starts unpaused.
  const Call stopped = controls_->set_recording(c.call_id, false);
  EXPECT_FALSE(stopped.recording);
  EXPECT_FALSE(stopped.recording_paused);
  EXPECT_EQ(live_->ops(), (std::vector<std::string>{"record_start v3:rec wav dual", "record_pause v3:rec",
                                                    "record_resume v3:rec", "record_pause v3:rec", "record_stop v3:rec"}));
  // Each change was published, the pause among them.
  bool published_pause = false;
  for (const auto& u : updates_.wait(6)) published_pause = published_pause || u.call.recording_paused;
  EXPECT_TRUE(published_pause);
}

// One setting says how recordings are made, for record_start and for a dial
// that records from the answer: not set, Telnyx's default (dual); saved
// "single", single.
TEST_F(CallControlsTest, RecordingChannelsFollowTheSetting) {
  numbers_->create(PhoneNumber{"", "+13125550000", "main", "active", true, {}});
  DialOptions record;
  record.record = true;
  const Call first = answered("v3:ch-default");
  controls_->set_recording(first.call_id, true);
  std::vector<Call> dialled{dialer_->dial("+12125550181", "", record)};

  Settings s;
  s.api_key = "KEY_live";
  s.recording_channels = "single";
  selector_->apply(s);
  const Call second = answered("v3:ch-single");
  controls_->set_recording(second.call_id, true);
  dialled.push_back(dialer_->dial("+12125550182", "", record));
  dialled.push_back(dialer_->dial("+12125550183", "", DialOptions{}));  // auto_record off, not asked: no recording
  for (const Call& c : dialled) {  // each dial's answer stored (before the parts go away)
    EXPECT_FALSE(tracker_->wait_for(c.call_id, std::chrono::seconds(10), [](const Call& x) {
                             return !x.call_control_id.empty();
                           }).call_control_id.empty());
  }

  EXPECT_EQ(live_->ops().at(0), "record_start v3:ch-default wav dual");
  EXPECT_EQ(live_->ops().at(2), "record_start v3:ch-single wav single");
  const auto dials = live_->dials();
  ASSERT_EQ(dials.size(), 3u);
  EXPECT_TRUE(dials[0].record);
  EXPECT_EQ(dials[0].record_channels, "dual");
  EXPECT_TRUE(dials[1].record);
  EXPECT_EQ(dials[1].record_channels, "single");
  EXPECT_FALSE(dials[2].record);
}

TEST_F(CallControlsTest, SpeechGoesOutAsTheSpecWantsIt) {
  const Call c = answered("v3:say");
  EXPECT_EQ(controls_->speak(c.call_id, speech("Hello")).call_id, c.call_id);
  controls_->speak(c.call_id, speech("<speak>Hallo</speak>", "AWS.Polly.Marlene-Neural", "de-DE", "ssml"));
  controls_->speak(c.call_id, speech("Hi", "male"));
  EXPECT_EQ(live_->ops(), (std::vector<std::string>{
                              "speak v3:say 'Hello' female en-US basic text",
                              "speak v3:say '<speak>Hallo</speak>' AWS.Polly.Marlene-Neural de-DE premium ssml",
                              "speak v3:say 'Hi' male en-US basic text",
                          }));
  EXPECT_FALSE(logs_->get(c.call_id).recording);  // speech changes nothing on the call
}

TEST_F(CallControlsTest, PlaybackStartsAndStops) {
  const Call c = answered("v3:play");
  controls_->start_playback(c.call_id, "https://example.com/voicemail.mp3");
  controls_->stop_playback(c.call_id);
  EXPECT_EQ(live_->ops(),
            (std::vector<std::string>{"playback_start v3:play https://example.com/voicemail.mp3", "playback_stop v3:play"}));
}

TEST_F(CallControlsTest, WhatTelnyxWouldRefuseIsRefusedBeforeAnythingIsSent) {
  const Call c = answered("v3:bad");
  const struct {
    Speech s;
    const char* message;
  } cases[] = {
      {speech(""), "text: must not be empty: give the words (or SSML) to speak"},
      {speech("Guten Tag", "female", "de-DE"),
       "language: the male and female voices (Telnyx's basic service level) speak en-US only; for de-DE choose a "
       "provider voice, e.g. AWS.Polly.<VoiceId> or Azure.<VoiceId>"},
      {speech("<speak>Hi</speak>", "", "", "ssml"),
       "payload_type: the male and female voices (Telnyx's basic service level) speak plain text only; for SSML choose "
       "a provider voice, e.g. AWS.Polly.<VoiceId> or Azure.<VoiceId>"},
  };
  for (const auto& k : cases) {
    const Error e = error_of([&] { controls_->speak(c.call_id, k.s); });
    EXPECT_EQ(e.code(), errc::invalid_argument) << k.message;
    EXPECT_STREQ(e.what(), k.message);
  }
  // Checked before the call is even looked up.
  EXPECT_EQ(error_of([&] { controls_->speak("no-such-call", speech(std::string(3001, 'a'))); }).code(),
            errc::invalid_argument);
  const Error url = error_of([&] { controls_->start_playback(c.call_id, "ftp://example.com/a.wav"); });
  EXPECT_EQ(url.code(), errc::invalid_argument);
  EXPECT_STREQ(url.what(),
               "audio_url: must be the http:// or https:// URL of an MP3 or WAV file, without spaces (got "
               "'ftp://example.com/a.wav')");
  EXPECT_TRUE(live_->ops().empty());
}

TEST_F(CallControlsTest, BeforeTheAnswerAndAfterTheEndTheyAreConflicts) {
  const Call ringing = new_call("v3:ring");
  tracker_->fold_into(ringing.call_id, event(ringing, "call.initiated", 1), true);
  const Error early = error_of([&] { controls_->speak(ringing.call_id, speech("Hello")); });
  EXPECT_EQ(early.code(), errc::conflict);
  EXPECT_STREQ(early.what(), "cannot speak: the call is not answered yet (ringing); it must be active");
  EXPECT_STREQ(error_of([&] { controls_->set_recording_paused(ringing.call_id, true); }).what(),
               "cannot pause recording: the call is not answered yet (ringing); it must be active");
  EXPECT_STREQ(error_of([&] { controls_->start_playback(ringing.call_id, "https://example.com/a.wav"); }).what(),
               "cannot start playback: the call is not answered yet (ringing); it must be active");

  const Call done = answered("v3:done");
  tracker_->fold_into(done.call_id, event(done, "call.hangup", 9), true);
  const Error late = error_of([&] { controls_->stop_playback(done.call_id); });
  EXPECT_EQ(late.code(), errc::conflict);
  EXPECT_STREQ(late.what(), "cannot stop playback: the call has ended (completed)");
  EXPECT_STREQ(error_of([&] { controls_->set_recording_paused(done.call_id, false); }).what(),
               "cannot resume recording: the call has ended (completed)");

  // Answered, but the carrier never named it (its dial answer was lost and
  // the answer webhook was matched by client_state alone).
  const Call unnamed = answered("");
  const Error unknown = error_of([&] { controls_->speak(unnamed.call_id, speech("Hello")); });
  EXPECT_EQ(unknown.code(), errc::conflict);
  EXPECT_STREQ(unknown.what(), "cannot speak: the carrier has not acknowledged the call yet");
  EXPECT_EQ(error_of([&] { controls_->speak("no-such-call", speech("Hello")); }).code(), errc::not_found);
  EXPECT_TRUE(live_->ops().empty());
}

TEST_F(CallControlsTest, ACarrierRefusalIsACarrierErrorAndChangesNothing) {
  const Call c = answered("v3:no");
  carrier::CarrierError refusal;
  refusal.code = errc::carrier;
  refusal.http_status = 422;
  refusal.telnyx_code = "90034";
  refusal.title = "Call not answered yet";
  refusal.message = "Telnyx: Call not answered yet";
  live_->fail_next = refusal;
  try {
    controls_->set_recording_paused(c.call_id, true);
    FAIL() << "no CarrierError";
  } catch (const CarrierError& e) {
    EXPECT_EQ(e.code(), errc::carrier);
    EXPECT_EQ(e.http_status(), 422);
    EXPECT_EQ(e.telnyx_code(), "90034");
    EXPECT_STREQ(e.what(), "record_pause: Telnyx: Call not answered yet");
  }
  EXPECT_FALSE(logs_->get(c.call_id).recording_paused);
  live_->fail_next = refusal;
  EXPECT_THROW(controls_->speak(c.call_id, speech("Hello")), CarrierError);
  live_->fail_next = refusal;
  EXPECT_THROW(controls_->start_playback(c.call_id, "https://example.com/a.wav"), CarrierError);
  EXPECT_EQ(counters_.carrier_errors.load(), 3u);
}

TEST_F(CallControlsTest, ADemoCallUsesTheDemoCarrier) {
  Call c = new_call("v3:demo", /*demo=*/true);
  tracker_->fold_into(c.call_id, event(c, "call.answered", 2), true);
  controls_->speak(c.call_id, speech("Hello"));
  EXPECT_EQ(demo_->ops(), std::vector<std::string>{"speak v3:demo 'Hello' female en-US basic text"});
  EXPECT_TRUE(live_->ops().empty());
}


// ---- deleting a recording (issue 15, 2.10) ---------------------------------------

namespace {

carrier::CarrierError carrier_error(errc code, int http_status, std::string telnyx_code, std::string title) {
  carrier::CarrierError e;
  e.code = code;
  e.http_status = http_status;
  e.telnyx_code = std::move(telnyx_code);
  e.title = std::move(title);
  e.message = "Telnyx delete recording: HTTP " + std::to_string(http_status) + " " + e.telnyx_code + " " + e.title;
  return e;
}

}  // namespace

class DeleteRecordingTest : public CallControlsTest {
 protected:
  Recording stored(const Call& c, const std::string& id, const std::string& telnyx_id) {
    Recording r;
    r.id = id;
    r.call_id = c.call_id;
    r.telnyx_recording_id = telnyx_id;
    r.url = "https://telnyx.example/" + id + ".mp3";
    r.format = "mp3";
    return logs_->attach_recording(r);
  }
};

TEST_F(DeleteRecordingTest, ALiveRecordingIsDeletedAtTelnyxThenHere) {
  const Call c = new_call("v3:del");
  stored(c, "rec-live", "tx-live");
  EXPECT_EQ(controls_->remove_recording("rec-live").id, "rec-live");
  EXPECT_EQ(live_->ops(), (std::vector<std::string>{"delete_recording tx-live"}));
  EXPECT_FALSE(logs_->find_recording("rec-live"));
}

// Telnyx does not have it (deleted there already, or never): nothing is left
// there, so it goes here too.
TEST_F(DeleteRecordingTest, A404AtTelnyxMeansAlreadyGoneAndItIsDeletedHere) {
  const Call c = new_call("v3:del");
  stored(c, "rec-gone", "tx-gone");
  live_->fail_next = carrier_error(errc::carrier, 404, "404", "Not Found");
  controls_->remove_recording("rec-gone");
  EXPECT_FALSE(logs_->find_recording("rec-gone"));
  EXPECT_EQ(counters_.carrier_errors.load(), 0u);
}

// Telnyx refuses or cannot: the recording stays, marked with the sentence
// the caller is told, and the CarrierError keeps Telnyx's answer.
TEST_F(DeleteRecordingTest, ARefusalKeepsTheRecordingMarkedAndSaysWhy) {
  const Call c = new_call("v3:del");
  stored(c, "rec-kept", "tx-kept");
  struct Case {
    carrier::CarrierError error;
    std::string sentence;
  };
  const std::vector<Case> cases = {
      {carrier_error(errc::unavailable, 503, "10007", "Service unavailable"),
       "Telnyx could not delete the recording now (HTTP 503 Service unavailable), so it is kept here; delete it "
       "again later."},
      {carrier_error(errc::carrier, 401, "401", "Unauthorized"),
       "Telnyx refused to delete the recording (HTTP 401 Unauthorized), so it is kept here; check the Telnyx API key "
       "and delete it again."},
      {carrier_error(errc::carrier, 422, "10015", "Bad Request"),
       "Telnyx refused to delete the recording (HTTP 422 Bad Request), so it is kept here."},
      {carrier_error(errc::unavailable, 0, "", ""),
       "Telnyx could not be reached to delete the recording, so it is kept here; delete it again later."},
  };
  for (const auto& k : cases) {
    SCOPED_TRACE(k.sentence);
    live_->fail_next = k.error;
    try {
      controls_->remove_recording("rec-kept");
      ADD_FAILURE() << "no CarrierError";
    } catch (const CarrierError& e) {
      EXPECT_EQ(e.code(), k.error.code);
      EXPECT_EQ(e.http_status(), k.error.http_status);
      EXPECT_EQ(e.telnyx_code(), k.error.telnyx_code);
      EXPECT_EQ(e.what(), k.sentence);
    }
    const auto kept = logs_->find_recording("rec-kept");
    ASSERT_TRUE(kept);
    EXPECT_EQ(kept->remote_delete_error, k.sentence);
    EXPECT_EQ(kept->url, "https://telnyx.example/rec-kept.mp3");  // nothing else changed
  }
  EXPECT_EQ(counters_.carrier_errors.load(), cases.size());
  // Telnyx takes it on the next try: gone here as well.
  controls_->remove_recording("rec-kept");
  EXPECT_FALSE(logs_->find_recording("rec-kept"));
}

// A demo recording is the demo carrier's (it forgets it) and never Telnyx's;
// one without a Telnyx id is only here.
TEST_F(DeleteRecordingTest, DemoAndLocalRecordingsAreDeletedWithoutTelnyx) {
  const Call demo = new_call("v3:demo", /*demo=*/true);
  stored(demo, "rec-demo", "rec-demo");
  controls_->remove_recording("rec-demo");
  EXPECT_EQ(demo_->ops(), (std::vector<std::string>{"delete_recording rec-demo"}));
  const Call c = new_call("v3:local");
  stored(c, "rec-local", "");
  controls_->remove_recording("rec-local");
  EXPECT_FALSE(logs_->find_recording("rec-demo"));
  EXPECT_FALSE(logs_->find_recording("rec-local"));
  EXPECT_TRUE(live_->ops().empty());
  // The demo carrier lost it (a restart): still deleted here.
  stored(demo, "rec-demo-2", "rec-demo-2");
  demo_->fail_next = carrier_error(errc::not_found, 404, "10005", "Resource not found");
  controls_->remove_recording("rec-demo-2");
  EXPECT_FALSE(logs_->find_recording("rec-demo-2"));
}

TEST_F(DeleteRecordingTest, UnknownIdsAndAMissingKeyChangeNothing) {
  EXPECT_EQ(error_of([&] { controls_->remove_recording("no-such-recording"); }).code(), errc::not_found);
  // A client that never had a key cannot delete a live recording at Telnyx:
  // it keeps it, unmarked (Telnyx was not asked).
  const Call c = new_call("v3:nokey");
  stored(c, "rec-nokey", "tx-nokey");
  client::CarrierSelector keyless(options_, demo_, [this](const Settings&) { return live_; });
  keyless.apply(Settings{});
  client::CallControls controls(*logs_, *tracker_, keyless, counters_, *dialer_, pending_, std::chrono::milliseconds(100));
  const Error e = error_of([&] { controls.remove_recording("rec-nokey"); });
  EXPECT_EQ(e.code(), errc::unavailable);
  EXPECT_STREQ(e.what(),
               "Recording rec-nokey is stored at Telnyx and no Telnyx API key is configured to delete it there, so it "
               "is kept here.");
  EXPECT_EQ(logs_->get_recording("rec-nokey").remote_delete_error, "");
  EXPECT_TRUE(live_->ops().empty());
  EXPECT_TRUE(demo_->ops().empty());
}

}  // namespace
}  // namespace callwire
