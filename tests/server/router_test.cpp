#include "server/router.hpp"

#include <gtest/gtest.h>

#include <optional>

namespace callwire::server {
namespace {

/// Dispatches through a callback responder and returns the answer.
Response run(const Router& router, std::string method, std::string target, Request* seen = nullptr) {
  Request req;
  req.method = std::move(method);
  req.target = target;
  auto q = target.find('?');
  req.path = target.substr(0, q);
  if (q != std::string::npos) req.query_string = target.substr(q + 1);
  std::optional<Response> out;
  router.dispatch(req, Responder::from_callback([&](Response r) { out = std::move(r); }));
  if (seen) *seen = req;
  EXPECT_TRUE(out.has_value());
  return out.value_or(Response{});
}

Router::Handler echo(std::string name) {
  return Router::sync([name](const Request& req) {
    std::string body = name;
    for (const auto& [k, v] : req.params) body += " " + k + "=" + v;
    return Response::text(body);
  });
}

TEST(Router, MatchesLiteralAndParameterSegments) {
  Router r;
  r.get("/api/contacts", echo("list"));
  r.post("/api/contacts/{id}/favorite", echo("fav"));
  r.get("/api/call-status/status/{call_id}", echo("status"));
  EXPECT_EQ(run(r, "GET", "/api/contacts").body, "list");
  EXPECT_EQ(run(r, "POST", "/api/contacts/c-1/favorite").body, "fav id=c-1");
  EXPECT_EQ(run(r, "GET", "/api/call-status/status/abc").body, "status call_id=abc");
}

TEST(Router, IsTrailingSlashTolerant) {
  Router r;
  r.get("/api/contacts/", echo("list"));
  r.get("/api/numbers", echo("numbers"));
  EXPECT_EQ(run(r, "GET", "/api/contacts").body, "list");
  EXPECT_EQ(run(r, "GET", "/api/contacts/").body, "list");
  EXPECT_EQ(run(r, "GET", "/api/numbers/").body, "numbers");
  EXPECT_EQ(run(r, "GET", "/api/numbers").body, "numbers");
}

TEST(Router, PercentDecodesParametersPerSegment) {
  Router r;
  r.get("/files/{name}", echo("f"));
  EXPECT_EQ(run(r, "GET", "/files/a%20b%2Fc").body, "f name=a b/c");
  // An encoded slash does not split segments.
  EXPECT_EQ(run(r, "GET", "/files/x%2Fy/").status, 200);
}

TEST(Router, AnswersNotFoundLikeFastApi) {
  Router r;
  r.get("/api/contacts", echo("list"));
  auto res = run(r, "GET", "/api/nothing");
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.body, R"({"detail":"Not Found"})");
  EXPECT_EQ(res.header("Content-Type").value_or(""), "application/json");
  // An empty parameter segment does not match.
  r.put("/api/contacts/{id}", echo("put"));
  EXPECT_EQ(run(r, "PUT", "/api/contacts//").status, 404);
  EXPECT_EQ(run(r, "PUT", "/api/contacts/1/extra").status, 404);
}

TEST(Router, AnswersMethodNotAllowedWithAllowHeader) {
  Router r;
  r.get("/api/contacts/{id}", echo("get"));
  r.del("/api/contacts/{id}", echo("del"));
  auto res = run(r, "POST", "/api/contacts/5");
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.body, R"({"detail":"Method Not Allowed"})");
  EXPECT_EQ(res.header("Allow").value_or(""), "DELETE, GET, HEAD");
}

TEST(Router, GetRoutesAnswerHead) {
  Router r;
  r.get("/health", echo("ok"));
  Request seen;
  EXPECT_EQ(run(r, "HEAD", "/health", &seen).status, 200);
  EXPECT_EQ(seen.route, "/health");
}

TEST(Router, MostSpecificPatternWins) {
  Router r;
  r.get("/api/calls/{kind}/{id}", echo("generic"));
  r.get("/api/calls/logs/{id}", echo("logs"));
  r.get("/api/calls/logs/search", echo("search"));
  r.get("/files/{rest:path}", echo("rest"));
  r.get("/files/{name}", echo("one"));
  EXPECT_EQ(run(r, "GET", "/api/calls/logs/search").body, "search");
  EXPECT_EQ(run(r, "GET", "/api/calls/logs/7").body, "logs id=7");
  EXPECT_EQ(run(r, "GET", "/api/calls/other/7").body, "generic id=7 kind=other");
  EXPECT_EQ(run(r, "GET", "/files/a").body, "one name=a");
  EXPECT_EQ(run(r, "GET", "/files/a/b/c.wav").body, "rest rest=a/b/c.wav");
  EXPECT_EQ(run(r, "GET", "/files").body, "rest rest=");
}

TEST(Router, SetsRouteParamsAndDecodedQuery) {
  Router r;
  r.get("/api/calls/logs/search", echo("search"));
  Request seen;
  run(r, "GET", "/api/calls/logs/search?query=%2B1%20555&status=completed&limit=10&flag&query=last+one&&", &seen);
  EXPECT_EQ(seen.route, "/api/calls/logs/search");
  ASSERT_EQ(seen.query.size(), 5u);
  EXPECT_EQ(seen.query[0], (std::pair<std::string, std::string>("query", "+1 555")));
  EXPECT_EQ(seen.query[3], (std::pair<std::string, std::string>("flag", "")));
  EXPECT_EQ(seen.query_param("query"), "last one");  // the last value, like FastAPI
  EXPECT_EQ(seen.query_param("status"), "completed");
  EXPECT_EQ(seen.query_param("missing"), std::nullopt);
}

TEST(Router, KeepsInvalidPercentEscapes) {
  EXPECT_EQ(percent_decode("100%"), "100%");
  EXPECT_EQ(percent_decode("%zz%4"), "%zz%4");
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("a+b"), "a+b");
  EXPECT_EQ(percent_decode("%41%6a"), "Aj");
}

TEST(Router, RefusesMalformedPatternsAndDuplicates) {
  Router r;
  auto h = echo("x");
  EXPECT_THROW(r.get("api/x", h), Error);
  EXPECT_THROW(r.get("/api/{id", h), Error);
  EXPECT_THROW(r.get("/api/{}", h), Error);
  EXPECT_THROW(r.get("/api/{id}/{id}", h), Error);
  EXPECT_THROW(r.get("/api/{rest:path}/more", h), Error);
  EXPECT_THROW(r.get("/api/{id:int}", h), Error);
  EXPECT_THROW(r.get("/api//x", h), Error);
  EXPECT_THROW(r.add("get", "/x", h), Error);
  r.get("/api/x", h);
  EXPECT_THROW(r.get("/api/x/", h), Error);
  EXPECT_NO_THROW(r.post("/api/x", h));
  ASSERT_EQ(r.routes().size(), 2u);
  EXPECT_EQ(r.routes()[0].pattern, "/api/x");
}

TEST(Router, HandlerExceptionsBecomeErrorResponses) {
  Router r;
  r.get("/bad", Router::sync([](const Request&) -> Response { throw Error(errc::invalid_argument, "to_number: not E.164"); }));
  r.get("/missing", [](const Request&, Responder) { throw Error(errc::not_found, "Contact not found"); });
  r.get("/boom", [](const Request&, Responder) { throw std::runtime_error("secret internals"); });
  auto bad = run(r, "GET", "/bad");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.body, R"({"detail":"to_number: not E.164"})");
  EXPECT_EQ(run(r, "GET", "/missing").status, 404);
  auto boom = run(r, "GET", "/boom");
  EXPECT_EQ(boom.status, 500);
  EXPECT_EQ(boom.body, R"({"detail":"Internal Server Error"})");
}

TEST(Responder, AnswersOnceAndFallsBackTo500WhenDropped) {
  std::vector<Response> got;
  {
    auto res = Responder::from_callback([&](Response r) { got.push_back(std::move(r)); });
    auto copy = res;
    copy.send(Response::text("first"));
    res.send(Response::text("second"));
    EXPECT_TRUE(res.responded());
  }
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, "first");

  got.clear();
  { auto dropped = Responder::from_callback([&](Response r) { got.push_back(std::move(r)); }); }
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].status, 500);
}

TEST(Responder, StreamsIntoOneResponseForCallbackHosts) {
  std::optional<Response> got;
  auto res = Responder::from_callback([&](Response r) { got = std::move(r); });
  auto head = Response::text("", 200, "text/csv");
  auto w = res.stream(head);
  ASSERT_TRUE(w);
  EXPECT_TRUE(w->write("a,b\r\n"));
  EXPECT_TRUE(w->write("1,2\r\n"));
  EXPECT_FALSE(got.has_value());
  w->finish();
  EXPECT_FALSE(w->write("late"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->body, "a,b\r\n1,2\r\n");
  EXPECT_EQ(got->header("content-type").value_or(""), "text/csv");
  EXPECT_EQ(res.stream(head), nullptr);  // already answered
}

TEST(Response, MapsErrorCodesToStatuses) {
  EXPECT_EQ(status_for(errc::invalid_argument), 422);
  EXPECT_EQ(status_for(errc::malformed), 400);
  EXPECT_EQ(status_for(errc::not_found), 404);
  EXPECT_EQ(status_for(errc::conflict), 409);
  EXPECT_EQ(status_for(errc::unauthorized), 401);
  EXPECT_EQ(status_for(errc::forbidden), 403);
  EXPECT_EQ(status_for(errc::too_large), 413);
  EXPECT_EQ(status_for(errc::rate_limited), 429);
  EXPECT_EQ(status_for(errc::carrier), 502);
  EXPECT_EQ(status_for(errc::unavailable), 503);
  EXPECT_EQ(status_for(errc::timeout), 504);
  EXPECT_EQ(status_for(errc::storage), 500);
  auto r = Response::from_error(Error(errc::conflict, "Number already exists"));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.body, R"({"detail":"Number already exists"})");
}

TEST(Response, SetHeaderReplacesCaseInsensitively) {
  Response r;
  r.add_header("X-A", "1").add_header("x-a", "2").set_header("X-a", "3");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.header("x-A").value_or(""), "3");
}

}  // namespace
}  // namespace callwire::server
