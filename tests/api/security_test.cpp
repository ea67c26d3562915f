// The audit of callwire-server at 6e7938f, case by case: each test sends what
// the audit sent and checks the answer that closes the hole (docs/server.md,
// "Security"). Every case here got through, or crashed the server, before.
#include <sqlite3.h>

#include <sys/stat.h>

#include <atomic>

#include "api_fixture.hpp"
#include "callwire/log_store.hpp"
#include "callwire/user_store.hpp"
#include "server/jwt.hpp"

using namespace callwire;
using namespace callwire::test;
using namespace std::chrono_literals;

namespace {

class Security : public ApiFixture {
 protected:
  static constexpr const char* kSecret = "0123456789abcdef0123456789abcdef";

  std::size_t calls_stored() { return LogStore(*storage_).list({}, {}).size(); }
};

// ---- 1. the JWT check bypassed by percent-encoding the path -------------------------

TEST_F(Security, EncodedPathsNeverReachAHandlerWithoutAToken) {
  WebhookServerOptions so;
  so.jwt_secret = kSecret;
  start({}, so);
  for (const char* path : {"/%61pi/contacts", "/ap%69/contacts", "/%61%70%69/contacts", "/%2561pi/contacts", "//api/contacts",
                           "/./api/contacts", "/api/../api/contacts", "/api/contacts/%2e%2e/numbers", "/api%2Fcontacts"}) {
    auto r = http_->get(path);
    EXPECT_EQ(r.status, 400) << path;
    EXPECT_EQ(r.body, R"({"detail":"The request path is not in canonical form."})") << path;
  }
  auto dial = http_->post("/%61pi/telnyx/dial", R"({"to_number":"+12125551234"})");
  EXPECT_EQ(dial.status, 400);
  EXPECT_EQ(http_->post("/ap%69/telnyx/settings", R"({"api_key":"KEYstolen"})").status, 400);
  EXPECT_EQ(calls_stored(), 0u);
  // The canonical spelling still needs the token, and the WebSocket too.
  EXPECT_EQ(http_->get("/api/contacts").status, 401);
  EXPECT_EQ(WebSocketTestClient::try_connect(port(), "/ws/%63alls", {}), 400);
  EXPECT_EQ(WebSocketTestClient::try_connect(port(), "/%77s/calls", {}), 400);
  EXPECT_EQ(WebSocketTestClient::try_connect(port(), "/ws/calls", {}), 401);
}

// ---- 2. cross-site use of the default local setup ------------------------------------

TEST_F(Security, BodiesThatAreNotJsonGet415AndDialNothing) {
  start();
  const std::string body = R"({"to_number":"+12125551234"})";
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""}) {
    HeaderPairs h;
    if (*type) h.emplace_back("Content-Type", type);
    else h.emplace_back("Content-Type", "");
    auto r = http_->request("POST", "/api/telnyx/dial", body, h);
    EXPECT_EQ(r.status, 415) << type;
    EXPECT_EQ(r.body, R"({"detail":"Request bodies must be JSON, sent with Content-Type: application/json."})") << type;
  }
  EXPECT_EQ(calls_stored(), 0u);
  auto ok = http_->post("/api/telnyx/dial", body, {{"Content-Type", "Application/JSON; charset=utf-8"}});
  EXPECT_EQ(ok.status, 200) << ok.body;
}

TEST_F(Security, StateChangesFromAForeignOriginGet403) {
  WebhookServerOptions so;
  so.cors_origins = {"http://localhost:5173"};
  start({}, so);
  const std::string body = R"({"name":"Eve","phone":"+12125559999"})";
  for (const char* origin : {"https://evil.example", "null", "http://127.0.0.1:1", "http://localhost:5174"}) {
    auto r = http_->post("/api/contacts/", body, {{"Origin", origin}});
    EXPECT_EQ(r.status, 403) << origin;
    EXPECT_EQ(r.body, R"({"detail":"Requests from another site are not allowed."})") << origin;
    EXPECT_EQ(http_->del("/api/contacts/x", {{"Origin", origin}}).status, 403) << origin;
  }
  EXPECT_EQ(http_->get("/api/contacts/").body, "[]");
  // The server's own origin, a trusted one, and no Origin at all (curl, Telnyx) pass.
  const std::string own = "http://127.0.0.1:" + std::to_string(port());
  EXPECT_EQ(http_->post("/api/contacts/", body, {{"Origin", own}}).status, 201);
  EXPECT_EQ(http_->post("/api/contacts/", body, {{"Origin", "http://localhost:5173"}}).status, 201);
  EXPECT_EQ(http_->post("/api/contacts/", body).status, 201);
  // Reads from a foreign origin are answered, without CORS headers the browser would honour.
  auto read = http_->get("/api/contacts/", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(read.status, 200);
  EXPECT_FALSE(read.header("Access-Control-Allow-Origin"));
}

TEST_F(Security, WebSocketUpgradesFromAForeignOriginGet403) {
  start();
  WebSocketTestClient::Options foreign;
  foreign.headers = {{"Origin", "https://evil.example"}};
  std::string body;
  EXPECT_EQ(WebSocketTestClient::try_connect(port(), "/ws/calls", foreign, &body), 403);
  EXPECT_EQ(body, R"({"detail":"WebSocket connections from another site are not allowed."})");
  WebSocketTestClient::Options own;
  own.headers = {{"Origin", "http://127.0.0.1:" + std::to_string(port())}};
  EXPECT_EQ(WebSocketTestClient::try_connect(port(), "/ws/calls", own), 101);
}

TEST_F(Security, AForeignHostGets421) {
  WebhookServerOptions so;
  so.allowed_hosts = {"calls.example.com", ".corp.example"};
  start({}, so);
  // A page on rebind.evil.example whose name now resolves to 127.0.0.1.
  for (const char* host : {"rebind.evil.example", "rebind.evil.example:8000", "example.com", "127.0.0.1.evil.example"}) {
    auto r = http_->get("/api/contacts/", {{"Host", host}});
    EXPECT_EQ(r.status, 421) << host;
    EXPECT_EQ(r.body, R"({"detail":"This server does not answer for that host name."})") << host;
    WebSocketTestClient::Options ws;
    ws.headers = {{"Host", host}};
    EXPECT_EQ(WebSocketTestClient::try_connect(port(), "/ws/calls", ws), 421) << host;
  }
  for (const char* host : {"localhost", "LOCALHOST:8000", "app.localhost", "127.0.0.1", "[::1]:8000", "calls.example.com",
                           "Calls.Example.Com.:443", "corp.example", "a.b.corp.example"}) {
    EXPECT_EQ(http_->get("/api/contacts/", {{"Host", host}}).status, 200) << host;
  }
}

TEST_F(Security, TheWebhookUrlsHostIsAllowed) {
  CallClientOptions co;
  co.webhook_url = "https://abc123.ngrok.app/webhooks/call";
  start(co);
  EXPECT_EQ(http_->get("/health", {{"Host", "abc123.ngrok.app"}}).status, 200);
  EXPECT_EQ(http_->get("/health", {{"Host", "other.ngrok.app"}}).status, 421);
}

// ---- 3. deeply nested JSON ---------------------------------------------------------------

TEST_F(Security, AMegabyteOfBracketsIs400AndTheServerLivesOn) {
  start();
  const std::string deep(1u << 20, '[');
  for (const char* target : {"/api/contacts/", "/api/telnyx/dial", "/api/telnyx/settings", "/webhooks/call"}) {
    HttpTestClient c(port());
    auto r = c.post(target, deep);
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_NE(r.body.find("nested more than 64 levels deep"), std::string::npos) << target << ": " << r.body;
  }
  EXPECT_EQ(http_->get("/health").status, 200);
}

// ---- 7. a metrics label that grows without bound ----------------------------------------

TEST_F(Security, UnknownWebhookEventTypesCountAsOther) {
  start();
  for (int i = 0; i < 20; ++i) {
    const std::string id = std::to_string(i);
    auto r = http_->post("/webhooks/call", R"({"data":{"event_type":"x.spam.)" + id + R"(","id":"ev-spam-)" + id +
                                               R"(","occurred_at":"2026-01-01T00:00:00Z","payload":{"call_control_id":"v3:x"}}})");
    EXPECT_EQ(r.status, 200) << r.body;
  }
  const std::string metrics = http_->get("/metrics").body;
  EXPECT_EQ(metrics.find("x.spam"), std::string::npos);
  EXPECT_NE(metrics.find(R"(callwire_webhook_events_total{event_type="other",outcome="stored"} 20)"), std::string::npos)
      << metrics;
}

// ---- 8. the low ones -------------------------------------------------------------------------

TEST_F(Security, AShortJwtSecretIsRefused) {
  start();
  WebhookServerOptions so;
  so.jwt_secret = "short-secret-of-31-bytes-123456";
  ASSERT_EQ(so.jwt_secret.size(), 31u);
  try {
    WebhookServer s(*client_, so);
    FAIL() << "a 31-byte secret must be refused";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), errc::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("at least 32"), std::string::npos) << e.what();
  }
  so.jwt_secret += "7";
  EXPECT_NO_THROW(WebhookServer(*client_, so));
}

TEST_F(Security, AWildcardCorsOriginNeverComesWithCredentials) {
  WebhookServerOptions so;
  so.cors_origins = {"*"};
  start({}, so);
  auto r = http_->get("/api/contacts/", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(r.header("Access-Control-Allow-Origin").value_or(""), "*");
  EXPECT_FALSE(r.header("Access-Control-Allow-Credentials"));
  // ... and never lets a foreign page change state.
  EXPECT_EQ(http_->post("/api/contacts/", R"({"name":"E","phone":"+12125559999"})", {{"Origin", "https://evil.example"}}).status,
            403);
}

TEST_F(Security, RetiredCarriersAreReleased) {
  start();
  for (int i = 0; i < 20; ++i) {
    // Each new key builds a new live carrier and retires the one before.
    const std::string key = "KEYrotation" + std::to_string(1000 + i);
    ASSERT_EQ(http_->post("/api/telnyx/settings", R"({"api_key":")" + key + R"("})").status, 200);
  }
  EXPECT_EQ(client_->mode(), std::string("live"));
  EXPECT_LE(client_->counters().carriers_retired, 1u);  // was 19: one kept per change, forever
}

// ---- 9. metrics, recordings and the database file --------------------------------------------

TEST_F(Security, MetricsNeedTheirTokenWhenOneIsSet) {
  WebhookServerOptions so;
  so.jwt_secret = kSecret;
  so.metrics_token = "metrics-token-0123456789";
  start({}, so);
  EXPECT_EQ(http_->get("/metrics").status, 401);
  EXPECT_EQ(http_->get("/metrics", {{"Authorization", "Bearer metrics-token-012345678"}}).status, 401);
  EXPECT_EQ(http_->get("/metrics", {{"Authorization", "Bearer metrics-token-0123456789"}}).status, 200);
}

TEST_F(Security, RecordingsNeedTheApiToken) {
  WebhookServerOptions so;
  so.jwt_secret = kSecret;
  start({}, so);
  server::JwtClaims c;
  c.expires_at = std::chrono::system_clock::now() + 1h;
  const std::string token = server::jwt_sign(c, kSecret);
  const HeaderPairs auth{{"Authorization", "Bearer " + token}};
  const std::string id = str(parse(http_->post("/api/telnyx/dial", R"({"to_number":"+12125550004","record":true})", auth).body),
                             "call_id");
  std::string url;
  ASSERT_TRUE(poll([&] {
    auto recs = parse(http_->get("/api/recordings/" + id, auth).body);
    if (!recs.IsArray() || recs.Empty()) return false;
    url = str(recs[0], "url");
    return true;
  }));
  EXPECT_EQ(http_->get(url).status, 401);
  EXPECT_EQ(http_->get(url, auth).status, 200);
  EXPECT_EQ(http_->get(url + "?token=" + token).status, 200);  // what the softphone's <audio src> sends
  EXPECT_EQ(http_->get(url + "?token=" + token + "x").status, 401);
}

TEST_F(Security, TheDatabaseFileIsPrivate) {
  start();
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "callwire.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  if (::stat((dir_ / "callwire.db-wal").c_str(), &st) == 0) {
    EXPECT_EQ(st.st_mode & 0777, 0600u);
  }
}

// ---- 5. invalid settings stored anyway, and a restart that exits 1 ---------------------

TEST_F(Security, InvalidSettingsAreRefusedWholeAndStoreNothing) {
  start();
  const std::string before = http_->get("/api/telnyx/settings").body;
  for (const char* body : {R"({"api_key":"KEYgood\r\nX-Injected: 1"})", R"({"webhook_url":"https://user:pw@hooks.example/x"})",
                           R"({"api_key":"KEYnew","webhook_url":"ftp://hooks.example"})",
                           R"({"public_key":"not-a-key"})", R"({"connection_id":"a\nb"})",
                           R"({"api_base":"https://user:pw@api.telnyx.com/v2"})"}) {
    auto r = http_->post("/api/telnyx/settings", body);
    EXPECT_EQ(r.status, 422) << body << " " << r.body;
    EXPECT_EQ(http_->get("/api/telnyx/settings").body, before) << body;
  }
  // A restart on the same database starts (it exited 1 before).
  stop();
  EXPECT_NO_THROW(start({}, {}, false));
  EXPECT_EQ(http_->get("/health").status, 200);
}

TEST_F(Security, InvalidSavedSettingsAreIgnoredAtStartNotFatal) {
  start();
  ASSERT_EQ(http_->post("/api/telnyx/settings", R"({"connection_id":"conn-1"})").status, 200);
  stop();
  // A row written before settings were validated (or by hand).
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "callwire.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE telnyx_config SET api_key = 'KEYbad' || char(13) || char(10) || 'X: 1'", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  ASSERT_NO_THROW(start({}, {}, false));
  EXPECT_TRUE(client_->demo());  // the options have no key: demo mode, and a working server
  EXPECT_EQ(str(parse(http_->get("/health").body), "status"), "ok");
}

// ---- 6. the Telnyx key sent anywhere, webhooks forged -------------------------------------

TEST_F(Security, ApiBaseIsDeploymentConfigurationOnly) {
  CallClientOptions co;
  co.api_base = "https://api.telnyx.com/v2";
  start(co);
  auto shown = parse(http_->get("/api/telnyx/settings").body);
  EXPECT_EQ(str(shown, "api_base"), "https://api.telnyx.com/v2");
  auto r = http_->post("/api/telnyx/settings", R"({"api_key":"KEYabcdefgh12345","api_base":"https://collect.evil.example/v2"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(str(parse(r.body), "detail").find("TELNYX_API_BASE"), std::string::npos) << r.body;
  EXPECT_EQ(str(parse(http_->get("/api/telnyx/settings").body), "api_key"), "");
  // Sending back the value that was shown (a form does) is fine.
  EXPECT_EQ(http_->post("/api/telnyx/settings", R"({"connection_id":"c-1","api_base":"https://api.telnyx.com/v2"})").status, 200);
  stop();
  // An api_base saved by an older version is ignored: the key goes only where the deployment says.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "callwire.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE telnyx_config SET api_base = 'https://collect.evil.example/v2'", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  start(co, {}, false);
  EXPECT_EQ(client_->settings().api_base, "https://api.telnyx.com/v2");
}

TEST_F(Security, OnlyAnAdministratorChangesTheSettingsAndTheWebhookKey) {
  WebhookServerOptions so;
  so.jwt_secret = kSecret;
  start({}, so);
  UserStore users(*storage_, {8, 1, 1});
  const User agent_user = users.create({"agent@example.com", "Agent", "agent-password", UserRole::agent, {}});
  const User admin_user = users.create({"admin@example.com", "Admin", "admin-password", UserRole::admin, {}});
  auto token = [&](const User* u, const std::string& claimed_role) {
    server::JwtClaims c;
    if (u != nullptr) {
      c.subject = u->id;
      c.token_version = u->token_version;
    }
    c.role = claimed_role;
    c.expires_at = std::chrono::system_clock::now() + 1h;
    return HeaderPairs{{"Authorization", "Bearer " + server::jwt_sign(c, kSecret)}};
  };
  const std::string key = R"({"public_key":"jrMBoswHlhhVx2W2Www72WU/xn4UMpjreslD0m2u0qs="})";
  auto agent = http_->post("/api/telnyx/settings", key, token(&agent_user, "agent"));
  EXPECT_EQ(agent.status, 403);
  EXPECT_EQ(agent.body, R"({"detail":"Only an administrator can change the settings."})");
  // A role claimed in the token is not the account's role: still an agent.
  EXPECT_EQ(http_->post("/api/telnyx/settings", key, token(&agent_user, "admin")).status, 403);
  EXPECT_EQ(http_->post("/api/telnyx/settings", R"({"connection_id":"c-2"})", token(&agent_user, "agent")).status, 403);
  EXPECT_EQ(str(parse(http_->get("/api/telnyx/settings", token(&agent_user, "agent")).body), "public_key"), "");
  EXPECT_EQ(http_->post("/api/telnyx/settings", key, token(&admin_user, "admin")).status, 200);
  EXPECT_EQ(http_->post("/api/telnyx/settings", R"({"public_key":""})", token(nullptr, "")).status, 200);  // a service token
}

}  // namespace
