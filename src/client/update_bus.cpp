// UpdateBus: subscribers and the in-order delivery of CallUpdates (see
// update_bus.hpp).
#include "client/update_bus.hpp"

#include <boost/asio/post.hpp>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "support/log.hpp"

namespace callwire::client {

namespace net = boost::asio;

struct UpdateBus::Subscription {
  explicit Subscription(Callback cb) : callback(std::move(cb)) {}

  const Callback callback;
  std::mutex mu;
  std::condition_variable idle;  // notified when a callback returns
  bool removed = false;          // guarded by mu: never start the callback again
  bool running = false;          // guarded by mu: the callback is running on `runner`
  std::thread::id runner;        // guarded by mu
};

struct UpdateBus::State {
  explicit State(Executor executor) : strand(net::make_strand(executor)) {}

  net::strand<Executor> strand;
  mutable std::mutex subs_mu;
  std::map<std::uint64_t, std::shared_ptr<Subscription>> subs;  // guarded by subs_mu
  std::uint64_t next_id = 0;                                    // guarded by subs_mu
  std::atomic<std::size_t> waiting{0};

  // Runs on the strand.
  void deliver(const CallUpdate& update) {
    std::vector<std::shared_ptr<Subscription>> targets;
    {
      std::lock_guard lock(subs_mu);
      targets.reserve(subs.size());
      for (const auto& [id, sub] : subs) targets.push_back(sub);
    }
    for (const auto& sub : targets) {
      {
        // An unsubscribe() after the snapshot above wins: checked and marked
        // running under one lock, so it either sees `running` and waits, or
        // this sees `removed` and skips.
        std::lock_guard lock(sub->mu);
        if (sub->removed) continue;
        sub->running = true;
        sub->runner = std::this_thread::get_id();
      }
      try {
        sub->callback(update);
      } catch (const std::exception& e) {
        log::write(log::Level::error, "client", std::string("a call update subscriber threw: ") + e.what());
      } catch (...) {
        log::write(log::Level::error, "client", "a call update subscriber threw a non-standard exception");
      }
      {
        std::lock_guard lock(sub->mu);
        sub->running = false;
      }
      sub->idle.notify_all();
    }
  }
};

UpdateBus::UpdateBus(Executor executor) : state_(std::make_shared<State>(executor)) {}

UpdateBus::~UpdateBus() = default;

std::uint64_t UpdateBus::subscribe(Callback callback) {
  auto sub = std::make_shared<Subscription>(std::move(callback));
  std::lock_guard lock(state_->subs_mu);
  const auto id = ++state_->next_id;
  state_->subs.emplace(id, std::move(sub));
  return id;
}

bool UpdateBus::unsubscribe(std::uint64_t id) {
  std::shared_ptr<Subscription> sub;
  {
    std::lock_guard lock(state_->subs_mu);
    auto it = state_->subs.find(id);
    if (it == state_->subs.end()) return false;
    sub = std::move(it->second);
    state_->subs.erase(it);
  }
  std::unique_lock lock(sub->mu);
  sub->removed = true;
  // From inside its own callback: waiting would wait for this very thread.
  if (!sub->running || sub->runner == std::this_thread::get_id()) return true;
  ++state_->waiting;
  sub->idle.wait(lock, [&] { return !sub->running; });
  --state_->waiting;
  return true;
}

void UpdateBus::publish(CallUpdate update) {
  net::post(state_->strand, [weak = std::weak_ptr<State>(state_), update = std::move(update)] {
    if (auto state = weak.lock()) state->deliver(update);
  });
}

void UpdateBus::publish(std::vector<CallUpdate> updates) {
  if (updates.empty()) return;
  net::post(state_->strand, [weak = std::weak_ptr<State>(state_), updates = std::move(updates)] {
    auto state = weak.lock();
    if (!state) return;
    for (const auto& u : updates) state->deliver(u);
  });
}

std::size_t UpdateBus::size() const {
  std::lock_guard lock(state_->subs_mu);
  return state_->subs.size();
}

std::size_t UpdateBus::waiting_unsubscribes() const { return state_->waiting; }

}  // namespace callwire::client
