// callwire — a Call's status as one sentence for people.
//
// The softphone, the REST answer (`status_text`), the C ABI and both bindings
// show this instead of raw Telnyx causes. It is derived from the Call's
// fields only (never stored), so it is as order-free as the Call itself.
#pragma once

#include <string>

#include "callwire/types.hpp"

namespace callwire {

/// "Ringing.", "Connected.", "Completed: the other party hung up.",
/// "The line was busy.", "No one answered.", "Canceled before it was
/// answered.", "Failed: the far end declined the call (SIP 603)." …
/// docs/client.md, "Status sentences", lists every one.
std::string status_text(const Call& call);

}  // namespace callwire
