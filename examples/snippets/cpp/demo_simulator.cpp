// docs/demo-mode.md "Using the simulator directly": the internal call
// simulator (src/sim/), as DemoCarrier and the fake Telnyx of the tests use it.
#include "sim/simulator.hpp"

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace callwire;

int main() {
  const std::string call_id = "8d0e5f3c-2b1a-4c6d-9e7f-0a1b2c3d4e5f";
  const auto start = std::chrono::time_point_cast<sim::Micros>(std::chrono::system_clock::now());
  sim::Options options;
  options.speed = 100;
  const std::uint64_t seed = 7;
  const sim::Micros now{std::chrono::seconds(1)};
  // snippet-begin: simulator
  sim::Dial d;
  d.to = "+12125550004";  d.from = "+15550100999";
  d.connection_id = "123";  d.client_state = sim::client_state_for(call_id);
  d.record = true;

  // The whole call, when nobody sends commands:
  std::vector<sim::Envelope> envs = sim::simulate(d, sim::Options{}, start, /*seed*/ 42);

  // Or interactively: `now` is the real time since the dial.
  sim::SimCall call(d, options, start, seed);
  call.ids();                              // what POST /v2/calls answers
  auto due = call.take_due(now);           // envelopes to POST now
  auto next = call.next_due();             // when to wake up next
  sim::CommandResult r = call.hangup(now); // or speak, record_start, transfer, …
  if (!r) { /* r.error->code == "90018" … */ }
  // snippet-end: simulator
  std::printf("%zu envelopes, the first %s; %zu due at 1 s, next %s, hangup %s\n", envs.size(),
              envs.empty() ? "-" : envs.front().event_type.c_str(), due.size(), next ? "planned" : "none",
              r ? "accepted" : r.error->code.c_str());
  return envs.empty() ? 1 : 0;
}
