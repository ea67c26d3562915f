// callwire — sign-in and the accounts of the team: /api/auth/* and
// /api/users/* of the reference server (internal; docs/reference-server.md,
// "Accounts and roles"; docs/openapi.yaml).
//
// Who may call each route is api/access_policy.cpp's; these handlers only
// decide what depends on the caller beyond the role (a user changing their
// own password, an administrator who would lock the team out).
#pragma once

#include <memory>
#include <string>

#include "callwire/types.hpp"

#include "server/api/rest_api.hpp"
#include "server/api/sessions.hpp"
#include "server/router.hpp"

namespace callwire::server {

/// {access_token, token_type: "bearer", expires_in, user}: the answer of a
/// sign-in (and of a user changing their own password).
std::string session_json(const Sessions::Issued& session, const User& user);

/// POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me.
void mount_auth_api(Router& router, const std::shared_ptr<ApiContext>& ctx);

/// GET/POST /api/users, GET/PUT/DELETE /api/users/{id},
/// POST /api/users/{id}/password, PUT /api/users/me/status.
void mount_users_api(Router& router, const std::shared_ptr<ApiContext>& ctx);

}  // namespace callwire::server
