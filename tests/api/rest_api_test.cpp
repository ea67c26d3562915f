// Every REST route of the reference server with its error cases, a whole
// demo call over HTTP watched on the WebSocket, auth, metrics and restarts.
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <set>

#include "api_fixture.hpp"
#include "callwire/error.hpp"
#include "callwire/log_store.hpp"
#include "callwire/version.hpp"
#include "ferretdb.hpp"
#include "log_capture.hpp"
#include "server/jwt.hpp"

using namespace callwire;
using namespace callwire::test;
using namespace std::chrono_literals;

namespace {

class RestApi : public ApiFixture {};

std::string call_id_of(const HttpResponse& r) { return str(parse(r.body), "call_id"); }

std::string status_of(HttpTestClient& http, const std::string& call_id) {
  return str(parse(http.get("/api/call-status/status/" + call_id).body), "status");
}

}  // namespace

TEST_F(RestApi, HealthSaysDemoAndStorage) {
  start();
  auto r = http_->get("/health");
  EXPECT_EQ(r.status, 200);
  auto d = parse(r.body);
  EXPECT_EQ(str(d, "status"), "ok");
  EXPECT_EQ(str(d, "mode"), "demo");
  EXPECT_EQ(str(d, "storage"), "sqlite");
  EXPECT_EQ(str(d, "version"), callwire::version());  // the project's version, not one written by hand
}

TEST_F(RestApi, DialValidatesInput) {
  start();
  auto ok = http_->post("/api/telnyx/dial", R"({"to_number":"+1 (212) 555-1234"})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto d = parse(ok.body);
  EXPECT_EQ(str(d, "status"), "dialing");
  EXPECT_EQ(str(d, "to_number"), "+12125551234");
  EXPECT_EQ(str(d, "from_number"), "+13125550100");
  EXPECT_EQ(str(d, "call_id").size(), 36u);

  auto letters = http_->post("/api/telnyx/dial", R"({"to_number":"+1 800 FLOWERS"})");
  EXPECT_EQ(letters.status, 422);
  EXPECT_EQ(str(parse(letters.body), "detail").rfind("to_number: phone number contains 'F'", 0), 0u) << letters.body;
  auto short_number = http_->post("/api/telnyx/dial", R"({"to_number":"+1 212"})");
  EXPECT_EQ(short_number.status, 422);
  EXPECT_NE(short_number.body.find("too short"), std::string::npos);
  auto no_cc = http_->post("/api/telnyx/dial", R"({"to_number":"2125551234"})");
  EXPECT_NE(no_cc.body.find("no country code"), std::string::npos);
  auto bad_from = http_->post("/api/telnyx/dial", R"({"to_number":"+12125551234","from_number":"x"})");
  EXPECT_EQ(bad_from.status, 422);
  EXPECT_NE(bad_from.body.find("from_number"), std::string::npos);
  auto missing = http_->post("/api/telnyx/dial", R"({})");
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(str(parse(missing.body), "detail"), "to_number: field required");
  auto wrong_type = http_->post("/api/telnyx/dial", R"({"to_number":12125551234})");
  EXPECT_EQ(wrong_type.status, 422);
  EXPECT_EQ(str(parse(wrong_type.body), "detail"), "to_number: expected a string");
  auto malformed = http_->post("/api/telnyx/dial", R"({"to_number":)");
  EXPECT_EQ(malformed.status, 400);
  auto array = http_->post("/api/telnyx/dial", R"([1])");
  EXPECT_EQ(array.status, 422);
  // Nothing but the one good dial was stored.
  EXPECT_EQ(LogStore(*storage_).count(), 1);
}

TEST_F(RestApi, OversizedBodiesGet413) {
  WebhookServerOptions so;
  so.body_limit = 4096;
  start({}, so);
  auto r = http_->post("/api/contacts/", std::string(10000, ' '));
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(str(parse(r.body), "detail").find("too large"), std::string::npos);
  HttpTestClient again(port());
  auto w = again.post("/webhooks/call", "{\"data\":\"" + std::string(10000, 'x') + "\"}");
  EXPECT_EQ(w.status, 413);
}

TEST_F(RestApi, WholeDemoCallWatchedOnTheWebSocket) {
  start();
  WebSocketTestClient ws(port(), "/ws/calls");
  auto snapshot = parse(ws.read_text());
  EXPECT_EQ(str(snapshot, "type"), "snapshot");
  ASSERT_TRUE(snapshot["calls"].IsArray());
  EXPECT_EQ(snapshot["calls"].Size(), 0u);

  const std::string id = call_id_of(http_->post("/api/telnyx/dial", R"({"to_number":"+12125551234"})"));
  ASSERT_FALSE(id.empty());
  std::vector<std::string> statuses;
  std::vector<std::string> types;
  bool hung_up = false;
  for (int i = 0; i < 50; ++i) {
    auto msg = parse(ws.read_text(15s));
    const std::string type = str(msg, "type");
    if (str(msg["call"], "call_id") != id) continue;
    types.push_back(type);
    const std::string status = str(msg["call"], "status");
    if (statuses.empty() || statuses.back() != status) statuses.push_back(status);
    if (status == "active" && !hung_up) {
      hung_up = true;
      auto h = http_->post("/api/telnyx/hangup/" + id, "");
      ASSERT_EQ(h.status, 200) << h.body;
      auto final_call = parse(h.body);
      EXPECT_EQ(str(final_call, "status"), "completed");
      EXPECT_TRUE(final_call["duration"].IsInt64());
    }
    if (type == "call.ended") break;
  }
  EXPECT_EQ(statuses, (std::vector<std::string>{"dialing", "ringing", "active", "completed"}));
  EXPECT_EQ(types.front(), "call.created");
  EXPECT_EQ(types.back(), "call.ended");

  // A client connecting during a call gets it in the snapshot.
  const std::string second = call_id_of(http_->post("/api/telnyx/dial", R"({"to_number":"+12125550123"})"));
  ASSERT_TRUE(poll([&] { return status_of(*http_, second) == "active"; }));
  WebSocketTestClient late(port(), "/ws/calls");
  auto snap = parse(late.read_text());
  ASSERT_EQ(snap["calls"].Size(), 1u);
  EXPECT_EQ(str(snap["calls"][0], "call_id"), second);
  auto active = parse(http_->get("/api/call-status/active").body);
  ASSERT_EQ(active.Size(), 1u);
  http_->post("/api/telnyx/hangup/" + second, "");
}

TEST_F(RestApi, UnknownIdsAre404) {
  start();
  for (auto [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/api/call-status/status/nope"},
           {"POST", "/api/telnyx/hangup/nope"},
           {"POST", "/api/telnyx/calls/nope/mute"},
           {"GET", "/api/contacts/nope"},
           {"PUT", "/api/contacts/nope"},
           {"DELETE", "/api/contacts/nope"},
           {"POST", "/api/contacts/nope/favorite"},
           {"POST", "/api/numbers/nope/set-default"},
           {"DELETE", "/api/numbers/nope"},
           {"GET", "/api/recordings/nope"},
           {"DELETE", "/api/recordings/nope"},
       }) {
    auto r = http_->request(method, target, method == "PUT" ? R"({"name":"x"})" : "",
                            {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 404) << method << ' ' << target << ' ' << r.body;
    EXPECT_FALSE(str(parse(r.body), "detail").empty()) << target;
  }
  EXPECT_EQ(http_->get("/api/no-such-route").status, 404);
  EXPECT_EQ(http_->del("/api/telnyx/dial").status, 405);
}

TEST_F(RestApi, ContactsCrud) {
  start();
  auto created = http_->post("/api/contacts/",
                             R"({"name":"Ada Lovelace","phone":"+44 20 7946 0958","email":"ada@example.com","category":"client"})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto c = parse(created.body);
  const std::string id = str(c, "id");
  EXPECT_EQ(str(c, "phone"), "+442079460958");
  EXPECT_EQ(str(c, "category"), "client");
  EXPECT_FALSE(c["is_favorite"].GetBool());

  EXPECT_EQ(http_->post("/api/contacts/", R"({"name":"Bad","phone":"12"})").status, 422);
  auto bad_cat = http_->post("/api/contacts/", R"({"name":"Bad","phone":"+12125551234","category":"friend"})");
  EXPECT_EQ(bad_cat.status, 422);
  EXPECT_NE(bad_cat.body.find("lead, client, follow_up, other"), std::string::npos);
  EXPECT_EQ(http_->post("/api/contacts/", R"({"phone":"+12125551234"})").status, 422);

  auto fav = parse(http_->post("/api/contacts/" + id + "/favorite", "").body);
  EXPECT_TRUE(fav["is_favorite"].GetBool());
  auto upd = http_->put("/api/contacts/" + id, R"({"name":"Ada King","category":"follow_up"})");
  ASSERT_EQ(upd.status, 200) << upd.body;
  EXPECT_EQ(str(parse(upd.body), "name"), "Ada King");
  EXPECT_EQ(str(parse(upd.body), "phone"), "+442079460958");  // untouched fields stay

  http_->post("/api/contacts/", R"({"name":"Grace Hopper","phone":"+12125550004","category":"lead"})");
  EXPECT_EQ(parse(http_->get("/api/contacts/").body).Size(), 2u);
  EXPECT_EQ(parse(http_->get("/api/contacts/?search=king").body).Size(), 1u);
  EXPECT_EQ(parse(http_->get("/api/contacts/?search=7946").body).Size(), 1u);
  EXPECT_EQ(parse(http_->get("/api/contacts/?category=lead").body).Size(), 1u);
  EXPECT_EQ(parse(http_->get("/api/contacts/?favorites=true").body).Size(), 1u);
  EXPECT_EQ(parse(http_->get("/api/contacts/?search=%25").body).Size(), 0u);  // '%' is literal, not a wildcard
  EXPECT_EQ(http_->get("/api/contacts/?category=friend").status, 422);
  EXPECT_EQ(http_->get("/api/contacts/?limit=0").status, 422);

  EXPECT_EQ(http_->del("/api/contacts/" + id).status, 200);
  EXPECT_EQ(http_->get("/api/contacts/" + id).status, 404);
}

TEST_F(RestApi, NumbersKeepExactlyOneDefault) {
  start({}, {}, false);
  EXPECT_EQ(http_->post("/api/numbers/", R"({"number":"12"})").status, 422);
  auto a = parse(http_->post("/api/numbers/", R"({"number":"+13125550100","name":"A"})").body);
  auto b = parse(http_->post("/api/numbers/", R"({"number":"+14155550123","name":"B"})").body);
  EXPECT_EQ(http_->post("/api/numbers/", R"({"number":"+13125550100"})").status, 409);
  auto set = http_->post("/api/numbers/" + str(b, "id") + "/set-default", "");
  ASSERT_EQ(set.status, 200);
  auto list = parse(http_->get("/api/numbers/").body);
  int defaults = 0;
  for (const auto& n : list.GetArray()) defaults += n["is_default"].GetBool() ? 1 : 0;
  EXPECT_EQ(defaults, 1);
  // The default is the dial's caller ID.
  auto call = parse(http_->post("/api/telnyx/dial", R"({"to_number":"+12125551234"})").body);
  EXPECT_EQ(str(call, "from_number"), "+14155550123");
  EXPECT_EQ(http_->del("/api/numbers/" + str(a, "id")).status, 200);
}

TEST_F(RestApi, AddingANumberTwiceAnswersASentenceAndLogsTheStorageDetail) {
  start({}, {}, false);
  LogCapture log;
  ASSERT_EQ(http_->post("/api/numbers/", R"({"number":"+13125550100","name":"Main"})").status, 201);
  const auto dup = http_->post("/api/numbers/", R"({"number":"+1 312 555 0100","name":"Again"})");
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.body, R"({"detail":"This number is already in your list."})");
  for (const char* leak : {"UNIQUE", "unique", "sqlite", "constraint", "numbers.number", "callwire.db"}) {
    EXPECT_EQ(dup.body.find(leak), std::string::npos) << leak;
  }
  EXPECT_EQ(dup.body.find(dir_.string()), std::string::npos);
  // The storage's own text went to the server log, at warn, with the path.
  const auto lines = log.with({"http: answered 409 (This number is already in your list.): ", "+13125550100",
                               "UNIQUE constraint failed: numbers.number", (dir_ / "callwire.db").string()});
  EXPECT_EQ(lines.size(), 1u);
  EXPECT_EQ(parse(http_->get("/api/numbers/").body).Size(), 1u);
}

TEST_F(RestApi, HealthWithTheDatabaseDownAnswersASentenceAndLogsTheStorageDetail) {
  FerretDb db;
  db.start();
  db_url_ = db.url("health", "serverSelectionTimeoutMS=500&connectTimeoutMS=500");
  start();
  ASSERT_EQ(http_->get("/health").status, 200);
  LogCapture log;
  db.kill();  // the database crashes under the running server
  const auto r = http_->get("/health");
  EXPECT_EQ(r.status, 503);
  const auto d = parse(r.body);
  EXPECT_EQ(str(d, "status"), "degraded");
  EXPECT_EQ(str(d, "storage"), "mongodb");
  EXPECT_EQ(str(d, "detail"), "The database is not available right now; try again.");
  for (const char* leak : {"mongodb:", "127.0.0.1", "ping", "onnection", "socket"}) {
    EXPECT_EQ(r.body.find(leak), std::string::npos) << leak << " in " << r.body;
  }
  // The driver's text went to the server log, at warn.
  EXPECT_EQ(log.with({"http: health: storage ping failed (The database is not available right now; try again.): "
                      "mongodb: ping: "})
                .size(),
            1u);
  db.start();  // same port: healthy again
  EXPECT_TRUE(poll([&] { return http_->get("/health").status == 200; }, 10s));
}

TEST_F(RestApi, SettingsAreMaskedAndSwitchTheMode) {
  CallClientOptions co;
  co.api_base = "http://127.0.0.1:9/v2";  // deployment configuration, not a setting
  start(co);
  auto saved = http_->post("/api/telnyx/settings",
                           R"({"api_key":"KEY0123456789ABCDEF","connection_id":"conn-1","auto_record":true,"demo_mode":true})");
  ASSERT_EQ(saved.status, 200) << saved.body;
  auto s = parse(saved.body);
  EXPECT_EQ(str(s, "api_key"), "****CDEF");
  EXPECT_EQ(str(s, "mode"), "demo");  // demo_mode forces demo even with a key
  EXPECT_TRUE(s["auto_record"].GetBool());
  // The masked value sent back keeps the stored key.
  http_->post("/api/telnyx/settings", R"({"api_key":"****CDEF","demo_mode":false})");
  EXPECT_EQ(client_->settings().api_key, "KEY0123456789ABCDEF");
  auto got = parse(http_->get("/api/telnyx/settings").body);
  EXPECT_EQ(str(got, "mode"), "live");
  EXPECT_EQ(str(got, "api_key"), "****CDEF");
  EXPECT_EQ(str(parse(http_->get("/health").body), "mode"), "live");
  EXPECT_EQ(http_->post("/api/telnyx/settings", R"({"webhook_url":"ftp://x"})").status, 422);
  EXPECT_EQ(http_->post("/api/telnyx/settings", R"({"auto_record":"yes"})").status, 422);
}

// Issue 15, 2.10, as a new user tries it: with "Record calls automatically"
// on, the API says "recording": true while the call is up (it said false),
// on the live list and the WebSocket too; the hangup ends it and the saved
// recording is dual, Telnyx's default. A dial that asks for no recording
// records nothing.
TEST_F(RestApi, AnAutoRecordedCallIsRecordingFromItsAnswer) {
  start();
  ASSERT_EQ(http_->post("/api/telnyx/settings", R"({"auto_record":true})").status, 200);
  WebSocketTestClient ws(port(), "/ws/calls");
  ws.read_text();  // the snapshot
  const std::string id = call_id_of(http_->post("/api/telnyx/dial", R"({"to_number":"+14155550123"})"));
  ASSERT_TRUE(poll([&] { return status_of(*http_, id) == "active"; })) << status_of(*http_, id);
  auto call = parse(http_->get("/api/call-status/status/" + id).body);
  EXPECT_TRUE(call["recording"].GetBool());
  EXPECT_TRUE(call["record_from_answer"].GetBool());
  auto live = parse(http_->get("/api/call-status/active").body);
  ASSERT_EQ(live.Size(), 1u);
  EXPECT_TRUE(live[0]["recording"].GetBool());
  bool pushed_recording = false;  // the update that made it active said so
  for (int i = 0; i < 20 && !pushed_recording; ++i) {
    auto msg = parse(ws.read_text(15s));
    pushed_recording = str(msg["call"], "status") == "active" && msg["call"]["recording"].GetBool();
  }
  EXPECT_TRUE(pushed_recording);

  auto ended = parse(http_->post("/api/telnyx/hangup/" + id, "").body);
  EXPECT_EQ(str(ended, "status"), "completed");
  EXPECT_FALSE(ended["recording"].GetBool());
  ASSERT_TRUE(poll([&] { return parse(http_->get("/api/recordings/" + id).body).Size() == 1u; }, 30s));
  auto recs = parse(http_->get("/api/recordings/" + id).body);
  EXPECT_EQ(str(recs[0], "channels"), "dual");
  EXPECT_FALSE(parse(http_->get("/api/call-status/status/" + id).body)["recording"].GetBool());

  const std::string plain =
      call_id_of(http_->post("/api/telnyx/dial", R"({"to_number":"+14155550124","record":false})"));
  ASSERT_TRUE(poll([&] { return status_of(*http_, plain) == "active"; })) << status_of(*http_, plain);
  auto unrecorded = parse(http_->get("/api/call-status/status/" + plain).body);
  EXPECT_FALSE(unrecorded["recording"].GetBool());
  EXPECT_FALSE(unrecorded["record_from_answer"].GetBool());
  http_->post("/api/telnyx/hangup/" + plain, "");
}

// A recording that cannot be saved (the demo carrier cannot write its file,
// as Telnyx's storage can fail) comes as call.recording.error: the call says
// why, "recording" is off, and no recording is listed.
TEST_F(RestApi, AFailedRecordingIsVisibleOnTheCall) {
  start();
  ASSERT_EQ(http_->post("/api/telnyx/settings", R"({"auto_record":true})").status, 200);
  const std::filesystem::path dir = client_->recordings_dir();
  std::filesystem::remove_all(dir);
  std::ofstream(dir) << "not a folder";  // every recording file now fails to be written
  const std::string id = call_id_of(http_->post("/api/telnyx/dial", R"({"to_number":"+14155550004"})"));
  ASSERT_TRUE(poll([&] { return !str(parse(http_->get("/api/call-status/status/" + id).body), "recording_error").empty(); },
                   30s));
  auto call = parse(http_->get("/api/call-status/status/" + id).body);
  EXPECT_EQ(str(call, "recording_error"), "Telnyx could not save the recording: Internal server error");
  EXPECT_FALSE(call["recording"].GetBool());
  EXPECT_EQ(str(call, "status"), "completed");  // the call itself was fine
  EXPECT_EQ(parse(http_->get("/api/recordings/" + id).body).Size(), 0u);
  bool stored = false;
  for (const auto& e : LogStore(*storage_).events_for_call(str(call, "call_control_id"))) {
    stored = stored || e.event_type == "call.recording.error";
  }
  EXPECT_TRUE(stored);
  std::filesystem::remove(dir);
}

// How recordings are made: Telnyx's default (dual) until saved otherwise;
// anything but single or dual is refused with a sentence naming the field.
TEST_F(RestApi, RecordingChannelsAreASettingDualUntilSaved) {
  start();
  EXPECT_EQ(str(parse(http_->get("/api/telnyx/settings").body), "recording_channels"), "dual");
  auto saved = http_->post("/api/telnyx/settings", R"({"recording_channels":"single"})");
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(str(parse(saved.body), "recording_channels"), "single");
  EXPECT_EQ(str(parse(http_->get("/api/telnyx/settings").body), "recording_channels"), "single");
  EXPECT_EQ(client_->settings().recording_channels, "single");
  auto bad = http_->post("/api/telnyx/settings", R"({"recording_channels":"stereo"})");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(str(parse(bad.body), "detail"),
            "recording_channels: must be single (both parties mixed on one channel) or dual (each party on its own "
            "channel, Telnyx's default), not 'stereo'");
  EXPECT_EQ(client_->settings().recording_channels, "single");  // unchanged
  EXPECT_EQ(http_->post("/api/telnyx/settings", R"({"recording_channels":2})").status, 422);
}

TEST_F(RestApi, LogsSearchStatsAndCsv) {
  start();
  const std::string a = call_id_of(http_->post("/api/telnyx/dial", R"({"to_number":"+12125550000"})"));  // busy
  const std::string b = call_id_of(http_->post("/api/telnyx/dial", R"({"to_number":"+14155550004"})"));  // completed
  ASSERT_TRUE(poll([&] { return status_of(*http_, a) == "busy" && status_of(*http_, b) == "completed"; }));

  auto logs = parse(http_->get("/api/calls/logs").body);
  ASSERT_EQ(logs.Size(), 2u);
  EXPECT_EQ(str(logs[0], "call_id"), b);  // newest first
  EXPECT_EQ(parse(http_->get("/api/calls/logs?limit=1&offset=1").body).Size(), 1u);
  EXPECT_EQ(parse(http_->get("/api/calls/logs/search?query=4155550004").body).Size(), 1u);
  EXPECT_EQ(parse(http_->get("/api/calls/logs/search?query=555&status=busy").body).Size(), 1u);
  EXPECT_EQ(parse(http_->get("/api/calls/logs/search?status=completed").body).Size(), 1u);
  EXPECT_EQ(parse(http_->get("/api/calls/logs/search?query=%5B%5E0%5D").body).Size(), 0u);  // "[^0]" is literal
  EXPECT_EQ(http_->get("/api/calls/logs/search?status=exploded").status, 422);
  EXPECT_EQ(http_->get("/api/calls/logs?limit=abc").status, 422);

  auto stats = parse(http_->get("/api/calls/stats/summary").body);
  EXPECT_EQ(stats["total_calls"].GetInt64(), 2);
  EXPECT_EQ(stats["completed_calls"].GetInt64(), 1);
  EXPECT_EQ(stats["failed_calls"].GetInt64(), 1);
  EXPECT_DOUBLE_EQ(stats["average_duration"].GetDouble(), 5.0);
  EXPECT_EQ(parse(http_->get("/api/call-status/stats").body)["total_calls"].GetInt64(), 2);

  auto csv = http_->get("/api/calls/logs/export");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.header("Content-Type").value_or("").rfind("text/csv", 0), 0u);
  EXPECT_TRUE(csv.chunked);
  EXPECT_EQ(csv.body.substr(0, csv.body.find("\r\n")), LogStore::csv_header());
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 3);
  auto busy_csv = http_->get("/api/calls/logs/export?status=busy");
  EXPECT_EQ(std::count(busy_csv.body.begin(), busy_csv.body.end(), '\n'), 2);
}

TEST_F(RestApi, RecordingsArePlayableAndDeletable) {
  start();
  const std::string id =
      call_id_of(http_->post("/api/telnyx/dial", R"({"to_number":"+12125550004","record":true})"));
  std::string rec_id, url;
  ASSERT_TRUE(poll([&] {
    auto recs = parse(http_->get("/api/recordings/" + id).body);
    if (!recs.IsArray() || recs.Empty()) return false;
    rec_id = str(recs[0], "id");
    url = str(recs[0], "url");
    return true;
  }));
  EXPECT_EQ(url, "/recordings/" + rec_id + ".wav");
  auto audio = http_->get(url);
  EXPECT_EQ(audio.status, 200);
  EXPECT_EQ(audio.header("Content-Type").value_or(""), "audio/wav");
  EXPECT_EQ(audio.body.substr(0, 4), "RIFF");
  auto ranged = http_->get(url, {{"Range", "bytes=0-43"}});
  EXPECT_EQ(ranged.status, 206);
  EXPECT_EQ(ranged.body.size(), 44u);
  EXPECT_GE(parse(http_->get("/api/recordings/").body).Size(), 1u);
  EXPECT_EQ(http_->get("/recordings/../callwire.db").status, 400);  // not a canonical path
  EXPECT_EQ(http_->get("/recordings/callwire.db").status, 404);
  EXPECT_EQ(http_->del("/api/recordings/" + rec_id).status, 200);
  EXPECT_EQ(http_->del("/api/recordings/" + rec_id).status, 404);
  EXPECT_EQ(http_->get(url).status, 404);  // the file went with it
}

TEST_F(RestApi, CallControls) {
  start();
  const std::string id = call_id_of(http_->post("/api/telnyx/dial", R"({"to_number":"+12125550123"})"));
  ASSERT_TRUE(poll([&] { return status_of(*http_, id) == "active"; }));
  auto base = "/api/telnyx/calls/" + id;
  EXPECT_TRUE(parse(http_->post(base + "/mute", R"({"muted":true})").body)["muted"].GetBool());
  EXPECT_FALSE(parse(http_->post(base + "/mute", R"({"muted":false})").body)["muted"].GetBool());
  EXPECT_TRUE(parse(http_->post(base + "/hold", R"({"on_hold":true})").body)["on_hold"].GetBool());
  EXPECT_EQ(http_->post(base + "/dtmf", R"({"digits":"1#"})").status, 200);
  EXPECT_EQ(http_->post(base + "/dtmf", R"({"digits":"1x"})").status, 422);
  EXPECT_EQ(http_->post(base + "/dtmf", R"({})").status, 422);
  EXPECT_TRUE(parse(http_->post(base + "/recording/start", "").body)["recording"].GetBool());
  EXPECT_FALSE(parse(http_->post(base + "/recording/stop", "").body)["recording"].GetBool());
  EXPECT_EQ(http_->post(base + "/transfer", R"({"to_number":"nope"})").status, 422);
  EXPECT_EQ(http_->post(base + "/transfer", R"({"to_number":"+12125550177"})").status, 200);
  http_->post("/api/telnyx/hangup/" + id, "");
  auto late = http_->post(base + "/mute", R"({"muted":true})");
  EXPECT_EQ(late.status, 409);
  EXPECT_NE(str(parse(late.body), "detail").find("the call has ended"), std::string::npos);
}

TEST_F(RestApi, SpeechPlaybackAndRecordingPauseOnADemoCall) {
  start();
  const std::string id = call_id_of(http_->post("/api/telnyx/dial", R"({"to_number":"+12125550123"})"));
  ASSERT_TRUE(poll([&] { return status_of(*http_, id) == "active"; }));
  const std::string base = "/api/telnyx/calls/" + id;
  auto detail = [](const HttpResponse& r) { return str(parse(r.body), "detail"); };

  auto said = http_->post(base + "/speak", R"({"text":"Hello from callwire"})");
  ASSERT_EQ(said.status, 200) << said.body;
  EXPECT_EQ(str(parse(said.body), "call_id"), id);
  EXPECT_EQ(http_->post(base + "/speak", R"({"text":"<speak>Hi</speak>","voice":"Azure.en-CA-ClaraNeural",)"
                                         R"("language":"fr-CA","payload_type":"ssml"})")
                .status,
            200);
  auto spanish = http_->post(base + "/speak", R"({"text":"Hola","voice":"female","language":"es-ES"})");
  EXPECT_EQ(spanish.status, 422);
  EXPECT_EQ(detail(spanish),
            "language: the male and female voices (Telnyx's basic service level) speak en-US only; for es-ES choose a "
            "provider voice, e.g. AWS.Polly.<VoiceId> or Azure.<VoiceId>");
  auto none = http_->post(base + "/speak", "{}");
  EXPECT_EQ(none.status, 422);
  EXPECT_EQ(detail(none), "text: must not be empty: give the words (or SSML) to speak");
  EXPECT_EQ(detail(http_->post(base + "/speak", R"({"text":5})")), "text: expected a string");
  EXPECT_EQ(detail(http_->post(base + "/speak", R"({"text":"Hi","voice":"robot"})")).rfind("voice: must be male or female", 0),
            0u);

  EXPECT_EQ(http_->post(base + "/playback/start", R"({"audio_url":"https://example.com/voicemail.mp3"})").status, 200);
  auto ftp = http_->post(base + "/playback/start", R"({"audio_url":"ftp://example.com/voicemail.mp3"})");
  EXPECT_EQ(ftp.status, 422);
  EXPECT_EQ(detail(ftp),
            "audio_url: must be the http:// or https:// URL of an MP3 or WAV file, without spaces (got "
            "'ftp://example.com/voicemail.mp3')");
  EXPECT_EQ(http_->post(base + "/playback/stop", "").status, 200);

  EXPECT_TRUE(parse(http_->post(base + "/recording/start", "").body)["recording"].GetBool());
  auto paused = parse(http_->post(base + "/recording/pause", "").body);
  EXPECT_TRUE(paused["recording"].GetBool());
  EXPECT_TRUE(paused["recording_paused"].GetBool());
  EXPECT_TRUE(parse(http_->get("/api/call-status/status/" + id).body)["recording_paused"].GetBool());
  EXPECT_FALSE(parse(http_->post(base + "/recording/resume", "").body)["recording_paused"].GetBool());

  // The simulated call spoke and played: its events are stored with the call's.
  const std::string ccid = client_->get_call(id).call_control_id;
  LogStore logs(client_->storage());
  auto has = [&](const char* type) {
    for (const auto& e : logs.events_for_call(ccid)) {
      if (e.event_type == type) return true;
    }
    return false;
  };
  EXPECT_TRUE(poll([&] { return has("call.speak.ended") && has("call.playback.started"); }));
  EXPECT_TRUE(has("call.speak.started"));

  http_->post("/api/telnyx/hangup/" + id, "");
  auto late = http_->post(base + "/speak", R"({"text":"Anyone there?"})");
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(detail(late), "cannot speak: the call has ended (completed)");
  EXPECT_EQ(http_->post("/api/telnyx/calls/no-such-call/playback/stop", "").status, 404);
}

TEST_F(RestApi, WebhookEndpointRejectsBadBodies) {
  start();
  auto malformed = http_->post("/webhooks/call", "{not json");
  EXPECT_EQ(malformed.status, 400);
  auto v1 = http_->post("/webhooks/call", R"({"event_type":"call_initiated","payload":{}})");
  EXPECT_EQ(v1.status, 400);
  EXPECT_NE(str(parse(v1.body), "detail").find("v1"), std::string::npos);
  auto unknown = http_->post(
      "/webhooks/call",
      R"({"data":{"event_type":"call.initiated","id":"ev-x","occurred_at":"2026-01-01T00:00:00Z","payload":{"call_control_id":"v3:other"}}})");
  EXPECT_EQ(unknown.status, 200);  // a call this client did not place is recorded, not an error
  auto metrics = http_->get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("callwire_webhook_events_total{event_type=\"call.initiated\",outcome=\"stored\"} 1"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("callwire_http_requests_total{"), std::string::npos);
  EXPECT_NE(metrics.body.find("callwire_live_calls"), std::string::npos);
}

TEST_F(RestApi, RealEventsWithOtherShapesAreAcknowledged) {
  start();
  // Telnyx retries (and fails over) anything but a 2xx: these are valid v2 envelopes.
  auto ai = http_->post("/webhooks/call", R"({"data":{"event_type":"call.ai_gather.ended","id":"ev-ai-1",
    "occurred_at":"2026-01-01T00:00:00Z","payload":{"call_control_id":"v3:ai","result":{"name":"Ada"}}}})");
  EXPECT_EQ(ai.status, 200) << ai.body;
  auto sms = http_->post("/webhooks/call", R"({"data":{"event_type":"message.received","id":"ev-sms-1",
    "occurred_at":"2026-01-01T00:00:00Z","payload":{"from":{"phone_number":"+13125550001"},"to":[{"phone_number":"+13125550002"}]}}})");
  EXPECT_EQ(sms.status, 200) << sms.body;
  EXPECT_EQ(str(parse(sms.body), "status"), "ok");
}

TEST_F(RestApi, StopAnswersTheWebhooksItAcceptedBeforeItReturns) {
  start();
  // Another connection holds SQLite's write lock: the webhook is accepted and
  // waits in the client's ingest queue for its commit.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "callwire.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  const std::string body =
      R"({"data":{"event_type":"call.initiated","id":"ev-stop","occurred_at":"2026-01-01T00:00:00Z","payload":{"call_control_id":"v3:stop"}}})";
  auto posted = std::async(std::launch::async, [&] {
    HttpTestClient poster(port());
    return poster.post("/webhooks/call", body);
  });
  ASSERT_TRUE(poll([&] { return client_->counters().webhooks_pending == 1; }));
  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    server_->stop();
    stopped = true;
  });
  std::this_thread::sleep_for(200ms);
  EXPECT_FALSE(stopped.load());  // the webhook is not answered yet: stop waits
  ASSERT_EQ(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  const auto answer = posted.get();
  stopper.join();
  EXPECT_TRUE(stopped.load());
  EXPECT_EQ(answer.status, 200) << answer.body;  // answered, not cut: the carrier will not redeliver it
  EXPECT_EQ(client_->counters().webhooks_pending, 0u);
  EXPECT_EQ(LogStore(*storage_).events_for_call("v3:stop").size(), 1u);
}

TEST_F(RestApi, JwtAuthOnApiAndWebSocket) {
  WebhookServerOptions so;
  so.jwt_secret = "test-secret-test-secret-0123456789";
  start({}, so);
  EXPECT_EQ(http_->get("/api/contacts/").status, 401);
  EXPECT_EQ(http_->get("/health").status, 200);  // health stays public for probes
  server::JwtClaims claims;  // a service token: no sub
  claims.expires_at = std::chrono::system_clock::now() + 1h;
  const std::string token = server::jwt_sign(claims, so.jwt_secret);
  // A token naming someone who is not a callwire user is refused.
  server::JwtClaims stranger = claims;
  stranger.subject = "tester";
  auto refused = http_->get("/api/contacts/", {{"Authorization", "Bearer " + server::jwt_sign(stranger, so.jwt_secret)}});
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.body, R"({"detail":"Invalid token: it names no callwire user"})");
  EXPECT_EQ(http_->get("/api/contacts/", {{"Authorization", "Bearer " + token}}).status, 200);
  EXPECT_EQ(http_->get("/api/contacts/", {{"Authorization", "Bearer " + token + "x"}}).status, 401);
  claims.expires_at = std::chrono::system_clock::now() - 1h;
  EXPECT_EQ(http_->get("/api/contacts/", {{"Authorization", "Bearer " + server::jwt_sign(claims, so.jwt_secret)}}).status,
            401);
  EXPECT_EQ(WebSocketTestClient::try_connect(port(), "/ws/calls", {}), 401);
  EXPECT_EQ(WebSocketTestClient::try_connect(port(), "/ws/calls?token=" + token, {}), 101);
}

TEST_F(RestApi, PublicAddressNeedsJwtUnlessAllowed) {
  start();
  WebhookServerOptions so;
  so.host = "0.0.0.0";
  try {
    WebhookServer s(*client_, so);
    FAIL() << "a public address without JWT_SECRET must be refused";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), errc::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("JWT_SECRET"), std::string::npos);
  }
  so.allow_public_without_auth = true;
  EXPECT_NO_THROW(WebhookServer(*client_, so));
}

TEST_F(RestApi, RestartKeepsEverything) {
  start();
  http_->post("/api/contacts/", R"({"name":"Kept","phone":"+12125559999"})");
  http_->post("/api/numbers/", R"({"number":"+14155550123","name":"Second"})");
  http_->post("/api/telnyx/settings", R"({"connection_id":"conn-kept","auto_record":true})");
  const std::string id = call_id_of(http_->post("/api/telnyx/dial", R"({"to_number":"+12125550000"})"));
  ASSERT_TRUE(poll([&] { return status_of(*http_, id) == "busy"; }));
  stop();
  start();
  EXPECT_EQ(parse(http_->get("/api/contacts/?search=Kept").body).Size(), 1u);
  EXPECT_EQ(parse(http_->get("/api/numbers/").body).Size(), 2u);
  EXPECT_EQ(str(parse(http_->get("/api/telnyx/settings").body), "connection_id"), "conn-kept");
  EXPECT_EQ(status_of(*http_, id), "busy");
  EXPECT_EQ(parse(http_->get("/api/calls/logs").body).Size(), 1u);
}

TEST_F(RestApi, RouterOnlyModeServesTheSameRoutes) {
  start();
  std::promise<HttpAnswer> answer;
  server_->handle({"GET", "/health", {}, ""}, [&](HttpAnswer a) { answer.set_value(std::move(a)); });
  auto a = answer.get_future().get();
  EXPECT_EQ(a.status, 200);
  EXPECT_NE(a.body.find("\"mode\":\"demo\""), std::string::npos);
}
