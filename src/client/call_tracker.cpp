// CallTracker: fold, store, publish (see call_tracker.hpp).
#include "client/call_tracker.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

#include "callwire/call_state.hpp"
#include "callwire/error.hpp"
#include "core/field_count.hpp"

namespace callwire::client {

namespace {

// All of Call's fields, in their order (a new field must be added here: the
// static_assert below fails until it is); cheaper than comparing two JSON
// encodings, which this replaced.
auto call_fields(const Call& c) {
  return std::tie(c.call_id, c.call_control_id, c.call_leg_id, c.call_session_id, c.connection_id, c.to_number,
                  c.from_number, c.direction, c.status, c.created_at, c.updated_at, c.ringing_at, c.answered_at,
                  c.ended_at, c.duration, c.hangup_cause, c.hangup_source, c.failure_reason, c.machine_detection,
                  c.machine_greeting,
                  c.contact_id, c.contact_name, c.agent_id, c.recording_id, c.recording, c.recording_paused, c.muted, c.on_hold, c.demo,
                  c.record_from_answer, c.recording_error);
}
static_assert(std::tuple_size_v<decltype(call_fields(std::declval<const Call&>()))> == detail::field_count<Call>(),
              "same_call() must compare every member of Call: add the new one to call_fields()");

}  // namespace

bool same_call(const Call& a, const Call& b) { return call_fields(a) == call_fields(b); }

CallTracker::CallTracker(LogStore& logs, UpdateBus& bus, Clock clock, CommitHook on_commit)
    : logs_(logs), bus_(bus), clock_(std::move(clock)), on_commit_(std::move(on_commit)) {}

void CallTracker::load_live() {
  for (CallStatus s : {CallStatus::dialing, CallStatus::ringing, CallStatus::active}) {
    CallFilter f;
    f.status = s;
    for (std::size_t offset = 0;; offset += Page::kMaxPageSize) {
      auto page = logs_.list(f, Page{Page::kMaxPageSize, offset});
      for (const auto& c : page) live_.remember(c);
      if (page.size() < Page::kMaxPageSize) break;
    }
  }
}

std::mutex& CallTracker::stripe(const std::string& call_id) {
  return stripes_[std::hash<std::string>{}(call_id) % kStripes];
}

CallTracker::AllStripes CallTracker::lock_all() {
  AllStripes held;
  for (std::size_t i = 0; i < kStripes; ++i) held[i] = std::unique_lock(stripes_[i]);
  return held;
}

Call CallTracker::insert(Call c) {
  std::lock_guard lock(stripe(c.call_id));
  c = logs_.insert(c);
  live_.remember(c);
  bus_.publish(CallUpdate{"call.created", c});
  return c;
}

Call CallTracker::update(const std::string& call_id, const std::function<void(Call&)>& change) {
  std::lock_guard lock(stripe(call_id));
  Call c = logs_.get(call_id);
  const Call before = c;
  change(c);
  if (!same_call(before, c)) commit(c, before);
  return c;
}

void CallTracker::fold_into(const std::string& call_id, const CallEvent& e, bool fresh) {
  std::lock_guard lock(stripe(call_id));
  Call c = logs_.get(call_id);
  const Call before = c;
  fold(c, e);
  live_.touch(call_id, now());
  if (!same_call(before, c)) {
    commit(c, before);
  } else if (fresh) {
    notify_changed();
  }
}

void CallTracker::fold(Call& c, const CallEvent& e) {
  apply(c, e);
  if (e.event_type == "call.recording.saved") attach_recording(c, e);
}

void CallTracker::attach_recording(const Call& c, const CallEvent& e) {
  Recording r;
  r.id = e.recording_id.empty() ? e.id : e.recording_id;
  if (logs_.find_recording(r.id)) return;
  r.call_id = c.call_id;
  r.call_control_id = e.call_control_id;
  r.telnyx_recording_id = e.recording_id;
  r.url = e.recording_url;
  r.format = e.recording_format.empty() ? "mp3" : e.recording_format;
  if (e.recording_started_at && e.recording_ended_at) r.duration = whole_seconds(*e.recording_started_at, *e.recording_ended_at);
  r.channels = e.recording_channels.empty() ? "single" : e.recording_channels;
  r.created_at = e.occurred_at;
  try {
    logs_.attach_recording(r);
  } catch (const Error& err) {
    if (err.code() != errc::conflict) throw;  // a concurrent duplicate attached it
  }
}

void CallTracker::commit(Call& c, const Call& before) {
  c.updated_at = now();
  logs_.update(c);
  published(c, before);
  notify_changed();
}

void CallTracker::published(const Call& c, const Call& before, std::vector<CallUpdate>* out) {
  const bool ended = is_terminal(c.status);
  if (ended) {
    live_.forget(c.call_id);
  } else {
    live_.remember(c);
  }
  if (on_commit_) on_commit_(c, before);
  if (out != nullptr) {
    out->push_back(CallUpdate{"call.updated", c});
    if (ended) out->push_back(CallUpdate{"call.ended", c});
    return;
  }
  bus_.publish(CallUpdate{"call.updated", c});
  if (ended) bus_.publish(CallUpdate{"call.ended", c});
}

void CallTracker::end_inferred(const Call& c, TimePoint last_heard, const std::string& reason,
                               bool answered_means_completed) {
  CallEvent r;
  r.id = "callwire-reconciled-" + c.call_id;
  r.event_type = std::string(kEventReconciled);
  r.occurred_at = now();
  r.result = reason;
  if (c.answered_at && answered_means_completed) {
    r.hangup_cause = "normal_clearing";
    r.hangup_source = std::string(kHangupSourceCallwire);
    r.occurred_at = std::max(last_heard, *c.answered_at);
  }
  logs_.record_event(r);
  fold_into(c.call_id, r, true);
}

void CallTracker::publish(std::vector<CallUpdate> updates) { bus_.publish(std::move(updates)); }

void CallTracker::notify_changed() {
  {
    std::lock_guard lock(changed_mu_);
    ++change_seq_;
  }
  changed_cv_.notify_all();
}

Call CallTracker::wait_for(const std::string& call_id, std::chrono::milliseconds budget,
                           const std::function<bool(const Call&)>& done) {
  const auto deadline = std::chrono::steady_clock::now() + budget;
  for (;;) {
    std::uint64_t seen;
    bool closed;
    {
      std::lock_guard lock(changed_mu_);
      seen = change_seq_;
      closed = closed_;
    }
    Call c = logs_.get(call_id);
    if (done(c) || closed) return c;
    std::unique_lock lock(changed_mu_);
    if (!changed_cv_.wait_until(lock, deadline, [&] { return change_seq_ != seen || closed_; })) {
      lock.unlock();
      return logs_.get(call_id);
    }
  }
}

void CallTracker::close() {
  {
    std::lock_guard lock(changed_mu_);
    closed_ = true;
  }
  changed_cv_.notify_all();
}

}  // namespace callwire::client
