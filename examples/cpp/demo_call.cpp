// A C++ host placing one call with callwire and printing its progression.
//
// With no Telnyx key the client runs in demo mode: the DemoCarrier simulates
// the call and its webhooks take the same parser → state machine → storage
// path as real ones. Set TELNYX_API_KEY (and TELNYX_CONNECTION_ID) to place a
// real call instead.
//
//   callwire-demo-call [to_number] [--fast] [--db PATH]
//
// Numbers ending in 0000 are busy, 0001 ring out, 0002 reject, 0004 are
// answered and hung up by the callee after 5 s; any other number is answered
// and hung up by this program after 3 s.
#include <callwire/call_client.hpp>
#include <callwire/error.hpp>
#include <callwire/json.hpp>
#include <callwire/number_store.hpp>
#include <callwire/storage.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>

int main(int argc, char** argv) {
  std::string to = "+1 (212) 555-1234";
  std::string db = (std::filesystem::temp_directory_path() / "callwire-demo-call.db").string();
  bool fast = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--fast") == 0) fast = true;
    else if (std::strcmp(argv[i], "--db") == 0 && i + 1 < argc) db = argv[++i];
    else to = argv[i];
  }
  try {
    callwire::Storage storage = callwire::Storage::open("sqlite://" + db);
    callwire::NumberStore numbers(storage);
    if (!numbers.default_number()) {
      callwire::PhoneNumber n;
      n.number = "+13125550100";
      n.name = "Demo caller ID";
      n.is_default = true;
      numbers.create(n);
    }
    callwire::CallClientOptions options;
    if (const char* key = std::getenv("TELNYX_API_KEY")) options.api_key = key;
    if (const char* conn = std::getenv("TELNYX_CONNECTION_ID")) options.connection_id = conn;
    options.demo_speed = fast ? 20 : 1;
    callwire::CallClient client(storage, options);

    std::mutex mu;
    std::condition_variable cv;
    bool ended = false;
    std::string last;
    client.subscribe([&](const callwire::CallUpdate& u) {
      std::lock_guard lock(mu);
      const std::string status(callwire::to_string(u.call.status));
      if (status != last) {
        std::cout << callwire::json::format_time(u.call.updated_at) << "  " << status;
        if (callwire::is_terminal(u.call.status)) std::cout << "  duration " << u.call.duration << " s";
        std::cout << std::endl;
        last = status;
      }
      if (u.type == "call.ended") ended = true;
      cv.notify_all();
    });

    const callwire::Call call = client.dial(to);
    std::cout << "calling " << call.to_number << " from " << call.from_number << " (" << client.mode()
              << " mode), call " << call.call_id << std::endl;
    std::unique_lock lock(mu);
    const auto hang_up_at = std::chrono::steady_clock::now() + std::chrono::milliseconds(fast ? 3000 / 20 : 3000);
    bool hung_up = false;
    while (!ended) {
      if (!hung_up && last == "active") {
        if (cv.wait_until(lock, hang_up_at, [&] { return ended; })) break;
        lock.unlock();
        client.hangup(call.call_id);
        lock.lock();
        hung_up = true;
        continue;
      }
      if (!cv.wait_for(lock, std::chrono::seconds(120), [&] { return ended || (!hung_up && last == "active"); })) {
        std::cerr << "no progress for 120 s\n";
        return 1;
      }
    }
    return 0;
  } catch (const callwire::Error& e) {
    std::cerr << "cannot dial: " << e.what() << '\n';
    return 2;
  }
}
