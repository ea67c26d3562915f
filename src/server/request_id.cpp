#include "server/request_id.hpp"

#include <atomic>
#include <cstdint>
#include <random>

#include "server/http_message.hpp"

namespace callwire::server {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_hex(std::string& out, std::uint64_t v, bool fixed) {
  char buf[16];
  int n = 0;
  do {
    buf[n++] = kHex[v & 0xF];
    v >>= 4;
  } while ((fixed && n < 16) || (!fixed && v != 0));
  while (n > 0) out += buf[--n];
}

/// 64 random bits drawn once per process.
std::uint64_t process_prefix() {
  static const std::uint64_t prefix = [] {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  }();
  return prefix;
}

std::atomic<std::uint64_t> g_counter{0};

}  // namespace

bool acceptable_request_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                    c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string new_request_id() {
  std::string id;
  id.reserve(34);
  append_hex(id, process_prefix(), true);
  id += '-';
  append_hex(id, g_counter.fetch_add(1, std::memory_order_relaxed) + 1, false);
  return id;
}

std::string request_id_for(const Request& request) {
  if (auto given = request.header(kRequestIdHeader); given && acceptable_request_id(*given)) return std::string(*given);
  return new_request_id();
}

}  // namespace callwire::server
