// Internal: password hashing for UserStore — Argon2id (RFC 9106) through the
// reference implementation, libargon2 (Debian's libargon2-dev). The stored
// form is the PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash), which
// carries its own parameters: a hash made with older parameters still
// verifies, and needs_rehash says when to replace it.
#pragma once

#include <string>
#include <string_view>

#include "callwire/user_store.hpp"

namespace callwire::store_detail {

/// The PHC string of `password` with a fresh 16-byte salt and a 32-byte hash.
/// errc::internal when libargon2 fails (memory), never with the password.
std::string hash_password(std::string_view password, const PasswordHashing& params);

/// True when `password` matches `encoded`; false for a mismatch or a string
/// that is not an Argon2id PHC string. Constant-time in the hash comparison.
bool verify_password(std::string_view encoded, std::string_view password);

/// True when `encoded` was made with other parameters than `params`.
bool needs_rehash(std::string_view encoded, const PasswordHashing& params);

}  // namespace callwire::store_detail
