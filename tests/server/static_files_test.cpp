#include "server/static_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "http_test_client.hpp"
#include "test_server.hpp"

namespace callwire::server {
namespace {

namespace fs = std::filesystem;
using test::HttpTestClient;

void write(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

/// web/ (served) next to secret.txt (not served).
class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("callwire-static-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = base_ / "web";
    write(root_ / "index.html", "<!doctype html><title>callwire</title>");
    write(root_ / "assets" / "app.js", "console.log('hi')");
    write(root_ / "assets" / "app.css", "body{}");
    write(root_ / "icon.svg", "<svg/>");
    write(root_ / "docs" / "index.html", "docs index");
    write(root_ / ".env", "TELNYX_API_KEY=secret");
    std::string wav = "RIFF";
    for (int i = 0; i < 1000; ++i) wav.push_back(static_cast<char>(i % 251));
    wav_ = wav;
    write(base_ / "recordings" / "call-1.wav", wav_);
    write(base_ / "secret.txt", "do not serve");
    fs::create_directory_symlink(base_, root_ / "escape");
  }
  void TearDown() override { fs::remove_all(base_); }

  std::unique_ptr<test::TestServer> start() {
    auto router = std::make_shared<Router>();
    recordings_ = std::make_shared<StaticFiles>(StaticOptions{base_ / "recordings", false});
    router->get("/recordings/{file:path}", recordings_->handler("file"));
    router->get("/api/ping", Router::sync([](const Request&) { return Response::text("pong"); }));
    HttpServerOptions o;
    o.dispatch.static_files = StaticOptions{root_};
    return std::make_unique<test::TestServer>(router, o);
  }

  fs::path base_, root_;
  std::string wav_;
  std::shared_ptr<StaticFiles> recordings_;
};

TEST_F(StaticFilesTest, ServesFilesWithContentTypes) {
  auto srv = start();
  HttpTestClient c(srv->port());
  auto js = c.get("/assets/app.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log('hi')");
  EXPECT_EQ(js.header("Content-Type").value_or(""), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.header("Accept-Ranges").value_or(""), "bytes");
  EXPECT_EQ(c.get("/assets/app.css").header("Content-Type").value_or(""), "text/css; charset=utf-8");
  EXPECT_EQ(c.get("/icon.svg").header("Content-Type").value_or(""), "image/svg+xml");
  auto index = c.get("/");
  EXPECT_EQ(index.body, "<!doctype html><title>callwire</title>");
  EXPECT_EQ(index.header("Content-Type").value_or(""), "text/html; charset=utf-8");
  EXPECT_EQ(c.get("/docs/").body, "docs index");
  EXPECT_EQ(c.get("/api/ping").body, "pong");  // routes first
}

TEST_F(StaticFilesTest, FallsBackToIndexForSpaRoutesOnly) {
  auto srv = start();
  HttpTestClient c(srv->port());
  auto spa = c.get("/contacts/42");
  EXPECT_EQ(spa.status, 200);
  EXPECT_EQ(spa.body, "<!doctype html><title>callwire</title>");
  EXPECT_EQ(c.get("/assets/missing.js").status, 404);
  for (const char* p : {"/api/unknown", "/ws/other", "/webhooks/x", "/health", "/metrics", "/recordings/none.wav"}) {
    auto r = c.get(p);
    EXPECT_EQ(r.status, 404) << p;
    EXPECT_EQ(r.body, R"({"detail":"Not Found"})") << p;
  }
  EXPECT_EQ(c.post("/contacts", "{}").status, 404);  // only GET/HEAD reach static files
}

TEST_F(StaticFilesTest, RefusesTraversalAndHiddenFiles) {
  auto srv = start();
  HttpTestClient c(srv->port());
  // Dot segments, encoded dots and NULs never reach the files: the path is
  // not canonical (400). What is canonical but outside or hidden is 404.
  const std::pair<const char*, int> targets[] = {
      {"/../secret.txt", 400},      {"/%2e%2e/secret.txt", 400},         {"/assets/%2E%2E/%2E%2E/secret.txt", 400},
      {"/.env", 404},               {"/%2eenv", 400},                    {"/escape/secret.txt", 404},
      {"/assets/..%5c..%5csecret.txt", 404}, {"/index.html%00.js", 400}};
  for (const auto& [target, status] : targets) {
    c.send_raw(std::string("GET ") + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    auto r = c.read_response();
    EXPECT_EQ(r.status, status) << target;
    EXPECT_EQ(r.body.find("secret"), std::string::npos) << target;
  }
  // The recordings route refuses the same.
  EXPECT_EQ(c.get("/recordings/..%2Fsecret.txt").status, 400);
  EXPECT_EQ(c.get("/recordings/%2e%2e/secret.txt").status, 400);
  EXPECT_EQ(c.get("/recordings/..%5Csecret.txt").status, 404);
}

TEST_F(StaticFilesTest, AnswersHeadWithLengthAndNoBody) {
  auto srv = start();
  HttpTestClient c(srv->port());
  auto head = c.request("HEAD", "/assets/app.js");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("Content-Length").value_or(""), "17");
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(c.get("/assets/app.js").body, "console.log('hi')");  // the connection is still in step
}

TEST_F(StaticFilesTest, ServesSingleByteRanges) {
  auto srv = start();
  HttpTestClient c(srv->port());
  auto whole = c.get("/recordings/call-1.wav");
  EXPECT_EQ(whole.status, 200);
  EXPECT_EQ(whole.body, wav_);
  EXPECT_EQ(whole.header("Content-Type").value_or(""), "audio/wav");

  auto first = c.get("/recordings/call-1.wav", {{"Range", "bytes=0-3"}});
  EXPECT_EQ(first.status, 206);
  EXPECT_EQ(first.body, "RIFF");
  EXPECT_EQ(first.header("Content-Range").value_or(""), "bytes 0-3/1004");

  auto tail = c.get("/recordings/call-1.wav", {{"Range", "bytes=-4"}});
  EXPECT_EQ(tail.status, 206);
  EXPECT_EQ(tail.body, wav_.substr(1000));
  auto open = c.get("/recordings/call-1.wav", {{"Range", "bytes=1000-"}});
  EXPECT_EQ(open.body, wav_.substr(1000));
  EXPECT_EQ(open.header("Content-Range").value_or(""), "bytes 1000-1003/1004");
  auto clipped = c.get("/recordings/call-1.wav", {{"Range", "bytes=1002-5000"}});
  EXPECT_EQ(clipped.body, wav_.substr(1002));

  auto beyond = c.get("/recordings/call-1.wav", {{"Range", "bytes=1004-"}});
  EXPECT_EQ(beyond.status, 416);
  EXPECT_EQ(beyond.header("Content-Range").value_or(""), "bytes */1004");

  // Several ranges or an If-Range: the whole file.
  EXPECT_EQ(c.get("/recordings/call-1.wav", {{"Range", "bytes=0-1,5-6"}}).status, 200);
  EXPECT_EQ(c.get("/recordings/call-1.wav", {{"Range", "bytes=0-1"}, {"If-Range", "\"x\""}}).status, 200);
}

TEST_F(StaticFilesTest, RevalidatesWithEtag) {
  auto srv = start();
  HttpTestClient c(srv->port());
  auto first = c.get("/assets/app.js");
  auto etag = first.header("ETag");
  ASSERT_TRUE(etag);
  auto again = c.get("/assets/app.js", {{"If-None-Match", *etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(c.get("/assets/app.js", {{"If-None-Match", "W/\"other\""}}).status, 200);
}

TEST(StaticFilesUnit, ParsesRanges) {
  ByteRange r;
  EXPECT_EQ(parse_range("bytes=0-0", 10, r), RangeResult::ok);
  EXPECT_EQ(r.first, 0u);
  EXPECT_EQ(r.last, 0u);
  EXPECT_EQ(parse_range("bytes=-20", 10, r), RangeResult::ok);
  EXPECT_EQ(r.first, 0u);
  EXPECT_EQ(r.last, 9u);
  EXPECT_EQ(parse_range("bytes=-0", 10, r), RangeResult::unsatisfiable);
  EXPECT_EQ(parse_range("bytes=0-", 0, r), RangeResult::unsatisfiable);
  EXPECT_EQ(parse_range("bytes=5-2", 10, r), RangeResult::none);
  EXPECT_EQ(parse_range("bytes=a-b", 10, r), RangeResult::none);
  EXPECT_EQ(parse_range("items=0-1", 10, r), RangeResult::none);
  EXPECT_EQ(parse_range("bytes=1-2,4-5", 10, r), RangeResult::none);
}

TEST(StaticFilesUnit, KnowsContentTypes) {
  EXPECT_EQ(content_type_for("a.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("a.JS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("a.json"), "application/json");
  EXPECT_EQ(content_type_for("a.js.map"), "application/json");
  EXPECT_EQ(content_type_for("a.png"), "image/png");
  EXPECT_EQ(content_type_for("favicon.ico"), "image/x-icon");
  EXPECT_EQ(content_type_for("r.mp3"), "audio/mpeg");
  EXPECT_EQ(content_type_for("f.woff2"), "font/woff2");
  EXPECT_EQ(content_type_for("dir.d/README"), "application/octet-stream");
  EXPECT_THROW(StaticFiles(StaticOptions{"/nonexistent/callwire"}), Error);
}

}  // namespace
}  // namespace callwire::server
