// LiveCalls: the calls that have not ended, in memory, with the time each
// last heard of its carrier — what active() lists without a storage query,
// and what the reconciler checks for calls gone quiet. Filled from storage
// at start (the calls a previous process left live), kept current by
// CallTracker on every committed change. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "callwire/types.hpp"

namespace callwire::client {

class LiveCalls {
 public:
  struct Entry {
    Call call;
    TimePoint last_activity;  ///< the call's updated_at, or the time of its last event
  };

  /// Adds or replaces a call; its last activity becomes its updated_at.
  void remember(const Call& c);
  void forget(const std::string& call_id);
  /// Something was heard of the call at `when` (an event, even one that
  /// changed nothing; a carrier that says it is still up). Unknown ids: nothing.
  void touch(const std::string& call_id, TimePoint when);

  /// Every live call, newest first (created_at, then call_id).
  std::vector<Call> calls() const;
  std::vector<Entry> entries() const;
  std::size_t size() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, Entry> live_;
};

}  // namespace callwire::client
