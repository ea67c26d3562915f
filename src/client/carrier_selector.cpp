// CarrierSelector: the settings in force and the carrier of each call (see
// carrier_selector.hpp).
#include "client/carrier_selector.hpp"

#include <algorithm>

#include "core/media.hpp"
#include "support/log.hpp"
#include "telnyx/api_base.hpp"

namespace callwire::client {

CarrierSelector::CarrierSelector(const CallClientOptions& options, std::shared_ptr<carrier::Carrier> demo,
                                 LiveFactory make_live)
    : options_(options), demo_carrier_(std::move(demo)), make_live_(std::move(make_live)) {}

Settings CarrierSelector::merged(const Settings& saved) const {
  Settings s = saved;
  auto fill = [](std::string& slot, const std::string& fallback) {
    if (slot.empty()) slot = fallback;
  };
  fill(s.api_key, options_.api_key);
  fill(s.connection_id, options_.connection_id);
  fill(s.webhook_url, options_.webhook_url);
  fill(s.public_key, options_.public_key);
  // Where the API key is sent is deployment configuration (the options,
  // TELNYX_API_BASE), never a saved setting: whoever could save settings
  // could otherwise send the key to any host (docs/client.md).
  s.api_base = options_.api_base.empty() ? std::string(telnyx::kDefaultApiBase) : options_.api_base;
  s.auto_record = saved.auto_record || options_.auto_record;
  fill(s.recording_channels, options_.recording_channels);
  fill(s.recording_channels, std::string(kDefaultRecordingChannels));
  s.demo_mode = saved.demo_mode || options_.force_demo;
  return s;
}

void CarrierSelector::apply(const Settings& saved) {
  Settings s = merged(saved);
  const bool demo = s.demo_mode || s.api_key.empty();
  std::shared_ptr<carrier::Carrier> live;
  if (!demo) {
    std::lock_guard lock(mu_);
    if (live_carrier_ && live_key_ == s.api_key && live_base_ == s.api_base) live = live_carrier_;
  }
  if (!demo && !live) live = make_live_(s);  // outside the lock: it may take a while
  std::lock_guard lock(mu_);
  release_idle_locked();
  if (live && live != live_carrier_) {
    if (live_carrier_) retired_.push_back(live_carrier_);  // its requests in flight finish first
    live_carrier_ = live;
    live_key_ = s.api_key;
    live_base_ = s.api_base;
  }
  settings_ = s;
  demo_ = demo;
  if (!demo && options_.insecure_webhooks) {
    log::write(log::Level::warn, "client", "webhook signature checks are OFF (development switch): anyone can post fake call events");
  }
}

bool CarrierSelector::demo() const {
  std::lock_guard lock(mu_);
  return demo_;
}

Settings CarrierSelector::settings() const {
  std::lock_guard lock(mu_);
  return settings_;
}

std::shared_ptr<carrier::Carrier> CarrierSelector::carrier_for(const Call& call) const {
  std::lock_guard lock(mu_);
  if (call.demo || !live_carrier_) return demo_carrier_;
  return live_carrier_;
}

std::shared_ptr<carrier::Carrier> CarrierSelector::live() const {
  std::lock_guard lock(mu_);
  return live_carrier_;
}

void CarrierSelector::release_idle() {
  std::lock_guard lock(mu_);
  release_idle_locked();
}

void CarrierSelector::release_idle_locked() {
  std::erase_if(retired_, [](const std::shared_ptr<carrier::Carrier>& c) { return c->idle(); });
}

std::size_t CarrierSelector::retired() const {
  std::lock_guard lock(mu_);
  return retired_.size();
}

std::vector<std::shared_ptr<carrier::Carrier>> CarrierSelector::all() const {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<carrier::Carrier>> out = retired_;
  if (live_carrier_) out.push_back(live_carrier_);
  if (demo_carrier_) out.push_back(demo_carrier_);
  return out;
}

}  // namespace callwire::client
