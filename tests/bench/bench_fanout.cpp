// Benchmark 5 — WebSocket fan-out.
//
// A WebhookServer (demo-mode CallClient on SQLite) with --clients WebSocket
// clients on /ws/calls, all read by one epoll thread of this process, plus one
// client that connects and then never reads (a small receive buffer: it
// stalls at once). --producers keep-alive connections POST one call event per
// update to /webhooks/call at --rate per second in all for --seconds; each event folds into
// its own call, and the client broadcasts the call.updated to every client.
// The call id of update k ends in k, so every client can check that it got
// every update, and that all got them in one order (the broadcast order);
// delivery latency is measured from just before the POST to the moment the
// client read the message (one clock: the same process).
//
// Checks: every reading client received every update, all in the same order;
// the stalled client was disconnected (dropped as too slow, or by the
// WebSocket idle timeout — it answers no pings) while the others kept
// receiving.
// Figures: delivery latency p50/p99/max over all (client, update) pairs, the
// p99 of the updates sent while the stalled client was still attached, and
// how long the stall took to be detected.
//
// Sizes: --clients, --rate, --seconds, --producers.
#include <sys/socket.h>

#include <atomic>
#include <iostream>
#include <mutex>
#include <thread>

#include "bench_common.hpp"
#include "callwire/call_client.hpp"
#include "callwire/log_store.hpp"
#include "callwire/storage.hpp"
#include "callwire/webhook_server.hpp"
#include "net_util.hpp"
#include "support/log.hpp"
#include "workload.hpp"

using namespace callwire;
using namespace callwire::bench;
using namespace std::chrono_literals;

int main(int argc, char** argv) {
  const Args args = parse_args(argc, argv, "bench_fanout: WebSocket fan-out of call updates");
  Report report("websocket_fanout", args);
  log::set_level(log::Level::error);
  const auto clients = static_cast<std::size_t>(args.size("clients", 1000, 20));
  const double rate = args.number("rate", 200, 100);
  const double seconds = args.number("seconds", 30, 2);
  const auto producers = static_cast<std::size_t>(args.size("producers", 4, 2));
  const auto updates = static_cast<std::size_t>(rate * seconds);
  const long fds = raise_fd_limit(static_cast<long>(clients) * 2 + 256);
  report.figure("open files limit", static_cast<double>(fds));
  if (fds < static_cast<long>(clients) * 2 + 64) {
    report.check("enough file descriptors", false, std::to_string(fds) + " for " + std::to_string(clients) + " clients");
    return report.finish();
  }

  TempDir dir("callwire-bench-fanout");
  // synchronous=normal: this benchmark is about the fan-out, not the disk.
  Storage storage = Storage::open("sqlite://" + dir.path() + "/fanout.db?synchronous=normal");
  CallClientOptions co;
  co.force_demo = true;
  co.recordings_dir = dir.path() + "/recordings";
  CallClient client(storage, co);
  WebhookServerOptions wo;
  wo.port = 0;
  wo.max_connections_per_ip = 0;  // every client comes from 127.0.0.1
  WebhookServer server(client, wo);
  server.start();
  const int port = server.port();

  // The calls (one per update) and their call.initiated events, made now;
  // the calls are stored after the clients connected, so that the snapshot
  // each client gets on connect stays small.
  std::vector<std::string> requests;
  requests.reserve(updates);
  {
    Storage loader = Storage::open("sqlite://" + dir.path() + "/fanout.db?synchronous=normal");
    LogStore logs(loader);
    const auto start = sys_now();
    for (std::size_t k = 0; k < updates; ++k) {
      auto call = simulate_call(k, start, "1234", 'f');
      logs.insert(call.call);
      requests.push_back(make_request("POST", "/webhooks/call", {{"Content-Type", "application/json"}},
                                      call.events.front().body));
    }
  }

  // Clients.
  auto fleet_owner = std::make_unique<WsFleet>();
  WsFleet& fleet = *fleet_owner;
  const auto c0 = Clock::now();
  for (std::size_t i = 0; i < clients; ++i) fleet.add(port, "/ws/calls");
  const std::size_t stalled = fleet.add(port, "/ws/calls", 4096, true);
  report.figure("time to connect the clients", seconds_since(c0), "s");

  std::vector<std::atomic<std::int64_t>> sent_ns(updates);
  // Per client: updates received and a hash of their order; client 0 also
  // keeps the order itself (to compare with the order they were sent in).
  std::vector<std::size_t> received(clients, 0);
  std::vector<std::uint64_t> order_hash(clients, 1469598103934665603ULL);
  std::vector<std::int64_t> order0;
  order0.reserve(updates);
  std::vector<std::size_t> unknown(clients, 0);
  std::vector<float> lat;
  lat.reserve(clients * updates);
  std::vector<float> lat_before_drop;
  std::atomic<std::int64_t> drop_ns{0};    // when the server counted the stalled client's drop
  std::atomic<std::int64_t> closed_ns{0};  // when its connection was seen closed
  std::atomic<std::size_t> snapshots{0};
  std::size_t others = 0;  // reader thread only
  std::atomic<std::size_t> completed_clients{0};
  std::thread reader([&] {
    fleet.run([&](std::size_t c, std::string_view text, std::int64_t recv_ns) {
      if (text.find("\"type\":\"snapshot\"") != std::string_view::npos) return ++snapshots, void();
      if (text.find("\"type\":\"call.updated\"") == std::string_view::npos) return ++others, void();
      const std::int64_t k = numbered_call_id_in(text);
      if (k < 0 || static_cast<std::size_t>(k) >= updates) return ++unknown[c], void();
      order_hash[c] = (order_hash[c] ^ static_cast<std::uint64_t>(k)) * 1099511628211ULL;
      if (c == 0) order0.push_back(k);
      const std::int64_t s = sent_ns[static_cast<std::size_t>(k)].load(std::memory_order_acquire);
      const float ms = static_cast<float>(static_cast<double>(recv_ns - s) / 1e6);
      lat.push_back(ms);
      const std::int64_t d1 = drop_ns.load(std::memory_order_relaxed), d2 = closed_ns.load(std::memory_order_relaxed);
      const std::int64_t d = d1 == 0 ? d2 : d2 == 0 ? d1 : std::min(d1, d2);
      if (d == 0 || s < d) lat_before_drop.push_back(ms);
      if (++received[c] == updates) ++completed_clients;
    });
  });

  // A client is registered with the server's hub (and gets the snapshot)
  // only after the upgrade answer has gone out: broadcasts made before that
  // are not for it. Start once every client has its snapshot.
  const auto snap0 = Clock::now();
  while (snapshots.load() < clients && seconds_since(snap0) < 30) std::this_thread::sleep_for(1ms);
  report.check("every client got one snapshot before the first update", snapshots.load() == clients,
               std::to_string(snapshots.load()) + " of " + std::to_string(clients));

  // The producers: --producers keep-alive connections, each sending every
  // producers-th update on the common schedule (update k at k / rate s), so
  // that one slow answer does not hold the others back.
  std::atomic<std::size_t> bad{0};
  std::string bad_example;
  std::mutex bad_mu;
  std::vector<std::thread> producer_threads;
  const auto t0 = Clock::now() + 20ms;
  for (std::size_t j = 0; j < producers; ++j) {
    producer_threads.emplace_back([&, j] {
      HttpConn conn(port);
      std::string body;
      for (std::size_t k = j; k < updates; k += producers) {
        std::this_thread::sleep_until(t0 + std::chrono::duration_cast<Clock::duration>(
                                               std::chrono::duration<double>(static_cast<double>(k) / rate)));
        sent_ns[k].store(steady_ns(), std::memory_order_release);
        const int st = conn.exchange(requests[k], &body);
        if (st != 200 && bad++ == 0) {
          std::lock_guard lock(bad_mu);
          bad_example = std::to_string(st) + " " + body;
        }
      }
    });
  }
  // Watch the stalled client through the server's metrics: the drop counter
  // (dropped because its queue overflowed) and the clients gauge (any
  // disconnect, e.g. the WebSocket idle timeout: a client that reads nothing
  // does not answer pings either). Its own socket cannot tell: the server's
  // FIN waits behind the data the client does not read.
  std::atomic<bool> stop_watch{false};
  std::thread watcher([&] {
    HttpConn conn(port);
    std::string body;
    const auto metric = [&](const std::string& key) {
      const auto at = body.find(key);
      return at == std::string::npos ? -1.0 : std::atof(body.c_str() + at + key.size());
    };
    while (!stop_watch && (drop_ns.load() == 0 || closed_ns.load() == 0)) {
      conn.exchange(make_request("GET", "/metrics"), &body);
      if (drop_ns.load() == 0 && metric("callwire_websocket_dropped_total{path=\"/ws/calls\"} ") >= 1) drop_ns = steady_ns();
      const double connected = metric("callwire_websocket_clients{path=\"/ws/calls\"} ");
      if (closed_ns.load() == 0 && connected >= 0 && connected <= static_cast<double>(clients)) closed_ns = steady_ns();
      std::this_thread::sleep_for(50ms);
    }
  });
  const auto p0 = steady_ns();
  for (auto& t : producer_threads) t.join();
  const double produce_s = static_cast<double>(steady_ns() - p0) / 1e9;
  const auto w0 = Clock::now();
  while (completed_clients.load() < clients && seconds_since(w0) < 30) std::this_thread::sleep_for(10ms);
  fleet.stop();
  reader.join();
  // A stall is noticed when the kernel's socket buffers and the server's
  // queue are full, or at the WebSocket idle timeout (30 s): give it time.
  const auto s0 = Clock::now();
  while (!args.smoke && closed_ns.load() == 0 && seconds_since(s0) < 40) std::this_thread::sleep_for(50ms);
  stop_watch = true;
  watcher.join();

  std::uint64_t stalled_msgs = 0;
  const int stalled_code = fleet.drain_stalled(stalled, 500, &stalled_msgs);

  std::size_t incomplete = 0, disordered = 0, closed = 0, unknown_total = 0;
  for (std::size_t c = 0; c < clients; ++c) {
    if (received[c] != updates) ++incomplete;
    if (order_hash[c] != order_hash[0]) ++disordered;
    if (fleet.closed(c)) ++closed;
    unknown_total += unknown[c];
  }
  std::size_t swapped = 0;  // updates broadcast in another order than sent (concurrent producers)
  for (std::size_t i = 1; i < order0.size(); ++i) swapped += order0[i] < order0[i - 1] ? 1 : 0;
  report.check("every update answered 200", bad.load() == 0, bad_example);
  report.check("no unexpected messages", unknown_total == 0 && others == 0,
               std::to_string(unknown_total + others) + " messages");
  report.check("every client received every update", incomplete == 0 && lat.size() == clients * updates,
               std::to_string(incomplete) + " clients incomplete, " + std::to_string(lat.size()) + " of " +
                   std::to_string(clients * updates) + " deliveries");
  report.check("every client received the updates in the same order (the broadcast order)", disordered == 0,
               std::to_string(disordered) + " clients differ from client 0");
  report.figure("updates broadcast before an update sent earlier (concurrent producers)", static_cast<double>(swapped));
  report.check("no reading client was closed", closed == 0, std::to_string(closed));
  const std::string how = drop_ns.load() != 0 ? "dropped as too slow (queue full)"
                         : closed_ns.load() != 0 ? "disconnected without a drop (WebSocket idle timeout: no pong)"
                                                 : "still connected";
  if (args.smoke) {
    // Too few updates to fill the kernel's socket buffers: the stall may go unnoticed.
    report.text("stalled client (smoke: not required to be disconnected)", how);
  } else {
    report.check("the stalled client was disconnected", closed_ns.load() != 0, how);
    report.text("stalled client", how + ", close code " + std::to_string(stalled_code) + ", " +
                                      std::to_string(stalled_msgs) + " messages were waiting in its socket");
  }
  report.figure("clients", static_cast<double>(clients));
  report.figure("updates", static_cast<double>(updates));
  report.figure("update rate achieved", static_cast<double>(updates) / produce_s, "updates/s");
  report.figure("deliveries", static_cast<double>(lat.size()));
  Samples all, before;
  all.reserve(lat.size());
  for (float x : lat) all.add(x);
  for (float x : lat_before_drop) before.add(x);
  report.figure("delivery latency p50", all.pct(50), "ms");
  report.target("delivery latency p99", all.pct(99), 100, true, "ms");
  report.figure("delivery latency max", all.max(), "ms");
  report.figure("delivery latency p99 while the stalled client was attached", before.pct(99), "ms");
  if (drop_ns.load() != 0) {
    report.figure("stalled client dropped after", static_cast<double>(drop_ns.load() - p0) / 1e9, "s");
  }
  if (closed_ns.load() != 0) {
    report.figure("stalled client disconnected after", static_cast<double>(closed_ns.load() - p0) / 1e9, "s");
  }
  report.note("the clients' reader (one epoll thread) runs in the server's process and shares its 2 cores");
  fleet_owner.reset();  // close the sockets first: the server's stop would wait for close handshakes
  server.stop();
  client.close();
  return report.finish();
}
