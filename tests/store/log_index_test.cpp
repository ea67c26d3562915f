// SQLite schema version 2: call-log statistics from the call_log_totals
// counters and call-log search through the call_logs_search trigram index.
// Every result is compared with a brute-force computation over the calls the
// test wrote (the documented LogStore semantics), after inserts, updates
// (through LogStore and through a second raw connection, as another process
// would write) and deletes, and on a version-1 file that opening migrates.
// The counters and the index themselves are checked too: they must exist and
// be exact, which is what fails without version 2.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "callwire/json.hpp"
#include "callwire/log_store.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/util.hpp"
#include "store_fixture.hpp"

namespace callwire::test {
namespace {

using days = std::chrono::duration<std::int64_t, std::ratio<86400>>;

/// A second, raw connection to the file.
class Raw {
 public:
  explicit Raw(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("sqlite3_open failed");
    sqlite3_busy_timeout(db_, 5000);
  }
  ~Raw() { sqlite3_close(db_); }
  Raw(const Raw&) = delete;
  Raw& operator=(const Raw&) = delete;

  void exec(const std::string& sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    const std::string msg = err != nullptr ? err : "";
    sqlite3_free(err);
    if (rc != SQLITE_OK) throw std::runtime_error(sql + ": " + msg);
  }
  /// Runs sql with text (or NULL) parameters; returns every row as text.
  std::vector<std::vector<std::string>> rows(const std::string& sql, const std::vector<std::optional<std::string>>& params = {}) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (params[i]) sqlite3_bind_text(st, static_cast<int>(i + 1), params[i]->c_str(), -1, SQLITE_TRANSIENT);
      else sqlite3_bind_null(st, static_cast<int>(i + 1));
    }
    std::vector<std::vector<std::string>> out;
    int rc = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        const auto* t = sqlite3_column_text(st, i);
        row.emplace_back(t != nullptr ? reinterpret_cast<const char*>(t) : "");
      }
      out.push_back(std::move(row));
    }
    const std::string msg = sqlite3_errmsg(db_);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) throw std::runtime_error(sql + ": " + msg);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

// ---- the model ----------------------------------------------------------------

std::string lower_ascii(std::string s) {
  for (auto& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string day_of(TimePoint t) { return json::format_time(t).substr(0, 10); }

bool matches(const Call& c, const CallFilter& f) {
  if (f.status && c.status != *f.status) return false;
  if (f.from && c.created_at < *f.from) return false;
  if (f.to && !(c.created_at < *f.to)) return false;
  const std::string q = store_detail::check_search(f.search);
  if (q.empty()) return true;
  if (c.contact_name && lower_ascii(*c.contact_name).find(lower_ascii(q)) != std::string::npos) return true;
  const std::string digits = store_detail::phone_fragment(q);
  return !digits.empty() &&
         (c.to_number.find(digits) != std::string::npos || c.from_number.find(digits) != std::string::npos);
}

std::vector<std::string> expected_ids(const std::map<std::string, Call>& calls, const CallFilter& f, Page page) {
  std::vector<const Call*> hits;
  for (const auto& [id, c] : calls) {
    if (matches(c, f)) hits.push_back(&c);
  }
  std::sort(hits.begin(), hits.end(), [](const Call* a, const Call* b) {
    return a->created_at != b->created_at ? a->created_at > b->created_at : a->call_id > b->call_id;
  });
  std::vector<std::string> out;
  for (std::size_t i = page.offset; i < hits.size() && out.size() < page.limit; ++i) out.push_back(hits[i]->call_id);
  return out;
}

std::int64_t expected_count(const std::map<std::string, Call>& calls, const CallFilter& f) {
  return std::count_if(calls.begin(), calls.end(), [&](const auto& kv) { return matches(kv.second, f); });
}

Stats expected_stats(const std::map<std::string, Call>& calls, const CallFilter& f) {
  Stats s;
  for (const char* st : {"dialing", "ringing", "active", "completed", "busy", "no_answer", "canceled", "failed"}) {
    s.by_status[st] = 0;
  }
  if (f.from && f.to && *f.from < *f.to) {
    const auto first = std::chrono::floor<days>(*f.from);
    const auto last = *f.to - std::chrono::milliseconds(1);
    if (last - first <= days(400)) {
      for (auto d = first; d <= last; d += days(1)) s.per_day[day_of(std::chrono::time_point_cast<std::chrono::milliseconds>(d))] = 0;
    }
  }
  std::int64_t completed_duration = 0;
  std::int64_t ended = 0;
  std::int64_t answered = 0;
  for (const auto& [id, c] : calls) {
    if (!matches(c, f)) continue;
    ++s.total_calls;
    ++s.by_status[std::string(to_string(c.status))];
    ++s.per_day[day_of(c.created_at)];
    s.total_duration += c.duration;
    if (c.status == CallStatus::completed) completed_duration += c.duration;
    if (is_terminal(c.status)) {
      ++ended;
      if (c.answered_at) ++answered;
    }
  }
  s.completed_calls = s.by_status["completed"];
  s.failed_calls = s.by_status["failed"] + s.by_status["busy"] + s.by_status["no_answer"] + s.by_status["canceled"];
  s.active_calls = s.by_status["dialing"] + s.by_status["ringing"] + s.by_status["active"];
  s.average_duration = s.completed_calls > 0 ? static_cast<double>(completed_duration) / static_cast<double>(s.completed_calls) : 0.0;
  s.answer_rate = ended > 0 ? static_cast<double>(answered) / static_cast<double>(ended) : 0.0;
  return s;
}

void expect_same_stats(const Stats& got, const Stats& want, const std::string& what) {
  EXPECT_EQ(got.total_calls, want.total_calls) << what;
  EXPECT_EQ(got.completed_calls, want.completed_calls) << what;
  EXPECT_EQ(got.failed_calls, want.failed_calls) << what;
  EXPECT_EQ(got.active_calls, want.active_calls) << what;
  EXPECT_EQ(got.total_duration, want.total_duration) << what;
  EXPECT_DOUBLE_EQ(got.average_duration, want.average_duration) << what;
  EXPECT_DOUBLE_EQ(got.answer_rate, want.answer_rate) << what;
  EXPECT_EQ(got.by_status, want.by_status) << what;
  EXPECT_EQ(got.per_day, want.per_day) << what;
}

// ---- the workload ---------------------------------------------------------------

constexpr std::array<CallStatus, 8> kStatuses{CallStatus::dialing,   CallStatus::ringing, CallStatus::active,
                                              CallStatus::completed, CallStatus::busy,    CallStatus::no_answer,
                                              CallStatus::canceled,  CallStatus::failed};

// Names with LIKE wildcards, backslashes, quotes, FTS5 operators, mixed case
// and non-ASCII letters.
const std::vector<std::optional<std::string>> kNames{
    std::nullopt,   std::nullopt,     std::string(),   "Ada Lovelace",      "ADA LOVELACE",   "Zoë Ñúñez",
    "ZOË ÑÚÑEZ",    "100% real",      "under_score",   "back\\slash",       "say \"hi\" now", "AND OR NOT",
    "NEAR(ab cd)",  "star* power",    "caret^top",     "col:on {x}",        "日本語の名前",   "Grace Hopper"};

/// The search fragments every check runs: dense and rare numbers, 1–2
/// characters, separators, wildcards, quotes, FTS5 syntax, case, non-ASCII.
std::vector<std::string> fragments(const std::map<std::string, Call>& calls) {
  std::vector<std::string> out{"555",  "2125",  "1415",    "(415) 2", "415-2",  "+1415", "5",      "55",     "ada",
                               "ADA",  "lOvE",  "  ada  ", "zoë",     "ZOË",    "Ñú",    "ñúñ",    "日本",   "日本語",
                               "%",    "100%",  "0%",      "_",       "r_s",    "\\",    "k\\sl",  "\"",     "\"hi\"",
                               "y \"", "AND",   "OR",      "NOT",     "NEAR",   "NEAR(", "*",      "star*",  "^",
                               "t^",   ":",     "col:",    "{x}",     "\"\"\"", "xyz9",  "a",      "zz",     "ER "};
  // Rare fragments: 7 and 4 digits of stored numbers.
  std::mt19937 rng(5);
  std::vector<const Call*> all;
  for (const auto& kv : calls) all.push_back(&kv.second);
  for (int i = 0; i < 6 && !all.empty(); ++i) {
    const std::string& n = all[rng() % all.size()]->to_number;
    out.push_back(n.substr(n.size() - 7));
    out.push_back(n.substr(n.size() - 4));
  }
  return out;
}

class LogIndex : public ::testing::Test {
 protected:
  std::string path() const { return dir_.file("calls.db"); }
  std::string url() const { return "sqlite://" + path(); }

  Call random_call(std::uint64_t i) {
    Call c;
    char id[40];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012llu", static_cast<unsigned long long>(i));
    c.call_id = id;
    // Over 12 days around 2026-01-01; one in 20 exactly at midnight UTC.
    std::int64_t ms = static_cast<std::int64_t>(rng_() % (12ULL * 86'400'000ULL)) - 3LL * 86'400'000;
    if (rng_() % 20 == 0) ms = (ms / 86'400'000) * 86'400'000;
    c.created_at = at(0) + std::chrono::milliseconds(ms);
    c.updated_at = c.created_at;
    c.status = kStatuses[rng_() % kStatuses.size()];
    if (rng_() % 2 == 0) c.answered_at = c.created_at + std::chrono::seconds(3);
    c.duration = static_cast<std::int64_t>(rng_() % 600);
    char num[16];
    const unsigned kind = static_cast<unsigned>(rng_() % 100);
    const unsigned tail = static_cast<unsigned>(rng_() % 10'000'000);
    // 40 % carry 555 (dense: more candidates than any page's plan takes
    // through the index), 15 % start +1415 (between), the rest random.
    if (kind < 40) std::snprintf(num, sizeof num, "+1212555%04u", tail % 10000);
    else if (kind < 55) std::snprintf(num, sizeof num, "+1415%07u", tail);
    else std::snprintf(num, sizeof num, "+1%03u%07u", 600 + static_cast<unsigned>(rng_() % 399), tail);
    c.to_number = num;
    static const char* froms[] = {"+13125550100", "+442079460958", "+16175550142"};
    c.from_number = froms[rng_() % 3];
    c.contact_name = kNames[rng_() % kNames.size()];
    return c;
  }

  void check_search(LogStore& logs, const std::string& when) {
    for (const auto& frag : fragments(calls_)) {
      for (const bool completed : {false, true}) {
        CallFilter f;
        f.search = frag;
        if (completed) f.status = CallStatus::completed;
        const std::string what = when + ": search '" + frag + "'" + (completed ? " + completed" : "");
        for (const Page page : {Page{5, 0}, Page{7, 3}, Page{100, 0}, Page{50, 400}}) {
          std::vector<std::string> got;
          for (const auto& c : logs.list(f, page)) got.push_back(c.call_id);
          EXPECT_EQ(got, expected_ids(calls_, f, page)) << what << " page " << page.limit << "+" << page.offset;
        }
        EXPECT_EQ(logs.count(f), expected_count(calls_, f)) << what;
      }
    }
  }

  std::vector<CallFilter> stats_filters() {
    std::vector<CallFilter> out;
    const auto mid = [](std::int64_t day) { return at(0) + days(day); };
    const auto odd = [](std::int64_t day, std::int64_t ms) { return at(0) + days(day) + std::chrono::milliseconds(ms); };
    const std::vector<std::pair<std::optional<TimePoint>, std::optional<TimePoint>>> ranges{
        {std::nullopt, std::nullopt},
        {mid(-1), mid(5)},                                   // whole days
        {mid(0), mid(1)},                                    // one whole day
        {odd(-2, 3'600'000), odd(6, 40'000'000)},            // partial days at both ends
        {odd(-2, 1), mid(4)},                                // partial start, aligned end
        {mid(1), odd(4, 86'399'999)},                        // aligned start, partial end
        {odd(2, 1000), odd(2, 50'000'000)},                  // within one day
        {odd(2, 80'000'000), odd(3, 5'000'000)},             // across one midnight
        {odd(1, 7'000'000), std::nullopt},                   // from only, partial
        {mid(3), std::nullopt},                              // from only, aligned
        {std::nullopt, odd(2, 123'456)},                     // to only, partial
        {std::nullopt, mid(2)},                              // to only, aligned
        {mid(3), mid(3)},                                    // empty
        {odd(4, 10), odd(1, 10)},                            // from after to
        {mid(-30), mid(30)},                                 // beyond the data
    };
    for (const auto& [from, to] : ranges) {
      for (const std::optional<CallStatus> st : {std::optional<CallStatus>(), std::optional<CallStatus>(CallStatus::completed),
                                                 std::optional<CallStatus>(CallStatus::no_answer)}) {
        CallFilter f;
        f.from = from;
        f.to = to;
        f.status = st;
        out.push_back(f);
      }
    }
    CallFilter searched;  // a search: stats from call_logs, as before
    searched.search = "555";
    searched.from = odd(-1, 5);
    out.push_back(searched);
    return out;
  }

  void check_stats(LogStore& logs, const std::string& when) {
    for (const auto& f : stats_filters()) {
      const std::string what = when + ": stats from " + (f.from ? json::format_time(*f.from) : "-") + " to " +
                               (f.to ? json::format_time(*f.to) : "-") + " status " +
                               (f.status ? std::string(to_string(*f.status)) : "-") + " search '" + f.search + "'";
      expect_same_stats(logs.stats(f), expected_stats(calls_, f), what);
    }
  }

  /// The counters table holds exactly the brute-force grouping, and the FTS5
  /// index agrees with call_logs.
  void check_tables(const std::string& when) {
    Raw raw(path());
    std::map<std::vector<std::string>, std::pair<std::int64_t, std::int64_t>> want;
    for (const auto& [id, c] : calls_) {
      auto& v = want[{day_of(c.created_at), std::string(to_string(c.status)), c.answered_at ? "1" : "0"}];
      v.first += 1;
      v.second += c.duration;
    }
    std::map<std::vector<std::string>, std::pair<std::int64_t, std::int64_t>> got;
    for (const auto& r : raw.rows("SELECT day, status, answered, calls, duration FROM call_log_totals")) {
      got[{r[0], r[1], r[2]}] = {std::stoll(r[3]), std::stoll(r[4])};
    }
    EXPECT_EQ(got, want) << when;
    EXPECT_NO_THROW(raw.exec("INSERT INTO call_logs_search (call_logs_search, rank) VALUES ('integrity-check', 1)")) << when;
  }

  TempDir dir_;
  std::mt19937_64 rng_{42};
  std::map<std::string, Call> calls_;  // the model
};

TEST_F(LogIndex, SearchAndStatsEqualBruteForceThroughWritesOfEveryKind) {
  auto storage = Storage::open(url());
  EXPECT_EQ(storage.info().schema_version, Storage::latest_schema_version("sqlite"));
  LogStore logs(storage);
  for (std::uint64_t i = 0; i < 1200; ++i) {
    const Call c = logs.insert(random_call(i));
    calls_[c.call_id] = c;
  }
  check_tables("after inserts");
  check_stats(logs, "after inserts");
  check_search(logs, "after inserts");

  Raw other(path());  // another writer of the file
  std::uint64_t next = 1200;
  for (int op = 0; op < 600; ++op) {
    auto it = calls_.begin();
    std::advance(it, static_cast<long>(rng_() % calls_.size()));
    Call c = it->second;
    switch (rng_() % 8) {
      case 0:
        c.status = kStatuses[rng_() % kStatuses.size()];
        logs.update(c);
        break;
      case 1:
        c.duration = static_cast<std::int64_t>(rng_() % 900);
        logs.update(c);
        break;
      case 2:
        if (c.answered_at) c.answered_at.reset();
        else c.answered_at = c.created_at + std::chrono::seconds(1);
        logs.update(c);
        break;
      case 3:  // moves to another day
        c.created_at += std::chrono::milliseconds(static_cast<std::int64_t>(rng_() % 172'800'000) - 86'400'000);
        logs.update(c);
        break;
      case 4:
        c.contact_name = kNames[rng_() % kNames.size()];
        c.to_number = random_call(next++).to_number;
        logs.update(c);
        break;
      case 5:
        other.rows("DELETE FROM call_logs WHERE id = ?1", {c.call_id});
        calls_.erase(c.call_id);
        continue;
      case 6:
        c.status = kStatuses[rng_() % kStatuses.size()];
        c.duration = static_cast<std::int64_t>(rng_() % 900);
        c.contact_name = kNames[rng_() % kNames.size()];
        other.rows("UPDATE call_logs SET status = ?1, duration = ?2, contact_name = ?3 WHERE id = ?4",
                   {std::string(to_string(c.status)), std::to_string(c.duration), c.contact_name, c.call_id});
        break;
      default:
        c = logs.insert(random_call(next++));
        break;
    }
    calls_[c.call_id] = c;
  }
  check_tables("after updates and deletes");
  check_stats(logs, "after updates and deletes");
  check_search(logs, "after updates and deletes");

  // VACUUM keeps the rowids the index refers to (call_logs has indexes).
  other.exec("VACUUM");
  check_tables("after VACUUM");
  check_search(logs, "after VACUUM");
}

TEST_F(LogIndex, VersionOneFileIsMigratedWithItsCalls) {
  {
    Raw raw(path());
    raw.exec(store_detail::sqlite::migrations().at(0).sql);
    raw.exec("PRAGMA user_version = 1; PRAGMA application_id = " + std::to_string(store_detail::sqlite::kApplicationId));
    raw.exec("BEGIN");
    for (std::uint64_t i = 0; i < 900; ++i) {
      const Call c = random_call(i);
      raw.rows("INSERT INTO call_logs (id, to_number, from_number, status, created_at, updated_at, answered_at, duration, "
               "contact_name) VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7, ?8)",
               {c.call_id, c.to_number, c.from_number, std::string(to_string(c.status)), json::format_time(c.created_at),
                c.answered_at ? std::optional<std::string>(json::format_time(*c.answered_at)) : std::nullopt,
                std::to_string(c.duration), c.contact_name});
      calls_[c.call_id] = c;
    }
    raw.exec("COMMIT");
  }
  auto storage = Storage::open(url());
  EXPECT_EQ(storage.info().schema_version, Storage::latest_schema_version("sqlite"));
  LogStore logs(storage);
  EXPECT_EQ(logs.count(), 900);
  check_tables("migrated");
  check_stats(logs, "migrated");
  check_search(logs, "migrated");
  // And it keeps them exact afterwards.
  Call c = calls_.begin()->second;
  c.status = CallStatus::failed;
  c.duration = 77;
  logs.update(c);
  calls_[c.call_id] = c;
  const Call added = logs.insert(random_call(5000));
  calls_[added.call_id] = added;
  check_tables("migrated, then written");
  check_stats(logs, "migrated, then written");
}

}  // namespace
}  // namespace callwire::test
