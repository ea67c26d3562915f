#include "bench_common.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace callwire::bench {

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

// ---- arguments ------------------------------------------------------------------

namespace {

std::string env_name(const std::string& name) {
  std::string e = "BENCH_";
  for (char c : name) e += (c == '-') ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return e;
}

}  // namespace

std::string Args::text(const std::string& name, const std::string& full_value, const std::string& smoke_value) const {
  if (auto it = values.find(name); it != values.end()) return it->second;
  if (const char* e = std::getenv(env_name(name).c_str()); e != nullptr && *e != '\0') return e;
  return smoke ? smoke_value : full_value;
}

std::int64_t Args::size(const std::string& name, std::int64_t full_value, std::int64_t smoke_value) const {
  const std::string v = text(name, "", "");
  if (v.empty()) return smoke ? smoke_value : full_value;
  try {
    std::size_t used = 0;
    const long long n = std::stoll(v, &used);
    if (used != v.size()) throw std::invalid_argument(v);
    return n;
  } catch (const std::exception&) {
    std::cerr << "bad value for " << name << ": '" << v << "' (expected an integer)\n";
    std::exit(2);
  }
}

double Args::number(const std::string& name, double full_value, double smoke_value) const {
  const std::string v = text(name, "", "");
  if (v.empty()) return smoke ? smoke_value : full_value;
  try {
    std::size_t used = 0;
    const double n = std::stod(v, &used);
    if (used != v.size()) throw std::invalid_argument(v);
    return n;
  } catch (const std::exception&) {
    std::cerr << "bad value for " << name << ": '" << v << "' (expected a number)\n";
    std::exit(2);
  }
}

Args parse_args(int argc, char** argv, const std::string& about) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string s = argv[i];
    if (s == "--smoke") {
      a.smoke = true;
    } else if (s == "--out" && i + 1 < argc) {
      a.out = argv[++i];
    } else if (s.rfind("--out=", 0) == 0) {
      a.out = s.substr(6);
    } else if (s.rfind("--", 0) == 0 && s.find('=') != std::string::npos) {
      const auto eq = s.find('=');
      a.values[s.substr(2, eq - 2)] = s.substr(eq + 1);
    } else {
      std::cerr << about << "\nusage: " << argv[0] << " [--smoke] [--out FILE] [--<size>=<value> ...]\n"
                << "unknown argument: " << s << "\n";
      std::exit(2);
    }
  }
  return a;
}

// ---- samples --------------------------------------------------------------------

void Samples::merge(const Samples& other) {
  v_.insert(v_.end(), other.v_.begin(), other.v_.end());
  sorted_ = false;
}

void Samples::sort() {
  if (!sorted_) std::sort(v_.begin(), v_.end());
  sorted_ = true;
}

double Samples::pct(double p) {
  if (v_.empty()) return 0;
  sort();
  // Nearest rank: the smallest value with at least p% of the samples at or below it.
  const double rank = std::ceil(p / 100.0 * static_cast<double>(v_.size()));
  const std::size_t idx = rank < 1 ? 0 : std::min(v_.size() - 1, static_cast<std::size_t>(rank) - 1);
  return v_[idx];
}

double Samples::mean() const {
  if (v_.empty()) return 0;
  return std::accumulate(v_.begin(), v_.end(), 0.0) / static_cast<double>(v_.size());
}

double Samples::max() {
  if (v_.empty()) return 0;
  sort();
  return v_.back();
}

double Samples::min() {
  if (v_.empty()) return 0;
  sort();
  return v_.front();
}

// ---- process and machine ------------------------------------------------------------

namespace {

long status_field_kib(int pid, const char* field) {
  const std::string path = pid == 0 ? "/proc/self/status" : "/proc/" + std::to_string(pid) + "/status";
  std::ifstream in(path);
  std::string line;
  const std::string key = std::string(field) + ":";
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + key.size());
  }
  return -1;
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

}  // namespace

long rss_kib(int pid) { return status_field_kib(pid, "VmRSS"); }
long peak_rss_kib(int pid) { return status_field_kib(pid, "VmHWM"); }

double process_cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

std::map<std::string, double> thread_cpu_seconds() {
  std::map<std::string, double> out;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec)) {
    std::ifstream comm(task.path() / "comm");
    std::ifstream sched(task.path() / "schedstat");
    std::string name;
    double ns = 0;
    if (!std::getline(comm, name) || !(sched >> ns)) continue;  // exited meanwhile
    while (!name.empty() && (std::isdigit(static_cast<unsigned char>(name.back())) != 0 || name.back() == '-')) {
      name.pop_back();
    }
    out[name] += ns / 1e9;
  }
  return out;
}

std::map<std::string, double> cpu_delta(const std::map<std::string, double>& before,
                                        const std::map<std::string, double>& after) {
  std::map<std::string, double> out;
  for (const auto& [name, s] : after) {
    const auto it = before.find(name);
    out[name] = s - (it == before.end() ? 0.0 : it->second);
  }
  return out;
}

double load_average_1m() {
  double l[1] = {0};
  if (getloadavg(l, 1) != 1) return -1;
  return l[0];
}

std::map<std::string, std::string> machine_info() {
  std::map<std::string, std::string> m;
  m["nproc"] = std::to_string(std::thread::hardware_concurrency());
  {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("model name", 0) == 0) {
        m["cpu"] = trim(line.substr(line.find(':') + 1));
        break;
      }
    }
  }
  {
    std::ifstream in("/proc/meminfo");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("MemTotal:", 0) == 0) m["memory_kib"] = trim(line.substr(9, line.find("kB") - 9));
    }
  }
  utsname u{};
  if (uname(&u) == 0) m["kernel"] = std::string(u.sysname) + " " + u.release;
  return m;
}

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    throw std::runtime_error("bind() failed");
  }
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

long raise_fd_limit(long want) {
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  rlim_t target = static_cast<rlim_t>(want);
  if (rl.rlim_max != RLIM_INFINITY && target > rl.rlim_max) target = rl.rlim_max;
  if (rl.rlim_cur < target) {
    rl.rlim_cur = target;
    setrlimit(RLIMIT_NOFILE, &rl);
    getrlimit(RLIMIT_NOFILE, &rl);
  }
  return static_cast<long>(rl.rlim_cur);
}

TempDir::TempDir(const std::string& prefix) {
  std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + tmpl);
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

// ---- child processes ------------------------------------------------------------

Child::Child(const std::vector<std::string>& argv, const std::vector<std::string>& env, const std::string& cwd,
             bool quiet_stderr) {
  // Everything the child needs is built before fork(): only async-signal-safe
  // calls happen between fork() and exec().
  std::vector<std::string> envs;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string cur = *e;
    const std::string name = cur.substr(0, cur.find('='));
    bool replaced = false;
    for (const auto& x : env) replaced = replaced || x.substr(0, x.find('=')) == name;
    if (!replaced) envs.push_back(cur);
  }
  envs.insert(envs.end(), env.begin(), env.end());
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : envs) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  int to_child[2], from_child[2];
  if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const int devnull = quiet_stderr ? ::open("/dev/null", O_WRONLY | O_CLOEXEC) : -1;
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(to_child[0], 0);
    ::dup2(from_child[1], 1);
    if (devnull >= 0) ::dup2(devnull, 2);
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) _exit(126);
    ::execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  if (devnull >= 0) ::close(devnull);
  pid_ = pid;
  ::close(to_child[0]);
  ::close(from_child[1]);
  in_ = to_child[1];
  out_ = from_child[0];
}

Child::~Child() {
  stop();
  if (in_ >= 0) ::close(in_);
  if (out_ >= 0) ::close(out_);
}

void Child::write_line(const std::string& line) {
  const std::string l = line + "\n";
  std::size_t off = 0;
  while (off < l.size()) {
    const ssize_t n = ::write(in_, l.data() + off, l.size() - off);
    if (n <= 0) throw std::runtime_error("writing to the child failed");
    off += static_cast<std::size_t>(n);
  }
}

std::string Child::read_line(int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    if (const auto nl = buf_.find('\n'); nl != std::string::npos) {
      std::string line = buf_.substr(0, nl);
      buf_.erase(0, nl + 1);
      return line;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) throw std::runtime_error("the child process did not answer in time");
    pollfd p{out_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    char tmp[4096];
    const ssize_t n = ::read(out_, tmp, sizeof tmp);
    if (n <= 0) throw std::runtime_error("the child process closed its output (exited?)");
    buf_.append(tmp, static_cast<std::size_t>(n));
  }
}

int Child::stop(int grace_ms) {
  if (pid_ <= 0) return status_;
  ::kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + std::chrono::milliseconds(grace_ms);
  int st = 0;
  for (;;) {
    const pid_t r = ::waitpid(pid_, &st, WNOHANG);
    if (r == pid_) break;
    if (r < 0) {
      st = -1;
      break;
    }
    if (Clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &st, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  pid_ = -1;
  status_ = st;
  return st;
}

double Child::cpu_seconds() const {
  if (pid_ <= 0) return 0;
  std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto rp = s.rfind(')');
  if (rp == std::string::npos) return 0;
  std::istringstream ss(s.substr(rp + 2));
  std::string f;
  long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && ss >> f; ++i) {
    if (i == 14) utime = std::atol(f.c_str());
    if (i == 15) stime = std::atol(f.c_str());
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::string exe_dir() {
  std::error_code ec;
  const auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : p.parent_path().string();
}

// ---- report -----------------------------------------------------------------------

std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string fixed(double v, int digits) {
  std::ostringstream ss;
  ss.setf(std::ios::fixed);
  ss.precision(digits);
  ss << v;
  return ss.str();
}

namespace {

std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  std::ostringstream ss;
  ss.precision(10);
  ss << v;
  return ss.str();
}

std::string iso_now(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string pretty(double v) {
  const double a = std::fabs(v);
  if (a >= 1000) return fixed(v, 0);
  if (a >= 10) return fixed(v, 1);
  if (a >= 0.1) return fixed(v, 2);
  return fixed(v, 3);
}

}  // namespace

Report::Report(std::string benchmark, const Args& args)
    : benchmark_(std::move(benchmark)), args_(args), load_at_start_(load_average_1m()),
      started_(std::chrono::system_clock::now()) {
  std::cout << "== " << benchmark_ << (args_.smoke ? " (smoke)" : "") << "  [load average " << fixed(load_at_start_, 2)
            << "]" << std::endl;
}

void Report::figure(const std::string& name, double value, const std::string& unit) {
  items_.push_back({Item::Kind::figure, name, unit, {}, value, 0, true, true});
}

void Report::text(const std::string& name, const std::string& value) {
  items_.push_back({Item::Kind::text, name, {}, value, 0, 0, true, true});
}

void Report::target(const std::string& name, double value, double limit, bool at_most, const std::string& unit) {
  const bool met = at_most ? value <= limit : value >= limit;
  items_.push_back({Item::Kind::target, name, unit, {}, value, limit, at_most, met});
}

bool Report::check(const std::string& name, bool ok, const std::string& detail) {
  items_.push_back({Item::Kind::check, name, {}, detail, 0, 0, true, ok});
  if (!ok) {
    ++failed_;
    std::cout << "   CHECK FAILED: " << name << (detail.empty() ? "" : ": " + detail) << std::endl;
  }
  return ok;
}

void Report::note(const std::string& line) { notes_.push_back(line); }

int Report::finish() {
  const double load_end = load_average_1m();
  std::cout << "-- " << benchmark_ << " results" << (args_.smoke ? " (smoke: sizes are tiny, targets not meaningful)" : "")
            << "\n";
  for (const auto& it : items_) {
    switch (it.kind) {
      case Item::Kind::figure:
        std::cout << "   " << it.name << ": " << pretty(it.value) << (it.unit.empty() ? "" : " " + it.unit) << "\n";
        break;
      case Item::Kind::text:
        std::cout << "   " << it.name << ": " << it.str << "\n";
        break;
      case Item::Kind::target:
        std::cout << "   " << it.name << ": " << pretty(it.value) << (it.unit.empty() ? "" : " " + it.unit) << "  (target "
                  << (it.at_most ? "<= " : ">= ") << pretty(it.limit) << ": " << (it.ok ? "met" : "MISSED") << ")\n";
        break;
      case Item::Kind::check:
        std::cout << "   check " << it.name << ": " << (it.ok ? "ok" : "FAILED") << (it.str.empty() ? "" : " (" + it.str + ")")
                  << "\n";
        break;
    }
  }
  for (const auto& n : notes_) std::cout << "   note: " << n << "\n";
  std::cout << "   load average: " << fixed(load_at_start_, 2) << " at start, " << fixed(load_end, 2) << " at end\n";
  std::cout.flush();

  if (!args_.out.empty()) {
    std::ostringstream j;
    j << "{\n  \"benchmark\": \"" << json_escape(benchmark_) << "\",\n  \"smoke\": " << (args_.smoke ? "true" : "false")
      << ",\n  \"started_at\": \"" << iso_now(started_) << "\",\n  \"load_average_start\": " << json_number(load_at_start_)
      << ",\n  \"load_average_end\": " << json_number(load_end) << ",\n  \"machine\": {";
    bool first = true;
    for (const auto& [k, v] : machine_info()) {
      j << (first ? "" : ",") << "\n    \"" << json_escape(k) << "\": \"" << json_escape(v) << "\"";
      first = false;
    }
    j << "\n  },\n  \"parameters\": {";
    first = true;
    for (const auto& [k, v] : args_.values) {
      j << (first ? "" : ",") << "\n    \"" << json_escape(k) << "\": \"" << json_escape(v) << "\"";
      first = false;
    }
    j << "\n  },\n  \"results\": [";
    first = true;
    for (const auto& it : items_) {
      j << (first ? "" : ",") << "\n    {\"name\": \"" << json_escape(it.name) << "\"";
      first = false;
      switch (it.kind) {
        case Item::Kind::figure:
          j << ", \"kind\": \"figure\", \"value\": " << json_number(it.value) << ", \"unit\": \"" << json_escape(it.unit) << "\"";
          break;
        case Item::Kind::text:
          j << ", \"kind\": \"text\", \"value\": \"" << json_escape(it.str) << "\"";
          break;
        case Item::Kind::target:
          j << ", \"kind\": \"target\", \"value\": " << json_number(it.value) << ", \"unit\": \"" << json_escape(it.unit)
            << "\", \"target\": \"" << (it.at_most ? "<=" : ">=") << "\", \"limit\": " << json_number(it.limit)
            << ", \"met\": " << (it.ok ? "true" : "false");
          break;
        case Item::Kind::check:
          j << ", \"kind\": \"check\", \"ok\": " << (it.ok ? "true" : "false") << ", \"detail\": \"" << json_escape(it.str)
            << "\"";
          break;
      }
      j << "}";
    }
    j << "\n  ],\n  \"notes\": [";
    first = true;
    for (const auto& n : notes_) {
      j << (first ? "" : ",") << "\n    \"" << json_escape(n) << "\"";
      first = false;
    }
    j << "\n  ]\n}\n";
    std::ofstream out(args_.out);
    out << j.str();
    if (!out) {
      std::cerr << "cannot write " << args_.out << "\n";
      return 1;
    }
  }
  if (failed_ > 0) std::cout << "-- " << benchmark_ << ": " << failed_ << " check(s) FAILED\n";
  return failed_ == 0 ? 0 : 1;
}

}  // namespace callwire::bench
