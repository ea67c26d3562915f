#include "core/uuid.hpp"

#include <openssl/rand.h>

#include "callwire/error.hpp"

namespace callwire {

std::string new_uuid_v4() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) throw Error(errc::internal, "OpenSSL RAND_bytes failed");
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += kHex[b[i] >> 4];
    s += kHex[b[i] & 0x0F];
  }
  return s;
}

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    throw Error(errc::internal, "OpenSSL RAND_bytes failed");
  }
  return out;
}

}  // namespace callwire
