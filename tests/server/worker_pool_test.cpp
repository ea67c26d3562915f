#include "server/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <optional>

#include "server/http_message.hpp"

namespace callwire::server {
namespace {

TEST(WorkerPool, RunsJobsOnItsThreads) {
  WorkerPool pool(3, "test");
  EXPECT_EQ(pool.thread_count(), 3u);
  std::atomic<int> sum{0};
  std::vector<std::future<bool>> in_pool;
  for (int i = 1; i <= 100; ++i) {
    in_pool.push_back(pool.submit([&, i] {
      sum += i;
      return pool.running_in_pool();
    }));
  }
  for (auto& f : in_pool) EXPECT_TRUE(f.get());
  EXPECT_EQ(sum.load(), 5050);
  EXPECT_FALSE(pool.running_in_pool());
}

TEST(WorkerPool, SubmitCarriesResultsAndExceptions) {
  WorkerPool pool(1);
  EXPECT_EQ(pool.submit([] { return 42; }).get(), 42);
  auto failing = pool.submit([]() -> int { throw Error(errc::storage, "disk full"); });
  EXPECT_THROW(failing.get(), Error);
  // A job that throws through post() does not kill the thread.
  EXPECT_TRUE(pool.post([] { throw std::runtime_error("oops"); }));
  EXPECT_EQ(pool.submit([] { return 7; }).get(), 7);
}

TEST(WorkerPool, ShutdownDrainsQueuedJobs) {
  std::atomic<int> ran{0};
  {
    WorkerPool pool(1);
    std::latch gate(1);
    pool.post([&] { gate.wait(); });
    for (int i = 0; i < 10; ++i) pool.post([&] { ++ran; });
    gate.count_down();
    pool.shutdown(true);
    EXPECT_FALSE(pool.post([&] { ++ran; }));
    EXPECT_THROW(pool.submit([] { return 1; }).get(), Error);
  }
  EXPECT_EQ(ran.load(), 10);
}

TEST(WorkerPool, ShutdownWithoutDrainDestroysQueuedJobs) {
  WorkerPool pool(1);
  std::latch started(1);
  std::latch gate(1);
  std::atomic<int> ran{0};
  std::vector<Response> answers;
  std::mutex m;
  pool.post([&] {
    started.count_down();
    gate.wait();
  });
  started.wait();
  for (int i = 0; i < 3; ++i) {
    auto res = Responder::from_callback([&](Response r) {
      std::lock_guard lock(m);
      answers.push_back(std::move(r));
    });
    pool.post([&, res] {
      ++ran;
      res.send(Response::text("done"));
    });
  }
  std::thread releaser([&] {
    // Let shutdown() take the queue first: it discards before joining.
    while (pool.queued() != 0) std::this_thread::yield();
    gate.count_down();
  });
  pool.shutdown(false);
  releaser.join();
  EXPECT_EQ(ran.load(), 0);
  // Each discarded job dropped its responder: the request got a 500.
  ASSERT_EQ(answers.size(), 3u);
  for (const auto& a : answers) EXPECT_EQ(a.status, 500);
}

TEST(WorkerPool, BoundedQueueRefusesPastTheLimit) {
  WorkerPool pool(1, "bounded", 2);
  std::latch started(1);
  std::latch gate(1);
  pool.post([&] {
    started.count_down();
    gate.wait();
  });
  started.wait();
  EXPECT_TRUE(pool.post([] {}));
  EXPECT_TRUE(pool.post([] {}));
  EXPECT_FALSE(pool.post([] {}));
  EXPECT_EQ(pool.queued(), 2u);
  gate.count_down();
}

TEST(WorkerPool, ShutdownFromItsOwnThreadIsRefused) {
  WorkerPool pool(1);
  auto f = pool.submit([&] {
    try {
      pool.shutdown();
    } catch (const Error& e) {
      return e.code() == errc::internal;
    }
    return false;
  });
  EXPECT_TRUE(f.get());
}

}  // namespace
}  // namespace callwire::server
