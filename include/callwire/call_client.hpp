// callwire — CallClient: places and follows calls.
//
// dial → carrier → storage → events (DESIGN.md, "A call, end to end"):
//
//   callwire::CallClient client(callwire::Storage::open("sqlite:///tmp/cw.db"), {});
//   auto sub = client.subscribe([](const callwire::CallUpdate& u) { … });
//   callwire::Call call = client.dial("+1 (212) 555-1234");   // status dialing
//   …                                                        // ringing, active …
//   client.hangup(call.call_id);                             // completed, with duration
//
// Mode: live (TelnyxCarrier) when a Telnyx API key is configured — in the
// options or in the saved settings, which win — otherwise demo (DemoCarrier:
// simulated calls whose webhooks take the same parser → state machine →
// storage path). reload_settings() switches at run time; calls already in
// progress stay with the carrier that placed them.
//
// Threading: every member may be called from any thread, a subscriber
// callback's included (see subscribe()). Calls that touch storage or wait for
// the carrier block the calling thread: never call them from a thread that
// must not block. The client's own threads (docs/client.md, "Events and
// threads"):
//   cw-io-N    an io_context run by `io_threads` threads: carrier I/O and
//              timers; DemoCarrier's simulated webhooks are parsed here and
//              queued for the ingest writer.
//   cw-ingest  the ingest writer: stores each batch of webhooks (demo ones
//              included), then calls each ingest_webhook_async() `done`.
//   cw-work-N  a pool of `worker_threads` (at least 2): storage work the
//              carrier triggers (dial results, reconciliation) and, through
//              one strand, every subscriber callback.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callwire/amd.hpp"
#include "callwire/storage.hpp"
#include "callwire/error.hpp"
#include "callwire/types.hpp"

namespace callwire {

struct CallClientOptions {
  // ---- mode and carrier ------------------------------------------------------
  std::string api_key;                    ///< TELNYX_API_KEY; empty (and none saved) → demo mode
  std::string api_base;                   ///< empty → https://api.telnyx.com/v2
  std::string connection_id;              ///< TELNYX_CONNECTION_ID
  std::string webhook_url;                ///< TELNYX_WEBHOOK_URL, sent with each dial
  std::string public_key;                 ///< TELNYX_PUBLIC_KEY (base64 Ed25519) for webhook signatures
  std::string ca_file;                    ///< CALLWIRE_CA_FILE: extra trusted CAs for the carrier's TLS
  bool force_demo = false;                ///< demo mode even with a key
  /// Webhook signatures are required whenever a Telnyx key is configured.
  /// Setting this is a development switch (nothing checks who sent a
  /// webhook) and is logged loudly.
  bool insecure_webhooks = false;
  std::int64_t signature_tolerance_seconds = 300;

  // ---- demo ------------------------------------------------------------------
  double demo_speed = 1.0;                ///< CALLWIRE_DEMO_SPEED: 10 = ten times faster
  std::string recordings_dir;             ///< demo WAVs; empty → a "recordings" folder beside the SQLite file or in the temp dir
  /// Prefix of demo recording URLs: "" gives "/recordings/<id>.wav" (what
  /// the reference server serves); a host may give "http://host:port".
  std::string recordings_url_base;

  // ---- behaviour -------------------------------------------------------------
  bool auto_record = false;               ///< record every call from answer (settings may override)
  /// How recordings are made (record_start, and a dial's record-from-answer):
  /// "single" or "dual"; "" → "dual", Telnyx's default. A saved
  /// Settings::recording_channels wins.
  std::string recording_channels;
  std::chrono::seconds ring_timeout{60};  ///< sent as timeout_secs
  std::chrono::seconds time_limit{14400}; ///< sent as time_limit_secs; also the reconciliation limit for active calls
  /// A dialing or ringing call with no event for this long is checked
  /// against the carrier. Must be longer than ring_timeout (a call that rings
  /// out gets its call.hangup first).
  std::chrono::seconds stale_after{120};
  /// An answered call with no event for this long is checked against the
  /// carrier (GET /v2/calls/{id}); gone there, it is completed at the time it
  /// was last heard of. Telnyx answers that query for 10 minutes after a call
  /// ends, so this stays well inside: at most 540 s.
  std::chrono::seconds live_poll_after{300};
  std::chrono::seconds reconcile_interval{30};
  /// How long hangup() waits for the carrier's call.hangup before returning the call as it is.
  std::chrono::milliseconds hangup_wait{5000};
  double dials_per_second = 30;           ///< pacing of live dials (0 = off)
  std::size_t max_concurrent_calls = 0;   ///< 0 = unlimited

  /// Webhook ingest commits the webhooks that queue up while a commit is in
  /// progress together, in one storage transaction of at most this many
  /// (SQLite; 1 = one transaction per webhook). Each is still answered only
  /// after its own transaction committed.
  std::size_t ingest_batch_max = 256;

  // ---- threads ---------------------------------------------------------------
  unsigned io_threads = 1;
  unsigned worker_threads = 2;

  /// The clock for created_at/updated_at and reconciliation. Empty: system clock.
  std::function<TimePoint()> clock;
};

/// DialOptions::answering_machine_detection: a mode (callwire/amd.hpp), or a
/// bool as before modes could be chosen — true is AmdMode::detect, false
/// AmdMode::disabled — so `options.answering_machine_detection = true` still
/// compiles and means what it meant.
class AmdSetting {
 public:
  constexpr AmdSetting() noexcept = default;
  constexpr AmdSetting(AmdMode mode) noexcept : mode_(mode) {}   // NOLINT(google-explicit-constructor)
  constexpr AmdSetting(bool on) noexcept : mode_(amd_mode_of(on)) {}  // NOLINT(google-explicit-constructor)
  /// Anything else (a mode's name as text, a number, a pointer) does not
  /// compile, rather than turning into `true`: write AmdMode::premium, or
  /// parse a name with parse_amd_mode().
  template <class T>
  AmdSetting(T) = delete;

  constexpr AmdMode mode() const noexcept { return mode_; }
  /// True unless disabled.
  constexpr explicit operator bool() const noexcept { return mode_ != AmdMode::disabled; }
  friend constexpr bool operator==(AmdSetting a, AmdSetting b) noexcept { return a.mode_ == b.mode_; }
  friend constexpr bool operator!=(AmdSetting a, AmdSetting b) noexcept { return a.mode_ != b.mode_; }

 private:
  AmdMode mode_ = AmdMode::disabled;
};

/// Extra per-dial options.
struct DialOptions {
  std::optional<bool> record;            ///< default: auto_record
  /// Telnyx's answering machine detection for this call (default disabled).
  /// Its verdict arrives on the Call: machine_detection, then — for the modes
  /// that report it — machine_greeting (docs/client.md, "Answering machine detection").
  AmdSetting answering_machine_detection;
  /// Thresholds of the detection (each only when set); only with a mode.
  AmdConfig answering_machine_detection_config;
  std::string connection_id;             ///< default: the configured one
  std::optional<std::string> contact_id; ///< default: looked up by to_number
  /// Who places the call: a user's id (UserStore), stored as Call::agent_id;
  /// an id no user has is refused (errc::invalid_argument). Default: none.
  std::optional<std::string> agent_id;
};

/// Options of CallClient::speak(), checked as Telnyx's speak action wants
/// them (docs/client.md, "Speech and playback").
struct SpeakOptions {
  /// "" → "female". "male" and "female" are Telnyx's basic voices: en-US,
  /// plain text. Any other language or SSML wants a provider voice,
  /// "<Provider>.<Model>.<VoiceId>" of AWS, Azure, ElevenLabs, Telnyx,
  /// Minimax, Rime or Resemble (e.g. "AWS.Polly.Joanna-Neural",
  /// "Azure.en-CA-ClaraNeural", "Telnyx.KokoroTTS.af"; the provider alone
  /// takes its default voice), or the older "Polly.<VoiceId>".
  std::string voice;
  /// One of Telnyx's languages ("en-US", "de-DE", "arb", …). "" → en-US for
  /// male and female; a provider voice then speaks its own.
  std::string language;
  /// "text" (also "") or "ssml".
  std::string payload_type;
};

/// What subscribers receive. `type` is "call.created", "call.updated" or
/// "call.ended" (sent once, right after the call.updated that made the call
/// terminal, and again if a later event changes the ended call).
struct CallUpdate {
  std::string type;
  Call call;
};

/// What ingest_webhook() decided, with the HTTP status a server should answer.
/// The verdict on one webhook. What to answer the sender follows from
/// `code` (the reference server, and the C ABI's `http_status`, answer 200
/// for ok, 400 for malformed, 401 for unauthorized, 503 for unavailable so
/// that Telnyx retries; see docs/client.md).
struct IngestResult {
  /// ok: stored (or a duplicate); malformed: not a v2 envelope (or a field
  /// storage refuses); unauthorized: signature missing or wrong;
  /// unavailable: not stored now (storage failed, or the client closed) —
  /// the sender should retry.
  errc code = errc::ok;
  bool duplicate = false;  ///< already stored: acknowledged and dropped
  std::string event_type;
  std::string call_id;     ///< the call the event folded into ("" when it matched none)
  std::string message;     ///< why, when code is not ok

  explicit operator bool() const noexcept { return code == errc::ok; }
};

class CallClient {
 public:
  /// Starts the client: threads, the carrier for the current mode, the live
  /// calls left in storage (reconciled). Throws Error(invalid_argument) for
  /// bad options and storage errors while loading.
  CallClient(Storage storage, CallClientOptions options = {});
  /// close().
  ~CallClient();
  CallClient(const CallClient&) = delete;
  CallClient& operator=(const CallClient&) = delete;

  /// Validates both numbers (E.164; `from` empty → the default caller-ID
  /// number, else errc::invalid_argument) and the answering machine
  /// detection (amd_problem of callwire/amd.hpp: errc::invalid_argument with
  /// its sentence), stores the Call as `dialing`,
  /// publishes call.created and hands it to the carrier. Returns at once;
  /// progress arrives as updates. A failed dial request ends the call as
  /// `failed` with the carrier's reason.
  Call dial(std::string_view to, std::string_view from = {}, const DialOptions& options = {});
  /// Hangs up (before answer: canceled) and waits up to hangup_wait for the
  /// carrier's hangup; returns the call (final, with duration, unless the
  /// carrier is slower than that). A call already ended is returned as is.
  Call hangup(std::string_view call_id);
  Call send_dtmf(std::string_view call_id, std::string_view digits);
  Call start_recording(std::string_view call_id);
  Call stop_recording(std::string_view call_id);
  Call transfer(std::string_view call_id, std::string_view to);
  /// Pauses the recording in progress (Telnyx record_pause): the call's
  /// `recording_paused` is true until resume_recording(), stop_recording()
  /// or start_recording(). Only while the call is active.
  Call pause_recording(std::string_view call_id);
  /// Resumes a paused recording (record_resume); `recording_paused` is false.
  Call resume_recording(std::string_view call_id);
  /// Speaks `text` (at most 3,000 characters; SSML with payload_type
  /// "ssml") on an active call. errc::invalid_argument, naming the field,
  /// for text, a voice, a language or a payload type Telnyx would refuse
  /// (see SpeakOptions). The call does not change; the carrier reports
  /// call.speak.started / call.speak.ended events (stored with the call's events).
  Call speak(std::string_view call_id, std::string_view text, const SpeakOptions& options = {});
  /// Plays the MP3 or WAV file at `audio_url` (http:// or https://) on an
  /// active call (Telnyx playback_start); errc::invalid_argument for
  /// another URL. call.playback.started / call.playback.ended follow.
  Call start_playback(std::string_view call_id, std::string_view audio_url);
  /// Stops the audio playing and clears the queued files (playback_stop).
  Call stop_playback(std::string_view call_id);
  /// Local flags, stored and published (Telnyx Call Control has no mute).
  Call set_muted(std::string_view call_id, bool muted);
  Call set_on_hold(std::string_view call_id, bool on_hold);

  /// A recording whose download URL works now. Telnyx's recording URLs
  /// expire 10 minutes after the webhook that carried them, so for a
  /// recording of a live call this asks Telnyx for fresh ones
  /// (GET /v2/recordings/{id}), stores the new URL (mp3, else wav) and returns
  /// the recording. A demo recording (its call is a demo call, or it has no
  /// Telnyx id) never expires and is returned as stored, without a request.
  /// errc::not_found for an unknown id; errc::unavailable when no Telnyx key
  /// is configured; a carrier failure throws CarrierError and keeps the
  /// stored URL.
  Recording refresh_recording(std::string_view recording_id);

  /// Removes a recording here and where it is stored (docs/client.md,
  /// "Removing a recording"). A recording with a Telnyx recording id of a
  /// live call is deleted at Telnyx first (DELETE /v2/recordings/{id}); its
  /// 200, or a 404 (Telnyx no longer has it), deletes the stored record.
  /// Any other answer keeps the record, sets its remote_delete_error to a
  /// sentence saying why, and throws CarrierError with that sentence
  /// (errc::unavailable for a 5xx after retries or no answer, errc::carrier
  /// for a refusal such as 401). A demo recording (or one without a Telnyx
  /// id) is deleted here only, with its WAV file in the recordings folder.
  /// errc::not_found for an unknown id; errc::unavailable, nothing changed,
  /// when a live recording is to be deleted and no Telnyx key is configured.
  void remove_recording(std::string_view recording_id);

  Call get_call(std::string_view call_id) const;  ///< errc::not_found
  std::vector<Call> active_calls() const;         ///< live calls, newest first
  Stats stats() const;

  /// Registers a callback for every CallUpdate published from now on.
  /// Callbacks run on the client's worker threads (cw-work-N) through one
  /// strand: one callback at a time for the whole client (never concurrently
  /// with each other, nor with another subscription's), in commit order, so
  /// the updates of one call arrive in order. Publishing only queues an
  /// update, so a callback never runs inside the call that produced it
  /// (dial(), hangup(), a webhook's ingest…), nor on a host thread, an io
  /// thread or the ingest writer; the worker that published one (a dial
  /// result, a reconciliation) may itself deliver it, after that job. The
  /// callback may call back into the client (e.g. get(), hangup(),
  /// unsubscribe() — of its own id too). Exceptions it throws are caught and
  /// logged, and delivery to the other subscribers goes on. Returns an id for
  /// unsubscribe() (never 0).
  std::uint64_t subscribe(std::function<void(const CallUpdate&)> callback);
  /// Removes a subscription. When it returns, its callback is not running
  /// and never runs again (whatever it captured may be destroyed): called on
  /// another thread while that callback runs, it waits for the callback to
  /// return — so do not call it while holding something the callback waits
  /// for. Called from inside that same callback it returns at once, and the
  /// callback finishes normally. An unknown (or already removed) id is
  /// ignored. Works after close() too.
  void unsubscribe(std::uint64_t id);

  /// For hosts with their own HTTP server: verifies (when required), parses,
  /// stores and folds one Telnyx webhook. Blocking; thread-safe. Header names
  /// are case-insensitive. Returns only after the event and the folded call
  /// are committed (or the attempt failed: 503). Concurrent calls are
  /// group-committed (see ingest_batch_max) by the client's ingest writer
  /// thread; ingest_webhook_async() does the same without holding the
  /// calling thread. Never call it from an ingest_webhook_async callback
  /// (Error(internal): it would wait for itself). 503 once close() ran.
  IngestResult ingest_webhook(std::string_view raw_body,
                              const std::vector<std::pair<std::string, std::string>>& headers);

  /// ingest_webhook() without blocking: verifies (when required) and parses
  /// on the calling thread, then returns. `done` gets the same result
  /// ingest_webhook() would return: at once, on the calling thread, for a
  /// webhook refused before storage (401, 400; 503 once the client is
  /// closed); otherwise on the client's ingest writer thread right after the
  /// webhook's batch committed (or failed: 503). Every webhook queued while a
  /// batch is written joins the next one, so batches grow with the webhooks
  /// in flight, not with the threads calling. `done` must be short and must
  /// not block (it delays the next batch) nor call ingest_webhook(). The body
  /// and headers are not used after the call returns. Throws
  /// Error(invalid_argument) for an empty `done`.
  void ingest_webhook_async(std::string_view raw_body,
                            const std::vector<std::pair<std::string, std::string>>& headers,
                            std::function<void(IngestResult)> done);

  /// Re-reads the saved settings and switches demo/live mode if needed.
  void reload_settings();
  bool demo() const;
  /// "demo" or "live".
  std::string_view mode() const;
  /// Effective settings (options merged with saved ones); secrets in clear.
  Settings settings() const;
  Storage& storage();
  /// The folder holding demo recordings.
  std::string recordings_dir() const;

  /// Runs the reconciliation pass now (it also runs every reconcile_interval).
  void reconcile_now();

  /// Counters for /metrics.
  struct Counters {
    std::uint64_t webhooks_received = 0;
    std::uint64_t webhooks_duplicate = 0;
    std::uint64_t webhooks_rejected = 0;
    std::uint64_t carrier_errors = 0;
    std::uint64_t dials = 0;
    std::uint64_t reconciled = 0;
    /// Webhooks parsed and waiting for (or in) their storage transaction.
    std::uint64_t webhooks_pending = 0;
    /// Storage transactions that committed webhooks (one per batch).
    std::uint64_t ingest_commits = 0;
    /// Carriers replaced by a settings change that still finish requests
    /// they had in flight; each is released once idle (at the next settings
    /// change or reconciliation pass).
    std::uint64_t carriers_retired = 0;
  };
  Counters counters() const;

  /// Stops timers and the carrier, finishes queued work and joins threads.
  /// Idempotent. Calls in progress stay in storage and are reconciled at the
  /// next start.
  void close();

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace callwire
