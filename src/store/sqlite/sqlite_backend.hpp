// Internal: the embedded SQLite backend.
//
// Holds a pool of connections to one database file (WAL mode, busy timeout,
// versioned migrations through PRAGMA user_version). Thread-safe: every call
// borrows a connection for its duration.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "store/backend.hpp"
#include "store/sqlite/connection.hpp"

namespace callwire::store_detail {

/// Parses a sqlite URL ("sqlite:///abs.db", "sqlite://rel.db", "sqlite:rel.db"
/// or a plain path) with its options. errc::invalid_argument when malformed.
sqlite::Config parse_sqlite_url(std::string_view url, const StorageOptions& options);

class SqliteBackend final : public Backend {
 public:
  /// Opens (creating when missing) and migrates. Throws callwire::Error.
  explicit SqliteBackend(sqlite::Config cfg);

  std::string_view kind() const noexcept override { return "sqlite"; }
  std::string location() const override { return pool_.config().path; }
  void ping() override;
  StorageInfo init() override;
  StorageInfo info() override;

  void insert(const TableDef& t, const Row& row) override;
  bool insert_new(const TableDef& t, const Row& row) override;
  bool update(const TableDef& t, std::string_view id, const Assignments& set, const Filter& where) override;
  void upsert(const TableDef& t, std::string_view id, const Assignments& set) override;
  bool remove(const TableDef& t, std::string_view id, const Filter& where) override;
  void find(const TableDef& t, const Filter& where, const FindOptions& opts, const RowSink& sink) override;
  std::int64_t count(const TableDef& t, const Filter& where) override;
  std::vector<GroupRow> group(const TableDef& t, const Filter& where, const std::vector<GroupKey>& keys,
                              const std::string& sum_column) override;

  // Schema version 2: call_log_totals and call_logs_search (migrations.cpp).
  std::optional<std::vector<GroupRow>> call_log_day_totals(const std::string& first_day, const std::string& end_day,
                                                           const std::optional<std::string>& status) override;
  bool find_call_logs(const Filter& where, const CallSearch& search, const FindOptions& opts,
                      const RowSink& sink) override;
  std::optional<std::int64_t> count_call_logs(const Filter& where, const CallSearch& search) override;
  void transaction(const std::function<void()>& fn) override;
  bool atomic_transactions() const noexcept override { return true; }

 private:
  void migrate(sqlite::Connection& c);
  sqlite::Pool pool_;
};

}  // namespace callwire::store_detail
