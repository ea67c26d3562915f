// callwire — TelnyxCarrier (see telnyx_carrier.hpp and docs/telnyx.md).
#include "telnyx/telnyx_carrier.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <deque>
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "callwire/phone.hpp"
#include "core/base64.hpp"
#include "core/dtmf.hpp"
#include "core/media.hpp"
#include "core/uuid.hpp"
#include "json/telnyx_api.hpp"
#include "telnyx/token_bucket.hpp"

namespace callwire::telnyx {

namespace net = boost::asio;
namespace http = boost::beast::http;
namespace api = callwire::json::telnyx_api;
using carrier::ActiveCall;
using carrier::DialPhase;
using carrier::ActionRequest;
using carrier::CallStatusResult;
using carrier::CarrierError;
using carrier::CarrierResult;
using carrier::DialRequest;
using carrier::DialResult;
using carrier::Handler;
using carrier::RecordingResult;
using carrier::Unit;
using steady = std::chrono::steady_clock;

namespace {

/// Telnyx's "call has already ended": a hangup that gets it has succeeded.
constexpr const char* kCallAlreadyEnded = "90018";

/// Percent-encodes one path segment (unreserved characters and ':' stay).
std::string path_segment(std::string_view s) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~' || c == ':') {
      out += ch;
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 0xf];
    }
  }
  return out;
}

bool is_http_url(std::string_view s) {
  return s.rfind("https://", 0) == 0 || s.rfind("http://", 0) == 0;
}

bool has_line_break(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

CarrierError invalid(std::string message) {
  CarrierError e;
  e.code = errc::invalid_argument;
  e.message = std::move(message);
  return e;
}

CarrierError closed_error() {
  CarrierError e;
  e.code = errc::closed;
  e.message = "the Telnyx carrier is shut down";
  return e;
}

/// Printable, single-line, at most 200 bytes: for error text from a body that
/// is not a Telnyx error object.
std::string snippet(std::string_view body) {
  std::string out;
  for (char c : body.substr(0, 200)) out += (c == '\r' || c == '\n' || c == '\t') ? ' ' : c;
  if (body.size() > 200) out += "…";
  return out;
}

/// Turns a failed HttpOutcome (transport error or non-2xx answer) into a
/// CarrierError that keeps Telnyx's error object whole.
CarrierError to_carrier_error(const HttpOutcome& o, const std::string& what) {
  CarrierError e;
  const std::string after = o.attempts > 1 ? " (after " + std::to_string(o.attempts) + " attempts)" : "";
  if (o.code != errc::ok) {
    e.code = o.code;
    e.message = "Telnyx " + what + ": " + o.message + after;
    return e;
  }
  const HttpResponse& r = *o.response;
  e.http_status = r.status;
  e.code = r.status == 429 ? errc::rate_limited : r.status >= 500 ? errc::unavailable : errc::carrier;
  auto errors = api::parse_errors(r.body);
  std::string text = "Telnyx " + what + ": HTTP " + std::to_string(r.status);
  if (!errors.empty()) {
    const auto& first = errors.front();
    e.telnyx_code = first.code;
    e.title = first.title;
    e.detail = first.detail;
    e.source_pointer = first.source_pointer;
    if (!e.telnyx_code.empty()) text += " " + e.telnyx_code;
    if (!e.title.empty()) text += " " + e.title;
    if (!e.detail.empty()) text += ": " + e.detail;
    if (!e.source_pointer.empty()) text += " (" + e.source_pointer + ")";
  } else if (!r.body.empty()) {
    e.detail = snippet(r.body);
    text += ": " + e.detail;
  }
  e.message = text + after;
  return e;
}

CarrierError malformed_answer(const std::string& what, const std::string& why, int status) {
  CarrierError e;
  e.code = errc::carrier;
  e.http_status = status;
  e.detail = why;
  e.message = "Telnyx " + what + ": malformed answer: " + why;
  return e;
}

bool is_success(const HttpOutcome& o) {
  return o.code == errc::ok && o.response && o.response->status >= 200 && o.response->status < 300;
}

}  // namespace

std::string make_command_id() { return new_uuid_v4(); }

// ---------------------------------------------------------------------------

class TelnyxCarrier::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(net::any_io_executor ex, TelnyxOptions options)
      : strand_(net::make_strand(ex)), opts_(std::move(options)), pace_timer_(strand_) {
    if (opts_.api_key.empty()) throw Error(errc::invalid_argument, "Telnyx API key is empty");
    if (has_line_break(opts_.api_key)) throw Error(errc::invalid_argument, "Telnyx API key contains a line break");
    base_ = BaseUrl::parse(opts_.api_base);
    if (!base_.tls && !base_.is_loopback() && !opts_.allow_insecure_http) {
      throw Error(errc::invalid_argument, "Telnyx API base URL '" + opts_.api_base +
                                              "': plain http is allowed only to a loopback address; use https");
    }
    if (opts_.pacing.enabled) {
      bucket_.emplace(opts_.pacing.dials_per_second, opts_.pacing.burst, steady::now());
    }
    HttpClientOptions h;
    h.base = base_;
    h.timeouts = opts_.timeouts;
    h.retry = opts_.retry;
    h.tls.ca_file = opts_.ca_file;
    h.tls.use_system_store = opts_.use_system_ca;
    h.max_connections = opts_.max_connections;
    h.user_agent = opts_.user_agent;
    h.on_retry = opts_.on_retry;
    http_ = HttpClient::create(ex, std::move(h));
  }

  const TelnyxOptions& options() const noexcept { return opts_; }

  TelnyxStats stats() const {
    TelnyxStats s;
    s.http = http_->stats();
    s.queued_dials = queued_gauge_.load();
    s.active_calls = active_gauge_.load();
    s.dials_refused = refused_.load();
    s.dials_requeued_rate_limited = rate_limited_requeues_.load();
    return s;
  }

  // --- dial and pacing -----------------------------------------------------

  void dial(DialRequest req, Handler<DialResult> done) {
    net::post(strand_, [self = shared_from_this(), req = std::move(req), done = std::move(done)]() mutable {
      self->admit(std::move(req), std::move(done));
    });
  }

  void call_ended(std::string call_control_id) {
    net::post(strand_, [self = shared_from_this(), id = std::move(call_control_id)] {
      if (self->forget_call(id)) self->pump();
    });
  }

  // --- generic request -----------------------------------------------------

  /// Sends one request; `k` runs on the carrier's strand with the outcome.
  void request(http::verb method, std::string target, std::string body, std::function<void(HttpOutcome)> k) {
    HttpRequest r;
    r.method = method;
    r.target = std::move(target);
    r.body = std::move(body);
    r.headers.emplace_back("Authorization", "Bearer " + opts_.api_key);
    r.headers.emplace_back("Accept", "application/json");
    if (!r.body.empty()) r.headers.emplace_back("Content-Type", "application/json");
    http_->async_request(std::move(r), [self = shared_from_this(), k = std::move(k)](HttpOutcome o) mutable {
      net::post(self->strand_, [k = std::move(k), o = std::move(o)]() mutable { k(std::move(o)); });
    });
  }

  /// A call action: POST /calls/{id}/actions/{action} with `body` plus the
  /// command_id. `ended_ok` makes 422 90018 a success (hangup).
  void action(const ActionRequest& req, const char* action, api::Value body, Handler<Unit> done,
              bool ended_ok = false) {
    if (req.call_control_id.empty()) {
      return fail(std::move(done), invalid(std::string(action) + ": call_control_id is empty"));
    }
    if (has_line_break(req.command_id)) return fail(std::move(done), invalid(std::string(action) + ": bad command_id"));
    body.set("command_id", req.command_id.empty() ? make_command_id() : req.command_id);
    const std::string what = action;
    const std::string id = req.call_control_id;
    request(http::verb::post, "/calls/" + path_segment(id) + "/actions/" + action, api::encode(body),
            [self = shared_from_this(), what, id, ended_ok, done = std::move(done)](HttpOutcome o) {
              if (is_success(o)) {
                if (ended_ok) self->release_call(id);
                return done(CarrierResult<Unit>::ok(Unit{}));
              }
              if (ended_ok && o.code == errc::ok && o.response->status == 422) {
                for (const auto& e : api::parse_errors(o.response->body)) {
                  if (e.code == kCallAlreadyEnded) {
                    self->release_call(id);
                    return done(CarrierResult<Unit>::ok(Unit{}));
                  }
                }
              }
              done(CarrierResult<Unit>::fail(to_carrier_error(o, what)));
            });
  }

  void call_status(const std::string& id, Handler<CallStatusResult> done) {
    if (id.empty()) return fail(std::move(done), invalid("call status: call_control_id is empty"));
    request(http::verb::get, "/calls/" + path_segment(id), {},
            [self = shared_from_this(), id, done = std::move(done)](HttpOutcome o) {
              const std::string what = "call status";
              if (!is_success(o)) return done(CarrierResult<CallStatusResult>::fail(to_carrier_error(o, what)));
              std::string why;
              auto call = api::parse_call_response(o.response->body, &why);
              if (!call) {
                return done(CarrierResult<CallStatusResult>::fail(malformed_answer(what, why, o.response->status)));
              }
              CallStatusResult r;
              r.is_alive = call->is_alive;
              r.call_duration = call->call_duration;
              r.state = call->state;
              if (!r.is_alive) self->release_call(id);
              done(CarrierResult<CallStatusResult>::ok(std::move(r)));
            });
  }

  void recording(const std::string& id, Handler<RecordingResult> done) {
    if (id.empty()) return fail(std::move(done), invalid("recording: recording id is empty"));
    request(http::verb::get, "/recordings/" + path_segment(id), {}, [id, done = std::move(done)](HttpOutcome o) {
      const std::string what = "recording";
      if (!is_success(o)) return done(CarrierResult<RecordingResult>::fail(to_carrier_error(o, what)));
      std::string why;
      auto rec = api::parse_recording_response(o.response->body, &why);
      if (!rec) return done(CarrierResult<RecordingResult>::fail(malformed_answer(what, why, o.response->status)));
      RecordingResult r;
      r.id = rec->id;
      if (!rec->mp3_url.empty()) {
        r.url = rec->mp3_url;
        r.format = "mp3";
      } else if (!rec->wav_url.empty()) {
        r.url = rec->wav_url;
        r.format = "wav";
      } else {
        return done(CarrierResult<RecordingResult>::fail(
            malformed_answer(what, "recording " + id + " has no download URL", o.response->status)));
      }
      r.duration_secs = (rec->duration_millis + 500) / 1000;
      done(CarrierResult<RecordingResult>::ok(std::move(r)));
    });
  }

  // DELETE answers 200 with the recording as it was (RecordingResponse);
  // only the status matters. A DELETE is idempotent, so the HTTP client's
  // retries of a 5xx or a lost answer are safe.
  void delete_recording(const std::string& id, Handler<Unit> done) {
    if (id.empty()) return fail(std::move(done), invalid("delete recording: recording id is empty"));
    request(http::verb::delete_, "/recordings/" + path_segment(id), {}, [done = std::move(done)](HttpOutcome o) {
      if (!is_success(o)) return done(CarrierResult<Unit>::fail(to_carrier_error(o, "delete recording")));
      done(CarrierResult<Unit>::ok(Unit{}));
    });
  }

  void active_calls(const std::string& connection_id, Handler<std::vector<ActiveCall>> done) {
    if (connection_id.empty()) return fail(std::move(done), invalid("active calls: connection_id is empty"));
    auto all = std::make_shared<std::vector<ActiveCall>>();
    net::post(strand_, [self = shared_from_this(), connection_id, all, done = std::move(done)]() mutable {
      self->active_calls_page(connection_id, "", 0, std::move(all), std::move(done));
    });
  }

  void dial_phase(const std::string& call_id, Handler<DialPhase> done, bool withdraw) {
    net::post(strand_, [self = shared_from_this(), call_id, withdraw, done = std::move(done)] {
      for (auto it = self->queue_.begin(); it != self->queue_.end(); ++it) {
        if (it->req.call_id != call_id) continue;
        if (withdraw) {
          PendingDial d = std::move(*it);
          self->queue_.erase(it);
          self->update_gauges();
          CarrierError e;
          e.code = errc::conflict;
          e.message = "the dial was canceled before it was sent";
          d.done(CarrierResult<DialResult>::fail(std::move(e)));
        }
        return done(CarrierResult<DialPhase>::ok(DialPhase::queued));
      }
      const bool sent = self->in_flight_ids_.count(call_id) > 0;
      done(CarrierResult<DialPhase>::ok(sent ? DialPhase::in_flight : DialPhase::none));
    });
  }

  void shutdown() {
    net::post(strand_, [self = shared_from_this()] {
      if (self->closed_) return;
      self->closed_ = true;
      self->pace_timer_.cancel();
      auto queued = std::move(self->queue_);
      self->queue_.clear();
      self->queued_gauge_ = 0;
      for (auto& d : queued) d.done(CarrierResult<DialResult>::fail(closed_error()));
      self->http_->shutdown();
    });
  }

  /// Calls `done` with `e` on the strand (never inline).
  template <class T>
  void fail(Handler<T> done, CarrierError e) {
    net::post(strand_, [done = std::move(done), e = std::move(e)]() mutable {
      done(CarrierResult<T>::fail(std::move(e)));
    });
  }

  net::strand<net::any_io_executor>& strand() { return strand_; }

 private:
  struct PendingDial {
    DialRequest req;
    Handler<DialResult> done;
    int rate_limited = 0;                     ///< times Telnyx refused it for its rate limit
    steady::time_point first_rate_limited{};  ///< when it was first
  };

  std::size_t active() const { return in_flight_dials_ + live_calls_.size(); }

  static constexpr int kActiveCallsPageSize = 250;
  static constexpr int kActiveCallsMaxPages = 40;

  void active_calls_page(std::string connection_id, std::string after, int page,
                         std::shared_ptr<std::vector<ActiveCall>> all, Handler<std::vector<ActiveCall>> done) {
    std::string target = "/connections/" + path_segment(connection_id) +
                         "/active_calls?page%5Blimit%5D=" + std::to_string(kActiveCallsPageSize);
    if (!after.empty()) target += "&page%5Bafter%5D=" + path_segment(after);
    request(http::verb::get, std::move(target), {},
            [self = shared_from_this(), connection_id, page, all, done = std::move(done)](HttpOutcome o) mutable {
              const std::string what = "active calls";
              if (!is_success(o)) return done(CarrierResult<std::vector<ActiveCall>>::fail(to_carrier_error(o, what)));
              std::string why;
              auto parsed = api::parse_active_calls_response(o.response->body, &why);
              if (!parsed) {
                return done(CarrierResult<std::vector<ActiveCall>>::fail(malformed_answer(what, why, o.response->status)));
              }
              for (auto& c : parsed->calls) {
                all->push_back(ActiveCall{std::move(c.call_control_id), std::move(c.call_leg_id),
                                          std::move(c.call_session_id), std::move(c.client_state), c.call_duration});
              }
              if (parsed->after.empty() || parsed->calls.empty() || page + 1 >= kActiveCallsMaxPages) {
                return done(CarrierResult<std::vector<ActiveCall>>::ok(std::move(*all)));
              }
              self->active_calls_page(connection_id, parsed->after, page + 1, all, std::move(done));
            });
  }

  void update_gauges() {
    queued_gauge_ = queue_.size();
    active_gauge_ = active();
  }

  std::optional<std::string> validate(DialRequest& req) const {
    if (req.call_id.empty()) return "dial: call_id is empty";
    if (!is_e164(req.to)) return "dial: to '" + req.to + "' is not an E.164 number";
    if (!is_e164(req.from)) return "dial: from '" + req.from + "' is not an E.164 number";
    if (req.connection_id.empty()) return "dial: connection_id is empty (set TELNYX_CONNECTION_ID)";
    if (req.timeout_secs < 5 || req.timeout_secs > 600) return "dial: timeout_secs must be within 5..600";
    if (req.time_limit_secs < 30 || req.time_limit_secs > 14400) return "dial: time_limit_secs must be within 30..14400";
    if (!req.webhook_url.empty() && !is_http_url(req.webhook_url)) return "dial: webhook_url must be an http(s) URL";
    if (has_line_break(req.command_id)) return "dial: bad command_id";
    if (auto problem = amd_problem(req.answering_machine_detection, req.answering_machine_detection_config);
        !problem.empty()) {
      return "dial: " + problem;
    }
    return std::nullopt;
  }

  void admit(DialRequest req, Handler<DialResult> done) {
    if (closed_) return fail(std::move(done), closed_error());
    if (auto why = validate(req)) return fail(std::move(done), invalid(*why));
    if (req.command_id.empty()) req.command_id = make_command_id();
    const std::size_t cap = opts_.pacing.max_concurrent_calls;
    prune_expired();
    if (cap > 0 && opts_.pacing.when_full == PacingOptions::WhenFull::refuse && active() + queue_.size() >= cap) {
      ++refused_;
      CarrierError e;
      e.code = errc::rate_limited;
      e.message = "dial refused: " + std::to_string(cap) + " concurrent calls already in progress (the configured maximum)";
      return fail(std::move(done), std::move(e));
    }
    if (queue_.size() >= opts_.pacing.max_queued) {
      ++refused_;
      CarrierError e;
      e.code = errc::rate_limited;
      e.message = "dial refused: " + std::to_string(queue_.size()) + " dials already waiting for pacing (the configured maximum)";
      return fail(std::move(done), std::move(e));
    }
    queue_.push_back(PendingDial{std::move(req), std::move(done)});
    pump();
  }

  /// Starts as many queued dials as pacing allows, in FIFO order.
  void pump() {
    if (closed_) return;
    prune_expired();
    const std::size_t cap = opts_.pacing.max_concurrent_calls;
    while (!queue_.empty()) {
      if (cap > 0 && active() >= cap) break;  // wait for a call to end
      if (const auto now = steady::now(); now < held_until_) {  // Telnyx said: too many dials
        arm_pace_timer(held_until_ - now);
        break;
      }
      if (bucket_) {
        const auto now = steady::now();
        if (!bucket_->try_take(now)) {
          arm_pace_timer(bucket_->time_until_token(now));
          break;
        }
      }
      PendingDial d = std::move(queue_.front());
      queue_.pop_front();
      start_dial(std::move(d));
    }
    update_gauges();
  }

  void arm_pace_timer(steady::duration wait) {
    if (pace_timer_armed_) return;
    pace_timer_armed_ = true;
    pace_timer_.expires_after(wait);
    pace_timer_.async_wait([self = shared_from_this()](boost::system::error_code) {
      self->pace_timer_armed_ = false;
      self->pump();
    });
  }

  /// Counts a call against the cap until `until` (replacing an earlier entry for the same id).
  void track_call(const std::string& id, steady::time_point until) {
    forget_call(id);
    live_calls_.emplace(id, expiries_.emplace(until, id));
  }

  /// Stops counting a call; false when it was not counted.
  bool forget_call(const std::string& id) {
    const auto it = live_calls_.find(id);
    if (it == live_calls_.end()) return false;
    expiries_.erase(it->second);
    live_calls_.erase(it);
    return true;
  }

  /// Forgets the calls whose time is up: O(expired calls), not O(live calls),
  /// since it runs on every dial.
  void prune_expired() {
    const auto now = steady::now();
    while (!expiries_.empty() && expiries_.begin()->first <= now) {
      live_calls_.erase(expiries_.begin()->second);
      expiries_.erase(expiries_.begin());
    }
  }

  void release_call(const std::string& id) {
    if (forget_call(id)) pump();
  }

  void start_dial(PendingDial d) {
    ++in_flight_dials_;
    in_flight_ids_.insert(d.req.call_id);
    const DialRequest& r = d.req;
    api::Value body = api::Value::object();
    body.set("to", r.to);
    body.set("from", r.from);
    body.set("connection_id", r.connection_id);
    body.set("command_id", r.command_id);
    body.set("client_state", base64::encode(r.call_id));
    body.set("timeout_secs", r.timeout_secs);
    body.set("time_limit_secs", r.time_limit_secs);
    if (!r.webhook_url.empty()) body.set("webhook_url", r.webhook_url);
    if (r.record) {
      body.set("record", "record-from-answer");
      if (!r.record_channels.empty()) body.set("record_channels", r.record_channels);
    }
    if (r.answering_machine_detection != AmdMode::disabled) {
      body.set("answering_machine_detection", to_string(r.answering_machine_detection));
    }
    if (!r.answering_machine_detection_config.empty()) {
      api::Value config = api::Value::object();
      for (const auto& f : amd_config_fields()) {
        if (const auto& v = r.answering_machine_detection_config.*f.value) config.set(std::string(f.name), *v);
      }
      body.set("answering_machine_detection_config", std::move(config));
    }
    // A call can live at most ring time + time limit; a margin covers clock
    // differences. After that it no longer counts against the cap.
    const auto expiry = std::chrono::seconds(r.timeout_secs + r.time_limit_secs + 60);
    HttpRequest http_req = dial_request(api::encode(body));
    http_->async_request(std::move(http_req), [self = shared_from_this(), expiry, d = std::move(d)](HttpOutcome o) mutable {
      net::post(self->strand_, [self, expiry, d = std::move(d), o = std::move(o)]() mutable {
              --self->in_flight_dials_;
              self->in_flight_ids_.erase(d.req.call_id);
              const std::string what = "dial";
              if (!is_success(o) && self->requeue_rate_limited(d, o)) return self->pump();
              auto& done = d.done;
              if (!is_success(o)) {
                done(CarrierResult<DialResult>::fail(to_carrier_error(o, what)));
                return self->pump();
              }
              std::string why;
              auto call = api::parse_call_response(o.response->body, &why);
              if (!call) {
                done(CarrierResult<DialResult>::fail(malformed_answer(what, why, o.response->status)));
                return self->pump();
              }
              if (!self->closed_) self->track_call(call->call_control_id, steady::now() + expiry);
              self->update_gauges();
              DialResult res;
              res.call_control_id = call->call_control_id;
              res.call_leg_id = call->call_leg_id;
              res.call_session_id = call->call_session_id;
              done(CarrierResult<DialResult>::ok(std::move(res)));
      });
    });
  }

  /// POST /calls, whose 429 comes back at once: the queue re-paces it.
  HttpRequest dial_request(std::string body) const {
    HttpRequest r;
    r.method = http::verb::post;
    r.target = "/calls";
    r.body = std::move(body);
    r.headers.emplace_back("Authorization", "Bearer " + opts_.api_key);
    r.headers.emplace_back("Accept", "application/json");
    r.headers.emplace_back("Content-Type", "application/json");
    r.retry_rate_limited = false;
    return r;
  }

  /// A dial Telnyx refused for its rate limit goes back to the front of the
  /// queue, which then waits (PacingOptions::rate_limited_give_up). False
  /// when it is not such a refusal, or the dial has waited long enough.
  bool requeue_rate_limited(PendingDial& d, const HttpOutcome& o) {
    if (closed_ || o.code != errc::ok || !o.response || o.response->status != 429) return false;
    const auto now = steady::now();
    if (d.rate_limited++ == 0) d.first_rate_limited = now;
    if (now - d.first_rate_limited >= opts_.pacing.rate_limited_give_up) return false;
    std::optional<std::chrono::milliseconds> hinted;
    const auto now_unix =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    if (!o.response->retry_after.empty()) hinted = parse_retry_after(o.response->retry_after, now_unix);
    const auto backoff = std::chrono::milliseconds(std::min<std::int64_t>(5000, std::int64_t{1000} << std::min(d.rate_limited - 1, 3)));
    const auto wait = hinted.value_or(backoff);
    // Telnyx asks for a longer wait than the dial may still take: fail now.
    if (now + wait - d.first_rate_limited >= opts_.pacing.rate_limited_give_up) return false;
    held_until_ = std::max(held_until_, now + wait);
    ++rate_limited_requeues_;
    queue_.push_front(std::move(d));
    update_gauges();
    return true;
  }

  net::strand<net::any_io_executor> strand_;
  TelnyxOptions opts_;
  BaseUrl base_;
  std::shared_ptr<HttpClient> http_;

  // Strand-only state.
  bool closed_ = false;
  std::optional<TokenBucket> bucket_;
  net::steady_timer pace_timer_;
  bool pace_timer_armed_ = false;
  steady::time_point held_until_{};  ///< no dial starts before: Telnyx's rate limit refused one
  std::deque<PendingDial> queue_;
  std::size_t in_flight_dials_ = 0;
  std::unordered_multiset<std::string> in_flight_ids_;  ///< callwire call ids of the dials sent, not answered
  // Calls counted against max_concurrent_calls: ordered by when they stop
  // counting, and by call_control_id (pointing into expiries_).
  std::multimap<steady::time_point, std::string> expiries_;
  std::unordered_map<std::string, std::multimap<steady::time_point, std::string>::iterator> live_calls_;

  std::atomic<std::size_t> queued_gauge_{0};
  std::atomic<std::size_t> active_gauge_{0};
  std::atomic<std::uint64_t> refused_{0};
  std::atomic<std::uint64_t> rate_limited_requeues_{0};
};

// ---------------------------------------------------------------------------

TelnyxCarrier::TelnyxCarrier(net::any_io_executor ex, TelnyxOptions options)
    : impl_(std::make_shared<Impl>(std::move(ex), std::move(options))) {}

TelnyxCarrier::~TelnyxCarrier() { impl_->shutdown(); }

void TelnyxCarrier::dial(const DialRequest& req, Handler<DialResult> done) { impl_->dial(req, std::move(done)); }

void TelnyxCarrier::hangup(const ActionRequest& req, Handler<Unit> done) {
  impl_->action(req, "hangup", api::Value::object(), std::move(done), true);
}

void TelnyxCarrier::send_dtmf(const ActionRequest& req, const std::string& digits, Handler<Unit> done) {
  if (!is_valid_dtmf(digits)) {
    return impl_->fail(std::move(done), invalid("send_dtmf: digits '" + digits + "': " + std::string(kDtmfRule)));
  }
  api::Value body = api::Value::object();
  body.set("digits", digits);
  impl_->action(req, "send_dtmf", std::move(body), std::move(done));
}

void TelnyxCarrier::record_start(const ActionRequest& req, const std::string& format, const std::string& channels,
                                 Handler<Unit> done) {
  if (format != "mp3" && format != "wav") {
    return impl_->fail(std::move(done), invalid("record_start: format must be mp3 or wav, not '" + format + "'"));
  }
  if (channels != "single" && channels != "dual") {
    return impl_->fail(std::move(done),
                       invalid("record_start: channels must be single or dual, not '" + channels + "'"));
  }
  api::Value body = api::Value::object();
  body.set("format", format);
  body.set("channels", channels);
  impl_->action(req, "record_start", std::move(body), std::move(done));
}

void TelnyxCarrier::record_stop(const ActionRequest& req, Handler<Unit> done) {
  impl_->action(req, "record_stop", api::Value::object(), std::move(done));
}

void TelnyxCarrier::record_pause(const ActionRequest& req, Handler<Unit> done) {
  impl_->action(req, "record_pause", api::Value::object(), std::move(done));
}

void TelnyxCarrier::record_resume(const ActionRequest& req, Handler<Unit> done) {
  impl_->action(req, "record_resume", api::Value::object(), std::move(done));
}

void TelnyxCarrier::transfer(const ActionRequest& req, const std::string& to, const std::string& from,
                             Handler<Unit> done) {
  if (!is_e164(to) && to.rfind("sip:", 0) != 0) {
    return impl_->fail(std::move(done), invalid("transfer: to '" + to + "' is neither E.164 nor a sip: URI"));
  }
  if (!from.empty() && !is_e164(from)) {
    return impl_->fail(std::move(done), invalid("transfer: from '" + from + "' is not an E.164 number"));
  }
  api::Value body = api::Value::object();
  body.set("to", to);
  if (!from.empty()) body.set("from", from);
  if (!req.target_leg_client_state.empty()) body.set("target_leg_client_state", req.target_leg_client_state);
  impl_->action(req, "transfer", std::move(body), std::move(done));
}

void TelnyxCarrier::speak(const ActionRequest& req, const Speech& speech, Handler<Unit> done) {
  Speech s = speech;
  if (auto problem = prepare_speech(s); !problem.empty()) return impl_->fail(std::move(done), invalid("speak: " + problem));
  api::Value body = api::Value::object();
  body.set("payload", s.text);
  body.set("payload_type", s.payload_type);
  body.set("voice", s.voice);
  body.set("service_level", s.service_level);
  if (!s.language.empty()) body.set("language", s.language);
  impl_->action(req, "speak", std::move(body), std::move(done));
}

void TelnyxCarrier::playback_start(const ActionRequest& req, const std::string& audio_url, Handler<Unit> done) {
  if (auto problem = audio_url_problem(audio_url); !problem.empty()) {
    return impl_->fail(std::move(done), invalid("playback_start: " + problem));
  }
  api::Value body = api::Value::object();
  body.set("audio_url", audio_url);
  impl_->action(req, "playback_start", std::move(body), std::move(done));
}

void TelnyxCarrier::playback_stop(const ActionRequest& req, Handler<Unit> done) {
  impl_->action(req, "playback_stop", api::Value::object(), std::move(done));
}

void TelnyxCarrier::call_status(const std::string& call_control_id, Handler<CallStatusResult> done) {
  impl_->call_status(call_control_id, std::move(done));
}

void TelnyxCarrier::recording(const std::string& recording_id, Handler<RecordingResult> done) {
  impl_->recording(recording_id, std::move(done));
}

void TelnyxCarrier::delete_recording(const std::string& recording_id, Handler<Unit> done) {
  impl_->delete_recording(recording_id, std::move(done));
}

void TelnyxCarrier::active_calls(const std::string& connection_id, Handler<std::vector<ActiveCall>> done) {
  impl_->active_calls(connection_id, std::move(done));
}

void TelnyxCarrier::dial_phase(const std::string& call_id, Handler<DialPhase> done) {
  impl_->dial_phase(call_id, std::move(done), /*withdraw=*/false);
}

void TelnyxCarrier::cancel_dial(const std::string& call_id, Handler<DialPhase> done) {
  impl_->dial_phase(call_id, std::move(done), /*withdraw=*/true);
}

void TelnyxCarrier::call_ended(const std::string& call_control_id) { impl_->call_ended(call_control_id); }

void TelnyxCarrier::shutdown() { impl_->shutdown(); }
bool TelnyxCarrier::idle() const noexcept {
  const TelnyxStats s = impl_->stats();
  return s.queued_dials == 0 && s.http.open_connections == s.http.idle_connections;
}

TelnyxStats TelnyxCarrier::stats() const { return impl_->stats(); }

const TelnyxOptions& TelnyxCarrier::options() const noexcept { return impl_->options(); }

}  // namespace callwire::telnyx
