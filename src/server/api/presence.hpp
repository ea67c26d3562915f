// callwire — Presence: each user's status as their calls and connections
// say (internal; docs/reference-server.md, "Presence").
//
//   busy       while the user has a live call (dialing, ringing or active) they placed;
//   wrap_up    after their last live call ends, for `wrap_up` (30 s), then available;
//   offline    once their last WebSocket on this server closes and no call of
//              theirs is live (a user who never opened one — a script — is
//              never made offline);
//   available  when a WebSocket opens for a user who was offline;
//   away / available  set by the user themself (PUT /api/users/me/status);
//              that ends a wrap-up early.
// Each change is stored (UserStore::set_status, the user_presence table) and
// handed to `on_change` (the server broadcasts agent.updated). Presence
// sees only this server's sockets and calls: several servers on one
// database each keep their own (the multi-server issue shares them).
//
// Events come from the client's ingest writer and the network threads and
// are queued: the storage writes and the wrap-up timers run on Presence's
// own thread, so no caller ever waits for the database. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <variant>

#include "callwire/types.hpp"
#include "callwire/user_store.hpp"

namespace callwire::server {

struct PresenceOptions {
  std::chrono::milliseconds wrap_up{30'000};
};

class Presence {
 public:
  using Clock = std::chrono::steady_clock;
  using OnChange = std::function<void(const User& user)>;

  Presence(UserStore users, PresenceOptions options, OnChange on_change);
  ~Presence();  ///< stop()
  Presence(const Presence&) = delete;
  Presence& operator=(const Presence&) = delete;

  /// A call update: calls with an agent_id move their agent's status.
  void call_changed(const Call& call);
  void socket_opened(const std::string& user_id);
  void socket_closed(const std::string& user_id);
  /// The user set their own status (already stored): a wrap-up ends.
  void set_by_user(const std::string& user_id, UserStatus status);

  /// Waits until every event queued so far has been handled (tests, stop()).
  void flush();
  /// Handles what is queued, then stops the thread. Idempotent.
  void stop();

 private:
  struct CallEvent {
    std::string user_id;
    std::string call_id;
    bool live;
  };
  struct SocketEvent {
    std::string user_id;
    bool opened;
  };
  struct UserEvent {
    std::string user_id;
    UserStatus status;
  };
  using Event = std::variant<CallEvent, SocketEvent, UserEvent>;

  struct State {
    std::set<std::string> live_calls;
    std::size_t sockets = 0;
    bool had_socket = false;  ///< a socket of theirs opened on this server
    std::optional<Clock::time_point> wrap_up_until;
    std::optional<UserStatus> status;  ///< as stored; read at first use
  };

  void post(Event e);
  void run();
  void handle(const Event& e, Clock::time_point now);
  /// Moves the user to the status their state says; false when the user
  /// does not exist (the caller forgets the state).
  bool settle(const std::string& user_id, State& s, Clock::time_point now);
  bool store(const std::string& user_id, State& s, UserStatus status);

  UserStore users_;
  PresenceOptions options_;
  OnChange on_change_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Event> queue_;
  std::size_t queued_ = 0;
  std::size_t handled_ = 0;
  bool stopping_ = false;
  std::map<std::string, State> users_state_;  ///< the presence thread's only
  std::thread thread_;
};

}  // namespace callwire::server
