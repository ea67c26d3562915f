#include "server/middleware.hpp"
#include "server/request_path.hpp"

#include <gtest/gtest.h>

#include "server/dispatcher.hpp"
#include "server/jwt.hpp"

namespace callwire::server {
namespace {

Request make(std::string method, std::string path, HeaderList headers = {}) {
  Request r;
  r.method = std::move(method);
  r.target = path;
  auto q = path.find('?');
  r.path = path.substr(0, q);
  if (q != std::string::npos) r.query_string = path.substr(q + 1);
  r.query = parse_query(r.query_string);
  r.headers = std::move(headers);
  if (auto canonical = canonical_path(r.path)) r.canonical_path = canonical->text;  // as the dispatcher does
  return r;
}

CorsOptions origins(std::vector<std::string> list) {
  CorsOptions o;
  o.allowed_origins = std::move(list);
  return o;
}

TEST(Cors, SplitsOriginLists) {
  EXPECT_EQ(split_list(" http://a:3000 , ,http://b/ "), (std::vector<std::string>{"http://a:3000", "http://b/"}));
  EXPECT_TRUE(split_list("").empty());
}

TEST(Cors, AnswersPreflightForAllowedOrigins) {
  Cors cors(origins({"http://localhost:3000/", "https://app.example.com"}));
  auto req = make("OPTIONS", "/api/contacts",
                  {{"Origin", "http://localhost:3000"},
                   {"Access-Control-Request-Method", "POST"},
                   {"Access-Control-Request-Headers", "authorization, content-type"}});
  ASSERT_TRUE(cors.is_preflight(req));
  auto res = cors.preflight(req);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.header("Access-Control-Allow-Origin").value_or(""), "http://localhost:3000");
  EXPECT_EQ(res.header("Access-Control-Allow-Credentials").value_or(""), "true");
  EXPECT_EQ(res.header("Access-Control-Allow-Headers").value_or(""), "authorization, content-type");
  EXPECT_NE(res.header("Access-Control-Allow-Methods").value_or("").find("POST"), std::string::npos);
  EXPECT_EQ(res.header("Vary").value_or(""), "Origin");

  auto evil = make("OPTIONS", "/api/contacts", {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "GET"}});
  auto refused = cors.preflight(evil);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.body, R"({"detail":"Disallowed CORS origin"})");
  EXPECT_FALSE(refused.header("Access-Control-Allow-Origin"));

  // Not a preflight: no request method, or CORS off.
  EXPECT_FALSE(cors.is_preflight(make("OPTIONS", "/api/contacts", {{"Origin", "http://localhost:3000"}})));
  EXPECT_FALSE(Cors(CorsOptions{}).is_preflight(req));
}

TEST(Cors, DecoratesActualResponses) {
  Cors cors(origins({"https://app.example.com"}));
  Response ok;
  cors.decorate(make("GET", "/api/x", {{"Origin", "https://app.example.com"}}), ok);
  EXPECT_EQ(ok.header("Access-Control-Allow-Origin").value_or(""), "https://app.example.com");
  EXPECT_EQ(ok.header("Access-Control-Allow-Credentials").value_or(""), "true");
  EXPECT_EQ(ok.header("Access-Control-Expose-Headers").value_or(""), "Content-Disposition");
  EXPECT_EQ(ok.header("Vary").value_or(""), "Origin");

  Response other;
  other.set_header("Vary", "Accept-Encoding");
  cors.decorate(make("GET", "/api/x", {{"Origin", "https://other.example"}}), other);
  EXPECT_FALSE(other.header("Access-Control-Allow-Origin"));
  EXPECT_EQ(other.header("Vary").value_or(""), "Accept-Encoding, Origin");

  // A wildcard lets any page read, never with credentials.
  Cors any(origins({"*", "https://app.example.com"}));
  Response wild;
  any.decorate(make("GET", "/x", {{"Origin", "http://whatever:1"}}), wild);
  EXPECT_EQ(wild.header("Access-Control-Allow-Origin").value_or(""), "*");
  EXPECT_FALSE(wild.header("Access-Control-Allow-Credentials"));
  auto pre = any.preflight(make("OPTIONS", "/x", {{"Origin", "http://whatever:1"}, {"Access-Control-Request-Method", "POST"}}));
  EXPECT_EQ(pre.header("Access-Control-Allow-Origin").value_or(""), "*");
  EXPECT_FALSE(pre.header("Access-Control-Allow-Credentials"));
  Response listed;
  any.decorate(make("GET", "/x", {{"Origin", "https://app.example.com"}}), listed);
  EXPECT_EQ(listed.header("Access-Control-Allow-Origin").value_or(""), "https://app.example.com");
  EXPECT_EQ(listed.header("Access-Control-Allow-Credentials").value_or(""), "true");
}

TEST(Auth, ProtectsPrefixesOnSegmentBoundaries) {
  AuthOptions o;
  o.jwt_secret = "s3cret";
  o.public_paths = {"/api/public"};
  Authenticator auth(o);
  EXPECT_TRUE(auth.protects("/api"));
  EXPECT_TRUE(auth.protects("/api/contacts"));
  EXPECT_TRUE(auth.protects("/ws/calls"));
  EXPECT_FALSE(auth.protects("/apix"));
  EXPECT_FALSE(auth.protects("/health"));
  EXPECT_FALSE(auth.protects("/webhooks/call"));
  EXPECT_FALSE(auth.protects("/api/public"));
  EXPECT_FALSE(Authenticator(AuthOptions{}).protects("/api/contacts"));
}

TEST(Auth, ChecksBearerTokens) {
  AuthOptions o;
  o.jwt_secret = "s3cret";
  Authenticator auth(o);
  JwtClaims c;
  c.subject = "alice";
  c.expires_at = std::chrono::system_clock::now() + std::chrono::hours(1);
  const auto token = jwt_sign(c, "s3cret");

  auto missing = make("GET", "/api/contacts");
  auto denied = auth.check(missing, false);
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 401);
  EXPECT_EQ(denied->body, R"({"detail":"Not authenticated"})");
  EXPECT_EQ(denied->header("WWW-Authenticate").value_or(""), "Bearer");

  auto basic = make("GET", "/api/contacts", {{"Authorization", "Basic dXNlcjpwYXNz"}});
  EXPECT_EQ(auth.check(basic, false)->body, R"({"detail":"Not authenticated"})");

  auto good = make("GET", "/api/contacts", {{"authorization", "bearer " + token}});
  EXPECT_FALSE(auth.check(good, false));
  ASSERT_TRUE(good.auth);
  EXPECT_EQ(good.auth->subject, "alice");

  auto forged = make("GET", "/api/contacts", {{"Authorization", "Bearer " + jwt_sign(c, "other")}});
  EXPECT_EQ(auth.check(forged, false)->body, R"({"detail":"Invalid token: Signature verification failed"})");

  // ?token= counts for WebSocket upgrades only.
  auto query = make("GET", "/api/contacts?token=" + token);
  EXPECT_TRUE(auth.check(query, false));
  auto ws = make("GET", "/ws/calls?token=" + token);
  EXPECT_FALSE(auth.check(ws, true));
  // ... and on the prefixes that allow it (media elements send no headers).
  AuthOptions media = o;
  media.protected_prefixes = {"/api", "/recordings"};
  media.query_token_prefixes = {"/recordings"};
  Authenticator with_media(media);
  auto file = make("GET", "/recordings/a.wav?token=" + token);
  EXPECT_FALSE(with_media.check(file, false));
  auto no_token = make("GET", "/recordings/a.wav");
  EXPECT_EQ(with_media.check(no_token, false)->status, 401);
  auto api = make("GET", "/api/contacts?token=" + token);
  EXPECT_TRUE(with_media.check(api, false));
}

TEST(Dispatcher, RunsCorsBeforeAuthAndDecoratesAnswers) {
  auto router = std::make_shared<Router>();
  router->get("/api/me", Router::sync([](const Request& r) { return Response::text(r.auth ? r.auth->subject : "-"); }));
  DispatcherOptions o;
  o.cors.allowed_origins = {"http://ui"};
  o.auth.jwt_secret = "k";
  o.metrics = std::make_shared<metrics::Registry>();
  Dispatcher d(router, o);

  std::optional<Response> out;
  auto capture = [&](Response r) { out = std::move(r); };
  d.handle(make("OPTIONS", "/api/me", {{"Origin", "http://ui"}, {"Access-Control-Request-Method", "GET"}}), capture);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 200);  // no token needed for a preflight

  d.handle(make("GET", "/api/me", {{"Origin", "http://ui"}}), capture);
  EXPECT_EQ(out->status, 401);
  EXPECT_EQ(out->header("Access-Control-Allow-Origin").value_or(""), "http://ui");  // the browser can read the 401

  JwtClaims c;
  c.subject = "bob";
  d.handle(make("GET", "/api/me/", {{"Origin", "http://ui"}, {"Authorization", "Bearer " + jwt_sign(c, "k")}}), capture);
  EXPECT_EQ(out->status, 200);
  EXPECT_EQ(out->body, "bob");
  EXPECT_EQ(out->header("Access-Control-Allow-Origin").value_or(""), "http://ui");

  d.handle(make("GET", "/nowhere"), capture);
  EXPECT_EQ(out->status, 404);

  const auto text = o.metrics->render();
  EXPECT_NE(text.find(R"(callwire_http_requests_total{route="/api/me",method="GET",status="200"} 1)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(callwire_http_requests_total{route="/api/me",method="GET",status="401"} 1)"), std::string::npos);
  EXPECT_NE(text.find(R"(callwire_http_requests_total{route="preflight",method="OPTIONS",status="200"} 1)"), std::string::npos);
  EXPECT_NE(text.find(R"(callwire_http_requests_total{route="unmatched",method="GET",status="404"} 1)"), std::string::npos);
  EXPECT_NE(text.find(R"(callwire_http_request_duration_seconds_count{route="/api/me",method="GET"} 2)"), std::string::npos);
}

}  // namespace
}  // namespace callwire::server
