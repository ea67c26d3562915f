// docs/client.md "Answering machine detection": a dial with its own detection.
//   snippet-client-amd sqlite:///tmp/amd.db
#include <callwire/call_client.hpp>
#include <callwire/number_store.hpp>
#include <callwire/storage.hpp>

#include <chrono>
#include <iostream>
#include <string>
#include <thread>

int main(int argc, char** argv) {
  using namespace std::chrono_literals;
  callwire::Storage storage = callwire::Storage::open(argc > 1 ? argv[1] : "sqlite:///tmp/callwire-amd.db");
  callwire::PhoneNumber caller_id;
  caller_id.number = "+13125550100";
  caller_id.is_default = true;
  callwire::NumberStore(storage).create(caller_id);
  callwire::CallClientOptions options;
  options.demo_speed = 50;
  callwire::CallClient client(storage, options);
  // snippet-begin: amd
  callwire::DialOptions o;
  o.answering_machine_detection = callwire::AmdMode::greeting_end;  // or = true (detect), = false
  o.answering_machine_detection_config.greeting_silence_duration_millis = 2000;  // optional tuning
  callwire::Call call = client.dial("+12125550003", "", o);
  // snippet-end: amd
  for (int i = 0; i < 3000 && !callwire::is_terminal(call.status); ++i) {
    std::this_thread::sleep_for(10ms);
    call = client.get_call(call.call_id);
  }
  std::cout << "final: " << callwire::to_string(call.status) << '\n';
  return callwire::is_terminal(call.status) ? 0 : 1;
}
