// Benchmark 4 — call-log search and statistics at scale.
//
// Loads a deterministic history of calls (a year of outbound calls: mostly
// completed, some busy / no answer / failed / canceled, a quarter with a
// contact name, random North-American numbers) through the public LogStore,
// then times the three queries the UI runs:
//   search   LogStore::list({search: <number fragment>, status: completed}, first page of 50)
//            — the fragments are 3 to 7 consecutive digits of a random stored number
//   stats    LogStore::stats({}) — the dashboard summary over every call
//   newest   LogStore::list({}, first page of 50)
// on SQLite (--sqlite-calls, default 1,000,000) and on MongoDB through
// FerretDB (--mongo-calls, default 100,000; the FerretDB test helper starts
// a server on a free port).
//
// --db-dir=DIR keeps the loaded SQLite file there and reuses it when it holds
// the right number of calls (scripts/bench passes build/bench/data); a reused
// file of an older schema version is migrated by the first open, which is
// timed ("sqlite: migration").
// Besides: the count of a search (what the REST list reports as its total),
// the stats of a 30-day range whose ends are not midnight, and
// (--trigger-calls=N, default 20,000) the cost of the schema-2 triggers:
// N LogStore::insert and N LogStore::update (status and duration) in
// autocommit on a fresh file, against the same on a file whose triggers were
// dropped (process CPU time per call, the lower of two alternated runs).
// --reps=N repetitions per query on SQLite (after 3 warm-ups), --mongo-reps=N
// on MongoDB (after 1), --mongo-load-threads, --backends=sqlite,mongodb.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <optional>
#include <random>
#include <sstream>
#include <thread>
#include <tuple>

#include "bench_common.hpp"
#include "callwire/json.hpp"
#include "callwire/log_store.hpp"
#include "callwire/storage.hpp"
#include "ferretdb.hpp"
#include "store/backend.hpp"
#include "store/schema.hpp"
#include "store/sqlite/migrations.hpp"

#include <sqlite3.h>
#include "support/log.hpp"
#include "workload.hpp"

using namespace callwire;
using namespace callwire::bench;
using namespace std::chrono_literals;

namespace {

// 2026-01-01T00:00:00Z: the history ends here, so a kept database stays valid.
constexpr std::int64_t kEndMs = 1767225600000;
constexpr std::int64_t kYearMs = 365LL * 86400 * 1000;

const char* kNames[] = {"Ada Lovelace", "Grace Hopper", "Alan Turing", "Katherine Johnson", "Edsger Dijkstra",
                        "Barbara Liskov", "Donald Knuth", "Margaret Hamilton", "Ken Thompson", "Frances Allen",
                        "John Backus", "Radia Perlman", "Tim Berners-Lee", "Hedy Lamarr", "Dennis Ritchie",
                        "Shafi Goldwasser", "Leslie Lamport", "Sophie Wilson", "Bjarne Stroustrup", "Anita Borg"};

std::string phone(std::mt19937_64& rng) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "+1%03d%03d%04d", static_cast<int>(200 + rng() % 800), static_cast<int>(200 + rng() % 800),
                static_cast<int>(rng() % 10000));
  return buf;
}

/// Call i of the history (deterministic).
Call history_call(std::uint64_t i, std::uint64_t total) {
  std::mt19937_64 rng(i * 7919 + 17);
  Call c;
  c.call_id = numbered_call_id(i, 'c');
  char ccid[64];
  std::snprintf(ccid, sizeof ccid, "v3:bench%016llx%016llx", static_cast<unsigned long long>(rng()),
                static_cast<unsigned long long>(i));
  c.call_control_id = ccid;
  c.call_leg_id = numbered_call_id(i, 'e');
  c.call_session_id = numbered_call_id(i, 'f');
  c.connection_id = "1684641123236054244";
  c.to_number = phone(rng);
  static const char* froms[] = {"+13125550100", "+14155550123", "+442079460958", "+12125550199", "+16175550142"};
  c.from_number = froms[rng() % 5];
  c.direction = Direction::outbound;
  const std::int64_t created = kEndMs - kYearMs + static_cast<std::int64_t>((static_cast<double>(i) + 0.5) *
                                                                            static_cast<double>(kYearMs) /
                                                                            static_cast<double>(total));
  c.created_at = TimePoint(std::chrono::milliseconds(created));
  const auto at = [&](std::int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); };
  const unsigned r = static_cast<unsigned>(rng() % 1000);
  if (r < 550) {
    c.status = CallStatus::completed;
    const std::int64_t ans = created + 2000 + static_cast<std::int64_t>(rng() % 18000);
    c.duration = 5 + static_cast<std::int64_t>(rng() % 900);
    c.ringing_at = at(created + 250);
    c.answered_at = at(ans);
    c.ended_at = at(ans + c.duration * 1000 + static_cast<std::int64_t>(rng() % 1000));
    c.hangup_cause = "normal_clearing";
    c.hangup_source = rng() % 2 ? "caller" : "callee";
  } else {
    c.ringing_at = at(created + 250);
    if (r < 680) {
      c.status = CallStatus::no_answer;
      c.hangup_cause = "timeout";
      c.hangup_source = "caller";
    } else if (r < 760) {
      c.status = CallStatus::busy;
      c.hangup_cause = "user_busy";
      c.hangup_source = "callee";
    } else if (r < 830) {
      c.status = CallStatus::failed;
      c.hangup_cause = "call_rejected";
      c.hangup_source = "callee";
      c.failure_reason = "the callee rejected the call";
    } else if (r < 980) {
      c.status = CallStatus::canceled;
      c.hangup_cause = "originator_cancel";
      c.hangup_source = "caller";
    } else {
      c.status = r < 990 ? CallStatus::active : r < 995 ? CallStatus::ringing : CallStatus::dialing;
      if (c.status == CallStatus::active) c.answered_at = at(created + 3000);
      if (c.status == CallStatus::dialing) c.ringing_at.reset();
    }
    if (is_terminal(c.status)) c.ended_at = at(created + 10000 + static_cast<std::int64_t>(rng() % 50000));
  }
  c.updated_at = c.ended_at.value_or(c.created_at);
  if (rng() % 4 == 0) {
    const auto k = rng() % 20;
    c.contact_name = kNames[k];
    c.contact_id = numbered_call_id(k, 'a');
  }
  return c;
}

/// Loads calls [from, to) of a history of `total`, on `threads` threads.
double load(Storage storage, std::uint64_t from, std::uint64_t to, std::uint64_t total, unsigned threads) {
  const auto t0 = Clock::now();
  std::atomic<std::uint64_t> next{from};
  std::vector<std::thread> ts;
  std::atomic<std::uint64_t> done{0};
  for (unsigned k = 0; k < threads; ++k) {
    ts.emplace_back([&] {
      LogStore logs(storage);
      for (;;) {
        const std::uint64_t i = next.fetch_add(1);
        if (i >= to) break;
        logs.insert(history_call(i, total));
        const auto d = done.fetch_add(1) + 1;
        if (d % 100000 == 0) std::cout << "      loaded " << d << std::endl;
      }
    });
  }
  for (auto& t : ts) t.join();
  return seconds_since(t0);
}

/// Bulk-loads calls [from, to) into an SQLite file that Storage::open has
/// already created: one prepared INSERT of every call_logs column, rows
/// encoded by the storage layer's own to_row(), 50,000 rows per transaction.
/// (LogStore has no batch insert; one autocommit INSERT per call is measured
/// separately.)
double bulk_load_sqlite(const std::string& path, std::uint64_t from, std::uint64_t to, std::uint64_t total) {
  const auto t0 = Clock::now();
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    throw std::runtime_error("sqlite3_open " + path);
  }
  auto exec = [&](const char* sql) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(db));
  };
  exec("PRAGMA synchronous=OFF");
  const auto& t = store_detail::calls_table();
  std::string sql = "INSERT INTO call_logs (";
  for (std::size_t i = 0; i < t.columns.size(); ++i) sql += (i ? ", " : "") + std::string(t.columns[i].name);
  sql += ") VALUES (";
  for (std::size_t i = 0; i < t.columns.size(); ++i) sql += i ? ", ?" : "?";
  sql += ")";
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(db));
  exec("BEGIN");
  for (std::uint64_t i = from; i < to; ++i) {
    const store_detail::Row row = store_detail::to_row(history_call(i, total));
    for (std::size_t k = 0; k < row.size(); ++k) {
      const int idx = static_cast<int>(k + 1);
      const auto& v = row[k];
      if (const auto* str = std::get_if<std::string>(&v)) {
        sqlite3_bind_text64(st, idx, str->data(), str->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
        sqlite3_bind_int64(st, idx, *n);
      } else if (const auto* b = std::get_if<bool>(&v)) {
        sqlite3_bind_int(st, idx, *b ? 1 : 0);
      } else {
        sqlite3_bind_null(st, idx);
      }
    }
    if (sqlite3_step(st) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db));
    sqlite3_reset(st);
    if ((i + 1) % 50000 == 0) {
      exec("COMMIT");
      exec("BEGIN");
      if ((i + 1) % 200000 == 0) std::cout << "      loaded " << i + 1 << std::endl;
    }
  }
  exec("COMMIT");
  sqlite3_finalize(st);
  exec("PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3_close(db);
  return seconds_since(t0);
}

struct QueryFigures {
  Samples search, search_rare, search_dense, search_count, stats, stats_range, newest;
};

/// Process CPU time per LogStore::insert and per LogStore::update, in µs.
struct WriteCost {
  double insert_us = 0;
  double update_us = 0;
};

/// Inserts `n` calls through LogStore::insert, then updates each (status
/// and duration, which the counters follow), autocommit, synchronous=normal,
/// into a fresh file; with `triggers` false the schema-2 triggers are dropped
/// first. CPU time rather than wall time: the machine is shared.
WriteCost write_cost(const std::string& dir, std::uint64_t n, bool triggers) {
  const std::string path = dir + (triggers ? "/writes-triggers.db" : "/writes-plain.db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  { Storage created = Storage::open("sqlite://" + path); }  // the schema, then closed
  // The triggers are dropped while no callwire connection is open: a
  // connection that has read the schema can fail to re-read it after
  // another connection changed it ("no such table: call_logs", SQLite 3.40).
  if (!triggers) {
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) throw std::runtime_error("sqlite3_open " + path);
    const int rc = sqlite3_exec(db,
                                "DROP TRIGGER call_log_totals_insert; DROP TRIGGER call_log_totals_delete; "
                                "DROP TRIGGER call_log_totals_update; DROP TRIGGER call_logs_search_insert; "
                                "DROP TRIGGER call_logs_search_delete; DROP TRIGGER call_logs_search_update",
                                nullptr, nullptr, nullptr);
    const std::string err = sqlite3_errmsg(db);
    sqlite3_close(db);
    if (rc != SQLITE_OK) throw std::runtime_error("drop triggers: " + err);
  }
  Storage storage = Storage::open("sqlite://" + path + "?synchronous=normal");
  LogStore logs(storage);
  std::vector<Call> calls;
  calls.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) calls.push_back(history_call(i, n));
  WriteCost cost;
  double t0 = process_cpu_seconds();
  for (auto& c : calls) c = logs.insert(c);
  cost.insert_us = (process_cpu_seconds() - t0) * 1e6 / static_cast<double>(n);
  t0 = process_cpu_seconds();
  for (auto& c : calls) {
    c.status = c.status == CallStatus::completed ? CallStatus::failed : CallStatus::completed;
    c.duration += 1;
    logs.update(c);
  }
  cost.update_us = (process_cpu_seconds() - t0) * 1e6 / static_cast<double>(n);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return cost;
}

bool digits_contain(const std::string& number, const std::string& frag) { return number.find(frag) != std::string::npos; }

void run_queries(Report& report, const std::string& tag, Storage& storage, std::uint64_t total, int reps, int warmups,
                 double search_target, double stats_target) {
  LogStore logs(storage);
  std::mt19937_64 rng(42);
  QueryFigures q;
  std::size_t bad_search = 0, empty_search = 0;
  std::string bad_detail;
  auto one_search = [&](std::size_t len, Samples& into, Samples* count_into = nullptr) {
    Call sample = history_call(rng() % total, total);
    while (sample.status != CallStatus::completed) sample = history_call(rng() % total, total);
    const std::string digits = sample.to_number.substr(1);
    const std::size_t start = rng() % (digits.size() - len + 1);
    const std::string frag = digits.substr(start, len);
    CallFilter f;
    f.search = frag;
    f.status = CallStatus::completed;
    const auto t = Clock::now();
    const auto page = logs.list(f, Page{50, 0});
    into.add(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
    if (page.empty()) ++empty_search;
    if (count_into != nullptr) {
      const auto tc = Clock::now();
      const auto n = logs.count(f);
      count_into->add(std::chrono::duration<double, std::milli>(Clock::now() - tc).count());
      if (n < static_cast<std::int64_t>(page.size()) && bad_search++ == 0) bad_detail = "count " + std::to_string(n) + " for " + frag;
    }
    for (std::size_t k = 0; k < page.size(); ++k) {
      const Call& c = page[k];
      const bool ok = c.status == CallStatus::completed &&
                      (digits_contain(c.to_number, frag) || digits_contain(c.from_number, frag)) &&
                      (k == 0 || std::tie(page[k - 1].created_at, page[k - 1].call_id) > std::tie(c.created_at, c.call_id));
      if (!ok && bad_search++ == 0) bad_detail = "fragment " + frag + " gave " + c.to_number;
    }
  };
  for (int w = 0; w < warmups; ++w) {
    Samples dummy;
    one_search(5, dummy);
    (void)logs.stats({});
    (void)logs.list({}, Page{50, 0});
  }
  for (int r = 0; r < reps; ++r) one_search(3 + static_cast<std::size_t>(r % 5), q.search, &q.search_count);
  for (int r = 0; r < std::max(2, reps / 5); ++r) one_search(7, q.search_rare);
  for (int r = 0; r < std::max(2, reps / 5); ++r) one_search(3, q.search_dense);
  Stats st;
  for (int r = 0; r < reps; ++r) {
    const auto t = Clock::now();
    st = logs.stats({});
    q.stats.add(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
  }
  // 30 days ending 10 days before the end of the history, both ends at 13:17:05.5 UTC.
  CallFilter range;
  range.to = TimePoint(std::chrono::milliseconds(kEndMs - 10LL * 86400000 - 37375500));
  range.from = *range.to - std::chrono::hours(24 * 30);
  range.status = CallStatus::completed;
  Stats st_range;
  for (int r = 0; r < reps; ++r) {
    const auto t = Clock::now();
    st_range = logs.stats(range);
    q.stats_range.add(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
  }
  std::vector<Call> newest;
  for (int r = 0; r < reps; ++r) {
    const auto t = Clock::now();
    newest = logs.list({}, Page{50, 0});
    q.newest.add(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
  }

  report.check(tag + ": search results match (status, fragment, newest first)", bad_search == 0, bad_detail);
  report.check(tag + ": every search found its number", empty_search == 0, std::to_string(empty_search) + " empty");
  std::int64_t by_status = 0;
  for (const auto& [k, v] : st.by_status) by_status += v;
  report.check(tag + ": stats count every call", st.total_calls == static_cast<std::int64_t>(total) &&
                                                     by_status == static_cast<std::int64_t>(total),
               std::to_string(st.total_calls) + " of " + std::to_string(total));
  const Call last = history_call(total - 1, total);
  report.check(tag + ": newest page starts with the newest call",
               newest.size() == 50 && newest.front().call_id == last.call_id &&
                   std::is_sorted(newest.begin(), newest.end(),
                                  [](const Call& a, const Call& b) { return a.created_at > b.created_at; }),
               newest.empty() ? "empty" : newest.front().call_id);
  if (search_target > 0) report.target(tag + ": search p95 (3-7 digits + status)", q.search.pct(95), search_target, true, "ms");
  else report.figure(tag + ": search p95 (3-7 digits + status)", q.search.pct(95), "ms");
  report.figure(tag + ": search p50", q.search.pct(50), "ms");
  report.figure(tag + ": search p95, 7-digit fragments (few matches)", q.search_rare.pct(95), "ms");
  report.figure(tag + ": search p95, 3-digit fragments (many matches)", q.search_dense.pct(95), "ms");
  report.figure(tag + ": search count p95 (3-7 digits + status)", q.search_count.pct(95), "ms");
  report.figure(tag + ": search count p50", q.search_count.pct(50), "ms");
  if (stats_target > 0) report.target(tag + ": stats p95", q.stats.pct(95), stats_target, true, "ms");
  else report.figure(tag + ": stats p95", q.stats.pct(95), "ms");
  report.figure(tag + ": stats p50", q.stats.pct(50), "ms");
  report.figure(tag + ": stats p95, 30 days + status, ends not at midnight", q.stats_range.pct(95), "ms");
  report.check(tag + ": 30-day stats count about 30/365 of the completed calls",
               st_range.total_calls > 0 && st_range.total_calls == st_range.completed_calls &&
                   st_range.total_calls < st.completed_calls / 10,
               std::to_string(st_range.total_calls));
  report.figure(tag + ": newest page p95", q.newest.pct(95), "ms");
  report.figure(tag + ": newest page p50", q.newest.pct(50), "ms");
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse_args(argc, argv, "bench_logs: call-log search and stats at scale (SQLite, MongoDB/FerretDB)");
  Report report("log_search", args);
  log::set_level(log::Level::warn);
  const auto sqlite_calls = static_cast<std::uint64_t>(args.size("sqlite-calls", 1000000, 3000));
  const auto mongo_calls = static_cast<std::uint64_t>(args.size("mongo-calls", 100000, 500));
  const int reps = static_cast<int>(args.size("reps", 60, 5));
  const std::string backends = args.text("backends", "sqlite,mongodb", "sqlite,mongodb");
  const std::string db_dir = args.text("db-dir", "", "");
  const auto mongo_threads = static_cast<unsigned>(args.size("mongo-load-threads", 8, 4));
  // FerretDB answers these queries by scanning (about 0.25 ms per stored call
  // here), so the MongoDB runs are fewer.
  const int mongo_reps = static_cast<int>(args.size("mongo-reps", 5, 3));

  if (backends.find("sqlite") != std::string::npos) {
    std::optional<TempDir> tmp;
    std::string dir = db_dir;
    if (dir.empty()) {
      tmp.emplace("callwire-bench-logs");
      dir = tmp->path();
    }
    std::filesystem::create_directories(dir);
    const std::string path = dir + "/logs-" + std::to_string(sqlite_calls) + ".db";
    bool reuse = false;
    if (std::filesystem::exists(path)) {
      std::int64_t version = 0;
      {
        sqlite3* db = nullptr;
        if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
          sqlite3_stmt* st = nullptr;
          if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
            version = sqlite3_column_int64(st, 0);
          }
          sqlite3_finalize(st);
        }
        sqlite3_close(db);
      }
      try {
        const auto t_open = Clock::now();
        Storage s = Storage::open("sqlite://" + path);
        const double open_secs = seconds_since(t_open);
        if (version < store_detail::sqlite::kSchemaVersion) {
          report.figure("sqlite: migration of the kept file from schema version " + std::to_string(version) + " (first open)",
                        open_secs, "s");
        }
        reuse = LogStore(s).count({}) == static_cast<std::int64_t>(sqlite_calls);
      } catch (const std::exception&) {
      }
      if (!reuse) {
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
      }
    }
    if (!reuse) {
      // The first calls through the public API (one autocommit INSERT each),
      // the rest in bulk.
      const std::uint64_t api_calls = std::min<std::uint64_t>(sqlite_calls, args.smoke ? 500 : 20000);
      std::cout << "   loading " << sqlite_calls << " calls into SQLite (" << api_calls
                << " through LogStore::insert, the rest in bulk)" << std::endl;
      {
        Storage loader = Storage::open("sqlite://" + path + "?synchronous=normal");
        const double secs = load(loader, 0, api_calls, sqlite_calls, 1);
        report.figure("sqlite: LogStore::insert rate (one thread, autocommit, synchronous=normal)",
                      static_cast<double>(api_calls) / secs, "calls/s");
      }
      const double secs = bulk_load_sqlite(path, api_calls, sqlite_calls, sqlite_calls);
      report.figure("sqlite: bulk load rate (one transaction per 50,000 rows)",
                    static_cast<double>(sqlite_calls - api_calls) / secs, "calls/s");
    } else {
      report.note("sqlite: reused the loaded database " + path);
    }
    Storage storage = Storage::open("sqlite://" + path);
    {
      sqlite3* db = nullptr;  // the WAL back into the file before its size is taken
      if (sqlite3_open(path.c_str(), &db) == SQLITE_OK) sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
      sqlite3_close(db);
    }
    report.figure("sqlite: database size", static_cast<double>(std::filesystem::file_size(path)) / 1048576.0, "MiB");
    run_queries(report, "sqlite " + std::to_string(sqlite_calls), storage, sqlite_calls, reps, 3, 50, 100);

    const auto trigger_calls = static_cast<std::uint64_t>(args.size("trigger-calls", 20000, 300));
    if (trigger_calls > 0) {
      // Alternated twice, the lower CPU time of each kept.
      WriteCost plain{1e9, 1e9};
      WriteCost trig{1e9, 1e9};
      for (int round = 0; round < 2; ++round) {
        const WriteCost p = write_cost(dir, trigger_calls, false);
        const WriteCost t = write_cost(dir, trigger_calls, true);
        plain = {std::min(plain.insert_us, p.insert_us), std::min(plain.update_us, p.update_us)};
        trig = {std::min(trig.insert_us, t.insert_us), std::min(trig.update_us, t.update_us)};
      }
      report.figure("sqlite: LogStore::insert CPU without the schema-2 triggers (autocommit, synchronous=normal)",
                    plain.insert_us, "us");
      report.figure("sqlite: LogStore::insert CPU with the triggers", trig.insert_us, "us");
      report.figure("sqlite: LogStore::update (status, duration) CPU without the triggers", plain.update_us, "us");
      report.figure("sqlite: LogStore::update (status, duration) CPU with the triggers", trig.update_us, "us");
    }
  }

  if (backends.find("mongodb") != std::string::npos) {
    try {
      test::FerretDb db;
      db.start();
      Storage storage = Storage::open(db.url("bench_logs", "serverSelectionTimeoutMS=5000"));
      std::cout << "   loading " << mongo_calls << " calls into FerretDB (LogStore::insert, " << mongo_threads
                << " threads)" << std::endl;
      const double secs = load(storage, 0, mongo_calls, mongo_calls, mongo_threads);
      report.figure("mongodb: load rate (LogStore::insert, " + std::to_string(mongo_threads) + " threads)",
                    static_cast<double>(mongo_calls) / secs, "calls/s");
      run_queries(report, "mongodb (FerretDB) " + std::to_string(mongo_calls), storage, mongo_calls, mongo_reps, 1, 0, 0);
    } catch (const std::exception& e) {
      report.check("mongodb: FerretDB runs", false, e.what());
    }
  }
  return report.finish();
}
