// callwire — JSON of JSON Web Tokens (internal header).
//
// The server layer verifies HS256 bearer tokens (src/server/jwt.hpp); the
// JSON of the token's header and payload is read and written here, since
// src/json/ is the only folder that may include RapidJSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace callwire::json::jwt {

/// The JOSE header: {"alg": ..., "typ": ...}.
struct Header {
  std::string alg;  ///< "" when absent
  std::string typ;  ///< "" when absent
};

/// The registered claims callwire reads. Times are seconds since the epoch
/// (NumericDate; fractions allowed).
struct Claims {
  std::optional<std::string> sub;
  /// callwire's own: the role when the token was issued ("admin", "agent")
  /// and the account's token version (revocation; docs/reference-server.md).
  std::optional<std::string> role;
  std::optional<std::int64_t> ver;
  std::optional<double> exp;
  std::optional<double> nbf;
  std::optional<double> iat;
};

/// Parses a header. Throws Error(malformed) when the text is not a JSON
/// object or alg/typ are not strings.
Header decode_header(std::string_view text);

/// Parses a payload. Throws Error(malformed) when the text is not a JSON
/// object, Error(invalid_argument) when sub is not a string or exp/nbf/iat are
/// not numbers, role is not a string or ver not an integer (the message names
/// the claim: "exp must be a number").
Claims decode_claims(std::string_view text);

/// {"sub":..,"role":..,"ver":..,"iat":..,"nbf":..,"exp":..} with the claims that are set
/// (whole seconds are written as integers).
std::string encode_claims(const Claims& claims);

}  // namespace callwire::json::jwt
