// LiveCalls: the in-memory list of calls that have not ended (see
// live_calls.hpp).
#include "client/live_calls.hpp"

#include <algorithm>
#include <tuple>

namespace callwire::client {

void LiveCalls::remember(const Call& c) {
  std::lock_guard lock(mu_);
  auto& entry = live_[c.call_id];
  entry.call = c;
  entry.last_activity = c.updated_at;
}

void LiveCalls::forget(const std::string& call_id) {
  std::lock_guard lock(mu_);
  live_.erase(call_id);
}

void LiveCalls::touch(const std::string& call_id, TimePoint when) {
  std::lock_guard lock(mu_);
  if (auto it = live_.find(call_id); it != live_.end()) it->second.last_activity = when;
}

std::vector<Call> LiveCalls::calls() const {
  std::vector<Call> out;
  {
    std::lock_guard lock(mu_);
    out.reserve(live_.size());
    for (const auto& [id, entry] : live_) out.push_back(entry.call);
  }
  std::sort(out.begin(), out.end(), [](const Call& a, const Call& b) {
    return std::tie(a.created_at, a.call_id) > std::tie(b.created_at, b.call_id);
  });
  return out;
}

std::vector<LiveCalls::Entry> LiveCalls::entries() const {
  std::lock_guard lock(mu_);
  std::vector<Entry> out;
  out.reserve(live_.size());
  for (const auto& [id, entry] : live_) out.push_back(entry);
  return out;
}

std::size_t LiveCalls::size() const {
  std::lock_guard lock(mu_);
  return live_.size();
}

}  // namespace callwire::client
