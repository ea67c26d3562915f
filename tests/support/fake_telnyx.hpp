// Test support: a fake Telnyx Call Control v2 server, and a webhook collector.
//
// FakeTelnyx listens on 127.0.0.1:<ephemeral> over HTTP or HTTPS and serves
// the endpoints callwire uses (POST /v2/calls, the call actions, GET
// /v2/calls/{id}, GET /v2/recordings/{id} — a new presigned-style download
// URL per answer, as Telnyx gives — and DELETE /v2/recordings/{id}: 200
// with the recording once, then 404 for it, as for any unknown id). It
// checks every request the way
// the API does, strictly: the Bearer key, Content-Type and Accept, and the
// body against the request schema read from
// tests/fixtures/telnyx/call-control.openapi.json (required fields, types,
// enums, ranges, no unknown fields), plus E.164 numbers and base64
// client_state. Calls are run by the simulator
// (src/sim/): commands get the simulator's answers (90018 once ended …) and
// the call's webhooks are signed with the test key of signature_vectors.json
// and POSTed to the dial's webhook_url (or a default URL).
//
// Telnyx semantics it keeps: command_id is optional; a dial or command
// repeated with a command_id seen less than 60 s before (simulated time:
// command_id_window / sim_speed of real time) is not applied twice (the first
// answer is repeated), and a later repeat is applied again — a dial places a
// second call — so calls_placed(command_id) counts real calls.
//
// Faults are injected on demand, in FIFO order, each for the next matching
// request: 5xx, 429 with Retry-After / x-ratelimit-reset, a Telnyx error body
// from openapi_error_422_examples.json, a slow answer, a dropped connection
// (before or after applying the request), closing the connection after the
// answer. Webhooks can be duplicated and reordered.
//
// Threading: the server runs its own io_context on one thread; every public
// member is thread-safe (one mutex over the state).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "sim/types.hpp"

namespace callwire::test {

struct FakeTelnyxOptions {
  bool tls = true;
  std::uint16_t port = 0;  ///< 0 = ephemeral (tests always use 0)
  std::string cert_pem;  ///< server certificate (chain), required with tls
  std::string key_pem;
  std::string api_key = "KEY0123456789ABCDEF_test";
  /// Folder holding call-control.openapi.json and the error examples.
  std::string fixtures_dir;  ///< "" = CALLWIRE_FIXTURES_DIR "/telnyx"
  /// Where webhooks go when the dial has no webhook_url ("" = nowhere).
  std::string default_webhook_url;
  bool send_webhooks = true;
  /// Ed25519 seed (base64) webhooks are signed with; "" = the
  /// java_sdk_test key of signature_vectors.json.
  std::string signing_seed_b64;
  double sim_speed = 1000;  ///< simulated seconds per real second
  std::uint64_t seed = 1;   ///< the simulator's seed (call n uses seed + n)
  /// How long Telnyx remembers a command_id, in simulated time (real time:
  /// divided by sim_speed, 60 ms at the default speed).
  std::chrono::seconds command_id_window = sim::kCommandIdWindow;
  /// How long after a call's end Telnyx still knows it (GET /v2/calls/{id}
  /// answers, commands get 90018), in simulated time; after it the call is
  /// unknown: GET answers 404 (10005 Resource not found), commands 90015.
  std::chrono::seconds call_retention{600};
  /// Whether call.recording.saved fills public_recording_urls: Telnyx does
  /// only for accounts whose support switched permanent public URLs on;
  /// everyone else gets {}.
  bool public_recording_urls = false;

  // The account's setup, as Telnyx checks it on every dial. A dial that fails
  // a check is still answered 200 (the ids, is_alive false); Telnyx's routing
  // then refuses the call with a SIP 403 of its own, which Call Control
  // reports as call.initiated and call.hangup call_rejected /
  // sip_hangup_cause "403" (refusal_of() names the check).
  /// The numbers the account may call from (bought or verified); empty: any.
  /// Any other `from` is refused D35 ("Caller Origination Number is Invalid").
  std::set<std::string> caller_ids;
  /// false: the connection has no outbound voice profile; every dial is
  /// refused D38.
  bool outbound_voice_profile = true;
  /// Concurrent outbound calls the account allows (new accounts have 2); a
  /// dial beyond them is refused D1 ("User channel limit exceeded"). 0: no limit.
  int channel_limit = 0;
};

/// One request as the fake received it.
struct RecordedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  ///< lower-case names
  std::string body;
  int status = 0;              ///< what the fake answered (0: dropped)
  std::uint64_t connection = 0;  ///< which connection (1, 2, …)
};

/// One fault, applied to the next request whose target contains `match`.
struct Fault {
  enum class Kind {
    status,         ///< answer `status` with a Telnyx 10007 error body (500/503 …)
    rate_limit,     ///< 429 with Retry-After and/or x-ratelimit-reset
    telnyx_error,   ///< `status` with the body of openapi_error_422_examples.json[`example`]
    delay,          ///< answer normally after `delay`
    drop,           ///< close the connection without answering
    close_after,    ///< answer normally, then close the connection
  };
  Kind kind = Kind::status;
  int status = 500;
  std::string retry_after;
  std::string ratelimit_reset;
  std::string example;
  std::chrono::milliseconds delay{0};
  bool apply_first = false;  ///< status/rate_limit/telnyx_error/drop: apply the request, then fail
  std::string match;         ///< "" = any request

  static Fault server_error(int status = 500) { Fault f; f.kind = Kind::status; f.status = status; return f; }
  static Fault too_many(std::string retry_after, std::string ratelimit_reset = {}) {
    Fault f;
    f.kind = Kind::rate_limit;
    f.status = 429;
    f.retry_after = std::move(retry_after);
    f.ratelimit_reset = std::move(ratelimit_reset);
    return f;
  }
  static Fault telnyx(std::string example, int status = 422) {
    Fault f;
    f.kind = Kind::telnyx_error;
    f.status = status;
    f.example = std::move(example);
    return f;
  }
  static Fault slow(std::chrono::milliseconds d) { Fault f; f.kind = Kind::delay; f.delay = d; return f; }
  static Fault dropped(bool apply_first = false) {
    Fault f;
    f.kind = Kind::drop;
    f.apply_first = apply_first;
    return f;
  }
  static Fault close_after_answer() { Fault f; f.kind = Kind::close_after; return f; }
  /// The same fault, for requests whose target contains `m` only.
  Fault on(std::string m) const {
    Fault f = *this;
    f.match = std::move(m);
    return f;
  }
};

/// One webhook POST the fake made.
struct DeliveredWebhook {
  std::string url;
  std::string event_type;
  std::string body;
  int status = 0;  ///< the receiver's answer (0: not delivered)
};

class FakeTelnyx {
 public:
  explicit FakeTelnyx(FakeTelnyxOptions options);
  ~FakeTelnyx();
  FakeTelnyx(const FakeTelnyx&) = delete;
  FakeTelnyx& operator=(const FakeTelnyx&) = delete;

  std::uint16_t port() const;
  /// "https://127.0.0.1:<port>/v2" (or http://); `host` replaces 127.0.0.1.
  std::string base_url(const std::string& host = "127.0.0.1") const;
  const FakeTelnyxOptions& options() const noexcept;

  /// Queues `times` copies of `f`.
  void inject(const Fault& f, int times = 1);
  std::size_t pending_faults() const;

  /// Distinct calls placed (a dial repeated with its command_id counts once).
  int calls_placed() const;
  /// Calls placed with this command_id: 1, or more when it was repeated after
  /// the window.
  int calls_placed(const std::string& command_id) const;
  /// Requests received (every attempt, including refused and dropped ones).
  std::vector<RecordedRequest> requests() const;
  std::size_t request_count() const;
  int connections_accepted() const;
  int tls_handshakes() const;
  /// Closes every open connection (as a server's idle timeout or restart
  /// would) and returns once they are closed. Call it while no request is in
  /// flight: a request being answered is cut off.
  void close_connections();

  /// Webhook delivery: duplicate posts every envelope twice (the copy with
  /// meta.attempt 2); reorder holds a call's envelopes until the call has
  /// ended and posts them newest first.
  void set_webhook_faults(bool duplicate, bool reorder);
  std::vector<DeliveredWebhook> webhooks() const;
  /// The call_control_ids of the calls placed, in order.
  std::vector<std::string> call_control_ids() const;
  /// Why Telnyx refused this call itself ("D35", "D38", "D1"), as its call
  /// detail records tell; "" for a call it did not refuse.
  std::string refusal_of(const std::string& call_control_id) const;
  /// Waits (up to `timeout`) until `pred` holds; checked whenever the fake's
  /// state changes. Returns pred()'s last value.
  bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout) const;

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

/// A plain-HTTP server on 127.0.0.1 that records every request and answers
/// 200 (or `status`). For tests that receive the fake's webhooks.
class WebhookCollector {
 public:
  explicit WebhookCollector(int status = 200);
  ~WebhookCollector();
  WebhookCollector(const WebhookCollector&) = delete;
  WebhookCollector& operator=(const WebhookCollector&) = delete;

  /// "http://127.0.0.1:<port><path>".
  std::string url(const std::string& path = "/webhooks/call") const;
  std::vector<RecordedRequest> received() const;
  bool wait_for(std::size_t count, std::chrono::milliseconds timeout) const;

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

/// The java_sdk_test key pair of signature_vectors.json.
std::string test_signing_seed();
std::string test_public_key();

}  // namespace callwire::test
