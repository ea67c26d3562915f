// fake-telnyx: the fake Telnyx server of the tests as a standalone program,
// for running the reference server or the examples against it by hand.
//
//   fake-telnyx [--http] [--port N] [--api-key KEY] [--webhook-url URL]
//               [--speed X] [--ca-out FILE]
//
// --speed: simulated seconds per real second (default 1: calls take real time).
//
// With TLS (the default) it makes a CA and a certificate for 127.0.0.1 and
// localhost at start-up and writes the CA to --ca-out (default
// ./fake-telnyx-ca.pem): point CALLWIRE_CA_FILE at it. Webhooks are signed
// with the test key of signature_vectors.json (public key printed at start).
// Runs until interrupted.
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include <unistd.h>

#include "fake_telnyx.hpp"
#include "test_pki.hpp"

namespace {
volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

[[noreturn]] void usage(const char* why) {
  std::cerr << "fake-telnyx: " << why << "\n"
            << "usage: fake-telnyx [--http] [--port N] [--api-key KEY] [--webhook-url URL] [--speed X] [--ca-out FILE]\n";
  std::exit(2);
}
}  // namespace

int main(int argc, char** argv) {
  callwire::test::FakeTelnyxOptions o;
  o.sim_speed = 1;  // real time unless --speed says otherwise
  std::string ca_out = "fake-telnyx-ca.pem";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value for " + a).c_str());
      return argv[++i];
    };
    if (a == "--http") o.tls = false;
    else if (a == "--port") o.port = static_cast<std::uint16_t>(std::stoi(value()));
    else if (a == "--api-key") o.api_key = value();
    else if (a == "--webhook-url") o.default_webhook_url = value();
    else if (a == "--speed") o.sim_speed = std::stod(value());
    else if (a == "--ca-out") ca_out = value();
    else usage(("unknown option " + a).c_str());
  }
  try {
    if (o.tls) {
      callwire::test::TestCa ca("fake-telnyx CA");
      auto leaf = ca.issue_server({"localhost"}, {"127.0.0.1"});
      o.cert_pem = leaf.cert_pem;
      o.key_pem = leaf.key_pem;
      std::ofstream(ca_out) << ca.cert_pem();
    }
    callwire::test::FakeTelnyx fake(o);
    std::cout << "fake-telnyx listening on " << fake.base_url() << "\n"
              << "  api key:            " << o.api_key << "\n"
              << "  webhook public key: " << callwire::test::test_public_key() << "\n";
    if (o.tls) std::cout << "  CA file:            " << ca_out << "\n";
    std::cout.flush();
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    while (g_stop == 0) pause();
  } catch (const std::exception& e) {
    std::cerr << "fake-telnyx: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
