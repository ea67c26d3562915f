// bench_fake_telnyx: the fake Telnyx of the tests (tests/support/fake_telnyx)
// as a child process for bench_dial, so that its CPU is not the client's.
//
//   bench_fake_telnyx [--http] [--speed X]
//
// Makes a CA and a certificate for 127.0.0.1 (TLS unless --http), writes the
// CA to a temporary file, sends no webhooks, and prints one line:
//   ready port=<port> ca=<ca file>
// Then answers commands read from stdin, one per line:
//   stats   → "stats connections=<n> handshakes=<n> calls=<n> requests=<n>"
//   quit (or end of input) → exits
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include <unistd.h>

#include "fake_telnyx.hpp"
#include "support/log.hpp"
#include "test_pki.hpp"

int main(int argc, char** argv) {
  callwire::log::set_level(callwire::log::Level::warn);
  callwire::test::FakeTelnyxOptions o;
  o.send_webhooks = false;
  o.sim_speed = 1000;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--http") o.tls = false;
    else if (a == "--speed" && i + 1 < argc) o.sim_speed = std::stod(argv[++i]);
    else {
      std::cerr << "usage: bench_fake_telnyx [--http] [--speed X]\n";
      return 2;
    }
  }
  try {
    const std::string ca_file =
        (std::filesystem::temp_directory_path() / ("bench-fake-telnyx-ca-" + std::to_string(::getpid()) + ".pem")).string();
    if (o.tls) {
      callwire::test::TestCa ca("bench fake-telnyx CA");
      auto leaf = ca.issue_server({"localhost"}, {"127.0.0.1"});
      o.cert_pem = leaf.cert_pem;
      o.key_pem = leaf.key_pem;
      std::ofstream(ca_file) << ca.cert_pem();
    }
    callwire::test::FakeTelnyx fake(o);
    std::cout << "ready port=" << fake.port() << " ca=" << (o.tls ? ca_file : "-") << std::endl;
    std::string line;
    while (std::getline(std::cin, line)) {
      if (line == "stats") {
        std::cout << "stats connections=" << fake.connections_accepted() << " handshakes=" << fake.tls_handshakes()
                  << " calls=" << fake.calls_placed() << " requests=" << fake.request_count() << std::endl;
      } else if (line == "quit") {
        break;
      }
    }
    std::error_code ec;
    std::filesystem::remove(ca_file, ec);
  } catch (const std::exception& e) {
    std::cerr << "bench_fake_telnyx: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
