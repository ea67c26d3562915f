// CallTracker: every change of a stored Call goes through here — the event
// fold (the state machine plus what an event stores beside the call), the
// write, the live-call list, the carrier's bookkeeping of ended calls, and
// the publication on the UpdateBus — in that order, under the call's stripe
// lock, so subscribers see a call's updates in commit order.
//
// Also the client's "something changed" signal: hangup() waits on it for the
// carrier's call.hangup (wait_for).
//
// Locks: one of 64 stripe mutexes per call id; a webhook batch takes all of
// them (lock_all) for its transaction. Never call back into the tracker's
// stripe-taking members while holding a stripe.
#pragma once

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "callwire/call_client.hpp"
#include "callwire/log_store.hpp"
#include "callwire/types.hpp"
#include "client/live_calls.hpp"
#include "client/update_bus.hpp"

namespace callwire::client {

/// Why a demo call left live by a stopped process ended (demo calls live in
/// the process that simulates them).
inline constexpr std::string_view kDemoCallOrphaned =
    "the simulated call ended when the callwire process that ran it stopped";

/// Every field equal (TimePoint is whole milliseconds, as stored).
bool same_call(const Call& a, const Call& b);

class CallTracker {
 public:
  static constexpr std::size_t kStripes = 64;
  using Clock = std::function<TimePoint()>;
  /// Called after every committed change of a call, with the call before
  /// it: the client tells the carrier about ended calls (a concurrent-call
  /// cap) and sends pending hangups once a call_control_id is known. Under
  /// the call's stripe lock: it must not block or take a stripe.
  using CommitHook = std::function<void(const Call& after, const Call& before)>;
  using AllStripes = std::array<std::unique_lock<std::mutex>, kStripes>;

  CallTracker(LogStore& logs, UpdateBus& bus, Clock clock, CommitHook on_commit);

  TimePoint now() const { return clock_(); }
  LiveCalls& live() { return live_; }
  const LiveCalls& live() const { return live_; }

  /// Puts the calls storage holds as dialing, ringing or active into the
  /// live list (at start).
  void load_live();

  /// The stripe of one call; every change of it happens under this lock.
  std::mutex& stripe(const std::string& call_id);
  /// Every stripe, in order: a transaction that may touch any call.
  AllStripes lock_all();

  /// Stores a new call and publishes call.created.
  Call insert(Call c);

  /// Reads the call, applies `change` and commits it if anything changed.
  /// Throws NotFound for an unknown id.
  Call update(const std::string& call_id, const std::function<void(Call&)>& change);

  /// Folds one event into a stored call and commits the change, if any. A
  /// fresh event that changes nothing still wakes the waiters.
  void fold_into(const std::string& call_id, const CallEvent& e, bool fresh);

  /// The state machine plus what an event stores besides the call (a
  /// recording). Caller holds the call's stripe (or every stripe).
  void fold(Call& c, const CallEvent& e);

  /// Stores a changed call and publishes it. Caller holds the call's stripe.
  void commit(Call& c, const Call& before);

  /// After a change of c is stored: the live list, the commit hook and the
  /// updates (call.updated, and call.ended when it ended). With `out`, the
  /// updates are appended there for one publication of a whole batch.
  /// Caller holds the call's stripe.
  void published(const Call& c, const Call& before, std::vector<CallUpdate>* out = nullptr);

  /// Publishes a batch's updates (collected by published(..., out)) in one
  /// hand-off. Caller holds the stripes of their calls.
  void publish(std::vector<CallUpdate> updates);

  /// Ends a live call whose end the carrier never reported (its
  /// call.hangup was lost, it is gone at the carrier, or its process
  /// stopped): a callwire.reconciled event with `reason`, stored and folded.
  /// An answered call is completed (hangup_source "callwire") at the time it
  /// was last heard of, the only time known, unless answered_means_completed
  /// is false (the carrier could not say); otherwise it fails with the
  /// reason. A carrier end that arrives later still wins.
  void end_inferred(const Call& c, TimePoint last_heard, const std::string& reason, bool answered_means_completed = true);

  /// Wakes every wait_for.
  void notify_changed();

  /// Reads the call until `done(call)` holds, a change happens that makes it
  /// hold, the budget runs out or the tracker is closed; returns the call
  /// as last read.
  Call wait_for(const std::string& call_id, std::chrono::milliseconds budget,
                const std::function<bool(const Call&)>& done);

  /// Wakes and ends every wait; later waits return at once.
  void close();

 private:
  void attach_recording(const Call& c, const CallEvent& e);

  LogStore& logs_;
  UpdateBus& bus_;
  const Clock clock_;
  const CommitHook on_commit_;
  LiveCalls live_;
  std::array<std::mutex, kStripes> stripes_;

  std::mutex changed_mu_;
  std::condition_variable changed_cv_;
  std::uint64_t change_seq_ = 0;  // guarded by changed_mu_
  bool closed_ = false;           // guarded by changed_mu_
};

}  // namespace callwire::client
