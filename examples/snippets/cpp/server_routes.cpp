// docs/server.md's route handlers (src/server/, internal): a handler that hops
// to the WorkerPool for storage work, and a streamed CSV export, dispatched
// without a socket through Responder::from_callback.
//   snippet-server-routes sqlite:///tmp/routes.db
#include "server/http_message.hpp"
#include "server/router.hpp"
#include "server/worker_pool.hpp"

#include <callwire/contact_store.hpp>
#include <callwire/json.hpp>
#include <callwire/log_store.hpp>
#include <callwire/storage.hpp>

#include <future>
#include <iostream>
#include <memory>
#include <string>

using namespace callwire;
using namespace callwire::server;

namespace {

CallFilter filter_of(const Request& req) {
  CallFilter f;
  if (auto q = req.query_param("search")) f.search = *q;
  return f;
}

// GET `target` through the router; waits for the answer from the pool.
Response get(const Router& router, const std::string& target) {
  Request req;
  req.method = "GET";
  req.target = target;
  req.path = target.substr(0, target.find('?'));
  std::promise<Response> answer;
  router.dispatch(req, Responder::from_callback([&](Response r) { answer.set_value(std::move(r)); }));
  return answer.get_future().get();
}

}  // namespace

int main(int argc, char** argv) {
  Storage storage = Storage::open(argc > 1 ? argv[1] : "sqlite:///tmp/callwire-routes.db");
  ContactStore contacts(storage);
  LogStore logs(storage);
  WorkerPool pool(2, "snippet");
  auto router = std::make_shared<Router>();
  // snippet-begin: handler
  router->get("/api/contacts/{id}", [&](const Request& req, Responder res) {
    pool.post([&req, res, &contacts] {          // req lives as long as res
      res.send(Response::json(json::encode(contacts.get(req.param("id")))));
    });
  });
  // snippet-end: handler
  // snippet-begin: stream
  router->get("/api/calls/export", [&](const Request& req, Responder res) {
    pool.post([&req, res, &logs] {
      auto head = Response::text("", 200, "text/csv; charset=utf-8");
      head.set_header("Content-Disposition", "attachment; filename=\"calls.csv\"");
      auto w = res.stream(std::move(head));
      struct Gone {};
      try {
        logs.export_csv(filter_of(req), [&](std::string_view line) {
          if (!w->write(std::string(line) + "\r\n")) throw Gone{};
        });
        w->finish();
      } catch (...) { w->abort(); }
    });
  });
  // snippet-end: stream
  Contact ada;
  ada.name = "Ada";
  ada.phone = "+12125551234";
  ada = contacts.create(ada);
  const Response contact = get(*router, "/api/contacts/" + ada.id);
  const Response csv = get(*router, "/api/calls/export?search=212");
  std::cout << contact.status << ' ' << contact.body << '\n' << csv.status << ' ' << csv.body;
  return contact.status == 200 && contact.body.find("\"Ada\"") != std::string::npos && csv.status == 200 &&
                 csv.body.rfind("call_id,", 0) == 0
             ? 0
             : 1;
}
