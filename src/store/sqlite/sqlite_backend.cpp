// The embedded SQLite backend: SQL generated from the TableDefs with every
// value bound as a parameter.
#include "store/sqlite/sqlite_backend.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <mutex>

#include "callwire/error.hpp"
#include "store/errors.hpp"
#include "store/schema.hpp"
#include "store/sqlite/migrations.hpp"

namespace callwire::store_detail {

using sqlite::Connection;
using sqlite::Statement;

namespace {

// The sentence says what is wrong with the URL; the URL itself (a path) goes
// to the detail only.
[[noreturn]] void bad_url(std::string_view url, const std::string& why) {
  throw Error(errc::invalid_argument, "The storage URL is not valid: " + why + ".",
              "storage URL '" + std::string(url) + "': " + why);
}

std::string percent_decode(std::string_view s, std::string_view url) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      int v = 0;
      if (i + 2 >= s.size()) bad_url(url, "truncated %-escape");
      auto [p, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
      if (ec != std::errc() || p != s.data() + i + 3) bad_url(url, "bad %-escape");
      out.push_back(static_cast<char>(v));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string lower(std::string s) {
  for (auto& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// ---- SQL generation -------------------------------------------------------

const char* column_name(const TableDef& t, std::string_view name) { return t.columns[t.column(name)].name; }

/// Appends " WHERE …" for the filter (plus leading conditions already in
/// `conds`), binding values into `params`.
void where_sql(const TableDef& t, const Filter& f, std::vector<std::string> conds, std::string& sql,
               std::vector<FieldValue>& params) {
  auto one = [&](const Cond& c) -> std::string {
    const std::string col = column_name(t, c.column);
    auto param = [&]() {
      params.push_back(c.value);
      return "?" + std::to_string(params.size());
    };
    const bool null = std::holds_alternative<std::monostate>(c.value);
    switch (c.op) {
      case Cond::Op::eq:
        return null ? col + " IS NULL" : col + " = " + param();
      case Cond::Op::ne:
        return null ? col + " IS NOT NULL" : "(" + col + " IS NULL OR " + col + " != " + param() + ")";
      case Cond::Op::gte:
        return col + " >= " + param();
      case Cond::Op::lt:
        return col + " < " + param();
      case Cond::Op::contains:
        return "instr(" + col + ", " + param() + ") > 0";
      case Cond::Op::contains_ci:
        // lower() folds ASCII letters only — the same rule the MongoDB
        // backend's patterns follow.
        return "instr(lower(" + col + "), lower(" + param() + ")) > 0";
      case Cond::Op::not_null:
        return col + " IS NOT NULL";
    }
    return "1";
  };
  for (const auto& c : f.all) conds.push_back(one(c));
  if (!f.any.empty()) {
    std::string any = "(";
    for (std::size_t i = 0; i < f.any.size(); ++i) {
      if (i > 0) any += " OR ";
      any += one(f.any[i]);
    }
    conds.push_back(any + ")");
  }
  if (conds.empty()) return;
  sql += " WHERE ";
  for (std::size_t i = 0; i < conds.size(); ++i) {
    if (i > 0) sql += " AND ";
    sql += conds[i];
  }
}

std::string column_list(const TableDef& t) {
  std::string s;
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    if (i > 0) s += ", ";
    s += t.columns[i].name;
  }
  return s;
}

/// The SQL that depends on nothing but the table, made once per table and
/// kept: the webhook path runs these statements several times per webhook,
/// and building their text (tens of small strings) cost more than finding
/// the prepared statement it names. TableDefs are static, so their
/// addresses are the keys.
enum class TableSql { insert, insert_new, select_all };

const std::string& table_sql(const TableDef& t, TableSql which) {
  static std::mutex mu;
  static std::map<std::pair<const TableDef*, TableSql>, std::string> made;
  std::lock_guard lock(mu);
  auto [it, fresh] = made.try_emplace({&t, which});
  if (!fresh) return it->second;
  std::string& sql = it->second;
  if (which == TableSql::select_all) {
    sql = "SELECT ";
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      if (i > 0) sql += ", ";
      sql.append(t.name).append(".").append(t.columns[i].name);
    }
    return sql;
  }
  sql.append("INSERT INTO ").append(t.name).append(" (").append(column_list(t)).append(") VALUES (");
  for (std::size_t i = 0; i < t.columns.size(); ++i) sql.append(i > 0 ? ", ?" : "?").append(std::to_string(i + 1));
  sql += ")";
  if (which == TableSql::insert_new) sql += " ON CONFLICT (id) DO NOTHING";
  return sql;
}

std::string id_param(std::vector<FieldValue>& params, std::string_view id) {
  params.emplace_back(std::string(id));
  return "id = ?" + std::to_string(params.size());
}

/// "SELECT <columns> FROM <from> WHERE … ORDER BY … LIMIT … OFFSET …": the
/// statement find() runs. `params` may already hold values that `conds` use.
std::string select_sql(const TableDef& t, const std::vector<std::size_t>& cols, const std::string& from, const Filter& where,
                       const FindOptions& opts, std::vector<std::string> conds, std::vector<FieldValue>& params) {
  std::string sql;
  sql.reserve(1024);
  bool all = cols.size() == t.columns.size();
  for (std::size_t i = 0; all && i < cols.size(); ++i) all = cols[i] == i;
  if (all) {
    sql = table_sql(t, TableSql::select_all);
  } else {
    sql = "SELECT ";
    for (std::size_t i = 0; i < cols.size(); ++i) {
      if (i > 0) sql += ", ";
      sql.append(t.name).append(".").append(t.columns[cols[i]].name);
    }
  }
  sql.append(" FROM ").append(from);
  where_sql(t, where, std::move(conds), sql, params);
  for (std::size_t i = 0; i < opts.sort.size(); ++i) {
    sql.append(i == 0 ? " ORDER BY " : ", ")
        .append(column_name(t, opts.sort[i].column))
        .append(opts.sort[i].descending ? " DESC" : " ASC");
  }
  if (opts.limit > 0 || opts.offset > 0) {
    params.emplace_back(opts.limit > 0 ? static_cast<std::int64_t>(opts.limit) : std::int64_t{-1});
    sql.append(" LIMIT ?").append(std::to_string(params.size()));
    params.emplace_back(static_cast<std::int64_t>(opts.offset));
    sql.append(" OFFSET ?").append(std::to_string(params.size()));
  }
  return sql;
}

std::vector<std::size_t> projection(const TableDef& t, const FindOptions& opts) {
  std::vector<std::size_t> cols;
  if (opts.columns.empty()) {
    for (std::size_t i = 0; i < t.columns.size(); ++i) cols.push_back(i);
  } else {
    for (const auto& name : opts.columns) cols.push_back(t.column(name));
  }
  return cols;
}

void stream_rows(Statement& st, const TableDef& t, const std::vector<std::size_t>& cols, const RowSink& sink) {
  Row row(t.columns.size());
  while (st.step()) {
    for (std::size_t i = 0; i < cols.size(); ++i) row[cols[i]] = st.value(static_cast<int>(i), t.columns[cols[i]].type);
    sink(row);
  }
}

// ---- call-log search through call_logs_search (schema version 2) -----------

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

/// An FTS5 expression for the rows whose `columns` contain every trigram
/// (3 code points) of `text`: the index has no positions (detail=column), so
/// it finds candidates that the caller's own conditions then check. Each
/// trigram is an FTS5 string (double quotes doubled): user text never becomes
/// FTS5 syntax.
std::string trigram_query(std::string_view columns, std::string_view text) {
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  starts.push_back(text.size());
  std::vector<std::string> seen;
  std::string q = "{" + std::string(columns) + "} : (";
  for (std::size_t k = 0; k + 3 < starts.size(); ++k) {
    const std::string_view gram = text.substr(starts[k], starts[k + 3] - starts[k]);
    if (std::find(seen.begin(), seen.end(), gram) != seen.end()) continue;
    seen.emplace_back(gram);
    if (seen.size() > 1) q += " AND ";
    q += '"';
    for (const char c : gram) {
      if (c == '"') q += '"';
      q += c;
    }
    q += '"';
  }
  return q + ")";
}

/// The FTS5 expression of a search, or nullopt when a fragment is shorter
/// than a trigram (the index cannot answer it).
std::optional<std::string> search_match(const CallSearch& s) {
  if (code_points(s.name) < 3) return std::nullopt;
  if (!s.number.empty() && code_points(s.number) < 3) return std::nullopt;
  std::string q = trigram_query("contact_name", s.name);
  if (!s.number.empty()) q += " OR " + trigram_query("to_number from_number", s.number);
  return q;
}

/// The FROM clause that reads call_logs through the search index's
/// candidates (?1 is the FTS5 expression). CROSS JOIN keeps the candidates
/// the outer loop: each is one rowid lookup.
constexpr const char* kSearchFrom =
    "(SELECT rowid AS search_rowid FROM call_logs_search WHERE call_logs_search MATCH ?1) AS search CROSS JOIN "
    "call_logs ON call_logs.rowid = search.search_rowid";

/// Reading one candidate row by rowid costs about this many times one step of
/// the newest-first scan (measured on the benchmark file: ~10 µs vs ~3 µs).
constexpr double kFetchVsScanStep = 3.3;

}  // namespace

sqlite::Config parse_sqlite_url(std::string_view url, const StorageOptions& options) {
  sqlite::Config cfg;
  cfg.busy_timeout_ms = static_cast<int>(options.timeout.count());
  cfg.max_idle = options.max_connections == 0 ? 1 : options.max_connections;
  std::string_view rest = url;
  if (rest.substr(0, 7) != "sqlite:") {
    // A plain path is taken literally: no options, no %-escapes.
    cfg.path = std::string(url);
    return cfg;
  }
  rest.remove_prefix(7);
  if (rest.substr(0, 2) == "//") rest.remove_prefix(2);  // sqlite:///abs → /abs, sqlite://rel → rel
  std::string_view query;
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  cfg.path = percent_decode(rest, url);
  if (cfg.path.empty()) bad_url(url, "no database file path (use sqlite:///absolute/path.db)");
  if (cfg.path == ":memory:") bad_url(url, "in-memory databases are not supported; use a file");
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view kv = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (kv.empty()) continue;
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) bad_url(url, "option '" + std::string(kv) + "' has no value");
    const std::string key = lower(std::string(kv.substr(0, eq)));
    const std::string val = percent_decode(kv.substr(eq + 1), url);
    if (key == "busy_timeout" || key == "busy_timeout_ms") {
      int ms = -1;
      auto [p, ec] = std::from_chars(val.data(), val.data() + val.size(), ms);
      if (ec != std::errc() || p != val.data() + val.size() || ms < 0 || ms > 3'600'000)
        bad_url(url, "busy_timeout must be milliseconds between 0 and 3600000");
      cfg.busy_timeout_ms = ms;
    } else if (key == "synchronous") {
      const std::string v = lower(val);
      if (v != "full" && v != "normal" && v != "extra") bad_url(url, "synchronous must be full, normal or extra");
      cfg.synchronous = v == "full" ? "FULL" : v == "normal" ? "NORMAL" : "EXTRA";
    } else if (key == "checkpoint") {
      const std::string v = lower(val);
      if (v != "background" && v != "inline") bad_url(url, "checkpoint must be background or inline");
      cfg.background_checkpoint = v == "background";
    } else if (key == "mode") {
      if (val == "ro") cfg.read_only = true;
      else if (val == "rw" || val == "rwc") cfg.read_only = false;
      else bad_url(url, "mode must be rw or ro");
    } else {
      bad_url(url, "unknown option '" + key + "' (known: busy_timeout, synchronous, checkpoint, mode)");
    }
  }
  return cfg;
}

SqliteBackend::SqliteBackend(sqlite::Config cfg) : pool_(std::move(cfg)) {
  auto first = pool_.open();
  if (!pool_.config().read_only) {
    Statement st(*first, "PRAGMA journal_mode=WAL", "switch to WAL mode");
    st.step();
  }
  migrate(*first);
  pool_.adopt(std::move(first));
}

void SqliteBackend::migrate(Connection& c) {
  const auto read_int = [&](const char* sql, const char* what) {
    Statement st(c, sql, what);
    return st.step() ? st.int64(0) : 0;
  };
  const auto check = [&](std::int64_t app, std::int64_t version) {
    if (app != 0 && app != sqlite::kApplicationId) {
      throw Error(errc::storage, "The database file is not a callwire database.",
                  "sqlite: " + c.config().path + " is not a callwire database (application_id " + std::to_string(app) + ")");
    }
    if (version > sqlite::kSchemaVersion) {
      throw Error(errc::storage, sentence::kNewerSchema,
                  "sqlite: " + c.config().path + " has schema version " + std::to_string(version) +
                      ", newer than this callwire understands (" + std::to_string(sqlite::kSchemaVersion) +
                      "); use a newer callwire or another file");
    }
  };
  std::int64_t version = read_int("PRAGMA user_version", "read the schema version");
  std::int64_t app = read_int("PRAGMA application_id", "read the application id");
  check(app, version);
  if (version == sqlite::kSchemaVersion && app == sqlite::kApplicationId) return;
  if (c.config().read_only) {
    throw Error(errc::storage, "The database needs an upgrade, which a read-only open cannot make.",
                "sqlite: " + c.config().path + " has schema version " + std::to_string(version) + " and needs migrating to " +
                    std::to_string(sqlite::kSchemaVersion) + ", which a read-only open (mode=ro) cannot do");
  }
  c.exec("BEGIN IMMEDIATE", "begin the migration");
  try {
    // Read again under the write lock: another process may have migrated.
    version = read_int("PRAGMA user_version", "read the schema version");
    app = read_int("PRAGMA application_id", "read the application id");
    check(app, version);
    // Ascending by version whatever the list's order, so that two changes'
    // entries merged out of order still apply in order.
    std::vector<sqlite::Migration> steps = sqlite::migrations();
    std::stable_sort(steps.begin(), steps.end(),
                     [](const sqlite::Migration& a, const sqlite::Migration& b) { return a.version < b.version; });
    for (const auto& m : steps) {
      if (m.version <= version) continue;
      c.exec(m.sql, "migrate to schema version " + std::to_string(m.version));
      c.exec(("PRAGMA user_version=" + std::to_string(m.version)).c_str(), "set the schema version");
    }
    c.exec(("PRAGMA application_id=" + std::to_string(sqlite::kApplicationId)).c_str(), "set the application id");
    c.exec("COMMIT", "commit the migration");
  } catch (...) {
    sqlite3_exec(c.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

void SqliteBackend::ping() {
  auto c = pool_.acquire();
  Statement st(*c, "SELECT count(*) FROM sqlite_master", "ping");
  st.step();
}

StorageInfo SqliteBackend::init() {
  // Opening created and migrated everything; a file can only lose tables by
  // hand, which is not repaired silently.
  return info();
}

StorageInfo SqliteBackend::info() {
  StorageInfo out;
  out.backend = "sqlite";
  out.location = location();
  auto c = pool_.acquire();
  {
    Statement st(*c, "PRAGMA user_version", "read the schema version");
    out.schema_version = st.step() ? static_cast<int>(st.int64(0)) : 0;
  }
  for (const auto* t : all_tables()) {
    StorageTableInfo ti;
    ti.name = t->name;
    Statement st(*c, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL ORDER BY name",
                 "list indexes");
    st.bind(1, std::string(t->name));
    while (st.step()) ti.indexes.push_back(st.text(0));
    Statement exists(*c, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", "list tables");
    exists.bind(1, std::string(t->name));
    if (exists.step()) out.tables.push_back(std::move(ti));
  }
  return out;
}

void SqliteBackend::insert(const TableDef& t, const Row& row) {
  auto c = pool_.acquire();
  Statement st(*c, table_sql(t, TableSql::insert), std::string("insert into ") + t.name);
  st.bind_all(row);
  st.step();
}

bool SqliteBackend::insert_new(const TableDef& t, const Row& row) {
  auto c = pool_.acquire();
  Statement st(*c, table_sql(t, TableSql::insert_new), std::string("insert into ") + t.name);
  st.bind_all(row);
  st.step();
  return sqlite3_changes(c->handle()) == 1;
}

void SqliteBackend::transaction(const std::function<void()>& fn) {
  if (pool_.pinned()) {  // nested: part of the outer transaction
    fn();
    return;
  }
  auto c = pool_.acquire();
  // IMMEDIATE takes the write lock now (waiting up to busy_timeout), so no
  // statement inside can fail with SQLITE_BUSY on a lock upgrade.
  {
    Statement begin(*c, "BEGIN IMMEDIATE", "begin a transaction");
    begin.step();
  }
  try {
    {
      sqlite::Pool::Pin pin(pool_, *c);
      fn();
    }
    Statement commit(*c, "COMMIT", "commit a transaction");
    commit.step();
  } catch (...) {
    // SQLite may have rolled back already (e.g. after an I/O error).
    if (sqlite3_get_autocommit(c->handle()) == 0) sqlite3_exec(c->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

bool SqliteBackend::update(const TableDef& t, std::string_view id, const Assignments& set, const Filter& where) {
  std::vector<FieldValue> params;
  params.reserve(set.size() + 1);
  std::string sql;
  sql.reserve(256);
  sql.append("UPDATE ").append(t.name).append(" SET ");
  for (std::size_t i = 0; i < set.size(); ++i) {
    params.push_back(set[i].second);
    sql.append(i > 0 ? ", " : "").append(column_name(t, set[i].first)).append(" = ?").append(std::to_string(params.size()));
  }
  where_sql(t, where, {id_param(params, id)}, sql, params);
  auto c = pool_.acquire();
  Statement st(*c, sql, std::string("update ") + t.name);
  st.bind_all(params);
  st.step();
  return sqlite3_changes(c->handle()) > 0;
}

void SqliteBackend::upsert(const TableDef& t, std::string_view id, const Assignments& set) {
  std::vector<FieldValue> params{std::string(id)};
  std::string cols = "id";
  std::string vals = "?1";
  std::string updates;
  for (std::size_t i = 0; i < set.size(); ++i) {
    params.push_back(set[i].second);
    const std::string col = column_name(t, set[i].first);
    cols += ", " + col;
    vals += ", ?" + std::to_string(params.size());
    updates += (i > 0 ? ", " : "") + col + " = excluded." + col;
  }
  std::string sql = std::string("INSERT INTO ") + t.name + " (" + cols + ") VALUES (" + vals + ") ON CONFLICT (id) DO ";
  sql += updates.empty() ? "NOTHING" : "UPDATE SET " + updates;
  auto c = pool_.acquire();
  Statement st(*c, sql, std::string("upsert into ") + t.name);
  st.bind_all(params);
  st.step();
}

bool SqliteBackend::remove(const TableDef& t, std::string_view id, const Filter& where) {
  std::vector<FieldValue> params;
  std::string sql = std::string("DELETE FROM ") + t.name;
  where_sql(t, where, {id_param(params, id)}, sql, params);
  auto c = pool_.acquire();
  Statement st(*c, sql, std::string("delete from ") + t.name);
  st.bind_all(params);
  st.step();
  return sqlite3_changes(c->handle()) > 0;
}

void SqliteBackend::find(const TableDef& t, const Filter& where, const FindOptions& opts, const RowSink& sink) {
  const auto cols = projection(t, opts);
  std::vector<FieldValue> params;
  const std::string sql = select_sql(t, cols, t.name, where, opts, {}, params);
  auto c = pool_.acquire();
  Statement st(*c, sql, std::string("read ") + t.name);
  st.bind_all(params);
  stream_rows(st, t, cols, sink);
}

bool SqliteBackend::find_call_logs(const Filter& where, const CallSearch& search, const FindOptions& opts,
                                   const RowSink& sink) {
  const auto match = search_match(search);
  if (!match) return false;
  const TableDef& t = calls_table();
  auto c = pool_.acquire();
  if (opts.limit > 0) {
    // The plan. Through the index, every candidate row is read and the page
    // sorted: cost ~ candidates × fetch. The newest-first scan stops after
    // offset + limit matches: cost ~ (offset + limit) × rows / matches scan
    // steps. Equal at candidates = sqrt((offset + limit) × rows / fetch); ask
    // the index for one candidate more than that and scan when it has them.
    std::int64_t rows = 0;
    {
      // max(rowid): the row count of a table that is appended to, in O(log n).
      Statement st(*c, "SELECT max(rowid) FROM call_logs", "estimate call_logs size");
      if (st.step()) rows = st.int64(0);
    }
    const double wanted = static_cast<double>(opts.limit + opts.offset);
    const auto cap = static_cast<std::int64_t>(
        std::clamp(std::sqrt(wanted * static_cast<double>(rows) / kFetchVsScanStep), 256.0, 1e6));
    Statement probe(*c,
                    "SELECT count(*) FROM (SELECT rowid FROM call_logs_search WHERE call_logs_search MATCH ?1 LIMIT ?2)",
                    "search call_logs");
    probe.bind_all({*match, cap + 1});
    if (probe.step() && probe.int64(0) > cap) return false;
  }
  const auto cols = projection(t, opts);
  std::vector<FieldValue> params{*match};
  const std::string sql = select_sql(t, cols, kSearchFrom, where, opts, {}, params);
  Statement st(*c, sql, "search call_logs");
  st.bind_all(params);
  stream_rows(st, t, cols, sink);
  return true;
}

std::optional<std::int64_t> SqliteBackend::count_call_logs(const Filter& where, const CallSearch& search) {
  const auto match = search_match(search);
  if (!match) return std::nullopt;
  // Every matching row is a candidate, so counting the candidates that match
  // reads at most the rows a count over call_logs would.
  std::vector<FieldValue> params{*match};
  std::string sql = std::string("SELECT count(*) FROM ") + kSearchFrom;
  where_sql(calls_table(), where, {}, sql, params);
  auto c = pool_.acquire();
  Statement st(*c, sql, "count call_logs");
  st.bind_all(params);
  return st.step() ? st.int64(0) : 0;
}

std::optional<std::vector<GroupRow>> SqliteBackend::call_log_day_totals(const std::string& first_day,
                                                                        const std::string& end_day,
                                                                        const std::optional<std::string>& status) {
  std::string sql = "SELECT status, day, answered, calls, duration FROM call_log_totals WHERE calls <> 0";
  std::vector<FieldValue> params;
  if (!first_day.empty()) {
    params.emplace_back(first_day);
    sql += " AND day >= ?" + std::to_string(params.size());
  }
  if (!end_day.empty()) {
    params.emplace_back(end_day);
    sql += " AND day < ?" + std::to_string(params.size());
  }
  if (status) {
    params.emplace_back(*status);
    sql += " AND status = ?" + std::to_string(params.size());
  }
  auto c = pool_.acquire();
  Statement st(*c, sql, "read call_log_totals");
  st.bind_all(params);
  std::vector<GroupRow> out;
  while (st.step()) {
    GroupRow g;
    g.keys.push_back(st.value(0, ColumnType::text));
    g.keys.push_back(st.value(1, ColumnType::text));
    g.keys.emplace_back(st.int64(2) != 0);
    g.count = st.int64(3);
    g.sum = st.int64(4);
    out.push_back(std::move(g));
  }
  return out;
}

std::int64_t SqliteBackend::count(const TableDef& t, const Filter& where) {
  std::string sql = std::string("SELECT count(*) FROM ") + t.name;
  std::vector<FieldValue> params;
  where_sql(t, where, {}, sql, params);
  auto c = pool_.acquire();
  Statement st(*c, sql, std::string("count ") + t.name);
  st.bind_all(params);
  return st.step() ? st.int64(0) : 0;
}

std::vector<GroupRow> SqliteBackend::group(const TableDef& t, const Filter& where, const std::vector<GroupKey>& keys,
                                           const std::string& sum_column) {
  std::string sql = "SELECT ";
  std::string by;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::string col = column_name(t, keys[i].column);
    std::string expr = col;
    if (keys[i].is_set) expr = "(" + col + " IS NOT NULL)";
    else if (keys[i].prefix > 0) expr = "substr(" + col + ", 1, " + std::to_string(keys[i].prefix) + ")";
    sql += expr + ", ";
    by += (i > 0 ? ", " : "") + std::to_string(i + 1);
  }
  sql += "count(*), ";
  sql += sum_column.empty() ? std::string("0") : "coalesce(sum(" + std::string(column_name(t, sum_column)) + "), 0)";
  sql += std::string(" FROM ") + t.name;
  std::vector<FieldValue> params;
  where_sql(t, where, {}, sql, params);
  if (!by.empty()) sql += " GROUP BY " + by;
  auto c = pool_.acquire();
  Statement st(*c, sql, std::string("group ") + t.name);
  st.bind_all(params);
  std::vector<GroupRow> out;
  const int n = static_cast<int>(keys.size());
  while (st.step()) {
    GroupRow g;
    for (int i = 0; i < n; ++i) {
      const auto& k = keys[static_cast<std::size_t>(i)];
      if (k.is_set) g.keys.emplace_back(st.int64(i) != 0);
      else g.keys.push_back(st.value(i, ColumnType::text));
    }
    g.count = st.int64(n);
    g.sum = st.int64(n + 1);
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace callwire::store_detail
