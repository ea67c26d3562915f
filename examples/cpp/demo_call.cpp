// A simulated call through callwire's webhook pipeline, printed as it goes.
//
// Until the reference server exists (issue 5), `scripts/demo` runs this: it
// dials a number (validated as E.164), then plays the webhooks Telnyx would
// send for an answered call — each envelope signed with a test Ed25519 key,
// verified, parsed and folded into the Call by the order-free state machine —
// and prints dialing → ringing → active → completed with the duration.
//
//   callwire-demo-call [to_number] [--fast]
#include <callwire/call_state.hpp>
#include <callwire/error.hpp>
#include <callwire/json.hpp>
#include <callwire/phone.hpp>
#include <callwire/webhook.hpp>

#include <chrono>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>

namespace {

// The fixed test keypair of signature_vectors.json (never a production key).
constexpr const char* kTestSeed = "i1xxSkIuQOY9H8laaRslIoYGTJ1NwBAFdjsQwiwJH04=";

callwire::TimePoint now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

std::string envelope(const std::string& id, const std::string& type, const callwire::Call& call,
                     const std::string& extra) {
  return R"({"data":{"record_type":"event","event_type":")" + type + R"(","id":")" + id + R"(","occurred_at":")" +
         callwire::json::format_time(now()) + R"(","payload":{"call_control_id":"v3:demo-)" + call.call_id +
         R"(","call_leg_id":"leg-)" + call.call_id + R"(","call_session_id":"session-)" + call.call_id +
         R"(","client_state":null,"from":")" + call.from_number + R"(","to":")" + call.to_number + R"(")" + extra +
         R"(}},"meta":{"attempt":1}})";
}

void print(const callwire::Call& call) {
  std::cout << callwire::json::format_time(now()) << "  " << call.call_id << "  " << callwire::to_string(call.status);
  if (call.status == callwire::CallStatus::completed) std::cout << "  duration " << call.duration << " s";
  std::cout << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  std::string to = "+1 (212) 555-1234";
  bool fast = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--fast") == 0) fast = true;
    else to = argv[i];
  }
  callwire::Call call;
  try {
    call.to_number = callwire::normalize_e164(to, "to_number");
  } catch (const callwire::Error& e) {
    std::cerr << "cannot dial: " << e.what() << '\n';
    return 2;
  }
  call.from_number = "+13125550100";
  call.call_id = "demo-1";
  call.demo = true;
  call.created_at = now();
  std::cout << "demo call to " << call.to_number << " (simulated: no Telnyx key, nothing leaves this machine)\n";
  print(call);

  const std::string public_key = callwire::telnyx::public_key_for_seed(kTestSeed);
  auto deliver = [&](const std::string& id, const std::string& type, const std::string& extra) {
    const std::string body = envelope(id, type, call, extra);
    const std::string ts = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now().time_since_epoch()).count());
    callwire::telnyx::Headers headers;
    headers.set("telnyx-timestamp", ts);
    headers.set("telnyx-signature-ed25519", callwire::telnyx::sign(kTestSeed, ts, body));
    const auto verdict = callwire::telnyx::verify_signature(public_key, headers, body, std::stoll(ts));
    callwire::telnyx::ParseFailure failure{};
    const auto event = callwire::telnyx::parse_webhook(body, &failure);
    if (verdict != callwire::telnyx::Verdict::valid || !event) {
      std::cerr << "webhook rejected: " << callwire::telnyx::to_string(verdict) << ' ' << failure.message << '\n';
      std::exit(1);
    }
    callwire::apply(call, *event);
    print(call);
  };
  auto pause = [fast](int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(fast ? ms / 50 : ms)); };

  pause(300);
  deliver("ev-1", "call.initiated", R"(,"direction":"outgoing","state":"parked")");
  pause(2000);
  deliver("ev-2", "call.answered", "");
  pause(5000);
  deliver("ev-3", "call.hangup", R"(,"hangup_cause":"normal_clearing","hangup_source":"callee")");
  return call.status == callwire::CallStatus::completed ? 0 : 1;
}
