#include "server/websocket_hub.hpp"

#include "support/log.hpp"

namespace callwire::server {

WebSocketHub::WebSocketHub(std::string path, WebSocketOptions options, std::shared_ptr<metrics::Registry> registry)
    : path_(std::move(path)), options_(options) {
  if (path_.empty() || path_.front() != '/') throw Error(errc::invalid_argument, "WebSocket path must start with '/': " + path_);
  if (registry) {
    clients_gauge_ = &registry->gauge("callwire_websocket_clients", "WebSocket clients connected", {"path"})->labels({path_});
    dropped_counter_ = &registry
                            ->counter("callwire_websocket_dropped_total",
                                      "WebSocket clients dropped because their outgoing queue overflowed", {"path"})
                            ->labels({path_});
  }
}

std::size_t WebSocketHub::broadcast(std::string text) { return broadcast(std::move(text), nullptr); }

std::size_t WebSocketHub::broadcast(std::string text, const std::function<bool(const WebSocketClientInfo&)>& to) {
  auto message = std::make_shared<const std::string>(std::move(text));
  std::size_t n = 0;
  std::lock_guard lock(mutex_);  // held while delivering: broadcasts are totally ordered
  for (const auto& [id, weak] : members_) {
    if (auto m = weak.lock()) {
      if (to && !to(m->info())) continue;
      m->deliver(message);
      ++n;
    }
  }
  return n;
}

void WebSocketHub::close_all(int code, std::string reason) {
  std::vector<std::shared_ptr<Member>> all;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, weak] : members_) {
      if (auto m = weak.lock()) all.push_back(std::move(m));
    }
  }
  for (const auto& m : all) m->close(code, reason);
}

std::size_t WebSocketHub::close_if(const std::function<bool(const WebSocketClientInfo&)>& which, int code,
                                   std::string reason) {
  std::vector<std::shared_ptr<Member>> picked;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, weak] : members_) {
      if (auto m = weak.lock(); m && which(m->info())) picked.push_back(std::move(m));
    }
  }
  for (const auto& m : picked) m->close(code, reason);
  return picked.size();
}

std::size_t WebSocketHub::client_count() const {
  std::lock_guard lock(mutex_);
  return members_.size();
}

void WebSocketHub::attach(const std::shared_ptr<Member>& member, std::shared_ptr<void> opening_hold) {
  {
    std::lock_guard lock(mutex_);
    members_[member->info().id] = member;
  }
  if (clients_gauge_) clients_gauge_->inc();
  if (on_open_) {
    try {
      on_open_(member);
    } catch (const std::exception& e) {
      log::print(log::Level::error, "ws", path_, ": on_open hook threw: ", e.what());
    } catch (...) {
      log::print(log::Level::error, "ws", path_, ": on_open hook threw");
    }
  }
  opening_hold.reset();
}

void WebSocketHub::detach(const Member& member) {
  bool erased = false;
  {
    std::lock_guard lock(mutex_);
    erased = members_.erase(member.info().id) > 0;
  }
  if (!erased) return;
  if (clients_gauge_) clients_gauge_->dec();
  if (on_close_) {
    try {
      on_close_(member.info());
    } catch (const std::exception& e) {
      log::print(log::Level::error, "ws", path_, ": on_close hook threw: ", e.what());
    } catch (...) {
    }
  }
}

void WebSocketHub::on_client_message(const std::shared_ptr<Member>& member, std::string_view text) {
  if (!on_message_) return;
  try {
    on_message_(member, text);
  } catch (const std::exception& e) {
    log::print(log::Level::error, "ws", path_, ": on_message hook threw: ", e.what());
  } catch (...) {
  }
}

void WebSocketHub::note_dropped() {
  dropped_.fetch_add(1);
  if (dropped_counter_) dropped_counter_->inc();
}

}  // namespace callwire::server
