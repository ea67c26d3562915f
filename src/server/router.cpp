#include "server/router.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace callwire::server {

std::vector<std::string> split_path(std::string_view raw_path) {
  std::vector<std::string> out;
  if (!raw_path.empty() && raw_path.front() == '/') raw_path.remove_prefix(1);
  if (!raw_path.empty() && raw_path.back() == '/') raw_path.remove_suffix(1);
  if (raw_path.empty()) return out;
  while (true) {
    auto slash = raw_path.find('/');
    out.push_back(percent_decode(raw_path.substr(0, slash)));
    if (slash == std::string_view::npos) break;
    raw_path.remove_prefix(slash + 1);
  }
  return out;
}

std::vector<Router::Segment> Router::parse_pattern(std::string_view pattern) {
  auto bad = [&](const std::string& why) {
    return Error(errc::invalid_argument, "route pattern '" + std::string(pattern) + "': " + why);
  };
  if (pattern.empty() || pattern.front() != '/') throw bad("must start with '/'");
  std::vector<Segment> out;
  std::set<std::string, std::less<>> names;
  std::string_view rest = pattern.substr(1);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.empty()) return out;
  while (true) {
    auto slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    if (!out.empty() && out.back().kind == Segment::Kind::rest) throw bad("{name:path} must be the last segment");
    if (seg.empty()) throw bad("empty segment");
    if (seg.front() == '{') {
      if (seg.back() != '}') throw bad("unclosed '{'");
      std::string_view inner = seg.substr(1, seg.size() - 2);
      Segment::Kind kind = Segment::Kind::param;
      auto colon = inner.find(':');
      if (colon != std::string_view::npos) {
        if (inner.substr(colon + 1) != "path") throw bad("unknown converter '" + std::string(inner.substr(colon + 1)) + "'");
        kind = Segment::Kind::rest;
        inner = inner.substr(0, colon);
      }
      if (inner.empty()) throw bad("empty parameter name");
      for (char c : inner) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) throw bad("bad parameter name");
      }
      if (!names.emplace(inner).second) throw bad("duplicate parameter '" + std::string(inner) + "'");
      out.push_back({kind, std::string(inner)});
    } else {
      if (seg.find_first_of("{}") != std::string_view::npos) throw bad("'{' or '}' inside a literal segment");
      out.push_back({Segment::Kind::literal, percent_decode(seg)});
    }
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return out;
}

void Router::add(std::string_view method, std::string_view pattern, Handler handler) {
  if (method.empty()) throw Error(errc::invalid_argument, "route method is empty");
  for (char c : method) {
    if (!(c >= 'A' && c <= 'Z')) throw Error(errc::invalid_argument, "route method must be upper-case letters: " + std::string(method));
  }
  if (!handler) throw Error(errc::invalid_argument, "route handler is empty");
  Route r;
  r.method = std::string(method);
  r.segments = parse_pattern(pattern);
  // The normalized pattern: no trailing slash except for the root.
  r.pattern = "/";
  for (std::size_t i = 0; i < r.segments.size(); ++i) {
    const auto& s = r.segments[i];
    if (i) r.pattern += '/';
    if (s.kind == Segment::Kind::literal) r.pattern += s.text;
    else if (s.kind == Segment::Kind::param) r.pattern += "{" + s.text + "}";
    else r.pattern += "{" + s.text + ":path}";
  }
  for (const auto& existing : routes_) {
    if (existing.method == r.method && existing.pattern == r.pattern) {
      throw Error(errc::invalid_argument, "route " + r.method + " " + r.pattern + " is already defined");
    }
  }
  r.handler = std::move(handler);
  routes_.push_back(std::move(r));
}

Router::Handler Router::sync(SyncHandler handler) {
  return [h = std::move(handler)](const Request& req, Responder res) {
    Response out;
    try {
      out = h(req);
    } catch (...) {
      out = Response::from_exception(std::current_exception());
    }
    res.send(std::move(out));
  };
}

bool Router::match_route(const Route& r, const std::vector<std::string>& segs,
                         std::map<std::string, std::string, std::less<>>* params) {
  std::size_t i = 0;
  for (; i < r.segments.size(); ++i) {
    const auto& s = r.segments[i];
    if (s.kind == Segment::Kind::rest) {
      if (params) {
        std::string joined;
        for (std::size_t j = i; j < segs.size(); ++j) {
          if (j > i) joined += '/';
          joined += segs[j];
        }
        (*params)[s.text] = std::move(joined);
      }
      return true;
    }
    if (i >= segs.size()) return false;
    if (s.kind == Segment::Kind::literal) {
      if (segs[i] != s.text) return false;
    } else {
      if (segs[i].empty()) return false;
      if (params) (*params)[s.text] = segs[i];
    }
  }
  return i == segs.size();
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  return match(method, split_path(path));
}

Router::Match Router::match(std::string_view method, const std::vector<std::string>& segs) const {
  Match out;
  const Route* best = nullptr;
  std::vector<int> best_rank;
  std::set<std::string> allowed;
  for (const auto& r : routes_) {
    if (!match_route(r, segs, nullptr)) continue;
    const bool method_ok = r.method == method || (method == "HEAD" && r.method == "GET");
    if (!method_ok) {
      allowed.insert(r.method);
      if (r.method == "GET") allowed.insert("HEAD");
      continue;
    }
    std::vector<int> rank;
    rank.reserve(r.segments.size());
    for (const auto& s : r.segments) rank.push_back(static_cast<int>(s.kind));
    if (!best || rank < best_rank) {
      best = &r;
      best_rank = std::move(rank);
    }
  }
  if (best) {
    out.outcome = Outcome::found;
    out.handler = &best->handler;
    out.pattern = best->pattern;
    match_route(*best, segs, &out.params);
    return out;
  }
  if (!allowed.empty()) {
    out.outcome = Outcome::method_not_allowed;
    out.allowed.assign(allowed.begin(), allowed.end());
  }
  return out;
}

Router::Outcome Router::dispatch(Request& request, const Responder& responder) const {
  request.query = parse_query(request.query_string);
  auto m = match(request.method, request.path);
  if (m.outcome == Outcome::not_found) {
    responder.send(Response::error(404, "Not Found"));
    return m.outcome;
  }
  if (m.outcome == Outcome::method_not_allowed) {
    std::string allow;
    for (const auto& a : m.allowed) {
      if (!allow.empty()) allow += ", ";
      allow += a;
    }
    auto res = Response::error(405, "Method Not Allowed");
    res.set_header("Allow", allow);
    responder.send(std::move(res));
    return m.outcome;
  }
  request.route = m.pattern;
  request.params = std::move(m.params);
  try {
    (*m.handler)(request, responder);
  } catch (...) {
    responder.send(Response::from_exception(std::current_exception()));
  }
  return m.outcome;
}

std::vector<Router::RouteInfo> Router::routes() const {
  std::vector<RouteInfo> out;
  out.reserve(routes_.size());
  for (const auto& r : routes_) out.push_back({r.method, r.pattern});
  return out;
}

}  // namespace callwire::server
