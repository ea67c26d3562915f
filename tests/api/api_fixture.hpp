// A CallClient + WebhookServer on a fresh SQLite file and an ephemeral port,
// plus JSON helpers for the API tests.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "callwire/call_client.hpp"
#include "callwire/number_store.hpp"
#include "callwire/webhook_server.hpp"
#include "core/uuid.hpp"
#include "http_test_client.hpp"

namespace callwire::test {

inline rapidjson::Document parse(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str());
  if (d.HasParseError()) throw std::runtime_error("not JSON: " + text);
  return d;
}

inline std::string str(const rapidjson::Value& v, const char* key) {
  auto it = v.FindMember(key);
  if (it == v.MemberEnd() || !it->value.IsString()) return {};
  return it->value.GetString();
}

/// Polls `pred` every 20 ms for up to `wait`.
template <class Pred>
bool poll(Pred pred, std::chrono::milliseconds wait = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return pred();
}

class ApiFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("cw-api-" + new_uuid_v4());
    std::filesystem::create_directories(dir_);
    db_url_ = "sqlite://" + (dir_ / "callwire.db").string();
  }
  void TearDown() override {
    stop();
    std::filesystem::remove_all(dir_);
  }

  /// Opens storage, adds a default number, starts client and server.
  void start(CallClientOptions co = {}, WebhookServerOptions so = {}, bool add_number = true) {
    storage_ = std::make_unique<Storage>(Storage::open(db_url_));
    if (add_number && NumberStore(*storage_).list().empty()) {
      PhoneNumber n;
      n.number = "+13125550100";
      n.name = "Main";
      n.is_default = true;
      NumberStore(*storage_).create(n);
    }
    if (co.recordings_dir.empty()) co.recordings_dir = (dir_ / "recordings").string();
    if (co.demo_speed == 1.0) co.demo_speed = 50;
    client_ = std::make_unique<CallClient>(*storage_, co);
    so.port = 0;
    server_ = std::make_unique<WebhookServer>(*client_, so);
    server_->start();
    http_ = std::make_unique<HttpTestClient>(server_->port());
  }

  void stop() {
    http_.reset();
    if (server_) server_->stop();
    server_.reset();
    client_.reset();
    storage_.reset();
  }

  std::uint16_t port() const { return server_->port(); }

  std::filesystem::path dir_;
  std::string db_url_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<CallClient> client_;
  std::unique_ptr<WebhookServer> server_;
  std::unique_ptr<HttpTestClient> http_;
};

}  // namespace callwire::test
