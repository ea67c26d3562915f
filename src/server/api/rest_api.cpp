// The reference server's REST API over CallClient and the typed stores.
#include "server/api/rest_api.hpp"

#include <charconv>
#include <limits>
#include <mutex>

#include "callwire/error.hpp"
#include "callwire/json.hpp"
#include "callwire/phone.hpp"
#include "callwire/webhook.hpp"
#include "json/body.hpp"
#include "server/api/request_fields.hpp"
#include "server/api/settings_api.hpp"
#include "server/api/webhook_status.hpp"
#include "support/log.hpp"

namespace callwire::server {
namespace {

using Ctx = std::shared_ptr<ApiContext>;
using Work = std::function<Response(const Request&)>;

// Runs `work` on the worker pool (storage and carrier calls block) and
// answers with its Response, or with the error it threw.
Router::Handler blocking(const Ctx& ctx, Work work) {
  return [ctx, work = std::move(work)](const Request& req, Responder res) {
    const bool queued = ctx->workers.post([&req, res, work] {
      try {
        res.send(work(req));
      } catch (...) {
        res.send(Response::from_exception(std::current_exception()));
      }
    });
    if (!queued) res.send(Response::error(503, "the server is busy: too many requests are queued"));
  };
}

[[noreturn]] void invalid(const std::string& message) { throw Error(errc::invalid_argument, message); }

// The query string of a GET as request fields (request_fields.hpp).
RequestFields query_of(const Request& req) {
  return RequestFields::of_query([&req](std::string_view name) { return req.query_param(name); });
}

Page page_of(const Request& req, std::size_t default_limit = 50) { return page(query_of(req), default_limit); }

CallFilter call_filter(const Request& req) { return server::call_filter(query_of(req)); }

std::string required_string(const json::Body& body, std::string_view field) {
  auto v = body.string(field);
  if (!v || v->empty()) invalid(std::string(field) + ": field required");
  return *v;
}

std::string deleted(std::string_view id) { return json::ObjectWriter().add("deleted", true).add("id", id).finish(); }

// ---- calls -------------------------------------------------------------------

void mount_calls(Router& r, const Ctx& ctx) {
  r.post("/api/telnyx/dial", blocking(ctx, [ctx](const Request& req) {
           const auto body = json::Body::parse(req.body);
           const std::string to = required_string(body, "to_number");
           const DialOptions o = dial_options(RequestFields::of(body));
           const Call call = ctx->client.dial(to, body.string("from_number").value_or(""), o);
           return Response::json(json::encode(call));
         }));
  r.post("/api/telnyx/hangup/{call_id}",
         blocking(ctx, [ctx](const Request& req) { return Response::json(json::encode(ctx->client.hangup(req.param("call_id")))); }));
  r.get("/api/call-status/status/{call_id}",
        blocking(ctx, [ctx](const Request& req) { return Response::json(json::encode(ctx->client.get(req.param("call_id")))); }));
  r.get("/api/call-status/active",
        blocking(ctx, [ctx](const Request&) { return Response::json(json::encode(ctx->client.active())); }));
  r.get("/api/call-status/stats",
        blocking(ctx, [ctx](const Request&) { return Response::json(json::encode(ctx->client.stats())); }));

  // Call controls; each answers the Call.
  r.post("/api/telnyx/calls/{call_id}/mute", blocking(ctx, [ctx](const Request& req) {
           const bool muted = json::Body::parse(req.body).boolean("muted").value_or(true);
           return Response::json(json::encode(ctx->client.set_muted(req.param("call_id"), muted)));
         }));
  r.post("/api/telnyx/calls/{call_id}/hold", blocking(ctx, [ctx](const Request& req) {
           const bool hold = json::Body::parse(req.body).boolean("on_hold").value_or(true);
           return Response::json(json::encode(ctx->client.set_on_hold(req.param("call_id"), hold)));
         }));
  r.post("/api/telnyx/calls/{call_id}/dtmf", blocking(ctx, [ctx](const Request& req) {
           const std::string digits = required_string(json::Body::parse(req.body), "digits");
           return Response::json(json::encode(ctx->client.send_dtmf(req.param("call_id"), digits)));
         }));
  r.post("/api/telnyx/calls/{call_id}/recording/start", blocking(ctx, [ctx](const Request& req) {
           return Response::json(json::encode(ctx->client.start_recording(req.param("call_id"))));
         }));
  r.post("/api/telnyx/calls/{call_id}/recording/stop", blocking(ctx, [ctx](const Request& req) {
           return Response::json(json::encode(ctx->client.stop_recording(req.param("call_id"))));
         }));
  r.post("/api/telnyx/calls/{call_id}/transfer", blocking(ctx, [ctx](const Request& req) {
           const std::string to = required_string(json::Body::parse(req.body), "to_number");
           return Response::json(json::encode(ctx->client.transfer(req.param("call_id"), to)));
         }));
  r.post("/api/telnyx/calls/{call_id}/recording/pause", blocking(ctx, [ctx](const Request& req) {
           return Response::json(json::encode(ctx->client.pause_recording(req.param("call_id"))));
         }));
  r.post("/api/telnyx/calls/{call_id}/recording/resume", blocking(ctx, [ctx](const Request& req) {
           return Response::json(json::encode(ctx->client.resume_recording(req.param("call_id"))));
         }));
  r.post("/api/telnyx/calls/{call_id}/speak", blocking(ctx, [ctx](const Request& req) {
           const auto body = json::Body::parse(req.body);
           const SpeakOptions o = speak_options(RequestFields::of(body));
           // An absent or empty text gets the speak rule's own sentence.
           return Response::json(json::encode(ctx->client.speak(req.param("call_id"), body.string("text").value_or(""), o)));
         }));
  r.post("/api/telnyx/calls/{call_id}/playback/start", blocking(ctx, [ctx](const Request& req) {
           const std::string url = json::Body::parse(req.body).string("audio_url").value_or("");
           return Response::json(json::encode(ctx->client.start_playback(req.param("call_id"), url)));
         }));
  r.post("/api/telnyx/calls/{call_id}/playback/stop", blocking(ctx, [ctx](const Request& req) {
           return Response::json(json::encode(ctx->client.stop_playback(req.param("call_id"))));
         }));
}

// ---- contacts ------------------------------------------------------------------

void mount_contacts(Router& r, const Ctx& ctx) {
  r.get("/api/contacts", blocking(ctx, [ctx](const Request& req) {
          const ContactFilter f = contact_filter(query_of(req));
          return Response::json(json::encode(ContactStore(ctx->client.storage()).list(f)));
        }));
  r.post("/api/contacts", blocking(ctx, [ctx](const Request& req) {
           const Contact c = ContactStore(ctx->client.storage()).create(new_contact(RequestFields::of(json::Body::parse(req.body))));
           return Response::json(json::encode(c), 201);
         }));
  r.get("/api/contacts/{id}", blocking(ctx, [ctx](const Request& req) {
          return Response::json(json::encode(ContactStore(ctx->client.storage()).get(req.param("id"))));
        }));
  r.put("/api/contacts/{id}", blocking(ctx, [ctx](const Request& req) {
          const auto body = json::Body::parse(req.body);
          const ContactPatch p = contact_patch(RequestFields::of(body));
          return Response::json(json::encode(ContactStore(ctx->client.storage()).patch(req.param("id"), p)));
        }));
  r.del("/api/contacts/{id}", blocking(ctx, [ctx](const Request& req) {
          ContactStore(ctx->client.storage()).remove(req.param("id"));
          return Response::json(deleted(req.param("id")));
        }));
  r.post("/api/contacts/{id}/favorite", blocking(ctx, [ctx](const Request& req) {
           return Response::json(json::encode(ContactStore(ctx->client.storage()).toggle_favorite(req.param("id"))));
         }));
}

// ---- logs and recordings -----------------------------------------------------------

void mount_logs(Router& r, const Ctx& ctx) {
  auto list = [ctx](const Request& req) {
    return Response::json(json::encode(LogStore(ctx->client.storage()).list(call_filter(req), page_of(req))));
  };
  r.get("/api/calls/logs", blocking(ctx, list));
  r.get("/api/calls/logs/search", blocking(ctx, list));
  r.get("/api/calls/stats/summary", blocking(ctx, [ctx](const Request& req) {
          return Response::json(json::encode(LogStore(ctx->client.storage()).stats(call_filter(req))));
        }));
  r.get("/api/calls/logs/export", [ctx](const Request& req, Responder res) {
    CallFilter filter;
    try {
      filter = call_filter(req);
    } catch (...) {
      res.send(Response::from_exception(std::current_exception()));
      return;
    }
    const bool queued = ctx->workers.post([ctx, filter, res] {
      Response head = Response::text("", 200, "text/csv; charset=utf-8");
      head.set_header("Content-Disposition", "attachment; filename=\"call_logs.csv\"");
      auto out = res.stream(std::move(head));
      if (!out) return;
      struct Stopped {};
      try {
        LogStore(ctx->client.storage()).export_csv(filter, [&](std::string_view line) {
          if (!out->write(line)) throw Stopped{};  // each line ends with CRLF
        });
        out->finish();
      } catch (...) {
        out->abort();  // the client sees a truncated transfer, never a partial "success"
      }
    });
    if (!queued) res.send(Response::error(503, "the server is busy: too many requests are queued"));
  });

  r.get("/api/recordings", blocking(ctx, [ctx](const Request& req) {
          return Response::json(json::encode(LogStore(ctx->client.storage()).recordings(page_of(req))));
        }));
  r.get("/api/recordings/{call_id}", blocking(ctx, [ctx](const Request& req) {
          LogStore logs(ctx->client.storage());
          const std::string& id = req.param("call_id");
          if (!logs.find(id)) throw Error(errc::not_found, "Call not found");
          return Response::json(json::encode(logs.recordings_for_call(id)));
        }));
  // A download URL that works now (Telnyx's expire 10 minutes after the
  // webhook): CallClient::refresh_recording. Demo recordings come back as stored.
  r.post("/api/recordings/{recording_id}/refresh", blocking(ctx, [ctx](const Request& req) {
           return Response::json(json::encode(ctx->client.refresh_recording(req.param("recording_id"))));
         }));
  // Deleted at Telnyx too (CallClient::delete_recording); when Telnyx
  // refuses, the recording is kept with remote_delete_error and the answer
  // (502/503) says so in a sentence.
  r.del("/api/recordings/{recording_id}", blocking(ctx, [ctx](const Request& req) {
          const std::string& id = req.param("recording_id");
          ctx->client.delete_recording(id);
          return Response::json(deleted(id));
        }));
}

// ---- numbers and settings ---------------------------------------------------------

void mount_numbers(Router& r, const Ctx& ctx) {
  r.get("/api/numbers", blocking(ctx, [ctx](const Request&) {
          return Response::json(json::encode(NumberStore(ctx->client.storage()).list()));
        }));
  r.post("/api/numbers", blocking(ctx, [ctx](const Request& req) {
           const auto body = json::Body::parse(req.body);
           PhoneNumber n;
           n.number = required_string(body, "number");
           n.name = body.string("name").value_or("");
           n.is_default = body.boolean("is_default").value_or(false);
           if (auto s = body.string("status"); s && !s->empty()) n.status = *s;
           return Response::json(json::encode(NumberStore(ctx->client.storage()).add(n)), 201);
         }));
  r.post("/api/numbers/{id}/set-default", blocking(ctx, [ctx](const Request& req) {
           return Response::json(json::encode(NumberStore(ctx->client.storage()).set_default(req.param("id"))));
         }));
  r.del("/api/numbers/{id}", blocking(ctx, [ctx](const Request& req) {
          NumberStore(ctx->client.storage()).remove(req.param("id"));
          return Response::json(deleted(req.param("id")));
        }));
}

// An administrator: the implicit one of a server without JWT_SECRET, a
// service token (no `sub`), or a token whose `role` is "admin".
bool caller_is_admin(const Request& req) {
  if (!req.auth) return true;
  if (req.auth->subject.empty()) return true;
  try {
    return json::Body::parse(req.auth->payload_json).string("role").value_or("") == "admin";
  } catch (const Error&) {
    return false;
  }
}

std::string caller_name(const Request& req) {
  if (!req.auth) return "a caller without a token from " + req.remote_address;
  if (req.auth->subject.empty()) return "a service token from " + req.remote_address;
  return "user " + req.auth->subject + " from " + req.remote_address;
}

void mount_settings(Router& r, const Ctx& ctx) {
  r.get("/api/telnyx/settings", blocking(ctx, [ctx](const Request&) { return Response::json(settings_json(ctx->client)); }));
  r.post("/api/telnyx/settings", blocking(ctx, [ctx](const Request& req) {
           const auto body = json::Body::parse(req.body);
           if (!caller_is_admin(req) && changes_public_key(ctx->client.storage(), body)) {
             return Response::error(403, "Only an administrator can change the webhook verification key.");
           }
           save_settings(ctx->client.storage(), body, {ctx->client.settings(), caller_name(req)});
           ctx->client.reload_settings();
           return Response::json(settings_json(ctx->client));
         }));
}

// ---- health and call metrics ---------------------------------------------------------------

void mount_health(Router& r, const Ctx& ctx) {
  r.get("/health", blocking(ctx, [ctx](const Request&) {
          json::ObjectWriter w;
          bool ok = true;
          std::string storage_error;
          try {
            ctx->client.storage().ping();
          } catch (const std::exception& e) {
            // A sentence for the client; the storage's own text for the log.
            ok = false;
            const auto* err = dynamic_cast<const Error*>(&e);
            storage_error = err != nullptr ? err->what() : "The database is not available right now; try again.";
            log::print(log::Level::warn, "http", "health: storage ping failed (", e.what(), ")",
                       err != nullptr && !err->detail().empty() ? ": " + err->detail() : std::string());
          }
          w.add("status", ok ? "ok" : "degraded");
          w.add("mode", ctx->client.mode());
          w.add("storage", ctx->client.storage().backend());
          w.add("version", ctx->version);
          if (!ok) w.add("detail", storage_error);
          return Response::json(w.finish(), ok ? 200 : 503);
        }));

  // Call-level metrics, refreshed from the client's counters at each scrape.
  auto received = ctx->metrics.counter("callwire_webhooks_received_total", "Webhook deliveries received");
  auto duplicates = ctx->metrics.counter("callwire_webhook_duplicates_total", "Webhook events dropped as duplicates");
  auto rejected = ctx->metrics.counter("callwire_webhooks_rejected_total", "Webhooks refused (signature, malformed)");
  auto carrier_errors = ctx->metrics.counter("callwire_carrier_errors_total", "Carrier requests that failed");
  auto dials = ctx->metrics.counter("callwire_dials_total", "Calls dialled");
  auto reconciled = ctx->metrics.counter("callwire_calls_reconciled_total", "Calls ended by reconciliation");
  auto live = ctx->metrics.gauge("callwire_live_calls", "Calls dialing, ringing or active");
  auto last = std::make_shared<CallClient::Counters>();
  auto mu = std::make_shared<std::mutex>();
  ctx->metrics.on_collect([ctx, received, duplicates, rejected, carrier_errors, dials, reconciled, live, last, mu] {
    std::lock_guard lock(*mu);
    const auto now = ctx->client.counters();
    auto bump = [](auto& family, std::uint64_t now_v, std::uint64_t& last_v) {
      if (now_v > last_v) family->labels({}).inc(static_cast<double>(now_v - last_v));
      last_v = now_v;
    };
    bump(received, now.webhooks_received, last->webhooks_received);
    bump(duplicates, now.webhooks_duplicate, last->webhooks_duplicate);
    bump(rejected, now.webhooks_rejected, last->webhooks_rejected);
    bump(carrier_errors, now.carrier_errors, last->carrier_errors);
    bump(dials, now.dials, last->dials);
    bump(reconciled, now.reconciled, last->reconciled);
    live->labels({}).set(static_cast<double>(ctx->client.active().size()));
  });
}

}  // namespace

void mount_rest_api(Router& router, const Ctx& ctx) {
  mount_calls(router, ctx);
  mount_contacts(router, ctx);
  mount_logs(router, ctx);
  mount_numbers(router, ctx);
  mount_settings(router, ctx);
  mount_health(router, ctx);
}

InFlight::Entry::Entry(std::shared_ptr<InFlight> owner, Responder res) : owner_(std::move(owner)), res_(std::move(res)) {
  std::lock_guard lock(owner_->mu_);
  ++owner_->count_;
}

InFlight::Entry::~Entry() {
  res_.reset();  // the connection's last reference may go here: before the count drops
  {
    std::lock_guard lock(owner_->mu_);
    --owner_->count_;
  }
  owner_->cv_.notify_all();
}

void InFlight::wait_idle() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return count_ == 0; });
}

void mount_webhooks(Router& router, const Ctx& ctx) {
  auto by_type = ctx->metrics.counter("callwire_webhook_events_total", "Webhook events by type and outcome",
                                      {"event_type", "outcome"});
  // Verified and parsed right here, on the network thread (ingest_webhook_async
  // never blocks: ~3 µs to parse, ~90 µs for an Ed25519 check); the answer is
  // sent from the client's ingest writer once the webhook's batch has
  // committed. No worker waits for a commit, so every connection's webhook
  // can join the next batch, and a webhook costs no hop to the worker pool.
  auto answer = [by_type](const Responder& res, const IngestResult& r) {
    const std::string outcome = !r ? "rejected" : r.duplicate ? "duplicate" : "stored";
    // Known types only: a label per sender-chosen string would grow without bound.
    by_type->labels({std::string(telnyx::event_type_label(r.event_type)), outcome}).inc();
    if (!r) {
      res.send(Response::error(webhook_status(r.code), r.message));
    } else {
      res.send(Response::json(json::ObjectWriter().add("status", "ok").add("duplicate", r.duplicate).finish()));
    }
  };
  router.post("/webhooks/call", [ctx, answer](const Request& req, Responder res) {
    // The writer thread holds the Responder until it has answered: counted,
    // so that stopping the server waits for it (docs/server.md).
    auto entry = std::make_shared<InFlight::Entry>(ctx->in_flight, std::move(res));
    ctx->client.ingest_webhook_async(req.body, req.headers,
                                     [answer, entry](IngestResult r) { answer(entry->responder(), r); });
  });
}

}  // namespace callwire::server
