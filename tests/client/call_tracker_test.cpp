// CallTracker and LiveCalls on their own (src/client/call_tracker.hpp,
// live_calls.hpp): fold → store → live list → ended hook → updates, in
// order; a fold that changes nothing publishes nothing; the waits.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "callwire/call_state.hpp"
#include "callwire/error.hpp"
#include "client/live_calls.hpp"
#include "part_fixture.hpp"

namespace callwire {
namespace {

using namespace std::chrono_literals;
using test::PartTest;
using TrackerTest = PartTest;

TEST_F(TrackerTest, AFoldIsStoredListedAndPublishedInOrder) {
  Call c = new_call("v3:a");
  tracker_->fold_into(c.call_id, event(c, "call.initiated", 1), true);
  tracker_->fold_into(c.call_id, event(c, "call.answered", 2), true);
  auto hangup = event(c, "call.hangup", 9);
  hangup.hangup_cause = "normal_clearing";
  hangup.hangup_source = "callee";
  tracker_->fold_into(c.call_id, hangup, true);

  const auto u = updates_.wait(5);
  ASSERT_EQ(u.size(), 5u);
  EXPECT_EQ(u[0].type, "call.created");
  EXPECT_EQ(u[1].call.status, CallStatus::ringing);
  EXPECT_EQ(u[2].call.status, CallStatus::active);
  EXPECT_EQ(u[3].type, "call.updated");
  EXPECT_EQ(u[3].call.status, CallStatus::completed);
  EXPECT_EQ(u[4].type, "call.ended");
  EXPECT_EQ(logs_->get(c.call_id).duration, 7);
  EXPECT_EQ(tracker_->live().size(), 0u);
  EXPECT_EQ(ended(), std::vector<std::string>{c.call_id});
}

TEST_F(TrackerTest, AFoldThatChangesNothingPublishesNothing) {
  Call c = new_call("v3:a");
  const auto initiated = event(c, "call.initiated", 1);
  tracker_->fold_into(c.call_id, initiated, true);
  tracker_->fold_into(c.call_id, initiated, false);  // a redelivery
  tracker_->update(c.call_id, [](Call&) {});
  tracker_->fold_into(c.call_id, event(c, "call.answered", 2), true);
  const auto u = updates_.wait(3);
  ASSERT_EQ(u.size(), 3u);  // created, ringing, active: nothing between them
  EXPECT_EQ(u[1].call.status, CallStatus::ringing);
  EXPECT_EQ(u[2].call.status, CallStatus::active);
}

TEST_F(TrackerTest, TheCommitHookSeesEachEndOnce) {
  Call known = new_call("v3:known");
  Call unacknowledged = new_call("");
  auto hangup = event(known, "call.hangup", 9);
  tracker_->fold_into(known.call_id, hangup, true);
  hangup.id = "another-id";
  tracker_->fold_into(known.call_id, hangup, true);  // already ended
  tracker_->fold_into(unacknowledged.call_id, event(unacknowledged, "call.hangup", 9), true);
  EXPECT_EQ(ended(), std::vector<std::string>{known.call_id});
}

TEST_F(TrackerTest, TheLiveListFollowsCommitsAndIsNewestFirst) {
  Call first = new_call("v3:1");
  advance(1s);
  Call second = new_call("v3:2");
  auto live = tracker_->live().calls();
  ASSERT_EQ(live.size(), 2u);
  EXPECT_EQ(live[0].call_id, second.call_id);
  tracker_->update(first.call_id, [](Call& c) { c.muted = true; });
  EXPECT_TRUE(tracker_->live().calls().at(1).muted);
  tracker_->fold_into(first.call_id, event(first, "call.hangup", 5), true);
  live = tracker_->live().calls();
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].call_id, second.call_id);
}

TEST_F(TrackerTest, LoadLiveFindsTheCallsAPreviousProcessLeft) {
  Call open = new_call("v3:open");
  Call done = new_call("v3:done");
  tracker_->fold_into(done.call_id, event(done, "call.hangup", 5), true);
  client::CallTracker fresh(*logs_, *bus_, [this] { return clock(); }, nullptr);
  fresh.load_live();
  const auto live = fresh.live().calls();
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].call_id, open.call_id);
}

TEST(LiveCalls, TouchMovesOnlyTheLastActivityOfAKnownCall) {
  client::LiveCalls live;
  Call c;
  c.call_id = "a";
  c.updated_at = TimePoint{} + 10s;
  live.remember(c);
  live.touch("a", TimePoint{} + 20s);
  live.touch("unknown", TimePoint{} + 30s);
  const auto entries = live.entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].last_activity, TimePoint{} + 20s);
  EXPECT_EQ(entries[0].call.updated_at, TimePoint{} + 10s);
}

TEST_F(TrackerTest, WaitForReturnsOnTheChangeThatSatisfiesIt) {
  Call c = new_call("");
  auto waiting = std::async(std::launch::async, [&] {
    return tracker_->wait_for(c.call_id, 30s, [](const Call& x) { return !x.call_control_id.empty(); });
  });
  // An unrelated change wakes the waiter, which waits on.
  tracker_->update(c.call_id, [](Call& x) { x.muted = true; });
  tracker_->update(c.call_id, [](Call& x) { x.call_control_id = "v3:now"; });
  EXPECT_EQ(waiting.get().call_control_id, "v3:now");
}

TEST_F(TrackerTest, WaitForEndsWhenTheBudgetRunsOutOrTheTrackerCloses) {
  Call c = new_call("");
  const auto never = [](const Call&) { return false; };
  EXPECT_EQ(tracker_->wait_for(c.call_id, 1ms, never).call_id, c.call_id);
  auto waiting = std::async(std::launch::async, [&] { return tracker_->wait_for(c.call_id, 1h, never); });
  tracker_->close();
  EXPECT_EQ(waiting.get().call_id, c.call_id);
  EXPECT_EQ(tracker_->wait_for(c.call_id, 1h, never).call_id, c.call_id);  // closed: at once
}

TEST_F(TrackerTest, UnknownCallsThrowNotFound) {
  auto code_of = [](auto f) {
    try {
      f();
    } catch (const Error& e) {
      return e.code();
    }
    return errc::ok;
  };
  EXPECT_EQ(code_of([&] { tracker_->update("no-such-call", [](Call&) {}); }), errc::not_found);
  EXPECT_EQ(code_of([&] { tracker_->fold_into("no-such-call", CallEvent{}, true); }), errc::not_found);
}

}  // namespace
}  // namespace callwire
