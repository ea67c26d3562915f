#include "server/connection_limits.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "support/log.hpp"

namespace callwire::server {
namespace {

constexpr std::uint64_t kFdReserveMin = 64;
constexpr std::uint64_t kFdReserveDivisor = 8;

}  // namespace

// Raises RLIMIT_NOFILE's soft limit to the hard limit when asked (process
/// wide; logged) and returns the soft limit in force; 0 when unknown or
/// unlimited.
std::uint64_t open_file_limit(bool raise) {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) return 0;
  if (raise && rl.rlim_max != RLIM_INFINITY && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < rl.rlim_max) {
    rlimit raised = rl;
    raised.rlim_cur = rl.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) {
      log::print(log::Level::info, "http", "raised the open-file limit (RLIMIT_NOFILE) from ", rl.rlim_cur, " to ",
                 raised.rlim_cur, " (the hard limit)");
      rl = raised;
    } else {
      const int err = errno;
      log::print(log::Level::warn, "http", "could not raise the open-file limit (RLIMIT_NOFILE) from ", rl.rlim_cur, " to ",
                 raised.rlim_cur, ": ", std::strerror(err));
    }
  }
  return rl.rlim_cur == RLIM_INFINITY ? 0 : static_cast<std::uint64_t>(rl.rlim_cur);
}

/// How many connections fit under an open-file limit, leaving a reserve for
/// everything else the process opens (files, storage, TLS to Telnyx, pipes).
std::uint64_t connection_room(std::uint64_t fd_limit) {
  const std::uint64_t reserve = std::min(std::max(kFdReserveMin, fd_limit / kFdReserveDivisor), fd_limit / 2);
  return std::max<std::uint64_t>(1, fd_limit - reserve);
}

}  // namespace callwire::server
