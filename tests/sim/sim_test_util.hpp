// Helpers shared by the simulator and DemoCarrier tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "callwire/call_state.hpp"
#include "callwire/webhook.hpp"
#include "sim/simulator.hpp"

namespace callwire::test {

/// 2026-01-02T03:04:05.678901Z
inline sim::SysMicros sim_start() {
  using namespace std::chrono;
  return sys_days{year{2026} / January / 2} + hours{3} + minutes{4} + seconds{5} + microseconds{678901};
}

inline sim::Dial make_dial(std::string to, std::string call_id = "3f1c2a8e-0b7d-4c1e-9a55-7d2b6f0e4c11") {
  sim::Dial d;
  d.to = std::move(to);
  d.from = "+15550100999";
  d.connection_id = "1494404757140276705";
  d.client_state = sim::client_state_for(call_id);
  d.webhook_url = "https://example.test/webhooks/call";
  return d;
}

/// Parses with the real webhook parser; fails the test on error.
inline CallEvent parse(const std::string& body) {
  telnyx::ParseFailure why{};
  auto e = telnyx::parse_webhook(body, &why);
  EXPECT_TRUE(e.has_value()) << why.message << "\n" << body;
  return e ? *e : CallEvent{};
}

/// The event types in order, for one leg (empty: every leg).
inline std::vector<std::string> types(const std::vector<sim::Envelope>& envs, const std::string& ccid = {}) {
  std::vector<std::string> out;
  for (const auto& e : envs) {
    if (ccid.empty() || e.call_control_id == ccid) out.push_back(e.event_type);
  }
  return out;
}

/// Folds the envelopes of leg `ccid` into a fresh Call, as the client does.
inline Call fold(const std::vector<sim::Envelope>& envs, const std::string& ccid) {
  Call c;
  for (const auto& env : envs) {
    if (env.call_control_id != ccid) continue;
    apply(c, parse(env.body));
  }
  return c;
}

}  // namespace callwire::test
