#include "server/dispatcher.hpp"

#include "server/request_id.hpp"
#include "server/request_path.hpp"
#include "support/log.hpp"

namespace callwire::server {
namespace {

std::string_view method_label(std::string_view m) {
  for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    if (m == known) return known;
  }
  return "OTHER";
}

/// Wraps the connection's sink: CORS headers and metrics on the way out.
class DecoratingSink final : public ResponseSink {
 public:
  DecoratingSink(const Dispatcher& d, std::shared_ptr<Request> req, std::shared_ptr<ResponseSink> inner,
                 std::string route_label)
      : d_(d), req_(std::move(req)), inner_(std::move(inner)), route_(std::move(route_label)) {}

  void send(Response response) override {
    finish(response);
    inner_->send(std::move(response));
  }
  std::shared_ptr<StreamWriter> start_stream(Response head) override {
    finish(head);
    return inner_->start_stream(std::move(head));
  }

 private:
  void finish(Response& r) {
    d_.decorate(*req_, r);
    d_.record(*req_, route_.empty() ? std::string_view(req_->route) : std::string_view(route_), r.status);
  }

  const Dispatcher& d_;
  std::shared_ptr<Request> req_;
  std::shared_ptr<ResponseSink> inner_;
  std::string route_;
};

}  // namespace

Dispatcher::Dispatcher(std::shared_ptr<const Router> router, DispatcherOptions options)
    : router_(std::move(router)),
      cors_(std::move(options.cors)),
      auth_(std::move(options.auth)),
      authorize_(std::move(options.authorize)),
      site_(std::move(options.site)),
      metrics_(std::move(options.metrics)) {
  if (!router_) router_ = std::make_shared<Router>();
  if (options.static_files) static_.emplace(std::move(*options.static_files));
  if (metrics_) {
    requests_ = metrics_->counter("callwire_http_requests_total", "HTTP requests answered, by route pattern, method and status",
                                  {"route", "method", "status"});
    durations_ = metrics_->histogram("callwire_http_request_duration_seconds",
                                     "Time from a request's arrival to its answer, by route pattern and method",
                                     {"route", "method"});
  }
}

void Dispatcher::decorate(const Request& request, Response& response) const {
  cors_.decorate(request, response);
  if (!request.request_id.empty()) response.headers.emplace_back(std::string(kRequestIdHeader), request.request_id);
}

void Dispatcher::record(const Request& request, std::string_view route, int status) const {
  if (!requests_) return;
  const std::string r(route.empty() ? std::string_view("unmatched") : route);
  const std::string m(method_label(request.method));
  requests_->labels({r, m, std::to_string(status)}).inc();
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - request.received_at;
  durations_->labels({r, m}).observe(elapsed.count());
}

std::optional<Response> Dispatcher::canonicalize(Request& request) const {
  std::string why;
  auto canonical = canonical_path(request.path, &why);
  if (!canonical) {
    log::print(log::Level::info, "http", "refused a request path (", why, ")");
    return Response::error(400, kNonCanonicalPath);
  }
  request.segments = std::move(canonical->segments);
  request.canonical_path = std::move(canonical->text);
  return std::nullopt;
}

void Dispatcher::dispatch(std::shared_ptr<Request> request, std::shared_ptr<ResponseSink> sink) const {
  Request& req = *request;
  // The request's entry: from here on its log records carry its id, also on
  // the worker threads its handler posts to (WorkerPool::post).
  if (req.request_id.empty()) req.request_id = request_id_for(req);
  log::RequestScope scope(req.request_id);
  req.query = parse_query(req.query_string);

  auto responder_for = [&](std::string route_label) {
    auto wrapped = std::make_shared<DecoratingSink>(*this, request, std::move(sink), std::move(route_label));
    return Responder(std::move(wrapped), request);
  };

  if (auto refused = canonicalize(req)) {
    responder_for("unmatched").send(std::move(*refused));
    return;
  }

  if (auto refused = site_.check_host(req)) {
    responder_for("unmatched").send(std::move(*refused));
    return;
  }
  if (cors_.is_preflight(req)) {
    responder_for("preflight").send(cors_.preflight(req));
    return;
  }
  auto denied = site_.check_origin(req, false);
  if (!denied) denied = site_.check_content_type(req);
  if (!denied) denied = auth_.check(req, false);
  if (denied) {
    auto match = router_->match(req.method, req.segments);
    responder_for(match.outcome == Router::Outcome::found ? match.pattern : "unmatched").send(std::move(*denied));
    return;
  }

  auto match = router_->match(req.method, req.segments);
  if (match.outcome == Router::Outcome::found) {
    req.route = match.pattern;
    req.params = std::move(match.params);
    auto responder = responder_for("");
    if (authorize_) {
      if (auto refused = authorize_(req, req.route)) {
        responder.send(std::move(*refused));
        return;
      }
    }
    try {
      (*match.handler)(req, responder);
    } catch (...) {
      responder.send(Response::from_exception(std::current_exception()));
    }
    return;
  }

  if (static_ && (req.method == "GET" || req.method == "HEAD")) {
    if (auto res = static_->serve(req, req.canonical_path, true)) {
      responder_for("static").send(std::move(*res));
      return;
    }
  }
  if (match.outcome == Router::Outcome::method_not_allowed) {
    std::string allow;
    for (const auto& a : match.allowed) {
      if (!allow.empty()) allow += ", ";
      allow += a;
    }
    auto res = Response::error(405, "Method Not Allowed");
    res.set_header("Allow", allow);
    responder_for("unmatched").send(std::move(res));
    return;
  }
  responder_for("unmatched").send(Response::error(404, "Not Found"));
}

void Dispatcher::handle(Request request, std::function<void(Response)> on_response) const {
  auto sink = [&] {
    // Reuse the callback responder's sink semantics (streams are buffered).
    struct Forward final : ResponseSink {
      explicit Forward(std::function<void(Response)> f) : responder(Responder::from_callback(std::move(f))) {}
      void send(Response r) override { responder.send(std::move(r)); }
      std::shared_ptr<StreamWriter> start_stream(Response head) override { return responder.stream(std::move(head)); }
      Responder responder;
    };
    return std::make_shared<Forward>(std::move(on_response));
  }();
  dispatch(std::make_shared<Request>(std::move(request)), std::move(sink));
}

std::optional<Response> Dispatcher::check_websocket(Request& request) const {
  request.query = parse_query(request.query_string);
  auto denied = canonicalize(request);
  if (!denied) denied = site_.check_host(request);
  if (!denied) denied = site_.check_origin(request, true);
  if (!denied) denied = auth_.check(request, true);
  if (denied) cors_.decorate(request, *denied);
  return denied;
}

Router::Handler metrics_handler(std::shared_ptr<metrics::Registry> registry) {
  return [registry = std::move(registry)](const Request&, Responder res) {
    res.send(Response::text(registry->render(), 200, metrics::kContentType));
  };
}

}  // namespace callwire::server
