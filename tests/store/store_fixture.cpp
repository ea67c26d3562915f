#include "store_fixture.hpp"

#include <mongoc/mongoc.h>

namespace callwire::test {

namespace {
// Keeps the test output readable: the driver's DEBUG/INFO lines (it repeats
// "monitor … network error" while a server is down, on purpose in the failure
// tests) are dropped; warnings and errors still print.
void quiet_driver_log(mongoc_log_level_t level, const char* domain, const char* message, void* data) {
  if (level <= MONGOC_LOG_LEVEL_WARNING) mongoc_log_default_handler(level, domain, message, data);
}
const bool kQuietDriver = [] {
  mongoc_log_set_handler(quiet_driver_log, nullptr);
  return true;
}();
}  // namespace

FerretDb& shared_ferretdb() {
  // Leaked on purpose: its destructor runs from the atexit chain below.
  static FerretDb* db = [] {
    auto* d = new FerretDb();
    d->start();
    std::atexit([] { delete db; });
    return d;
  }();
  return *db;
}

}  // namespace callwire::test
