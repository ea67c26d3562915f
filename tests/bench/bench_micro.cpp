// Micro-benchmarks (Google Benchmark) of the steps of webhook ingest, to
// explain benchmark 1: signature verification (the SDK's and OpenSSL's raw
// EVP call with a key made once), webhook parsing, the state machine, the
// JSON codec, phone normalisation, the simulator, and the SQLite storage
// operations one event costs (record_event, get, update).
//
//   bench_micro [--benchmark_filter=…] [--benchmark_min_time=…] [--benchmark_format=json]
#include <benchmark/benchmark.h>

#include <openssl/evp.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>

#include "callwire/call_state.hpp"
#include "callwire/json.hpp"
#include "callwire/log_store.hpp"
#include "callwire/phone.hpp"
#include "callwire/storage.hpp"
#include "callwire/webhook.hpp"
#include "core/base64.hpp"
#include "fake_telnyx.hpp"
#include "sim/simulator.hpp"
#include "support/log.hpp"
#include "workload.hpp"

using namespace callwire;
using namespace callwire::bench;

namespace {

struct Signed {
  std::string body, ts, sig, pub;
  telnyx::Headers headers;
  std::int64_t now = 0;
};

const Signed& signed_event() {
  static const Signed s = [] {
    Signed x;
    x.body = simulate_call(1, sys_now()).events.back().body;  // call.hangup
    x.now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    x.ts = std::to_string(x.now);
    x.sig = telnyx::sign(test::test_signing_seed(), x.ts, x.body);
    x.pub = test::test_public_key();
    x.headers.set("telnyx-signature-ed25519", x.sig);
    x.headers.set("telnyx-timestamp", x.ts);
    return x;
  }();
  return s;
}

void BM_VerifySignature(benchmark::State& state) {
  const auto& s = signed_event();
  for (auto _ : state) {
    benchmark::DoNotOptimize(telnyx::verify_signature(s.pub, s.headers, s.body, s.now));
  }
}
BENCHMARK(BM_VerifySignature);

// What `openssl speed ed25519` measures: EVP_DigestVerify with a key loaded once.
void BM_OpensslVerifyKeyLoadedOnce(benchmark::State& state) {
  const auto& s = signed_event();
  const auto key = *base64::decode(s.pub);
  const auto sig = *base64::decode(s.sig);
  const std::string msg = s.ts + "|" + s.body;
  EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                               reinterpret_cast<const unsigned char*>(key.data()), key.size());
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  for (auto _ : state) {
    EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, pkey);
    const int ok = EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                                    reinterpret_cast<const unsigned char*>(msg.data()), msg.size());
    if (ok != 1) state.SkipWithError("verification failed");
  }
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(pkey);
}
BENCHMARK(BM_OpensslVerifyKeyLoadedOnce);

void BM_Sign(benchmark::State& state) {
  const auto& s = signed_event();
  const std::string seed = test::test_signing_seed();
  for (auto _ : state) benchmark::DoNotOptimize(telnyx::sign(seed, s.ts, s.body));
}
BENCHMARK(BM_Sign);

void BM_ParseWebhook(benchmark::State& state) {
  const auto& s = signed_event();
  for (auto _ : state) benchmark::DoNotOptimize(telnyx::parse_webhook(s.body));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(s.body.size()));
}
BENCHMARK(BM_ParseWebhook);

void BM_ApplyEvents(benchmark::State& state) {
  const auto call = simulate_call(2, sys_now());
  std::vector<CallEvent> events;
  for (const auto& e : call.events) events.push_back(*telnyx::parse_webhook(e.body));
  for (auto _ : state) {
    Call c = call.call;
    for (const auto& e : events) apply(c, e);
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_ApplyEvents);

void BM_EncodeCall(benchmark::State& state) {
  Call c = simulate_call(3, sys_now()).call;
  for (auto _ : state) benchmark::DoNotOptimize(json::encode(c));
}
BENCHMARK(BM_EncodeCall);

void BM_NormalizeE164(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(normalize_e164("+1 (212) 555-1234", "to_number"));
}
BENCHMARK(BM_NormalizeE164);

void BM_SimulateCall(benchmark::State& state) {
  std::uint64_t n = 0;
  const auto start = sys_now();
  for (auto _ : state) benchmark::DoNotOptimize(simulate_call(n++, start));
}
BENCHMARK(BM_SimulateCall);

// ---- SQLite: what one webhook costs the store ------------------------------------

struct Db {
  std::string dir;
  Storage storage;
  std::vector<SimulatedCall> calls;
};

/// The databases of the storage benchmarks, removed by main() at the end.
std::map<std::string, std::unique_ptr<Db>>& dbs() {
  static std::map<std::string, std::unique_ptr<Db>> all;
  return all;
}

Db& db(const std::string& sync) {
  auto& slot = dbs()[sync];
  if (!slot) {
    const auto dir = std::filesystem::temp_directory_path() / ("callwire-bench-micro-" + sync);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    slot = std::unique_ptr<Db>(new Db{dir.string(), Storage::open("sqlite://" + dir.string() + "/micro.db?synchronous=" + sync), {}});
    LogStore logs(slot->storage);
    const auto start = sys_now();
    for (std::uint64_t i = 0; i < 2000; ++i) {
      slot->calls.push_back(simulate_call(i, start));
      logs.insert(slot->calls.back().call);
    }
  }
  return *slot;
}

void BM_RecordEvent(benchmark::State& state, const std::string& sync) {
  Db& d = db(sync);
  LogStore logs(d.storage);
  auto e = *telnyx::parse_webhook(d.calls[0].events[0].body);
  static std::atomic<std::uint64_t> n{0};
  for (auto _ : state) {
    e.id = "bench-" + sync + "-" + std::to_string(n++);
    benchmark::DoNotOptimize(logs.record_event(e));
  }
}
BENCHMARK_CAPTURE(BM_RecordEvent, normal, std::string("normal"));
BENCHMARK_CAPTURE(BM_RecordEvent, full, std::string("full"));

void BM_GetCall(benchmark::State& state) {
  Db& d = db("normal");
  LogStore logs(d.storage);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(logs.get(d.calls[i++ % d.calls.size()].call.call_id));
}
BENCHMARK(BM_GetCall);

void BM_UpdateCall(benchmark::State& state, const std::string& sync) {
  Db& d = db(sync);
  LogStore logs(d.storage);
  std::size_t i = 0;
  for (auto _ : state) {
    Call c = d.calls[i++ % d.calls.size()].call;
    c.muted = (i % 2) == 0;
    logs.update(c);
  }
}
BENCHMARK_CAPTURE(BM_UpdateCall, normal, std::string("normal"));
BENCHMARK_CAPTURE(BM_UpdateCall, full, std::string("full"));

}  // namespace

int main(int argc, char** argv) {
  log::set_level(log::Level::warn);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  for (auto& [sync, d] : dbs()) {
    const std::string dir = d->dir;
    d.reset();  // closes the database before its folder goes
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  return 0;
}
