#include "sim/random.hpp"

#include <random>

namespace callwire::sim {
namespace {

// FNV-1a, 64-bit: hashes a key into the seed space.
std::uint64_t fnv1a(std::string_view s) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace

std::uint64_t mix64(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

Rng Rng::from_entropy() {
  std::random_device rd;
  const std::uint64_t hi = rd();
  const std::uint64_t lo = rd();
  return Rng((hi << 32) ^ lo);
}

std::uint64_t Rng::next() noexcept {
  const std::uint64_t out = mix64(state_);
  state_ += 0x9e3779b97f4a7c15ULL;
  return out;
}

std::uint64_t KeyedRandom::u64(std::string_view key) const noexcept {
  return mix64(seed_ ^ mix64(fnv1a(key)));
}

std::chrono::microseconds KeyedRandom::jitter(std::string_view key, std::chrono::microseconds bound) const noexcept {
  if (bound.count() <= 0) return std::chrono::microseconds{0};
  const auto span = static_cast<std::uint64_t>(bound.count()) * 2 + 1;
  const auto r = static_cast<std::int64_t>(u64(key) % span);
  return std::chrono::microseconds{r - bound.count()};
}

std::string KeyedRandom::uuid_v4(std::string_view key) const {
  std::string k(key);
  const std::uint64_t a = u64(k + "#uuid0");
  std::uint64_t b = u64(k + "#uuid1");
  unsigned char bytes[16];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(a >> (56 - 8 * i));
  for (int i = 0; i < 8; ++i) bytes[8 + i] = static_cast<unsigned char>(b >> (56 - 8 * i));
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0x0F]);
  }
  return out;
}

std::string KeyedRandom::call_control_id(std::string_view key) const {
  static constexpr char kB64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out = "v3:";
  std::string k(key);
  int word = 0;
  while (out.size() < 3 + 54) {
    std::uint64_t w = u64(k + "#ccid" + std::to_string(word++));
    for (int i = 0; i < 10 && out.size() < 3 + 54; ++i) {
      out.push_back(kB64Url[w & 63U]);
      w >>= 6;
    }
  }
  return out;
}

}  // namespace callwire::sim
