// callwire — static files from a folder (internal, Beast-free).
//
// Serves GET and HEAD with a Content-Type by extension, a weak ETag
// (If-None-Match → 304), `Accept-Ranges: bytes` and single byte ranges
// (206 with Content-Range; 416 when unsatisfiable; several ranges or an
// If-Range header get the whole file), which audio elements need to seek in
// WAV/MP3 recordings.
//
// Refused (answered as not found): ".." segments, segments starting with '.'
// (no .env or .git from a web folder), backslashes and NUL bytes, and any
// path whose canonical form leaves the root (symbolic links out of it).
//
// SPA fallback: a GET for a path with no file behind it gets the root's
// index.html when the path is not under an excluded prefix (/api, /ws,
// /webhooks, /health, /metrics, /recordings), its last segment has no
// extension and no segment starts with '.' ("/contacts" → index.html;
// "/app.js" → 404). The check runs on the percent-decoded path.
//
// File bytes are read on the network thread in 64 KiB pieces: fine for a web
// UI and recordings on a local disk.
//
// Thread-safety: immutable after construction; use from any thread.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/http_message.hpp"
#include "server/router.hpp"

namespace callwire::server {

struct StaticOptions {
  std::filesystem::path root;
  bool spa_fallback = true;
  std::string index = "index.html";
  std::vector<std::string> spa_excluded_prefixes{"/api", "/ws", "/webhooks", "/health", "/metrics", "/recordings"};
  /// Cache-Control for every file; empty: none (the ETag still allows revalidation).
  std::string cache_control = "no-cache";
};

/// The Content-Type for a file name: html, js, mjs, css, svg, png, jpg, gif,
/// webp, ico, json, map, txt, csv, wav, mp3, ogg, webm, woff, woff2, wasm;
/// application/octet-stream otherwise.
std::string_view content_type_for(std::string_view filename) noexcept;

class StaticFiles {
 public:
  /// Throws Error(invalid_argument) when `root` is not a readable directory.
  explicit StaticFiles(StaticOptions options);

  /// Answers a GET/HEAD for `relative` (a percent-decoded '/'-separated path
  /// under the root, leading '/' optional), using req's Range / If-None-Match
  /// headers; with `spa_fallback` (and StaticOptions::spa_fallback) a missing
  /// client-side route gets index.html. std::nullopt when there is nothing
  /// to serve.
  std::optional<Response> serve(const Request& req, std::string_view relative, bool spa_fallback) const;

  /// A route handler serving the file named by the route's {name:path}
  /// parameter (no SPA fallback); 404 {"detail":"Not Found"} when missing.
  ///   router.get("/recordings/{file:path}", recordings.handler("file"));
  /// The StaticFiles must outlive the router.
  Router::Handler handler(std::string param_name) const;

  const std::filesystem::path& root() const noexcept { return root_; }

 private:
  std::optional<std::filesystem::path> resolve(std::string_view relative) const;
  Response file_response(const Request& req, const std::filesystem::path& file) const;

  StaticOptions options_;
  std::filesystem::path root_;  ///< canonical
};

/// A parsed single `Range: bytes=...` header against a file size.
struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;  ///< inclusive
};
enum class RangeResult { none, ok, unsatisfiable };
/// none: no usable single range (absent, malformed or several ranges — serve
/// the whole file); ok: `out` is set; unsatisfiable: answer 416.
RangeResult parse_range(std::string_view header, std::uint64_t size, ByteRange& out);

}  // namespace callwire::server
