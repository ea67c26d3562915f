#include "server/api/presence.hpp"

#include <vector>

#include "callwire/error.hpp"
#include "support/log.hpp"
#include "support/thread_name.hpp"

namespace callwire::server {
namespace {

bool is_live(CallStatus s) { return s == CallStatus::dialing || s == CallStatus::ringing || s == CallStatus::active; }

}  // namespace

Presence::Presence(UserStore users, PresenceOptions options, OnChange on_change)
    : users_(std::move(users)), options_(options), on_change_(std::move(on_change)) {
  thread_ = std::thread([this] {
    support::set_current_thread_name("cw-presence");
    run();
  });
}

Presence::~Presence() { stop(); }

void Presence::call_changed(const Call& call) {
  if (!call.agent_id) return;
  post(CallEvent{*call.agent_id, call.call_id, is_live(call.status)});
}

void Presence::socket_opened(const std::string& user_id) { post(SocketEvent{user_id, true}); }
void Presence::socket_closed(const std::string& user_id) { post(SocketEvent{user_id, false}); }
void Presence::set_by_user(const std::string& user_id, UserStatus status) { post(UserEvent{user_id, status}); }

void Presence::post(Event e) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    queue_.push_back(std::move(e));
    ++queued_;
  }
  cv_.notify_all();
}

void Presence::flush() {
  std::unique_lock lock(mu_);
  const std::size_t target = queued_;
  cv_.wait(lock, [&] { return handled_ >= target || !thread_.joinable(); });
}

void Presence::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Presence::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    // The earliest wrap-up that ends.
    std::optional<Clock::time_point> next;
    for (const auto& [id, s] : users_state_) {
      if (s.wrap_up_until && (!next || *s.wrap_up_until < *next)) next = s.wrap_up_until;
    }
    if (queue_.empty() && !stopping_) {
      if (next) cv_.wait_until(lock, *next);
      else cv_.wait(lock);
    }
    const auto now = Clock::now();
    std::deque<Event> batch;
    batch.swap(queue_);
    const bool stop_now = stopping_ && batch.empty();
    lock.unlock();
    for (const auto& e : batch) handle(e, now);
    std::vector<std::string> ended;
    for (const auto& [id, s] : users_state_) {
      if (s.wrap_up_until && *s.wrap_up_until <= now) ended.push_back(id);
    }
    for (const auto& id : ended) {
      if (!settle(id, users_state_[id], now)) users_state_.erase(id);
    }
    lock.lock();
    handled_ += batch.size();
    cv_.notify_all();
    if (stop_now) return;
  }
}

void Presence::handle(const Event& e, Clock::time_point now) {
  std::visit(
      [&](const auto& ev) {
        using T = std::decay_t<decltype(ev)>;
        State& s = users_state_[ev.user_id];
        if constexpr (std::is_same_v<T, CallEvent>) {
          const bool had_live = !s.live_calls.empty();
          if (ev.live) s.live_calls.insert(ev.call_id);
          else s.live_calls.erase(ev.call_id);
          if (had_live && s.live_calls.empty()) s.wrap_up_until = now + options_.wrap_up;
        } else if constexpr (std::is_same_v<T, SocketEvent>) {
          if (ev.opened) {
            ++s.sockets;
            s.had_socket = true;
          } else if (s.sockets > 0) {
            --s.sockets;
          }
        } else {
          // Stored again here, after whatever this thread stored before it
          // (an earlier call's wrap_up must not win over the user's choice).
          s.wrap_up_until.reset();
          try {
            if (!store(ev.user_id, s, ev.status)) users_state_.erase(ev.user_id);
          } catch (const Error& err) {
            log::print(log::Level::warn, "presence", "cannot store the status of user ", ev.user_id, ": ", err.what());
            s.status.reset();
          }
          return;
        }
        if (!settle(ev.user_id, s, now)) users_state_.erase(ev.user_id);
      },
      e);
}

bool Presence::settle(const std::string& user_id, State& s, Clock::time_point now) {
  try {
    if (!s.status) {
      const auto user = users_.find(user_id);
      if (!user) return false;  // a call or socket of no (or a removed) user: nothing to show
      s.status = user->status;
    }
    if (!s.live_calls.empty()) {
      s.wrap_up_until.reset();
      return store(user_id, s, UserStatus::busy);
    }
    if (s.sockets == 0 && s.had_socket) {
      // Their last WebSocket closed: gone, wrap-up or not.
      s.wrap_up_until.reset();
      return store(user_id, s, UserStatus::offline);
    }
    if (s.wrap_up_until && *s.wrap_up_until > now) return store(user_id, s, UserStatus::wrap_up);
    s.wrap_up_until.reset();
    // Back from a call or a wrap-up, or connected while offline.
    if (*s.status == UserStatus::busy || *s.status == UserStatus::wrap_up ||
        (*s.status == UserStatus::offline && s.sockets > 0)) {
      return store(user_id, s, UserStatus::available);
    }
    return true;
  } catch (const Error& e) {
    // The database is down: the status is stored at the next change.
    log::print(log::Level::warn, "presence", "cannot store the status of user ", user_id, ": ", e.what(),
               e.detail().empty() ? "" : ": " + e.detail());
    s.status.reset();
    return true;
  }
}

bool Presence::store(const std::string& user_id, State& s, UserStatus status) {
  if (s.status == status) return true;
  try {
    const User u = users_.set_status(user_id, status);
    s.status = status;
    if (on_change_) on_change_(u);
    return true;
  } catch (const Error& e) {
    if (e.code() == errc::not_found) return false;  // removed meanwhile
    throw;
  }
}

}  // namespace callwire::server
