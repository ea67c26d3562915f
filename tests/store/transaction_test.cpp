// LogStore::transaction on both backends: SQLite commits all of a
// transaction or nothing, on one connection (its reads see its writes, other
// connections see nothing until the commit); MongoDB runs the operations one
// by one as outside a transaction.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <future>
#include <stdexcept>

#include "callwire/log_store.hpp"
#include "store_fixture.hpp"

namespace callwire::test {
namespace {

Call new_call(std::string to) {
  Call c;
  c.to_number = std::move(to);
  c.from_number = "+13125550100";
  c.status = CallStatus::dialing;
  return c;
}

CallEvent event(std::string id, std::string ccid) {
  CallEvent e;
  e.id = std::move(id);
  e.event_type = "call.initiated";
  e.call_control_id = std::move(ccid);
  e.occurred_at = at(5);
  return e;
}

class Transaction : public StoreTest {};

TEST_P(Transaction, CommitsEverythingAndReadsItsOwnWrites) {
  LogStore logs(storage());
  Call c = logs.insert(new_call("+12125551234"));
  bool fresh = false, again = true;
  logs.transaction([&] {
    fresh = logs.record_event(event("ev-1", "v3:a"));
    again = logs.record_event(event("ev-1", "v3:a"));  // sees the first insert
    Call x = logs.get(c.call_id);
    x.status = CallStatus::ringing;
    x.call_control_id = "v3:a";
    logs.update(x);
    auto found = logs.find_by_control_id("v3:a");  // sees the update
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->call_id, c.call_id);
  });
  EXPECT_TRUE(fresh);
  EXPECT_FALSE(again);
  EXPECT_EQ(logs.get(c.call_id).status, CallStatus::ringing);
  EXPECT_EQ(logs.events_for_call("v3:a").size(), 1u);
  EXPECT_EQ(logs.atomic_transactions(), !mongo());
}

TEST_P(Transaction, AnExceptionRollsBackOnSqliteAndKeepsEarlierWritesOnMongo) {
  LogStore logs(storage());
  Call c = logs.insert(new_call("+12125551234"));
  EXPECT_THROW(logs.transaction([&] {
                 logs.record_event(event("ev-2", "v3:b"));
                 Call x = logs.get(c.call_id);
                 x.status = CallStatus::active;
                 logs.update(x);
                 throw std::runtime_error("fails half-way");
               }),
               std::runtime_error);
  if (mongo()) {  // no multi-document transaction: what ran is stored
    EXPECT_EQ(logs.events_for_call("v3:b").size(), 1u);
    EXPECT_EQ(logs.get(c.call_id).status, CallStatus::active);
  } else {
    EXPECT_TRUE(logs.events_for_call("v3:b").empty());
    EXPECT_EQ(logs.get(c.call_id).status, CallStatus::dialing);
  }
  // The store keeps working (the SQLite connection went back clean).
  EXPECT_EQ(logs.record_event(event("ev-2", "v3:b")), !mongo());
  logs.transaction([&] { logs.record_event(event("ev-3", "v3:b")); });
  EXPECT_EQ(logs.events_for_call("v3:b").size(), 2u);
}

TEST_P(Transaction, NestedTransactionsJoinTheOuterOne) {
  LogStore logs(storage());
  EXPECT_THROW(logs.transaction([&] {
                 logs.transaction([&] { logs.record_event(event("ev-n1", "v3:n")); });
                 throw std::runtime_error("outer fails");
               }),
               std::runtime_error);
  EXPECT_EQ(logs.events_for_call("v3:n").size(), mongo() ? 1u : 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, Transaction, ::testing::Values("sqlite", "mongodb"), backend_name);

// SQLite: nothing of an open transaction is visible to another handle, and a
// write from another handle waits for the commit.
TEST(SqliteTransaction, OtherConnectionsSeeNothingBeforeTheCommit) {
  TempDir dir;
  const std::string url = "sqlite://" + dir.file("callwire.db");
  Storage a = Storage::open(url);
  Storage b = Storage::open(url);
  LogStore la(a), lb(b);
  std::promise<void> inside, go_on;
  auto done = std::async(std::launch::async, [&] {
    la.transaction([&] {
      la.record_event(event("ev-t", "v3:t"));
      inside.set_value();
      go_on.get_future().wait();
    });
  });
  inside.get_future().wait();
  EXPECT_TRUE(lb.events_for_call("v3:t").empty());
  go_on.set_value();
  done.get();
  EXPECT_EQ(lb.events_for_call("v3:t").size(), 1u);
  EXPECT_FALSE(lb.record_event(event("ev-t", "v3:t")));
}

}  // namespace
}  // namespace callwire::test
