// callwire — the DTMF digits Telnyx accepts (internal to the SDK): one rule
// for CallClient::send_dtmf, the Telnyx carrier and the simulator.
//
// Call Control's send_dtmf takes 0-9, A-D, * and #, with w (a 0.5 s pause)
// and W (1 s) between them (call-control.openapi.json, "digits"). Lower-case
// a-d are not in that list and are refused, as Telnyx refuses them.
#pragma once

#include <string_view>

namespace callwire {

/// True when `digits` is non-empty and holds only 0-9, A-D, *, #, w and W.
constexpr bool is_valid_dtmf(std::string_view digits) noexcept {
  if (digits.empty()) return false;
  for (const char c : digits) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'D') || c == '*' || c == '#' || c == 'w' || c == 'W';
    if (!ok) return false;
  }
  return true;
}

/// The sentence that says so ("digits: …").
inline constexpr std::string_view kDtmfRule = "only 0-9, A-D, *, # and w/W (pauses) are allowed";

}  // namespace callwire
