#include "server/static_files.hpp"

#include <cctype>
#include <charconv>
#include <system_error>

namespace callwire::server {
namespace fs = std::filesystem;

namespace {

struct TypeEntry {
  std::string_view ext;
  std::string_view type;
};

constexpr TypeEntry kTypes[] = {
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"ico", "image/x-icon"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"webmanifest", "application/manifest+json"},
    {"txt", "text/plain; charset=utf-8"},
    {"csv", "text/csv; charset=utf-8"},
    {"wav", "audio/wav"},
    {"mp3", "audio/mpeg"},
    {"ogg", "audio/ogg"},
    {"webm", "audio/webm"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"wasm", "application/wasm"},
};

bool under_prefix(std::string_view path, std::string_view prefix) {
  if (path.substr(0, prefix.size()) != prefix) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

bool parse_u64(std::string_view s, std::uint64_t& out) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_within(const fs::path& root, const fs::path& p) {
  auto r = root.begin();
  auto q = p.begin();
  for (; r != root.end(); ++r, ++q) {
    if (q == p.end() || *r != *q) return false;
  }
  return true;
}

std::string hex(std::uint64_t v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, 16);
  (void)ec;
  return std::string(buf, end);
}

}  // namespace

std::string_view content_type_for(std::string_view filename) noexcept {
  auto dot = filename.rfind('.');
  auto slash = filename.find_last_of("/\\");
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return "application/octet-stream";
  auto ext = filename.substr(dot + 1);
  for (const auto& t : kTypes) {
    if (iequals(t.ext, ext)) return t.type;
  }
  return "application/octet-stream";
}

RangeResult parse_range(std::string_view header, std::uint64_t size, ByteRange& out) {
  header = trim(header);
  constexpr std::string_view unit = "bytes=";
  if (header.size() < unit.size() || !iequals(header.substr(0, unit.size()), unit)) return RangeResult::none;
  auto spec = trim(header.substr(unit.size()));
  if (spec.find(',') != std::string_view::npos) return RangeResult::none;
  auto dash = spec.find('-');
  if (dash == std::string_view::npos) return RangeResult::none;
  auto a = trim(spec.substr(0, dash));
  auto b = trim(spec.substr(dash + 1));
  if (a.empty()) {
    std::uint64_t n = 0;
    if (!parse_u64(b, n)) return RangeResult::none;
    if (n == 0 || size == 0) return RangeResult::unsatisfiable;
    out.first = n >= size ? 0 : size - n;
    out.last = size - 1;
    return RangeResult::ok;
  }
  std::uint64_t first = 0;
  if (!parse_u64(a, first)) return RangeResult::none;
  std::uint64_t last = size == 0 ? 0 : size - 1;
  if (!b.empty()) {
    std::uint64_t l = 0;
    if (!parse_u64(b, l) || l < first) return RangeResult::none;
    if (l < last) last = l;
  }
  if (first >= size) return RangeResult::unsatisfiable;
  out.first = first;
  out.last = last;
  return RangeResult::ok;
}

StaticFiles::StaticFiles(StaticOptions options) : options_(std::move(options)) {
  std::error_code ec;
  root_ = fs::canonical(options_.root, ec);
  if (ec || !fs::is_directory(root_, ec)) {
    throw Error(errc::invalid_argument, "static folder '" + options_.root.string() + "' is not a directory");
  }
}

std::optional<fs::path> StaticFiles::resolve(std::string_view relative) const {
  if (relative.find('\0') != std::string_view::npos || relative.find('\\') != std::string_view::npos) return std::nullopt;
  fs::path p = root_;
  std::string_view rest = relative;
  while (!rest.empty()) {
    auto slash = rest.find('/');
    auto seg = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (seg.empty()) continue;
    if (seg.front() == '.') return std::nullopt;  // "..", ".env", ".git"
    p /= fs::path(std::string(seg));
  }
  std::error_code ec;
  if (fs::is_directory(p, ec)) p /= options_.index;
  auto canonical = fs::canonical(p, ec);
  if (ec || !is_within(root_, canonical) || !fs::is_regular_file(canonical, ec)) return std::nullopt;
  return canonical;
}

Response StaticFiles::file_response(const Request& req, const fs::path& file) const {
  std::error_code ec;
  const std::uint64_t size = fs::file_size(file, ec);
  if (ec) return Response::error(404, "Not Found");
  const auto mtime = fs::last_write_time(file, ec);
  const std::string etag =
      "W/\"" + hex(size) + "-" + hex(static_cast<std::uint64_t>(mtime.time_since_epoch().count())) + "\"";

  Response res;
  res.set_header("Content-Type", std::string(content_type_for(file.filename().string())));
  res.set_header("Accept-Ranges", "bytes");
  res.set_header("ETag", etag);
  if (!options_.cache_control.empty()) res.set_header("Cache-Control", options_.cache_control);

  if (auto inm = req.header("If-None-Match"); inm && (*inm == etag || trim(*inm) == "*")) {
    res.status = 304;
    return res;
  }

  ByteRange range;
  auto rr = RangeResult::none;
  if (auto h = req.header("Range"); h && !req.header("If-Range")) rr = parse_range(*h, size, range);
  if (rr == RangeResult::unsatisfiable) {
    auto err = Response::error(416, "Range Not Satisfiable");
    err.set_header("Content-Range", "bytes */" + std::to_string(size));
    err.set_header("Accept-Ranges", "bytes");
    return err;
  }
  if (rr == RangeResult::ok) {
    res.status = 206;
    res.set_header("Content-Range",
                   "bytes " + std::to_string(range.first) + "-" + std::to_string(range.last) + "/" + std::to_string(size));
    res.file = FileBody{file.string(), range.first, range.last - range.first + 1};
  } else {
    res.status = 200;
    res.file = FileBody{file.string(), 0, size};
  }
  return res;
}

std::optional<Response> StaticFiles::serve(const Request& req, std::string_view relative, bool spa_fallback) const {
  if (req.method != "GET" && req.method != "HEAD") return std::nullopt;
  if (auto file = resolve(relative)) return file_response(req, *file);
  if (!spa_fallback || !options_.spa_fallback) return std::nullopt;
  std::string path = "/";
  path.append(relative.substr(relative.empty() || relative.front() != '/' ? 0 : 1));
  for (const auto& prefix : options_.spa_excluded_prefixes) {
    if (under_prefix(path, prefix)) return std::nullopt;
  }
  // Only paths that look like client-side routes: no extension in the last
  // segment, no hidden or relative segments anywhere.
  const auto last = path.substr(path.rfind('/') + 1);
  if (last.find('.') != std::string::npos || path.find("/.") != std::string::npos) return std::nullopt;
  if (auto index = resolve(options_.index)) return file_response(req, *index);
  return std::nullopt;
}

Router::Handler StaticFiles::handler(std::string param_name) const {
  return [this, name = std::move(param_name)](const Request& req, Responder res) {
    auto out = serve(req, req.param(name), false);
    res.send(out ? std::move(*out) : Response::error(404, "Not Found"));
  };
}

}  // namespace callwire::server
