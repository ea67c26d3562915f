// CarrierSelector on its own (src/client/carrier_selector.hpp): demo or
// live, one live carrier per key and base, retiring on a key change, saved
// settings filled in from the options, api_base never taken from a save.
#include <gtest/gtest.h>

#include <stdexcept>

#include "client/carrier_selector.hpp"
#include "scripted_carrier.hpp"

namespace callwire {
namespace {

using client::CarrierSelector;
using test::ScriptedCarrier;

class SelectorTest : public ::testing::Test {
 protected:
  std::unique_ptr<CarrierSelector> make() {
    return std::make_unique<CarrierSelector>(options_, demo_, [this](const Settings& s) {
      if (refuse_) throw Error(errc::invalid_argument, "the carrier cannot be made");
      auto c = std::make_shared<ScriptedCarrier>(false, s.api_key + "@" + s.api_base);
      made_.push_back(c);
      return c;
    });
  }
  static Settings with_key(const std::string& key) {
    Settings s;
    s.api_key = key;
    return s;
  }
  static Call call(bool demo) {
    Call c;
    c.call_id = "c";
    c.demo = demo;
    return c;
  }

  CallClientOptions options_;
  std::shared_ptr<ScriptedCarrier> demo_ = std::make_shared<ScriptedCarrier>(true, "demo");
  std::vector<std::shared_ptr<ScriptedCarrier>> made_;
  bool refuse_ = false;
};

TEST_F(SelectorTest, NoKeyMeansDemoAndNoLiveCarrier) {
  auto sel = make();
  sel->apply(Settings{});
  EXPECT_TRUE(sel->demo());
  EXPECT_TRUE(made_.empty());
  EXPECT_EQ(sel->carrier_for(call(false)), demo_);
  EXPECT_EQ(sel->live(), nullptr);
}

TEST_F(SelectorTest, OneLiveCarrierPerKeyAndDemoCallsStayOnTheDemoCarrier) {
  auto sel = make();
  sel->apply(with_key("KEY_A"));
  sel->apply(with_key("KEY_A"));
  EXPECT_FALSE(sel->demo());
  ASSERT_EQ(made_.size(), 1u);
  EXPECT_EQ(made_[0]->label(), "KEY_A@https://api.telnyx.com/v2");
  EXPECT_EQ(sel->carrier_for(call(false)), made_[0]);
  EXPECT_EQ(sel->carrier_for(call(true)), demo_);  // placed in demo mode: follows the call
}

TEST_F(SelectorTest, AKeyChangeRetiresTheOldCarrierUntilItIsIdle) {
  auto sel = make();
  sel->apply(with_key("KEY_A"));
  made_[0]->is_idle = false;  // a request in flight
  sel->apply(with_key("KEY_B"));
  ASSERT_EQ(made_.size(), 2u);
  EXPECT_EQ(sel->carrier_for(call(false)), made_[1]);
  EXPECT_EQ(sel->retired(), 1u);
  sel->release_idle();
  EXPECT_EQ(sel->retired(), 1u);  // still busy
  made_[0]->is_idle = true;
  sel->release_idle();
  EXPECT_EQ(sel->retired(), 0u);
  EXPECT_EQ(sel->all().size(), 2u);  // live + demo
}

TEST_F(SelectorTest, SavedValuesWinAndEmptyOnesFallBackToTheOptions) {
  options_.api_key = "ENV_KEY";
  options_.connection_id = "env-conn";
  options_.webhook_url = "https://env.example/webhooks/call";
  auto sel = make();
  Settings saved;
  saved.connection_id = "saved-conn";
  const Settings s = sel->merged(saved);
  EXPECT_EQ(s.api_key, "ENV_KEY");
  EXPECT_EQ(s.connection_id, "saved-conn");
  EXPECT_EQ(s.webhook_url, "https://env.example/webhooks/call");
}

// The recording channels in force: as saved, else the options', else
// Telnyx's default, dual.
TEST_F(SelectorTest, RecordingChannelsAreSavedElseTheOptionsElseDual) {
  auto sel = make();
  EXPECT_EQ(sel->merged(Settings{}).recording_channels, "dual");
  options_.recording_channels = "single";
  EXPECT_EQ(sel->merged(Settings{}).recording_channels, "single");
  Settings saved;
  saved.recording_channels = "dual";
  EXPECT_EQ(sel->merged(saved).recording_channels, "dual");
  sel->apply(saved);
  EXPECT_EQ(sel->settings().recording_channels, "dual");
}

TEST_F(SelectorTest, TheApiBaseIsNeverASavedSetting) {
  auto sel = make();
  Settings saved = with_key("KEY_A");
  saved.api_base = "https://attacker.example/v2";
  sel->apply(saved);
  EXPECT_EQ(sel->settings().api_base, "https://api.telnyx.com/v2");
  EXPECT_EQ(made_.at(0)->label(), "KEY_A@https://api.telnyx.com/v2");
  options_.api_base = "http://127.0.0.1:9/v2";  // deployment configuration
  EXPECT_EQ(sel->merged(saved).api_base, "http://127.0.0.1:9/v2");
}

TEST_F(SelectorTest, ForcedDemoIgnoresTheKey) {
  options_.force_demo = true;
  auto sel = make();
  sel->apply(with_key("KEY_A"));
  EXPECT_TRUE(sel->demo());
  EXPECT_TRUE(made_.empty());
}

TEST_F(SelectorTest, ACarrierThatCannotBeMadeChangesNothing) {
  auto sel = make();
  sel->apply(with_key("KEY_A"));
  refuse_ = true;
  EXPECT_THROW(sel->apply(with_key("KEY_B")), Error);
  EXPECT_EQ(sel->settings().api_key, "KEY_A");
  EXPECT_EQ(sel->carrier_for(call(false)), made_.at(0));
}

}  // namespace
}  // namespace callwire
