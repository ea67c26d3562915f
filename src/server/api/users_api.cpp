// The team's accounts: /api/users/* (administrators, except a user's own
// password and status; api/access_policy.cpp).
#include "callwire/json.hpp"
#include "json/body.hpp"
#include "server/api/auth_api.hpp"
#include "server/api/presence.hpp"
#include "server/api/request_fields.hpp"
#include "server/api/sessions.hpp"
#include "server/principal.hpp"
#include "support/log.hpp"

namespace callwire::server {
namespace {

using Ctx = std::shared_ptr<ApiContext>;

bool can_sign_in_as_admin(const User& u) { return u.role == UserRole::admin && !u.disabled; }

// Refuses a change after which no enabled administrator would be left
// (`after` is the account as it would be; nullopt when it is removed).
void keep_an_administrator(const UserStore& users, const User& before, const std::optional<User>& after) {
  if (!can_sign_in_as_admin(before) || (after && can_sign_in_as_admin(*after))) return;
  for (const auto& u : users.list()) {
    if (u.id != before.id && can_sign_in_as_admin(u)) return;
  }
  throw Error(errc::conflict, "The team needs at least one administrator who can sign in.");
}

void forget(const Ctx& ctx, const std::string& id) {
  if (ctx->sessions) ctx->sessions->forget(id);
}

// The account's tokens were revoked, or its role changed: its sockets go too.
void end_sockets(const Ctx& ctx, const std::string& id) {
  if (ctx->end_sockets) ctx->end_sockets(id);
}

}  // namespace

void mount_users_api(Router& r, const std::shared_ptr<ApiContext>& ctx) {
  r.get("/api/users", blocking(ctx, [ctx](const Request&) { return Response::json(json::encode(ctx->users->list())); }));
  r.post("/api/users", blocking(ctx, [ctx](const Request& req) {
           const User u = ctx->users->create(new_user(RequestFields::of(json::Body::parse(req.body))));
           log::print(log::Level::info, "auth", describe(principal_of(req), req), " created user ", u.id, " (",
                      to_string(u.role), ")");
           return Response::json(json::encode(u), 201);
         }));
  r.get("/api/users/{id}", blocking(ctx, [ctx](const Request& req) {
          return Response::json(json::encode(ctx->users->get(req.param("id"))));
        }));
  r.put("/api/users/{id}", blocking(ctx, [ctx](const Request& req) {
          const std::string& id = req.param("id");
          const UserPatch patch = user_patch(RequestFields::of(json::Body::parse(req.body)));
          const User before = ctx->users->get(id);
          User after = before;
          if (patch.role) after.role = *patch.role;
          if (patch.disabled) after.disabled = *patch.disabled;
          keep_an_administrator(*ctx->users, before, after);
          const User u = ctx->users->update(id, patch);
          forget(ctx, id);
          if (u.role != before.role || u.token_version != before.token_version) end_sockets(ctx, id);
          return Response::json(json::encode(u));
        }));
  r.del("/api/users/{id}", blocking(ctx, [ctx](const Request& req) {
          const std::string& id = req.param("id");
          if (principal_of(req).is_user(id)) throw Error(errc::conflict, "You cannot remove your own account.");
          keep_an_administrator(*ctx->users, ctx->users->get(id), std::nullopt);
          ctx->users->remove(id);
          forget(ctx, id);
          end_sockets(ctx, id);
          log::print(log::Level::info, "auth", describe(principal_of(req), req), " removed user ", id);
          return Response::json(json::ObjectWriter().add("deleted", true).add("id", id).finish());
        }));

  // The user themself, with their current password; or an administrator.
  // Every token of the user stops working; a user changing their own gets a
  // new session in the answer, so they stay signed in.
  r.post("/api/users/{id}/password", blocking(ctx, [ctx](const Request& req) {
           const std::string& id = req.param("id");
           const Principal p = principal_of(req);
           const auto body = json::Body::parse(req.body);
           const std::string next = body.string("new_password").value_or("");
           if (next.empty()) throw Error(errc::invalid_argument, "new_password: field required");
           const bool self = p.is_user(id);
           if (!self && !p.is_admin()) {
             throw Error(errc::forbidden, "Only an administrator can change another user's password.");
           }
           if (self && !ctx->users->check_password(id, body.string("old_password").value_or(""))) {
             throw Error(errc::forbidden, "The current password is not right.");
           }
           const User u = ctx->users->set_password(id, next);
           forget(ctx, id);
           end_sockets(ctx, id);
           log::print(log::Level::info, "auth", describe(p, req), " changed the password of user ", id);
           if (self && ctx->sessions) return Response::json(session_json(ctx->sessions->issue(u), u));
           return Response::json(json::ObjectWriter().add_raw("user", json::encode(u)).finish());
         }));

  r.put("/api/users/me/status", blocking(ctx, [ctx](const Request& req) {
          const Principal p = principal_of(req);
          const UserStatus status = own_status(RequestFields::of(json::Body::parse(req.body)));
          if (p.kind != Principal::Kind::user) throw Error(errc::conflict, "Only a signed-in user has a status.");
          const User u = ctx->users->set_status(p.user_id, status);
          if (ctx->presence) ctx->presence->set_by_user(p.user_id, status);
          return Response::json(json::encode(u));
        }));
}

}  // namespace callwire::server
