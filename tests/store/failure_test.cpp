// Failure behaviour of the storage backends: servers that are down or go
// away, files that are read-only, locked, corrupt or too new, and crash
// durability (SIGKILL in the middle of a burst of writes).
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <mongoc/mongoc.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "callwire/contact_store.hpp"
#include "callwire/log.hpp"
#include "callwire/log_store.hpp"
#include "callwire/settings_store.hpp"
#include "store/sqlite/migrations.hpp"
#include "store_fixture.hpp"

#ifndef CALLWIRE_STORE_WRITER
#error "CALLWIRE_STORE_WRITER must name the callwire_store_writer helper"
#endif

namespace callwire::test {
namespace {

using ::testing::AnyOf;
using ::testing::HasSubstr;

Contact contact(std::string name) {
  Contact c;
  c.name = std::move(name);
  c.phone = "+12125551234";
  return c;
}

std::vector<std::string> names_of(const std::vector<Contact>& cs) {
  std::vector<std::string> out;
  for (const auto& c : cs) out.push_back(c.name);
  return out;
}

/// The helper process, its stdout on a pipe.
struct Child {
  pid_t pid = -1;
  int out = -1;
};

Child spawn_writer(const std::string& mode, const std::string& url, bool as_nobody = false) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  std::string exe = CALLWIRE_STORE_WRITER;
  std::string m = mode;
  std::string u = url;
  char* argv[] = {exe.data(), m.data(), u.data(), nullptr};
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(fds[1], 1);
    if (as_nobody && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(126);
    ::execv(argv[0], argv);
    ::_exit(127);
  }
  ::close(fds[1]);
  return {pid, fds[0]};
}

/// Reads lines until `stop(lines)` says so or EOF.
template <class Stop>
std::vector<std::string> read_lines(int fd, std::string& partial, Stop stop) {
  std::vector<std::string> lines;
  char buf[4096];
  while (!stop(lines)) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    partial.append(buf, static_cast<std::size_t>(n));
    for (auto nl = partial.find('\n'); nl != std::string::npos; nl = partial.find('\n')) {
      lines.push_back(partial.substr(0, nl));
      partial.erase(0, nl + 1);
    }
  }
  return lines;
}

int wait_for(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

// ---- crash durability, both backends ---------------------------------------

class Durability : public StoreTest {};

TEST_P(Durability, EveryAcknowledgedWriteSurvivesSigkill) {
  storage_.reset();  // the schema exists; the child writes
  Child child = spawn_writer("burst", url());
  std::string partial;
  constexpr std::size_t kBeforeKill = 150;
  auto acked = read_lines(child.out, partial, [](const auto& l) { return l.size() >= kBeforeKill; });
  ASSERT_GE(acked.size(), kBeforeKill) << (acked.empty() ? std::string("no output") : acked.back());
  ::kill(child.pid, SIGKILL);
  // Ids written to the pipe before the kill were acknowledged too.
  auto rest = read_lines(child.out, partial, [](const auto&) { return false; });
  ::close(child.out);
  acked.insert(acked.end(), rest.begin(), rest.end());
  const int status = wait_for(child.pid);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the writer was not killed mid-burst";
  for (const auto& id : acked) ASSERT_EQ(id.rfind("error", 0), std::string::npos) << id;

  auto reopened = open();
  ContactStore contacts(reopened);
  std::size_t missing = 0;
  for (const auto& id : acked) {
    if (!contacts.find(id)) ++missing;
  }
  EXPECT_EQ(missing, 0u) << "of " << acked.size() << " acknowledged writes";
  EXPECT_GE(contacts.count(), static_cast<std::int64_t>(acked.size()));
}

INSTANTIATE_TEST_SUITE_P(Backends, Durability, ::testing::Values("sqlite", "mongodb"), backend_name);

// ---- the stored layout: string ids, ISO-8601 text times -----------------------

class Layout : public StoreTest {};

TEST_P(Layout, RecordsUseStringIdsAndIsoTimes) {
  const Contact c = ContactStore(storage()).create(contact("Raw"));
  std::string id, name, created_at;
  bool favorite = true;
  if (mongo()) {
    const std::string u = url();
    const std::string database = u.substr(u.rfind('/') + 1, u.find('?') - u.rfind('/') - 1);
    mongoc_client_t* client = mongoc_client_new(u.c_str());
    mongoc_collection_t* coll = mongoc_client_get_collection(client, database.c_str(), "contacts");
    bson_t filter = BSON_INITIALIZER;
    mongoc_cursor_t* cur = mongoc_collection_find_with_opts(coll, &filter, nullptr, nullptr);
    const bson_t* doc = nullptr;
    ASSERT_TRUE(mongoc_cursor_next(cur, &doc));
    bson_iter_t it;
    ASSERT_TRUE(bson_iter_init_find(&it, doc, "_id") && BSON_ITER_HOLDS_UTF8(&it));
    id = bson_iter_utf8(&it, nullptr);
    ASSERT_TRUE(bson_iter_init_find(&it, doc, "name") && BSON_ITER_HOLDS_UTF8(&it));
    name = bson_iter_utf8(&it, nullptr);
    ASSERT_TRUE(bson_iter_init_find(&it, doc, "created_at") && BSON_ITER_HOLDS_UTF8(&it));
    created_at = bson_iter_utf8(&it, nullptr);
    ASSERT_TRUE(bson_iter_init_find(&it, doc, "is_favorite") && BSON_ITER_HOLDS_BOOL(&it));
    favorite = bson_iter_bool(&it);
    EXPECT_FALSE(bson_iter_init_find(&it, doc, "id"));
    mongoc_cursor_destroy(cur);
    mongoc_collection_destroy(coll);
    mongoc_client_destroy(client);
  } else {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir_.file("callwire.db").c_str(), &db), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT id, name, created_at, typeof(created_at), is_favorite FROM contacts", -1, &st, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    id = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    name = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
    created_at = reinterpret_cast<const char*>(sqlite3_column_text(st, 2));
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 3)), "text");
    favorite = sqlite3_column_int(st, 4) != 0;
    sqlite3_finalize(st);
    sqlite3_close(db);
  }
  EXPECT_EQ(id, c.id);
  EXPECT_EQ(name, "Raw");
  EXPECT_EQ(created_at, json::format_time(c.created_at));
  EXPECT_EQ(created_at.size(), 24u);  // 2026-01-01T00:00:01.000Z
  EXPECT_EQ(created_at.back(), 'Z');
  EXPECT_FALSE(favorite);
}

INSTANTIATE_TEST_SUITE_P(Backends, Layout, ::testing::Values("sqlite", "mongodb"), backend_name);

// ---- MongoDB ----------------------------------------------------------------

TEST(MongoFailure, ServerDownAtStartGivesAClearErrorThenWorksOnceUp) {
  FerretDb db;  // not started yet
  StorageOptions o;
  o.timeout = std::chrono::milliseconds(500);
  const auto err = CW_EXPECT_ERROR(Storage::open(db.url("crm", ""), o), errc::unavailable);
  EXPECT_STREQ(err.what(), "The database is not available right now; try again.");
  expect_client_safe(err);
  EXPECT_THAT(err.detail(), HasSubstr("mongodb: "));
  EXPECT_THAT(err.detail(), HasSubstr("127.0.0.1:" + std::to_string(db.port())));
  EXPECT_THAT(err.detail(), AnyOf(HasSubstr("onnection refused"), HasSubstr("No suitable servers")));
  db.start();
  auto storage = Storage::open(db.url("crm", ""), o);
  EXPECT_EQ(ContactStore(storage).create(contact("Up")).name, "Up");
}

TEST(MongoFailure, ServerGoneMidRunGivesAClearErrorAndTheFirstCallAfterItIsBackSucceeds) {
  FerretDb db;
  db.start();
  StorageOptions o;
  o.timeout = std::chrono::milliseconds(1000);
  auto storage = Storage::open(db.url("crm", ""), o);
  ContactStore contacts(storage);
  std::vector<std::string> acked;
  for (int i = 0; i < 40; ++i) acked.push_back(contacts.create(contact("c" + std::to_string(i))).id);

  db.kill();  // SIGKILL: the server crashes
  for (int attempt = 0; attempt < 2; ++attempt) {
    const auto err = CW_EXPECT_ERROR(contacts.create(contact("while down")), errc::unavailable);
    EXPECT_STREQ(err.what(), "The database is not available right now; try again.");
    EXPECT_THAT(err.detail(), HasSubstr("mongodb: insert into contacts: "));
  }
  const auto read_err = CW_EXPECT_ERROR(contacts.list(), errc::unavailable);
  EXPECT_STREQ(read_err.what(), "The database is not available right now; try again.");
  EXPECT_THAT(read_err.detail(), HasSubstr("mongodb: read contacts: "));

  db.start();  // same port, same data folder
  const Contact back = contacts.create(contact("back"));  // the first call after the restart
  EXPECT_EQ(contacts.get(back.id).name, "back");
  for (const auto& id : acked) EXPECT_TRUE(contacts.find(id)) << id;  // acknowledged before the crash
  EXPECT_EQ(contacts.count(), 41);
}

TEST(MongoFailure, FirstWriteAfterAnUnnoticedRestartSucceeds) {
  // The server restarts while the storage is idle: pooled connections are
  // dead but nobody knows yet. Each kind of write must still succeed first time.
  FerretDb db;
  db.start();
  StorageOptions o;
  o.timeout = std::chrono::milliseconds(2000);
  auto storage = Storage::open(db.url("crm", ""), o);
  ContactStore contacts(storage);
  LogStore logs(storage);
  const Contact first = contacts.create(contact("before"));
  const auto restart = [&] {
    db.kill();
    db.start();
  };
  restart();
  const Contact second = contacts.create(contact("insert"));
  restart();
  Contact changed = second;
  changed.name = "update";
  EXPECT_EQ(contacts.update(changed).name, "update");
  restart();
  contacts.remove(first.id);
  restart();
  CallEvent ev;
  ev.id = "ev-after-restart";
  ev.event_type = "call.initiated";
  EXPECT_TRUE(logs.record_event(ev));
  EXPECT_FALSE(logs.record_event(ev));
  restart();
  EXPECT_EQ(names_of(contacts.list()), std::vector<std::string>{"update"});
}

TEST(MongoFailure, BadUrlsAreInvalidArguments) {
  const auto bad = CW_EXPECT_ERROR(Storage::open("mongodb://"), errc::invalid_argument);
  EXPECT_STREQ(bad.what(), "The storage URL is not a valid MongoDB URL.");
  EXPECT_THAT(bad.detail(), HasSubstr("storage URL 'mongodb://': "));
  CW_EXPECT_ERROR(Storage::open("mongodb://127.0.0.1:1/bad.name"), errc::invalid_argument);
  CW_EXPECT_ERROR(Storage::open("postgres://localhost/db"), errc::invalid_argument);
  CW_EXPECT_ERROR(Storage::open(""), errc::invalid_argument);
}

// The driver's own messages go to callwire's log (component "mongoc"), not
// to stderr where they would break the server's one-JSON-object-a-line log.
TEST(MongoFailure, TheDriversMessagesGoToTheLogHook) {
  FerretDb db;  // not started: opening fails, after the driver was set up
  StorageOptions o;
  o.timeout = std::chrono::milliseconds(200);
  CW_EXPECT_ERROR(Storage::open(db.url("crm", ""), o), errc::unavailable);
  std::vector<std::string> seen;
  set_log_handler(LogLevel::warn, [&](const LogRecord& r) {
    seen.push_back(std::string(r.component) + "|" + std::string(r.message));
  });
  mongoc_log(MONGOC_LOG_LEVEL_WARNING, "cluster", "a warning of the driver");
  mongoc_log(MONGOC_LOG_LEVEL_DEBUG, "cluster", "below the level");
  set_log_handler(LogLevel::warn, nullptr);
  EXPECT_EQ(seen, (std::vector<std::string>{"mongoc|cluster: a warning of the driver"}));
}

TEST(MongoFailure, PasswordsAreNotShownInLocations) {
  FerretDb db;
  db.start();
  StorageOptions o;
  o.database = "named_db";
  auto storage = Storage::open(db.url("ignored", "serverSelectionTimeoutMS=2000"), o);
  EXPECT_THAT(storage.location(), HasSubstr("database named_db"));
  EXPECT_EQ(storage.info().backend, "mongodb");
}

TEST(MongoFailure, DatabaseFromANewerCallwireIsRefused) {
  FerretDb db;
  db.start();
  {
    auto storage = Storage::open(db.url("crm"));
  }
  mongoc_client_t* client = mongoc_client_new(db.url("crm").c_str());
  mongoc_collection_t* coll = mongoc_client_get_collection(client, "crm", "telnyx_config");
  bson_t* selector = BCON_NEW("_id", BCON_UTF8("callwire_schema"));
  bson_t* update = BCON_NEW("$set", "{", "version", BCON_INT32(99), "}");
  bson_error_t error;
  const bool ok = mongoc_collection_update_one(coll, selector, update, nullptr, nullptr, &error);
  bson_destroy(selector);
  bson_destroy(update);
  mongoc_collection_destroy(coll);
  mongoc_client_destroy(client);
  ASSERT_TRUE(ok) << error.message;
  const auto err = CW_EXPECT_ERROR(Storage::open(db.url("crm")), errc::storage);
  EXPECT_STREQ(err.what(), "The database was written by a newer version of callwire; use that version or a newer one.");
  EXPECT_THAT(err.detail(), HasSubstr("database crm has schema version 99, newer than this callwire understands (1)"));
}

// ---- SQLite -----------------------------------------------------------------

class SqliteFailure : public ::testing::Test {
 protected:
  std::string path() const { return dir_.file("callwire.db"); }
  std::string url(std::string_view options = {}) const {
    return "sqlite://" + path() + (options.empty() ? "" : "?" + std::string(options));
  }
  void create() {
    auto s = Storage::open(url());
    ContactStore(s).create(contact("Existing"));
  }
  /// Runs SQL on the file with a raw connection.
  void raw(const char* sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path().c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }
  TempDir dir_;
};

TEST_F(SqliteFailure, ReadOnlyFileIsAClearErrorAtOpen) {
  create();
  if (::geteuid() == 0) {
    // root writes anywhere: run the open as nobody, for whom the file
    // (root's, 0644, in a 0755 folder) is read-only.
    ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);
    ASSERT_EQ(::chmod(path().c_str(), 0644), 0);
    Child child = spawn_writer("open-write", url(), /*as_nobody=*/true);
    std::string partial;
    auto lines = read_lines(child.out, partial, [](const auto&) { return false; });
    ::close(child.out);
    const int status = wait_for(child.pid);
    ASSERT_TRUE(WIFEXITED(status)) << status;
    ASSERT_NE(WEXITSTATUS(status), 126) << "could not switch to user nobody";
    ASSERT_EQ(lines.size(), 1u) << partial;
    EXPECT_THAT(lines[0], HasSubstr("error 9 The database cannot be opened for writing: the file or its folder is read-only. | "
                                    "sqlite: cannot open database for writing: the file or its folder is read-only (" +
                                    path() + ")"));
  } else {
    ASSERT_EQ(::chmod(path().c_str(), 0444), 0);
    ASSERT_EQ(::chmod(dir_.path().c_str(), 0555), 0);
    const auto err = CW_EXPECT_ERROR(Storage::open(url()), errc::storage);
    EXPECT_STREQ(err.what(), "The database cannot be opened for writing: the file or its folder is read-only.");
    expect_client_safe(err);
    EXPECT_THAT(err.detail(), HasSubstr("sqlite: cannot open database for writing: the file or its folder is read-only (" +
                                        path() + ")"));
  }
  // Read-only on purpose works for reading.
  ::chmod(dir_.path().c_str(), 0755);
  ::chmod(path().c_str(), 0644);
}

TEST_F(SqliteFailure, ReadOnlyModeReadsButRefusesWrites) {
  create();
  auto s = Storage::open(url("mode=ro"));
  ContactStore contacts(s);
  EXPECT_EQ(contacts.count(), 1);
  const auto err = CW_EXPECT_ERROR(contacts.create(contact("No")), errc::storage);
  EXPECT_STREQ(err.what(), "The database is read-only.");
  expect_client_safe(err);
  EXPECT_THAT(err.detail(), HasSubstr("sqlite: insert into contacts: attempt to write a readonly database"));
}

TEST_F(SqliteFailure, LockedDatabaseIsUnavailableUntilTheLockGoes) {
  create();
  auto s = Storage::open(url("busy_timeout=100"));
  ContactStore contacts(s);
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path().c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  const auto err = CW_EXPECT_ERROR(contacts.create(contact("Blocked")), errc::unavailable);
  EXPECT_STREQ(err.what(), "The database is not available right now; try again.");
  expect_client_safe(err);
  EXPECT_THAT(err.detail(), HasSubstr("sqlite: insert into contacts: database is locked"));
  EXPECT_THAT(err.detail(), HasSubstr(path()));
  EXPECT_EQ(contacts.count(), 1);  // WAL: readers are not blocked
  ASSERT_EQ(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);
  EXPECT_EQ(contacts.create(contact("Free")).name, "Free");
}

TEST_F(SqliteFailure, NotADatabaseIsAClearError) {
  {
    std::ofstream f(path(), std::ios::binary);
    for (int i = 0; i < 200; ++i) f << "this is not a database, just text. ";
  }
  const auto err = CW_EXPECT_ERROR(Storage::open(url()), errc::storage);
  EXPECT_STREQ(err.what(), "The database file is damaged or is not a database.");
  expect_client_safe(err);
  EXPECT_THAT(err.detail(), HasSubstr("file is not a database"));
  EXPECT_THAT(err.detail(), HasSubstr(path()));
}

TEST_F(SqliteFailure, DamagedPagesAreAClearError) {
  std::int64_t root = 0;
  std::int64_t page_size = 0;
  {
    auto s = Storage::open(url("synchronous=normal"));
    ContactStore contacts(s);
    for (int i = 0; i < 300; ++i) {
      Contact c = contact("Contact " + std::to_string(i));
      c.notes = std::string(300, 'n');
      contacts.create(c);
    }
  }  // the last connection checkpoints the WAL into the file
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path().c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT rootpage, (SELECT page_size FROM pragma_page_size()) FROM sqlite_master WHERE name = 'contacts'", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  root = sqlite3_column_int64(st, 0);
  page_size = sqlite3_column_int64(st, 1);
  sqlite3_finalize(st);
  sqlite3_close(db);
  ASSERT_GT(root, 1);
  {
    std::fstream f(path(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp((root - 1) * page_size);
    const std::string garbage(static_cast<std::size_t>(page_size), '\x5a');
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  auto s = Storage::open(url());  // the schema pages are intact
  const auto err = CW_EXPECT_ERROR(ContactStore(s).list(), errc::storage);
  EXPECT_STREQ(err.what(), "The database file is damaged.");
  expect_client_safe(err);
  EXPECT_THAT(err.detail(), HasSubstr("sqlite: read contacts: database disk image is malformed"));
}

TEST_F(SqliteFailure, FileFromANewerCallwireIsRefused) {
  create();
  const int latest = Storage::latest_schema_version("sqlite");
  raw(("PRAGMA user_version = " + std::to_string(latest + 1)).c_str());
  const auto err = CW_EXPECT_ERROR(Storage::open(url()), errc::storage);
  EXPECT_STREQ(err.what(), "The database was written by a newer version of callwire; use that version or a newer one.");
  expect_client_safe(err);
  EXPECT_THAT(err.detail(), HasSubstr(path() + " has schema version " + std::to_string(latest + 1) +
                                      ", newer than this callwire understands (" + std::to_string(latest) + ")"));
}

TEST_F(SqliteFailure, ForeignDatabaseIsRefused) {
  raw("PRAGMA application_id = 1234; CREATE TABLE other (x)");
  const auto err = CW_EXPECT_ERROR(Storage::open(url()), errc::storage);
  EXPECT_STREQ(err.what(), "The database file is not a callwire database.");
  expect_client_safe(err);
  EXPECT_THAT(err.detail(), HasSubstr(path() + " is not a callwire database (application_id 1234)"));
}

TEST_F(SqliteFailure, OlderFileIsMigrated) {
  raw("CREATE TABLE unrelated (x); INSERT INTO unrelated VALUES (1)");  // version 0
  auto s = Storage::open(url());
  EXPECT_EQ(s.info().schema_version, Storage::latest_schema_version("sqlite"));
  EXPECT_EQ(ContactStore(s).create(contact("New")).name, "New");
}

TEST_F(SqliteFailure, VersionTwoFileGetsRecordingPausedAndKeepsItsCalls) {
  for (const auto& m : store_detail::sqlite::migrations()) {
    if (m.version <= 2) raw(m.sql);
  }
  const std::string v2 = "PRAGMA user_version = 2; PRAGMA application_id = " +
                         std::to_string(store_detail::sqlite::kApplicationId) +
                         "; INSERT INTO call_logs (id, to_number, status, created_at, updated_at, recording) VALUES "
                         "('c-old', '+12125550100', 'active', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 1)";
  raw(v2.c_str());
  auto s = Storage::open(url());
  EXPECT_EQ(s.info().schema_version, Storage::latest_schema_version("sqlite"));
  LogStore logs(s);
  Call c = logs.get("c-old");
  EXPECT_TRUE(c.recording);
  EXPECT_FALSE(c.recording_paused);  // the column's default
  c.recording_paused = true;
  logs.update(c);
  EXPECT_TRUE(logs.get("c-old").recording_paused);
}

// Version 3 → latest: the file gets the users tables (4) and
// call_logs.machine_greeting (5, '' for the calls already there) and keeps
// its calls.
TEST_F(SqliteFailure, VersionThreeFileGetsMachineGreetingAndKeepsItsCalls) {
  for (const auto& m : store_detail::sqlite::migrations()) {
    if (m.version <= 3) raw(m.sql);
  }
  const std::string v3 = "PRAGMA user_version = 3; PRAGMA application_id = " +
                         std::to_string(store_detail::sqlite::kApplicationId) +
                         "; INSERT INTO call_logs (id, to_number, status, created_at, updated_at, machine_detection, "
                         "recording_paused) VALUES ('c-old', '+12125550103', 'completed', '2026-01-01T00:00:00.000Z', "
                         "'2026-01-01T00:00:00.000Z', 'machine', 1)";
  raw(v3.c_str());
  auto s = Storage::open(url());
  EXPECT_EQ(s.info().schema_version, Storage::latest_schema_version("sqlite"));
  LogStore logs(s);
  Call c = logs.get("c-old");
  EXPECT_EQ(c.machine_detection, "machine");
  EXPECT_TRUE(c.recording_paused);
  EXPECT_EQ(c.machine_greeting, "");  // the column's default
  c.machine_greeting = "beep_detected";
  logs.update(c);
  EXPECT_EQ(logs.get("c-old").machine_greeting, "beep_detected");
}

// Version 5 → latest: the file gets the recording columns of version 6 —
// record_from_answer false and recording_error '' for the calls already
// there, remote_delete_error '' for their recordings, recording_channels not
// set in the saved settings — and keeps its calls, recordings and settings.
TEST_F(SqliteFailure, VersionFiveFileGetsTheRecordingColumnsAndKeepsItsRows) {
  for (const auto& m : store_detail::sqlite::migrations()) {
    if (m.version <= 5) raw(m.sql);
  }
  const std::string v5 =
      "PRAGMA user_version = 5; PRAGMA application_id = " + std::to_string(store_detail::sqlite::kApplicationId) +
      "; INSERT INTO call_logs (id, to_number, status, created_at, updated_at, recording, machine_greeting) VALUES "
      "('c-old', '+12125550105', 'active', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 1, 'ended');"
      " INSERT INTO recordings (id, call_id, telnyx_recording_id, url, channels, created_at) VALUES "
      "('r-old', 'c-old', 'tx-old', 'https://example.com/r.mp3', 'dual', '2026-01-01T00:01:00.000Z');"
      " INSERT INTO telnyx_config (id, api_key, auto_record) VALUES ('settings', 'KEY-old', 1)";
  raw(v5.c_str());
  auto s = Storage::open(url());
  EXPECT_EQ(s.info().schema_version, Storage::latest_schema_version("sqlite"));
  LogStore logs(s);
  Call c = logs.get("c-old");
  EXPECT_TRUE(c.recording);
  EXPECT_EQ(c.machine_greeting, "ended");
  EXPECT_FALSE(c.record_from_answer);  // the columns' defaults
  EXPECT_EQ(c.recording_error, "");
  c.record_from_answer = true;
  c.recording_error = "Telnyx could not record the call: Internal server error";
  logs.update(c);
  EXPECT_TRUE(logs.get("c-old").record_from_answer);
  EXPECT_EQ(logs.get("c-old").recording_error, "Telnyx could not record the call: Internal server error");
  Recording r = logs.get_recording("r-old");
  EXPECT_EQ(r.channels, "dual");
  EXPECT_EQ(r.remote_delete_error, "");
  r.remote_delete_error = "Telnyx did not delete the recording";
  logs.update_recording(r);
  EXPECT_EQ(logs.get_recording("r-old").remote_delete_error, "Telnyx did not delete the recording");
  SettingsStore settings(s);
  EXPECT_EQ(settings.get().api_key, "KEY-old");
  EXPECT_TRUE(settings.get().auto_record);
  EXPECT_EQ(settings.get().recording_channels, "");  // not set
}

TEST_F(SqliteFailure, MissingFolderIsAClearError) {
  const auto err = CW_EXPECT_ERROR(Storage::open("sqlite://" + dir_.file("no/such/folder/x.db")), errc::storage);
  EXPECT_STREQ(err.what(), "The database cannot be opened.");
  expect_client_safe(err);
  EXPECT_THAT(err.detail(), HasSubstr("sqlite: cannot open database: unable to open database file"));
  EXPECT_THAT(err.detail(), HasSubstr(dir_.file("no/such/folder/x.db")));
}

TEST_F(SqliteFailure, BadUrlOptionsAreInvalidArguments) {
  EXPECT_THAT(CW_EXPECT_ERROR(Storage::open(url("busy_timeout=abc")), errc::invalid_argument).what(),
              HasSubstr("busy_timeout"));
  const auto journal = CW_EXPECT_ERROR(Storage::open(url("journal=off")), errc::invalid_argument);
  // The sentence says what is wrong; the URL (a path) is in the detail only.
  EXPECT_STREQ(journal.what(),
               "The storage URL is not valid: unknown option 'journal' (known: busy_timeout, synchronous, checkpoint, mode).");
  EXPECT_EQ(std::string(journal.what()).find(path()), std::string::npos);
  EXPECT_THAT(journal.detail(), HasSubstr("storage URL '" + url("journal=off") + "': unknown option 'journal'"));
  CW_EXPECT_ERROR(Storage::open(url("synchronous=off")), errc::invalid_argument);
  EXPECT_THAT(CW_EXPECT_ERROR(Storage::open(url("checkpoint=never")), errc::invalid_argument).what(),
              HasSubstr("checkpoint must be background or inline"));
  CW_EXPECT_ERROR(Storage::open("sqlite://"), errc::invalid_argument);
  CW_EXPECT_ERROR(Storage::open("sqlite::memory:"), errc::invalid_argument);
  CW_EXPECT_ERROR(Storage::open(url("mode")), errc::invalid_argument);
}

}  // namespace
}  // namespace callwire::test
