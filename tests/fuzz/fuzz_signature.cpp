// Fuzzes signature header handling: the input is split into a timestamp
// header, a signature header, a public key and a body at 0xFF bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "callwire/webhook.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> parts(1);
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == 0xFF && parts.size() < 4) parts.emplace_back();
    else parts.back().push_back(static_cast<char>(data[i]));
  }
  parts.resize(4);
  callwire::telnyx::Headers headers;
  headers.set("Telnyx-Timestamp", parts[0]);
  headers.set("telnyx-signature-ed25519", parts[1]);
  const auto verdict = callwire::telnyx::verify_signature(parts[2], headers, parts[3], 1700000000);
  if (callwire::telnyx::to_string(verdict) == "unknown") __builtin_trap();
  // A random signature must never verify against the fixed test key.
  if (verdict == callwire::telnyx::Verdict::valid && parts[2] == "jrMBoswHlhhVx2W2Www72WU/xn4UMpjreslD0m2u0qs=" &&
      parts[1].size() != 88) {
    __builtin_trap();
  }
  return 0;
}
