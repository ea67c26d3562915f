// callwire — the REST API of the reference server (internal).
//
// The original backend's routes (DESIGN.md, "REST API") mounted on a Router:
// every handler decodes its input on the network thread, then runs the
// blocking SDK/storage work on the worker pool and answers from there.
// docs/openapi.yaml documents every route; a test checks them against this.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "callwire/call_client.hpp"
#include "callwire/contact_store.hpp"
#include "callwire/log_store.hpp"
#include "callwire/number_store.hpp"
#include "callwire/settings_store.hpp"
#include "callwire/user_store.hpp"
#include "callwire/version.hpp"
#include "server/metrics.hpp"
#include "server/router.hpp"
#include "server/worker_pool.hpp"

namespace callwire::server {

class Sessions;
class LoginThrottle;
class Presence;

/// What the routes need. All references must outlive the router.
/// Requests answered from a thread the server does not own (a webhook is
/// answered by the client's ingest writer after its commit). Each holds a
/// Responder, and through it its connection and the server's io_context: the
/// host waits for none to be left (wait_idle) before it destroys them.
class InFlight {
 public:
  /// One request; the count drops when the object is destroyed, after the
  /// Responder it holds.
  class Entry {
   public:
    Entry(std::shared_ptr<InFlight> owner, Responder res);
    ~Entry();
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;
    const Responder& responder() const { return *res_; }

   private:
    std::shared_ptr<InFlight> owner_;
    std::optional<Responder> res_;
  };

  /// Blocks until every Entry is gone.
  void wait_idle();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::size_t count_ = 0;
};

struct ApiContext {
  CallClient& client;
  WorkerPool& workers;
  metrics::Registry& metrics;
  /// Reported by GET /health: the WebhookServer's options.version (callwire::version() by default).
  std::string version = callwire::version();
  /// Extra fields for GET /health (e.g. "storage"); set by the host.
  std::string storage_backend;
  std::shared_ptr<InFlight> in_flight = std::make_shared<InFlight>();
  /// The accounts; one instance for the server's life (its decoy hash keeps
  /// an unknown email as slow as a wrong password).
  std::shared_ptr<UserStore> users = nullptr;
  /// Sign-in tokens; nullptr without JWT_SECRET (sign-in is off).
  std::shared_ptr<Sessions> sessions = nullptr;
  std::shared_ptr<LoginThrottle> throttle = nullptr;
  /// Statuses that follow calls and sockets; set when the server starts.
  std::shared_ptr<Presence> presence = nullptr;
  /// Closes the WebSockets of a user whose tokens were revoked or whose role
  /// changed (code 1008): they reconnect, and are checked again. Set when
  /// the server starts; empty before.
  std::function<void(const std::string& user_id)> end_sockets = nullptr;
};

/// Runs `work` on the worker pool (storage and carrier calls block) and
/// answers with its Response, or with the error it threw; 503 when the
/// pool's queue is full.
Router::Handler blocking(const std::shared_ptr<ApiContext>& ctx, std::function<Response(const Request&)> work);

/// Mounts /api/* and /health, and registers the call metrics (webhooks,
/// duplicates, carrier errors, dials, live calls) in ctx->metrics; the host
/// serves them at /metrics with the rest of the registry. Not mounted here:
/// /webhooks/call (mount_webhooks()), /ws/calls and static files.
void mount_rest_api(Router& router, const std::shared_ptr<ApiContext>& ctx);

/// Mounts POST /webhooks/call: the raw body and headers go to
/// CallClient::ingest_webhook_async, which verifies and parses on the network
/// thread and never blocks; its status is the answer, sent from the client's
/// ingest writer once the webhook is committed. No worker is held meanwhile.
void mount_webhooks(Router& router, const std::shared_ptr<ApiContext>& ctx);

}  // namespace callwire::server
