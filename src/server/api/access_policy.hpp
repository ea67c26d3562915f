// callwire — who may call which route of the reference server (internal).
//
// The one place where roles are enforced (docs/reference-server.md,
// "Accounts and roles", is this table in prose; a test checks that every
// mounted route has an entry and that the document lists each). The
// Dispatcher asks authorize() after the route matched and before its handler
// runs, so a handler never sees a caller its route does not admit.
//
// Levels:
//   open      — no token needed (sign-in itself);
//   signed_in — any caller with a valid token: agents, administrators,
//               service tokens. What an agent may see within such a route
//               (their own calls) is the handler's filter, not a refusal;
//   admin     — administrators and service tokens only; an agent gets 403
//               with a sentence saying so.
// A route missing from the table is refused to everyone but administrators
// (deny by default), and the test fails until it is added.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callwire/types.hpp"
#include "server/http_message.hpp"
#include "server/principal.hpp"

namespace callwire::server {

enum class Access { open, signed_in, admin };

struct RouteAccess {
  std::string_view method;   ///< "GET", "POST", …
  std::string_view pattern;  ///< as mounted, e.g. "/api/users/{id}"
  Access access;
  std::string_view refusal;  ///< admin routes: the 403 sentence for an agent
};

/// Every route of the reference server and who may call it.
const std::vector<RouteAccess>& access_table();

/// The entry for a matched route; nullptr when the table has none.
const RouteAccess* find_access(std::string_view method, std::string_view pattern);

/// Calls belong to whoever placed them: an administrator (a service token,
/// the local administrator) sees every call, an agent only the calls whose
/// agent_id is theirs. Another agent's call is answered as an unknown id
/// (404), never 403, so ids cannot be probed.
bool sees_call(const Principal& p, const Call& call);
/// The same for a recording: its call's agent (Recording::agent_id).
bool sees_recording(const Principal& p, const Recording& recording);

/// The agent filter of a caller's call-log reads (logs, search, stats,
/// export, active calls): an agent's own id whatever they asked for; for an
/// administrator, the agent_id they asked for, if any.
std::optional<std::string> call_scope(const Principal& p, std::optional<std::string> asked);

/// std::nullopt: go on; otherwise the 403 to send. `pattern` is the matched
/// route (Request::route). Callers without a token on protected paths never
/// get here (the Authenticator answered 401).
std::optional<Response> authorize(const Request& req, std::string_view pattern);

}  // namespace callwire::server
