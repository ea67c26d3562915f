#include "server/http_server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <latch>
#include <mutex>
#include <thread>

#include "http_test_client.hpp"
#include "server/jwt.hpp"
#include "server/worker_pool.hpp"
#include "test_server.hpp"

namespace callwire::server {
namespace {

using test::eventually;
using test::HttpTestClient;
using test::TestServer;

std::shared_ptr<Router> basic_router() {
  auto r = std::make_shared<Router>();
  r->get("/health", Router::sync([](const Request&) { return Response::json(R"({"status":"ok"})"); }));
  r->get("/api/items/{id}", Router::sync([](const Request& req) {
    return Response::json("{\"id\":\"" + req.param("id") + "\",\"q\":\"" + req.query_param("q").value_or("") + "\"}");
  }));
  r->post("/api/echo", Router::sync([](const Request& req) {
    return Response::text(req.body, 200, std::string(req.header("Content-Type").value_or("text/plain")));
  }));
  return r;
}

TEST(HttpServer, ServesRoutesOverKeepAlive) {
  TestServer srv(basic_router());
  HttpTestClient c(srv.port());
  for (int i = 0; i < 5; ++i) {
    auto r = c.get("/api/items/" + std::to_string(i) + "?q=a%20b");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "{\"id\":\"" + std::to_string(i) + "\",\"q\":\"a b\"}");
    EXPECT_EQ(r.header("Content-Type").value_or(""), "application/json");
    EXPECT_EQ(r.header("Server").value_or(""), "callwire");
    EXPECT_TRUE(r.keep_alive);
  }
  auto echoed = c.post("/api/echo", R"({"x":1})");
  EXPECT_EQ(echoed.body, R"({"x":1})");
  auto missing = c.get("/api/nothing");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, R"({"detail":"Not Found"})");
  auto wrong = c.del("/api/items/1");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.body, R"({"detail":"Method Not Allowed"})");
  EXPECT_EQ(c.connects(), 1u);  // everything on one connection
  EXPECT_EQ(srv.server().connection_count(), 1u);
}

TEST(HttpServer, AnswersPipelinedRequestsInOrder) {
  TestServer srv(basic_router());
  HttpTestClient c(srv.port());
  c.send_raw("GET /api/items/1 HTTP/1.1\r\nHost: localhost\r\n\r\nGET /api/items/2 HTTP/1.1\r\nHost: localhost\r\n\r\n");
  EXPECT_EQ(c.read_response().body, R"({"id":"1","q":""})");
  EXPECT_EQ(c.read_response().body, R"({"id":"2","q":""})");
}

TEST(HttpServer, ClosesWhenTheClientAsks) {
  TestServer srv(basic_router());
  HttpTestClient c(srv.port());
  auto r = c.get("/health", {{"Connection", "close"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.keep_alive);
  HttpTestClient old(srv.port());
  old.send_raw("GET /health HTTP/1.0\r\n\r\n");
  auto r10 = old.read_response();
  EXPECT_EQ(r10.status, 200);
  EXPECT_FALSE(r10.keep_alive);
}

TEST(HttpServer, RefusesBodiesOverTheLimit) {
  HttpServerOptions o;
  o.body_limit = 1024;
  TestServer srv(basic_router(), o);
  const std::string detail = R"j({"detail":"request body too large (limit 1024 bytes)"})j";

  HttpTestClient c(srv.port());
  EXPECT_EQ(c.post("/api/echo", std::string(1024, 'a')).status, 200);  // exactly the limit is fine
  auto big = c.post("/api/echo", std::string(1025, 'a'));
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.body, detail);
  EXPECT_FALSE(big.keep_alive);

  // A huge Content-Length is refused from the headers, before any body.
  HttpTestClient huge(srv.port());
  huge.send_raw("POST /api/echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{\"a\":");
  auto r = huge.read_response();
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.body, detail);
  EXPECT_TRUE(huge.wait_closed_by_peer(std::chrono::seconds(10)));

  // The same for a chunked body that grows past the limit.
  HttpTestClient chunked(srv.port());
  chunked.send_raw("POST /api/echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" + std::string(1024, 'b') +
                   "\r\n10\r\n" + std::string(16, 'c') + "\r\n0\r\n\r\n");
  auto rc = chunked.read_response();
  EXPECT_EQ(rc.status, 413);
  EXPECT_EQ(rc.body, detail);
}

TEST(HttpServer, HonoursExpectContinue) {
  TestServer srv(basic_router());
  HttpTestClient c(srv.port());
  c.send_raw("POST /api/echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(c.read_response().status, 100);
  c.send_raw("hello");
  auto r = c.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello");
}

TEST(HttpServer, AnswersMalformedRequestsAndHugeHeaders) {
  HttpServerOptions o;
  o.header_limit = 1024;
  TestServer srv(basic_router(), o);
  HttpTestClient bad(srv.port());
  bad.send_raw("THIS IS NOT HTTP\r\n\r\n");
  auto r = bad.read_response();
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, R"({"detail":"Bad Request"})");

  HttpTestClient big(srv.port());
  big.send_raw("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + std::string(4096, 'x') + "\r\n\r\n");
  auto h = big.read_response();
  EXPECT_EQ(h.status, 431);
  EXPECT_EQ(h.body, R"({"detail":"request header too large"})");
}

TEST(HttpServer, ClosesIdleConnections) {
  HttpServerOptions o;
  o.idle_timeout = std::chrono::milliseconds(150);
  TestServer srv(basic_router(), o);
  HttpTestClient silent(srv.port());
  silent.connect();
  EXPECT_TRUE(silent.wait_closed_by_peer(std::chrono::seconds(10)));

  HttpTestClient kept(srv.port());
  EXPECT_EQ(kept.get("/health").status, 200);
  EXPECT_TRUE(kept.wait_closed_by_peer(std::chrono::seconds(10)));  // idle after its request
  EXPECT_TRUE(eventually([&] { return srv.server().connection_count() == 0; }));
}

TEST(HttpServer, ClosesRequestsThatStallHalfWay) {
  HttpServerOptions o;
  o.idle_timeout = std::chrono::minutes(5);  // only the read timeout can close it within the wait
  o.read_timeout = std::chrono::milliseconds(150);
  TestServer srv(basic_router(), o);
  HttpTestClient c(srv.port());
  c.send_raw("GET /health HTTP/1.1\r\nHost: localhost\r\n");  // never finishes its headers
  EXPECT_TRUE(c.wait_closed_by_peer(std::chrono::seconds(10)));

  HttpTestClient body(srv.port());
  body.send_raw("POST /api/echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nabc");
  EXPECT_TRUE(body.wait_closed_by_peer(std::chrono::seconds(10)));
}

TEST(HttpServer, RespondsFromWorkerThreads) {
  WorkerPool pool(2, "test-workers");
  auto router = std::make_shared<Router>();
  std::atomic<int> on_pool{0};
  router->get("/api/slow/{n}", [&](const Request& req, Responder res) {
    pool.post([&, res] {
      if (pool.running_in_pool()) ++on_pool;
      res.send(Response::text("n=" + req.param("n")));  // the Request lives as long as the responder
    });
  });
  TestServer srv(router);
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int t = 0; t < 3; ++t) {
    clients.emplace_back([&, t] {
      HttpTestClient c(srv.port());
      for (int i = 0; i < 10; ++i) {
        const auto n = std::to_string(t * 100 + i);
        auto r = c.get("/api/slow/" + n);
        if (r.status == 200 && r.body == "n=" + n) ++ok;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok.load(), 30);
  EXPECT_EQ(on_pool.load(), 30);
  pool.shutdown();  // jobs hold responders: finish them before the io_context goes
}

TEST(HttpServer, AnswersForHandlersThatFailToRespond) {
  HttpServerOptions o;
  o.handler_timeout = std::chrono::milliseconds(200);
  auto router = std::make_shared<Router>();
  std::mutex m;
  std::vector<Responder> parked;
  router->get("/api/hang", [&](const Request&, Responder res) {
    std::lock_guard lock(m);
    parked.push_back(res);  // never answered in time
  });
  router->get("/api/forget", [](const Request&, Responder) {});  // drops the responder
  TestServer srv(router, o);
  HttpTestClient c(srv.port());
  auto forgot = c.get("/api/forget");
  EXPECT_EQ(forgot.status, 500);
  EXPECT_EQ(forgot.body, R"({"detail":"Internal Server Error"})");
  auto hung = c.get("/api/hang");
  EXPECT_EQ(hung.status, 504);
  EXPECT_EQ(hung.body, R"({"detail":"Request handler timed out"})");
  {
    std::lock_guard lock(m);
    ASSERT_EQ(parked.size(), 1u);
    parked[0].send(Response::text("too late"));  // ignored, harmless
  }
  HttpTestClient c2(srv.port());
  EXPECT_EQ(c2.get("/api/forget").status, 500);
  std::lock_guard lock(m);
  parked.clear();  // responders must not outlive the io_context
}

TEST(HttpServer, StreamsCsvInChunksWithBackpressure) {
  WorkerPool pool(1, "csv");
  auto router = std::make_shared<Router>();
  constexpr int kRows = 50000;
  std::promise<int> written;
  router->get("/api/calls/export", [&](const Request&, Responder res) {
    pool.post([&, res] {
      auto head = Response::text("", 200, "text/csv; charset=utf-8");
      head.set_header("Content-Disposition", "attachment; filename=\"calls.csv\"");
      auto w = res.stream(std::move(head));
      int rows = 0;
      if (w->write("id,to_number,status\r\n")) {
        for (int i = 0; i < kRows && w->write(std::to_string(i) + ",+15550100" + std::to_string(i % 100) + ",completed\r\n"); ++i) {
          ++rows;
        }
      }
      w->finish();
      written.set_value(rows);
    });
  });
  HttpServerOptions o;
  o.stream_buffer_bytes = 8 * 1024;  // small, so the producer has to wait for the socket
  TestServer srv(router, o);
  HttpTestClient c(srv.port());
  auto r = c.get("/api/calls/export");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.chunked);
  EXPECT_GT(r.chunks, 10u);
  EXPECT_FALSE(r.header("Content-Length"));
  EXPECT_EQ(r.header("Content-Disposition").value_or(""), "attachment; filename=\"calls.csv\"");
  EXPECT_EQ(written.get_future().get(), kRows);
  std::string expected = "id,to_number,status\r\n";
  for (int i = 0; i < kRows; ++i) expected += std::to_string(i) + ",+15550100" + std::to_string(i % 100) + ",completed\r\n";
  EXPECT_EQ(r.body, expected);
  EXPECT_EQ(c.get("/api/calls/export").status, 200);  // the connection is reusable after the last chunk
  pool.shutdown();
}

TEST(HttpServer, StreamWriterStopsWhenTheClientLeaves) {
  WorkerPool pool(1, "csv");
  auto router = std::make_shared<Router>();
  std::promise<long> rows_written;
  router->get("/api/export", [&](const Request&, Responder res) {
    pool.post([&, res] {
      auto w = res.stream(Response::text("", 200, "text/csv"));
      long rows = 0;
      while (rows < 5'000'000 && w->write(std::string(100, 'x') + "\r\n")) ++rows;
      rows_written.set_value(rows);
    });
  });
  HttpServerOptions o;
  o.stream_buffer_bytes = 16 * 1024;
  TestServer srv(router, o);
  HttpTestClient c(srv.port());
  c.set_receive_buffer(4096);
  c.send_raw("GET /api/export HTTP/1.1\r\nHost: localhost\r\n\r\n");
  auto head = c.read_head();
  EXPECT_EQ(head.status, 200);
  c.close();
  auto fut = rows_written.get_future();
  ASSERT_EQ(fut.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  EXPECT_LT(fut.get(), 5'000'000);  // write() returned false: the producer stopped early
  pool.shutdown();
}

TEST(HttpServer, StreamedAnswerToHeadHasNoBody) {
  WorkerPool pool(1, "csv");
  auto router = std::make_shared<Router>();
  std::promise<bool> first_write;
  std::atomic<bool> head_seen{false};
  router->get("/api/export", [&](const Request& req, Responder res) {
    const bool head = req.method == "HEAD";
    pool.post([&, res, head] {
      auto w = res.stream(Response::text("", 200, "text/csv"));
      const bool ok = w->write("a,b\r\n");
      if (head && !head_seen.exchange(true)) first_write.set_value(ok);
      w->finish();
    });
  });
  TestServer srv(router);
  HttpTestClient c(srv.port());
  auto head = c.request("HEAD", "/api/export");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_FALSE(first_write.get_future().get());  // the producer learns at once that nobody reads
  auto get = c.get("/api/export");  // the connection is still in step
  EXPECT_EQ(get.body, "a,b\r\n");
  pool.shutdown();
}

TEST(HttpServer, StreamWithAnIdleProducerIsCut) {
  HttpServerOptions o;
  o.handler_timeout = std::chrono::milliseconds(200);
  auto router = std::make_shared<Router>();
  std::promise<std::shared_ptr<StreamWriter>> kept;
  router->get("/api/export", [&](const Request&, Responder res) {
    kept.set_value(res.stream(Response::text("", 200, "text/csv")));  // then nothing
  });
  TestServer srv(router, o);
  HttpTestClient c(srv.port());
  c.send_raw("GET /api/export HTTP/1.1\r\nHost: localhost\r\n\r\n");
  auto writer = kept.get_future().get();
  EXPECT_THROW(c.read_response(), std::runtime_error);  // the server cut the unfinished stream
  EXPECT_TRUE(eventually([&] { return writer->closed(); }));
  EXPECT_FALSE(writer->write("late row\r\n"));
  writer.reset();
}

TEST(HttpServer, StreamWriteOnTheNetworkThreadThrows) {
  auto router = std::make_shared<Router>();
  std::promise<bool> threw;
  router->get("/api/bad-stream", [&](const Request&, Responder res) {
    auto w = res.stream(Response::text("", 200));
    try {
      w->write("x");
      threw.set_value(false);
    } catch (const Error& e) {
      threw.set_value(e.code() == errc::internal);
    }
    w->abort();
  });
  TestServer srv(router);
  HttpTestClient c(srv.port());
  c.send_raw("GET /api/bad-stream HTTP/1.1\r\nHost: localhost\r\n\r\n");
  EXPECT_TRUE(threw.get_future().get());
  EXPECT_THROW(c.read_response(), std::runtime_error);  // aborted: the body never completes
}

TEST(HttpServer, AppliesCors) {
  HttpServerOptions o;
  o.dispatch.cors.allowed_origins = {"http://localhost:3000"};
  TestServer srv(basic_router(), o);
  HttpTestClient c(srv.port());
  auto pre = c.request("OPTIONS", "/api/items/1",
                       {}, {{"Origin", "http://localhost:3000"}, {"Access-Control-Request-Method", "GET"},
                            {"Access-Control-Request-Headers", "Authorization"}});
  EXPECT_EQ(pre.status, 200);
  EXPECT_EQ(pre.header("Access-Control-Allow-Origin").value_or(""), "http://localhost:3000");
  EXPECT_EQ(pre.header("Access-Control-Allow-Credentials").value_or(""), "true");
  EXPECT_EQ(pre.header("Access-Control-Allow-Headers").value_or(""), "Authorization");
  auto get = c.get("/api/items/1", {{"Origin", "http://localhost:3000"}});
  EXPECT_EQ(get.header("Access-Control-Allow-Origin").value_or(""), "http://localhost:3000");
  EXPECT_EQ(get.header("Vary").value_or(""), "Origin");
  auto other = c.get("/api/items/1", {{"Origin", "http://evil.test"}});
  EXPECT_EQ(other.status, 200);
  EXPECT_FALSE(other.header("Access-Control-Allow-Origin"));
  auto refused = c.request("OPTIONS", "/api/items/1", {}, {{"Origin", "http://evil.test"}, {"Access-Control-Request-Method", "GET"}});
  EXPECT_EQ(refused.status, 400);
  // The server's own error answers carry CORS headers too.
  HttpServerOptions small = o;
  small.body_limit = 10;
  TestServer srv2(basic_router(), small);
  HttpTestClient c2(srv2.port());
  auto too_big = c2.post("/api/echo", std::string(100, 'x'), {{"Origin", "http://localhost:3000"}});
  EXPECT_EQ(too_big.status, 413);
  EXPECT_EQ(too_big.header("Access-Control-Allow-Origin").value_or(""), "http://localhost:3000");
}

TEST(HttpServer, RequiresBearerTokensOnApiWhenASecretIsSet) {
  HttpServerOptions o;
  o.dispatch.auth.jwt_secret = "jwt-test-secret";
  o.dispatch.cors.allowed_origins = {"http://ui"};
  auto router = basic_router();
  router->get("/api/whoami", Router::sync([](const Request& r) { return Response::text(r.auth ? r.auth->subject : ""); }));
  TestServer srv(router, o);
  HttpTestClient c(srv.port());

  auto none = c.get("/api/whoami");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.body, R"({"detail":"Not authenticated"})");
  EXPECT_EQ(none.header("WWW-Authenticate").value_or(""), "Bearer");

  JwtClaims claims;
  claims.subject = "agent-1";
  claims.expires_at = std::chrono::system_clock::now() + std::chrono::minutes(10);
  auto ok = c.get("/api/whoami", {{"Authorization", "Bearer " + jwt_sign(claims, "jwt-test-secret")}});
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "agent-1");

  auto forged = c.get("/api/whoami", {{"Authorization", "Bearer " + jwt_sign(claims, "wrong")}});
  EXPECT_EQ(forged.status, 401);
  EXPECT_EQ(forged.body, R"({"detail":"Invalid token: Signature verification failed"})");

  JwtClaims old = claims;
  old.expires_at = std::chrono::system_clock::now() - std::chrono::hours(1);
  auto expired = c.get("/api/whoami", {{"Authorization", "Bearer " + jwt_sign(old, "jwt-test-secret")}});
  EXPECT_EQ(expired.body, R"({"detail":"Invalid token: Signature has expired"})");

  const std::string alg_none = base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." +
                               base64url_encode(R"({"sub":"admin"})") + ".";
  auto none_alg = c.get("/api/whoami", {{"Authorization", "Bearer " + alg_none}});
  EXPECT_EQ(none_alg.body, R"({"detail":"Invalid token: The specified alg value is not allowed"})");

  // Unprotected paths and preflights need no token; unknown /api paths still need one.
  EXPECT_EQ(c.get("/health").status, 200);
  EXPECT_EQ(c.request("OPTIONS", "/api/whoami", {}, {{"Origin", "http://ui"}, {"Access-Control-Request-Method", "GET"}}).status, 200);
  EXPECT_EQ(c.get("/api/does-not-exist").status, 401);
}

TEST(HttpServer, CountsRequestsByRoutePattern) {
  HttpServerOptions o;
  o.dispatch.metrics = std::make_shared<metrics::Registry>();
  auto router = basic_router();
  router->get("/metrics", metrics_handler(o.dispatch.metrics));
  TestServer srv(router, o);
  HttpTestClient c(srv.port());
  c.get("/api/items/1");
  c.get("/api/items/2");
  c.get("/nope/1");
  auto m = c.get("/metrics");
  EXPECT_EQ(m.status, 200);
  EXPECT_EQ(m.header("Content-Type").value_or(""), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(m.body.find("# TYPE callwire_http_requests_total counter\n"), std::string::npos);
  EXPECT_NE(m.body.find(R"(callwire_http_requests_total{route="/api/items/{id}",method="GET",status="200"} 2)"), std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find(R"(callwire_http_requests_total{route="unmatched",method="GET",status="404"} 1)"), std::string::npos);
  EXPECT_NE(m.body.find(R"(callwire_http_request_duration_seconds_bucket{route="/api/items/{id}",method="GET",le="+Inf"} 2)"),
            std::string::npos);
  EXPECT_NE(m.body.find("callwire_http_connections 1\n"), std::string::npos);
  EXPECT_EQ(m.body.find("/nope/1"), std::string::npos);  // raw paths never become labels
}

TEST(HttpServer, StopsGracefullyFinishingRequestsInFlight) {
  auto router = basic_router();
  std::promise<Responder> parked;
  std::latch arrived(1);
  router->get("/api/slow", [&](const Request&, Responder res) {
    parked.set_value(res);
    arrived.count_down();
  });
  HttpServerOptions o;
  o.stop_timeout = std::chrono::seconds(30);
  TestServer srv(router, o);
  const auto port = srv.port();

  HttpTestClient idle(port);
  EXPECT_EQ(idle.get("/health").status, 200);  // kept alive, then idle
  HttpTestClient busy(port);
  busy.send_raw("GET /api/slow HTTP/1.1\r\nHost: localhost\r\n\r\n");
  arrived.wait();

  std::promise<void> stopped;
  srv.server().stop([&] { stopped.set_value(); });
  EXPECT_TRUE(idle.wait_closed_by_peer(std::chrono::seconds(10)));  // idle connections close at once
  EXPECT_TRUE(eventually([&] {
    // New connections are refused once the listener is closed.
    try {
      HttpTestClient late(port, "127.0.0.1", std::chrono::seconds(2));
      late.get("/health");
      return false;
    } catch (const std::exception&) {
      return true;
    }
  }));
  auto fut = stopped.get_future();
  EXPECT_EQ(fut.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout);  // still one request in flight

  parked.get_future().get().send(Response::text("finished"));
  auto r = busy.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "finished");
  EXPECT_FALSE(r.keep_alive);  // Connection: close while stopping
  EXPECT_EQ(fut.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_TRUE(srv.server().stopped());
  EXPECT_EQ(srv.server().connection_count(), 0u);
}

TEST(HttpServer, StopTimeoutClosesWhatIsLeft) {
  auto router = std::make_shared<Router>();
  std::mutex m;
  std::vector<Responder> parked;
  router->get("/api/never", [&](const Request&, Responder res) {
    std::lock_guard lock(m);
    parked.push_back(res);
  });
  HttpServerOptions o;
  o.stop_timeout = std::chrono::milliseconds(100);
  TestServer srv(router, o);
  HttpTestClient c(srv.port());
  c.send_raw("GET /api/never HTTP/1.1\r\nHost: localhost\r\n\r\n");
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(m);
    return parked.size() == 1;
  }));
  EXPECT_TRUE(srv.stop_and_wait(std::chrono::seconds(10)));
  EXPECT_TRUE(c.wait_closed_by_peer(std::chrono::seconds(10)));
  std::lock_guard lock(m);
  parked.clear();  // responders must not outlive the io_context
}

TEST(HttpServer, ReportsBindFailures) {
  boost::asio::io_context ioc;
  auto router = std::make_shared<Router>();
  HttpServer first(ioc, router, {});
  first.start();
  HttpServerOptions same;
  same.port = first.port();
  HttpServer second(ioc, router, same);
  try {
    second.start();
    FAIL() << "bound twice";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), errc::unavailable);
  }
  HttpServerOptions bad;
  bad.host = "not-an-address";
  HttpServer third(ioc, router, bad);
  EXPECT_THROW(third.start(), Error);
  bool stopped = false;
  third.stop([&] { stopped = true; });  // never started: stops at once, io_context or not
  EXPECT_TRUE(stopped);
  EXPECT_TRUE(third.stopped());
  HttpServerOptions st;
  st.dispatch.static_files = StaticOptions{"/nonexistent/callwire-web"};
  EXPECT_THROW(HttpServer(ioc, router, st), Error);
}

}  // namespace
}  // namespace callwire::server
