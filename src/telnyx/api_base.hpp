// callwire — where Telnyx Call Control requests go when the deployment names
// no other base URL (TelnyxOptions::api_base, CallClientOptions::api_base,
// TELNYX_API_BASE). The one place the address is written: the store keeps
// only what was saved (empty = not set) and the client takes its default
// from here.
#pragma once

#include <string_view>

namespace callwire::telnyx {

inline constexpr std::string_view kDefaultApiBase = "https://api.telnyx.com/v2";

}  // namespace callwire::telnyx
