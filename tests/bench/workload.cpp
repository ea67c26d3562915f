#include "workload.hpp"

#include <cstdio>
#include <cstring>

namespace callwire::bench {

std::string numbered_call_id(std::uint64_t n, char prefix) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%c0000000-0000-4000-8000-%012llx", prefix, static_cast<unsigned long long>(n));
  return buf;
}

std::int64_t numbered_call_id_in(std::string_view text) {
  static constexpr std::string_view key = "\"call_id\":\"";
  const auto at = text.find(key);
  if (at == std::string_view::npos || at + key.size() + 36 > text.size()) return -1;
  return number_of_call_id(text.substr(at + key.size(), 36));
}

std::int64_t number_of_call_id(std::string_view id) {
  if (id.size() != 36) return -1;
  std::int64_t n = 0;
  for (char c : id.substr(24)) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else return -1;
    n = n * 16 + d;
  }
  return n;
}

std::string destination(std::uint64_t n, const char* last4) {
  // +1 NXX NXX dddd: area and exchange codes from 200-999, varied by n.
  char buf[24];
  std::snprintf(buf, sizeof buf, "+1%03llu%03llu%s", 200 + static_cast<unsigned long long>(n % 800),
                200 + static_cast<unsigned long long>((n / 800) % 800), last4);
  return buf;
}

sim::SysMicros sys_now() { return std::chrono::time_point_cast<sim::Micros>(std::chrono::system_clock::now()); }

SimulatedCall simulate_call(std::uint64_t n, sim::SysMicros start, const char* last4, char id_prefix) {
  SimulatedCall out;
  Call& c = out.call;
  c.call_id = numbered_call_id(n, id_prefix);
  c.to_number = destination(n, last4);
  c.from_number = "+13125550100";
  c.connection_id = "1684641123236054244";
  c.direction = Direction::outbound;
  c.status = CallStatus::dialing;
  c.created_at = c.updated_at = std::chrono::time_point_cast<std::chrono::milliseconds>(start);

  sim::Dial d;
  d.to = c.to_number;
  d.from = c.from_number;
  d.connection_id = c.connection_id;
  d.client_state = sim::client_state_for(c.call_id);
  d.webhook_url = "https://example.com/webhooks/call";
  sim::Options o;
  o.speed = 1;
  sim::SimCall call(d, o, start, n + 1);
  c.call_control_id = call.ids().call_control_id;
  c.call_leg_id = call.ids().call_leg_id;
  c.call_session_id = call.ids().call_session_id;
  out.events = call.timeline();
  return out;
}

}  // namespace callwire::bench
