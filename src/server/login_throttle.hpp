// callwire — LoginThrottle: too many failed sign-ins for one account or from
// one address (internal, Beast-free).
//
// After `max_failures` failed sign-ins within `window` for one account (the
// email as typed, ignoring case — known or not, so the answer says nothing
// about which emails exist) or from one client address, further attempts are
// refused until the oldest failure in the window is older than the window:
// retry_after() says how long. A success clears the account's failures, not
// the address's (one address guessing at many accounts stays throttled).
//
// In memory, per server: several servers each count their own (a shared
// count is the multi-server issue's). At most `max_keys` accounts and
// addresses are tracked; past that, keys whose failures are all outside the
// window are dropped first, then the oldest.
//
// Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace callwire::server {

struct LoginThrottleOptions {
  std::size_t max_failures = 5;
  std::chrono::seconds window{15 * 60};
  std::size_t max_keys = 100'000;
};

class LoginThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  explicit LoginThrottle(LoginThrottleOptions options = {});

  /// How long until a sign-in for `account` from `address` may be tried
  /// (whole seconds, at least 1); std::nullopt: it may be tried now.
  std::optional<std::chrono::seconds> retry_after(std::string_view account, std::string_view address,
                                                  Clock::time_point now = Clock::now()) const;
  /// Counts one failed sign-in against both.
  void failed(std::string_view account, std::string_view address, Clock::time_point now = Clock::now());
  /// A sign-in succeeded: the account's failures are forgotten.
  void succeeded(std::string_view account);

  /// "Ann@X.io " → "ann@x.io": the account key of an email as typed.
  static std::string account_key(std::string_view email);

 private:
  using Failures = std::deque<Clock::time_point>;
  using Table = std::map<std::string, Failures, std::less<>>;

  std::optional<Clock::duration> wait(const Table& t, std::string_view key, Clock::time_point now) const;
  void add(Table& t, std::string_view key, Clock::time_point now);

  LoginThrottleOptions options_;
  mutable std::mutex mu_;
  Table accounts_;
  Table addresses_;
};

}  // namespace callwire::server
