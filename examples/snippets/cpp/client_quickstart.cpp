// docs/client.md's first snippet: a demo call from the dial to the hangup.
//   snippet-client-quickstart sqlite:///tmp/quickstart.db
#include <callwire/call_client.hpp>
#include <callwire/number_store.hpp>
#include <callwire/storage.hpp>

#include <chrono>
#include <iostream>
#include <string>
#include <thread>

int main(int argc, char** argv) {
  using namespace std::chrono_literals;
  const std::string url = argc > 1 ? argv[1] : "sqlite:///var/lib/callwire/callwire.db";
  // snippet-begin: quickstart
  callwire::Storage storage = callwire::Storage::open(url);  // e.g. "sqlite:///var/lib/callwire/callwire.db"
  callwire::PhoneNumber caller_id;                           // a dial needs a caller-ID number:
  caller_id.number = "+13125550100";                         // one of the account's numbers,
  caller_id.is_default = true;                               // the default for dials without `from`
  callwire::NumberStore(storage).create(caller_id);
  callwire::CallClient client(storage, {});          // no key: demo mode
  auto id = client.subscribe([](const callwire::CallUpdate& u) {
    std::cout << u.type << ' ' << callwire::to_string(u.call.status) << '\n';
  });
  callwire::Call call = client.dial("+1 (212) 555-1234");  // status "dialing", returns at once
  while (client.get_call(call.call_id).status != callwire::CallStatus::active) std::this_thread::sleep_for(10ms);
  call = client.hangup(call.call_id);                      // the final call, with duration
  client.unsubscribe(id);
  // snippet-end: quickstart
  std::cout << "final: " << callwire::to_string(call.status) << ", " << call.duration << " s\n";
  return call.status == callwire::CallStatus::completed ? 0 : 1;
}
