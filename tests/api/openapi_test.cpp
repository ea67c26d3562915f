// docs/openapi.yaml against the running server: every documented route is
// served, every served route is documented, and each answers a request with
// one of its documented status codes.
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "api_fixture.hpp"

using namespace callwire;
using namespace callwire::test;

namespace {

struct Operation {
  std::string method;  // upper case
  std::string path;    // as documented
  std::set<int> statuses;
};

std::vector<Operation> read_spec() {
  std::ifstream in(std::string(CALLWIRE_SOURCE_DIR) + "/docs/openapi.yaml");
  if (!in) throw std::runtime_error("docs/openapi.yaml is missing");
  const std::regex path_re(R"(^  (/\S*):\s*$)");
  const std::regex method_re(R"(^    (get|post|put|delete|patch):)");
  const std::regex status_re(R"(^        '(\d{3})':)");
  std::vector<Operation> ops;
  std::string line, path;
  bool in_paths = false;
  std::smatch m;
  while (std::getline(in, line)) {
    if (line == "paths:") {
      in_paths = true;
      continue;
    }
    if (!in_paths) continue;
    if (std::regex_match(line, m, path_re)) {
      path = m[1];
    } else if (std::regex_search(line, m, method_re)) {
      std::string method = m[1];
      for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      ops.push_back({method, path, {}});
    } else if (std::regex_search(line, m, status_re) && !ops.empty()) {
      ops.back().statuses.insert(std::stoi(m[1]));
    }
  }
  return ops;
}

// "/api/contacts/{id}/" → "/api/contacts/{}"
std::string normalize(std::string p) {
  p = std::regex_replace(p, std::regex(R"(\{[^}]*\})"), "{}");
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

class OpenApi : public ApiFixture {};

}  // namespace

TEST_F(OpenApi, DocumentedRoutesAndServedRoutesAreTheSame) {
  start();
  std::set<std::string> documented, served;
  for (const auto& op : read_spec()) {
    documented.insert(op.method + " " + normalize(op.path));
    EXPECT_FALSE(op.statuses.empty()) << op.method << ' ' << op.path << " documents no status";
  }
  for (const auto& r : server_->routes()) {
    const auto space = r.find(' ');
    const std::string path = r.substr(space + 1);
    // Not REST: the WebSocket (docs/server.md) and recording files.
    if (path == "/ws/calls" || path.rfind("/recordings/", 0) == 0) continue;
    served.insert(r.substr(0, space) + " " + normalize(path));
  }
  ASSERT_GT(documented.size(), 30u);
  for (const auto& d : documented) EXPECT_TRUE(served.count(d)) << "documented but not served: " << d;
  for (const auto& s : served) EXPECT_TRUE(documented.count(s)) << "served but not documented: " << s;
}

TEST_F(OpenApi, EachRouteAnswersWithADocumentedStatus) {
  start();
  for (const auto& op : read_spec()) {
    const std::string target = std::regex_replace(op.path, std::regex(R"(\{[^}]*\})"), "unknown-id");
    const bool with_body = op.method == "POST" || op.method == "PUT";
    auto r = http_->request(op.method, target, with_body ? "{}" : "",
                            with_body ? HeaderPairs{{"Content-Type", "application/json"}} : HeaderPairs{});
    EXPECT_TRUE(op.statuses.count(r.status)) << op.method << ' ' << target << " answered " << r.status << ": " << r.body;
    if (r.status >= 400) {
      EXPECT_NE(r.body.find("\"detail\""), std::string::npos) << op.method << ' ' << target;
    }
  }
}
