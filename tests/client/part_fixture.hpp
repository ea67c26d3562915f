// What the client parts' own tests share: a fresh SQLite store in a
// temporary folder, a worker pool, an UpdateBus whose updates are collected,
// a settable clock and a CallTracker over them — the parts as CallClient
// wires them, without CallClient.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/thread_pool.hpp>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <vector>

#include "callwire/call_state.hpp"
#include "callwire/log_store.hpp"
#include "callwire/storage.hpp"
#include "client/call_tracker.hpp"
#include "client/update_bus.hpp"
#include "core/uuid.hpp"

namespace callwire::test {

class Updates {
 public:
  void add(const CallUpdate& u) {
    std::lock_guard lock(mu_);
    all_.push_back(u);
    cv_.notify_all();
  }
  /// Waits (bounded) until n updates arrived; returns them.
  std::vector<CallUpdate> wait(std::size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(30), [&] { return all_.size() >= n; });
    return all_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<CallUpdate> all_;
};

class PartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("cw-part-" + new_uuid_v4());
    std::filesystem::create_directories(dir_);
    storage_ = std::make_unique<Storage>(Storage::open("sqlite://" + (dir_ / "callwire.db").string()));
    logs_ = std::make_unique<LogStore>(*storage_);
    bus_ = std::make_unique<client::UpdateBus>(pool_.get_executor());
    bus_->subscribe([this](const CallUpdate& u) { updates_.add(u); });
    tracker_ = std::make_unique<client::CallTracker>(
        *logs_, *bus_, [this] { return clock(); }, [this](const Call& c, const Call& before) {
          // As the client's hook: the carrier hears of each end of a call it knows, once.
          if (!is_terminal(c.status) || is_terminal(before.status) || c.call_control_id.empty()) return;
          std::lock_guard lock(ended_mu_);
          ended_.push_back(c.call_id);
        });
  }
  void TearDown() override {
    tracker_.reset();
    bus_.reset();
    pool_.join();
    logs_.reset();
    storage_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  TimePoint clock() const {
    std::lock_guard lock(clock_mu_);
    return now_;
  }
  void advance(std::chrono::milliseconds d) {
    std::lock_guard lock(clock_mu_);
    now_ += d;
  }

  /// A new dialing call, stored through the tracker.
  Call new_call(const std::string& control_id = "", bool demo = false) {
    Call c;
    c.call_id = new_uuid_v4();
    c.call_control_id = control_id;
    c.to_number = "+15550001111";
    c.from_number = "+15550002222";
    c.status = CallStatus::dialing;
    c.created_at = c.updated_at = clock();
    c.demo = demo;
    return tracker_->insert(c);
  }

  CallEvent event(const Call& c, const std::string& type, int second) const {
    CallEvent e;
    e.id = new_uuid_v4();
    e.event_type = type;
    e.call_control_id = c.call_control_id;
    e.occurred_at = TimePoint{} + std::chrono::seconds(1'767'225'600 + second);
    return e;
  }

  std::vector<std::string> ended() {
    std::lock_guard lock(ended_mu_);
    return ended_;
  }

  std::filesystem::path dir_;
  boost::asio::thread_pool pool_{2};
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<LogStore> logs_;
  std::unique_ptr<client::UpdateBus> bus_;
  std::unique_ptr<client::CallTracker> tracker_;
  Updates updates_;
  mutable std::mutex clock_mu_;
  TimePoint now_ = TimePoint{} + std::chrono::seconds(1'767'225'600);
  std::mutex ended_mu_;
  std::vector<std::string> ended_;
};

}  // namespace callwire::test
