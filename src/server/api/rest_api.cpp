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
#include "server/api/access_policy.hpp"
#include "server/api/request_fields.hpp"
#include "server/api/settings_api.hpp"
#include "server/api/webhook_status.hpp"
#include "server/principal.hpp"
#include "support/log.hpp"

namespace callwire::server {

Router::Handler blocking(const std::shared_ptr<ApiContext>& ctx, std::function<Response(const Request&)> work) {
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

namespace {

using Ctx = std::shared_ptr<ApiContext>;
using Work = std::function<Response(const Request&)>;

[[noreturn]] void invalid(const std::string& message) { throw Error(errc::invalid_argument, message); }

// The query string of a GET as request fields (request_fields.hpp).
RequestFields query_of(const Request& req) {
  return RequestFields::of_query([&req](std::string_view name) { return req.query_param(name); });
}

Page page_of(const Request& req, std::size_t default_limit = 50) { return page(query_of(req), default_limit); }

// A call-log filter from the query, narrowed to what the caller may see.
CallFilter call_filter(const Request& req) {
  CallFilter f = server::call_filter(query_of(req));
  f.agent_id = call_scope(principal_of(req), f.agent_id);
  return f;
}

// The call of the route's {call_id} when the caller may see it; another
// agent's call is answered exactly as an unknown id.
Call visible_call(const Ctx& ctx, const Request& req) {
  const std::string& id = req.param("call_id");
  Call c = ctx->client.get_call(id);
  if (!sees_call(principal_of(req), c)) throw Error(errc::not_found, "call " + id + " not found");
  return c;
}

// Runs a control on the route's call once the caller may see it.
template <class Control>
Work on_visible_call(const Ctx& ctx, Control control) {
  return [ctx, control](const Request& req) {
    visible_call(ctx, req);
    return Response::json(json::encode(control(req, req.param("call_id"))));
  };
}

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
           DialOptions o = dial_options(RequestFields::of(body));
           // A signed-in user places their own calls; an administrator's
           // script (a service token, or no sign-in) may name the agent.
           const Principal p = principal_of(req);
           if (p.kind == Principal::Kind::user) o.agent_id = p.user_id;
           const Call call = ctx->client.dial(to, body.string("from_number").value_or(""), o);
           return Response::json(json::encode(call));
         }));
  r.post("/api/telnyx/hangup/{call_id}", blocking(ctx, on_visible_call(ctx, [ctx](const Request&, const std::string& id) {
           return ctx->client.hangup(id);
         })));
  r.get("/api/call-status/status/{call_id}",
        blocking(ctx, [ctx](const Request& req) { return Response::json(json::encode(visible_call(ctx, req))); }));
  r.get("/api/call-status/active", blocking(ctx, [ctx](const Request& req) {
          const Principal p = principal_of(req);
          std::vector<Call> calls = ctx->client.active_calls();
          std::erase_if(calls, [&](const Call& c) { return !sees_call(p, c); });
          return Response::json(json::encode(calls));
        }));
  r.get("/api/call-status/stats", blocking(ctx, [ctx](const Request& req) {
          CallFilter own;
          own.agent_id = call_scope(principal_of(req), std::nullopt);
          return Response::json(json::encode(own.agent_id ? LogStore(ctx->client.storage()).stats(own) : ctx->client.stats()));
        }));

  // Call controls; each answers the Call.
  r.post("/api/telnyx/calls/{call_id}/mute", blocking(ctx, on_visible_call(ctx, [ctx](const Request& req, const std::string& id) {
           return ctx->client.set_muted(id, json::Body::parse(req.body).boolean("muted").value_or(true));
         })));
  r.post("/api/telnyx/calls/{call_id}/hold", blocking(ctx, on_visible_call(ctx, [ctx](const Request& req, const std::string& id) {
           return ctx->client.set_on_hold(id, json::Body::parse(req.body).boolean("on_hold").value_or(true));
         })));
  r.post("/api/telnyx/calls/{call_id}/dtmf", blocking(ctx, on_visible_call(ctx, [ctx](const Request& req, const std::string& id) {
           return ctx->client.send_dtmf(id, required_string(json::Body::parse(req.body), "digits"));
         })));
  r.post("/api/telnyx/calls/{call_id}/recording/start",
         blocking(ctx, on_visible_call(ctx, [ctx](const Request&, const std::string& id) { return ctx->client.start_recording(id); })));
  r.post("/api/telnyx/calls/{call_id}/recording/stop",
         blocking(ctx, on_visible_call(ctx, [ctx](const Request&, const std::string& id) { return ctx->client.stop_recording(id); })));
  r.post("/api/telnyx/calls/{call_id}/transfer", blocking(ctx, on_visible_call(ctx, [ctx](const Request& req, const std::string& id) {
           return ctx->client.transfer(id, required_string(json::Body::parse(req.body), "to_number"));
         })));
  r.post("/api/telnyx/calls/{call_id}/recording/pause",
         blocking(ctx, on_visible_call(ctx, [ctx](const Request&, const std::string& id) { return ctx->client.pause_recording(id); })));
  r.post("/api/telnyx/calls/{call_id}/recording/resume",
         blocking(ctx, on_visible_call(ctx, [ctx](const Request&, const std::string& id) { return ctx->client.resume_recording(id); })));
  r.post("/api/telnyx/calls/{call_id}/speak", blocking(ctx, on_visible_call(ctx, [ctx](const Request& req, const std::string& id) {
           const auto body = json::Body::parse(req.body);
           const SpeakOptions o = speak_options(RequestFields::of(body));
           // An absent or empty text gets the speak rule's own sentence.
           return ctx->client.speak(id, body.string("text").value_or(""), o);
         })));
  r.post("/api/telnyx/calls/{call_id}/playback/start",
         blocking(ctx, on_visible_call(ctx, [ctx](const Request& req, const std::string& id) {
           return ctx->client.start_playback(id, json::Body::parse(req.body).string("audio_url").value_or(""));
         })));
  r.post("/api/telnyx/calls/{call_id}/playback/stop",
         blocking(ctx, on_visible_call(ctx, [ctx](const Request&, const std::string& id) { return ctx->client.stop_playback(id); })));
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
          const auto scope = call_scope(principal_of(req), query_of(req).string("agent_id"));
          return Response::json(json::encode(LogStore(ctx->client.storage()).list_recordings(page_of(req), scope)));
        }));
  r.get("/api/recordings/{call_id}", blocking(ctx, [ctx](const Request& req) {
          LogStore logs(ctx->client.storage());
          const std::string& id = req.param("call_id");
          const auto call = logs.find(id);
          if (!call || !sees_call(principal_of(req), *call)) throw Error(errc::not_found, "Call not found");
          return Response::json(json::encode(logs.list_recordings_for_call(id)));
        }));
  // A download URL that works now (Telnyx's expire 10 minutes after the
  // webhook): CallClient::refresh_recording. Demo recordings come back as stored.
  r.post("/api/recordings/{recording_id}/refresh", blocking(ctx, [ctx](const Request& req) {
           const std::string& id = req.param("recording_id");
           const auto rec = LogStore(ctx->client.storage()).find_recording(id);
           if (rec && !sees_recording(principal_of(req), *rec)) throw Error(errc::not_found, "recording " + id + " not found");
           return Response::json(json::encode(ctx->client.refresh_recording(id)));
         }));
  // Deleted at Telnyx too (CallClient::remove_recording); when Telnyx
  // refuses, the recording is kept with remote_delete_error and the answer
  // (502/503) says so in a sentence.
  r.del("/api/recordings/{recording_id}", blocking(ctx, [ctx](const Request& req) {
          const std::string& id = req.param("recording_id");
          ctx->client.remove_recording(id);
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
           return Response::json(json::encode(NumberStore(ctx->client.storage()).create(n)), 201);
         }));
  r.post("/api/numbers/{id}/set-default", blocking(ctx, [ctx](const Request& req) {
           return Response::json(json::encode(NumberStore(ctx->client.storage()).set_default(req.param("id"))));
         }));
  r.del("/api/numbers/{id}", blocking(ctx, [ctx](const Request& req) {
          NumberStore(ctx->client.storage()).remove(req.param("id"));
          return Response::json(deleted(req.param("id")));
        }));
}

void mount_settings(Router& r, const Ctx& ctx) {
  r.get("/api/telnyx/settings", blocking(ctx, [ctx](const Request&) { return Response::json(settings_json(ctx->client)); }));
  r.post("/api/telnyx/settings", blocking(ctx, [ctx](const Request& req) {
           // Administrators only (api/access_policy.cpp).
           const auto body = json::Body::parse(req.body);
           save_settings(ctx->client.storage(), body, {ctx->client.settings(), describe(principal_of(req), req)});
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
    live->labels({}).set(static_cast<double>(ctx->client.active_calls().size()));
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
