// callwire-server — the reference server: the original system's REST API,
// Telnyx webhooks, the /ws/calls WebSocket and the web softphone, on one
// CallClient and one Storage.
//
// Configuration comes from the environment and a .env file in the working
// directory (see config.hpp and docs/server.md). Without a Telnyx key it runs
// in demo mode and seeds a fresh database with demo contacts and numbers.
// SIGINT/SIGTERM stop it cleanly, finishing requests in flight.
#include <callwire/call_client.hpp>
#include <callwire/contact_store.hpp>
#include <callwire/error.hpp>
#include <callwire/log.hpp>
#include <callwire/number_store.hpp>
#include <callwire/storage.hpp>
#include <callwire/webhook_server.hpp>

#include <csignal>
#include <iostream>
#include <thread>

#include "config.hpp"
#include "first_accounts.hpp"
#include "json_log.hpp"

namespace {

using callwire::server_app::Config;

// Seeds an empty demo database with a few contacts and caller-ID numbers,
// one of them the default — what the original system's demo showed.
void seed_demo(callwire::Storage& storage) {
  callwire::ContactStore contacts(storage);
  callwire::NumberStore numbers(storage);
  if (numbers.list().empty()) {
    const struct {
      const char* number;
      const char* name;
      bool is_default;
    } demo_numbers[] = {{"+13125550100", "Chicago main line", true},
                        {"+14155550123", "San Francisco sales", false},
                        {"+442079460958", "London support", false}};
    for (const auto& n : demo_numbers) {
      callwire::PhoneNumber p;
      p.number = n.number;
      p.name = n.name;
      p.is_default = n.is_default;
      numbers.create(p);
    }
  }
  if (contacts.count() == 0) {
    const struct {
      const char* name;
      const char* phone;
      const char* email;
      callwire::ContactCategory category;
      bool favorite;
    } demo_contacts[] = {
        {"Ada Lovelace", "+12125551234", "ada@example.com", callwire::ContactCategory::client, true},
        {"Grace Hopper", "+12125550004", "grace@example.com", callwire::ContactCategory::lead, false},
        {"Alan Turing", "+442079460001", "alan@example.com", callwire::ContactCategory::follow_up, true},
        {"Busy Bee (always busy)", "+12125550000", "", callwire::ContactCategory::other, false},
        {"No Answer Ned", "+12125550001", "", callwire::ContactCategory::other, false},
    };
    for (const auto& c : demo_contacts) {
      callwire::Contact contact;
      contact.name = c.name;
      contact.phone = c.phone;
      contact.email = c.email;
      contact.category = c.category;
      contact.is_favorite = c.favorite;
      contacts.create(contact);
    }
  }
}

// A start-up warning of the server itself, through the same door as the
// SDK's records: dropped below CALLWIRE_LOG_LEVEL=warn, one JSON object with
// CALLWIRE_LOG_FORMAT=json (`line`), else the indented text (`text`).
void warn_at_start(const Config& config, const std::string& line, const std::string& text) {
  if (config.log_level > callwire::LogLevel::warn) return;
  if (config.log_json) {
    callwire::LogRecord r;
    r.level = callwire::LogLevel::warn;
    r.time = std::chrono::system_clock::now();
    r.component = "server";
    r.message = line;
    std::cerr << callwire::server_app::json_log_line(r) << std::flush;
  } else {
    std::cerr << "callwire-server: WARNING: " << text << '\n';
  }
}

// Says why `/` answers 404: no folder with the web UI's index.html, and
// where the server looked (docs/reference-server.md, "The web UI").
void warn_no_web_ui(const Config& config) {
  std::string dirs, listed;
  for (const auto& dir : config.web_dirs_tried) {
    dirs += (dirs.empty() ? "" : ", ") + dir;
    listed += "\n                  " + dir;
  }
  const std::string install =
      "install it with the server (cmake --install <build> --component server installs"
      "\n                examples/web/dist into <prefix>/share/callwire/web), or set CALLWIRE_WEB_DIR.";
  std::string one_line = install;
  for (std::size_t at; (at = one_line.find("\n                ")) != std::string::npos;) one_line.replace(at, 17, " ");
  warn_at_start(config,
                "no web UI found, so / answers 404 (the API and WebSocket work); looked for index.html in: " + dirs +
                    "; " + one_line,
                "no web UI found, so / answers 404 (the API and WebSocket work).\n"
                "                looked for index.html in:" + listed + "\n                " + install);
}

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

int main(int argc, char** argv) {
  (void)argc;
  // Block the stop signals in every thread; one thread waits for them.
  sigset_t signals = stop_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  Config config;
  try {
    callwire::server_app::load_dotenv(".env");
    config = callwire::server_app::load_config(callwire::server_app::executable_path(argv[0]));
  } catch (const std::exception& e) {
    std::cerr << "callwire-server: configuration error: " << e.what() << '\n';
    return 2;
  }
  // The SDK's log: CALLWIRE_LOG_LEVEL, and CALLWIRE_LOG_FORMAT=json through the public hook.
  if (config.log_json) {
    callwire::server_app::install_json_log(config.log_level);
  } else {
    callwire::set_log_handler(config.log_level, nullptr);  // the default stderr lines
  }

  try {
    callwire::StorageOptions so;
    so.database = config.database_name;
    callwire::Storage storage = callwire::Storage::open(config.storage_url, so);

    callwire::CallClientOptions co;
    co.api_key = config.api_key;
    co.api_base = config.api_base;
    co.connection_id = config.connection_id;
    co.webhook_url = config.webhook_url;
    co.public_key = config.public_key;
    co.ca_file = config.ca_file;
    co.force_demo = config.force_demo;
    co.insecure_webhooks = config.insecure_webhooks;
    co.demo_speed = config.demo_speed;
    co.recordings_dir = config.recordings_dir;
    co.stale_after = std::chrono::seconds(config.stale_after_s);
    co.live_poll_after = std::chrono::seconds(config.live_poll_after_s);
    co.reconcile_interval = std::chrono::seconds(config.reconcile_interval_s);
    callwire::CallClient client(storage, co);
    if (client.demo() && config.seed_demo) seed_demo(storage);
    if (!config.jwt_secret.empty()) {
      callwire::server_app::first_accounts(storage, client.demo() && config.seed_demo, std::cout);
    }
    if (config.insecure_webhooks) {
      warn_at_start(config,
                    "CALLWIRE_INSECURE_WEBHOOKS is set: webhook signatures are NOT checked; anyone who can reach "
                    "/webhooks/call can forge call events. Development only.",
                    "CALLWIRE_INSECURE_WEBHOOKS is set: webhook signatures are NOT checked.\n"
                    "                anyone who can reach /webhooks/call can forge call events. Development only.");
    }

    if (config.web_dir_missing) warn_no_web_ui(config);

    callwire::WebhookServerOptions wo;
    wo.host = config.host;
    wo.port = config.port;
    wo.static_dir = config.web_dir;
    wo.cors_origins = config.cors_origins;
    wo.jwt_secret = config.jwt_secret;
    wo.session_lifetime = std::chrono::hours(config.session_hours);
    wo.wrap_up = std::chrono::seconds(config.wrap_up_s);
    wo.allow_public_without_auth = config.allow_public;
    wo.body_limit = config.body_limit;
    wo.allowed_hosts = config.allowed_hosts;
    wo.metrics_token = config.metrics_token;
    wo.max_buffered_body_bytes = config.max_buffered_body_bytes;
    wo.max_connections_per_ip = config.max_connections_per_ip;
    callwire::WebhookServer server(client, wo);
    server.start();
    std::cout << "callwire-server listening on http://" << config.host << ':' << server.port() << " ("
              << client.mode() << " mode, " << storage.backend() << ' ' << storage.location() << ")"
              << (config.web_dir.empty() ? "" : ", web UI from " + config.web_dir) << std::endl;

    std::thread waiter([&] {
      int sig = 0;
      sigwait(&signals, &sig);
      std::cout << "callwire-server: " << (sig == SIGINT ? "SIGINT" : "SIGTERM") << ", shutting down" << std::endl;
      server.stop();
    });
    server.wait();
    // If the server stopped for another reason, release the waiter.
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    client.close();
    std::cout << "callwire-server: stopped" << std::endl;
    return 0;
  } catch (const callwire::Error& e) {
    // The operator's console: the storage's own text (path, driver message) too.
    std::cerr << "callwire-server: " << e.what();
    if (!e.detail().empty()) std::cerr << " (" << e.detail() << ')';
    std::cerr << '\n';
    return 1;
  }
}
