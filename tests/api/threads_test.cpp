// The threads callwire starts carry names (support/thread_name.hpp), so that
// top -H, ps -L, gdb and perf tell them apart.
#include <algorithm>
#include <set>
#include <thread>

#include "api_fixture.hpp"
#include "support/thread_name.hpp"
#include "thread_names.hpp"

using namespace callwire;
using namespace callwire::test;

namespace {

class ThreadNames : public ApiFixture {};

}  // namespace

TEST(ThreadName, TheCallingThreadIsNamedAndLongNamesAreCut) {
#if !defined(__linux__)
  GTEST_SKIP() << "thread names are read back on Linux only";
#else
  std::string short_name, long_name;
  std::thread([&] {
    support::set_current_thread_name("cw-test");
    short_name = support::current_thread_name();
    support::set_current_thread_name("cw-a-name-longer-than-fifteen");
    long_name = support::current_thread_name();
  }).join();
  EXPECT_EQ(short_name, "cw-test");
  EXPECT_EQ(long_name, "cw-a-name-longe");  // Linux keeps 15 bytes
#endif
}

TEST_F(ThreadNames, EveryThreadOfAClientAndAServerIsNamed) {
#if !defined(__linux__)
  GTEST_SKIP() << "thread names are read from /proc";
#else
  CallClientOptions co;
  co.io_threads = 2;
  co.worker_threads = 3;
  WebhookServerOptions so;
  so.threads = 2;
  so.worker_threads = 2;
  start(co, so);
  const std::multiset<std::string> expected{"cw-ingest", "cw-io-0",   "cw-io-1",        "cw-work-0",     "cw-work-1",
                                            "cw-work-2", "cw-http-0", "cw-http-1",      "cw-http-work-0", "cw-http-work-1"};
  std::multiset<std::string> seen;
  // The worker pool's threads name themselves from a job each: poll.
  const bool all = poll([&] {
    seen = thread_names();
    return std::includes(seen.begin(), seen.end(), expected.begin(), expected.end());
  });
  std::string listing;
  for (const auto& n : seen) listing += n + " ";
  EXPECT_TRUE(all) << "threads: " << listing;
  // The pool still works after its threads met to be named.
  EXPECT_EQ(http_->get("/api/calls/logs").status, 200);
#endif
}
