// Benchmark 1 — webhook ingest.
//
// Signed Telnyx call events (the simulator's envelopes for calls that exist
// in storage, unique event ids, signed with telnyx::sign and the test seed of
// signature_vectors.json) are POSTed over keep-alive HTTP/1.1 by a load
// generator in this process (one thread per connection, closed loop) to a
// real WebhookServer on 127.0.0.1, in front of a CallClient on SQLite. Every
// event is verified, stored, folded into its call and broadcast to one
// connected WebSocket client, which counts what it receives.
//
// Phases (each on a fresh database):
//   verify    live mode (a Telnyx key is configured): signatures required
//   noverify  demo mode without a public key, no signature headers
// Reference, measured in the same run: `openssl speed -seconds 3 ed25519`
// (single-core verify/s), and this process's own telnyx::verify_signature
// rate on one thread.
//
// Sizes: --calls-verify, --calls-noverify (3 events each), --connections,
// --sync (SQLite synchronous for the client: full = the default durability,
// normal = no fsync per commit; a comma list runs each), --seconds (cap per
// phase), --openssl=0 to skip the openssl reference, --server-workers (the
// WebhookServer's worker pool; default 4: since the route ingests without
// blocking it serves only the GET /health baseline),
// --batch-max (CallClientOptions::ingest_batch_max; 1 = no group commit),
// --checkpoint=background|inline (the SQLite URL's checkpoint option).
#include <pthread.h>
#include <sys/resource.h>

#include <atomic>
#include <filesystem>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>
#include <tuple>

#include "bench_common.hpp"
#include "callwire/call_client.hpp"
#include "callwire/log_store.hpp"
#include "callwire/storage.hpp"
#include "callwire/webhook.hpp"
#include "callwire/webhook_server.hpp"
#include "fake_telnyx.hpp"
#include "net_util.hpp"
#include "support/log.hpp"
#include "workload.hpp"

using namespace callwire;
using namespace callwire::bench;

namespace {

/// Runs `openssl speed -seconds 3 ed25519` and returns the verify/s figure
/// (the last number of the "Ed25519" line); -1 when it cannot be run.
double openssl_verify_rate(std::string* line_out) {
  FILE* p = ::popen("openssl speed -seconds 3 ed25519 2>/dev/null", "r");
  if (p == nullptr) return -1;
  char buf[512];
  double rate = -1;
  while (std::fgets(buf, sizeof buf, p) != nullptr) {
    const std::string line = buf;
    if (line.find("Ed25519") == std::string::npos || line.find("EdDSA") == std::string::npos) continue;
    std::istringstream ss(line);
    std::string tok, last;
    while (ss >> tok) last = tok;
    try {
      rate = std::stod(last);
      if (line_out) *line_out = line.substr(0, line.find_last_not_of("\r\n") + 1);
    } catch (...) {
    }
  }
  ::pclose(p);
  return rate;
}

/// telnyx::verify_signature on one thread for ~`seconds`: verifications/s.
double sdk_verify_rate(double seconds) {
  const std::string seed = test::test_signing_seed();
  const std::string pub = test::test_public_key();
  const auto call = simulate_call(1, sys_now());
  const std::string& body = call.events.front().body;
  const std::string ts = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count());
  telnyx::Headers h;
  h.set("telnyx-signature-ed25519", telnyx::sign(seed, ts, body));
  h.set("telnyx-timestamp", ts);
  const auto now = std::stoll(ts);
  std::size_t n = 0;
  const auto t0 = Clock::now();
  while (seconds_since(t0) < seconds) {
    for (int i = 0; i < 100; ++i) {
      if (telnyx::verify_signature(pub, h, body, now) != telnyx::Verdict::valid) return -1;
    }
    n += 100;
  }
  return static_cast<double>(n) / seconds_since(t0);
}

struct PhaseResult {
  double baseline_per_s = 0;        ///< GET /health on the same connections (0: not measured)
  double baseline_cpu_us = 0;
  double events_per_s = 0;
  double p50 = 0, p99 = 0, max = 0;
  std::size_t events = 0;
  double cpu_us_per_event = 0;
  /// The SDK's threads ("cw-…") only, from the load's start until the
  /// WebSocket client has every update: the server's cost without the load
  /// generator and the WebSocket reader of this process.
  double server_cpu_us_per_event = 0;
  std::map<std::string, double> server_cpu_us_by_thread;  ///< per event, by thread name
  double events_per_commit = 0;  ///< webhooks per storage transaction (group commit)
  double wal_mib = 0;            ///< the WAL file's size right after the load
};

/// GET /health (routed through the worker pool like a webhook; a trivial
/// SQLite read) on `connections` keep-alive connections: the HTTP path's own
/// cost, for comparison with a webhook.
std::pair<double, double> health_baseline(int port, int connections, std::size_t per_connection) {
  const std::string req = make_request("GET", "/health");
  std::vector<std::thread> threads;
  std::atomic<bool> go{false};
  for (int k = 0; k < connections; ++k) {
    threads.emplace_back([&] {
      HttpConn conn(port);
      std::string body;
      while (!go) std::this_thread::yield();
      for (std::size_t i = 0; i < per_connection; ++i) conn.exchange(req, &body);
    });
  }
  const double cpu0 = process_cpu_seconds();
  const auto t0 = Clock::now();
  go = true;
  for (auto& t : threads) t.join();
  const double elapsed = seconds_since(t0);
  const double n = static_cast<double>(per_connection) * connections;
  return {n / elapsed, (process_cpu_seconds() - cpu0) * 1e6 / n};
}

/// How a phase is run (the command line's options).
struct PhaseSetup {
  int connections = 8;
  double max_seconds = 30;
  unsigned server_workers = 0;
  std::size_t batch_max = 0;
  std::string checkpoint = "background";  ///< the SQLite URL's checkpoint option
};

PhaseResult run_phase(Report& report, const std::string& name, bool verify, const std::string& sync, std::size_t calls,
                      const PhaseSetup& setup) {
  const int connections = setup.connections;
  const double max_seconds = setup.max_seconds;
  const unsigned server_workers = setup.server_workers;
  const std::size_t batch_max = setup.batch_max;
  TempDir dir("callwire-bench-ingest");
  const std::string db = dir.path() + "/ingest.db";
  const std::string seed = test::test_signing_seed();
  std::cout << "   [" << name << "] preparing " << calls << " calls (" << calls * 3 << " events)..." << std::flush;

  // Storage and calls. The calls are written through a second handle with
  // synchronous=normal (set-up only; the client has its own setting).
  std::vector<SimulatedCall> work;
  work.reserve(calls);
  const auto start = sys_now();
  for (std::size_t i = 0; i < calls; ++i) work.push_back(simulate_call(i, start));
  std::size_t odd = 0;
  for (const auto& w : work) odd += w.events.size() == 3 ? 0 : 1;
  report.check(name + ": every simulated call has 3 events (initiated, answered, hangup)", odd == 0,
               std::to_string(odd) + " calls differ");

  Storage storage = Storage::open("sqlite://" + db + "?synchronous=" + sync + "&checkpoint=" + setup.checkpoint);
  CallClientOptions co;
  if (batch_max > 0) co.ingest_batch_max = batch_max;
  if (verify) {
    co.api_key = "KEY_bench_0123456789";
    co.api_base = "http://127.0.0.1:" + std::to_string(free_port()) + "/v2";  // never dialed
    co.public_key = test::test_public_key();
    co.insecure_webhooks = false;
  }
  CallClient client(storage, co);
  report.check(name + ": client mode", client.demo() == !verify, std::string(client.mode()));
  {
    Storage loader = Storage::open("sqlite://" + db + "?synchronous=normal");
    LogStore logs(loader);
    for (const auto& w : work) logs.insert(w.call);
  }
  WebhookServerOptions wo;
  wo.port = 0;
  if (server_workers > 0) wo.worker_threads = server_workers;
  WebhookServer server(client, wo);
  server.start();
  const int port = server.port();

  // The WebSocket client.
  auto ws_owner = std::make_unique<WsFleet>();
  WsFleet& ws = *ws_owner;
  ws.add(port, "/ws/calls");
  std::thread ws_thread([&] {
    pthread_setname_np(pthread_self(), "bench-ws");
    ws.run({});
  });
  // The server registers a WebSocket client with its hub after the upgrade
  // answer has gone out, and sends the snapshot from then on: broadcasts made
  // before that are not for this client. Start once the snapshot is here.
  const auto snap0 = Clock::now();
  while (ws.total_messages() < 1 && seconds_since(snap0) < 10) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  report.check(name + ": the WebSocket client got its snapshot", ws.total_messages() == 1);

  // Requests, signed just before the run (timestamps must be within 300 s).
  const std::string ts = std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  std::vector<std::vector<std::string>> per_conn(static_cast<std::size_t>(connections));
  for (std::size_t i = 0; i < calls; ++i) {
    auto& q = per_conn[i % static_cast<std::size_t>(connections)];
    for (const auto& e : work[i].events) {
      std::vector<std::pair<std::string, std::string>> h{{"Content-Type", "application/json"},
                                                         {"User-Agent", "telnyx-webhooks"}};
      if (verify) {
        h.emplace_back("telnyx-signature-ed25519", telnyx::sign(seed, ts, e.body));
        h.emplace_back("telnyx-timestamp", ts);
      }
      q.push_back(make_request("POST", "/webhooks/call", h, e.body));
    }
  }
  work.clear();
  work.shrink_to_fit();
  std::cout << " running" << std::endl;

  // The load: one thread per connection, each sending its calls' events in order.
  std::vector<Samples> lat(static_cast<std::size_t>(connections));
  std::vector<std::size_t> sent(static_cast<std::size_t>(connections), 0), bad(static_cast<std::size_t>(connections), 0);
  std::vector<std::string> first_bad(static_cast<std::size_t>(connections));
  std::atomic<bool> go{false};
  const auto deadline_s = max_seconds;
  std::vector<std::thread> threads;
  const auto threads0 = thread_cpu_seconds();
  const double cpu0 = process_cpu_seconds();
  PhaseResult r;
  Clock::time_point t0;
  for (int k = 0; k < connections; ++k) {
    threads.emplace_back([&, k] {
      const auto kk = static_cast<std::size_t>(k);
      pthread_setname_np(pthread_self(), "bench-load");
      HttpConn conn(port);
      lat[kk].reserve(per_conn[kk].size());
      while (!go) std::this_thread::yield();
      std::string body;
      for (std::size_t i = 0; i < per_conn[kk].size(); ++i) {
        // Stop at the cap, but only between calls (3 events each).
        if (i % 3 == 0 && seconds_since(t0) > deadline_s) break;
        const auto a = Clock::now();
        const int st = conn.exchange(per_conn[kk][i], &body);
        lat[kk].add(std::chrono::duration<double, std::milli>(Clock::now() - a).count());
        ++sent[kk];
        if (st != 200 || body.find("\"duplicate\":false") == std::string::npos) {
          if (bad[kk]++ == 0) first_bad[kk] = std::to_string(st) + " " + body;
        }
      }
    });
  }
  t0 = Clock::now();
  go = true;
  for (auto& t : threads) t.join();
  const double elapsed = seconds_since(t0);
  const double cpu = process_cpu_seconds() - cpu0;
  std::error_code wal_ec;
  const auto wal_bytes = std::filesystem::file_size(db + "-wal", wal_ec);
  r.wal_mib = wal_ec ? 0 : static_cast<double>(wal_bytes) / (1024.0 * 1024.0);

  Samples all;
  std::size_t bad_total = 0, hangups = 0;
  std::string bad_example;
  for (std::size_t k = 0; k < lat.size(); ++k) {
    all.merge(lat[k]);
    r.events += sent[k];
    hangups += sent[k] / 3;
    bad_total += bad[k];
    if (bad[k] > 0 && bad_example.empty()) bad_example = first_bad[k];
  }
  r.events_per_s = static_cast<double>(r.events) / elapsed;
  r.p50 = all.pct(50);
  r.p99 = all.pct(99);
  r.max = all.max();
  r.cpu_us_per_event = cpu * 1e6 / static_cast<double>(r.events);
  const auto commits = client.counters().ingest_commits;
  r.events_per_commit = commits > 0 ? static_cast<double>(r.events) / static_cast<double>(commits) : 0;
  report.check(name + ": every webhook answered 200 {duplicate:false}", bad_total == 0,
               std::to_string(bad_total) + " not; first: " + bad_example.substr(0, 200));

  // The WebSocket client gets a snapshot, then call.updated for every event
  // and call.ended for every hangup.
  const std::uint64_t expected = 1 + r.events + hangups;
  const auto wait0 = Clock::now();
  while (ws.total_messages() < expected && seconds_since(wait0) < 30) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const double ws_lag = seconds_since(wait0);
  for (const auto& [group, s] : cpu_delta(threads0, thread_cpu_seconds())) {
    if (group.rfind("cw-", 0) != 0) continue;
    const double us = s * 1e6 / static_cast<double>(r.events);
    r.server_cpu_us_by_thread[group] = us;
    r.server_cpu_us_per_event += us;
  }
  ws.stop();
  ws_thread.join();
  report.check(name + ": WebSocket client received every update", ws.total_messages() == expected,
               std::to_string(ws.total_messages()) + " of " + std::to_string(expected) +
                   (ws.closed(0) ? ", closed with " + std::to_string(ws.close_code(0)) : ""));

  // Every call whose three events were sent is completed in storage.
  LogStore logs(storage);
  CallFilter f;
  f.status = CallStatus::completed;
  const auto completed = logs.count(f);
  report.check(name + ": every call folded to completed", completed == static_cast<std::int64_t>(hangups),
               std::to_string(completed) + " completed of " + std::to_string(hangups));
  if (!verify) {
    std::tie(r.baseline_per_s, r.baseline_cpu_us) =
        health_baseline(port, connections, std::max<std::size_t>(10, calls * 3 / static_cast<std::size_t>(connections) / 4));
  }
  ws_owner.reset();  // close the WebSocket first: the server's stop would wait for its close handshake
  server.stop();
  client.close();

  std::cout << "   [" << name << "] " << r.events << " events in " << fixed(elapsed, 2) << " s, WebSocket drained "
            << fixed(ws_lag, 2) << " s after the load" << std::endl;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse_args(argc, argv, "bench_ingest: signed webhook ingest through WebhookServer + CallClient (SQLite)");
  Report report("webhook_ingest", args);
  log::set_level(log::Level::warn);
  const auto calls_verify = static_cast<std::size_t>(args.size("calls-verify", 10000, 20));
  const auto calls_noverify = static_cast<std::size_t>(args.size("calls-noverify", 30000, 20));
  const int connections = static_cast<int>(args.size("connections", 8, 2));
  const double seconds = args.number("seconds", 30, 30);
  const std::string syncs = args.text("sync", "normal,full", "normal");
  const bool run_openssl = args.size("openssl", 1, 0) != 0;
  // The server's worker pool (0: the server's default, 4). The webhook route
  // no longer runs on it (CallClient::ingest_webhook_async), so it no longer
  // bounds the batches; the GET /health baseline still uses it.
  const auto server_workers = static_cast<unsigned>(args.size("server-workers", 0, 0));
  // CallClientOptions::ingest_batch_max (0: the default, 256; 1: one transaction per webhook).
  const auto batch_max = static_cast<std::size_t>(args.size("batch-max", 0, 0));
  PhaseSetup setup;
  setup.connections = connections;
  setup.max_seconds = seconds;
  setup.server_workers = server_workers;
  setup.batch_max = batch_max;
  // The SQLite URL's checkpoint option: background (the default) or inline.
  setup.checkpoint = args.text("checkpoint", "background", "background");
  if (setup.checkpoint != "background" && setup.checkpoint != "inline") {
    std::cerr << "--checkpoint: background or inline\n";
    return 2;
  }
  raise_fd_limit(4096);

  double openssl_rate = -1;
  if (run_openssl) {
    std::string line;
    openssl_rate = openssl_verify_rate(&line);
    report.figure("openssl speed ed25519 verify (1 core)", openssl_rate, "verify/s");
    if (!line.empty()) report.text("openssl speed line", line);
  }
  const double sdk_rate = sdk_verify_rate(args.smoke ? 0.1 : 2.0);
  report.check("verify_signature accepts the signed test event", sdk_rate > 0);
  report.figure("telnyx::verify_signature (1 thread)", sdk_rate, "verify/s");

  std::stringstream ss(syncs);
  std::string sync;
  while (std::getline(ss, sync, ',')) {
    if (sync != "full" && sync != "normal") {
      std::cerr << "--sync: full or normal\n";
      return 2;
    }
    const auto v = run_phase(report, "verify/" + sync, true, sync, calls_verify, setup);
    report.figure("verify/" + sync + " events/s", v.events_per_s, "events/s");
    report.figure("verify/" + sync + " latency p50", v.p50, "ms");
    report.target("verify/" + sync + " latency p99", v.p99, 10, true, "ms");
    report.figure("verify/" + sync + " latency max", v.max, "ms");
    report.figure("verify/" + sync + " process CPU per event", v.cpu_us_per_event, "us");
    report.target("verify/" + sync + " server CPU per event", v.server_cpu_us_per_event, 150, true, "us");
    for (const auto& [group, us] : v.server_cpu_us_by_thread) {
      report.figure("verify/" + sync + " server CPU per event, " + group, us, "us");
    }
    report.figure("verify/" + sync + " webhooks per storage commit", v.events_per_commit, "");
    report.figure("verify/" + sync + " WAL file after the load", v.wal_mib, "MiB");
    if (openssl_rate > 0) {
      // Issue 21: with both cores busy (32 connections and more) one core's
      // openssl verify rate; at 8 connections 60 % of it.
      report.target("verify/" + sync + " events/s as % of openssl verify/s", 100.0 * v.events_per_s / openssl_rate,
                    connections >= 32 ? 100 : 60, false, "%");
    }
    const auto n = run_phase(report, "noverify/" + sync, false, sync, calls_noverify, setup);
    report.target("noverify/" + sync + " events/s", n.events_per_s, 30000, false, "events/s");
    report.figure("noverify/" + sync + " latency p50", n.p50, "ms");
    report.figure("noverify/" + sync + " latency p99", n.p99, "ms");
    report.figure("noverify/" + sync + " process CPU per event", n.cpu_us_per_event, "us");
    report.figure("noverify/" + sync + " server CPU per event", n.server_cpu_us_per_event, "us");
    for (const auto& [group, us] : n.server_cpu_us_by_thread) {
      report.figure("noverify/" + sync + " server CPU per event, " + group, us, "us");
    }
    report.figure("noverify/" + sync + " webhooks per storage commit", n.events_per_commit, "");
    report.figure("noverify/" + sync + " WAL file after the load", n.wal_mib, "MiB");
    report.figure("baseline GET /health (same connections, same server) requests/s", n.baseline_per_s, "req/s");
    report.figure("baseline GET /health process CPU per request", n.baseline_cpu_us, "us");
  }
  report.note("load generator, WebSocket reader and server share this process and the machine's cores; "
              "process CPU per event includes the generator; server CPU per event is the SDK's threads (cw-…) "
              "alone, until the WebSocket client has every update");
  return report.finish();
}
