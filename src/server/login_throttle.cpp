#include "server/login_throttle.hpp"

#include <algorithm>

namespace callwire::server {

LoginThrottle::LoginThrottle(LoginThrottleOptions options) : options_(options) {
  if (options_.max_failures == 0) options_.max_failures = 1;
  if (options_.max_keys == 0) options_.max_keys = 1;
}

std::string LoginThrottle::account_key(std::string_view email) {
  while (!email.empty() && (email.front() == ' ' || email.front() == '\t')) email.remove_prefix(1);
  while (!email.empty() && (email.back() == ' ' || email.back() == '\t')) email.remove_suffix(1);
  std::string key(email);
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return key;
}

std::optional<LoginThrottle::Clock::duration> LoginThrottle::wait(const Table& t, std::string_view key,
                                                                  Clock::time_point now) const {
  auto it = t.find(key);
  if (it == t.end()) return std::nullopt;
  const Failures& f = it->second;
  // Failures within the window, newest last; blocked once there are enough.
  const auto first_in = std::find_if(f.begin(), f.end(), [&](Clock::time_point at) { return now - at < options_.window; });
  const auto in_window = static_cast<std::size_t>(f.end() - first_in);
  if (in_window < options_.max_failures) return std::nullopt;
  // Free again when so many have aged out that fewer than max remain.
  const Clock::time_point frees = *(f.end() - static_cast<std::ptrdiff_t>(options_.max_failures)) + options_.window;
  return frees - now;
}

std::optional<std::chrono::seconds> LoginThrottle::retry_after(std::string_view account, std::string_view address,
                                                               Clock::time_point now) const {
  std::lock_guard lock(mu_);
  auto a = wait(accounts_, account_key(account), now);
  auto b = address.empty() ? std::nullopt : wait(addresses_, address, now);
  if (!a && !b) return std::nullopt;
  const Clock::duration longest = std::max(a.value_or(Clock::duration::zero()), b.value_or(Clock::duration::zero()));
  const auto secs = std::chrono::ceil<std::chrono::seconds>(longest);
  return std::max(secs, std::chrono::seconds(1));
}

void LoginThrottle::add(Table& t, std::string_view key, Clock::time_point now) {
  auto it = t.find(key);
  if (it == t.end()) {
    if (t.size() >= options_.max_keys) {
      for (auto i = t.begin(); i != t.end();) {
        if (i->second.empty() || now - i->second.back() >= options_.window) i = t.erase(i);
        else ++i;
      }
      if (t.size() >= options_.max_keys) {
        auto oldest = std::min_element(t.begin(), t.end(),
                                       [](const auto& x, const auto& y) { return x.second.back() < y.second.back(); });
        t.erase(oldest);
      }
    }
    it = t.emplace(std::string(key), Failures{}).first;
  }
  Failures& f = it->second;
  f.push_back(now);
  // Only the last max_failures matter for the answer.
  while (f.size() > options_.max_failures) f.pop_front();
}

void LoginThrottle::failed(std::string_view account, std::string_view address, Clock::time_point now) {
  std::lock_guard lock(mu_);
  add(accounts_, account_key(account), now);
  if (!address.empty()) add(addresses_, address, now);
}

void LoginThrottle::succeeded(std::string_view account) {
  std::lock_guard lock(mu_);
  if (auto it = accounts_.find(account_key(account)); it != accounts_.end()) accounts_.erase(it);
}

}  // namespace callwire::server
