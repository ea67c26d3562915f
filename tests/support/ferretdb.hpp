// Test support: a FerretDB server (MongoDB wire protocol, SQLite handler) run
// by the test itself on 127.0.0.1, on a free port, with its data in a
// temporary folder that is removed afterwards.
//
//   FerretDb db;                      // finds the binary, picks a port
//   db.start();                       // waits until it accepts connections
//   Storage::open(db.url("crm"));     // mongodb://127.0.0.1:<port>/crm?…
//   db.kill(); db.start();            // crash and come back on the same port
//
// The binary: $CALLWIRE_FERRETDB, else ~/go/bin/ferretdb, else
// $(go env GOPATH)/bin/ferretdb. scripts/ferretdb installs it. Not
// thread-safe: drive one FerretDb from one thread.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

namespace callwire::test {

class FerretDb {
 public:
  /// Looks for the binary. Empty when not found; `tried` lists the places.
  static std::string find_binary(std::string* tried = nullptr);

  /// Picks a free port and makes the data folder; does not start.
  /// Throws std::runtime_error when the binary is missing (message: run
  /// scripts/ferretdb).
  FerretDb();
  ~FerretDb();
  FerretDb(const FerretDb&) = delete;
  FerretDb& operator=(const FerretDb&) = delete;

  /// Starts the server (on the same port as before, if it ran already) and
  /// waits until it accepts connections. Throws std::runtime_error with the
  /// tail of its log when it does not come up.
  void start();
  /// SIGTERM, then SIGKILL after 5 s.
  void stop();
  /// SIGKILL: a crash.
  void kill();
  bool running() const noexcept { return pid_ > 0; }

  int port() const noexcept { return port_; }
  /// mongodb://127.0.0.1:<port>/<database>?<options>
  std::string url(std::string_view database = {}, std::string_view options = "serverSelectionTimeoutMS=3000") const;
  /// The last lines of the server's log (for failure messages).
  std::string log_tail(std::size_t max_bytes = 4000) const;

  /// A TCP port on 127.0.0.1 that nothing listens on right now.
  static int free_port();

 private:
  bool spawn_and_wait(std::string& why);
  void reap(int signal_number, int grace_ms);

  std::string binary_;
  std::string dir_;
  int port_ = 0;
  int debug_port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace callwire::test
