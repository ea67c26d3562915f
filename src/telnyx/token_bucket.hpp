// callwire — a token bucket for pacing dials (internal).
//
// Holds `burst` tokens at most and gains `rate` tokens per second. Time is
// passed in by the caller (no clock inside), so tests drive it with synthetic
// time points. Not thread-safe: TelnyxCarrier uses it on its strand only.
#pragma once

#include <chrono>

namespace callwire::telnyx {

class TokenBucket {
 public:
  using clock = std::chrono::steady_clock;

  /// `rate_per_second` > 0 and `burst` >= 1, else Error(invalid_argument).
  /// The bucket starts full.
  TokenBucket(double rate_per_second, double burst, clock::time_point now);

  /// Takes one token when one is available at `now`.
  bool try_take(clock::time_point now);

  /// How long from `now` until a token is available (zero when one is).
  clock::duration time_until_token(clock::time_point now) const;

  /// Tokens available at `now` (fractional).
  double tokens(clock::time_point now) const;

  double rate() const noexcept { return rate_; }
  double burst() const noexcept { return burst_; }

 private:
  double level_at(clock::time_point now) const;

  double rate_;
  double burst_;
  double level_;
  clock::time_point updated_;
};

}  // namespace callwire::telnyx
