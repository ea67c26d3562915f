#include "server/principal.hpp"

namespace callwire::server {

Principal principal_of(const Request& req) { return principal_of(req.auth, req.authentication_on); }

Principal principal_of(const std::optional<AuthInfo>& auth, bool authentication_on) {
  Principal p;
  if (!auth) {
    if (authentication_on) {
      p.kind = Principal::Kind::anonymous;
      p.role = UserRole::agent;
    }
    return p;  // else local: authentication is off
  }
  if (auth->subject.empty()) {
    p.kind = Principal::Kind::service;
    return p;
  }
  p.kind = Principal::Kind::user;
  p.user_id = auth->subject;
  p.role = parse_user_role(auth->role).value_or(UserRole::agent);
  return p;
}

std::string describe(const Principal& p, const Request& req) {
  switch (p.kind) {
    case Principal::Kind::user: return "user " + p.user_id + " from " + req.remote_address;
    case Principal::Kind::service: return "a service token from " + req.remote_address;
    case Principal::Kind::anonymous: return "a caller without a token from " + req.remote_address;
    case Principal::Kind::local: break;
  }
  return "the local administrator (no JWT_SECRET) from " + req.remote_address;
}

std::string_view to_string(Principal::Kind k) noexcept {
  switch (k) {
    case Principal::Kind::user: return "user";
    case Principal::Kind::service: return "service";
    case Principal::Kind::anonymous: return "anonymous";
    case Principal::Kind::local: break;
  }
  return "local";
}

}  // namespace callwire::server
