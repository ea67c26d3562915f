// Reconciler on its own (src/client/reconciler.hpp): which live calls it
// asks the carrier about, and how each answer ends (or keeps) the call.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "callwire/call_state.hpp"
#include "client/carrier_selector.hpp"
#include "client/reconciler.hpp"
#include "core/base64.hpp"
#include "part_fixture.hpp"
#include "scripted_carrier.hpp"

namespace callwire {
namespace {

using namespace std::chrono_literals;
using test::ScriptedCarrier;

class ReconcilerTest : public test::PartTest {
 protected:
  void SetUp() override {
    PartTest::SetUp();
    selector_ = std::make_unique<client::CarrierSelector>(options_, demo_, [this](const Settings&) { return live_; });
    Settings s;
    s.api_key = "KEY_live";
    selector_->apply(s);
    reconciler_ = std::make_unique<client::Reconciler>(io_, pool_, *logs_, *tracker_, *selector_, counters_,
                                                       client::ReconcileTimings{1s, 120s, 300s}, closed_, token_);
  }
  void TearDown() override {
    reconciler_.reset();
    selector_.reset();
    PartTest::TearDown();
  }

  Call answered_call(const std::string& control_id) {
    Call c = new_call(control_id);
    tracker_->fold_into(c.call_id, event(c, "call.answered", 2), true);
    return logs_->get(c.call_id);
  }

  CallClientOptions options_;
  std::shared_ptr<ScriptedCarrier> demo_ = std::make_shared<ScriptedCarrier>(true);
  std::shared_ptr<ScriptedCarrier> live_ = std::make_shared<ScriptedCarrier>(false);
  boost::asio::io_context io_;
  client::ClientCounters counters_;
  std::atomic<bool> closed_{false};
  std::shared_ptr<int> token_ = std::make_shared<int>(0);
  std::unique_ptr<client::CarrierSelector> selector_;
  std::unique_ptr<client::Reconciler> reconciler_;
};

TEST_F(ReconcilerTest, CallsThatHeardFromTheCarrierRecentlyAreNotAsked) {
  Call ringing = new_call("v3:ringing");
  Call active = answered_call("v3:active");
  advance(119s);
  reconciler_->run_once();
  advance(180s);  // active: live_poll_after (300 s) not reached; ringing: long past stale_after
  live_->status.is_alive = true;
  reconciler_->run_once();
  EXPECT_EQ(live_->ops(), std::vector<std::string>{"call_status v3:ringing"});
  advance(2s);
  reconciler_->run_once();
  EXPECT_EQ(live_->ops().back(), "call_status v3:active");
  (void)active;
  (void)ringing;
}

TEST_F(ReconcilerTest, AliveAtTheCarrierStaysLiveAndIsAskedAgainOnlyAfterAnotherQuietSpell) {
  Call c = new_call("v3:alive");
  live_->status.is_alive = true;
  advance(121s);
  reconciler_->run_once();
  reconciler_->run_once();  // just touched: not asked twice
  EXPECT_EQ(live_->ops().size(), 1u);
  EXPECT_EQ(logs_->get(c.call_id).status, CallStatus::dialing);
  advance(121s);
  reconciler_->run_once();
  EXPECT_EQ(live_->ops().size(), 2u);
  EXPECT_EQ(counters_.reconciled, 0u);
}

TEST_F(ReconcilerTest, GoneAtTheCarrierEndsTheCallWithAReason) {
  Call ringing = new_call("v3:ringing");
  advance(121s);
  reconciler_->run_once();
  const Call ended = logs_->get(ringing.call_id);
  EXPECT_EQ(ended.status, CallStatus::failed);
  EXPECT_NE(ended.failure_reason.find("the carrier reports the call is over"), std::string::npos);
  EXPECT_EQ(counters_.reconciled, 1u);
  EXPECT_EQ(tracker_->live().size(), 0u);
}

TEST_F(ReconcilerTest, AnAnsweredCallTheCarrierReportsGoneIsCompletedWhenLastHeardOf) {
  advance(10s);
  Call c = answered_call("v3:active");  // answered at second 2 of the fixture's events, heard of at 10
  const TimePoint last_heard = clock();
  advance(301s);
  reconciler_->run_once();
  const Call ended = logs_->get(c.call_id);
  EXPECT_EQ(ended.status, CallStatus::completed);
  EXPECT_EQ(ended.hangup_cause, "normal_clearing");
  EXPECT_EQ(ended.hangup_source, "callwire");
  EXPECT_EQ(ended.ended_at, last_heard);  // not the time of the poll
}

TEST_F(ReconcilerTest, AnAnsweredCallTelnyxNoLongerKnowsIsCompletedToo) {
  Call c = answered_call("v3:forgotten");
  carrier::CarrierError e;
  e.code = errc::carrier;
  e.http_status = 404;
  e.message = "Telnyx call status: HTTP 404";
  live_->fail_next = e;
  advance(301s);
  reconciler_->run_once();
  EXPECT_EQ(logs_->get(c.call_id).status, CallStatus::completed);
}

TEST_F(ReconcilerTest, TheCarriersOwnHangupStillWinsAfterTheReconcilerEndedTheCall) {
  Call c = answered_call("v3:late");
  advance(301s);
  reconciler_->run_once();
  ASSERT_EQ(logs_->get(c.call_id).hangup_source, "callwire");
  auto hangup = event(c, "call.hangup", 400);  // later than the reconciler's end
  hangup.hangup_cause = "normal_clearing";
  hangup.hangup_source = "callee";
  tracker_->fold_into(c.call_id, hangup, true);
  const Call ended = logs_->get(c.call_id);
  EXPECT_EQ(ended.hangup_source, "callee");
  EXPECT_EQ(ended.ended_at, hangup.occurred_at);
}

TEST_F(ReconcilerTest, ADialTheCarrierNeverAcknowledgedFails) {
  Call c = new_call("");
  advance(121s);
  reconciler_->run_once();
  EXPECT_EQ(live_->ops(), std::vector<std::string>{"dial_phase " + c.call_id});  // no connection to list
  const Call ended = logs_->get(c.call_id);
  EXPECT_EQ(ended.status, CallStatus::failed);
  EXPECT_NE(ended.failure_reason.find("never acknowledged the dial"), std::string::npos);
}

// Issue 15, 2.3: a dial still waiting in its carrier (for pacing or a call
// slot) is not judged: marked ended, it would still be placed later.
TEST_F(ReconcilerTest, ADialTheCarrierStillHoldsIsNotJudged) {
  for (auto phase : {carrier::DialPhase::queued, carrier::DialPhase::in_flight}) {
    live_->phase = phase;
    Call c = new_call("");
    advance(121s);
    reconciler_->run_once();
    EXPECT_EQ(logs_->get(c.call_id).status, CallStatus::dialing);
    EXPECT_EQ(counters_.reconciled, 0u);
  }
}

// Issue 15, 2.1: a dial whose answer was lost is found among the
// connection's active calls by its client_state and keeps going.
TEST_F(ReconcilerTest, ADialWhoseAnswerWasLostIsFoundAmongTheActiveCalls) {
  Call c = new_call("");
  c = tracker_->update(c.call_id, [](Call& x) { x.connection_id = "conn-1"; });
  live_->active = {{"v3:someone-else", "l0", "s0", base64::encode("0b7c8f2e-1d2a-4c3b-9e8f-123456789abc"), 5},
                   {"v3:found", "leg-1", "session-1", base64::encode(c.call_id), 12}};
  advance(121s);
  reconciler_->run_once();
  const Call found = logs_->get(c.call_id);
  EXPECT_EQ(found.status, CallStatus::dialing);
  EXPECT_EQ(found.call_control_id, "v3:found");
  EXPECT_EQ(found.call_session_id, "session-1");
  EXPECT_EQ(live_->ops().at(1), "active_calls conn-1");
  EXPECT_EQ(counters_.reconciled, 0u);
}

TEST_F(ReconcilerTest, ADialNotAmongTheActiveCallsFails) {
  Call c = new_call("");
  c = tracker_->update(c.call_id, [](Call& x) { x.connection_id = "conn-1"; });
  live_->active = {{"v3:someone-else", "l0", "s0", base64::encode("0b7c8f2e-1d2a-4c3b-9e8f-123456789abc"), 5}};
  advance(121s);
  reconciler_->run_once();
  const Call ended = logs_->get(c.call_id);
  EXPECT_EQ(ended.status, CallStatus::failed);
  EXPECT_NE(ended.failure_reason.find("does not list it among the connection's active calls"), std::string::npos)
      << ended.failure_reason;
}

TEST_F(ReconcilerTest, AFailedStatusQuerySaysSo) {
  Call c = new_call("v3:unknown");
  carrier::CarrierError e;
  e.code = errc::unavailable;
  e.message = "connection refused";
  live_->fail_next = e;
  advance(121s);
  reconciler_->run_once();
  EXPECT_NE(logs_->get(c.call_id).failure_reason.find("connection refused"), std::string::npos);
}

TEST_F(ReconcilerTest, ADemoCallTheSimulatorDoesNotKnowWasLeftByAStoppedProcess) {
  Call c = new_call("v3:demo", /*demo=*/true);
  carrier::CarrierError e;
  e.code = errc::not_found;
  e.message = "unknown call";
  demo_->fail_next = e;
  advance(121s);
  reconciler_->run_once();
  EXPECT_EQ(demo_->ops(), std::vector<std::string>{"call_status v3:demo"});
  EXPECT_NE(logs_->get(c.call_id).failure_reason.find("stopped"), std::string::npos);
}

}  // namespace
}  // namespace callwire
