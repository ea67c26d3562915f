// Benchmark 6 — footprint of the reference server.
//
// Starts `callwire-server` (the binary of this build; --server=PATH for
// another) --runs times, each in a fresh folder with a fresh SQLite database,
// in demo mode (no Telnyx key), on a free loopback port, and measures:
//   start-up   from fork/exec to the first 200 answer of GET /health
//              (polled every millisecond on a new connection)
//   idle RSS   VmRSS after --idle seconds without requests
//   stop       from SIGTERM to the process exit
// Reports the median and the worst of the runs.
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <thread>

#include "bench_common.hpp"
#include "net_util.hpp"

using namespace callwire::bench;
using namespace std::chrono_literals;

#ifndef CALLWIRE_SERVER_BIN
#define CALLWIRE_SERVER_BIN ""
#endif

int main(int argc, char** argv) {
  const Args args = parse_args(argc, argv, "bench_footprint: callwire-server start-up time and idle memory");
  Report report("server_footprint", args);
  const std::string server = args.text("server", CALLWIRE_SERVER_BIN, CALLWIRE_SERVER_BIN);
  const int runs = static_cast<int>(args.size("runs", 10, 2));
  const double idle = args.number("idle", 3, 0.5);
  if (server.empty() || !std::filesystem::exists(server)) {
    report.check("callwire-server is built", false, "no binary at '" + server + "' (--server=PATH)");
    return report.finish();
  }
  report.text("server binary", server);
  report.figure("server binary size", static_cast<double>(std::filesystem::file_size(server)) / 1048576.0, "MiB");

  Samples startup, rss, hwm, stop;
  int failures = 0;
  std::string why;
  for (int r = 0; r < runs; ++r) {
    TempDir dir("callwire-bench-footprint");
    const int port = free_port();
    const std::vector<std::string> env = {
        "CALLWIRE_DB=" + dir.path() + "/callwire.db",
        "CALLWIRE_PORT=" + std::to_string(port),
        "CALLWIRE_HOST=127.0.0.1",
        "CALLWIRE_RECORDINGS_DIR=" + dir.path() + "/recordings",
        "MONGODB_URL=",
        "TELNYX_API_KEY=",
        "TELNYX_API_V2_KEY=",
        "JWT_SECRET=",
    };
    const auto t0 = Clock::now();
    Child child({server}, env, dir.path(), true);
    int status = 0;
    while (seconds_since(t0) < 10) {
      status = http_get_once(port, "/health", nullptr, 1000);
      if (status == 200) break;
      std::this_thread::sleep_for(1ms);
    }
    const double up_ms = seconds_since(t0) * 1000;
    if (status != 200) {
      ++failures;
      why = "no 200 on /health within 10 s (last status " + std::to_string(status) + ")";
      continue;
    }
    startup.add(up_ms);
    std::this_thread::sleep_for(std::chrono::duration<double>(idle));
    rss.add(static_cast<double>(rss_kib(child.pid())) / 1024.0);
    hwm.add(static_cast<double>(peak_rss_kib(child.pid())) / 1024.0);
    const auto s0 = Clock::now();
    const int st = child.stop(10000);
    stop.add(seconds_since(s0) * 1000);
    if (!(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
      ++failures;
      why = "exit status " + std::to_string(st);
    }
  }
  report.check("every run answered /health and stopped cleanly", failures == 0, why);
  report.figure("runs", static_cast<double>(startup.count()));
  report.target("start-up to the first 200 on /health (median)", startup.pct(50), 200, true, "ms");
  report.figure("start-up (worst)", startup.max(), "ms");
  report.target("idle RSS (median)", rss.pct(50), 30, true, "MiB");
  report.figure("idle RSS (worst)", rss.max(), "MiB");
  report.figure("peak RSS during start-up (VmHWM, worst)", hwm.max(), "MiB");
  report.figure("stop on SIGTERM (median)", stop.pct(50), "ms");
  return report.finish();
}
