#include "server/websocket_hub.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <iostream>
#include <mutex>
#include <thread>

#include "http_test_client.hpp"
#include "server/http_server.hpp"
#include "server/jwt.hpp"
#include "test_server.hpp"

namespace callwire::server {
namespace {

using namespace std::chrono_literals;
using test::eventually;
using test::TestServer;
using test::WebSocketTestClient;
using test::WsEvent;

int number_after(const std::string& text, const std::string& prefix) {
  EXPECT_EQ(text.substr(0, prefix.size()), prefix) << text;
  return std::stoi(text.substr(prefix.size()));
}

TEST(WebSocket, SnapshotComesFirstAndNoUpdateIsMissed) {
  std::shared_ptr<WebSocketHub> hub;
  std::mutex state;  // the host's state lock: updates and snapshots are taken under it
  int version = 0;
  WebSocketOptions wo;
  wo.max_queue_messages = 100000;
  wo.max_queue_bytes = 64u << 20;
  TestServer srv(std::make_shared<Router>(), {}, [&](HttpServer& s) {
    hub = s.add_websocket("/ws/calls", wo);
    hub->on_open([&](const std::shared_ptr<WebSocketClient>& client) {
      std::lock_guard lock(state);
      client->send("s:" + std::to_string(version));
    });
  });

  constexpr int kUpdates = 3000;
  std::atomic<bool> go{false};
  std::thread broadcaster([&] {
    while (!go) std::this_thread::yield();
    for (int i = 0; i < kUpdates; ++i) {
      std::lock_guard lock(state);
      hub->broadcast("u:" + std::to_string(++version));
    }
  });
  go = true;
  std::vector<std::unique_ptr<WebSocketTestClient>> clients;
  for (int i = 0; i < 6; ++i) clients.push_back(std::make_unique<WebSocketTestClient>(srv.port(), "/ws/calls"));
  broadcaster.join();
  // A client is registered shortly after its handshake completes on its side.
  ASSERT_TRUE(eventually([&] { return hub->client_count() == 6; }));
  hub->broadcast("end");

  for (auto& c : clients) {
    const int snapshot = number_after(c->read_text(), "s:");
    int last = -1;
    std::string text;
    while ((text = c->read_text()) != "end") {
      const int u = number_after(text, "u:");
      if (last == -1) {
        EXPECT_LE(u, snapshot + 1) << "an update after the snapshot was missed";
      } else {
        ASSERT_EQ(u, last + 1) << "updates out of order or missing";
      }
      last = u;
    }
    EXPECT_EQ(std::max(last, snapshot), kUpdates);
  }
}

TEST(WebSocket, BroadcastDuringOnOpenWaitsBehindTheSnapshot) {
  std::shared_ptr<WebSocketHub> hub;
  std::promise<void> release;
  auto released = release.get_future().share();
  TestServer srv(std::make_shared<Router>(), {}, [&](HttpServer& s) {
    hub = s.add_websocket("/ws/calls");
    hub->on_open([released](const std::shared_ptr<WebSocketClient>& client) {
      released.wait();  // the host is slow building its snapshot
      client->send("snapshot");
    });
  });
  WebSocketTestClient c(srv.port(), "/ws/calls");
  ASSERT_TRUE(eventually([&] { return hub->client_count() == 1; }));  // registered, on_open still running
  EXPECT_EQ(hub->broadcast("update"), 1u);
  release.set_value();
  EXPECT_EQ(c.read_text(), "snapshot");
  EXPECT_EQ(c.read_text(), "update");
}

TEST(WebSocket, HoldDelaysBroadcastsUntilAnAsyncSnapshotIsSent) {
  std::shared_ptr<WebSocketHub> hub;
  std::promise<std::pair<std::shared_ptr<WebSocketClient>, std::shared_ptr<void>>> opened;
  TestServer srv(std::make_shared<Router>(), {}, [&](HttpServer& s) {
    hub = s.add_websocket("/ws/calls");
    hub->on_open([&](const std::shared_ptr<WebSocketClient>& client) {
      opened.set_value({client, client->hold()});  // answered later, from the test thread
    });
  });
  WebSocketTestClient c(srv.port(), "/ws/calls");
  auto [client, hold] = opened.get_future().get();
  ASSERT_TRUE(eventually([&] { return hub->client_count() == 1; }));
  EXPECT_EQ(hub->broadcast("update-1"), 1u);
  EXPECT_EQ(hub->broadcast("update-2"), 1u);
  EXPECT_EQ(c.next(100ms).kind, WsEvent::Kind::timeout);  // held
  client->send("snapshot");
  hold.reset();
  EXPECT_EQ(c.read_text(), "snapshot");
  EXPECT_EQ(c.read_text(), "update-1");
  EXPECT_EQ(c.read_text(), "update-2");
  EXPECT_EQ(client->info().path, "/ws/calls");
}

TEST(WebSocket, EveryClientGetsEveryBroadcastInTheSameOrder) {
  std::shared_ptr<WebSocketHub> hub;
  TestServer srv(std::make_shared<Router>(), {}, [&](HttpServer& s) { hub = s.add_websocket("/ws/calls"); });
  std::vector<std::unique_ptr<WebSocketTestClient>> clients;
  for (int i = 0; i < 8; ++i) clients.push_back(std::make_unique<WebSocketTestClient>(srv.port(), "/ws/calls"));
  ASSERT_TRUE(eventually([&] { return hub->client_count() == 8; }));

  constexpr int kPerThread = 100;
  std::vector<std::thread> senders;
  for (int t = 0; t < 2; ++t) {
    senders.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) hub->broadcast(std::to_string(t) + ":" + std::to_string(i));
    });
  }
  for (auto& s : senders) s.join();

  std::vector<std::string> reference;
  for (std::size_t k = 0; k < clients.size(); ++k) {
    std::vector<std::string> got;
    int next[2] = {0, 0};
    for (int i = 0; i < 2 * kPerThread; ++i) {
      auto text = clients[k]->read_text();
      const int t = text[0] - '0';
      ASSERT_EQ(text, std::to_string(t) + ":" + std::to_string(next[t])) << "client " << k;
      ++next[t];
      got.push_back(text);
    }
    if (k == 0) reference = got;
    else EXPECT_EQ(got, reference) << "client " << k << " saw another order";
  }
}

// The updates of one group commit arrive as one burst: CallClient publishes a
// whole batch at once (up to ingest_batch_max = 256 webhooks, so up to 512
// call.updated and call.ended messages of ~1 KiB). A client that reads
// normally must not be taken for a slow one by the default limits (the
// message cap was once 256, and a reader was dropped in the ingest benchmark).
TEST(WebSocket, TheBurstOfOneFullIngestBatchDoesNotDropAReader) {
  std::shared_ptr<WebSocketHub> hub;
  TestServer srv(std::make_shared<Router>(), {}, [&](HttpServer& s) { hub = s.add_websocket("/ws/calls"); });
  WebSocketTestClient reader(srv.port(), "/ws/calls");
  ASSERT_TRUE(eventually([&] { return hub->client_count() == 1; }));

  constexpr int kBurst = 2 * 256;
  const std::string body(1000, 'x');
  for (int i = 0; i < kBurst; ++i) hub->broadcast(std::to_string(i) + ":" + body);
  for (int i = 0; i < kBurst; ++i) {
    const auto ev = reader.next(10s);
    ASSERT_EQ(ev.kind, WsEvent::Kind::message) << "message " << i << ": " << ev.error << " (close code " << ev.close_code << ")";
    ASSERT_EQ(ev.text, std::to_string(i) + ":" + body);
  }
  EXPECT_EQ(hub->dropped_count(), 0u);
}

TEST(WebSocket, StalledClientIsDroppedWhileOthersKeepReceiving) {
  std::shared_ptr<WebSocketHub> hub;
  WebSocketOptions wo;
  wo.max_queue_messages = 32;
  wo.max_queue_bytes = 1u << 20;
  auto registry = std::make_shared<metrics::Registry>();
  HttpServerOptions o;
  o.dispatch.metrics = registry;
  TestServer srv(std::make_shared<Router>(), o, [&](HttpServer& s) { hub = s.add_websocket("/ws/calls", wo); });

  WebSocketTestClient::Options small;
  small.receive_buffer = 4096;
  WebSocketTestClient stalled(srv.port(), "/ws/calls", small);  // connects, then never reads (for a while)
  WebSocketTestClient a(srv.port(), "/ws/calls");
  WebSocketTestClient b(srv.port(), "/ws/calls");
  ASSERT_TRUE(eventually([&] { return hub->client_count() == 3; }));

  const std::string pad(16 * 1024, '.');
  int sent = 0;
  while (hub->dropped_count() == 0 && sent < 3000) {
    hub->broadcast(std::to_string(sent) + pad);
    // The readers keep up: one message each, in step.
    ASSERT_EQ(number_after(a.read_text().substr(0, 8), ""), sent);
    ASSERT_EQ(number_after(b.read_text().substr(0, 8), ""), sent);
    ++sent;
  }
  ASSERT_EQ(hub->dropped_count(), 1u) << "the stalled client was never dropped after " << sent << " messages";
  std::cout << "stalled client dropped after " << sent << " messages of 16 KiB\n";
  EXPECT_TRUE(eventually([&] { return hub->client_count() == 2; }));

  // The others still get everything.
  for (int i = 0; i < 50; ++i) {
    hub->broadcast("after-" + std::to_string(i));
    EXPECT_EQ(a.read_text(), "after-" + std::to_string(i));
    EXPECT_EQ(b.read_text(), "after-" + std::to_string(i));
  }

  // The stalled client, reading again, finds an in-order prefix and then a
  // policy-violation close.
  int expect = 0;
  WsEvent ev;
  while ((ev = stalled.next(10s)).kind == WsEvent::Kind::message) {
    ASSERT_EQ(ev.text, std::to_string(expect) + pad);
    ++expect;
  }
  EXPECT_LT(expect, sent);
  ASSERT_EQ(ev.kind, WsEvent::Kind::closed) << ev.error;
  EXPECT_EQ(ev.close_code, 1008);
  const auto text = registry->render();
  EXPECT_NE(text.find(R"(callwire_websocket_dropped_total{path="/ws/calls"} 1)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(callwire_websocket_clients{path="/ws/calls"} 2)"), std::string::npos);
}

TEST(WebSocket, PingsKeepLiveClientsAndDropDeadOnes) {
  std::shared_ptr<WebSocketHub> hub;
  WebSocketOptions wo;
  wo.idle_timeout = 300ms;
  TestServer srv(std::make_shared<Router>(), {}, [&](HttpServer& s) { hub = s.add_websocket("/ws/calls", wo); });
  WebSocketTestClient live(srv.port(), "/ws/calls");
  ASSERT_TRUE(eventually([&] { return hub->client_count() == 1; }));
  // Reading (and so answering pings) through several idle periods.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(live.next(300ms).kind, WsEvent::Kind::timeout);
  EXPECT_GE(live.pings(), 1);
  hub->broadcast("still here");
  EXPECT_EQ(live.read_text(), "still here");

  {
    WebSocketTestClient dead(srv.port(), "/ws/calls");  // never reads: answers no ping
    // Keep the live client reading (answering pings) while waiting.
    bool saw_two = false;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      const auto n = hub->client_count();
      if (n == 2) saw_two = true;
      if (saw_two && n == 1) break;
      ASSERT_EQ(live.next(20ms).kind, WsEvent::Kind::timeout);
    }
    EXPECT_TRUE(saw_two);
    EXPECT_EQ(hub->client_count(), 1u);  // the dead one was closed by the server
  }
  hub->broadcast("live one");
  EXPECT_EQ(live.read_text(), "live one");
}

TEST(WebSocket, RequiresATokenWhenAuthIsOn) {
  HttpServerOptions o;
  o.dispatch.auth.jwt_secret = "ws-secret";
  std::shared_ptr<WebSocketHub> hub;
  std::promise<std::string> subject;
  std::once_flag once;
  TestServer srv(std::make_shared<Router>(), o, [&](HttpServer& s) {
    hub = s.add_websocket("/ws/calls");
    hub->on_open([&](const std::shared_ptr<WebSocketClient>& c) {
      std::call_once(once, [&] { subject.set_value(c->info().auth ? c->info().auth->subject : ""); });
    });
  });
  JwtClaims claims;
  claims.subject = "agent-9";
  claims.expires_at = std::chrono::system_clock::now() + std::chrono::minutes(5);
  const auto good = jwt_sign(claims, "ws-secret");
  JwtClaims old = claims;
  old.expires_at = std::chrono::system_clock::now() - std::chrono::hours(2);

  std::string body;
  EXPECT_EQ(WebSocketTestClient::try_connect(srv.port(), "/ws/calls", {}, &body), 401);
  EXPECT_EQ(body, R"({"detail":"Not authenticated"})");
  EXPECT_EQ(WebSocketTestClient::try_connect(srv.port(), "/ws/calls?token=" + jwt_sign(old, "ws-secret"), {}, &body), 401);
  EXPECT_EQ(body, R"({"detail":"Invalid token: Signature has expired"})");
  EXPECT_EQ(WebSocketTestClient::try_connect(srv.port(), "/ws/calls?token=" + jwt_sign(claims, "nope"), {}, &body), 401);

  WebSocketTestClient ok(srv.port(), "/ws/calls?token=" + good);
  EXPECT_EQ(subject.get_future().get(), "agent-9");
  WebSocketTestClient::Options header;
  header.headers = {{"Authorization", "Bearer " + good}};
  EXPECT_EQ(WebSocketTestClient::try_connect(srv.port(), "/ws/calls", header), 101);
}

TEST(WebSocket, PassesClientMessagesAndClosesOnRequest) {
  std::shared_ptr<WebSocketHub> hub;
  TestServer srv(std::make_shared<Router>(), {}, [&](HttpServer& s) {
    hub = s.add_websocket("/ws/echo/");
    hub->on_message([](const std::shared_ptr<WebSocketClient>& c, std::string_view text) {
      if (text == "bye") c->close(4000, "asked to leave");
      else c->send("echo:" + std::string(text));
    });
  });
  WebSocketTestClient c(srv.port(), "/ws/echo?x=1");
  c.send("hello");
  EXPECT_EQ(c.read_text(), "echo:hello");
  c.send("bye");
  auto ev = c.next(10s);
  ASSERT_EQ(ev.kind, WsEvent::Kind::closed);
  EXPECT_EQ(ev.close_code, 4000);
  EXPECT_TRUE(eventually([&] { return hub->client_count() == 0; }));
  // Upgrades on other paths are ordinary (unrouted) requests.
  EXPECT_EQ(WebSocketTestClient::try_connect(srv.port(), "/ws/other", {}), 404);
}

TEST(WebSocket, StopSendsGoingAway) {
  std::shared_ptr<WebSocketHub> hub;
  auto srv = std::make_unique<TestServer>(std::make_shared<Router>(), HttpServerOptions{},
                                          [&](HttpServer& s) { hub = s.add_websocket("/ws/calls"); });
  WebSocketTestClient c(srv->port(), "/ws/calls");
  ASSERT_TRUE(eventually([&] { return hub->client_count() == 1; }));
  std::promise<void> stopped;
  srv->server().stop([&] { stopped.set_value(); });
  auto ev = c.next(10s);
  ASSERT_EQ(ev.kind, WsEvent::Kind::closed) << ev.error;
  EXPECT_EQ(ev.close_code, 1001);
  EXPECT_EQ(stopped.get_future().wait_for(10s), std::future_status::ready);
  EXPECT_EQ(hub->client_count(), 0u);
}

}  // namespace
}  // namespace callwire::server
