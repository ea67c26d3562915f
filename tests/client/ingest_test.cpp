// Webhook ingest's group commit (CallClient::ingest_webhook): webhooks that
// queue up while a commit is in progress are written in one storage
// transaction, and each is still answered only after that commit. A held
// write lock of another SQLite connection keeps the writer waiting, so a test
// can queue webhooks up deterministically (counters().webhooks_pending says
// when they are all waiting) and then let them through.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "callwire/call_client.hpp"
#include "callwire/error.hpp"
#include "callwire/json.hpp"
#include "callwire/log_store.hpp"
#include "callwire/webhook_server.hpp"
#include "server/api/webhook_status.hpp"
#include "core/base64.hpp"
#include "core/uuid.hpp"
#include "log_capture.hpp"

using namespace callwire;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

std::string envelope(const std::string& id, const std::string& type, const std::string& call_id,
                     const std::string& extra = "") {
  return R"({"data":{"record_type":"event","event_type":")" + type + R"(","id":")" + id +
         R"(","occurred_at":"2026-01-01T00:00:0)" + (type == "call.initiated" ? "1" : type == "call.answered" ? "2" : "9") +
         R"(Z","payload":{"call_control_id":"v3:test-)" + call_id + R"(","client_state":")" + base64::encode(call_id) +
         R"(")" + extra + R"(}},"meta":{"attempt":1}})";
}

std::string hangup(const std::string& id, const std::string& call_id) {
  return envelope(id, "call.hangup", call_id, R"(,"hangup_cause":"normal_clearing","hangup_source":"callee")");
}

// Polls a condition for up to 30 s (the wait is bounded; nothing is timed).
template <class Pred>
bool eventually(Pred p) {
  const auto end = std::chrono::steady_clock::now() + 30s;
  while (!p()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

int rank(CallStatus s) {
  switch (s) {
    case CallStatus::dialing:
      return 0;
    case CallStatus::ringing:
      return 1;
    case CallStatus::active:
      return 2;
    default:
      return 3;
  }
}

/// Another connection, holding SQLite's write lock (BEGIN IMMEDIATE) unless
/// `lock` is false.
class WriteLock {
 public:
  explicit WriteLock(const std::string& path, bool lock = true) : held_(lock) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("sqlite3_open failed");
    sqlite3_busy_timeout(db_, 10000);
    if (lock) exec("BEGIN IMMEDIATE");
  }
  ~WriteLock() {
    release();
    sqlite3_close(db_);
  }
  std::int64_t events_with_id(const std::string& id) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db_, "SELECT count(*) FROM call_events WHERE id = ?1", -1, &st, nullptr);
    sqlite3_bind_text(st, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    std::int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
  }
  void release() {
    if (held_) exec("COMMIT");
    held_ = false;
  }
  void exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(db_));
  }

 private:
  bool held_;
  sqlite3* db_ = nullptr;
};

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cw-ingest-" + new_uuid_v4());
    fs::create_directories(dir_);
    path_ = (dir_ / "callwire.db").string();
    storage_.emplace(Storage::open("sqlite://" + path_));
  }
  void TearDown() override {
    for (auto& c : clients_) c->close();
    clients_.clear();
    storage_.reset();
    fs::remove_all(dir_);
  }
  // Calls as the client stores them after a dial (status dialing).
  std::vector<std::string> make_calls(int n) {
    LogStore logs(*storage_);
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) {
      Call c;
      c.to_number = "+1212555" + std::to_string(1000 + i);
      c.from_number = "+13125550100";
      c.status = CallStatus::dialing;
      c.direction = Direction::outbound;
      c.call_id = new_uuid_v4();
      c.call_control_id = "v3:test-" + c.call_id;
      ids.push_back(logs.insert(c).call_id);
    }
    return ids;
  }
  CallClient& client(Storage s) {
    CallClientOptions o;
    o.recordings_dir = (dir_ / "recordings").string();
    clients_.push_back(std::make_unique<CallClient>(std::move(s), o));
    return *clients_.back();
  }
  CallClient& client() { return client(*storage_); }
  std::future<IngestResult> post(CallClient& c, std::string body) {
    return std::async(std::launch::async, [&c, body = std::move(body)] { return c.ingest_webhook(body, {}); });
  }
  std::size_t events_for(const std::string& call_id) {
    return LogStore(*storage_).events_for_call("v3:test-" + call_id).size();
  }

  fs::path dir_;
  std::string path_;
  std::optional<Storage> storage_;
  std::vector<std::unique_ptr<CallClient>> clients_;
};

TEST_F(IngestTest, WebhooksThatQueueUpCommitTogether) {
  auto ids = make_calls(5);
  auto& c = client();
  std::vector<std::future<IngestResult>> results;
  {
    WriteLock lock(path_);
    for (int i = 0; i < 5; ++i) results.push_back(post(c, envelope("ev-q" + std::to_string(i), "call.initiated", ids[i])));
    ASSERT_TRUE(eventually([&] { return c.counters().webhooks_pending == 5; }));
  }
  for (int i = 0; i < 5; ++i) {
    auto r = results[i].get();
    EXPECT_EQ(r.code, errc::ok) << r.message;
    EXPECT_FALSE(r.duplicate);
    EXPECT_EQ(r.call_id, ids[i]);
    EXPECT_EQ(c.get_call(ids[i]).status, CallStatus::ringing);
  }
  // The first one's transaction (waiting for the lock), then the other four
  // in one — or all five in one when the writer woke after they all queued.
  EXPECT_GE(c.counters().ingest_commits, 1u);
  EXPECT_LE(c.counters().ingest_commits, 2u);
  EXPECT_EQ(c.counters().webhooks_pending, 0u);
}

TEST_F(IngestTest, AsyncIngestReturnsAtOnceAndAnswersAfterTheCommit) {
  auto ids = make_calls(3);
  auto& c = client();
  std::mutex mu;
  std::vector<IngestResult> results;
  auto collect = [&](IngestResult r) {
    std::lock_guard lock(mu);
    results.push_back(std::move(r));
  };
  {
    WriteLock lock(path_);
    // All from this one thread: none of the calls waits for the commit.
    for (int i = 0; i < 3; ++i) {
      c.ingest_webhook_async(envelope("ev-a" + std::to_string(i), "call.initiated", ids[i]), {}, collect);
    }
    EXPECT_EQ(c.counters().webhooks_pending, 3u);
    {
      std::lock_guard l(mu);
      EXPECT_TRUE(results.empty());
    }
    EXPECT_EQ(lock.events_with_id("ev-a0") + lock.events_with_id("ev-a1") + lock.events_with_id("ev-a2"), 0);
  }
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(mu);
    return results.size() == 3;
  }));
  for (const auto& r : results) {
    EXPECT_EQ(r.code, errc::ok) << r.message;
    EXPECT_FALSE(r.duplicate);
    EXPECT_EQ(r.event_type, "call.initiated");
  }
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(c.get_call(ids[i]).status, CallStatus::ringing);
    EXPECT_EQ(events_for(ids[i]), 1u);
  }
  EXPECT_LE(c.counters().ingest_commits, 2u);
  EXPECT_EQ(c.counters().webhooks_pending, 0u);
}

TEST_F(IngestTest, AsyncIngestAnswersRejectionsAtOnceOnTheCallingThread) {
  auto& c = client();
  std::optional<IngestResult> r;
  const auto caller = std::this_thread::get_id();
  std::thread::id answered_on;
  c.ingest_webhook_async("{not json", {}, [&](IngestResult x) {
    answered_on = std::this_thread::get_id();
    r = std::move(x);
  });
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(answered_on, caller);
  EXPECT_EQ(r->code, errc::malformed);
  EXPECT_EQ(c.counters().webhooks_pending, 0u);
  EXPECT_THROW(c.ingest_webhook_async("{}", {}, nullptr), Error);
}

TEST_F(IngestTest, BlockingIngestFromAnAsyncCallbackIsRefusedNotADeadlock) {
  auto ids = make_calls(1);
  auto& c = client();
  std::promise<std::string> inner;
  auto got = inner.get_future();
  c.ingest_webhook_async(envelope("ev-outer", "call.initiated", ids[0]), {}, [&](IngestResult) {
    try {
      c.ingest_webhook(envelope("ev-inner", "call.answered", ids[0]), {});
      inner.set_value("no error");
    } catch (const Error& e) {
      inner.set_value(std::string(e.what()));
    }
  });
  ASSERT_EQ(got.wait_for(30s), std::future_status::ready);
  EXPECT_NE(got.get().find("deadlock"), std::string::npos);
  EXPECT_EQ(c.get_call(ids[0]).status, CallStatus::ringing);
}

TEST_F(IngestTest, AClosedClientAnswersClosedAndStoresNothing) {
  auto ids = make_calls(1);
  auto& c = client();
  c.close();
  const auto r = c.ingest_webhook(envelope("ev-closed", "call.initiated", ids[0]), {});
  EXPECT_EQ(r.code, errc::closed);
  EXPECT_EQ(server::webhook_status(r.code), 503);  // what the sender is answered: retry later
  EXPECT_NE(r.message.find("closed"), std::string::npos) << r.message;
  EXPECT_EQ(events_for(ids[0]), 0u);
  EXPECT_EQ(LogStore(*storage_).get(ids[0]).status, CallStatus::dialing);
}

// Webhooks queued when close() starts are stored and answered, their updates
// reach the subscribers before close() returns, and nothing of the client
// outlives it (the subscriber's captures are released). The updates of that
// last batch were once posted to the already joined worker pool: never
// delivered, and the job's reference kept the whole client alive (found by
// LeakSanitizer in capi.client_test).
TEST_F(IngestTest, CloseDeliversTheLastBatchAndReleasesEverything) {
  auto ids = make_calls(3);
  auto& c = client();
  auto sentinel = std::make_shared<int>(0);
  std::mutex mu;
  std::vector<std::string> updated;
  int answered = 0;
  c.subscribe([&, sentinel](const CallUpdate& u) {
    std::lock_guard lock(mu);
    if (u.type == "call.updated") updated.push_back(u.call.call_id);
  });
  std::future<void> closing;
  {
    WriteLock lock(path_);
    for (int i = 0; i < 3; ++i) {
      c.ingest_webhook_async(envelope("ev-c" + std::to_string(i), "call.initiated", ids[i]), {}, [&](IngestResult r) {
        std::lock_guard l(mu);
        if (r) ++answered;
      });
    }
    ASSERT_EQ(c.counters().webhooks_pending, 3u);
    closing = std::async(std::launch::async, [&c] { c.close(); });
    // Give close() time to reach the writer, which waits for this lock.
    EXPECT_EQ(closing.wait_for(100ms), std::future_status::timeout);
  }
  ASSERT_EQ(closing.wait_for(30s), std::future_status::ready);
  {
    std::lock_guard lock(mu);
    EXPECT_EQ(answered, 3);
    std::sort(updated.begin(), updated.end());
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(updated, ids);
  }
  for (const auto& id : ids) EXPECT_EQ(LogStore(*storage_).get(id).status, CallStatus::ringing);
  clients_.clear();
  EXPECT_EQ(sentinel.use_count(), 1) << "the closed client is still alive: a job holds it";
}

TEST_F(IngestTest, TheServerRouteHoldsNoWorkerWhileItsWebhookWaitsForTheCommit) {
  constexpr int kWebhooks = 4;
  auto ids = make_calls(kWebhooks);
  auto& c = client();
  // One worker: were a worker parked until each commit (the route ran the
  // blocking ingest_webhook on the pool), only one webhook could wait at a
  // time; all four must queue up for one batch.
  WebhookServerOptions so;
  so.worker_threads = 1;
  WebhookServer server(c, so);
  std::vector<std::promise<HttpAnswer>> answers(kWebhooks);
  std::vector<std::future<HttpAnswer>> answered;
  for (auto& a : answers) answered.push_back(a.get_future());
  {
    WriteLock lock(path_);
    for (int i = 0; i < kWebhooks; ++i) {
      server.handle(HttpExchange{"POST", "/webhooks/call", {{"Content-Type", "application/json"}},
                                 envelope("ev-route-" + std::to_string(i), "call.initiated", ids[i])},
                    [&answers, i](HttpAnswer a) { answers[i].set_value(std::move(a)); });
    }
    ASSERT_TRUE(eventually([&] { return c.counters().webhooks_pending == kWebhooks; }));
    for (auto& f : answered) EXPECT_EQ(f.wait_for(0ms), std::future_status::timeout);
  }
  for (int i = 0; i < kWebhooks; ++i) {
    const HttpAnswer a = answered[i].get();
    EXPECT_EQ(a.status, 200) << a.body;
    EXPECT_NE(a.body.find("\"duplicate\":false"), std::string::npos) << a.body;
    EXPECT_EQ(c.get_call(ids[i]).status, CallStatus::ringing);
  }
  EXPECT_LE(c.counters().ingest_commits, 2u);
}

TEST_F(IngestTest, OneBadEventInABatchFailsOnlyItsWebhook) {
  auto ids = make_calls(5);
  auto& c = client();
  std::vector<std::future<IngestResult>> good;
  std::future<IngestResult> bad;
  {
    WriteLock lock(path_);
    for (int i = 0; i < 4; ++i) good.push_back(post(c, envelope("ev-g" + std::to_string(i), "call.initiated", ids[i])));
    ASSERT_TRUE(eventually([&] { return c.counters().webhooks_pending == 4; }));
    // Parses, but its id is longer than storage accepts: queued behind the
    // first webhook, in one batch with three good ones.
    bad = post(c, envelope(std::string(300, 'x'), "call.initiated", ids[4]));
    ASSERT_TRUE(eventually([&] { return c.counters().webhooks_pending == 5; }));
  }
  const auto b = bad.get();
  EXPECT_EQ(b.code, errc::malformed);
  EXPECT_NE(b.message.find("event id"), std::string::npos) << b.message;
  for (int i = 0; i < 4; ++i) {
    auto r = good[i].get();
    EXPECT_EQ(r.code, errc::ok) << r.message;
    EXPECT_FALSE(r.duplicate);
    EXPECT_EQ(c.get_call(ids[i]).status, CallStatus::ringing);
    EXPECT_EQ(events_for(ids[i]), 1u);
  }
  EXPECT_EQ(c.get_call(ids[4]).status, CallStatus::dialing);
  EXPECT_EQ(events_for(ids[4]), 0u);
}

TEST_F(IngestTest, StorageFailingMidBatchAnswers503AndARedeliveryStoresAndFolds) {
  auto ids = make_calls(3);
  auto& c = client();
  test::LogCapture log;
  {
    // Every UPDATE of a call fails while the switch is on: the batch has
    // stored its events by then and must roll them back.
    WriteLock setup(path_);
    setup.exec("CREATE TABLE test_fail (fail INTEGER)");
    setup.exec("INSERT INTO test_fail VALUES (1)");
    setup.exec(
        "CREATE TRIGGER test_fail_update BEFORE UPDATE ON call_logs WHEN (SELECT fail FROM test_fail) = 1 "
        "BEGIN SELECT RAISE(ABORT, 'simulated storage failure'); END");
  }
  std::vector<std::string> bodies;
  for (int i = 0; i < 3; ++i) bodies.push_back(envelope("ev-f" + std::to_string(i), "call.initiated", ids[i]));
  std::vector<std::future<IngestResult>> first;
  {
    WriteLock lock(path_);
    for (const auto& b : bodies) first.push_back(post(c, b));
    ASSERT_TRUE(eventually([&] { return c.counters().webhooks_pending == 3; }));
  }
  for (int i = 0; i < 3; ++i) {
    auto r = first[i].get();
    EXPECT_EQ(r.code, errc::unavailable);
    // Telnyx gets a sentence; the database's own text goes to the log.
    EXPECT_EQ(r.message, "The database reported an error.");
    EXPECT_EQ(events_for(ids[i]), 0u);  // nothing half-stored
    EXPECT_EQ(c.get_call(ids[i]).status, CallStatus::dialing);
  }
  EXPECT_FALSE(log.with({"client: storing a webhook failed: The database reported an error. (sqlite: ",
                         "simulated storage failure", path_})
                   .empty());
  {
    WriteLock heal(path_);
    heal.exec("UPDATE test_fail SET fail = 0");
  }
  // The carrier redelivers: stored (not a duplicate: nothing was) and folded.
  for (int i = 0; i < 3; ++i) {
    auto r = c.ingest_webhook(bodies[i], {});
    EXPECT_EQ(r.code, errc::ok) << r.message;
    EXPECT_FALSE(r.duplicate);
    EXPECT_EQ(events_for(ids[i]), 1u);
    EXPECT_EQ(c.get_call(ids[i]).status, CallStatus::ringing);
  }
}

TEST_F(IngestTest, ConcurrentDuplicatesAcrossTwoClientsOnOneFileGiveOneFirst) {
  auto ids = make_calls(1);
  auto& a = client(Storage::open("sqlite://" + path_));
  auto& b = client(Storage::open("sqlite://" + path_));
  for (int round = 0; round < 20; ++round) {
    const std::string body = envelope("ev-dup-" + std::to_string(round),
                                      round % 3 == 0 ? "call.initiated" : round % 3 == 1 ? "call.answered" : "call.hangup",
                                      ids[0]);
    std::promise<void> start;
    std::shared_future<void> go = start.get_future().share();
    std::vector<std::future<IngestResult>> rs;
    for (int k = 0; k < 8; ++k) {
      CallClient& c = k % 2 == 0 ? a : b;
      rs.push_back(std::async(std::launch::async, [&c, &body, go] {
        go.wait();
        return c.ingest_webhook(body, {});
      }));
    }
    start.set_value();
    int first = 0;
    for (auto& f : rs) {
      auto r = f.get();
      EXPECT_EQ(r.code, errc::ok) << r.message;
      EXPECT_EQ(r.call_id, ids[0]);
      first += r.duplicate ? 0 : 1;
    }
    EXPECT_EQ(first, 1) << "round " << round;
  }
  EXPECT_EQ(events_for(ids[0]), 20u);
  EXPECT_EQ(a.get_call(ids[0]).status, CallStatus::completed);
}

TEST_F(IngestTest, TheAnswerWaitsForTheCommit) {
  auto ids = make_calls(2);
  auto& c = client();
  // Through the reference server's route, as a carrier's POSTs arrive: the
  // first webhook's writer waits for the lock, the second queues behind it.
  WebhookServer server(c, {});
  std::vector<std::promise<HttpAnswer>> answers(2);
  std::vector<std::future<HttpAnswer>> answered;
  for (auto& a : answers) answered.push_back(a.get_future());
  {
    WriteLock lock(path_);
    for (int i = 0; i < 2; ++i) {
      server.handle(HttpExchange{"POST", "/webhooks/call", {{"Content-Type", "application/json"}},
                                 envelope("ev-wait-" + std::to_string(i), "call.initiated", ids[i])},
                    [&answers, i](HttpAnswer a) { answers[i].set_value(std::move(a)); });
      ASSERT_TRUE(eventually([&] { return c.counters().webhooks_pending == static_cast<std::uint64_t>(i + 1); }));
    }
    // No answer while nothing can be committed, and nothing stored.
    for (auto& f : answered) EXPECT_EQ(f.wait_for(300ms), std::future_status::timeout);
    EXPECT_EQ(lock.events_with_id("ev-wait-0") + lock.events_with_id("ev-wait-1"), 0);
  }
  for (int i = 0; i < 2; ++i) {
    const HttpAnswer a = answered[i].get();
    EXPECT_EQ(a.status, 200) << a.body;
    EXPECT_NE(a.body.find("\"duplicate\":false"), std::string::npos) << a.body;
    EXPECT_EQ(events_for(ids[i]), 1u);
    EXPECT_EQ(c.get_call(ids[i]).status, CallStatus::ringing);
  }
}

TEST_F(IngestTest, EachCallsUpdatesArriveInOrderUnderABurst) {
  constexpr int kCalls = 48;
  constexpr int kThreads = 8;
  auto ids = make_calls(kCalls);
  auto& c = client();
  std::mutex mu;
  std::map<std::string, std::vector<CallUpdate>> seen;
  std::size_t total = 0;
  c.subscribe([&](const CallUpdate& u) {
    std::lock_guard lock(mu);
    seen[u.call.call_id].push_back(u);
    ++total;
  });
  // Each thread sends its calls' events interleaved: every call's initiated,
  // then every answered, then every hangup.
  // Each answered webhook's event must already be visible to another
  // connection: answers come after the commit, for every webhook of a batch.
  std::vector<std::thread> threads;
  std::atomic<int> not_ok{0}, not_committed{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      WriteLock reader(path_, /*lock=*/false);
      for (const char* type : {"call.initiated", "call.answered", "call.hangup"}) {
        for (int i = t; i < kCalls; i += kThreads) {
          const std::string id = std::string("ev-") + type + "-" + std::to_string(i);
          const std::string body = std::string(type) == "call.hangup" ? hangup(id, ids[i]) : envelope(id, type, ids[i]);
          if (!c.ingest_webhook(body, {})) ++not_ok;
          if (reader.events_with_id(id) != 1) ++not_committed;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(not_ok, 0);
  EXPECT_EQ(not_committed, 0);
  // Three call.updated and one call.ended per call.
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(mu);
    return total >= static_cast<std::size_t>(kCalls) * 4;
  }));
  std::lock_guard lock(mu);
  EXPECT_EQ(total, static_cast<std::size_t>(kCalls) * 4);
  for (const auto& id : ids) {
    const auto& us = seen[id];
    ASSERT_EQ(us.size(), 4u) << id;
    for (std::size_t k = 1; k < us.size(); ++k) {
      EXPECT_LE(rank(us[k - 1].call.status), rank(us[k].call.status)) << id << " update " << k;
      EXPECT_LE(us[k - 1].call.updated_at, us[k].call.updated_at) << id << " update " << k;
    }
    EXPECT_EQ(us[0].call.status, CallStatus::ringing);
    EXPECT_EQ(us[1].call.status, CallStatus::active);
    EXPECT_EQ(us[2].call.status, CallStatus::completed);
    EXPECT_EQ(us[3].type, "call.ended");
    EXPECT_EQ(json::encode(us[3].call), json::encode(c.get_call(id)));
  }
  // Commits are shared: fewer transactions than webhooks is the usual case
  // under a burst, never more.
  EXPECT_LE(c.counters().ingest_commits, static_cast<std::uint64_t>(kCalls) * 3);
}

}  // namespace
