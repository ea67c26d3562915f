// CallClient: the facade over the client's parts (docs/architecture.md,
// "The client layer"). Each part holds one concern:
//
//  * CarrierSelector  (carrier_selector.hpp) the settings in force, demo or
//                     live, the carrier of each call;
//  * Dialer           (dialer.hpp) dial and the carrier's answer to it;
//  * CallControls     (call_controls.hpp) hangup, DTMF, recording (and its
//                     pause), transfer, mute, hold, speech, playback,
//                     recording URLs;
//  * signature policy (signature_policy.hpp) which webhooks must be signed;
//  * IngestPipeline   (ingest_pipeline.hpp) parse, queue, group commit, ack;
//  * CallTracker      (call_tracker.hpp) fold, store, publish, under the
//                     call's stripe lock; the live-call list (live_calls.hpp);
//  * UpdateBus        (update_bus.hpp) the subscribers;
//  * Reconciler       (reconciler.hpp) calls gone quiet.
//
// This file owns the threads and the order of start and close:
//  * io_             carrier I/O and timers (io_threads); nothing blocks here;
//  * the ingest writer thread (IngestPipeline);
//  * workers_        storage work the carrier triggers (dial results,
//                    reconciliation) and subscriber callbacks (on the
//                    UpdateBus's strand).
#include "callwire/call_client.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

#include "callwire/call_state.hpp"
#include "callwire/contact_store.hpp"
#include "callwire/error.hpp"
#include "callwire/log_store.hpp"
#include "callwire/number_store.hpp"
#include "callwire/settings_store.hpp"
#include "callwire/user_store.hpp"
#include "carrier/demo_carrier.hpp"
#include "client/call_controls.hpp"
#include "client/call_tracker.hpp"
#include "client/carrier_selector.hpp"
#include "client/client_counters.hpp"
#include "client/dialer.hpp"
#include "client/ingest_pipeline.hpp"
#include "client/pending_hangups.hpp"
#include "client/reconciler.hpp"
#include "client/signature_policy.hpp"
#include "client/update_bus.hpp"
#include "core/media.hpp"
#include "support/log.hpp"
#include "support/thread_name.hpp"
#include "telnyx/telnyx_carrier.hpp"

namespace callwire {

namespace net = boost::asio;

namespace {

TimePoint system_now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

CallClientOptions checked(CallClientOptions o) {
  if (o.demo_speed <= 0) throw Error(errc::invalid_argument, "demo_speed must be positive");
  if (o.reconcile_interval.count() <= 0) throw Error(errc::invalid_argument, "reconcile_interval must be positive");
  if (o.stale_after <= o.ring_timeout) {
    throw Error(errc::invalid_argument, "stale_after must be longer than ring_timeout, or ringing calls are checked before they can ring out");
  }
  if (o.live_poll_after.count() <= 0 || o.live_poll_after > std::chrono::seconds(540)) {
    throw Error(errc::invalid_argument,
                "live_poll_after must be between 1 and 540 seconds: Telnyx reports a call's end for 10 minutes only");
  }
  if (!o.recording_channels.empty()) {
    if (auto problem = recording_channels_problem(o.recording_channels); !problem.empty()) {
      throw Error(errc::invalid_argument, problem);
    }
  }
  if (!o.clock) o.clock = system_now;
  return o;
}

}  // namespace

class CallClient::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(Storage storage, CallClientOptions options)
      : storage_(std::move(storage)),
        logs_(storage_),
        numbers_(storage_),
        contacts_(storage_),
        users_(storage_),
        settings_store_(storage_),
        opts_(checked(std::move(options))),
        recordings_dir_(choose_recordings_dir()),
        work_(net::make_work_guard(io_)),
        worker_count_(std::max(2u, opts_.worker_threads)),
        workers_(worker_count_),
        bus_(workers_.get_executor()),
        tracker_(logs_, bus_, opts_.clock, [this](const Call& c, const Call& before) { on_commit(c, before); }),
        ingest_(logs_, tracker_, counters_, opts_.ingest_batch_max) {}

  // The parts that hold the client weakly are made here, where
  // weak_from_this() works.
  void start() {
    ingest_.start();
    for (unsigned i = 0; i < std::max(1u, opts_.io_threads); ++i) {
      io_threads_.emplace_back([this, i] {
        support::set_current_thread_name("cw-io-" + std::to_string(i));
        io_.run();
      });
    }
    name_worker_threads();
    const std::weak_ptr<const void> lifetime = weak_from_this();
    carriers_ = std::make_unique<client::CarrierSelector>(opts_, make_demo_carrier(),
                                                          [this](const Settings& s) { return make_live_carrier(s); });
    dialer_ = std::make_unique<client::Dialer>(workers_, logs_, numbers_, contacts_, users_, tracker_, *carriers_, counters_,
                                               client::DialTimings{opts_.ring_timeout, opts_.time_limit}, closed_,
                                               lifetime);
    controls_ = std::make_unique<client::CallControls>(logs_, tracker_, *carriers_, counters_, *dialer_, pending_hangups_,
                                                       opts_.hangup_wait);
    reconciler_ = std::make_unique<client::Reconciler>(
        io_, workers_, logs_, tracker_, *carriers_, counters_,
        client::ReconcileTimings{opts_.reconcile_interval, opts_.stale_after, opts_.live_poll_after}, closed_, lifetime);
    try {
      carriers_->apply(settings_store_.get());
    } catch (const Error& e) {
      // Saved settings that do not work (stored before they were validated,
      // or edited by hand) must not keep the client from starting: the
      // options (the environment) and demo mode still do.
      log::print(log::Level::error, "client", "the saved provider settings are invalid and are ignored until fixed (",
                 e.what(), "); using the options", opts_.api_key.empty() ? " (demo mode)" : "");
      carriers_->apply(Settings{});
    }
    tracker_.load_live();
    reconciler_->end_orphaned_demo_calls();
    reconciler_->start();
  }

  void check_open() const {
    if (closed_) throw Error(errc::closed, "the call client is closed");
  }

  // ---- webhooks ------------------------------------------------------------------

  IngestResult ingest(std::string_view body, const std::vector<std::pair<std::string, std::string>>& headers) {
    if (ingest_.on_writer_thread()) {
      throw Error(errc::internal, "ingest_webhook called from an ingest_webhook_async callback: it would deadlock");
    }
    struct Waiter {
      std::mutex mu;
      std::condition_variable cv;
      bool done = false;
      IngestResult result;
    } w;
    ingest_async(body, headers, [&w](IngestResult r) {
      std::lock_guard lock(w.mu);  // notified under the lock: w outlives this callback
      w.result = std::move(r);
      w.done = true;
      w.cv.notify_one();
    });
    std::unique_lock lock(w.mu);
    w.cv.wait(lock, [&] { return w.done; });
    return std::move(w.result);
  }

  // Checks the signature (when the policy asks for one) on the calling
  // thread; a refused webhook is answered at once, here.
  void ingest_async(std::string_view body, const std::vector<std::pair<std::string, std::string>>& header_list,
                    client::IngestPipeline::Done done) {
    ++counters_.webhooks_received;
    telnyx::Headers headers;
    for (const auto& [k, v] : header_list) headers.set(k, v);
    const auto now_unix = std::chrono::duration_cast<std::chrono::seconds>(tracker_.now().time_since_epoch()).count();
    const client::SignaturePolicy policy{opts_.insecure_webhooks, opts_.signature_tolerance_seconds};
    if (auto refused = client::check_signature(policy, carriers_->settings(), headers, body, now_unix)) {
      ++counters_.webhooks_rejected;
      done(std::move(*refused));
      return;
    }
    ingest_.submit(body, std::move(done));
  }

  // ---- close -------------------------------------------------------------------------

  void close() {
    if (closed_.exchange(true)) return;
    tracker_.close();
    if (reconciler_) {
      if (io_threads_.empty()) {
        reconciler_->cancel();
      } else {
        std::promise<void> canceled;
        net::post(io_, [this, &canceled] {
          reconciler_->cancel();
          canceled.set_value();
        });
        canceled.get_future().wait();
      }
    }
    if (carriers_) {
      for (auto& c : carriers_->all()) c->shutdown();
    }
    // The ingest writer first: it stores and answers what is queued (new
    // webhooks get "closed"), and the updates of that last batch go to the
    // pool, which delivers them before its join returns. In the other order
    // they were posted to a joined pool and never delivered.
    ingest_.stop();
    workers_.join();
    work_.reset();
    io_.stop();
    for (auto& t : io_threads_) {
      if (t.joinable()) t.join();
    }
  }

  Counters counters() const {
    Counters c;
    c.webhooks_received = counters_.webhooks_received;
    c.webhooks_duplicate = counters_.webhooks_duplicate;
    c.webhooks_rejected = counters_.webhooks_rejected;
    c.carrier_errors = counters_.carrier_errors;
    c.dials = counters_.dials;
    c.reconciled = counters_.reconciled;
    c.webhooks_pending = counters_.webhooks_pending;
    c.ingest_commits = counters_.ingest_commits;
    c.carriers_retired = carriers_ ? carriers_->retired() : 0;
    return c;
  }

 private:
  friend class CallClient;

  // After every committed change of a call, under its stripe lock (must not
  // block): the carrier hears of the end of a call it knows; a hangup
  // requested while the call had no call_control_id goes out once it has
  // one (on a worker: the carrier call is asynchronous, but not ours to
  // make under the lock).
  void on_commit(const Call& c, const Call& before) {
    if (!carriers_) return;
    const bool ended = is_terminal(c.status);
    if (ended && !is_terminal(before.status) && !c.call_control_id.empty()) {
      if (auto carrier = carriers_->carrier_for(c)) carrier->call_ended(c.call_control_id);
    }
    if (ended) {
      pending_hangups_.take(c.call_id);
    } else if (before.call_control_id.empty() && !c.call_control_id.empty() && pending_hangups_.take(c.call_id)) {
      net::post(workers_, [weak = weak_from_this(), c] {
        if (auto self = weak.lock()) self->controls_->send_pending_hangup(c);
      });
    }
  }

  std::shared_ptr<carrier::Carrier> make_live_carrier(const Settings& s) {
    telnyx::TelnyxOptions t;
    t.api_key = s.api_key;
    t.api_base = s.api_base;
    t.ca_file = opts_.ca_file;
    t.pacing.enabled = opts_.dials_per_second > 0;
    if (opts_.dials_per_second > 0) t.pacing.dials_per_second = opts_.dials_per_second;
    t.pacing.max_concurrent_calls = opts_.max_concurrent_calls;
    return std::make_shared<telnyx::TelnyxCarrier>(io_.get_executor(), std::move(t));
  }

  std::shared_ptr<carrier::Carrier> make_demo_carrier() {
    carrier::DemoOptions d;
    d.speed = opts_.demo_speed;
    d.recordings_dir = recordings_dir_;
    d.recording_url_base = opts_.recordings_url_base;
    return carrier::DemoCarrier::create(
        io_.get_executor(),
        [weak = weak_from_this()](std::string body) {
          auto self = weak.lock();
          if (!self || self->closed_) return;
          // Parsed here (a few µs, nothing blocks), stored by the ingest
          // writer in its next batch: no worker waits for the commit.
          self->ingest_.submit(body, [](IngestResult r) {
            if (!r) log::write(log::Level::error, "client", "a demo webhook was not stored: " + r.message);
          });
        },
        d);
  }

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

  Storage storage_;
  LogStore logs_;
  NumberStore numbers_;
  ContactStore contacts_;
  UserStore users_;
  SettingsStore settings_store_;
  const CallClientOptions opts_;
  const std::string recordings_dir_;

  net::io_context io_;
  net::executor_work_guard<net::io_context::executor_type> work_;
  std::size_t worker_count_;  ///< threads of workers_ (at least 2)
  net::thread_pool workers_;
  std::vector<std::thread> io_threads_;

  std::atomic<bool> closed_{false};
  client::ClientCounters counters_;
  client::UpdateBus bus_;
  client::PendingHangups pending_hangups_;
  client::CallTracker tracker_;
  client::IngestPipeline ingest_;
  // Made in start() (they hold the client weakly, or need its carriers).
  std::unique_ptr<client::CarrierSelector> carriers_;
  std::unique_ptr<client::Dialer> dialer_;
  std::unique_ptr<client::CallControls> controls_;
  std::unique_ptr<client::Reconciler> reconciler_;
};

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
  impl_->check_open();
  return impl_->dialer_->dial(to, from, options);
}
Call CallClient::hangup(std::string_view call_id) {
  impl_->check_open();
  return impl_->controls_->hangup(call_id);
}
Call CallClient::send_dtmf(std::string_view call_id, std::string_view digits) {
  impl_->check_open();
  return impl_->controls_->send_dtmf(call_id, digits);
}
Call CallClient::start_recording(std::string_view call_id) {
  impl_->check_open();
  return impl_->controls_->set_recording(call_id, true);
}
Call CallClient::stop_recording(std::string_view call_id) {
  impl_->check_open();
  return impl_->controls_->set_recording(call_id, false);
}
Recording CallClient::refresh_recording(std::string_view recording_id) {
  impl_->check_open();
  return impl_->controls_->refresh_recording(recording_id);
}
void CallClient::remove_recording(std::string_view recording_id) {
  impl_->check_open();
  const Recording r = impl_->controls_->remove_recording(recording_id);
  // A demo recording's audio lives in the recordings folder: it goes too.
  std::error_code ec;
  std::filesystem::remove(std::filesystem::path(impl_->recordings_dir_) / (r.id + ".wav"), ec);
}
Call CallClient::transfer(std::string_view call_id, std::string_view to) {
  impl_->check_open();
  return impl_->controls_->transfer(call_id, to);
}
Call CallClient::set_muted(std::string_view call_id, bool muted) {
  impl_->check_open();
  return impl_->controls_->set_muted(call_id, muted);
}
Call CallClient::set_on_hold(std::string_view call_id, bool on_hold) {
  impl_->check_open();
  return impl_->controls_->set_on_hold(call_id, on_hold);
}
Call CallClient::pause_recording(std::string_view call_id) {
  impl_->check_open();
  return impl_->controls_->set_recording_paused(call_id, true);
}
Call CallClient::resume_recording(std::string_view call_id) {
  impl_->check_open();
  return impl_->controls_->set_recording_paused(call_id, false);
}
Call CallClient::speak(std::string_view call_id, std::string_view text, const SpeakOptions& options) {
  impl_->check_open();
  return impl_->controls_->speak(call_id, Speech{std::string(text), options.voice, options.language, options.payload_type, {}});
}
Call CallClient::start_playback(std::string_view call_id, std::string_view audio_url) {
  impl_->check_open();
  return impl_->controls_->start_playback(call_id, audio_url);
}
Call CallClient::stop_playback(std::string_view call_id) {
  impl_->check_open();
  return impl_->controls_->stop_playback(call_id);
}
Call CallClient::get_call(std::string_view call_id) const { return impl_->logs_.get(call_id); }
std::vector<Call> CallClient::active_calls() const { return impl_->tracker_.live().calls(); }
Stats CallClient::stats() const { return impl_->logs_.stats(); }
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
void CallClient::reload_settings() { impl_->carriers_->apply(impl_->settings_store_.get()); }
bool CallClient::demo() const { return impl_->carriers_->demo(); }
std::string_view CallClient::mode() const { return demo() ? "demo" : "live"; }
Settings CallClient::settings() const { return impl_->carriers_->settings(); }
Storage& CallClient::storage() { return impl_->storage_; }
std::string CallClient::recordings_dir() const { return impl_->recordings_dir_; }
void CallClient::reconcile_now() { impl_->reconciler_->run_once(); }
CallClient::Counters CallClient::counters() const { return impl_->counters(); }
void CallClient::close() {
  if (impl_) impl_->close();
}

}  // namespace callwire
