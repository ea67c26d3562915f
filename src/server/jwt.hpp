// callwire — HS256 JSON Web Tokens: verification for the auth middleware and
// signing for tests and the token-minting CLI (internal, Beast-free).
//
// Only HS256 is accepted: a token whose header says "none", "HS512", "RS256"
// or anything else is refused, whatever its signature. `exp` and `nbf` are
// optional; when present they are checked against the clock with a leeway.
// Failures throw Error(errc::unauthorized) whose message says why, with the
// wording of PyJWT (which the original FastAPI backend used):
//   "Not enough segments", "Invalid header", "Invalid payload",
//   "The specified alg value is not allowed", "Signature verification failed",
//   "Signature has expired", "The token is not yet valid (nbf)",
//   "exp must be a number".
//
// All functions are pure and thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "server/http_message.hpp"

namespace callwire::server {

/// Claims to put in a token. Times are rounded down to whole seconds.
struct JwtClaims {
  std::string subject;  ///< `sub`; not written when empty
  std::string role;     ///< `role`; not written when empty
  std::optional<std::int64_t> token_version;  ///< `ver`
  std::optional<std::chrono::system_clock::time_point> issued_at;   ///< `iat`
  std::optional<std::chrono::system_clock::time_point> not_before;  ///< `nbf`
  std::optional<std::chrono::system_clock::time_point> expires_at;  ///< `exp`
};

/// header.payload.signature with {"alg":"HS256","typ":"JWT"}. Throws
/// Error(invalid_argument) for an empty secret.
std::string jwt_sign(const JwtClaims& claims, std::string_view secret);
/// The same over a payload given as JSON text (used as is).
std::string jwt_sign_payload(std::string_view payload_json, std::string_view secret);

/// Verifies `token` (without "Bearer ") and returns its subject and payload.
/// Throws Error(unauthorized, why) as described above.
AuthInfo jwt_verify(std::string_view token, std::string_view secret,
                    std::chrono::system_clock::time_point now = std::chrono::system_clock::now(),
                    std::chrono::seconds leeway = std::chrono::seconds(30));

/// Base64url (RFC 4648 §5) without padding.
std::string base64url_encode(std::string_view bytes);
/// Accepts the URL-safe alphabet with or without '=' padding; std::nullopt
/// for anything else.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace callwire::server
