#include <callwire/contact_store.hpp>
#include <callwire/log_store.hpp>
#include <iostream>

int main(int argc, char** argv) {
  auto storage = callwire::Storage::open(argc > 1 ? argv[1] : "sqlite:///var/lib/callwire/callwire.db");
  callwire::ContactStore contacts(storage);
  callwire::Contact alice;
  alice.name = "Alice";
  alice.phone = "+1 (212) 555-1234";
  alice = contacts.create(alice);  // phone → +12125551234, id and times set
  callwire::LogStore logs(storage);
  callwire::CallFilter filter;
  filter.search = "212";
  filter.status = callwire::CallStatus::completed;
  for (const auto& call : logs.list(filter, {50, 0})) {  // newest first: 50 from offset 0
    std::cout << call.to_number << ' ' << call.duration << " s\n";
  }
  std::cout << alice.name << ' ' << alice.phone << '\n';
}
