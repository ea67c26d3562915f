// Unit tests of the storage layer's internals: URL parsing, pattern
// escaping, ids, input checks, and the SQLite schema against the code's table
// definitions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <regex>
#include <set>
#include <thread>

#include "callwire/contact_store.hpp"

#include "store/mongo/mongo_backend.hpp"
#include "store/schema.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/sqlite_backend.hpp"
#include "store/util.hpp"
#include "store_fixture.hpp"
#include "thread_names.hpp"

namespace callwire::test {
namespace {

using namespace callwire::store_detail;

TEST(StoreUrl, SqliteForms) {
  StorageOptions o;
  EXPECT_EQ(parse_sqlite_url("sqlite:///var/lib/cw.db", o).path, "/var/lib/cw.db");
  EXPECT_EQ(parse_sqlite_url("sqlite://rel/cw.db", o).path, "rel/cw.db");
  EXPECT_EQ(parse_sqlite_url("sqlite:cw.db", o).path, "cw.db");
  EXPECT_EQ(parse_sqlite_url("/abs/cw.db", o).path, "/abs/cw.db");
  EXPECT_EQ(parse_sqlite_url("/abs/100%/cw?.db", o).path, "/abs/100%/cw?.db");  // plain paths are literal
  EXPECT_EQ(parse_sqlite_url("sqlite:///a%20b/c.db", o).path, "/a b/c.db");
  o.timeout = std::chrono::milliseconds(1234);
  o.max_connections = 3;
  auto cfg = parse_sqlite_url("sqlite:///x.db?busy_timeout=50&synchronous=normal&mode=ro", o);
  EXPECT_EQ(cfg.busy_timeout_ms, 50);
  EXPECT_EQ(cfg.synchronous, "NORMAL");
  EXPECT_TRUE(cfg.read_only);
  EXPECT_EQ(cfg.max_idle, 3u);
  cfg = parse_sqlite_url("sqlite:///x.db", o);
  EXPECT_EQ(cfg.busy_timeout_ms, 1234);
  EXPECT_EQ(cfg.synchronous, "FULL");
  EXPECT_FALSE(cfg.read_only);
  CW_EXPECT_ERROR(parse_sqlite_url("sqlite:///x.db?busy_timeout=-1", o), errc::invalid_argument);
  CW_EXPECT_ERROR(parse_sqlite_url("sqlite:///x%2.db", o), errc::invalid_argument);
  CW_EXPECT_ERROR(parse_sqlite_url("sqlite:///x.db?mode=rwx", o), errc::invalid_argument);
  EXPECT_TRUE(parse_sqlite_url("sqlite:///x.db", o).background_checkpoint);
  EXPECT_FALSE(parse_sqlite_url("sqlite:///x.db?checkpoint=inline", o).background_checkpoint);
  EXPECT_TRUE(parse_sqlite_url("sqlite:///x.db?checkpoint=Background", o).background_checkpoint);
  CW_EXPECT_ERROR(parse_sqlite_url("sqlite:///x.db?checkpoint=never", o), errc::invalid_argument);
}

TEST(StoreUrl, PasswordsAreRedacted) {
  EXPECT_EQ(redact_url("mongodb+srv://user:s3cret@cluster0.example.net/db?retryWrites=true"),
            "mongodb+srv://user:****@cluster0.example.net/db?retryWrites=true");
  EXPECT_EQ(redact_url("mongodb://host:27017/db"), "mongodb://host:27017/db");
  EXPECT_EQ(redact_url("mongodb://user@host/db"), "mongodb://user@host/db");
  EXPECT_EQ(redact_url("mongodb://h1:1,h2:2/db?x=a@b"), "mongodb://h1:1,h2:2/db?x=a@b");
}

TEST(StorePattern, LiteralAndAsciiFolded) {
  EXPECT_EQ(literal_pattern("a.b", false), "a\\.b");
  EXPECT_EQ(literal_pattern("a.b", true), "[aA]\\.[bB]");
  EXPECT_EQ(literal_pattern("^(x|y)*+?$[]{}\\", false), "\\^\\(x\\|y\\)\\*\\+\\?\\$\\[\\]\\{\\}\\\\");
  EXPECT_EQ(literal_pattern("Zoë 1", true), "[zZ][oO]ë 1");
  // Every escaped pattern matches exactly its own text.
  for (std::string s : {"a+b", "(x)", ".*", "[abc]", "\\d", "a|b", "{2}", "$where"}) {
    EXPECT_TRUE(std::regex_search(s, std::regex(literal_pattern(s, false)))) << s;
    EXPECT_FALSE(std::regex_search(std::string("zzz"), std::regex(literal_pattern(s, false)))) << s;
  }
}

TEST(StoreUtil, UuidV4) {
  std::set<std::string> seen;
  const std::regex v4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  for (int i = 0; i < 1000; ++i) {
    const auto id = new_id();
    EXPECT_TRUE(std::regex_match(id, v4)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(StoreUtil, Utf8) {
  EXPECT_TRUE(valid_utf8("plain"));
  EXPECT_TRUE(valid_utf8("Zoë ✓ 😀"));
  EXPECT_FALSE(valid_utf8("\xff"));
  EXPECT_FALSE(valid_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(valid_utf8("\xe2\x9c"));          // truncated
  EXPECT_FALSE(valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
}

TEST(StoreUtil, PhoneFragment) {
  EXPECT_EQ(phone_fragment("+1 (212) 555-12"), "+121255512");
  EXPECT_EQ(phone_fragment("212.555"), "212555");
  EXPECT_EQ(phone_fragment("alice"), "");
  EXPECT_EQ(phone_fragment("+"), "");
  EXPECT_EQ(phone_fragment("12a"), "");
}

TEST(StoreUtil, Checks) {
  CW_EXPECT_ERROR(check_id("", "id"), errc::invalid_argument);
  CW_EXPECT_ERROR(check_id("a/b", "id"), errc::invalid_argument);
  CW_EXPECT_ERROR(check_id(std::string(129, 'a'), "id"), errc::invalid_argument);
  EXPECT_NO_THROW(check_id("v3:AbC-1_2.x", "id"));
  CW_EXPECT_ERROR(check_page({0, 0}), errc::invalid_argument);
  EXPECT_NO_THROW(check_page({Page::kMaxPageSize, 7}));
  EXPECT_THAT(CW_EXPECT_ERROR(check_text(std::string(11, 'x'), "name", 10), errc::invalid_argument).what(),
              ::testing::HasSubstr("name: too long (11 bytes, at most 10)"));
  EXPECT_EQ(check_search("  x  "), "x");
}

TEST(StoreSchema, SqliteMigrationsMatchTheTableDefinitions) {
  TempDir dir;
  const std::string path = dir.file("schema.db");
  { auto s = Storage::open("sqlite://" + path); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  for (const TableDef* t : all_tables()) {
    std::vector<std::string> columns;
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, ("PRAGMA table_info(" + std::string(t->name) + ")").c_str(), -1, &st, nullptr), SQLITE_OK);
    std::vector<std::string> not_null;
    while (sqlite3_step(st) == SQLITE_ROW) {
      const std::string name = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
      columns.push_back(name);
      if (sqlite3_column_int(st, 3) != 0) not_null.push_back(name);
    }
    sqlite3_finalize(st);
    std::vector<std::string> expected;
    std::vector<std::string> expected_not_null;
    for (const auto& c : t->columns) {
      expected.emplace_back(c.name);
      if (!c.nullable) expected_not_null.emplace_back(c.name);
    }
    EXPECT_EQ(columns, expected) << t->name;
    if (std::string_view(t->name) != "telnyx_config") {
      EXPECT_EQ(not_null, expected_not_null) << t->name;
    }

    std::set<std::string> indexes;
    ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND tbl_name=?1", -1, &st, nullptr),
              SQLITE_OK);
    sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) indexes.insert(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    std::set<std::string> expected_indexes;
    for (const auto& ix : t->indexes) expected_indexes.insert(ix.name);
    EXPECT_EQ(indexes, expected_indexes) << t->name;
  }
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "wal");
  sqlite3_finalize(st);
  sqlite3_close(db);
}

// A call stored before machine_greeting existed: SQLite's migration gives
// the column '' and MongoDB reads the absent field as a null value, which a
// Call reads as "".
TEST(StoreSchema, CallWithoutMachineGreetingReadsEmpty) {
  Call c;
  c.call_id = "old";
  c.machine_greeting = "beep_detected";
  Row r = to_row(c);
  EXPECT_EQ(call_from_row(r).machine_greeting, "beep_detected");
  r[calls_table().column("machine_greeting")] = std::monostate{};
  EXPECT_EQ(call_from_row(r).machine_greeting, "");
}

// Stored before schema version 6: SQLite's migration gives the columns their
// defaults and MongoDB reads the absent fields as null values, which read as
// false and "".
TEST(StoreSchema, RecordingFieldsOfVersionSixReadEmptyWhenAbsent) {
  Call c;
  c.call_id = "old";
  c.record_from_answer = true;
  c.recording_error = "Telnyx could not record the call: Internal server error";
  Row r = to_row(c);
  EXPECT_TRUE(call_from_row(r).record_from_answer);
  EXPECT_EQ(call_from_row(r).recording_error, c.recording_error);
  r[calls_table().column("record_from_answer")] = std::monostate{};
  r[calls_table().column("recording_error")] = std::monostate{};
  EXPECT_FALSE(call_from_row(r).record_from_answer);
  EXPECT_EQ(call_from_row(r).recording_error, "");

  Recording rec;
  rec.id = "r";
  rec.remote_delete_error = "Telnyx did not delete the recording";
  Row rr = to_row(rec);
  EXPECT_EQ(recording_from_row(rr).remote_delete_error, "Telnyx did not delete the recording");
  rr[recordings_table().column("remote_delete_error")] = std::monostate{};
  EXPECT_EQ(recording_from_row(rr).remote_delete_error, "");
}

TEST(StoreSchema, MigrationsAreInAscendingOrderUpToTheSchemaVersion) {
  const auto& all = store_detail::sqlite::migrations();
  ASSERT_FALSE(all.empty());
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].version, all[i].version) << i;
  EXPECT_EQ(all.back().version, store_detail::sqlite::kSchemaVersion);
}

TEST(StoreSchema, RowsRoundTripAndReportBadStoredValues) {
  Contact c;
  c.id = "x";
  c.name = "N";
  c.category = ContactCategory::follow_up;
  Row r = to_row(c);
  EXPECT_EQ(contact_from_row(r).category, ContactCategory::follow_up);
  r[contacts_table().column("category")] = std::string("vip");
  const auto category = CW_EXPECT_ERROR(contact_from_row(r), errc::storage);
  EXPECT_STREQ(category.what(), "The database holds a record that callwire cannot read.");
  EXPECT_THAT(category.detail(), ::testing::HasSubstr("contacts/x.category: unknown value 'vip'"));
  r = to_row(c);
  r[contacts_table().column("created_at")] = std::string("yesterday");
  EXPECT_THAT(CW_EXPECT_ERROR(contact_from_row(r), errc::storage).detail(),
              ::testing::HasSubstr("contacts/x.created_at: malformed time 'yesterday'"));
  r = to_row(c);
  r[contacts_table().column("is_favorite")] = std::string("yes");
  CW_EXPECT_ERROR(contact_from_row(r), errc::storage);
}

// SQLite applies the compare-and-set of toggle_favorite atomically (FerretDB
// does not: see contact_store.hpp), so concurrent toggles all count.
// Commits that fill the WAL past the threshold leave the checkpoint to the
// pool's thread (a passive one), and the log still restarts from its
// beginning now and then (the committing connection finishes a checkpoint
// once the log is kInlineFactor times the threshold, waiting for the thread's
// run at twice that): the WAL file stays bounded. Without any checkpoint it
// would hold every page written here.
TEST(SqliteCheckpoint, RunsInTheBackgroundAndTheLogStaysBounded) {
  TempDir dir;
  for (const bool background : {true, false}) {
    sqlite::Config cfg;
    cfg.path = dir.file(background ? "bg.db" : "inline.db");
    cfg.synchronous = "NORMAL";
    cfg.background_checkpoint = background;
    constexpr int kThreshold = 100;
    if (background) cfg.checkpoint_pages = kThreshold;
    sqlite::Pool pool(cfg);
    ASSERT_EQ(pool.checkpointer() != nullptr, background);
    {
      auto c = pool.acquire();
      c->exec("PRAGMA journal_mode=WAL", "wal");
      if (!background) c->exec("PRAGMA wal_autocheckpoint=100", "threshold");
      c->exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)", "create");
    }
    constexpr int kRows = 3000;  // ~3,000 pages of 4 KiB: ~12 MiB of log without checkpoints
    for (int i = 0; i < kRows; ++i) {
      auto c = pool.acquire();
      c->exec(("INSERT INTO t (v) VALUES (randomblob(3500))"), "insert");
    }
    std::error_code ec;
    const auto wal = std::filesystem::file_size(cfg.path + "-wal", ec);
    ASSERT_FALSE(ec) << ec.message();
    // At most 2 × kInlineFactor thresholds of frames (4,120 bytes each) plus slack.
    EXPECT_LT(wal, static_cast<std::uintmax_t>(2 * sqlite::Checkpointer::kInlineFactor + 2) * kThreshold * 4120)
        << (background ? "background" : "inline");
    if (background) {
      const auto n = pool.checkpointer()->counters();
      EXPECT_GT(n.background, 0u) << "no checkpoint ran on the pool's thread";
      EXPECT_LE(n.inline_runs, n.background + 1) << "the committing connection did most checkpoints itself";
#if defined(__linux__)
      // The checkpointer's thread is named (support/thread_name.hpp).
      EXPECT_NE(test::thread_names().count("cw-checkpoint"), 0u) << "no thread named cw-checkpoint";
#endif
    }
    auto c = pool.acquire();
    sqlite::Statement st(*c, "SELECT count(*) FROM t", "count");
    ASSERT_TRUE(st.step());
    EXPECT_EQ(st.int64(0), kRows);
  }
}

TEST(SqliteOnly, ConcurrentTogglesAllCount) {
  TempDir dir;
  auto storage = Storage::open("sqlite://" + dir.file("t.db"));
  ContactStore contacts(storage);
  Contact in;
  in.name = "Fav";
  in.phone = "+12125551234";
  const Contact c = contacts.create(in);
  constexpr int kThreads = 4;
  constexpr int kEach = 5;  // 20 toggles: back to false
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      for (int k = 0; k < kEach; ++k) {
        try {
          contacts.toggle_favorite(c.id);
        } catch (const std::exception& e) {
          ADD_FAILURE() << e.what();
          ++errors;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_FALSE(contacts.get(c.id).is_favorite);
  contacts.toggle_favorite(c.id);
  EXPECT_TRUE(contacts.get(c.id).is_favorite);
}

}  // namespace
}  // namespace callwire::test
