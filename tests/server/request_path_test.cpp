// The canonical request path (src/server/request_path.hpp): the one form on
// which routes, tokens, files and hubs are decided.
#include "server/request_path.hpp"

#include <gtest/gtest.h>

#include "server/dispatcher.hpp"
#include "server/origin.hpp"

using namespace callwire::server;

namespace {

std::string refused(std::string_view raw) {
  std::string why;
  auto p = canonical_path(raw, &why);
  return p ? std::string("accepted as ") + p->text : why;
}

TEST(RequestPath, DecodesAndSplitsOnce) {
  auto p = canonical_path("/api/contacts/a%20b/");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->segments, (std::vector<std::string>{"api", "contacts", "a b"}));
  EXPECT_EQ(p->text, "/api/contacts/a b");
  EXPECT_EQ(canonical_path("/")->text, "/");
  EXPECT_TRUE(canonical_path("/")->segments.empty());
  EXPECT_EQ(canonical_path("/api/dnc/+15551234567")->segments.back(), "+15551234567");
  EXPECT_EQ(canonical_path("/api/x%3Fy%23z")->segments.back(), "x?y#z");  // reserved characters may be encoded
  EXPECT_EQ(canonical_path("/caf%C3%A9")->segments.back(), "caf\xC3\xA9");
}

TEST(RequestPath, RefusesEncodedUnreservedCharacters) {
  EXPECT_EQ(refused("/%61pi/contacts"), "an unreserved character is percent-encoded");
  EXPECT_EQ(refused("/ap%69/contacts"), "an unreserved character is percent-encoded");
  EXPECT_EQ(refused("/%61%70%69/contacts"), "an unreserved character is percent-encoded");
  EXPECT_EQ(refused("/api/%2e%2e/x"), "an unreserved character is percent-encoded");
  EXPECT_EQ(refused("/api/a%7Eb"), "an unreserved character is percent-encoded");
}

TEST(RequestPath, RefusesDoubleEncodingEncodedSlashesAndBadEscapes) {
  EXPECT_EQ(refused("/%2561pi/contacts"), "a percent escape that decodes to another escape");
  EXPECT_EQ(refused("/api%2Fcontacts"), "an encoded '/'");
  EXPECT_EQ(refused("/api%2fcontacts"), "an encoded '/'");
  EXPECT_EQ(refused("/api/%zz"), "invalid percent escape");
  EXPECT_EQ(refused("/api/%4"), "incomplete percent escape");
  EXPECT_EQ(refused("/api/%"), "incomplete percent escape");
  EXPECT_EQ(refused("/api/a%00b"), "a control character");
  EXPECT_EQ(refused("/api/a%0Ab"), "a control character");
  EXPECT_EQ(refused("/api/100%25"), "accepted as /api/100%");  // a lone '%' is fine once decoded
}

TEST(RequestPath, RefusesEmptyAndDotSegments) {
  EXPECT_EQ(refused("//api"), "empty segment");
  EXPECT_EQ(refused("//"), "empty segment");
  EXPECT_EQ(refused("/api//contacts"), "empty segment");
  EXPECT_EQ(refused("/./api"), "a dot segment");
  EXPECT_EQ(refused("/api/../api"), "a dot segment");
  EXPECT_EQ(refused("/api/."), "a dot segment");
  EXPECT_EQ(refused("api"), "does not start with '/'");
  EXPECT_EQ(refused(""), "does not start with '/'");
  EXPECT_EQ(refused("/api/...x"), "accepted as /api/...x");
}

TEST(Origin, HostsAndLoopbackHaveOneRule) {
  EXPECT_EQ(split_authority("LocalHost:8000"), (std::pair<std::string, std::string>{"localhost", "8000"}));
  EXPECT_EQ(split_authority("[::1]:80"), (std::pair<std::string, std::string>{"::1", "80"}));
  EXPECT_EQ(split_authority("::1"), (std::pair<std::string, std::string>{"::1", ""}));
  EXPECT_EQ(split_authority("example.com."), (std::pair<std::string, std::string>{"example.com", ""}));
  for (const char* h : {"localhost", "app.localhost", "127.0.0.1", "127.9.9.9", "::1", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(is_loopback_host(h)) << h;
  }
  for (const char* h : {"0.0.0.0", "10.0.0.1", "localhost.evil.example", "::", "example.com", "notlocalhost"}) {
    EXPECT_FALSE(is_loopback_host(h)) << h;
  }
  EXPECT_EQ(normalize_origin("HTTP://Example.COM:80/"), "http://example.com");
  EXPECT_EQ(normalize_origin("null"), "");
}

// The dispatcher decides protection on the same canonical path the router
// matches: each of these reached the handler without a token before.
TEST(RequestPath, DispatcherRefusesNonCanonicalPathsBeforeAuthAndRouting) {
  auto router = std::make_shared<Router>();
  int handled = 0;
  router->get("/api/contacts", Router::sync([&](const Request&) {
                ++handled;
                return Response::json("[]");
              }));
  DispatcherOptions o;
  o.auth.jwt_secret = "0123456789abcdef0123456789abcdef";
  Dispatcher d(router, o);
  auto answer = [&](std::string target) {
    Request req;
    req.method = "GET";
    req.target = target;
    req.path = target;
    int status = 0;
    std::string body;
    d.handle(req, [&](Response r) {
      status = r.status;
      body = r.body;
    });
    return std::pair{status, body};
  };
  for (const char* path : {"/%61pi/contacts", "/ap%69/contacts", "/%2561pi/contacts", "//api/contacts", "/./api/contacts",
                           "/api/../api/contacts", "/%61%70%69/contacts"}) {
    const auto [status, body] = answer(path);
    EXPECT_EQ(status, 400) << path;
    EXPECT_EQ(body, R"({"detail":"The request path is not in canonical form."})") << path;
  }
  EXPECT_EQ(answer("/api/contacts").first, 401);
  EXPECT_EQ(answer("/api/contacts/").first, 401);
  EXPECT_EQ(handled, 0);
}

}  // namespace
