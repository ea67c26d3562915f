// callwire — deterministic randomness for the call simulator (internal).
//
// The simulator must give byte-identical output for the same seed, dial and
// commands, on every platform. std::uniform_*_distribution is
// implementation-defined, so this file maps 64-bit words to ranges itself.
//
// KeyedRandom draws a value from (seed, key) rather than from a stream
// position: the simulator rebuilds a call's timeline after every command, and
// a draw keyed by what it is for ("answer", "c3/latency") is the same on every
// rebuild, so events already delivered never change.
//
// Thread safety: KeyedRandom is immutable (safe to share); Rng is not.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace callwire::sim {

/// SplitMix64 finaliser: a bijective 64-bit mixer.
std::uint64_t mix64(std::uint64_t x) noexcept;

/// A small sequential generator (SplitMix64). Seed it explicitly for
/// reproducible runs; DemoCarrier draws one seed per call from it.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) noexcept : state_(seed) {}
  /// A seed from std::random_device.
  static Rng from_entropy();
  std::uint64_t next() noexcept;

 private:
  std::uint64_t state_;
};

/// Values drawn from (seed, key). The same seed and key always give the
/// same value; different keys give independent-looking values.
class KeyedRandom {
 public:
  explicit KeyedRandom(std::uint64_t seed) noexcept : seed_(seed) {}

  std::uint64_t seed() const noexcept { return seed_; }
  std::uint64_t u64(std::string_view key) const noexcept;
  /// Uniform in [-bound, +bound] (bound ≥ 0).
  std::chrono::microseconds jitter(std::string_view key, std::chrono::microseconds bound) const noexcept;
  /// A random (version 4, RFC 4122 variant) UUID, lower-case hex with dashes.
  std::string uuid_v4(std::string_view key) const;
  /// A Telnyx-like call_control_id: "v3:" followed by 54 base64url characters.
  std::string call_control_id(std::string_view key) const;

 private:
  std::uint64_t seed_;
};

}  // namespace callwire::sim
