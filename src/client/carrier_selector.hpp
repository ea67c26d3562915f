// CarrierSelector: which carrier serves a call, and the settings in force.
//
// The settings in force are the saved ones filled in from the options (the
// environment): a saved value wins, an empty one falls back to the option.
// Where the API key is sent (api_base) is deployment configuration and never
// a saved setting (docs/client.md). No API key, or demo mode asked for, means
// demo mode: new calls go to the DemoCarrier.
//
// A live carrier (TelnyxCarrier) is made for each distinct (API key, API
// base); a settings change that replaces it retires the old one, which keeps
// the requests it has in flight and is released once idle. A call placed in
// demo mode stays on the DemoCarrier after a switch to live, and the other
// way round: carrier_for() follows the call, not the mode.
//
// Thread-safe: every member may be called from any thread.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "callwire/call_client.hpp"
#include "callwire/types.hpp"
#include "carrier/carrier.hpp"

namespace callwire::client {

class CarrierSelector {
 public:
  /// Makes the live carrier for a key and base (a TelnyxCarrier in the client).
  using LiveFactory = std::function<std::shared_ptr<carrier::Carrier>(const Settings& settings)>;

  CarrierSelector(const CallClientOptions& options, std::shared_ptr<carrier::Carrier> demo, LiveFactory make_live);

  /// The saved settings as they apply: filled in from the options.
  Settings merged(const Settings& saved) const;

  /// Puts saved settings in force (merged); makes a live carrier when the
  /// key or base changed. Throws what the factory throws (then nothing
  /// changed).
  void apply(const Settings& saved);

  bool demo() const;
  Settings settings() const;

  /// The carrier that placed (or would place) this call.
  std::shared_ptr<carrier::Carrier> carrier_for(const Call& call) const;
  /// The live carrier; null when none was ever configured.
  std::shared_ptr<carrier::Carrier> live() const;

  /// Releases the retired carriers that have nothing queued or in flight.
  void release_idle();
  std::size_t retired() const;

  /// Every carrier (live, retired, demo), for shutting them down.
  std::vector<std::shared_ptr<carrier::Carrier>> all() const;

 private:
  void release_idle_locked();

  const CallClientOptions& options_;
  const std::shared_ptr<carrier::Carrier> demo_carrier_;
  const LiveFactory make_live_;

  mutable std::mutex mu_;
  Settings settings_;
  bool demo_ = true;
  std::shared_ptr<carrier::Carrier> live_carrier_;
  std::string live_key_, live_base_;
  std::vector<std::shared_ptr<carrier::Carrier>> retired_;
};

}  // namespace callwire::client
