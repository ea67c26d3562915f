// Internal: the storage backend interface. A backend is a small document
// store over fixed tables (TableDef): rows are vectors of FieldValue aligned
// with the table's columns. ContactStore & co. implement their logic once on
// top of it; SqliteBackend and MongoBackend translate it to SQL / BSON.
//
// Every method is blocking and thread-safe. Errors are callwire::Error
// (see callwire/storage.hpp for the codes).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "callwire/storage.hpp"
#include "callwire/types.hpp"

namespace callwire::store_detail {

/// A stored value: NULL / absent, text, integer or boolean. Times are text
/// (ISO-8601 UTC, json::format_time), enums their REST spelling.
using FieldValue = std::variant<std::monostate, std::string, std::int64_t, bool>;

enum class ColumnType { text, integer, boolean };

struct Column {
  const char* name;
  ColumnType type;
  bool nullable;
};

struct IndexDef {
  const char* name;
  std::vector<std::pair<const char*, bool>> keys;  ///< column, descending
  bool unique = false;
};

/// One table / collection. Column 0 is always "id" (`_id` in MongoDB).
struct TableDef {
  const char* name;
  std::vector<Column> columns;
  std::vector<IndexDef> indexes;  ///< besides the primary key

  /// Index of the column, or throws errc::internal (names come from code only).
  std::size_t column(std::string_view name) const;
};

/// A row aligned with TableDef::columns.
using Row = std::vector<FieldValue>;
/// Column assignments for updates.
using Assignments = std::vector<std::pair<std::string, FieldValue>>;

/// One condition on a column.
struct Cond {
  enum class Op {
    eq,           ///< column = value (monostate: IS NULL / missing)
    ne,           ///< column != value
    gte,          ///< column >= value
    lt,           ///< column < value
    contains,     ///< text column contains value literally
    contains_ci,  ///< the same, ASCII case-insensitive
    not_null,     ///< column is set
  };
  std::string column;
  Op op;
  FieldValue value;
};

/// All of `all` and, when `any` is not empty, at least one of `any`.
struct Filter {
  std::vector<Cond> all;
  std::vector<Cond> any;
};

struct SortKey {
  std::string column;
  bool descending = false;
};

struct FindOptions {
  std::vector<SortKey> sort;
  std::size_t limit = 0;  ///< 0: no limit
  std::size_t offset = 0;
  std::vector<std::string> columns;  ///< projection; empty: every column
};

/// A grouping key for group(): a column's value, its first `prefix` characters
/// (prefix > 0), or whether it is set (is_set).
struct GroupKey {
  std::string column;
  std::size_t prefix = 0;
  bool is_set = false;
};

struct GroupRow {
  std::vector<FieldValue> keys;  ///< text, or bool for is_set keys
  std::int64_t count = 0;
  std::int64_t sum = 0;  ///< sum of the sum column (0 when none)
};

using RowSink = std::function<void(const Row&)>;

/// What a call-log search looks for (LogStore's CallFilter::search): `name`
/// in contact_name (ASCII case-insensitive) or, when not empty, `number` in
/// to_number / from_number (literally). The Filter passed with it already
/// holds these conditions in `any`; this only says what they look for.
struct CallSearch {
  std::string name;
  std::string number;
};

class Backend {
 public:
  virtual ~Backend() = default;

  virtual std::string_view kind() const noexcept = 0;
  virtual std::string location() const = 0;
  virtual void ping() = 0;
  /// Creates what is missing; returns the resulting schema.
  virtual StorageInfo init() = 0;
  virtual StorageInfo info() = 0;

  /// Inserts a row. errc::conflict when the id or a unique column exists.
  virtual void insert(const TableDef& t, const Row& row) = 0;
  /// Inserts unless the id exists; true when inserted. Atomic.
  virtual bool insert_new(const TableDef& t, const Row& row) = 0;
  /// Sets columns of the row with this id when `where` also holds. True when
  /// a row matched. errc::conflict on a unique violation.
  virtual bool update(const TableDef& t, std::string_view id, const Assignments& set, const Filter& where) = 0;
  /// Sets columns of the row with this id, creating it when absent.
  virtual void upsert(const TableDef& t, std::string_view id, const Assignments& set) = 0;
  /// Deletes the row with this id when `where` also holds; true when deleted.
  virtual bool remove(const TableDef& t, std::string_view id, const Filter& where) = 0;
  /// Streams matching rows to the sink, in order, one at a time.
  virtual void find(const TableDef& t, const Filter& where, const FindOptions& opts, const RowSink& sink) = 0;
  virtual std::int64_t count(const TableDef& t, const Filter& where) = 0;
  /// Counts (and sums sum_column, if not empty) per distinct key tuple.
  /// Default: streams the rows through find() and groups in memory.
  virtual std::vector<GroupRow> group(const TableDef& t, const Filter& where, const std::vector<GroupKey>& keys,
                                      const std::string& sum_column);

  /// Runs fn as one unit of work. SQLite: one BEGIN IMMEDIATE … COMMIT on one
  /// pooled connection — every backend call fn makes on this thread (through
  /// any store on this backend) runs on that connection, sees the earlier
  /// ones, and all of them commit together or not at all (an exception from
  /// fn or a failed COMMIT rolls back and propagates). A nested call joins
  /// the outer transaction. Default (MongoDB): runs fn, whose operations
  /// commit one by one exactly as outside a transaction (no rollback);
  /// atomic_transactions() tells which.
  virtual void transaction(const std::function<void()>& fn);
  virtual bool atomic_transactions() const noexcept { return false; }

  // ---- optional capabilities (the SQLite backend's call-log counters and
  // search index). The defaults report "not supported"; LogStore then uses
  // find / count / group, which give the same results.

  /// call_logs grouped by (status, UTC day of created_at, answered_at set),
  /// with the count and summed duration, over the whole days first_day <= day
  /// < end_day ("YYYY-MM-DD"; empty: unbounded) and, when set, one status —
  /// the groups group() returns for keys {status}, {created_at, 10},
  /// {answered_at, is_set} and sum column duration. nullopt: not supported.
  virtual std::optional<std::vector<GroupRow>> call_log_day_totals(const std::string& first_day,
                                                                   const std::string& end_day,
                                                                   const std::optional<std::string>& status) {
    (void)first_day;
    (void)end_day;
    (void)status;
    return std::nullopt;
  }
  /// find() over call_logs where `where` holds the conditions of `search`.
  /// False: not handled (the caller runs find()).
  virtual bool find_call_logs(const Filter& where, const CallSearch& search, const FindOptions& opts,
                              const RowSink& sink) {
    (void)where;
    (void)search;
    (void)opts;
    (void)sink;
    return false;
  }
  /// count() over call_logs, the same way. nullopt: not handled.
  virtual std::optional<std::int64_t> count_call_logs(const Filter& where, const CallSearch& search) {
    (void)where;
    (void)search;
    return std::nullopt;
  }

  /// The first matching row.
  std::optional<Row> find_one(const TableDef& t, const Filter& where, const FindOptions& opts = {});
  std::optional<Row> get(const TableDef& t, std::string_view id);

  TimePoint now() const { return clock_ ? clock_() : std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()); }
  void set_clock(std::function<TimePoint()> c) { clock_ = std::move(c); }

 private:
  std::function<TimePoint()> clock_;
};

/// Schema version this build reads and writes (both backends).
inline constexpr int kSchemaVersion = 1;

}  // namespace callwire::store_detail
