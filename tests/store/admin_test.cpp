// callwire-admin init-db / info against both backends.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>

#include "store_fixture.hpp"

namespace callwire::test {
namespace {

using ::testing::HasSubstr;

struct AdminRun {
  int status = -1;
  std::string output;
};

AdminRun admin(const std::string& args) {
  AdminRun r;
  const std::string cmd = std::string(CALLWIRE_ADMIN) + " " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p) != nullptr) r.output += buf;
  const int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

const char* kTables[] = {"contacts", "call_logs", "recordings", "numbers", "telnyx_config", "call_events", "users", "user_presence"};

TEST(Admin, InitDbCreatesAndListsOnSqlite) {
  TempDir dir;
  const std::string url = "sqlite://" + dir.file("admin.db");
  const AdminRun init = admin("init-db '" + url + "'");
  EXPECT_EQ(init.status, 0) << init.output;
  EXPECT_THAT(init.output, HasSubstr("initialized sqlite: " + dir.file("admin.db") + ", schema version " +
                                         std::to_string(Storage::latest_schema_version("sqlite"))));
  for (const char* t : kTables) EXPECT_THAT(init.output, HasSubstr(std::string("  ") + t)) << t;
  EXPECT_THAT(init.output, HasSubstr("numbers_number"));
  const AdminRun again = admin("init-db '" + url + "'");  // idempotent
  EXPECT_EQ(again.status, 0) << again.output;
  const AdminRun info = admin("info '" + url + "'");
  EXPECT_EQ(info.status, 0) << info.output;
  EXPECT_THAT(info.output, HasSubstr("call_logs_created_at"));
}

TEST(Admin, InitDbCreatesAndListsOnMongo) {
  FerretDb db;
  db.start();
  const AdminRun init = admin("init-db '" + db.url("", "serverSelectionTimeoutMS=3000") + "' --database crm_admin");
  EXPECT_EQ(init.status, 0) << init.output;
  EXPECT_THAT(init.output, HasSubstr("(database crm_admin), schema version 1"));
  for (const char* t : kTables) EXPECT_THAT(init.output, HasSubstr(std::string("  ") + t)) << t;
  EXPECT_THAT(init.output, HasSubstr("call_events_call_control_id"));
  auto storage = Storage::open(db.url("crm_admin"));
  EXPECT_EQ(storage.info().tables.size(), 8u);
}

TEST(Admin, ErrorsAndUsage) {
  const AdminRun down = admin("init-db 'mongodb://127.0.0.1:" + std::to_string(FerretDb::free_port()) +
                         "/x?serverSelectionTimeoutMS=300'");
  EXPECT_EQ(down.status, 1) << down.output;
  // An operator's tool: the sentence and the driver's text.
  EXPECT_THAT(down.output,
              HasSubstr("callwire-admin: The database is not available right now; try again. (mongodb: read the schema version: "));
  const AdminRun usage = admin("frobnicate");
  EXPECT_EQ(usage.status, 64);
  EXPECT_THAT(usage.output, HasSubstr("usage: callwire-admin init-db"));
  EXPECT_EQ(admin("--help").status, 0);
}

}  // namespace
}  // namespace callwire::test
