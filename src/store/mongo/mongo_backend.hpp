// Internal: the MongoDB backend over mongo-c-driver (libmongoc 1.x).
//
// Holds a mongoc_client_pool_t (thread-safe: every call pops a client for its
// duration) and the database name. Rows are documents whose fields carry the
// column names of store/schema.cpp, with the id as `_id`. Only query forms
// FerretDB 1.x also supports are used: equality, $ne, $gte/$lt, $and/$or,
// $regex with escaped literal text, sort/skip/limit, projections, and the
// count_documents aggregation ($match/$group/$sum).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/backend.hpp"

namespace callwire::store_detail {

class MongoBackend final : public Backend {
 public:
  /// Connects and creates what is missing (init()). Throws callwire::Error:
  /// errc::invalid_argument for a bad URL, errc::unavailable when no server
  /// answers within the server selection timeout, errc::storage otherwise.
  MongoBackend(std::string_view url, const StorageOptions& options);
  ~MongoBackend() override;

  std::string_view kind() const noexcept override { return "mongodb"; }
  std::string location() const override;
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

 private:
  std::vector<std::string> index_names(const TableDef& t);
  struct InsertResult {
    bool retried = false;                  ///< a stream error made it try twice
    std::optional<std::string> duplicate;  ///< the server's duplicate-key message
  };
  /// Inserts, retrying once after a stream error; throws other errors.
  InsertResult try_insert(const TableDef& t, const Row& row);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Escapes text so that a MongoDB $regex matches it literally; with
/// fold_ascii, ASCII letters match either case ("a" → "[aA]").
std::string literal_pattern(std::string_view text, bool fold_ascii);

/// The URL with its password replaced by "****".
std::string redact_url(std::string_view url);

}  // namespace callwire::store_detail
