// Benchmarks: shared helpers — command-line sizes, timing and percentiles,
// the result report (JSON + a readable summary), process memory, machine
// facts, and free ports.
//
// Every benchmark program takes:
//   --smoke            tiny sizes: checks that it runs and that its correctness
//                      checks hold; never asserts speed (ctest label bench-smoke)
//   --out FILE         also write the result as JSON to FILE
//   --<name>=<value>   override one size (each program lists its own); the
//                      environment variable BENCH_<NAME> does the same
//
// Exit status: 0 when every correctness check held (a missed speed target is
// reported, not failed), 1 when a check failed, 2 on a usage error.
//
// Not thread-safe unless said otherwise: a program builds its Report on its
// main thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace callwire::bench {

using Clock = std::chrono::steady_clock;

/// Seconds since an arbitrary start, for durations.
double seconds_since(Clock::time_point t0);
/// Nanoseconds on the steady clock (CLOCK_MONOTONIC, shared by all processes).
std::int64_t steady_ns();

struct Args {
  bool smoke = false;
  std::string out;
  std::map<std::string, std::string> values;  ///< --name=value

  /// A size: --name=V, else $BENCH_<NAME>, else `smoke_value` with --smoke, else `full_value`.
  std::int64_t size(const std::string& name, std::int64_t full_value, std::int64_t smoke_value) const;
  double number(const std::string& name, double full_value, double smoke_value) const;
  std::string text(const std::string& name, const std::string& full_value, const std::string& smoke_value) const;
};

/// Parses argv; prints usage and exits 2 on unknown syntax. `about` is the
/// first usage line.
Args parse_args(int argc, char** argv, const std::string& about);

/// A set of measurements (e.g. latencies in ms) with percentiles.
class Samples {
 public:
  void reserve(std::size_t n) { v_.reserve(n); }
  void add(double x) { v_.push_back(x); sorted_ = false; }
  void merge(const Samples& other);
  std::size_t count() const noexcept { return v_.size(); }
  /// Nearest-rank percentile, p in [0, 100]; 0 when empty.
  double pct(double p);
  double mean() const;
  double max();
  double min();

 private:
  std::vector<double> v_;
  bool sorted_ = true;
  void sort();
};

/// Resident set size of this process (or `pid`) in KiB, from /proc.
long rss_kib(int pid = 0);
/// Peak resident set size (VmHWM) in KiB.
long peak_rss_kib(int pid = 0);
/// User + system CPU time of this process so far, in seconds.
double process_cpu_seconds();
/// The 1-minute load average.
double load_average_1m();

/// On-CPU time of this process's live threads, summed by thread name with
/// trailing digits and dashes dropped ("cw-http-1" → "cw-http"): from
/// /proc/self/task/*/schedstat (nanoseconds). A thread that exits between two
/// snapshots is missing from the later one, so compare groups whose threads
/// live throughout (the SDK's, which it names "cw-…").
std::map<std::string, double> thread_cpu_seconds();
/// `after` − `before`, group by group (groups only in `after` count from 0).
std::map<std::string, double> cpu_delta(const std::map<std::string, double>& before,
                                        const std::map<std::string, double>& after);

/// Machine facts for the report: nproc, CPU model, memory, kernel, date.
std::map<std::string, std::string> machine_info();

/// A TCP port on 127.0.0.1 that nothing listens on right now.
int free_port();
/// Raises the open-files limit to `want` (or the hard limit); returns the new soft limit.
long raise_fd_limit(long want);

/// A temporary folder removed (recursively) by the destructor.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "callwire-bench");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

/// The result of one benchmark program: figures, targets and checks, printed
/// as a summary and written as JSON.
class Report {
 public:
  Report(std::string benchmark, const Args& args);

  /// A figure (ordered as added). `unit` is free text ("events/s", "ms").
  void figure(const std::string& name, double value, const std::string& unit = {});
  void text(const std::string& name, const std::string& value);
  /// A target: `value` compared with `limit` (`at_most` true: value <= limit).
  /// Reported as met/missed; never fails the program.
  void target(const std::string& name, double value, double limit, bool at_most, const std::string& unit = {});
  /// A correctness check; a false one fails the program (exit 1).
  bool check(const std::string& name, bool ok, const std::string& detail = {});
  /// A free-form note printed with the summary.
  void note(const std::string& line);

  bool ok() const noexcept { return failed_ == 0; }
  /// Prints the summary, writes --out, returns the exit status.
  int finish();

 private:
  struct Item {
    enum class Kind { figure, text, target, check } kind;
    std::string name, unit, str;
    double value = 0, limit = 0;
    bool at_most = true, ok = true;
  };
  std::string benchmark_;
  Args args_;
  std::vector<Item> items_;
  std::vector<std::string> notes_;
  int failed_ = 0;
  double load_at_start_ = 0;
  std::chrono::system_clock::time_point started_;
};

/// A child process with pipes to its stdin and stdout (stderr is inherited
/// unless `quiet_stderr`). The destructor sends SIGTERM and waits (SIGKILL
/// after 5 s).
class Child {
 public:
  /// Starts `argv[0]` (a path) with `argv`; `env` entries ("NAME=value") are
  /// added to this process's environment; `cwd` empty keeps ours.
  Child(const std::vector<std::string>& argv, const std::vector<std::string>& env = {}, const std::string& cwd = {},
        bool quiet_stderr = false);
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  int pid() const noexcept { return pid_; }
  void write_line(const std::string& line);
  /// The next line of its stdout (without the newline); throws
  /// std::runtime_error after `timeout_ms` or at end of output.
  std::string read_line(int timeout_ms = 10000);
  /// SIGTERM, then waits up to `grace_ms` before SIGKILL; returns the exit
  /// status (as from waitpid) or -1. Idempotent.
  int stop(int grace_ms = 5000);
  /// CPU time (user + system) the child has used so far, in seconds (/proc).
  double cpu_seconds() const;

 private:
  int pid_ = -1;
  int in_ = -1, out_ = -1;
  std::string buf_;
  int status_ = -1;
};

/// The folder holding this executable (for helper programs built beside it).
std::string exe_dir();

/// JSON string escaping (for the report and small hand-built bodies).
std::string json_escape(std::string_view s);

/// Formats a double with `digits` after the point.
std::string fixed(double v, int digits = 1);

}  // namespace callwire::bench
