// UpdateBus on its own (src/client/update_bus.hpp): order, the wait of
// unsubscribe, unsubscribe from inside a callback, throwing callbacks,
// unknown ids, and jobs that outlive the bus. No timing: every wait is on a
// latch, a promise or a condition the bus reports.
#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <future>
#include <latch>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "client/update_bus.hpp"
#include "log_capture.hpp"

namespace callwire {
namespace {

namespace net = boost::asio;
using client::UpdateBus;

CallUpdate update_of(const std::string& call_id, std::int64_t seq, const char* type = "call.updated") {
  CallUpdate u;
  u.type = type;
  u.call.call_id = call_id;
  u.call.duration = seq;  // the sequence number, for the order checks
  return u;
}

// Blocks the calling thread until `done` holds, yielding in between (a poll,
// not a timed assertion: the test framework's timeout is the only limit).
template <class F>
void spin_until(F&& done) {
  while (!done()) std::this_thread::yield();
}

TEST(UpdateBusTest, DeliversEachCallsUpdatesInOrderOneAtATimeFromManyPublishingThreads) {
  net::thread_pool pool(4);
  UpdateBus bus(pool.get_executor());

  constexpr int kThreads = 4;
  constexpr int kPerThread = 2000;  // half one by one, half in batches of 10
  constexpr int kTotal = kThreads * kPerThread;

  std::mutex mu;
  std::map<std::string, std::vector<std::int64_t>> seen;  // per call, per subscriber 1
  std::map<std::string, std::vector<std::int64_t>> seen2;  // per call, per subscriber 2
  std::atomic<int> in_callback{0};
  std::atomic<int> overlaps{0};
  std::atomic<int> delivered{0};
  std::promise<void> all;

  auto record = [&](std::map<std::string, std::vector<std::int64_t>>& into, const CallUpdate& u) {
    if (in_callback.fetch_add(1) != 0) ++overlaps;
    {
      std::lock_guard lock(mu);
      into[u.call.call_id].push_back(u.call.duration);
    }
    in_callback.fetch_sub(1);
  };
  bus.subscribe([&](const CallUpdate& u) { record(seen, u); });
  bus.subscribe([&](const CallUpdate& u) {
    record(seen2, u);
    if (delivered.fetch_add(1) + 1 == kTotal) all.set_value();
  });

  std::latch start(kThreads);
  std::vector<std::thread> publishers;
  for (int t = 0; t < kThreads; ++t) {
    publishers.emplace_back([&, t] {
      const std::string call = "call-" + std::to_string(t);
      start.arrive_and_wait();  // all publish at once
      std::int64_t seq = 0;
      while (seq < kPerThread / 2) bus.publish(update_of(call, seq++));
      while (seq < kPerThread) {
        std::vector<CallUpdate> batch;
        for (int i = 0; i < 10; ++i) batch.push_back(update_of(call, seq++));
        bus.publish(std::move(batch));
      }
    });
  }
  for (auto& p : publishers) p.join();
  all.get_future().wait();
  pool.join();

  EXPECT_EQ(overlaps.load(), 0);
  for (const auto* got : {&seen, &seen2}) {
    ASSERT_EQ(got->size(), static_cast<std::size_t>(kThreads));
    for (const auto& [call, seqs] : *got) {
      ASSERT_EQ(seqs.size(), static_cast<std::size_t>(kPerThread)) << call;
      for (int i = 0; i < kPerThread; ++i) ASSERT_EQ(seqs[i], i) << call;
    }
  }
}

TEST(UpdateBusTest, AnEmptyBatchIsNoJob) {
  net::thread_pool pool(1);
  UpdateBus bus(pool.get_executor());
  std::atomic<int> calls{0};
  bus.subscribe([&](const CallUpdate&) { ++calls; });
  bus.publish(std::vector<CallUpdate>{});
  pool.join();  // runs everything queued
  EXPECT_EQ(calls.load(), 0);
}

TEST(UpdateBusTest, UnsubscribeFromAnotherThreadWaitsForTheRunningCallback) {
  net::thread_pool pool(2);
  UpdateBus bus(pool.get_executor());

  std::promise<void> entered;
  std::promise<void> release;
  auto released = release.get_future().share();
  std::atomic<bool> running{false};
  std::atomic<int> calls{0};
  const auto id = bus.subscribe([&](const CallUpdate&) {
    ++calls;
    running = true;
    entered.set_value();
    released.wait();
    running = false;
  });
  bus.publish(update_of("c", 0));
  entered.get_future().wait();  // the callback is running on a pool thread

  std::atomic<bool> returned{false};
  bool running_when_it_returned = true;
  bool removed = false;
  std::thread other([&] {
    removed = bus.unsubscribe(id);
    running_when_it_returned = running.load();
    returned = true;
  });
  // Release the callback only once unsubscribe() waits for it — or has
  // returned, which (the callback still blocked) makes the checks below fail.
  spin_until([&] { return bus.waiting_unsubscribes() == 1 || returned.load(); });
  EXPECT_FALSE(returned.load()) << "unsubscribe returned while the callback was running";
  release.set_value();
  other.join();

  EXPECT_TRUE(removed);
  EXPECT_FALSE(running_when_it_returned);
  EXPECT_EQ(bus.waiting_unsubscribes(), 0u);
  EXPECT_EQ(bus.size(), 0u);

  // Never runs again.
  bus.publish(update_of("c", 1));
  pool.join();
  EXPECT_EQ(calls.load(), 1);
}

TEST(UpdateBusTest, UnsubscribeOfAnIdleSubscriptionReturnsAndItNeverRunsAgain) {
  net::thread_pool pool(2);
  UpdateBus bus(pool.get_executor());
  std::atomic<int> a{0};
  std::promise<void> b_got_two;
  int b = 0;
  const auto id_a = bus.subscribe([&](const CallUpdate&) { ++a; });
  bus.subscribe([&](const CallUpdate&) {
    if (++b == 2) b_got_two.set_value();
  });
  std::promise<void> first;
  const auto id_c = bus.subscribe([&](const CallUpdate&) { first.set_value(); });

  bus.publish(update_of("c", 0));
  first.get_future().wait();  // a and b got update 0 before c (subscription order)
  EXPECT_TRUE(bus.unsubscribe(id_a));
  EXPECT_TRUE(bus.unsubscribe(id_c));
  bus.publish(update_of("c", 1));
  b_got_two.get_future().wait();  // a would have had update 1 before b
  pool.join();
  EXPECT_EQ(a.load(), 1);
}

TEST(UpdateBusTest, UnsubscribeFromInsideItsOwnCallbackReturnsAtOnce) {
  net::thread_pool pool(2);
  UpdateBus bus(pool.get_executor());

  std::uint64_t self_id = 0;
  std::atomic<int> self_calls{0};
  bool removed = false;
  bool finished_normally = false;
  std::promise<void> subscribed;
  auto ready = subscribed.get_future().share();
  self_id = bus.subscribe([&](const CallUpdate&) {
    ready.wait();  // self_id is assigned
    ++self_calls;
    removed = bus.unsubscribe(self_id);  // would wait for this very thread
    finished_normally = true;
  });
  subscribed.set_value();
  std::promise<void> later_got_second;
  int later = 0;
  bus.subscribe([&](const CallUpdate&) {
    if (++later == 2) later_got_second.set_value();
  });

  bus.publish(update_of("c", 0));
  bus.publish(update_of("c", 1));
  later_got_second.get_future().wait();  // the second update went round
  pool.join();

  EXPECT_TRUE(removed);
  EXPECT_TRUE(finished_normally);
  EXPECT_EQ(self_calls.load(), 1);
  EXPECT_EQ(bus.size(), 1u);
}

TEST(UpdateBusTest, ACallbackMayUnsubscribeAnotherSubscriptionAndSubscribeANewOne) {
  net::thread_pool pool(2);
  UpdateBus bus(pool.get_executor());
  std::atomic<int> victim{0}, newcomer{0};
  std::uint64_t victim_id = 0;
  std::promise<void> ids;
  auto ids_ready = ids.get_future().share();
  bool done = false;
  bus.subscribe([&](const CallUpdate&) {
    ids_ready.wait();
    if (done) return;
    done = true;
    EXPECT_TRUE(bus.unsubscribe(victim_id));
    bus.subscribe([&](const CallUpdate&) { ++newcomer; });
  });
  victim_id = bus.subscribe([&](const CallUpdate&) { ++victim; });
  ids.set_value();

  bus.publish(update_of("c", 0));  // the victim is removed before its turn
  bus.publish(update_of("c", 1));  // the newcomer gets this one
  pool.join();
  EXPECT_EQ(victim.load(), 0);
  EXPECT_EQ(newcomer.load(), 1);
}

TEST(UpdateBusTest, AThrowingCallbackIsLoggedAndTheOthersStillGetEveryUpdate) {
  test::LogCapture log(log::Level::error);
  net::thread_pool pool(2);
  UpdateBus bus(pool.get_executor());
  std::atomic<int> throws_std{0}, throws_other{0};
  std::vector<std::int64_t> got;
  bus.subscribe([&](const CallUpdate& u) {
    ++throws_std;
    throw std::runtime_error("boom " + std::to_string(u.call.duration));
  });
  bus.subscribe([&](const CallUpdate&) {
    ++throws_other;
    throw 42;
  });
  bus.subscribe([&](const CallUpdate& u) { got.push_back(u.call.duration); });

  bus.publish(update_of("c", 0));
  bus.publish(std::vector<CallUpdate>{update_of("c", 1), update_of("c", 2)});
  pool.join();

  EXPECT_EQ(got, (std::vector<std::int64_t>{0, 1, 2}));
  EXPECT_EQ(throws_std.load(), 3);  // still subscribed after throwing
  EXPECT_EQ(throws_other.load(), 3);
  EXPECT_EQ(log.with({"client: a call update subscriber threw: boom 1"}).size(), 1u);
  EXPECT_EQ(log.with({"client: a call update subscriber threw a non-standard exception"}).size(), 3u);
}

TEST(UpdateBusTest, UnsubscribeOfAnUnknownIdIsIgnored) {
  net::thread_pool pool(1);
  UpdateBus bus(pool.get_executor());
  std::atomic<int> calls{0};
  const auto id = bus.subscribe([&](const CallUpdate&) { ++calls; });
  EXPECT_NE(id, 0u);
  EXPECT_FALSE(bus.unsubscribe(0));
  EXPECT_FALSE(bus.unsubscribe(id + 1000));
  EXPECT_EQ(bus.size(), 1u);
  bus.publish(update_of("c", 0));
  pool.join();
  EXPECT_EQ(calls.load(), 1);  // the known one is untouched

  EXPECT_TRUE(bus.unsubscribe(id));
  EXPECT_FALSE(bus.unsubscribe(id));  // already removed
  EXPECT_EQ(bus.size(), 0u);
}

TEST(UpdateBusTest, IdsAreNotReused) {
  net::thread_pool pool(1);
  UpdateBus bus(pool.get_executor());
  const auto a = bus.subscribe([](const CallUpdate&) {});
  ASSERT_TRUE(bus.unsubscribe(a));
  const auto b = bus.subscribe([](const CallUpdate&) {});
  EXPECT_NE(a, b);
  EXPECT_FALSE(bus.unsubscribe(a));  // the old id does not remove the new one
  EXPECT_EQ(bus.size(), 1u);
  pool.join();
}

TEST(UpdateBusTest, AJobThatRunsAfterTheBusIsGoneDeliversNothing) {
  net::thread_pool pool(1);
  std::promise<void> release;
  auto released = release.get_future().share();
  std::promise<void> blocking;
  net::post(pool, [&] {  // holds the pool's only thread
    blocking.set_value();
    released.wait();
  });
  blocking.get_future().wait();

  std::atomic<int> calls{0};
  {
    UpdateBus bus(pool.get_executor());
    bus.subscribe([&](const CallUpdate&) { ++calls; });
    bus.publish(update_of("c", 0));
    bus.publish(std::vector<CallUpdate>{update_of("c", 1)});
  }  // destroyed with both jobs still queued
  release.set_value();
  pool.join();
  EXPECT_EQ(calls.load(), 0);
}

}  // namespace
}  // namespace callwire
