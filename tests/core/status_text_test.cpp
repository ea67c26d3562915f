// The status sentence of every status, and of the ends that read differently.
#include <gtest/gtest.h>

#include "callwire/call_state.hpp"
#include "callwire/json.hpp"
#include "callwire/status_text.hpp"

using namespace callwire;
using namespace std::chrono_literals;

namespace {

const TimePoint kT0 = TimePoint(1'700'000'000'000ms);

CallEvent ev(std::string type, std::chrono::milliseconds at) {
  CallEvent e;
  e.id = type + std::to_string(at.count());
  e.event_type = std::move(type);
  e.occurred_at = kT0 + at;
  e.call_control_id = "v3:ctrl";
  return e;
}

CallEvent hangup(std::chrono::milliseconds at, std::string cause, std::string source, std::string sip = {}) {
  CallEvent e = ev("call.hangup", at);
  e.hangup_cause = std::move(cause);
  e.hangup_source = std::move(source);
  e.sip_hangup_cause = std::move(sip);
  return e;
}

std::string text_after(std::initializer_list<CallEvent> events) {
  Call c;
  c.call_id = "call-1";
  for (const auto& e : events) apply(c, e);
  return status_text(c);
}

}  // namespace

TEST(StatusText, LiveStatuses) {
  EXPECT_EQ(text_after({}), "Dialing.");
  EXPECT_EQ(text_after({ev("call.initiated", 0ms)}), "Ringing.");
  EXPECT_EQ(text_after({ev("call.initiated", 0ms), ev("call.answered", 1s)}), "Connected.");
  Call held;
  apply(held, ev("call.answered", 1s));
  held.on_hold = true;
  EXPECT_EQ(status_text(held), "Connected, on hold.");
}

TEST(StatusText, EndsThatAreNotFailures) {
  const auto answered = ev("call.answered", 1s);
  EXPECT_EQ(text_after({answered, hangup(9s, "normal_clearing", "callee")}), "Completed: the other party hung up.");
  EXPECT_EQ(text_after({answered, hangup(9s, "normal_clearing", "caller")}), "Completed: you hung up.");
  EXPECT_EQ(text_after({answered, hangup(9s, "time_limit", "callee")}), "Completed: the call reached its time limit.");
  EXPECT_EQ(text_after({hangup(9s, "user_busy", "callee")}), "The line was busy.");
  EXPECT_EQ(text_after({hangup(30s, "timeout", "callee")}), "No one answered.");
  EXPECT_EQ(text_after({hangup(3s, "originator_cancel", "caller")}), "Canceled before it was answered.");
  EXPECT_EQ(text_after({ev(std::string(kEventDialCanceled), 1s)}), "Canceled before it was placed.");
}

TEST(StatusText, FailuresSayWhy) {
  EXPECT_EQ(text_after({hangup(1s, "call_rejected", "callee", "603")}),
            "Failed: the far end declined the call (SIP 603).");
  EXPECT_EQ(text_after({hangup(1s, "call_rejected", "callee", "403")}),
            "Failed: Telnyx refused the call (SIP 403): check the outbound voice profile, the caller ID and the "
            "destination.");
  EXPECT_EQ(text_after({hangup(2s, "normal_clearing", "callee")}), "Failed: the callee hung up before answering.");
  EXPECT_EQ(text_after({hangup(2s, "not_found", "unknown")}), "Failed: the number was not found.");
  EXPECT_EQ(text_after({hangup(2s, "destination_out_of_order", "unknown", "502")}),
            "Failed: hangup cause destination_out_of_order (SIP 502).");
  CallEvent refused = ev(std::string(kEventDialFailed), 0ms);
  refused.result = "Telnyx refused the dial: the caller ID is not on the account.";
  EXPECT_EQ(text_after({refused}), "Failed: Telnyx refused the dial: the caller ID is not on the account.");
}

TEST(StatusText, IsInTheJsonOfACallAndIgnoredOnTheWayIn) {
  Call c;
  c.call_id = "call-1";
  apply(c, hangup(1s, "user_busy", "callee"));
  const std::string text = json::encode(c);
  EXPECT_NE(text.find("\"status_text\":\"The line was busy.\""), std::string::npos) << text;
  std::string tampered = text;
  tampered.replace(tampered.find("The line was busy."), 18, "Something else....");
  EXPECT_EQ(status_text(json::decode_call(tampered)), "The line was busy.");
}
