// CallClient: dial → carrier → storage → events (DESIGN.md, "A call, end to end").
//
// Threads:
//  * io_          carrier I/O and timers (io_threads); nothing blocks here;
//  * ingest_thread_  the webhook writer: one storage transaction per batch
//                 of queued webhooks (ingest_writer()), then their answers;
//  * workers_     storage work the carrier triggers (dial
//                 results, reconciliation) and subscriber callbacks;
//  * bus_         the subscribers (UpdateBus, update_bus.hpp): callbacks run
//                 on a strand of workers_, one at a time, in the order
//                 updates were committed.
// Per-call ordering: every change to a call happens under that call's stripe
// lock, and the update is published on bus_ before the lock is released.
#include "callwire/call_client.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

#include "callwire/call_state.hpp"
#include "callwire/contact_store.hpp"
#include "callwire/error.hpp"
#include "callwire/json.hpp"
#include "callwire/log_store.hpp"
#include "callwire/number_store.hpp"
#include "callwire/phone.hpp"
#include "callwire/settings_store.hpp"
#include "callwire/webhook.hpp"
#include "carrier/demo_carrier.hpp"
#include "client/update_bus.hpp"
#include "core/base64.hpp"
#include "core/dtmf.hpp"
#include "core/uuid.hpp"
#include "support/log.hpp"
#include "support/thread_name.hpp"
#include "telnyx/telnyx_carrier.hpp"

namespace callwire {

namespace net = boost::asio;

namespace {

constexpr std::size_t kStripes = 64;

/// An exception for a log line: what() and, for a callwire::Error that has
/// one, its detail (the storage's own text, which clients never get).
std::string for_log(const std::exception& e) {
  const auto* err = dynamic_cast<const Error*>(&e);
  if (err == nullptr || err->detail().empty()) return e.what();
  return std::string(e.what()) + " (" + err->detail() + ")";
}

TimePoint system_now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

// client_state carries our call_id, base64-encoded, so a webhook can be
// matched to its call even before the dial's answer is stored.
std::string call_id_from_client_state(const std::optional<std::string>& client_state) {
  if (!client_state || client_state->empty()) return {};
  auto decoded = base64::decode(*client_state);
  if (!decoded || decoded->size() != 36) return {};
  for (char c : *decoded) {
    if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == '-')) return {};
  }
  return *decoded;
}

// Every field equal (TimePoint is whole milliseconds, as stored): all 26 of
// Call's fields, in their order (a new field must be added here); cheaper
// than comparing two JSON encodings, which this replaced.
auto call_fields(const Call& c) {
  return std::tie(c.call_id, c.call_control_id, c.call_leg_id, c.call_session_id, c.connection_id, c.to_number,
                  c.from_number, c.direction, c.status, c.created_at, c.updated_at, c.ringing_at, c.answered_at,
                  c.ended_at, c.duration, c.hangup_cause, c.hangup_source, c.failure_reason, c.machine_detection,
                  c.contact_id, c.contact_name, c.recording_id, c.recording, c.muted, c.on_hold, c.demo);
}

bool same_call(const Call& a, const Call& b) { return call_fields(a) == call_fields(b); }

}  // namespace

class CallClient::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(Storage storage, CallClientOptions options)
      : storage_(std::move(storage)),
        logs_(storage_),
        numbers_(storage_),
        contacts_(storage_),
        settings_store_(storage_),
        opts_(std::move(options)),
        work_(net::make_work_guard(io_)),
        worker_count_(std::max(2u, opts_.worker_threads)),
        workers_(worker_count_),
        bus_(workers_.get_executor()),
        reconcile_timer_(io_) {
    if (opts_.demo_speed <= 0) throw Error(errc::invalid_argument, "demo_speed must be positive");
    if (opts_.reconcile_interval.count() <= 0) throw Error(errc::invalid_argument, "reconcile_interval must be positive");
    if (!opts_.clock) opts_.clock = system_now;
    recordings_dir_ = choose_recordings_dir();
  }

  void start() {
    ingest_thread_ = std::thread([this] {
      support::set_current_thread_name("cw-ingest");
      ingest_writer();
    });
    for (unsigned i = 0; i < std::max(1u, opts_.io_threads); ++i) {
      io_threads_.emplace_back([this, i] {
        support::set_current_thread_name("cw-io-" + std::to_string(i));
        io_.run();
      });
    }
    name_worker_threads();
    demo_carrier_ = make_demo_carrier();
    try {
      apply_settings(settings_store_.get());
    } catch (const Error& e) {
      // Saved settings that do not work (stored before they were validated,
      // or edited by hand) must not keep the client from starting: the
      // options (the environment) and demo mode still do.
      log::print(log::Level::error, "client", "the saved provider settings are invalid and are ignored until fixed (",
                 e.what(), "); using the options", opts_.api_key.empty() ? " (demo mode)" : "");
      apply_settings(Settings{});
    }
    load_live_calls();
    schedule_reconcile();
  }

  // ---- settings and mode -----------------------------------------------------

  Settings merged_settings(const Settings& saved) const {
    Settings s = saved;
    auto fill = [](std::string& slot, const std::string& fallback) {
      if (slot.empty()) slot = fallback;
    };
    constexpr std::string_view kDefaultBase = "https://api.telnyx.com/v2";
    fill(s.api_key, opts_.api_key);
    fill(s.connection_id, opts_.connection_id);
    fill(s.webhook_url, opts_.webhook_url);
    fill(s.public_key, opts_.public_key);
    // Where the API key is sent is deployment configuration (the options,
    // TELNYX_API_BASE), never a saved setting: whoever could save settings
    // could otherwise send the key to any host (docs/client.md).
    s.api_base = opts_.api_base.empty() ? std::string(kDefaultBase) : opts_.api_base;
    s.auto_record = saved.auto_record || opts_.auto_record;
    s.demo_mode = saved.demo_mode || opts_.force_demo;
    return s;
  }

  void apply_settings(const Settings& saved) {
    Settings s = merged_settings(saved);
    const bool demo = s.demo_mode || s.api_key.empty();
    std::shared_ptr<carrier::Carrier> live;
    if (!demo) {
      std::lock_guard lock(mode_mu_);
      if (live_carrier_ && live_key_ == s.api_key && live_base_ == s.api_base) live = live_carrier_;
    }
    if (!demo && !live) {
      telnyx::TelnyxOptions t;
      t.api_key = s.api_key;
      t.api_base = s.api_base;
      t.ca_file = opts_.ca_file;
      t.pacing.enabled = opts_.dials_per_second > 0;
      if (opts_.dials_per_second > 0) t.pacing.dials_per_second = opts_.dials_per_second;
      t.pacing.max_concurrent_calls = opts_.max_concurrent_calls;
      live = std::make_shared<telnyx::TelnyxCarrier>(io_.get_executor(), std::move(t));
    }
    std::lock_guard lock(mode_mu_);
    release_idle_carriers();
    if (live && live != live_carrier_) {
      if (live_carrier_) retired_carriers_.push_back(live_carrier_);  // its requests in flight finish first
      live_carrier_ = live;
      live_key_ = s.api_key;
      live_base_ = s.api_base;
    }
    settings_ = s;
    demo_ = demo;
    if (!demo && !opts_.require_signatures) {
      log::write(log::Level::warn, "client", "webhook signature checks are OFF (development switch): anyone can post fake call events");
    }
  }

  // Drops the retired carriers that have nothing queued or in flight (each
  // settings change that switches the key retires one). Under mode_mu_.
  void release_idle_carriers() {
    std::erase_if(retired_carriers_, [](const std::shared_ptr<carrier::Carrier>& c) { return c->idle(); });
  }

  bool demo() const {
    std::lock_guard lock(mode_mu_);
    return demo_;
  }

  Settings settings() const {
    std::lock_guard lock(mode_mu_);
    return settings_;
  }

  std::shared_ptr<carrier::Carrier> carrier_for(const Call& call) const {
    std::lock_guard lock(mode_mu_);
    if (call.demo || !live_carrier_) return demo_carrier_;
    return live_carrier_;
  }

  // ---- dial ------------------------------------------------------------------

  Call dial(std::string_view to, std::string_view from, const DialOptions& dial_options) {
    check_open();
    Call c;
    c.to_number = normalize_e164(to, "to_number");
    if (from.empty()) {
      auto def = numbers_.default_number();
      if (!def) {
        throw Error(errc::invalid_argument,
                    "from_number: no caller-ID number given and no default number configured (add one under /api/numbers)");
      }
      c.from_number = def->number;
    } else {
      c.from_number = normalize_e164(from, "from_number");
    }
    const Settings s = settings();
    const bool demo = s.demo_mode || s.api_key.empty();
    c.call_id = new_uuid_v4();
    c.direction = Direction::outbound;
    c.status = CallStatus::dialing;
    c.created_at = c.updated_at = now();
    c.demo = demo;
    c.connection_id = dial_options.connection_id.empty() ? s.connection_id : dial_options.connection_id;
    if (dial_options.contact_id) {
      c.contact_id = dial_options.contact_id;
      if (auto contact = contacts_.find(*dial_options.contact_id)) c.contact_name = contact->name;
    } else if (auto contact = contacts_.find_by_phone(c.to_number)) {
      c.contact_id = contact->id;
      c.contact_name = contact->name;
    }
    const bool record = dial_options.record.value_or(s.auto_record);
    c.recording = false;

    {
      std::lock_guard lock(stripe(c.call_id));
      c = logs_.insert(c);
      remember_live(c);
      bus_.publish(CallUpdate{"call.created", c});
    }
    ++dials_;

    carrier::DialRequest req;
    req.call_id = c.call_id;
    req.to = c.to_number;
    req.from = c.from_number;
    req.connection_id = c.connection_id;
    req.command_id = new_uuid_v4();
    req.webhook_url = s.webhook_url;
    req.record = record;
    req.answering_machine_detection = dial_options.answering_machine_detection;
    req.timeout_secs = static_cast<int>(opts_.ring_timeout.count());
    req.time_limit_secs = static_cast<int>(opts_.time_limit.count());
    auto carrier = carrier_for(c);
    // Handlers hold the client weakly: a handler stuck in a queue that close()
    // has already drained (a carrier's, the pool's) must not keep it alive.
    carrier->dial(req, [weak = weak_from_this(), call_id = c.call_id](carrier::CarrierResult<carrier::DialResult> r) {
      auto self = weak.lock();
      if (!self) return;
      net::post(self->workers_, [weak, call_id, r = std::move(r)]() mutable {
        if (auto client = weak.lock()) client->on_dial_result(call_id, std::move(r));
      });
    });
    return c;
  }

  void on_dial_result(const std::string& call_id, carrier::CarrierResult<carrier::DialResult> r) {
    // Closing cancels dials in flight: the calls stay as they are in storage
    // and are reconciled at the next start, not failed now.
    if (closed_) return;
    try {
      if (!r) {
        ++carrier_errors_;
        CallEvent failed;
        failed.id = "callwire-dial-failed-" + call_id;
        failed.event_type = std::string(kEventDialFailed);
        failed.occurred_at = now();
        failed.result = "dial failed: " + r.error.message;
        fold_into(call_id, failed, /*fresh=*/true);
        return;
      }
      std::lock_guard lock(stripe(call_id));
      Call c = logs_.get(call_id);
      const Call before = c;
      if (c.call_control_id.empty()) c.call_control_id = r.value->call_control_id;
      if (c.call_leg_id.empty()) c.call_leg_id = r.value->call_leg_id;
      if (c.call_session_id.empty()) c.call_session_id = r.value->call_session_id;
      if (!same_call(before, c)) commit(c, before);
    } catch (const std::exception& e) {
      log::write(log::Level::error, "client", std::string("storing the dial result of ") + call_id + " failed: " + for_log(e));
    }
  }

  // ---- call controls -----------------------------------------------------------

  Call hangup(std::string_view call_id) {
    check_open();
    Call c = logs_.get(call_id);
    if (is_terminal(c.status)) return c;
    c = wait_for_control_id(std::string(call_id));
    if (is_terminal(c.status)) return c;
    if (!c.call_control_id.empty()) {
      auto r = run<carrier::Unit>([&](auto done) {
        carrier_for(c)->hangup(action(c), std::move(done));
      });
      if (!r) {
        ++carrier_errors_;
        throw_carrier(r.error, "hangup");
      }
    }
    return wait_until_terminal(std::string(call_id), opts_.hangup_wait);
  }

  Call send_dtmf(std::string_view call_id, std::string_view digits) {
    if (!is_valid_dtmf(digits)) throw Error(errc::invalid_argument, "digits: " + std::string(kDtmfRule));
    Call c = live_call(call_id, "send DTMF");
    control(c, "send_dtmf", [&](auto done) { carrier_for(c)->send_dtmf(action(c), std::string(digits), std::move(done)); });
    return logs_.get(call_id);
  }

  Call set_recording(std::string_view call_id, bool on) {
    Call c = live_call(call_id, on ? "start recording" : "stop recording");
    if (c.status != CallStatus::active) {
      throw Error(errc::conflict, "the call is not answered yet: recording starts once it is active");
    }
    if (on) {
      control(c, "record_start", [&](auto done) { carrier_for(c)->record_start(action(c), "wav", "single", std::move(done)); });
    } else {
      control(c, "record_stop", [&](auto done) { carrier_for(c)->record_stop(action(c), std::move(done)); });
    }
    return update_flags(call_id, [on](Call& x) { x.recording = on; });
  }

  Call transfer(std::string_view call_id, std::string_view to) {
    const std::string target = normalize_e164(to, "to_number");
    Call c = live_call(call_id, "transfer");
    control(c, "transfer", [&](auto done) { carrier_for(c)->transfer(action(c), target, c.from_number, std::move(done)); });
    return logs_.get(call_id);
  }

  Call update_flags(std::string_view call_id, const std::function<void(Call&)>& change) {
    check_open();
    const std::string id(call_id);
    std::lock_guard lock(stripe(id));
    Call c = logs_.get(id);
    const Call before = c;
    change(c);
    if (!same_call(before, c)) commit(c, before);
    return c;
  }

  Call set_muted(std::string_view call_id, bool muted) {
    live_call(call_id, muted ? "mute" : "unmute");
    return update_flags(call_id, [muted](Call& c) { c.muted = muted; });
  }

  Call set_on_hold(std::string_view call_id, bool hold) {
    live_call(call_id, hold ? "hold" : "resume");
    return update_flags(call_id, [hold](Call& c) { c.on_hold = hold; });
  }

  Recording refresh_recording(std::string_view recording_id) {
    check_open();
    Recording r = logs_.get_recording(recording_id);
    const auto call = logs_.find(r.call_id);
    if (r.telnyx_recording_id.empty() || (call && call->demo)) return r;  // a local file: never expires
    std::shared_ptr<carrier::Carrier> carrier;
    {
      std::lock_guard lock(mode_mu_);
      carrier = live_carrier_;
    }
    if (!carrier) {
      throw Error(errc::unavailable, "cannot refresh recording " + r.id + ": no Telnyx API key is configured");
    }
    auto fresh = run<carrier::RecordingResult>(
        [&](auto done) { carrier->recording(r.telnyx_recording_id, std::move(done)); });
    if (!fresh) {
      ++carrier_errors_;
      throw_carrier(fresh.error, "refresh recording");
    }
    const Recording before = r;
    r.url = fresh.value->url;
    if (!fresh.value->format.empty()) r.format = fresh.value->format;
    if (fresh.value->duration_secs > 0) r.duration = fresh.value->duration_secs;
    if (r.url != before.url || r.format != before.format || r.duration != before.duration) logs_.update_recording(r);
    return r;
  }

  // ---- queries -----------------------------------------------------------------

  Call get(std::string_view call_id) const { return logs_.get(call_id); }

  std::vector<Call> active() const {
    std::vector<Call> out;
    {
      std::lock_guard lock(live_mu_);
      for (const auto& [id, entry] : live_) out.push_back(entry.call);
    }
    std::sort(out.begin(), out.end(), [](const Call& a, const Call& b) {
      return std::tie(a.created_at, a.call_id) > std::tie(b.created_at, b.call_id);
    });
    return out;
  }

  Stats stats() const {
    Stats s = logs_.stats();
    return s;
  }

  // ---- webhooks ------------------------------------------------------------------

  using IngestDone = std::function<void(IngestResult)>;

  IngestResult ingest(std::string_view body, const std::vector<std::pair<std::string, std::string>>& header_list) {
    if (ingest_writer_of_this_thread == this) {
      throw Error(errc::internal, "ingest_webhook called from an ingest_webhook_async callback: it would deadlock");
    }
    return wait_for_ingest([&](IngestDone done) { ingest_async(body, header_list, std::move(done)); });
  }

  // Runs an asynchronous ingest and blocks until its callback ran.
  template <class Start>
  static IngestResult wait_for_ingest(Start start) {
    struct Waiter {
      std::mutex mu;
      std::condition_variable cv;
      bool done = false;
      IngestResult result;
    } w;
    start([&w](IngestResult r) {
      std::lock_guard lock(w.mu);  // notified under the lock: w outlives this callback
      w.result = std::move(r);
      w.done = true;
      w.cv.notify_one();
    });
    std::unique_lock lock(w.mu);
    w.cv.wait(lock, [&] { return w.done; });
    return std::move(w.result);
  }

  // Verifies (when required) and parses on the calling thread; a rejected
  // webhook is answered at once, here. An accepted one joins the ingest queue
  // and is answered from the ingest writer once its batch has committed.
  void ingest_async(std::string_view body, const std::vector<std::pair<std::string, std::string>>& header_list,
                    IngestDone done) {
    IngestResult result;
    ++webhooks_received_;
    telnyx::Headers headers;
    for (const auto& [k, v] : header_list) headers.set(k, v);
    const Settings s = settings();
    const bool key_configured = !s.api_key.empty();
    const bool required = key_configured && opts_.require_signatures;
    const bool has_signature = headers.get("telnyx-signature-ed25519").has_value();
    if (required || (has_signature && !s.public_key.empty())) {
      if (s.public_key.empty()) {
        ++webhooks_rejected_;
        result.code = errc::unauthorized;
        result.message = "webhook signature required but no Telnyx public key is configured (TELNYX_PUBLIC_KEY)";
        done(std::move(result));
        return;
      }
      const auto now_unix = std::chrono::duration_cast<std::chrono::seconds>(now().time_since_epoch()).count();
      const auto verdict = telnyx::verify_signature(s.public_key, headers, body, now_unix, opts_.signature_tolerance_seconds);
      if (verdict != telnyx::Verdict::valid) {
        ++webhooks_rejected_;
        result.code = errc::unauthorized;
        result.message = "invalid webhook signature: " + std::string(telnyx::to_string(verdict));
        done(std::move(result));
        return;
      }
    }
    ingest_trusted_async(body, std::move(done));
  }

  // Parses one webhook on the calling thread, then hands it to the group
  // commit: the ingest writer thread writes whatever is queued — everything
  // that arrived while the previous batch was being written — in one storage
  // transaction, then calls each webhook's `done` (store-before-ack). A
  // malformed webhook is answered at once, on the calling thread.
  void ingest_trusted_async(std::string_view body, IngestDone done) {
    IngestResult result;
    telnyx::ParseFailure failure{};
    auto event = telnyx::parse_webhook(body, &failure);
    if (!event) {
      ++webhooks_rejected_;
      result.code = errc::malformed;
      result.message = failure.message;
      done(std::move(result));
      return;
    }
    result.event_type = event->event_type;
    auto p = std::make_unique<PendingIngest>();
    p->event = std::move(*event);
    p->result = std::move(result);
    p->done = std::move(done);
    bool wake = false;
    {
      std::lock_guard lock(ingest_mu_);
      if (!ingest_stopped_) {
        ingest_queue_.push_back(std::move(p));
        ++webhooks_pending_;
        // One wake-up per batch: only an idle writer is notified.
        wake = ingest_writer_idle_;
        ingest_writer_idle_ = false;
      }
    }
    if (wake) ingest_cv_.notify_one();
    if (p) {  // the client is closed: nothing can be stored any more
      p->result.code = errc::closed;
      p->result.message = "the call client is closed";
      p->done(std::move(p->result));
    }
  }

  // Set on an ingest writer thread to its client (ingest_webhook from a
  // `done` callback would wait for the thread that runs it).
  static thread_local const Impl* ingest_writer_of_this_thread;

  struct PendingIngest {
    CallEvent event;
    IngestResult result;
    IngestDone done;
  };

  // The worker pool is an asio::thread_pool, which starts its threads itself:
  // each is named by a job posted for it. The jobs wait for one another (up
  // to a second), so that no thread takes two of them.
  void name_worker_threads() {
    struct Rendezvous {
      std::mutex mu;
      std::condition_variable cv;
      std::size_t arrived = 0;
    };
    auto meet = std::make_shared<Rendezvous>();
    const std::size_t n = worker_count_;
    for (std::size_t i = 0; i < n; ++i) {
      net::post(workers_, [meet, n] {
        std::unique_lock lock(meet->mu);
        support::set_current_thread_name("cw-work-" + std::to_string(meet->arrived++));
        meet->cv.notify_all();
        meet->cv.wait_for(lock, std::chrono::seconds(1), [&] { return meet->arrived >= n; });
      });
    }
  }

  // The ingest writer thread: one batch (up to ingest_batch_max) at a time,
  // in queue order; sleeps only when the queue is empty. Exits once close()
  // stopped the ingest and the queue is drained.
  void ingest_writer() {
    ingest_writer_of_this_thread = this;
    const std::size_t batch_max = std::max<std::size_t>(1, opts_.ingest_batch_max);
    std::vector<std::unique_ptr<PendingIngest>> owned;
    std::vector<PendingIngest*> batch;
    std::unique_lock lock(ingest_mu_);
    for (;;) {
      if (ingest_queue_.empty()) {
        if (ingest_stopped_) return;
        ingest_writer_idle_ = true;
        ingest_cv_.wait(lock, [this] { return !ingest_queue_.empty() || ingest_stopped_; });
        ingest_writer_idle_ = false;
        continue;
      }
      const std::size_t n = std::min(ingest_queue_.size(), batch_max);
      owned.clear();
      batch.clear();
      for (std::size_t i = 0; i < n; ++i) {
        owned.push_back(std::move(ingest_queue_.front()));
        ingest_queue_.pop_front();
        batch.push_back(owned.back().get());
      }
      lock.unlock();
      try {
        write_batch(batch);
      } catch (...) {  // only out of memory gets here; a redelivery is folded again either way
        for (auto* b : batch) {
          b->result.code = errc::unavailable;
          b->result.message = "storing the webhook failed";
        }
      }
      webhooks_pending_ -= batch.size();
      for (auto* b : batch) {
        try {
          b->done(std::move(b->result));
        } catch (const std::exception& e) {
          log::write(log::Level::error, "client", std::string("a webhook completion callback threw: ") + e.what());
        } catch (...) {
          log::write(log::Level::error, "client", "a webhook completion callback threw a non-standard exception");
        }
      }
      owned.clear();
      lock.lock();
    }
  }

  void stop_ingest() {
    {
      std::lock_guard lock(ingest_mu_);
      ingest_stopped_ = true;
    }
    ingest_cv_.notify_all();
    if (ingest_thread_.joinable()) ingest_thread_.join();
  }

  // Writes a batch in one transaction; when that fails, each webhook alone,
  // so that one bad event fails only itself. Never throws.
  void write_batch(const std::vector<PendingIngest*>& batch) {
    if (batch.size() > 1 && logs_.atomic_transactions()) {
      if (try_write(batch, /*last_try=*/false)) return;
    }
    // One by one: the retry of a failed batch, and the only mode without
    // atomic transactions (MongoDB), where a failure in the middle of a
    // batch would leave part of it stored.
    for (auto* p : batch) try_write({p}, /*last_try=*/true);
  }

  // One storage transaction: store each event (the duplicate check), fold it
  // into its call (each call read once, inside the transaction, under the
  // write lock), write each changed call once. Only after the commit are the
  // results set and the updates published. Holds every stripe lock
  // throughout, so no other change of these calls (dial results, controls)
  // interleaves and updates stay in commit order. False when the
  // transaction failed (results set only when last_try).
  bool try_write(const std::vector<PendingIngest*>& items, bool last_try) {
    struct Outcome {
      bool fresh = false;
      std::string call_id;
    };
    struct Change {
      Call before;
      Call after;
    };
    std::vector<Outcome> outcomes(items.size());
    std::vector<Change> changes;
    std::array<std::unique_lock<std::mutex>, kStripes> held;
    for (std::size_t i = 0; i < kStripes; ++i) held[i] = std::unique_lock(stripes_[i]);
    try {
      // Each call as read in this transaction (stored) and folded so far (now).
      struct Entry {
        Call stored, now;
      };
      std::map<std::string, Entry> calls;
      std::set<std::string> dirty;  // changed, not written yet
      auto write_dirty = [&] {
        for (const auto& id : dirty) {
          auto& e = calls.at(id);
          logs_.update(e.now, e.stored);  // only the fields that changed
          e.stored = e.now;
        }
        dirty.clear();
      };
      auto lookup = [&](const std::string& id) -> Call* {
        if (auto it = calls.find(id); it != calls.end()) return &it->second.now;
        auto c = logs_.find(id);
        if (!c) return nullptr;
        Entry e{*c, std::move(*c)};
        return &calls.emplace(id, std::move(e)).first->second.now;
      };
      logs_.transaction([&] {
        changes.clear();
        for (std::size_t i = 0; i < items.size(); ++i) {
          const CallEvent& e = items[i]->event;
          outcomes[i].fresh = logs_.record_event(e);
          std::string call_id = call_id_from_client_state(e.client_state);
          Call* c = call_id.empty() ? nullptr : lookup(call_id);
          if (c == nullptr && !e.call_control_id.empty()) {
            write_dirty();  // the query must see this batch's changes
            if (auto found = logs_.find_by_control_id(e.call_control_id)) c = lookup(found->call_id);
          }
          if (c == nullptr) continue;  // an unknown call: the event is recorded, nothing to fold
          outcomes[i].call_id = c->call_id;
          // A duplicate is folded again too: apply() is idempotent, and this
          // heals a call whose update failed after its event was stored.
          const Call before = *c;
          fold(*c, e);
          if (!same_call(before, *c)) {
            c->updated_at = now();
            changes.push_back({before, *c});
            dirty.insert(c->call_id);
          }
        }
        write_dirty();
      });
    } catch (const std::exception& e) {
      if (!last_try) return false;
      const auto* err = dynamic_cast<const Error*>(&e);
      items.front()->result.code = (err != nullptr && err->code() == errc::invalid_argument) ? errc::malformed : errc::unavailable;
      items.front()->result.message = e.what();
      log::write(log::Level::warn, "client", "storing a webhook failed: " + for_log(e));
      return false;
    } catch (...) {
      if (!last_try) return false;
      items.front()->result.code = errc::unavailable;
      items.front()->result.message = "storing the webhook failed with a non-standard exception";
      return false;
    }
    ++ingest_batches_;
    bool notify = false;
    for (std::size_t i = 0; i < items.size(); ++i) {
      auto& r = items[i]->result;
      r.duplicate = !outcomes[i].fresh;
      r.call_id = outcomes[i].call_id;
      if (!outcomes[i].fresh) ++webhooks_duplicate_;
      if (!outcomes[i].call_id.empty()) touch_live(outcomes[i].call_id);
      notify = notify || outcomes[i].fresh;
    }
    std::vector<CallUpdate> updates;
    updates.reserve(changes.size() + 1);
    for (auto& ch : changes) published(ch.after, ch.before, &updates);
    bus_.publish(std::move(updates));  // still under every stripe lock: commit order
    if (notify || !changes.empty()) notify_changed();
    return true;
  }

  // Folds one event into a call and commits the change, if any.
  void fold_into(const std::string& call_id, const CallEvent& e, bool fresh) {
    std::lock_guard lock(stripe(call_id));
    Call c = logs_.get(call_id);
    const Call before = c;
    fold(c, e);
    touch_live(call_id);
    if (!same_call(before, c)) {
      commit(c, before);
    } else if (fresh) {
      notify_changed();
    }
  }

  // The state machine plus what an event stores besides the call.
  void fold(Call& c, const CallEvent& e) {
    apply(c, e);
    if (e.event_type == "call.recording.saved") attach_recording(c, e);
    if (e.event_type == "call.recording.saved" || e.event_type == "call.hangup") c.recording = false;
  }

  void attach_recording(const Call& c, const CallEvent& e) {
    Recording r;
    r.id = e.recording_id.empty() ? e.id : e.recording_id;
    if (logs_.find_recording(r.id)) return;
    r.call_id = c.call_id;
    r.call_control_id = e.call_control_id;
    r.telnyx_recording_id = e.recording_id;
    r.url = e.recording_url;
    r.format = e.recording_format.empty() ? "mp3" : e.recording_format;
    if (e.recording_started_at && e.recording_ended_at) r.duration = whole_seconds(*e.recording_started_at, *e.recording_ended_at);
    r.channels = "single";
    r.created_at = e.occurred_at;
    try {
      logs_.attach_recording(r);
    } catch (const Error& err) {
      if (err.code() != errc::conflict) throw;  // a concurrent duplicate attached it
    }
  }

  // Stores a changed call, refreshes the live cache and publishes. Caller
  // holds the call's stripe lock.
  void commit(Call& c, const Call& before) {
    c.updated_at = now();
    logs_.update(c);
    published(c, before);
    notify_changed();
  }

  // After a change of c is committed: the live cache, the carrier's
  // bookkeeping and the subscribers. Caller holds the call's stripe lock.
  // With `out`, the updates are appended there for one bus_.publish() of a
  // whole batch instead of being posted one by one.
  void published(const Call& c, const Call& before, std::vector<CallUpdate>* out = nullptr) {
    if (is_terminal(c.status)) {
      forget_live(c.call_id);
      if (!is_terminal(before.status) && !c.call_control_id.empty()) {
        if (auto carrier = carrier_for(c)) carrier->call_ended(c.call_control_id);
      }
    } else {
      remember_live(c);
    }
    if (out != nullptr) {
      out->push_back(CallUpdate{"call.updated", c});
      if (is_terminal(c.status)) out->push_back(CallUpdate{"call.ended", c});
      return;
    }
    bus_.publish(CallUpdate{"call.updated", c});
    if (is_terminal(c.status)) bus_.publish(CallUpdate{"call.ended", c});
  }

  // ---- reconciliation -------------------------------------------------------------------

  void schedule_reconcile() {
    reconcile_timer_.expires_after(opts_.reconcile_interval);
    reconcile_timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
      auto self = weak.lock();
      if (ec || !self || self->closed_) return;
      net::post(self->workers_, [weak] {
        auto client = weak.lock();
        if (!client) return;
        client->reconcile();
        if (!client->closed_) {
          net::post(client->io_, [weak] {
            if (auto again = weak.lock()) again->schedule_reconcile();
          });
        }
      });
    });
  }

  void reconcile() {
    {
      std::lock_guard lock(mode_mu_);
      release_idle_carriers();
    }
    std::vector<std::pair<Call, TimePoint>> candidates;
    {
      std::lock_guard lock(live_mu_);
      for (const auto& [id, entry] : live_) candidates.emplace_back(entry.call, entry.last_activity);
    }
    const TimePoint t = now();
    for (const auto& [c, last] : candidates) {
      if (closed_) return;
      const auto limit = c.status == CallStatus::active ? opts_.time_limit + opts_.stale_after : opts_.stale_after;
      if (t - last < limit) continue;
      try {
        reconcile_one(c, t - last);
      } catch (const std::exception& e) {
        log::write(log::Level::error, "client", "reconciling call " + c.call_id + " failed: " + for_log(e));
      }
    }
  }

  // A call quiet for longer than its limit: ask the carrier that placed it.
  // Demo calls live in the process that simulates them, so a demo call its
  // DemoCarrier does not know was left by a process that stopped.
  void reconcile_one(const Call& c, std::chrono::milliseconds quiet) {
    CallEvent r;
    r.id = "callwire-reconciled-" + c.call_id;
    r.event_type = std::string(kEventReconciled);
    r.occurred_at = now();
    const std::string quiet_s = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(quiet).count());
    if (c.call_control_id.empty()) {
      r.result = "the carrier never acknowledged the dial (no answer for " + quiet_s + " s)";
    } else {
      auto status = run<carrier::CallStatusResult>([&](auto done) {
        carrier_for(c)->call_status(c.call_control_id, std::move(done));
      });
      if (status && status.value->is_alive) {
        touch_live(c.call_id);  // still up: look again later
        return;
      }
      if (status) {
        r.result = "no hangup webhook received; the carrier reports the call is over";
        if (c.answered_at) r.hangup_cause = "normal_clearing";
      } else if (c.demo) {
        r.result = "the simulated call ended when the callwire process that ran it stopped";
      } else {
        r.result = "no event for " + quiet_s + " s and the carrier status query failed: " + status.error.message;
      }
    }
    ++reconciled_;
    logs_.record_event(r);
    fold_into(c.call_id, r, true);
  }

  void load_live_calls() {
    for (CallStatus s : {CallStatus::dialing, CallStatus::ringing, CallStatus::active}) {
      CallFilter f;
      f.status = s;
      for (std::size_t offset = 0;; offset += Page::kMaxPageSize) {
        auto page = logs_.list(f, Page{Page::kMaxPageSize, offset});
        for (const auto& c : page) remember_live(c);
        if (page.size() < Page::kMaxPageSize) break;
      }
    }
  }

  // ---- helpers -------------------------------------------------------------------------

  TimePoint now() const { return opts_.clock(); }

  void check_open() const {
    if (closed_) throw Error(errc::closed, "the call client is closed");
  }

  std::mutex& stripe(const std::string& call_id) { return stripes_[std::hash<std::string>{}(call_id) % kStripes]; }

  struct LiveEntry {
    Call call;
    TimePoint last_activity;
  };

  void remember_live(const Call& c) {
    std::lock_guard lock(live_mu_);
    auto& entry = live_[c.call_id];
    entry.call = c;
    entry.last_activity = c.updated_at;
  }
  void forget_live(const std::string& id) {
    std::lock_guard lock(live_mu_);
    live_.erase(id);
  }
  void touch_live(const std::string& id) {
    std::lock_guard lock(live_mu_);
    if (auto it = live_.find(id); it != live_.end()) it->second.last_activity = now();
  }

  void notify_changed() {
    {
      std::lock_guard lock(changed_mu_);
      ++change_seq_;
    }
    changed_cv_.notify_all();
  }

  template <class Pred>
  Call wait_for(const std::string& call_id, std::chrono::milliseconds budget, Pred done) {
    const auto deadline = std::chrono::steady_clock::now() + budget;
    for (;;) {
      std::uint64_t seen;
      {
        std::lock_guard lock(changed_mu_);
        seen = change_seq_;
      }
      Call c = logs_.get(call_id);
      if (done(c) || closed_) return c;
      std::unique_lock lock(changed_mu_);
      if (!changed_cv_.wait_until(lock, deadline, [&] { return change_seq_ != seen || closed_; })) {
        return logs_.get(call_id);
      }
    }
  }

  Call wait_until_terminal(const std::string& call_id, std::chrono::milliseconds budget) {
    return wait_for(call_id, budget, [](const Call& c) { return is_terminal(c.status); });
  }

  Call wait_for_control_id(const std::string& call_id) {
    return wait_for(call_id, opts_.hangup_wait,
                    [](const Call& c) { return !c.call_control_id.empty() || is_terminal(c.status); });
  }

  Call live_call(std::string_view call_id, const char* what) {
    check_open();
    Call c = logs_.get(call_id);
    if (is_terminal(c.status)) {
      throw Error(errc::conflict, std::string("cannot ") + what + ": the call has ended (" +
                                      std::string(to_string(c.status)) + ")");
    }
    return c;
  }

  static carrier::ActionRequest action(const Call& c) {
    carrier::ActionRequest a;
    a.call_control_id = c.call_control_id;
    a.command_id = new_uuid_v4();
    return a;
  }

  // Runs one carrier operation and blocks for its result. Never called on an
  // io thread (handlers complete there).
  template <class T, class Start>
  carrier::CarrierResult<T> run(Start start) {
    auto promise = std::make_shared<std::promise<carrier::CarrierResult<T>>>();
    auto future = promise->get_future();
    start([promise](carrier::CarrierResult<T> r) { promise->set_value(std::move(r)); });
    return future.get();
  }

  template <class Start>
  void control(const Call& c, const char* what, Start start) {
    if (c.call_control_id.empty()) {
      throw Error(errc::conflict, std::string("cannot ") + what + ": the carrier has not acknowledged the call yet");
    }
    auto r = run<carrier::Unit>(start);
    if (!r) {
      ++carrier_errors_;
      throw_carrier(r.error, what);
    }
  }

  [[noreturn]] static void throw_carrier(const carrier::CarrierError& e, const char* what) {
    throw CarrierError(e.code, std::string(what) + ": " + e.message, e.http_status, e.telnyx_code, e.title, e.detail);
  }

  std::shared_ptr<carrier::Carrier> make_demo_carrier() {
    carrier::DemoOptions d;
    d.speed = opts_.demo_speed;
    d.recordings_dir = recordings_dir_;
    d.recording_url_base = opts_.recordings_url_base;
    return carrier::DemoCarrier::create(
        io_.get_executor(), [weak = weak_from_this()](std::string body) {
          auto self = weak.lock();
          if (!self || self->closed_) return;
          // Parsed here (a few µs, nothing blocks), stored by the ingest
          // writer in its next batch: no worker waits for the commit.
          self->ingest_trusted_async(body, [](IngestResult r) {
            if (!r) log::write(log::Level::error, "client", "a demo webhook was not stored: " + r.message);
          });
        },
        d);
  }

  std::string choose_recordings_dir() const {
    namespace fs = std::filesystem;
    fs::path dir;
    if (!opts_.recordings_dir.empty()) {
      dir = opts_.recordings_dir;
    } else if (storage_.backend() == "sqlite") {
      dir = fs::path(storage_.location()).parent_path() / "recordings";
    } else {
      dir = fs::temp_directory_path() / "callwire-recordings";
    }
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error(errc::invalid_argument, "cannot create the recordings folder " + dir.string() + ": " + ec.message());
    return dir.string();
  }

  void close() {
    if (closed_.exchange(true)) return;
    notify_changed();
    if (io_threads_.empty()) {
      reconcile_timer_.cancel();
    } else {
      std::promise<void> canceled;
      net::post(io_, [this, &canceled] {
        reconcile_timer_.cancel();
        canceled.set_value();
      });
      canceled.get_future().wait();
    }
    std::vector<std::shared_ptr<carrier::Carrier>> carriers;
    {
      std::lock_guard lock(mode_mu_);
      carriers = retired_carriers_;
      if (live_carrier_) carriers.push_back(live_carrier_);
      if (demo_carrier_) carriers.push_back(demo_carrier_);
    }
    for (auto& c : carriers) c->shutdown();
    // The ingest writer first: it stores and answers what is queued (new
    // webhooks get 503), and the updates of that last batch go to the pool,
    // which delivers them before its join returns. In the other order they
    // were posted to a joined pool and never delivered.
    stop_ingest();
    workers_.join();
    work_.reset();
    io_.stop();
    for (auto& t : io_threads_) {
      if (t.joinable()) t.join();
    }
  }

  Counters counters() const {
    Counters c;
    c.webhooks_received = webhooks_received_;
    c.webhooks_duplicate = webhooks_duplicate_;
    c.webhooks_rejected = webhooks_rejected_;
    c.carrier_errors = carrier_errors_;
    c.dials = dials_;
    c.reconciled = reconciled_;
    c.webhooks_pending = webhooks_pending_;
    c.ingest_commits = ingest_batches_;
    {
      std::lock_guard lock(mode_mu_);
      c.carriers_retired = retired_carriers_.size();
    }
    return c;
  }

  Storage storage_;
  LogStore logs_;
  NumberStore numbers_;
  ContactStore contacts_;
  SettingsStore settings_store_;
  CallClientOptions opts_;
  std::string recordings_dir_;

  net::io_context io_;
  net::executor_work_guard<net::io_context::executor_type> work_;
  std::size_t worker_count_;  ///< threads of workers_ (at least 2)
  net::thread_pool workers_;
  client::UpdateBus bus_;  ///< the subscribers; delivers on a strand of workers_
  net::steady_timer reconcile_timer_;
  std::vector<std::thread> io_threads_;

  mutable std::mutex mode_mu_;
  Settings settings_;
  bool demo_ = true;
  std::shared_ptr<carrier::Carrier> demo_carrier_;
  std::shared_ptr<carrier::Carrier> live_carrier_;
  std::string live_key_, live_base_;
  std::vector<std::shared_ptr<carrier::Carrier>> retired_carriers_;

  mutable std::mutex live_mu_;
  std::map<std::string, LiveEntry> live_;
  std::array<std::mutex, kStripes> stripes_;

  std::mutex changed_mu_;
  std::condition_variable changed_cv_;
  std::uint64_t change_seq_ = 0;

  // The group commit of webhook ingest (ingest_async → ingest_writer).
  std::mutex ingest_mu_;
  std::condition_variable ingest_cv_;
  std::deque<std::unique_ptr<PendingIngest>> ingest_queue_;
  bool ingest_writer_idle_ = false;  // the writer sleeps on ingest_cv_
  bool ingest_stopped_ = false;      // close(): new webhooks are refused, the queue drains
  std::thread ingest_thread_;
  std::atomic<std::uint64_t> webhooks_pending_{0}, ingest_batches_{0};

  std::atomic<bool> closed_{false};
  std::atomic<std::uint64_t> webhooks_received_{0}, webhooks_duplicate_{0}, webhooks_rejected_{0}, carrier_errors_{0},
      dials_{0}, reconciled_{0};
};

thread_local const CallClient::Impl* CallClient::Impl::ingest_writer_of_this_thread = nullptr;

// ---- CallClient ------------------------------------------------------------------------

CallClient::CallClient(Storage storage, CallClientOptions options)
    : impl_(std::make_shared<Impl>(std::move(storage), std::move(options))) {
  try {
    impl_->start();
  } catch (...) {
    impl_->close();
    throw;
  }
}

CallClient::~CallClient() { close(); }

Call CallClient::dial(std::string_view to, std::string_view from, const DialOptions& options) {
  return impl_->dial(to, from, options);
}
Call CallClient::hangup(std::string_view call_id) { return impl_->hangup(call_id); }
Call CallClient::send_dtmf(std::string_view call_id, std::string_view digits) { return impl_->send_dtmf(call_id, digits); }
Call CallClient::start_recording(std::string_view call_id) { return impl_->set_recording(call_id, true); }
Call CallClient::stop_recording(std::string_view call_id) { return impl_->set_recording(call_id, false); }
Recording CallClient::refresh_recording(std::string_view recording_id) { return impl_->refresh_recording(recording_id); }
Call CallClient::transfer(std::string_view call_id, std::string_view to) { return impl_->transfer(call_id, to); }
Call CallClient::set_muted(std::string_view call_id, bool muted) { return impl_->set_muted(call_id, muted); }
Call CallClient::set_on_hold(std::string_view call_id, bool on_hold) { return impl_->set_on_hold(call_id, on_hold); }
Call CallClient::get(std::string_view call_id) const { return impl_->get(call_id); }
std::vector<Call> CallClient::active() const { return impl_->active(); }
Stats CallClient::stats() const { return impl_->stats(); }
std::uint64_t CallClient::subscribe(std::function<void(const CallUpdate&)> callback) {
  return impl_->bus_.subscribe(std::move(callback));
}
void CallClient::unsubscribe(std::uint64_t id) { impl_->bus_.unsubscribe(id); }
IngestResult CallClient::ingest_webhook(std::string_view raw_body,
                                        const std::vector<std::pair<std::string, std::string>>& headers) {
  return impl_->ingest(raw_body, headers);
}
void CallClient::ingest_webhook_async(std::string_view raw_body,
                                      const std::vector<std::pair<std::string, std::string>>& headers,
                                      std::function<void(IngestResult)> done) {
  if (!done) throw Error(errc::invalid_argument, "ingest_webhook_async needs a completion callback");
  impl_->ingest_async(raw_body, headers, std::move(done));
}
void CallClient::reload_settings() { impl_->apply_settings(impl_->settings_store_.get()); }
bool CallClient::demo() const { return impl_->demo(); }
std::string_view CallClient::mode() const { return impl_->demo() ? "demo" : "live"; }
Settings CallClient::settings() const { return impl_->settings(); }
Storage& CallClient::storage() { return impl_->storage_; }
std::string CallClient::recordings_dir() const { return impl_->recordings_dir_; }
void CallClient::reconcile_now() { impl_->reconcile(); }
CallClient::Counters CallClient::counters() const { return impl_->counters(); }
void CallClient::close() {
  if (impl_) impl_->close();
}

}  // namespace callwire
