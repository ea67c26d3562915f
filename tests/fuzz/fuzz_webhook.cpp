// Fuzzes the Telnyx envelope parser and the state machine behind it: any
// bytes either parse into an event that folds without trouble, or fail with
// a message.
//
// Before fuzzing, the inputs the audit sent are run once: 1 MiB of '[' (the
// default body limit) and 300,000 nested arrays, closed. They crashed the
// recursive parser by overflowing the stack; libFuzzer's own inputs stay far
// shorter (max_len), so it would not find them.
#include <cstddef>
#include <cstdint>
#include <string>
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

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  for (const std::string& deep : {std::string(1u << 20, '['), std::string(300000, '[') + std::string(300000, ']')}) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(deep.data()), deep.size());
  }
  return 0;
}
