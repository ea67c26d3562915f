// Accounts on the reference server: sign-in, tokens and their revocation,
// throttling, the team's users, and who may call which route
// (docs/reference-server.md, "Accounts and roles").
#include <algorithm>
#include <fstream>
#include <vector>
#include <regex>
#include <set>

#include "api_fixture.hpp"
#include "callwire/user_store.hpp"
#include "server/api/access_policy.hpp"
#include "server/jwt.hpp"

using namespace callwire;
using namespace callwire::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* kSecret = "accounts-test-secret-0123456789abcdef";

HeaderPairs bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

std::string login_body(const std::string& email, const std::string& password) {
  return R"({"email":")" + email + R"(","password":")" + password + R"("})";
}

class Accounts : public ApiFixture {
 protected:
  void start_with_accounts(WebhookServerOptions so = {}) {
    so.jwt_secret = kSecret;
    start({}, so);
    UserStore users(*storage_, {8, 1, 1});  // cheap hashes for the test's own accounts
    admin_ = users.create({"admin@example.com", "Ada Admin", "admin-password", UserRole::admin, {}});
    agent_ = users.create({"agent@example.com", "Alan Agent", "agent-password", UserRole::agent, {}});
    other_ = users.create({"other@example.com", "Olga Other", "other-password", UserRole::agent, {}});
  }

  /// Signs in and returns the access token (fails the test otherwise).
  std::string sign_in(const std::string& email, const std::string& password) {
    auto r = http_->post("/api/auth/login", login_body(email, password));
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return {};
    return str(parse(r.body), "access_token");
  }

  std::string service_token() {
    server::JwtClaims c;
    c.expires_at = std::chrono::system_clock::now() + 1h;
    return server::jwt_sign(c, kSecret);
  }

  User admin_, agent_, other_;
};

TEST_F(Accounts, SignInAnswersATokenThatNamesTheUserAndTheirRole) {
  start_with_accounts();
  auto r = http_->post("/api/auth/login", login_body("Agent@Example.com", "agent-password"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto doc = parse(r.body);
  EXPECT_EQ(str(doc, "token_type"), "bearer");
  EXPECT_EQ(doc["expires_in"].GetInt64(), 12 * 3600);
  EXPECT_EQ(str(doc["user"], "id"), agent_.id);
  EXPECT_FALSE(doc["user"].HasMember("password_hash"));
  EXPECT_EQ(r.body.find("agent-password"), std::string::npos);
  const std::string token = str(doc, "access_token");
  const auto info = server::jwt_verify(token, kSecret);
  EXPECT_EQ(info.subject, agent_.id);
  EXPECT_EQ(info.role, "agent");
  EXPECT_EQ(info.token_version, agent_.token_version);

  auto me = parse(http_->get("/api/auth/me", bearer(token)).body);
  EXPECT_EQ(str(me, "kind"), "user");
  EXPECT_EQ(str(me, "role"), "agent");
  EXPECT_TRUE(me["sign_in_required"].GetBool());
  EXPECT_EQ(str(me["user"], "email"), "agent@example.com");
  EXPECT_FALSE(str(me["user"], "last_login_at").empty());

  auto service = parse(http_->get("/api/auth/me", bearer(service_token())).body);
  EXPECT_EQ(str(service, "kind"), "service");
  EXPECT_EQ(str(service, "role"), "admin");
  EXPECT_TRUE(service["user"].IsNull());
}

TEST_F(Accounts, AWrongPasswordAnUnknownEmailAndADisabledUserGetTheSameAnswer) {
  start_with_accounts();
  UserPatch disable;
  disable.disabled = true;
  UserStore(*storage_).update(other_.id, disable);
  const auto wrong = http_->post("/api/auth/login", login_body("agent@example.com", "not-the-password"));
  const auto unknown = http_->post("/api/auth/login", login_body("nobody@example.com", "agent-password"));
  const auto disabled = http_->post("/api/auth/login", login_body("other@example.com", "other-password"));
  for (const auto* r : {&wrong, &unknown, &disabled}) {
    EXPECT_EQ(r->status, 401);
    EXPECT_EQ(r->body, R"({"detail":"The email or the password is not right."})");
  }
  EXPECT_EQ(http_->post("/api/auth/login", R"({"email":"agent@example.com"})").status, 422);
  EXPECT_EQ(http_->post("/api/auth/login", R"({"email":"agent@example.com","password":7})").status, 422);
  EXPECT_EQ(http_->post("/api/auth/login", "{nope").status, 400);
}

TEST_F(Accounts, SignInIsOffWithoutASecret) {
  start();
  auto r = http_->post("/api/auth/login", login_body("a@example.com", "whatever-password"));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.body, R"({"detail":"Sign-in is off on this server: it runs without JWT_SECRET, as one administrator."})");
  auto me = parse(http_->get("/api/auth/me").body);
  EXPECT_EQ(str(me, "kind"), "local");
  EXPECT_EQ(str(me, "role"), "admin");
  EXPECT_FALSE(me["sign_in_required"].GetBool());
}

// Five failures for one email, known or not, then 429 — before any hash, so
// even the right password waits.
void expect_throttled_after_five(HttpTestClient& http, const std::string& email, const std::string& right_password) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(http.post("/api/auth/login", login_body(email, "wrong-password")).status, 401) << email << i;
  }
  auto blocked = http.post("/api/auth/login", login_body(email, "wrong-password"));
  EXPECT_EQ(blocked.status, 429) << email;
  EXPECT_EQ(blocked.body, R"({"detail":"Too many failed sign-ins; try again in 15 minutes."})");
  const int retry = std::stoi(blocked.header("Retry-After").value_or("0"));
  EXPECT_GT(retry, 14 * 60);
  EXPECT_LE(retry, 15 * 60);
  EXPECT_EQ(http.post("/api/auth/login", login_body(email, right_password)).status, 429);
}

TEST_F(Accounts, FiveFailuresForAKnownAccountAre429WithRetryAfter) {
  start_with_accounts();
  expect_throttled_after_five(*http_, "agent@example.com", "agent-password");
}

TEST_F(Accounts, FiveFailuresForAnUnknownEmailAreAnsweredTheSame) {
  start_with_accounts();
  expect_throttled_after_five(*http_, "ghost@example.com", "agent-password");
}

TEST_F(Accounts, FiveFailuresFromOneAddressBlockEveryAccountFromIt) {
  start_with_accounts();
  for (const char* email : {"a1@example.com", "a2@example.com", "a3@example.com", "a4@example.com", "a5@example.com"}) {
    EXPECT_EQ(http_->post("/api/auth/login", login_body(email, "wrong-password")).status, 401);
  }
  EXPECT_EQ(http_->post("/api/auth/login", login_body("admin@example.com", "admin-password")).status, 429);
}

TEST_F(Accounts, LogoutAPasswordChangeAndDisablingRevokeTokens) {
  start_with_accounts();
  // Logout.
  std::string t1 = sign_in("agent@example.com", "agent-password");
  std::string t2 = sign_in("agent@example.com", "agent-password");
  EXPECT_EQ(http_->get("/api/contacts", bearer(t1)).status, 200);
  EXPECT_EQ(http_->post("/api/auth/logout", "", bearer(t1)).status, 200);
  for (const auto& t : {t1, t2}) {
    auto r = http_->get("/api/contacts", bearer(t));
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.body, R"({"detail":"Invalid token: the session has ended; sign in again"})");
  }
  // The user's own password change: the old token stops, the answer's works.
  std::string t3 = sign_in("agent@example.com", "agent-password");
  auto wrong_old = http_->post("/api/users/" + agent_.id + "/password",
                               R"({"old_password":"nope-nope","new_password":"new-agent-password"})", bearer(t3));
  EXPECT_EQ(wrong_old.status, 403);
  EXPECT_EQ(wrong_old.body, R"({"detail":"The current password is not right."})");
  auto changed = http_->post("/api/users/" + agent_.id + "/password",
                             R"({"old_password":"agent-password","new_password":"new-agent-password"})", bearer(t3));
  ASSERT_EQ(changed.status, 200) << changed.body;
  const std::string t4 = str(parse(changed.body), "access_token");
  EXPECT_EQ(http_->get("/api/contacts", bearer(t3)).status, 401);
  EXPECT_EQ(http_->get("/api/contacts", bearer(t4)).status, 200);
  EXPECT_EQ(http_->post("/api/auth/login", login_body("agent@example.com", "agent-password")).status, 401);
  // An agent cannot change another's password.
  auto other = http_->post("/api/users/" + other_.id + "/password", R"({"new_password":"hijacked-password"})", bearer(t4));
  EXPECT_EQ(other.status, 403);
  EXPECT_EQ(other.body, R"({"detail":"Only an administrator can change another user's password."})");
  // Disabling: refused at once on this server, and after re-enabling too.
  const std::string admin = sign_in("admin@example.com", "admin-password");
  EXPECT_EQ(http_->put("/api/users/" + agent_.id, R"({"disabled":true})", bearer(admin)).status, 200);
  auto r = http_->get("/api/contacts", bearer(t4));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body, R"({"detail":"Invalid token: the account is disabled"})");
  EXPECT_EQ(http_->put("/api/users/" + agent_.id, R"({"disabled":false})", bearer(admin)).status, 200);
  EXPECT_EQ(http_->get("/api/contacts", bearer(t4)).status, 401);
  // An administrator resets a password without the old one.
  auto reset = http_->post("/api/users/" + agent_.id + "/password", R"({"new_password":"reset-password"})", bearer(admin));
  EXPECT_EQ(reset.status, 200) << reset.body;
  EXPECT_FALSE(parse(reset.body).HasMember("access_token"));
  EXPECT_FALSE(sign_in("agent@example.com", "reset-password").empty());
}

TEST_F(Accounts, ARoleChangeAppliesToTokensAlreadyIssued) {
  start_with_accounts();
  const std::string agent = sign_in("agent@example.com", "agent-password");
  const std::string admin = sign_in("admin@example.com", "admin-password");
  EXPECT_EQ(http_->get("/api/users", bearer(agent)).status, 403);
  EXPECT_EQ(http_->put("/api/users/" + agent_.id, R"({"role":"admin"})", bearer(admin)).status, 200);
  EXPECT_EQ(http_->get("/api/users", bearer(agent)).status, 200);
}

TEST_F(Accounts, AdministratorsManageTheTeamButNeverLockItOut) {
  start_with_accounts();
  const std::string admin = sign_in("admin@example.com", "admin-password");
  auto added = http_->post("/api/users",
                           R"({"email":"new@example.com","name":"New Agent","password":"new-user-password"})", bearer(admin));
  ASSERT_EQ(added.status, 201) << added.body;
  const std::string id = str(parse(added.body), "id");
  EXPECT_EQ(str(parse(added.body), "role"), "agent");
  EXPECT_EQ(http_->post("/api/users", R"({"email":"NEW@example.com","name":"Dup","password":"new-user-password"})",
                        bearer(admin)).status, 409);
  EXPECT_EQ(http_->post("/api/users", R"({"email":"x@example.com","name":"X","password":"short"})", bearer(admin)).status,
            422);
  auto bad_role = http_->post("/api/users", R"({"email":"y@example.com","name":"Y","password":"long-enough","role":"boss"})",
                              bearer(admin));
  EXPECT_EQ(bad_role.status, 422);
  EXPECT_EQ(bad_role.body, R"x({"detail":"role: must be one of admin, agent (got 'boss')"})x");
  EXPECT_EQ(parse(http_->get("/api/users", bearer(admin)).body).Size(), 4u);
  EXPECT_EQ(http_->get("/api/users/no-such-user", bearer(admin)).status, 404);

  // The only administrator cannot be demoted, disabled or removed, nor remove themself.
  const std::string last = R"({"detail":"The team needs at least one administrator who can sign in."})";
  EXPECT_EQ(http_->put("/api/users/" + admin_.id, R"({"role":"agent"})", bearer(admin)).body, last);
  EXPECT_EQ(http_->put("/api/users/" + admin_.id, R"({"disabled":true})", bearer(service_token())).body, last);
  EXPECT_EQ(http_->del("/api/users/" + admin_.id, bearer(service_token())).body, last);
  EXPECT_EQ(http_->del("/api/users/" + admin_.id, bearer(admin)).body, R"({"detail":"You cannot remove your own account."})");
  EXPECT_EQ(http_->put("/api/users/" + id, R"({"role":"admin"})", bearer(admin)).status, 200);
  EXPECT_EQ(http_->put("/api/users/" + admin_.id, R"({"role":"agent"})", bearer(service_token())).status, 200);
  EXPECT_EQ(http_->del("/api/users/" + id, bearer(service_token())).status, 409);  // now the last one
  EXPECT_EQ(http_->del("/api/users/" + other_.id, bearer(service_token())).status, 200);
  EXPECT_EQ(http_->get("/api/users/" + other_.id, bearer(service_token())).status, 404);
}

TEST_F(Accounts, UsersSetTheirOwnStatusToAvailableOrAway) {
  start_with_accounts();
  const std::string agent = sign_in("agent@example.com", "agent-password");
  auto r = http_->put("/api/users/me/status", R"({"status":"away"})", bearer(agent));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(str(parse(r.body), "status"), "away");
  EXPECT_EQ(UserStore(*storage_).get(agent_.id).status, UserStatus::away);
  auto busy = http_->put("/api/users/me/status", R"({"status":"busy"})", bearer(agent));
  EXPECT_EQ(busy.status, 422);
  EXPECT_EQ(busy.body, R"x({"detail":"status: you can set available or away (got 'busy'); busy, wrap_up and offline follow your calls and connections"})x");
  EXPECT_EQ(http_->put("/api/users/me/status", R"({"status":"available"})", bearer(service_token())).status, 409);
}

// Calls belong to whoever placed them: an agent sees, controls and counts
// only their own; another agent's call id is answered as an unknown one.
TEST_F(Accounts, AnAgentSeesAndControlsOnlyTheCallsTheyPlaced) {
  start_with_accounts();
  const std::string agent = sign_in("agent@example.com", "agent-password");
  const std::string other = sign_in("other@example.com", "other-password");
  const std::string admin = sign_in("admin@example.com", "admin-password");
  // Even when the body names someone else, a user's dial is their own.
  auto dialed = http_->post("/api/telnyx/dial", R"({"to_number":"+12125550101","agent_id":"someone-else"})", bearer(agent));
  ASSERT_EQ(dialed.status, 200) << dialed.body;
  const std::string mine = str(parse(dialed.body), "call_id");
  EXPECT_EQ(str(parse(dialed.body), "agent_id"), agent_.id);
  const std::string theirs =
      str(parse(http_->post("/api/telnyx/dial", R"({"to_number":"+12125550102"})", bearer(other)).body), "call_id");
  // A script with a service token names the agent; an unknown one is refused.
  auto scripted = http_->post("/api/telnyx/dial", R"({"to_number":"+12125550103","agent_id":")" + other_.id + R"("})",
                              bearer(service_token()));
  ASSERT_EQ(scripted.status, 200) << scripted.body;
  EXPECT_EQ(str(parse(scripted.body), "agent_id"), other_.id);
  auto unknown =
      http_->post("/api/telnyx/dial", R"({"to_number":"+12125550104","agent_id":"nobody"})", bearer(service_token()));
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(unknown.body, R"({"detail":"agent_id: no user has this id"})");

  const auto unknown_id = http_->get("/api/call-status/status/no-such-call", bearer(agent));
  EXPECT_EQ(unknown_id.status, 404);
  const auto probe = http_->get("/api/call-status/status/" + theirs, bearer(agent));
  EXPECT_EQ(probe.status, 404);
  EXPECT_EQ(probe.body, R"({"detail":"call )" + theirs + R"( not found"})");
  EXPECT_EQ(http_->get("/api/call-status/status/" + mine, bearer(agent)).status, 200);
  EXPECT_EQ(http_->get("/api/call-status/status/" + theirs, bearer(admin)).status, 200);
  EXPECT_EQ(http_->post("/api/telnyx/calls/" + theirs + "/mute", "{}", bearer(agent)).status, 404);
  EXPECT_EQ(http_->post("/api/telnyx/hangup/" + theirs, "", bearer(agent)).status, 404);
  EXPECT_EQ(http_->get("/api/recordings/" + theirs, bearer(agent)).status, 404);
  EXPECT_EQ(str(parse(http_->get("/api/call-status/status/" + theirs, bearer(admin)).body), "status") != "", true);

  auto ids = [&](const std::string& path, const std::string& token) {
    std::set<std::string> out;
    const auto doc = parse(http_->get(path, bearer(token)).body);
    for (const auto& c : doc.GetArray()) out.insert(str(c, "call_id"));
    return out;
  };
  EXPECT_EQ(ids("/api/calls/logs", agent), std::set<std::string>{mine});
  // Asking for another agent's calls still answers one's own.
  EXPECT_EQ(ids("/api/calls/logs?agent_id=" + other_.id, agent), std::set<std::string>{mine});
  EXPECT_EQ(ids("/api/calls/logs/search?query=555", agent), std::set<std::string>{mine});
  EXPECT_EQ(ids("/api/calls/logs", admin).size(), 3u);
  EXPECT_EQ(ids("/api/calls/logs?agent_id=" + other_.id, admin).size(), 2u);
  for (const auto& id : ids("/api/call-status/active", agent)) EXPECT_EQ(id, mine);
  EXPECT_EQ(parse(http_->get("/api/calls/stats/summary", bearer(agent)).body)["total_calls"].GetInt64(), 1);
  EXPECT_EQ(parse(http_->get("/api/call-status/stats", bearer(agent)).body)["total_calls"].GetInt64(), 1);
  EXPECT_EQ(parse(http_->get("/api/calls/stats/summary", bearer(admin)).body)["total_calls"].GetInt64(), 3);
  const std::string csv = http_->get("/api/calls/logs/export", bearer(agent)).body;
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 2);  // the header and one call
  EXPECT_NE(csv.find(",agent_id\r\n"), std::string::npos);
  EXPECT_NE(csv.find(mine), std::string::npos);
}

// Each socket gets the updates of the calls its user may see, and everyone's
// presence: agent.updated as the agent goes busy, wraps up and is available.
TEST_F(Accounts, SocketsCarryOwnCallsAndEveryonesPresence) {
  WebhookServerOptions so;
  so.wrap_up = 300ms;
  start_with_accounts(so);
  const std::string agent = sign_in("agent@example.com", "agent-password");
  const std::string other = sign_in("other@example.com", "other-password");
  const std::string admin = sign_in("admin@example.com", "admin-password");
  EXPECT_EQ(UserStore(*storage_).get(agent_.id).status, UserStatus::available);  // signing in brings them online
  // The others first, so that they hear everything that follows.
  WebSocketTestClient other_ws(port(), "/ws/calls?token=" + other);
  WebSocketTestClient admin_ws(port(), "/ws/calls?token=" + admin);
  for (auto* ws : {&other_ws, &admin_ws}) EXPECT_EQ(str(parse(ws->read_text()), "type"), "snapshot");
  WebSocketTestClient agent_ws(port(), "/ws/calls?token=" + agent);
  EXPECT_EQ(str(parse(agent_ws.read_text()), "type"), "snapshot");

  // 0004: answered, then the callee hangs up (demo).
  const std::string id =
      str(parse(http_->post("/api/telnyx/dial", R"({"to_number":"+12125550004"})", bearer(agent)).body), "call_id");
  struct Seen {
    std::vector<std::string> call_types;
    std::vector<std::string> agent_statuses;  // of the agent
  };
  auto read_until_available = [&](WebSocketTestClient& ws) {
    Seen seen;
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline) {
      const auto ev = ws.next(1s);
      if (ev.kind != WsEvent::Kind::message) continue;
      const auto doc = parse(ev.text);
      const std::string type = str(doc, "type");
      if (type == "agent.updated") {
        if (str(doc["agent"], "id") != agent_.id) continue;
        seen.agent_statuses.push_back(str(doc["agent"], "status"));
        EXPECT_FALSE(doc["agent"].HasMember("password_hash"));
        if (seen.agent_statuses.back() == "available" && seen.agent_statuses.size() > 1) break;
      } else {
        EXPECT_EQ(str(doc["call"], "call_id"), id) << ev.text;
        seen.call_types.push_back(type);
      }
    }
    return seen;
  };
  const Seen mine = read_until_available(agent_ws);
  EXPECT_FALSE(mine.call_types.empty());
  EXPECT_EQ(mine.call_types.back(), "call.ended");
  // Available since the sign-in; then the call: busy, wrap-up, available.
  EXPECT_EQ(mine.agent_statuses, (std::vector<std::string>{"busy", "wrap_up", "available"}));
  const Seen theirs = read_until_available(other_ws);
  EXPECT_TRUE(theirs.call_types.empty());  // not their call
  EXPECT_EQ(theirs.agent_statuses, mine.agent_statuses);
  const Seen admins = read_until_available(admin_ws);
  EXPECT_EQ(admins.call_types, mine.call_types);
  EXPECT_EQ(UserStore(*storage_).get(agent_.id).status, UserStatus::available);

  // The agent's last socket closes: offline, and everyone hears it.
  agent_ws.close();
  bool offline = false;
  for (int i = 0; i < 20 && !offline; ++i) {
    const auto ev = admin_ws.next(1s);
    if (ev.kind != WsEvent::Kind::message) continue;
    const auto doc = parse(ev.text);
    offline = str(doc, "type") == "agent.updated" && str(doc["agent"], "id") == agent_.id &&
              str(doc["agent"], "status") == "offline";
  }
  EXPECT_TRUE(offline);
}

// A revoked session keeps no socket open: logout, disabling and a role
// change close the user's sockets (1008); they reconnect and are checked again.
TEST_F(Accounts, RevokingASessionClosesTheUsersSockets) {
  start_with_accounts();
  const std::string admin = sign_in("admin@example.com", "admin-password");
  auto closed_with = [](WebSocketTestClient& ws) {
    for (int i = 0; i < 20; ++i) {
      const auto ev = ws.next(500ms);
      if (ev.kind == WsEvent::Kind::closed) return ev.close_code;
      if (ev.kind == WsEvent::Kind::error) return -1;
    }
    return 0;
  };
  {
    const std::string agent = sign_in("agent@example.com", "agent-password");
    WebSocketTestClient ws(port(), "/ws/calls?token=" + agent);
    WebSocketTestClient bystander(port(), "/ws/calls?token=" + admin);
    EXPECT_EQ(http_->post("/api/auth/logout", "", bearer(agent)).status, 200);
    EXPECT_EQ(closed_with(ws), 1008);
    EXPECT_EQ(WebSocketTestClient::try_connect(port(), "/ws/calls?token=" + agent, {}), 401);
    // Others stay connected.
    EXPECT_EQ(str(parse(bystander.read_text()), "type"), "snapshot");
    EXPECT_NE(bystander.next(300ms).kind, WsEvent::Kind::closed);
  }
  {
    const std::string agent = sign_in("agent@example.com", "agent-password");
    WebSocketTestClient ws(port(), "/ws/calls?token=" + agent);
    EXPECT_EQ(http_->put("/api/users/" + agent_.id, R"({"role":"admin"})", bearer(admin)).status, 200);
    EXPECT_EQ(closed_with(ws), 1008);
    // The same token still works (a role change revokes nothing), now as an administrator.
    EXPECT_EQ(WebSocketTestClient::try_connect(port(), "/ws/calls?token=" + agent, {}), 101);
    WebSocketTestClient again(port(), "/ws/calls?token=" + agent);
    EXPECT_EQ(http_->put("/api/users/" + agent_.id, R"({"disabled":true})", bearer(admin)).status, 200);
    EXPECT_EQ(closed_with(again), 1008);
  }
}

// A demo recording's file is its call's agent's (and the administrators').
TEST_F(Accounts, RecordingFilesAreTheirCallsAgents) {
  start_with_accounts();
  const std::string agent = sign_in("agent@example.com", "agent-password");
  const std::string other = sign_in("other@example.com", "other-password");
  const std::string admin = sign_in("admin@example.com", "admin-password");
  const std::string id = str(
      parse(http_->post("/api/telnyx/dial", R"({"to_number":"+12125550004","record":true})", bearer(agent)).body), "call_id");
  std::string url;
  ASSERT_TRUE(poll([&] {
    auto recs = parse(http_->get("/api/recordings/" + id, bearer(agent)).body);
    if (!recs.IsArray() || recs.Empty()) return false;
    url = str(recs[0], "url");
    EXPECT_EQ(str(recs[0], "agent_id"), agent_.id);
    return true;
  }));
  EXPECT_EQ(http_->get(url, bearer(agent)).status, 200);
  EXPECT_EQ(http_->get(url + "?token=" + agent).status, 200);
  EXPECT_EQ(http_->get(url, bearer(admin)).status, 200);
  EXPECT_EQ(http_->get(url, bearer(other)).status, 404);
  EXPECT_EQ(http_->get("/recordings/no-such-recording.wav", bearer(other)).status, 404);
  EXPECT_EQ(parse(http_->get("/api/recordings", bearer(other)).body).Size(), 0u);
  EXPECT_EQ(parse(http_->get("/api/recordings", bearer(agent)).body).Size(), 1u);
}

// Every route × every kind of caller: anonymous callers get 401 on every
// protected route, agents 403 on the administrators' routes and never on the
// others, administrators and service tokens never either.
TEST_F(Accounts, RoleMatrixOverEveryRoute) {
  start_with_accounts();
  const std::string agent = sign_in("agent@example.com", "agent-password");
  const std::string admin = sign_in("admin@example.com", "admin-password");
  const std::string service = service_token();
  for (const auto& route : server_->routes()) {
    const auto space = route.find(' ');
    const std::string method = route.substr(0, space);
    const std::string pattern = route.substr(space + 1);
    if (pattern == "/ws/calls") continue;  // below
    // Logging out would end the session the next routes use.
    if (pattern == "/api/auth/logout") continue;
    const auto* access = server::find_access(method, pattern);
    ASSERT_NE(access, nullptr) << route << " has no entry in the access table (api/access_policy.cpp)";
    std::string target = std::regex_replace(pattern, std::regex(R"(\{[^}]*\})"), "unknown-id");
    const bool with_body = method == "POST" || method == "PUT";
    auto call = [&](const HeaderPairs& h) {
      HeaderPairs headers = h;
      if (with_body) headers.emplace_back("Content-Type", "application/json");
      return http_->request(method, target, with_body ? "{}" : "", headers).status;
    };
    const bool under_token = pattern.rfind("/api", 0) == 0 || pattern.rfind("/recordings", 0) == 0;
    const int anonymous = call({});
    if (access->access != server::Access::open && under_token) {
      EXPECT_EQ(anonymous, 401) << route;
    }
    const int as_agent = call(bearer(agent));
    if (access->access == server::Access::admin) {
      EXPECT_EQ(as_agent, 403) << route;
    } else {
      EXPECT_NE(as_agent, 403) << route;
      EXPECT_NE(as_agent, 401) << route;
    }
    for (const auto* t : {&admin, &service}) {
      const int s = call(bearer(*t));
      EXPECT_NE(s, 401) << route;
      EXPECT_NE(s, 403) << route;
    }
  }
  EXPECT_EQ(WebSocketTestClient::try_connect(port(), "/ws/calls", {}), 401);
  EXPECT_EQ(WebSocketTestClient::try_connect(port(), "/ws/calls?token=" + agent, {}), 101);
}

// docs/reference-server.md lists every route with who may call it, as the table does.
TEST_F(Accounts, TheDocumentListsEveryRouteWithItsAccess) {
  std::ifstream in(std::string(CALLWIRE_SOURCE_DIR) + "/docs/reference-server.md");
  ASSERT_TRUE(in) << "docs/reference-server.md";
  std::map<std::string, std::string> documented;
  const std::regex row(R"(^\| `(GET|POST|PUT|DELETE) ([^`]+)` \| (open|signed in|admin) \|)");
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_search(line, m, row)) documented[m[1].str() + " " + m[2].str()] = m[3].str();
  }
  for (const auto& r : server::access_table()) {
    const std::string key = std::string(r.method) + " " + std::string(r.pattern);
    const char* level = r.access == server::Access::open ? "open" : r.access == server::Access::admin ? "admin" : "signed in";
    ASSERT_TRUE(documented.count(key)) << key << " is not in docs/reference-server.md's access table";
    EXPECT_EQ(documented[key], level) << key;
  }
  EXPECT_EQ(documented.size(), server::access_table().size());
}

}  // namespace
