// PendingHangups: calls hung up before the carrier said which call they are.
//
// A hangup of a call whose dial was sent but not answered (or whose answer
// was lost) has no call_control_id to send the hangup to. It is remembered
// here; the first commit that gives the call its call_control_id — the dial
// answer, the first webhook, the reconciler finding it among the
// connection's active calls — takes it and the hangup goes out then
// (docs/client.md, "Hanging up a call that is still dialing"). Kept in
// memory: a restart forgets it (the reconciler still ends the call).
// Thread-safe.
#pragma once

#include <mutex>
#include <set>
#include <string>

namespace callwire::client {

class PendingHangups {
 public:
  void add(const std::string& call_id) {
    std::lock_guard lock(mu_);
    ids_.insert(call_id);
  }
  /// Removes the entry; true when there was one (the caller hangs up).
  bool take(const std::string& call_id) {
    std::lock_guard lock(mu_);
    return ids_.erase(call_id) > 0;
  }
  bool contains(const std::string& call_id) const {
    std::lock_guard lock(mu_);
    return ids_.count(call_id) > 0;
  }
  std::size_t size() const {
    std::lock_guard lock(mu_);
    return ids_.size();
  }

 private:
  mutable std::mutex mu_;
  std::set<std::string> ids_;
};

}  // namespace callwire::client
