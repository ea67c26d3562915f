// callwire — token bucket (see token_bucket.hpp).
#include "telnyx/token_bucket.hpp"

#include <algorithm>
#include <cmath>

#include "callwire/error.hpp"

namespace callwire::telnyx {

namespace {
// Absorbs floating-point rounding, so that waiting time_until_token() always
// yields a token.
constexpr double kEpsilon = 1e-9;
}  // namespace

TokenBucket::TokenBucket(double rate_per_second, double burst, clock::time_point now)
    : rate_(rate_per_second), burst_(burst), level_(burst), updated_(now) {
  if (!(rate_per_second > 0) || !std::isfinite(rate_per_second)) {
    throw Error(errc::invalid_argument, "pacing rate must be a positive number of dials per second");
  }
  if (!(burst >= 1) || !std::isfinite(burst)) {
    throw Error(errc::invalid_argument, "pacing burst must be at least 1");
  }
}

double TokenBucket::level_at(clock::time_point now) const {
  if (now <= updated_) return level_;
  const double elapsed = std::chrono::duration<double>(now - updated_).count();
  return std::min(burst_, level_ + elapsed * rate_);
}

bool TokenBucket::try_take(clock::time_point now) {
  level_ = level_at(now);
  if (now > updated_) updated_ = now;
  if (level_ + kEpsilon < 1.0) return false;
  level_ = std::max(0.0, level_ - 1.0);
  return true;
}

TokenBucket::clock::duration TokenBucket::time_until_token(clock::time_point now) const {
  const double level = level_at(now);
  if (level + kEpsilon >= 1.0) return clock::duration::zero();
  const double seconds = (1.0 - level) / rate_;
  // Round up so that waiting this long always yields a token.
  auto d = std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(seconds));
  return d + clock::duration(1);
}

double TokenBucket::tokens(clock::time_point now) const { return level_at(now); }

}  // namespace callwire::telnyx
