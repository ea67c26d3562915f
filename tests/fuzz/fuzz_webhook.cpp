// Fuzzes the Telnyx envelope parser and the state machine behind it: any
// bytes either parse into an event that folds without trouble, or fail with
// a message.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "callwire/call_state.hpp"
#include "callwire/json.hpp"
#include "callwire/webhook.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  callwire::telnyx::ParseFailure failure{};
  auto event = callwire::telnyx::parse_webhook(body, &failure);
  if (event) {
    callwire::Call call;
    callwire::apply(call, *event);
    callwire::apply(call, *event);
    // The codec must round-trip whatever the parser accepted.
    const std::string text = callwire::json::encode(*event);
    const auto again = callwire::json::decode_call_event(text);
    if (callwire::json::encode(again) != text) __builtin_trap();
  } else if (failure.message.empty()) {
    __builtin_trap();  // every failure says why
  }
  return 0;
}
