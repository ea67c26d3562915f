// A live call: the reference server's front door with TelnyxCarrier talking
// HTTPS to the fake Telnyx, which posts signed webhooks back to
// /webhooks/call — including duplicated and reordered deliveries and a
// redelivery after a failed store.
#include "api_fixture.hpp"
#include "callwire/json.hpp"
#include "callwire/log_store.hpp"
#include "callwire/webhook.hpp"
#include "fake_telnyx.hpp"
#include "test_pki.hpp"

using namespace callwire;
using namespace callwire::test;
using namespace std::chrono_literals;

namespace {

class LiveCall : public ApiFixture {
 protected:
  void start_live(bool duplicate = false, bool reorder = false, const std::function<void(CallClientOptions&)>& tune = {},
                  double sim_speed = 50) {
    ca_ = std::make_unique<TestCa>();
    auto cert = ca_->issue_server({"localhost"}, {"127.0.0.1"});
    ca_file_ = std::make_unique<TempFile>(ca_->cert_pem(), ".pem");
    FakeTelnyxOptions fo;
    fo.cert_pem = cert.cert_pem;
    fo.key_pem = cert.key_pem;
    fo.sim_speed = sim_speed;
    fake_ = std::make_unique<FakeTelnyx>(fo);
    fake_->set_webhook_faults(duplicate, reorder);

    CallClientOptions co;
    co.api_key = fo.api_key;
    co.api_base = fake_->base_url();
    co.ca_file = ca_file_->path().string();
    co.public_key = test_public_key();
    co.connection_id = "conn-live";
    co.dials_per_second = 0;
    if (tune) tune(co);
    // The webhook URL is only known once the server has a port: saved below.
    start(co);
    webhook_url_ = "http://127.0.0.1:" + std::to_string(port()) + "/webhooks/call";
    http_->post("/api/telnyx/settings", R"({"webhook_url":")" + webhook_url_ + R"("})");
  }

  std::string status(const std::string& id) {
    return str(parse(http_->get("/api/call-status/status/" + id).body), "status");
  }

  std::string dial(const std::string& to) {
    auto r = http_->post("/api/telnyx/dial", R"({"to_number":")" + to + R"("})");
    EXPECT_EQ(r.status, 200) << r.body;
    return str(parse(r.body), "call_id");
  }

  int requests_to(const std::string& method, const std::string& target_part) {
    int n = 0;
    for (const auto& r : fake_->requests()) {
      if (r.method == method && r.target.find(target_part) != std::string::npos) ++n;
    }
    return n;
  }

  std::unique_ptr<TestCa> ca_;
  std::unique_ptr<TempFile> ca_file_;
  std::unique_ptr<FakeTelnyx> fake_;
  std::string webhook_url_;
};

}  // namespace

TEST_F(LiveCall, DialAnswerHangupOverHttps) {
  start_live();
  EXPECT_EQ(str(parse(http_->get("/health").body), "mode"), "live");
  auto dial = http_->post("/api/telnyx/dial", R"({"to_number":"+12125550123"})");
  ASSERT_EQ(dial.status, 200) << dial.body;
  const std::string id = str(parse(dial.body), "call_id");
  ASSERT_TRUE(poll([&] { return status(id) == "active"; })) << status(id);
  auto hangup = http_->post("/api/telnyx/hangup/" + id, "");
  ASSERT_EQ(hangup.status, 200) << hangup.body;
  auto call = parse(hangup.body);
  EXPECT_EQ(str(call, "status"), "completed");
  EXPECT_FALSE(call["demo"].GetBool());
  EXPECT_EQ(str(call, "connection_id"), "conn-live");
  EXPECT_EQ(fake_->calls_placed(), 1);
  // Every webhook the fake posted was accepted (signed with the test key).
  for (const auto& w : fake_->webhooks()) EXPECT_EQ(w.status, 200) << w.event_type;
  // The dial request carried our call id as client_state and the webhook URL.
  bool saw_dial = false;
  for (const auto& r : fake_->requests()) {
    if (r.method == "POST" && r.target == "/v2/calls") {
      saw_dial = true;
      EXPECT_NE(r.body.find(webhook_url_), std::string::npos);
      EXPECT_EQ(r.headers.at("authorization"), "Bearer " + fake_->options().api_key);
    }
  }
  EXPECT_TRUE(saw_dial);
}

TEST_F(LiveCall, DuplicatedAndReorderedWebhooksGiveTheSameCall) {
  start_live(/*duplicate=*/true, /*reorder=*/true);
  const std::string id = str(parse(http_->post("/api/telnyx/dial", R"({"to_number":"+12125550004"})").body), "call_id");
  ASSERT_TRUE(poll([&] { return status(id) == "completed"; }, 30s)) << status(id);
  auto call = parse(http_->get("/api/call-status/status/" + id).body);
  EXPECT_EQ(call["duration"].GetInt64(), 5);
  EXPECT_EQ(str(call, "hangup_source"), "callee");
  // The copies may still be in flight when the call is already completed.
  EXPECT_TRUE(poll([&] { return client_->counters().webhooks_duplicate >= 3u; }));
  EXPECT_EQ(str(parse(http_->get("/api/call-status/status/" + id).body), "status"), "completed");
  auto metrics = http_->get("/metrics").body;
  EXPECT_NE(metrics.find("outcome=\"duplicate\""), std::string::npos);
}

TEST_F(LiveCall, UnsignedOrForgedWebhooksAre401) {
  start_live();
  const std::string body =
      R"({"data":{"event_type":"call.hangup","id":"forged","occurred_at":"2026-01-01T00:00:00Z","payload":{}}})";
  auto unsigned_post = http_->post("/webhooks/call", body);
  EXPECT_EQ(unsigned_post.status, 401);
  EXPECT_NE(unsigned_post.body.find("missing_headers"), std::string::npos);
  const std::string ts = std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  auto forged = http_->post("/webhooks/call", body,
                            {{"telnyx-timestamp", ts}, {"telnyx-signature-ed25519", telnyx::sign(test_signing_seed(), ts, "{}")}});
  EXPECT_EQ(forged.status, 401);
  auto stale = http_->post("/webhooks/call", body,
                           {{"telnyx-timestamp", "1000"}, {"telnyx-signature-ed25519", telnyx::sign(test_signing_seed(), "1000", body)}});
  EXPECT_EQ(stale.status, 401);
  EXPECT_NE(stale.body.find("timestamp_outside_tolerance"), std::string::npos);
  auto good = http_->post("/webhooks/call", body,
                          {{"Telnyx-Timestamp", ts}, {"Telnyx-Signature-Ed25519", telnyx::sign(test_signing_seed(), ts, body)}});
  EXPECT_EQ(good.status, 200);
}

TEST_F(LiveCall, RedeliveryAfterAFailedStoreHealsTheCall) {
  start_live();
  const std::string id = str(parse(http_->post("/api/telnyx/dial", R"({"to_number":"+12125550123"})").body), "call_id");
  ASSERT_TRUE(poll([&] { return status(id) == "active"; }));
  const Call before = client_->get_call(id);
  // A hangup whose first delivery stored the event but died before folding it
  // into the call (as a crash between the two writes would leave it).
  const std::string body = R"({"data":{"record_type":"event","event_type":"call.hangup","id":"ev-crash-1","occurred_at":")" +
                           json::format_time(*before.answered_at + 9'000ms) + R"(","payload":{"call_control_id":")" +
                           before.call_control_id + R"(","hangup_cause":"normal_clearing","hangup_source":"callee"}}})";
  CallEvent half = *telnyx::parse_webhook(body);
  ASSERT_TRUE(LogStore(*storage_).record_event(half));
  EXPECT_EQ(status(id), "active");
  // Telnyx redelivers: acknowledged as a duplicate, and the call is folded.
  const std::string ts = std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  auto r = http_->post("/webhooks/call", body,
                       {{"telnyx-timestamp", ts}, {"telnyx-signature-ed25519", telnyx::sign(test_signing_seed(), ts, body)}});
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("\"duplicate\":true"), std::string::npos);
  auto call = parse(http_->get("/api/call-status/status/" + id).body);
  EXPECT_EQ(str(call, "status"), "completed");
  EXPECT_EQ(call["duration"].GetInt64(), 9);
}

TEST_F(LiveCall, CarrierErrorsReachTheCaller) {
  start_live();
  // A dial the carrier refuses with a 4xx ends the call as failed, with the reason.
  fake_->inject(Fault::server_error(400).on("/v2/calls"));
  const std::string id = str(parse(http_->post("/api/telnyx/dial", R"({"to_number":"+12125550123"})").body), "call_id");
  ASSERT_TRUE(poll([&] { return status(id) == "failed"; })) << status(id);
  auto call = parse(http_->get("/api/call-status/status/" + id).body);
  EXPECT_NE(str(call, "failure_reason").find("400"), std::string::npos) << str(call, "failure_reason");
  EXPECT_EQ(fake_->calls_placed(), 0);
}

// Auto-record against Telnyx: the dial asks for record-from-answer with the
// channels of the setting, the call says "recording": true once answered and
// false after the hangup, and the recording Telnyx saved is single as asked.
TEST_F(LiveCall, AnAutoRecordedCallRecordsFromItsAnswerWithTheChannelsOfTheSetting) {
  start_live();
  ASSERT_EQ(http_->post("/api/telnyx/settings", R"({"auto_record":true,"recording_channels":"single"})").status, 200);
  const std::string id = dial("+12125550123");
  ASSERT_TRUE(poll([&] { return status(id) == "active"; })) << status(id);
  auto call = parse(http_->get("/api/call-status/status/" + id).body);
  EXPECT_TRUE(call["recording"].GetBool());
  EXPECT_TRUE(call["record_from_answer"].GetBool());
  bool dialled = false;
  for (const auto& r : fake_->requests()) {
    if (r.method != "POST" || r.target != "/v2/calls") continue;
    dialled = true;
    auto body = parse(r.body);
    EXPECT_EQ(str(body, "record"), "record-from-answer");
    EXPECT_EQ(str(body, "record_channels"), "single");
    EXPECT_EQ(r.status, 200);  // the fake checks the body against the spec
  }
  EXPECT_TRUE(dialled);
  auto ended = parse(http_->post("/api/telnyx/hangup/" + id, "").body);
  EXPECT_FALSE(ended["recording"].GetBool());
  std::vector<Recording> recs;
  ASSERT_TRUE(poll([&] { return !(recs = LogStore(*storage_).list_recordings_for_call(id)).empty(); }, 30s));
  EXPECT_EQ(recs[0].channels, "single");
  EXPECT_FALSE(LogStore(*storage_).get(id).recording);
}

TEST_F(LiveCall, RecordingUrlsAreRefreshedFromTelnyx) {
  start_live();
  const std::string id =
      str(parse(http_->post("/api/telnyx/dial", R"({"to_number":"+12125550004","record":true})").body), "call_id");
  ASSERT_TRUE(poll([&] { return status(id) == "completed"; }, 30s)) << status(id);
  std::vector<Recording> recs;
  ASSERT_TRUE(poll([&] { return !(recs = LogStore(*storage_).list_recordings_for_call(id)).empty(); }, 30s));
  const Recording saved = recs[0];
  ASSERT_FALSE(saved.telnyx_recording_id.empty());
  ASSERT_FALSE(saved.url.empty());

  // The webhook's URL expires after 10 minutes: ask Telnyx for a new one.
  auto r = http_->post("/api/recordings/" + saved.id + "/refresh", "");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string fresh = str(parse(r.body), "url");
  EXPECT_NE(fresh, saved.url);
  EXPECT_NE(fresh.find("X-Amz-Signature=fresh-"), std::string::npos) << fresh;
  EXPECT_EQ(str(parse(r.body), "id"), saved.id);
  EXPECT_EQ(fake_->requests().back().target, "/v2/recordings/" + saved.telnyx_recording_id);
  // Stored: the call's recordings list shows the new URL.
  auto listed = parse(http_->get("/api/recordings/" + id).body);
  ASSERT_TRUE(listed.IsArray());
  EXPECT_EQ(str(listed[0], "url"), fresh);
  // Each refresh is a new URL, as with Telnyx.
  const std::string again = str(parse(http_->post("/api/recordings/" + saved.id + "/refresh", "").body), "url");
  EXPECT_NE(again, fresh);

  // Telnyx down: a clear error, and the stored URL is kept.
  fake_->inject(Fault::server_error(503).on("/v2/recordings"), 20);
  auto down = http_->post("/api/recordings/" + saved.id + "/refresh", "");
  EXPECT_EQ(down.status, 503) << down.body;  // retried, then errc::unavailable
  EXPECT_NE(down.body.find("refresh recording"), std::string::npos) << down.body;
  EXPECT_EQ(LogStore(*storage_).get_recording(saved.id).url, again);

  // Unknown ids: 404, and Telnyx is not asked.
  const auto asked = fake_->requests().size();
  auto unknown = http_->post("/api/recordings/no-such-recording/refresh", "");
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(fake_->requests().size(), asked);
}

// Issue 15, 2.10: deleting a recording deletes it at Telnyx too. While Telnyx
// cannot (5xx after the retries) or refuses (a wrong key: 401), the
// recording stays, marked, and the API says so in a sentence; once Telnyx
// deletes it, it is gone here; a recording Telnyx no longer has (404) goes.
TEST_F(LiveCall, DeletingARecordingDeletesItAtTelnyxAndKeepsItMarkedWhileTelnyxRefuses) {
  start_live();
  const std::string id = str(parse(http_->post("/api/telnyx/dial", R"({"to_number":"+12125550004","record":true})").body),
                             "call_id");
  ASSERT_TRUE(poll([&] { return status(id) == "completed"; }, 30s)) << status(id);
  std::vector<Recording> recs;
  ASSERT_TRUE(poll([&] { return !(recs = LogStore(*storage_).list_recordings_for_call(id)).empty(); }, 30s));
  const Recording saved = recs[0];
  ASSERT_FALSE(saved.telnyx_recording_id.empty());

  fake_->inject(Fault::server_error(503).on("/v2/recordings/"), 4);  // every attempt of one request
  auto down = http_->del("/api/recordings/" + saved.id);
  EXPECT_EQ(down.status, 503) << down.body;
  const std::string later =
      "Telnyx could not delete the recording now (HTTP 503 Service unavailable), so it is kept here; delete it again "
      "later.";
  EXPECT_EQ(str(parse(down.body), "detail"), later);
  auto listed = parse(http_->get("/api/recordings/" + id).body);
  ASSERT_EQ(listed.Size(), 1u);
  EXPECT_EQ(str(listed[0], "remote_delete_error"), later);
  EXPECT_EQ(fake_->pending_faults(), 0u);

  // A key Telnyx does not take (saved by mistake): 401, not retried.
  ASSERT_EQ(http_->post("/api/telnyx/settings", R"({"api_key":"KEY_rotated_wrong_0123"})").status, 200);
  auto refused = http_->del("/api/recordings/" + saved.id);
  EXPECT_EQ(refused.status, 502) << refused.body;
  const std::string check_key =
      "Telnyx refused to delete the recording (HTTP 401 Unauthorized), so it is kept here; check the Telnyx API key and "
      "delete it again.";
  EXPECT_EQ(str(parse(refused.body), "detail"), check_key);
  EXPECT_EQ(LogStore(*storage_).get_recording(saved.id).remote_delete_error, check_key);

  ASSERT_EQ(http_->post("/api/telnyx/settings", R"({"api_key":")" + fake_->options().api_key + R"("})").status, 200);
  auto ok = http_->del("/api/recordings/" + saved.id);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_TRUE(parse(ok.body)["deleted"].GetBool());
  EXPECT_EQ(fake_->requests().back().method, "DELETE");
  EXPECT_EQ(fake_->requests().back().target, "/v2/recordings/" + saved.telnyx_recording_id);
  EXPECT_EQ(fake_->requests().back().status, 200);
  EXPECT_EQ(parse(http_->get("/api/recordings/" + id).body).Size(), 0u);
  EXPECT_EQ(http_->del("/api/recordings/" + saved.id).status, 404);  // gone here: Telnyx is not asked
  EXPECT_EQ(fake_->requests().back().status, 200);

  // Deleted at Telnyx by someone else (the portal): Telnyx answers 404, and it goes here too.
  const std::string second =
      str(parse(http_->post("/api/telnyx/dial", R"({"to_number":"+12125550004","record":true})").body), "call_id");
  ASSERT_TRUE(poll([&] { return !(recs = LogStore(*storage_).list_recordings_for_call(second)).empty(); }, 30s));
  ASSERT_EQ(http_->del("/api/recordings/" + recs[0].id).status, 200);
  LogStore(*storage_).attach_recording(recs[0]);  // the row back, as if the portal had deleted it at Telnyx
  auto again = http_->del("/api/recordings/" + recs[0].id);
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(fake_->requests().back().status, 404);
  EXPECT_FALSE(LogStore(*storage_).find_recording(recs[0].id));
}

// Issue 15, 2.1: a dial whose answer was lost in transport may have been
// placed — the phone rings. It is not failed: the carrier's events take it
// on, and it can be hung up.
TEST_F(LiveCall, ADialWhoseAnswerWasLostFollowsTheCarriersEventsAndCanBeHungUp) {
  // The fake remembers a command_id for 60 simulated seconds, as Telnyx
  // does; at 10× that is 6 s, longer than the ~2 s the client's retries
  // take here (at the usual 50× it is 1.2 s and a late retry places a
  // second call, as it would at Telnyx after 60 s).
  start_live(false, false, {}, /*sim_speed=*/10);
  // Every attempt reaches Telnyx (the first places the call; the retries
  // repeat its command_id) and every answer is lost.
  fake_->inject(Fault::dropped(/*apply_first=*/true).on("/v2/calls"), 4);
  const std::string id = dial("+12125550141");
  // The dial's outcome becomes unknown once its retries are spent.
  ASSERT_TRUE(poll([&] { return client_->counters().carrier_errors == 1u; }, 30s));
  EXPECT_EQ(requests_to("POST", "/v2/calls"), 4);
  EXPECT_EQ(fake_->calls_placed(), 1);
  // Not failed: the carrier's events (matched by client_state) drive it.
  ASSERT_TRUE(poll([&] { return status(id) == "active" || status(id) == "completed"; }, 30s)) << status(id);
  if (status(id) == "active") {
    auto hangup = http_->post("/api/telnyx/hangup/" + id, "");
    ASSERT_EQ(hangup.status, 200) << hangup.body;
    EXPECT_EQ(str(parse(hangup.body), "status"), "completed");
  }
  const Call c = client_->get_call(id);
  EXPECT_TRUE(c.failure_reason.empty()) << c.failure_reason;
  EXPECT_FALSE(c.call_control_id.empty());
}

// Issue 15, 2.3: hanging up a dial still waiting for a call slot withdraws
// it: it ends canceled and is never placed, even once the slot frees.
TEST_F(LiveCall, HangupOfAQueuedDialCancelsItAndItIsNeverPlaced) {
  start_live(false, false, [](CallClientOptions& co) { co.max_concurrent_calls = 1; });
  const std::string first = dial("+12125550151");
  ASSERT_TRUE(poll([&] { return status(first) == "ringing" || status(first) == "active"; })) << status(first);
  const std::string queued = dial("+12125550152");
  EXPECT_EQ(status(queued), "dialing");
  auto hangup = http_->post("/api/telnyx/hangup/" + queued, "");
  ASSERT_EQ(hangup.status, 200) << hangup.body;
  EXPECT_EQ(str(parse(hangup.body), "status"), "canceled");
  // The slot frees; a later dial is placed — after where the withdrawn one
  // stood in the queue, so it would have gone first.
  ASSERT_EQ(http_->post("/api/telnyx/hangup/" + first, "").status, 200);
  const std::string later = dial("+12125550153");
  ASSERT_TRUE(poll([&] { return status(later) == "ringing" || status(later) == "active"; })) << status(later);
  EXPECT_EQ(fake_->calls_placed(), 2);
  for (const auto& r : fake_->requests()) {
    if (r.method == "POST" && r.target == "/v2/calls") {
      EXPECT_EQ(r.body.find("+12125550152"), std::string::npos);
    }
  }
  EXPECT_EQ(status(queued), "canceled");
}

// Issue 15, 2.3: a hangup while the dial is in flight is sent as soon as
// the dial's answer names the call — the phone does not ring on.
TEST_F(LiveCall, HangupWhileTheDialIsInFlightHangsUpOnceTheCallIsKnown) {
  start_live(false, false, [](CallClientOptions& co) { co.hangup_wait = 100ms; });
  fake_->inject(Fault::slow(1500ms).on("/v2/calls"));
  const std::string id = dial("+12125550161");
  auto hangup = http_->post("/api/telnyx/hangup/" + id, "");
  ASSERT_EQ(hangup.status, 200) << hangup.body;
  EXPECT_EQ(str(parse(hangup.body), "status"), "dialing");  // nothing to hang up yet
  ASSERT_TRUE(poll([&] { return status(id) == "canceled"; }, 30s)) << status(id);
  EXPECT_EQ(requests_to("POST", "/actions/hangup"), 1);
}
