#include "server/api/access_policy.hpp"

#include "server/principal.hpp"

namespace callwire::server {
namespace {

constexpr Access open = Access::open;
constexpr Access any = Access::signed_in;
constexpr Access admin = Access::admin;

std::string_view trimmed(std::string_view pattern) {
  while (pattern.size() > 1 && pattern.back() == '/') pattern.remove_suffix(1);
  return pattern;
}

}  // namespace

const std::vector<RouteAccess>& access_table() {
  static const std::vector<RouteAccess> table{
      // Sign-in and the signed-in user.
      {"POST", "/api/auth/login", open, ""},
      {"POST", "/api/auth/logout", any, ""},
      {"GET", "/api/auth/me", any, ""},
      {"PUT", "/api/users/me/status", any, ""},
      // The user themself with the old password, or an administrator (the handler decides).
      {"POST", "/api/users/{id}/password", any, ""},
      {"GET", "/api/users", admin, "Only an administrator can see the team's accounts."},
      {"POST", "/api/users", admin, "Only an administrator can add users."},
      {"GET", "/api/users/{id}", admin, "Only an administrator can see the team's accounts."},
      {"PUT", "/api/users/{id}", admin, "Only an administrator can change users."},
      {"DELETE", "/api/users/{id}", admin, "Only an administrator can remove users."},

      // Calls: an agent dials and controls the calls they placed.
      {"POST", "/api/telnyx/dial", any, ""},
      {"POST", "/api/telnyx/hangup/{call_id}", any, ""},
      {"GET", "/api/call-status/status/{call_id}", any, ""},
      {"GET", "/api/call-status/active", any, ""},
      {"GET", "/api/call-status/stats", any, ""},
      {"POST", "/api/telnyx/calls/{call_id}/mute", any, ""},
      {"POST", "/api/telnyx/calls/{call_id}/hold", any, ""},
      {"POST", "/api/telnyx/calls/{call_id}/dtmf", any, ""},
      {"POST", "/api/telnyx/calls/{call_id}/recording/start", any, ""},
      {"POST", "/api/telnyx/calls/{call_id}/recording/stop", any, ""},
      {"POST", "/api/telnyx/calls/{call_id}/recording/pause", any, ""},
      {"POST", "/api/telnyx/calls/{call_id}/recording/resume", any, ""},
      {"POST", "/api/telnyx/calls/{call_id}/transfer", any, ""},
      {"POST", "/api/telnyx/calls/{call_id}/speak", any, ""},
      {"POST", "/api/telnyx/calls/{call_id}/playback/start", any, ""},
      {"POST", "/api/telnyx/calls/{call_id}/playback/stop", any, ""},

      // The team's contacts: everyone uses and edits them; only an administrator deletes.
      {"GET", "/api/contacts", any, ""},
      {"POST", "/api/contacts", any, ""},
      {"GET", "/api/contacts/{id}", any, ""},
      {"PUT", "/api/contacts/{id}", any, ""},
      {"POST", "/api/contacts/{id}/favorite", any, ""},
      {"DELETE", "/api/contacts/{id}", admin, "Only an administrator can delete contacts."},

      // Call logs, stats and recordings: an agent's own; an administrator's, everyone's.
      {"GET", "/api/calls/logs", any, ""},
      {"GET", "/api/calls/logs/search", any, ""},
      {"GET", "/api/calls/stats/summary", any, ""},
      {"GET", "/api/calls/logs/export", any, ""},
      {"GET", "/api/recordings", any, ""},
      {"GET", "/api/recordings/{call_id}", any, ""},
      {"POST", "/api/recordings/{recording_id}/refresh", any, ""},
      {"GET", "/recordings/{file:path}", any, ""},
      {"DELETE", "/api/recordings/{recording_id}", admin, "Only an administrator can delete recordings."},

      // Caller-ID numbers: everyone reads them; only an administrator manages them.
      {"GET", "/api/numbers", any, ""},
      {"POST", "/api/numbers", admin, "Only an administrator can add caller-ID numbers."},
      {"POST", "/api/numbers/{id}/set-default", admin, "Only an administrator can change the default number."},
      {"DELETE", "/api/numbers/{id}", admin, "Only an administrator can remove caller-ID numbers."},

      // Settings: everyone reads them (secrets masked); only an administrator changes them.
      {"GET", "/api/telnyx/settings", any, ""},
      {"POST", "/api/telnyx/settings", admin, "Only an administrator can change the settings."},

      // Outside the token's prefixes, each with its own guard.
      {"GET", "/health", open, ""},
      {"POST", "/webhooks/call", open, ""},  // the Telnyx signature
      {"GET", "/metrics", open, ""},         // CALLWIRE_METRICS_TOKEN or loopback
  };
  return table;
}

const RouteAccess* find_access(std::string_view method, std::string_view pattern) {
  pattern = trimmed(pattern);
  for (const auto& r : access_table()) {
    if (r.method == method && trimmed(r.pattern) == pattern) return &r;
  }
  return nullptr;
}

bool sees_call(const Principal& p, const Call& call) {
  if (p.is_admin()) return true;
  return p.kind == Principal::Kind::user && call.agent_id && *call.agent_id == p.user_id;
}

bool sees_recording(const Principal& p, const Recording& recording) {
  if (p.is_admin()) return true;
  return p.kind == Principal::Kind::user && recording.agent_id && *recording.agent_id == p.user_id;
}

std::optional<std::string> call_scope(const Principal& p, std::optional<std::string> asked) {
  if (p.is_admin()) return asked;
  return p.user_id;  // an agent (or, outside the token's prefixes, nobody: "")
}

std::optional<Response> authorize(const Request& req, std::string_view pattern) {
  const Principal p = principal_of(req);
  const RouteAccess* r = find_access(req.method == "HEAD" ? "GET" : req.method, pattern);
  if (r != nullptr && r->access == Access::open) return std::nullopt;
  if (p.is_admin()) return std::nullopt;
  if (p.kind == Principal::Kind::anonymous) {
    // Only on a path outside the token's prefixes: not ours to open.
    auto res = Response::error(401, "Not authenticated");
    res.set_header("WWW-Authenticate", "Bearer");
    return res;
  }
  if (r == nullptr) return Response::error(403, "Only an administrator can do this.");
  if (r->access != Access::admin) return std::nullopt;
  return Response::error(403, std::string(r->refusal));
}

}  // namespace callwire::server
