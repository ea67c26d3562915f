// callwire_store_writer: a helper process for the storage failure tests.
//
//   callwire_store_writer burst <url>       creates contacts forever, printing
//                                           each id on stdout once the create
//                                           returned (the test SIGKILLs it)
//   callwire_store_writer open-write <url>  opens the storage and creates one
//                                           contact; prints "ok" or
//                                           "error <code> <message> | <detail>"
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "callwire/contact_store.hpp"
#include "callwire/error.hpp"

namespace {

void put(const std::string& line) {
  std::string s = line + "\n";
  const char* p = s.data();
  std::size_t left = s.size();
  while (left > 0) {
    const ssize_t n = ::write(1, p, left);
    if (n <= 0) std::_Exit(3);
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s burst|open-write <storage-url>\n", argv[0]);
    return 64;
  }
  const std::string mode = argv[1];
  const std::string url = argv[2];
  try {
    callwire::StorageOptions o;
    o.timeout = std::chrono::milliseconds(3000);
    auto storage = callwire::Storage::open(url, o);
    callwire::ContactStore contacts(storage);
    if (mode == "open-write") {
      callwire::Contact c;
      c.name = "writer";
      c.phone = "+12125550000";
      contacts.create(c);
      put("ok");
      return 0;
    }
    if (mode != "burst") return 64;
    for (long i = 0;; ++i) {
      callwire::Contact c;
      c.name = "burst " + std::to_string(i);
      c.phone = "+1212555" + std::to_string(1000 + i % 9000);
      c.notes = std::string(200, 'x');
      put(contacts.create(c).id);  // acknowledged: create returned
    }
  } catch (const callwire::Error& e) {
    put("error " + std::to_string(static_cast<int>(e.code())) + " " + e.what() + " | " + e.detail());
    return 2;
  } catch (const std::exception& e) {
    put(std::string("error -1 ") + e.what());
    return 2;
  }
}
