// callwire — the request router of the server layer (internal, Beast-free).
//
// Routes are a method plus a path pattern made of '/'-separated segments:
//   literal      /api/contacts
//   {name}       one non-empty segment, percent-decoded: /api/contacts/{id}/favorite
//   {name:path}  the rest of the path, slashes included, possibly empty;
//                only as the last segment: /recordings/{file:path}
// Matching is trailing-slash tolerant ("/api/contacts" and "/api/contacts/"
// are the same route). When several patterns match a path, the most specific
// wins: at the first segment where they differ, a literal beats {param}, which
// beats {rest:path}; equal patterns go by registration order. A GET route
// also answers HEAD (the server drops the body), as in Starlette.
//
// No route for the path: 404 {"detail":"Not Found"}. A route for the path but
// not for the method: 405 {"detail":"Method Not Allowed"} with an Allow
// header — the answers FastAPI gives.
//
// Thread-safety: add routes before the server starts; after that the router
// is only read, from any number of threads.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "server/http_message.hpp"

namespace callwire::server {

class Router {
 public:
  /// An asynchronous handler: answer through the Responder, now or later, from
  /// any thread. An exception thrown before answering becomes the error
  /// response of Response::from_exception().
  using Handler = std::function<void(const Request&, Responder)>;
  /// A handler that answers at once, on the network thread: keep it short and
  /// non-blocking.
  using SyncHandler = std::function<Response(const Request&)>;

  /// Adds a route. `method` is an upper-case token ("GET", "POST", ...).
  /// Throws Error(invalid_argument) for a malformed pattern ("{id" or a
  /// {rest:path} that is not last, duplicate parameter names) or when the same
  /// method and pattern are already routed.
  void add(std::string_view method, std::string_view pattern, Handler handler);
  void get(std::string_view pattern, Handler h) { add("GET", pattern, std::move(h)); }
  void post(std::string_view pattern, Handler h) { add("POST", pattern, std::move(h)); }
  void put(std::string_view pattern, Handler h) { add("PUT", pattern, std::move(h)); }
  void patch(std::string_view pattern, Handler h) { add("PATCH", pattern, std::move(h)); }
  void del(std::string_view pattern, Handler h) { add("DELETE", pattern, std::move(h)); }

  /// Wraps a synchronous handler (exceptions become error responses).
  static Handler sync(SyncHandler handler);

  enum class Outcome { found, not_found, method_not_allowed };

  struct Match {
    Outcome outcome = Outcome::not_found;
    const Handler* handler = nullptr;  ///< when found
    std::string pattern;               ///< when found: the normalized pattern
    std::map<std::string, std::string, std::less<>> params;
    std::vector<std::string> allowed;  ///< when method_not_allowed: sorted methods
  };

  /// Finds the route for a method and a raw (percent-encoded) path.
  Match match(std::string_view method, std::string_view path) const;
  /// Finds the route for a method and a path's decoded segments
  /// (CanonicalPath::segments): what the dispatcher uses.
  Match match(std::string_view method, const std::vector<std::string>& segments) const;

  /// Matches `request`, fills route, params and query, and runs the handler;
  /// answers 404/405 itself. Returns the outcome.
  Outcome dispatch(Request& request, const Responder& responder) const;

  struct RouteInfo {
    std::string method;
    std::string pattern;
  };
  /// Every route in registration order (for documentation checks).
  std::vector<RouteInfo> routes() const;

 private:
  struct Segment {
    enum class Kind { literal, param, rest } kind;
    std::string text;  ///< the literal (decoded) or the parameter name
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
  };
  static std::vector<Segment> parse_pattern(std::string_view pattern);
  static bool match_route(const Route& r, const std::vector<std::string>& segs,
                          std::map<std::string, std::string, std::less<>>* params);

  std::vector<Route> routes_;
};

/// Splits a raw path into percent-decoded segments, ignoring one trailing
/// slash: "/a/b%20c/" → {"a", "b c"}; "/" → {}.
std::vector<std::string> split_path(std::string_view raw_path);

}  // namespace callwire::server
