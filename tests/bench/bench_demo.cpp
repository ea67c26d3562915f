// Benchmark 3 — demo concurrency: many simulated calls live at once in one
// process, in real time (speed 1).
//
// Mix (by destination, docs/demo-mode.md): 60 % answered calls that we hang
// up (→ completed), 20 % answering machines that hang up by themselves
// ~42 s after the dial (→ completed),
// 20 % calls nobody answers — half of them hung up by us while ringing
// (→ canceled), half ringing out after the ring timeout (→ no_answer). Every
// call is live at the peak.
//
// Modes (--mode, a comma list):
//   carrier  DemoCarrier alone on one io thread; the sink parses every
//            webhook and checks its occurred_at against the arrival time —
//            at speed 1 the difference is the timer's lateness.
//   client   a CallClient in demo mode on SQLite (the whole path: dial →
//            storage → simulator → parser → state machine → storage →
//            subscribers); lateness is measured at the subscriber, from the
//            event's occurred_at to the update: timer lateness plus storage
//            and dispatch.
// Figures: calls live at the peak, RSS growth per live call (RSS at the peak
// minus RSS before the first dial, over the calls), lateness p50/p99/max,
// and a check that every call ends with the status its scenario gives.
//
// Sizes: --calls, --dial-rate (dials/s; 0 = as fast as possible; hangups are
// paced the same), --ring-timeout (s), --client-dial-rate and
// --client-ring-timeout (the client mode's), --sync (SQLite synchronous for
// the client mode),
// --machines=0 (answered calls instead of answering machines: the smoke run).
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <malloc.h>

#include <atomic>
#include <iostream>
#include <sstream>
#include <thread>

#include "bench_common.hpp"
#include "callwire/call_client.hpp"
#include "callwire/call_state.hpp"
#include "callwire/log_store.hpp"
#include "callwire/webhook.hpp"
#include "carrier/demo_carrier.hpp"
#include "core/base64.hpp"
#include "core/uuid.hpp"
#include "support/log.hpp"
#include "workload.hpp"

using namespace callwire;
using namespace callwire::bench;
namespace net = boost::asio;
using namespace std::chrono_literals;

namespace {

enum class Kind : std::uint8_t { answered, machine, no_answer_cancel, no_answer };

bool g_machines = true;  // --machines=0: no answering machines (they take ~42 s; smoke runs skip them)

Kind kind_of(std::size_t i) {
  switch (i % 10) {
    case 6: case 7: return g_machines ? Kind::machine : Kind::answered;
    case 8: return Kind::no_answer_cancel;
    case 9: return Kind::no_answer;
    default: return Kind::answered;
  }
}

const char* last4_of(Kind k) {
  switch (k) {
    case Kind::machine: return "0003";
    case Kind::no_answer_cancel:
    case Kind::no_answer: return "0001";
    default: return "1234";
  }
}

CallStatus expected_status(Kind k) {
  switch (k) {
    case Kind::no_answer_cancel: return CallStatus::canceled;
    case Kind::no_answer: return CallStatus::no_answer;
    default: return CallStatus::completed;
  }
}

bool we_hang_up(Kind k) { return k == Kind::answered || k == Kind::no_answer_cancel; }

double ms_late(TimePoint occurred) {
  const auto now = std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  return std::chrono::duration<double, std::milli>(now - occurred).count();
}

/// Dials `n` calls at `rate` per second (0: as fast as possible), calling `dial(i)`.
double paced(std::size_t n, double rate, const std::function<void(std::size_t)>& dial) {
  const auto t0 = Clock::now();
  for (std::size_t i = 0; i < n; ++i) {
    if (rate > 0) std::this_thread::sleep_until(t0 + std::chrono::duration<double>(static_cast<double>(i) / rate));
    dial(i);
  }
  return seconds_since(t0);
}

template <class Pred>
bool wait_for(Pred p, double seconds) {
  const auto t0 = Clock::now();
  while (!p()) {
    if (seconds_since(t0) > seconds) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

bool g_smoke = false;

/// "Every call live at the peak" is the premise of the full run (its ring
/// timeout leaves ample time). A smoke run's 8 s ring timeout can pass before
/// a very busy machine reaches the peak, so there it is only reported.
void peak_check(Report& report, const std::string& name, bool ok, const std::string& detail) {
  if (g_smoke) report.text(name + " (smoke: reported only)", (ok ? "yes, " : "no, ") + detail);
  else report.check(name, ok, detail);
}

struct Params {
  std::size_t calls;
  double dial_rate;
  int ring_timeout;
};

// The client mode may be given its own dial rate and ring timeout
// (--client-dial-rate, --client-ring-timeout; by default the same as the
// carrier mode's): every dial and every event is a few SQLite writes, which a
// busy machine may not keep up with at 1,000 dials/s.

// ---- DemoCarrier alone ---------------------------------------------------------

void run_carrier(Report& report, const Params& p) {
  const std::size_t n = p.calls;
  // Harness state, allocated before the baseline: per call, the status derived
  // from its events and whether it was answered.
  struct Track {
    bool answered = false;
    bool ended = false;
    CallStatus status = CallStatus::dialing;
  };
  std::vector<Track> track(n);
  std::vector<std::string> ccid(n, std::string(64, '\0'));  // reserved now, filled by the dial answers
  Samples lateness;
  lateness.reserve(n * 4);
  std::atomic<std::size_t> answered{0}, ended{0}, dial_failures{0}, events{0}, unmatched{0}, ringing{0};

  net::io_context io;
  auto guard = net::make_work_guard(io);
  std::thread io_thread([&] { io.run(); });

  carrier::DemoOptions o;
  o.speed = 1;
  o.seed = 7;
  auto carrier = carrier::DemoCarrier::create(
      io.get_executor(),
      [&](std::string body) {  // on the carrier's strand
        auto e = telnyx::parse_webhook(body);
        events.fetch_add(1, std::memory_order_relaxed);
        if (!e) return unmatched.fetch_add(1), void();
        lateness.add(ms_late(e->occurred_at));
        const auto decoded = e->client_state ? base64::decode(*e->client_state) : std::nullopt;
        const auto idx = decoded ? number_of_call_id(*decoded) : -1;
        if (idx < 0 || static_cast<std::size_t>(idx) >= n) return unmatched.fetch_add(1), void();
        Track& t = track[static_cast<std::size_t>(idx)];
        if (e->event_type == "call.initiated") ++ringing;
        if (e->event_type == "call.answered" && !t.answered) {
          t.answered = true;
          ++answered;
        }
        if (e->event_type == "call.hangup" && !t.ended) {
          t.ended = true;
          t.status = status_for_hangup(e->hangup_cause, e->hangup_source, t.answered);
          ++ended;
        }
      },
      o);

  malloc_trim(0);
  const long rss0 = rss_kib();
  const double ramp = paced(n, p.dial_rate, [&](std::size_t i) {
    carrier::DialRequest r;
    r.call_id = numbered_call_id(i, 'd');
    r.to = destination(i, last4_of(kind_of(i)));
    r.from = "+13125550100";
    r.command_id = new_uuid_v4();
    r.timeout_secs = p.ring_timeout;
    carrier->dial(r, [&, i](carrier::CarrierResult<carrier::DialResult> res) {
      if (!res) return dial_failures.fetch_add(1), void();
      ccid[i].assign(res.value->call_control_id);
    });
  });
  std::size_t expect_answered = 0;
  for (std::size_t i = 0; i < n; ++i) expect_answered += kind_of(i) == Kind::answered || kind_of(i) == Kind::machine ? 1 : 0;
  const bool peak = wait_for([&] { return answered.load() >= expect_answered && ringing.load() >= n; }, 60);
  const std::size_t live = ringing.load() - ended.load();
  const long rss_peak = rss_kib();
  report.check("carrier: every dial accepted", dial_failures.load() == 0, std::to_string(dial_failures.load()) + " failed");
  report.check("carrier: every call rang and the answered ones answered", peak,
               std::to_string(ringing.load()) + " rang, " + std::to_string(answered.load()) + " answered");
  report.figure("carrier: dial ramp (" + fixed(p.dial_rate, 0) + " dials/s)", ramp, "s");
  peak_check(report, "carrier: every call live at the peak", live == n, std::to_string(live) + " of " + std::to_string(n));
  report.figure("carrier: calls live at the peak", static_cast<double>(live));
  const double per_call = static_cast<double>(rss_peak - rss0) * 1024.0 / static_cast<double>(n);
  report.target("carrier: RSS growth per live call", per_call / 1024.0, 10, true, "KiB");

  // End them: our hangups, then the rest by themselves.
  // Hang up at the dial rate (a burst of thousands of hangups in one
  // millisecond would measure the burst, not the timers).
  paced(n, p.dial_rate, [&](std::size_t i) {
    if (!we_hang_up(kind_of(i))) return;
    carrier::ActionRequest a;
    a.call_control_id = ccid[i];
    a.command_id = new_uuid_v4();
    carrier->hangup(a, [](carrier::CarrierResult<carrier::Unit>) {});
  });
  const bool all_ended = wait_for([&] { return ended.load() >= n; }, p.ring_timeout + 60.0);
  report.check("carrier: every call ended", all_ended, std::to_string(ended.load()) + " of " + std::to_string(n));
  std::size_t wrong = 0;
  std::string first_wrong;
  {
    // Read the tracks on the strand's terms: the carrier is idle now.
    for (std::size_t i = 0; i < n; ++i) {
      if (track[i].status != expected_status(kind_of(i))) {
        if (wrong++ == 0) first_wrong = "call " + std::to_string(i) + ": " + std::string(to_string(track[i].status));
      }
    }
  }
  report.check("carrier: every call reached the status of its scenario", wrong == 0,
               std::to_string(wrong) + " wrong" + (first_wrong.empty() ? "" : "; first " + first_wrong));
  report.check("carrier: every webhook parsed and matched", unmatched.load() == 0, std::to_string(unmatched.load()));
  report.figure("carrier: webhooks delivered", static_cast<double>(events.load()));
  report.figure("carrier: timer lateness p50", lateness.pct(50), "ms");
  report.target("carrier: timer lateness p99", lateness.pct(99), 50, true, "ms");
  report.figure("carrier: timer lateness max", lateness.max(), "ms");
  report.figure("carrier: peak RSS (VmHWM)", static_cast<double>(peak_rss_kib()) / 1024.0, "MiB");
  carrier->shutdown();
  guard.reset();
  io.stop();
  io_thread.join();
}

// ---- CallClient in demo mode ---------------------------------------------------------

void run_client(Report& report, const Params& p, const std::string& sync) {
  const std::size_t n = p.calls;
  TempDir dir("callwire-bench-demo");
  std::vector<std::string> ids(n);
  for (auto& id : ids) id.reserve(40);
  Samples lateness;
  lateness.reserve(n * 4);
  std::atomic<std::size_t> ringing{0}, active{0}, ended{0};

  Storage storage = Storage::open("sqlite://" + dir.path() + "/demo.db?synchronous=" + sync);
  CallClientOptions co;
  co.force_demo = true;
  co.demo_speed = 1;
  co.ring_timeout = std::chrono::seconds(p.ring_timeout);
  co.hangup_wait = 1ms;  // hangups are fired; their webhooks are counted by the subscriber
  co.recordings_dir = dir.path() + "/recordings";
  CallClient client(storage, co);
  // Updates arrive one at a time (the client's dispatch strand). Per call:
  // call.created (dialing), ringing, active (answered calls), then the
  // terminal update and call.ended.
  client.subscribe([&](const CallUpdate& u) {
    if (u.type == "call.ended") {
      if (u.call.ended_at) lateness.add(ms_late(*u.call.ended_at));
      ++ended;
    } else if (u.call.status == CallStatus::ringing) {
      if (u.call.ringing_at) lateness.add(ms_late(*u.call.ringing_at));
      ++ringing;
    } else if (u.call.status == CallStatus::active) {
      if (u.call.answered_at) lateness.add(ms_late(*u.call.answered_at));
      ++active;
    }
  });

  malloc_trim(0);
  const long rss0 = rss_kib();
  std::size_t dial_failures = 0;
  std::string first_failure;
  const double ramp = paced(n, p.dial_rate, [&](std::size_t i) {
    try {
      ids[i].assign(client.dial(destination(i, last4_of(kind_of(i))), "+13125550100").call_id);
    } catch (const std::exception& e) {
      if (dial_failures++ == 0) first_failure = e.what();
    }
  });
  std::size_t expect_answered = 0;
  for (std::size_t i = 0; i < n; ++i) expect_answered += kind_of(i) == Kind::answered || kind_of(i) == Kind::machine ? 1 : 0;
  const bool peak = wait_for([&] { return active.load() >= expect_answered && ringing.load() >= n; }, 120);
  const std::size_t live = client.active_calls().size();
  const long rss_peak = rss_kib();
  report.check("client: every dial accepted", dial_failures == 0, std::to_string(dial_failures) + " failed; " + first_failure);
  report.check("client: every call rang and the answered ones answered", peak,
               std::to_string(ringing.load()) + " rang, " + std::to_string(active.load()) + " answered");
  report.figure("client: dial ramp (" + fixed(p.dial_rate, 0) + " dials/s)", ramp, "s");
  peak_check(report, "client: every call live at the peak", live == n && ended.load() == 0,
               std::to_string(live) + " of " + std::to_string(n) + " live, " + std::to_string(ended.load()) + " ended");
  report.figure("client: calls live at the peak", static_cast<double>(live));
  const double per_call = static_cast<double>(rss_peak - rss0) / static_cast<double>(n);
  report.target("client: RSS growth per live call", per_call, 10, true, "KiB");

  const auto h0 = Clock::now();
  std::size_t hang_failures = 0;
  paced(n, p.dial_rate, [&](std::size_t i) {
    if (!we_hang_up(kind_of(i)) || ids[i].empty()) return;
    try {
      client.hangup(ids[i]);
    } catch (const std::exception& e) {
      if (hang_failures++ == 0) first_failure = e.what();
    }
  });
  report.figure("client: time to issue our hangups (paced at the dial rate)", seconds_since(h0), "s");
  report.check("client: every hangup accepted", hang_failures == 0, std::to_string(hang_failures) + "; " + first_failure);
  const bool all_ended = wait_for([&] { return ended.load() >= n; }, p.ring_timeout + 60.0);
  report.check("client: every call ended", all_ended, std::to_string(ended.load()) + " of " + std::to_string(n));
  std::size_t wrong = 0;
  std::string first_wrong;
  for (std::size_t i = 0; i < n; ++i) {
    if (ids[i].empty()) continue;
    const Call c = client.get_call(ids[i]);
    if (c.status != expected_status(kind_of(i))) {
      if (wrong++ == 0) first_wrong = c.to_number + " " + std::string(to_string(c.status));
    }
  }
  report.check("client: every call reached the status of its scenario (in storage)", wrong == 0,
               std::to_string(wrong) + " wrong" + (first_wrong.empty() ? "" : "; first " + first_wrong));
  report.check("client: no call left live", client.active_calls().empty(), std::to_string(client.active_calls().size()) + " live");
  report.figure("client: event to subscriber p50 (timer + storage + dispatch)", lateness.pct(50), "ms");
  report.target("client: event to subscriber p99 (timer + storage + dispatch)", lateness.pct(99), 50, true, "ms");
  report.figure("client: event to subscriber max", lateness.max(), "ms");
  report.figure("client: peak RSS (VmHWM)", static_cast<double>(peak_rss_kib()) / 1024.0, "MiB");
  client.close();
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse_args(argc, argv, "bench_demo: simulated calls live at once (DemoCarrier, CallClient demo mode)");
  Report report("demo_concurrency", args);
  log::set_level(log::Level::warn);
  Params p;
  p.calls = static_cast<std::size_t>(args.size("calls", 10000, 50));
  p.dial_rate = args.number("dial-rate", 1000, 0);
  p.ring_timeout = static_cast<int>(args.size("ring-timeout", 45, 8));
  Params pc = p;
  pc.dial_rate = args.number("client-dial-rate", p.dial_rate, p.dial_rate);
  pc.ring_timeout = static_cast<int>(args.size("client-ring-timeout", p.ring_timeout, p.ring_timeout));
  const std::string modes = args.text("mode", "carrier,client", "carrier,client");
  const std::string sync = args.text("sync", "normal", "normal");
  g_machines = args.size("machines", 1, 0) != 0;
  g_smoke = args.smoke;
  raise_fd_limit(4096);
  std::stringstream ss(modes);
  std::string mode;
  while (std::getline(ss, mode, ',')) {
    if (mode == "carrier") run_carrier(report, p);
    else if (mode == "client") run_client(report, pc, sync);
    else {
      std::cerr << "--mode: carrier and/or client\n";
      return 2;
    }
  }
  return report.finish();
}
