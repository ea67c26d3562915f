// Random identifiers (internal). The one place callwire makes record ids.
#pragma once

#include <string>

namespace callwire {

/// A random UUID version 4 (RFC 4122 variant), lower-case hex with dashes,
/// from OpenSSL's CSPRNG. Thread-safe.
std::string new_uuid_v4();

}  // namespace callwire
