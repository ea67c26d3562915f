#include "ferretdb.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace callwire::test {

namespace {

bool executable(const std::string& p) { return !p.empty() && ::access(p.c_str(), X_OK) == 0; }

std::string go_gopath() {
  FILE* f = ::popen("go env GOPATH 2>/dev/null", "r");
  if (f == nullptr) return {};
  char buf[4096];
  std::string out;
  while (std::fgets(buf, sizeof buf, f) != nullptr) out += buf;
  ::pclose(f);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

bool accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

std::string FerretDb::find_binary(std::string* tried) {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("CALLWIRE_FERRETDB"); env != nullptr && *env != '\0') candidates.emplace_back(env);
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') candidates.push_back(std::string(home) + "/go/bin/ferretdb");
  if (const std::string gopath = go_gopath(); !gopath.empty()) candidates.push_back(gopath + "/bin/ferretdb");
  std::string list;
  for (const auto& c : candidates) {
    if (executable(c)) return c;
    list += (list.empty() ? "" : ", ") + c;
  }
  if (tried != nullptr) *tried = list.empty() ? "no candidate (no CALLWIRE_FERRETDB, HOME or go)" : list;
  return {};
}

int FerretDb::free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = 0;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot bind an ephemeral port on 127.0.0.1");
  }
  ::close(fd);
  return ntohs(a.sin_port);
}

FerretDb::FerretDb() {
  std::string tried;
  binary_ = find_binary(&tried);
  if (binary_.empty()) {
    throw std::runtime_error("ferretdb not found (tried " + tried +
                             "): run scripts/ferretdb to install FerretDB v1.24.2, or set CALLWIRE_FERRETDB");
  }
  std::string tmpl = (std::filesystem::temp_directory_path() / "callwire-ferretdb-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  std::filesystem::create_directories(dir_ + "/data");
  std::filesystem::create_directories(dir_ + "/state");
  port_ = free_port();
  debug_port_ = free_port();
}

FerretDb::~FerretDb() {
  try {
    stop();
  } catch (...) {
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

bool FerretDb::spawn_and_wait(std::string& why) {
  const std::string log = dir_ + "/ferretdb.log";
  std::vector<std::string> args{binary_,
                                "--handler=sqlite",
                                "--telemetry=disable",
                                "--listen-addr=127.0.0.1:" + std::to_string(port_),
                                "--debug-addr=127.0.0.1:" + std::to_string(debug_port_),
                                "--state-dir=" + dir_ + "/state",
                                "--sqlite-url=file:" + dir_ + "/data/",
                                "--log-level=warn"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    why = "fork failed";
    return false;
  }
  if (pid == 0) {
    // Only async-signal-safe calls from here on. The server dies with the
    // test process (PDEATHSIG), so a crashed test leaves nothing behind.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  pid_ = pid;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      why = "ferretdb exited during start-up (status " + std::to_string(status) + ")";
      return false;
    }
    if (accepts(port_)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  why = "ferretdb did not accept connections on 127.0.0.1:" + std::to_string(port_) + " within 30 s";
  reap(SIGKILL, 0);
  return false;
}

void FerretDb::start() {
  if (running()) return;
  std::string why;
  if (spawn_and_wait(why)) return;
  throw std::runtime_error(why + "\n--- ferretdb log ---\n" + log_tail());
}

void FerretDb::reap(int signal_number, int grace_ms) {
  if (pid_ <= 0) return;
  ::kill(pid_, signal_number);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(grace_ms);
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_ || r < 0) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  pid_ = -1;
}

void FerretDb::stop() { reap(SIGTERM, 5000); }

void FerretDb::kill() { reap(SIGKILL, 0); }

std::string FerretDb::url(std::string_view database, std::string_view options) const {
  std::string u = "mongodb://127.0.0.1:" + std::to_string(port_) + "/" + std::string(database);
  if (!options.empty()) u += "?" + std::string(options);
  return u;
}

std::string FerretDb::log_tail(std::size_t max_bytes) const {
  std::ifstream in(dir_ + "/ferretdb.log", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  if (s.size() > max_bytes) s = "…" + s.substr(s.size() - max_bytes);
  return s;
}

}  // namespace callwire::test
