#include "config.hpp"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>

namespace callwire::server_app {
namespace {

std::string env(const char* name, const std::string& fallback = {}) {
  const char* v = std::getenv(name);
  return (v && *v) ? std::string(v) : fallback;
}

bool env_flag(const char* name, bool fallback) {
  const std::string v = env(name);
  if (v.empty()) return fallback;
  if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
  if (v == "0" || v == "false" || v == "no" || v == "off") return false;
  throw std::invalid_argument(std::string(name) + ": expected 1/0, true/false, yes/no or on/off, got '" + v + "'");
}

// A whole number of digits only (no sign, no suffix, no spaces) within
// [min, max]; anything else is a configuration error naming the variable.
std::uint64_t env_count(const char* name, std::uint64_t fallback, std::uint64_t min, std::uint64_t max, const char* what) {
  const std::string v = env(name);
  if (v.empty()) return fallback;
  std::uint64_t n = 0;
  bool ok = v.size() <= 19;
  for (const char c : v) {
    if (c < '0' || c > '9') ok = false;
    else n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (!ok || n < min || n > max) {
    throw std::invalid_argument(std::string(name) + ": expected " + what + " (" + std::to_string(min) + " to " +
                                std::to_string(max) + ", digits only), got '" + v + "'");
  }
  return n;
}

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

void split_into(const std::string& list, std::vector<std::string>& out) {
  std::size_t start = 0;
  while (start <= list.size()) {
    const auto comma = list.find(',', start);
    std::string item = trim(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    while (!item.empty() && item.back() == '/') item.pop_back();  // "http://x:3000/" is the origin "http://x:3000"
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
}

// Where the web UI may be, first match wins: the installed share/ folder
// (<prefix>/bin/callwire-server → <prefix>/share/callwire/web), web/ beside the
// binary, and — for the binary of this build tree only, so that an installed
// server never serves a source checkout — examples/web/dist of the sources.
std::vector<std::filesystem::path> web_dir_candidates(const std::string& exe_path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path exe_dir = fs::weakly_canonical(fs::absolute(exe_path), ec).parent_path();
  std::vector<fs::path> dirs = {(exe_dir.parent_path() / "share/callwire/web").lexically_normal(), exe_dir / "web"};
  if (exe_dir == fs::weakly_canonical(CALLWIRE_BUILD_DIR, ec)) {
    dirs.push_back(fs::path(CALLWIRE_SOURCE_DIR) / "examples/web/dist");
  }
  return dirs;
}

}  // namespace

std::string executable_path(const char* argv0) {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec && !self.empty()) return self.string();
  return argv0 ? argv0 : "";
}

int load_dotenv(const std::string& path) {
  std::ifstream in(path);
  if (!in) return 0;
  int set = 0;
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("export ", 0) == 0) line = trim(line.substr(7));
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = trim(line.substr(0, eq));
    std::string value = trim(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    } else if (const auto hash = value.find(" #"); hash != std::string::npos) {
      value = trim(value.substr(0, hash));
    }
    if (key.empty() || std::getenv(key.c_str())) continue;
    ::setenv(key.c_str(), value.c_str(), 0);
    ++set;
  }
  return set;
}

Config load_config(const std::string& exe_path) {
  namespace fs = std::filesystem;
  Config c;
  const std::string mongo = env("MONGODB_URL");
  if (!mongo.empty()) {
    c.storage_url = mongo;
    c.database_name = env("DATABASE_NAME", "telnyx_calling");
  } else {
    const fs::path db = fs::absolute(env("CALLWIRE_DB", "callwire.db"));
    c.storage_url = "sqlite://" + db.string();
  }
  c.api_key = env("TELNYX_API_KEY", env("TELNYX_API_V2_KEY"));
  c.api_base = env("TELNYX_API_BASE");
  c.webhook_url = env("TELNYX_WEBHOOK_URL");
  c.connection_id = env("TELNYX_CONNECTION_ID");
  c.public_key = env("TELNYX_PUBLIC_KEY");
  c.ca_file = env("CALLWIRE_CA_FILE");
  c.jwt_secret = env("JWT_SECRET");
  split_into(env("CORS_ORIGINS"), c.cors_origins);
  split_into(env("FRONTEND_URL"), c.cors_origins);
  c.host = env("CALLWIRE_HOST", "127.0.0.1");
  c.port = static_cast<std::uint16_t>(env_count("CALLWIRE_PORT", 8000, 0, 65535, "a port number"));
  const std::string speed = env("CALLWIRE_DEMO_SPEED", "1");
  try {
    std::size_t used = 0;
    c.demo_speed = std::stod(speed, &used);
    if (used != speed.size() || !(c.demo_speed > 0) || !std::isfinite(c.demo_speed) || c.demo_speed > 1000) {
      throw std::out_of_range("speed");
    }
  } catch (const std::exception&) {
    throw std::invalid_argument("CALLWIRE_DEMO_SPEED: expected a number above 0 and at most 1000, got '" + speed + "'");
  }
  c.force_demo = env_flag("CALLWIRE_DEMO", false);
  c.allow_public = env_flag("CALLWIRE_ALLOW_PUBLIC", false);
  c.insecure_webhooks = env_flag("CALLWIRE_INSECURE_WEBHOOKS", false);
  c.seed_demo = env_flag("CALLWIRE_SEED_DEMO", true);
  c.body_limit = static_cast<std::size_t>(
      env_count("CALLWIRE_BODY_LIMIT", c.body_limit, 1024, std::uint64_t{64} << 20, "a number of bytes"));
  c.stale_after_s = env_count("CALLWIRE_STALE_AFTER", c.stale_after_s, 61, 86400, "a number of seconds above the 60 s ring timeout");
  c.live_poll_after_s = env_count("CALLWIRE_LIVE_POLL_AFTER", c.live_poll_after_s, 1, 540,
                                  "a number of seconds within Telnyx's 10 minutes of call status after the end");
  c.reconcile_interval_s = env_count("CALLWIRE_RECONCILE_INTERVAL", c.reconcile_interval_s, 1, 3600, "a number of seconds");
  split_into(env("CALLWIRE_ALLOWED_HOSTS"), c.allowed_hosts);
  c.metrics_token = env("CALLWIRE_METRICS_TOKEN");
  c.session_hours = env_count("JWT_EXPIRES_HOURS", c.session_hours, 1, 720, "a number of hours");
  c.wrap_up_s = env_count("CALLWIRE_WRAP_UP_SECONDS", c.wrap_up_s, 0, 3600, "a number of seconds");
  if (!c.jwt_secret.empty() && c.jwt_secret.size() < 32) {
    throw std::invalid_argument("JWT_SECRET: too short (" + std::to_string(c.jwt_secret.size()) +
                                " bytes); use at least 32 random bytes, for example: openssl rand -hex 32");
  }
  c.max_buffered_body_bytes = static_cast<std::size_t>(env_count(
      "CALLWIRE_MAX_BUFFERED_BODY_BYTES", c.max_buffered_body_bytes, 0, std::uint64_t{1} << 40, "a number of bytes"));
  c.max_connections_per_ip = static_cast<std::size_t>(
      env_count("CALLWIRE_MAX_CONNECTIONS_PER_IP", c.max_connections_per_ip, 0, 1000000, "a number of connections"));
  const std::string level = env("CALLWIRE_LOG_LEVEL", "info");
  if (auto l = parse_log_level(level)) {
    c.log_level = *l;
  } else {
    throw std::invalid_argument("CALLWIRE_LOG_LEVEL: expected trace, debug, info, warn, error or off, got '" + level + "'");
  }
  const std::string format = env("CALLWIRE_LOG_FORMAT", "text");
  if (format != "text" && format != "json") {
    throw std::invalid_argument("CALLWIRE_LOG_FORMAT: expected text or json, got '" + format + "'");
  }
  c.log_json = format == "json";
  c.recordings_dir = env("CALLWIRE_RECORDINGS_DIR");
  c.web_dir = env("CALLWIRE_WEB_DIR");
  if (!c.web_dir.empty()) {
    c.web_dirs_tried.push_back(c.web_dir);
    if (!fs::exists(fs::path(c.web_dir) / "index.html")) c.web_dir_missing = true;
  } else {
    for (const fs::path& candidate : web_dir_candidates(exe_path)) {
      c.web_dirs_tried.push_back(candidate.string());
      if (fs::exists(candidate / "index.html")) {
        c.web_dir = candidate.string();
        break;
      }
    }
    c.web_dir_missing = c.web_dir.empty();
  }
  return c;
}

}  // namespace callwire::server_app
