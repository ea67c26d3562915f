// callwire-admin init-db / info against both backends.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>

#include "callwire/user_store.hpp"
#include "store_fixture.hpp"

namespace callwire::test {
namespace {

using ::testing::HasSubstr;

struct AdminRun {
  int status = -1;
  std::string output;
};

AdminRun run(const std::string& cmd) {
  AdminRun r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p) != nullptr) r.output += buf;
  const int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

AdminRun admin(const std::string& args) { return run(std::string(CALLWIRE_ADMIN) + " " + args + " 2>&1"); }

// The same with one line, `input`, as its standard input.
AdminRun admin_fed(const std::string& args, const std::string& input) {
  return run("printf '%s\\n' '" + input + "' | " + std::string(CALLWIRE_ADMIN) + " " + args + " 2>&1");
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

TEST(Admin, CreateUserAddsAnAccountThatSignsIn) {
  TempDir dir;
  const std::string db = "'sqlite://" + dir.file("users.db") + "'";
  const std::string url = "sqlite://" + dir.file("users.db");
  const AdminRun made =
      admin_fed("create-user --email Boss@Example.com --name 'Bo Boss' --role admin --password-stdin " + db, "first-admin-password");
  EXPECT_EQ(made.status, 0) << made.output;
  EXPECT_THAT(made.output, HasSubstr("created admin Boss@Example.com (Bo Boss), id "));
  EXPECT_THAT(made.output, ::testing::Not(HasSubstr("first-admin-password")));
  {
    UserStore users(Storage::open(url));
    const auto u = users.authenticate("boss@example.com", "first-admin-password");
    ASSERT_TRUE(u.has_value());
    EXPECT_EQ(u->role, UserRole::admin);
  }
  const AdminRun again = admin_fed("create-user --email boss@example.com --name Other --password-stdin " + db, "other-password");
  EXPECT_EQ(again.status, 1);
  EXPECT_THAT(again.output, HasSubstr("callwire-admin: "));
  const AdminRun agent = admin_fed("create-user --email a@example.com --name Agent --password-stdin " + db, "agent-password");
  EXPECT_EQ(agent.status, 0) << agent.output;
  EXPECT_THAT(agent.output, HasSubstr("created agent a@example.com"));
  const AdminRun short_pw = admin_fed("create-user --email s@example.com --name S --password-stdin " + db, "short");
  EXPECT_EQ(short_pw.status, 1);
  EXPECT_THAT(short_pw.output, HasSubstr("password"));
  EXPECT_EQ(admin_fed("create-user --email x@example.com --name X --role boss --password-stdin " + db, "pw-pw-pw-pw").status, 64);
  EXPECT_EQ(admin_fed("create-user --name X --password-stdin " + db, "pw-pw-pw-pw").status, 64);
  // No terminal and no --password-stdin: refused, nothing added.
  const AdminRun no_tty = admin("create-user --email t@example.com --name T " + db + " < /dev/null");
  EXPECT_EQ(no_tty.status, 64);
  EXPECT_THAT(no_tty.output, HasSubstr("--password-stdin"));
  EXPECT_EQ(UserStore(Storage::open(url)).count(), 2);
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
