// The public log hook (callwire/log.hpp): levels, the default restored, the
// guarantees of set_log_handler, and the request ids the front door gives
// every request (server/request_id.hpp) — on the answer and on the records
// written while it is handled, on the worker pool too.
#include "callwire/log.hpp"

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "callwire/error.hpp"
#include "server/dispatcher.hpp"
#include "server/request_id.hpp"
#include "server/request_path.hpp"
#include "server/worker_pool.hpp"
#include "support/log.hpp"

namespace callwire {
namespace {

struct Seen {
  LogLevel level;
  std::string component, message, request_id;
  std::chrono::system_clock::time_point time;
};

/// Installs a handler that keeps every record; restores the default after.
class Captured {
 public:
  explicit Captured(LogLevel level) {
    set_log_handler(level, [this](const LogRecord& r) {
      std::lock_guard lock(mu_);
      seen_.push_back({r.level, std::string(r.component), std::string(r.message), std::string(r.request_id), r.time});
    });
  }
  ~Captured() { set_log_handler(LogLevel::info, nullptr); }
  Captured(const Captured&) = delete;
  Captured& operator=(const Captured&) = delete;

  std::vector<Seen> seen() const {
    std::lock_guard lock(mu_);
    return seen_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<Seen> seen_;
};

TEST(LogHook, HandsRecordsAtAndAboveTheLevelToTheHandler) {
  const auto before = std::chrono::system_clock::now();
  {
    Captured c(LogLevel::warn);
    EXPECT_EQ(log_level(), LogLevel::warn);
    log::write(LogLevel::info, "test", "not this one");
    log::write(LogLevel::warn, "test", "a warning");
    log::print(LogLevel::error, "http", "an error ", 42);
    const auto seen = c.seen();
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0].level, LogLevel::warn);
    EXPECT_EQ(seen[0].component, "test");
    EXPECT_EQ(seen[0].message, "a warning");
    EXPECT_EQ(seen[0].request_id, "");
    EXPECT_GE(seen[0].time, before);
    EXPECT_EQ(seen[1].level, LogLevel::error);
    EXPECT_EQ(seen[1].message, "an error 42");

    set_log_level(LogLevel::debug);  // the threshold alone; the handler stays
    log::write(LogLevel::debug, "test", "now debug");
    EXPECT_EQ(c.seen().size(), 3u);
    set_log_level(LogLevel::off);
    log::write(LogLevel::error, "test", "silenced");
    EXPECT_EQ(c.seen().size(), 3u);
  }
  EXPECT_EQ(log_level(), LogLevel::info);  // the default output, at info, again
}

TEST(LogHook, ParsesAndNamesLevels) {
  EXPECT_EQ(parse_log_level("DEBUG"), LogLevel::debug);
  EXPECT_EQ(parse_log_level("warning"), LogLevel::warn);
  EXPECT_EQ(parse_log_level("off"), LogLevel::off);
  EXPECT_FALSE(parse_log_level("loud"));
  EXPECT_EQ(to_string(LogLevel::error), "error");
  // The values are the C ABI's CW_LOG_* codes.
  EXPECT_EQ(static_cast<int>(LogLevel::trace), 0);
  EXPECT_EQ(static_cast<int>(LogLevel::off), 5);
}

TEST(LogHook, ReplacingWaitsForTheCallInFlight) {
  std::promise<void> entered;
  std::promise<void> release;
  auto release_f = release.get_future().share();
  std::atomic<bool> finished{false};
  set_log_handler(LogLevel::info, [&](const LogRecord&) {
    entered.set_value();
    release_f.wait();
    finished = true;
  });
  std::thread logger([] { log::write(LogLevel::warn, "test", "slow"); });
  entered.get_future().wait();
  auto replaced = std::async(std::launch::async, [] { set_log_handler(LogLevel::info, nullptr); });
  EXPECT_EQ(replaced.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout);
  release.set_value();
  replaced.get();
  EXPECT_TRUE(finished);  // when set_log_handler returned, the old handler had finished
  logger.join();
}

TEST(LogHook, AHandlerMayNotReplaceItselfNorReenter) {
  std::vector<std::string> errors;
  int calls = 0;
  set_log_handler(LogLevel::info, [&](const LogRecord& r) {
    ++calls;
    try {
      set_log_handler(LogLevel::info, nullptr);
    } catch (const Error& e) {
      errors.push_back(std::string(to_string(r.level)) + ":" + (e.code() == errc::conflict ? "conflict" : "other"));
    }
    log::write(LogLevel::warn, "test", "from inside the handler: to stderr, not back here");
  });
  log::write(LogLevel::warn, "test", "outer");
  set_log_handler(LogLevel::info, nullptr);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(errors, std::vector<std::string>{"warn:conflict"});
}

TEST(LogHook, AThrowingHandlerDoesNotReachTheCaller) {
  set_log_handler(LogLevel::info, [](const LogRecord&) { throw std::runtime_error("handler bug"); });
  EXPECT_NO_THROW(log::write(LogLevel::warn, "test", "goes to stderr instead"));
  set_log_handler(LogLevel::info, nullptr);
}

TEST(RequestId, AcceptsOnlyTameIdsFromClients) {
  EXPECT_TRUE(server::acceptable_request_id("abc-123"));
  EXPECT_TRUE(server::acceptable_request_id("trace.1:2_3"));
  EXPECT_TRUE(server::acceptable_request_id(std::string(64, 'a')));
  EXPECT_FALSE(server::acceptable_request_id(""));
  EXPECT_FALSE(server::acceptable_request_id(std::string(65, 'a')));
  EXPECT_FALSE(server::acceptable_request_id("a b"));
  EXPECT_FALSE(server::acceptable_request_id("a\nfake log line"));
  EXPECT_FALSE(server::acceptable_request_id("\"quoted\""));
  const std::regex fresh("[0-9a-f]{16}-[0-9a-f]+");
  const std::string a = server::new_request_id();
  const std::string b = server::new_request_id();
  EXPECT_TRUE(std::regex_match(a, fresh)) << a;
  EXPECT_NE(a, b);
  EXPECT_EQ(a.substr(0, 16), b.substr(0, 16));  // one random prefix per process
}

server::Request make(std::string path, server::HeaderList headers = {}) {
  server::Request r;
  r.method = "GET";
  r.target = path;
  r.path = std::move(path);
  r.headers = std::move(headers);
  return r;
}

TEST(RequestId, EveryAnswerAndEveryRecordOfARequestCarriesIt) {
  server::WorkerPool pool(1, "test");
  auto router = std::make_shared<server::Router>();
  router->get("/inline", server::Router::sync([](const server::Request&) {
    log::write(LogLevel::warn, "test", "inline");
    return server::Response::text("ok");
  }));
  router->get("/pooled", [&pool](const server::Request&, server::Responder res) {
    pool.post([res] {
      log::write(LogLevel::warn, "test", "on the pool");
      res.send(server::Response::text("ok"));
    });
  });
  server::Dispatcher d(router, server::DispatcherOptions{});
  Captured c(LogLevel::info);

  auto answer = [&](server::Request req) {
    std::promise<server::Response> p;
    auto f = p.get_future();
    d.handle(std::move(req), [&p](server::Response r) { p.set_value(std::move(r)); });
    return f.get();
  };
  const auto mine = answer(make("/inline", {{"X-Request-Id", "client-7"}}));
  EXPECT_EQ(mine.header("X-Request-Id").value_or(""), "client-7");
  const auto pooled = answer(make("/pooled"));
  const std::string pooled_id(pooled.header("X-Request-Id").value_or(""));
  EXPECT_FALSE(pooled_id.empty());
  const auto refused = answer(make("/a//b", {{"X-Request-Id", "bad id"}}));  // a refused path is logged
  EXPECT_EQ(refused.status, 400);
  const std::string refused_id(refused.header("X-Request-Id").value_or(""));
  EXPECT_NE(refused_id, "bad id");
  EXPECT_FALSE(refused_id.empty());

  log::write(LogLevel::warn, "test", "outside");
  const auto seen = c.seen();
  auto id_of = [&](const std::string& message) {
    for (const auto& s : seen) {
      if (s.message.find(message) != std::string::npos) return s.request_id;
    }
    return std::string("(none)");
  };
  EXPECT_EQ(id_of("inline"), "client-7");
  EXPECT_EQ(id_of("on the pool"), pooled_id);
  EXPECT_EQ(id_of("refused a request path"), refused_id);
  EXPECT_EQ(id_of("outside"), "");
}

}  // namespace
}  // namespace callwire
