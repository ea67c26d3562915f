// callwire-server configuration: the environment plus a .env file, with the
// original system's names (DESIGN.md, "Configuration").
#pragma once

#include <callwire/log.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace callwire::server_app {

struct Config {
  std::string storage_url;      ///< MONGODB_URL, else sqlite:// of CALLWIRE_DB (default ./callwire.db)
  std::string database_name;    ///< DATABASE_NAME (MongoDB)
  std::string api_key;          ///< TELNYX_API_KEY, else TELNYX_API_V2_KEY
  std::string api_base;         ///< TELNYX_API_BASE
  std::string webhook_url;      ///< TELNYX_WEBHOOK_URL
  std::string connection_id;    ///< TELNYX_CONNECTION_ID
  std::string public_key;       ///< TELNYX_PUBLIC_KEY
  std::string ca_file;          ///< CALLWIRE_CA_FILE
  std::string jwt_secret;       ///< JWT_SECRET
  std::uint64_t session_hours = 12;
  std::uint64_t wrap_up_s = 30;  ///< CALLWIRE_WRAP_UP_SECONDS (0 to 3600): wrap_up after a user's last call  ///< JWT_EXPIRES_HOURS (1 to 720): a sign-in's token lifetime
  std::vector<std::string> cors_origins;  ///< CORS_ORIGINS (comma-separated) plus FRONTEND_URL
  std::string host = "127.0.0.1";         ///< CALLWIRE_HOST
  std::uint16_t port = 8000;              ///< CALLWIRE_PORT
  double demo_speed = 1.0;                ///< CALLWIRE_DEMO_SPEED
  bool force_demo = false;                ///< CALLWIRE_DEMO=1
  std::string web_dir;                    ///< CALLWIRE_WEB_DIR, else the first folder of web_dirs_tried with an index.html
  std::vector<std::string> web_dirs_tried;  ///< where the web UI was looked for, in order
  bool web_dir_missing = false;           ///< no index.html found: `/` answers 404 (a start-up warning says where it looked)
  std::string recordings_dir;             ///< CALLWIRE_RECORDINGS_DIR
  bool allow_public = false;              ///< CALLWIRE_ALLOW_PUBLIC=1: a public host without JWT_SECRET
  bool insecure_webhooks = false;         ///< CALLWIRE_INSECURE_WEBHOOKS=1: no signature checks (development only)
  bool seed_demo = true;                  ///< CALLWIRE_SEED_DEMO=0 turns demo seeding off
  std::size_t body_limit = 1 << 20;       ///< CALLWIRE_BODY_LIMIT (bytes, 1024 to 64 MiB)
  // The reconciler's timings (docs/client.md, "Reconciliation"), in seconds.
  std::uint64_t stale_after_s = 120;       ///< CALLWIRE_STALE_AFTER (61 to 86400: above the 60 s ring timeout)
  std::uint64_t live_poll_after_s = 300;   ///< CALLWIRE_LIVE_POLL_AFTER (1 to 540)
  std::uint64_t reconcile_interval_s = 30; ///< CALLWIRE_RECONCILE_INTERVAL (1 to 3600)
  std::vector<std::string> allowed_hosts; ///< CALLWIRE_ALLOWED_HOSTS (comma-separated)
  std::string metrics_token;              ///< CALLWIRE_METRICS_TOKEN
  std::size_t max_buffered_body_bytes = 64u << 20;  ///< CALLWIRE_MAX_BUFFERED_BODY_BYTES (0: no cap)
  std::size_t max_connections_per_ip = 256;          ///< CALLWIRE_MAX_CONNECTIONS_PER_IP (0: no limit)
  LogLevel log_level = LogLevel::info;    ///< CALLWIRE_LOG_LEVEL (trace, debug, info, warn, error, off)
  bool log_json = false;                  ///< CALLWIRE_LOG_FORMAT=json: one JSON object a line (else text)
};

/// Reads KEY=VALUE lines (# comments, optional quotes, optional "export ")
/// from `path` into the environment without overriding variables already
/// set. A missing file is fine. Returns the number of variables set.
int load_dotenv(const std::string& path);

/// The running executable's path (/proc/self/exe), else argv[0].
std::string executable_path(const char* argv0);

/// Builds the configuration from the environment. Throws std::invalid_argument
/// with a message naming the variable for a malformed value.
/// `exe_path` (executable_path()) locates an installed server's web UI.
Config load_config(const std::string& exe_path);

}  // namespace callwire::server_app
