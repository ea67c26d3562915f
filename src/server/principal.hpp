// callwire — who is making a request (internal, Beast-free).
//
// One of three callers, decided from Request::auth once the Authenticator has
// run (docs/reference-server.md, "Accounts and roles"):
//   - anonymous: no token, on a path that needs none (sign-in, /health);
//   - local:   the server runs without JWT_SECRET — one implicit administrator
//              (the local demo on loopback), as before accounts existed;
//   - service: a token minted with the secret and no `sub` — scripts and the
//              setups from before accounts; an administrator;
//   - user:    a signed-in account; its role is the account's role now (the
//              Authenticator's account check replaces the token's claim).
#pragma once

#include <string>

#include "callwire/types.hpp"
#include "server/http_message.hpp"

namespace callwire::server {

struct Principal {
  enum class Kind { anonymous, local, service, user };
  Kind kind = Kind::local;
  std::string user_id;              ///< kind user only
  UserRole role = UserRole::admin;  ///< local and service: admin

  bool is_admin() const noexcept { return kind != Kind::anonymous && role == UserRole::admin; }
  bool is_user(std::string_view id) const noexcept { return kind == Kind::user && user_id == id; }
};

/// The caller of `req`. A user whose role does not parse is an agent (the
/// least the server grants).
Principal principal_of(const Request& req);
/// The same from a verified token (none: `authentication_on` says whether
/// the caller is anonymous or the local administrator).
Principal principal_of(const std::optional<AuthInfo>& auth, bool authentication_on);

/// "user <id> from <address>", "a service token from …", "a caller without a
/// token from …": for logs and audit notes.
std::string describe(const Principal& p, const Request& req);

std::string_view to_string(Principal::Kind k) noexcept;

}  // namespace callwire::server
