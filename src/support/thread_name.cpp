#include "support/thread_name.hpp"

#include <pthread.h>

#include <cstring>

namespace callwire::support {

void set_current_thread_name(std::string_view name) noexcept {
  char buf[16] = {};  // 15 characters and the NUL: Linux's limit
  std::memcpy(buf, name.data(), name.size() < sizeof buf - 1 ? name.size() : sizeof buf - 1);
#if defined(__APPLE__)
  (void)pthread_setname_np(buf);
#elif defined(__linux__)
  (void)pthread_setname_np(pthread_self(), buf);
#else
  (void)buf;
#endif
}

std::string current_thread_name() {
#if defined(__APPLE__) || defined(__linux__)
  char buf[64] = {};
  if (pthread_getname_np(pthread_self(), buf, sizeof buf) == 0) return buf;
#endif
  return {};
}

}  // namespace callwire::support
