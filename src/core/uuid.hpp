// Random identifiers and bytes (internal). The one place callwire makes record
// ids and draws random bytes.
#pragma once

#include <cstddef>
#include <string>

namespace callwire {

/// A random UUID version 4 (RFC 4122 variant), lower-case hex with dashes,
/// from OpenSSL's CSPRNG. Thread-safe.
std::string new_uuid_v4();

/// n bytes from OpenSSL's CSPRNG (salts, nonces). Thread-safe.
std::string random_bytes(std::size_t n);

}  // namespace callwire
