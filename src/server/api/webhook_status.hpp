// The HTTP status a webhook sender gets for the client's verdict
// (internal): one mapping for POST /webhooks/call and for the C ABI's
// cw_client_ingest_webhook result (its `http_status`, which hosts that run
// their own HTTP server answer Telnyx with).
#pragma once

#include "callwire/error.hpp"

namespace callwire::server {

/// ok 200; malformed / invalid_argument 400 (Telnyx should not retry a body
/// that will never parse); unauthorized 401; too_large 413; anything else
/// 503 — not stored now, so Telnyx retries (and fails over) instead of
/// losing the event.
constexpr int webhook_status(errc code) noexcept {
  switch (code) {
    case errc::ok: return 200;
    case errc::malformed:
    case errc::invalid_argument: return 400;
    case errc::unauthorized: return 401;
    case errc::too_large: return 413;
    default: return 503;
  }
}

}  // namespace callwire::server
