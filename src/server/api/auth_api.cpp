// Sign-in: POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me.
#include "server/api/auth_api.hpp"

#include "callwire/json.hpp"
#include "json/body.hpp"
#include "server/api/presence.hpp"
#include "server/api/request_fields.hpp"
#include "server/api/sessions.hpp"
#include "server/login_throttle.hpp"
#include "server/origin.hpp"
#include "server/principal.hpp"
#include "support/log.hpp"

namespace callwire::server {
namespace {

// The client's address without its port ("127.0.0.1:53422" → "127.0.0.1").
std::string address_of(const Request& req) { return split_authority(req.remote_address).first; }

Response too_many(std::chrono::seconds wait) {
  const auto minutes = (wait.count() + 59) / 60;
  auto res = Response::error(429, "Too many failed sign-ins; try again in " + std::to_string(minutes) +
                                      (minutes == 1 ? " minute." : " minutes."));
  res.set_header("Retry-After", std::to_string(wait.count()));
  return res;
}

}  // namespace

std::string session_json(const Sessions::Issued& s, const User& user) {
  return json::ObjectWriter()
      .add("access_token", s.access_token)
      .add("token_type", "bearer")
      .add("expires_in", static_cast<std::int64_t>(s.expires_in.count()))
      .add_raw("user", json::encode(user))
      .finish();
}

void mount_auth_api(Router& r, const std::shared_ptr<ApiContext>& ctx) {
  r.post("/api/auth/login", [ctx](const Request& req, Responder res) {
    std::string email, password;
    try {
      if (!ctx->sessions) {
        throw Error(errc::conflict, "Sign-in is off on this server: it runs without JWT_SECRET, as one administrator.");
      }
      const auto body = json::Body::parse(req.body);
      email = body.string("email").value_or("");
      password = body.string("password").value_or("");
      if (email.empty()) throw Error(errc::invalid_argument, "email: field required");
      if (password.empty()) throw Error(errc::invalid_argument, "password: field required");
    } catch (...) {
      res.send(Response::from_exception(std::current_exception()));
      return;
    }
    // Refused before any hash: the same answer, at once, for every email.
    const std::string address = address_of(req);
    if (auto wait = ctx->throttle->retry_after(email, address)) {
      log::print(log::Level::warn, "auth", "sign-in throttled for ", address);
      res.send(too_many(*wait));
      return;
    }
    const bool queued = ctx->workers.post([ctx, email, password, address, res] {
      try {
        // One Argon2id hash whether or not the email exists (UserStore::authenticate).
        auto user = ctx->users->authenticate(email, password);
        if (!user) {
          ctx->throttle->failed(email, address);
          log::print(log::Level::info, "auth", "failed sign-in from ", address);
          res.send(Response::error(401, "The email or the password is not right."));
          return;
        }
        ctx->throttle->succeeded(email);
        ctx->sessions->forget(user->id);
        // Signing in brings an offline user online (docs/reference-server.md, "Presence").
        if (user->status == UserStatus::offline) {
          user = ctx->users->set_status(user->id, UserStatus::available);
          if (ctx->presence) ctx->presence->set_by_user(user->id, UserStatus::available);
        }
        res.send(Response::json(session_json(ctx->sessions->issue(*user), *user)));
      } catch (...) {
        res.send(Response::from_exception(std::current_exception()));
      }
    });
    if (!queued) res.send(Response::error(503, "the server is busy: too many requests are queued"));
  });

  r.post("/api/auth/logout", blocking(ctx, [ctx](const Request& req) {
           const Principal p = principal_of(req);
           if (p.kind != Principal::Kind::user) {
             throw Error(errc::conflict, p.kind == Principal::Kind::service
                                             ? "A service token cannot be signed out; change JWT_SECRET to revoke it."
                                             : "Sign-in is off on this server; there is no session to end.");
           }
           ctx->users->revoke_tokens(p.user_id);
           ctx->sessions->forget(p.user_id);
           if (ctx->end_sockets) ctx->end_sockets(p.user_id);
           return Response::json(json::ObjectWriter().add("signed_out", true).finish());
         }));

  r.get("/api/auth/me", blocking(ctx, [ctx](const Request& req) {
          const Principal p = principal_of(req);
          json::ObjectWriter w;
          w.add("kind", to_string(p.kind));
          w.add("role", to_string(p.role));
          w.add("sign_in_required", ctx->sessions != nullptr);
          if (p.kind == Principal::Kind::user) {
            w.add_raw("user", json::encode(ctx->users->get(p.user_id)));
          } else {
            w.add_null("user");
          }
          return Response::json(w.finish());
        }));
}

}  // namespace callwire::server
