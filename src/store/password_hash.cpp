// Argon2id password hashes (see password_hash.hpp).
#include "store/password_hash.hpp"

#include <argon2.h>

#include <cstdint>
#include <vector>

#include "callwire/error.hpp"
#include "core/uuid.hpp"

namespace callwire::store_detail {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

std::string params_prefix(const PasswordHashing& p) {
  return "$argon2id$v=19$m=" + std::to_string(p.memory_kib) + ",t=" + std::to_string(p.iterations) +
         ",p=" + std::to_string(p.parallelism) + "$";
}

}  // namespace

std::string hash_password(std::string_view password, const PasswordHashing& p) {
  const std::string salt = random_bytes(kSaltBytes);
  const std::size_t len =
      argon2_encodedlen(p.iterations, p.memory_kib, p.parallelism, kSaltBytes, kHashBytes, Argon2_id);
  std::vector<char> encoded(len + 1, '\0');
  const int rc = argon2id_hash_encoded(p.iterations, p.memory_kib, p.parallelism, password.data(), password.size(),
                                       salt.data(), salt.size(), kHashBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) {
    throw Error(errc::internal, "The password could not be hashed.",
                std::string("argon2id_hash_encoded: ") + argon2_error_message(rc));
  }
  return std::string(encoded.data());
}

bool verify_password(std::string_view encoded, std::string_view password) {
  if (encoded.rfind("$argon2id$", 0) != 0) return false;
  const std::string z(encoded);  // libargon2 wants a NUL-terminated string
  return argon2id_verify(z.c_str(), password.data(), password.size()) == ARGON2_OK;
}

bool needs_rehash(std::string_view encoded, const PasswordHashing& params) {
  return encoded.rfind(params_prefix(params), 0) != 0;
}

}  // namespace callwire::store_detail
