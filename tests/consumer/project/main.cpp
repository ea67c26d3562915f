// A host program that only sees the installed callwire package.
#include <callwire/call_state.hpp>
#include <callwire/phone.hpp>
#include <iostream>

int main() {
  callwire::Call call;
  call.to_number = callwire::normalize_e164("+1 (212) 555-1234");
  callwire::CallEvent answered;
  answered.id = "e1";
  answered.event_type = "call.answered";
  answered.occurred_at = callwire::TimePoint(std::chrono::seconds(1000));
  callwire::CallEvent hangup = answered;
  hangup.id = "e2";
  hangup.event_type = "call.hangup";
  hangup.hangup_cause = "normal_clearing";
  hangup.occurred_at = callwire::TimePoint(std::chrono::seconds(1042));
  callwire::apply(call, hangup);
  callwire::apply(call, answered);
  std::cout << call.to_number << ' ' << callwire::to_string(call.status) << ' ' << call.duration << '\n';
  return 0;
}
