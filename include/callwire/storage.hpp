// callwire — Storage: the handle to the database that holds contacts, call
// logs, recordings, caller-ID numbers, provider settings and received webhook
// events. Opened from a URL; typed views (ContactStore, LogStore, NumberStore,
// SettingsStore) sit on top of it.
//
//   auto storage = callwire::Storage::open("sqlite:///var/lib/callwire/callwire.db");
//   callwire::ContactStore contacts(storage);
//
// Backends:
//   sqlite:///abs/path.db, sqlite://rel/path.db, sqlite:rel.db, or a plain
//       path ending in .db/.sqlite/.sqlite3 — the embedded default. The file
//       is created if missing, runs in WAL mode and is migrated to the schema
//       this callwire knows; a file written by a newer callwire is refused.
//       Query options: busy_timeout=<ms>, synchronous=full|normal,
//       mode=rw|ro (ro opens read-only: every write fails).
//   mongodb://…, mongodb+srv://… — a MongoDB (or FerretDB) server. The
//       database is StorageOptions::database, else the URL path
//       ("mongodb://h/crm"), else "telnyx_calling".
// See docs/storage.md for the schema and the migration policy.
//
// Thread safety: a Storage and every store built on it may be used from any
// number of threads at once (SQLite: a pool of connections; MongoDB: a
// mongoc client pool). Every call blocks until the database answered; run
// them on a worker pool, never on a network thread. Copies of a Storage share
// one set of connections, which closes with the last copy.
//
// Errors: callwire::Error with errc::storage (the database reported an error;
// the message carries its text), errc::unavailable (server unreachable or
// database locked — retrying later may succeed), errc::not_found,
// errc::conflict (duplicate) or errc::invalid_argument (bad URL or input).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "callwire/types.hpp"

namespace callwire {

namespace store_detail {
class Backend;
}

/// How Storage::open connects. The URL's own options win over these.
struct StorageOptions {
  /// MongoDB database name; empty means the URL path, else "telnyx_calling".
  std::string database;
  /// MongoDB: server selection and connect timeout (unless the URL sets
  /// serverSelectionTimeoutMS / connectTimeoutMS). SQLite: how long a write
  /// waits for another connection's lock (unless the URL sets busy_timeout).
  std::chrono::milliseconds timeout{10000};
  /// Connections kept open: SQLite idle pool size / MongoDB pool maximum.
  std::size_t max_connections = 8;
  /// The clock that stamps created_at / updated_at. Empty: the system clock.
  std::function<TimePoint()> clock;
};

/// One collection (MongoDB) or table (SQLite) as the schema defines it.
struct StorageTableInfo {
  std::string name;                  ///< "contacts", "call_logs", …
  std::vector<std::string> indexes;  ///< index names, e.g. "call_logs_created_at"
};

/// What Storage::info() reports (the admin command prints it).
struct StorageInfo {
  std::string backend;        ///< "sqlite" or "mongodb"
  std::string location;       ///< file path, or the URL without its password, plus database
  int schema_version = 0;     ///< the schema version the database now has
  std::vector<StorageTableInfo> tables;
};

class Storage {
 public:
  /// Opens (and for SQLite creates and migrates) the database and makes sure
  /// every table/collection and index exists. Throws callwire::Error.
  static Storage open(std::string_view url, StorageOptions options = {});

  /// The schema version this build of callwire reads and writes for a
  /// backend ("sqlite" or "mongodb"; each has its own numbering: SQLite is at
  /// 2 since its search and statistics tables, MongoDB at 1). 0 for an
  /// unknown backend name.
  static int latest_schema_version(std::string_view backend) noexcept;

  /// "sqlite" or "mongodb".
  std::string_view backend() const noexcept;
  /// The file path, or the URL with any password replaced by "****".
  std::string location() const;

  /// Creates missing tables/collections and indexes (open() already did);
  /// idempotent. Returns what exists afterwards.
  StorageInfo init();
  /// The tables/collections and indexes, without creating anything.
  StorageInfo info() const;
  /// A round trip to the database; throws when it is unreachable.
  void ping() const;

  /// "now" by StorageOptions::clock.
  TimePoint now() const;

  /// Internal: the backend the typed stores use.
  const std::shared_ptr<store_detail::Backend>& backend_impl() const noexcept { return backend_; }

 private:
  explicit Storage(std::shared_ptr<store_detail::Backend> b) : backend_(std::move(b)) {}
  std::shared_ptr<store_detail::Backend> backend_;
};

/// Paging for list calls: at most `limit` records (1 … kMaxPageSize) after
/// skipping `offset`.
struct Page {
  static constexpr std::size_t kMaxPageSize = 1000;
  std::size_t limit = 50;
  std::size_t offset = 0;
};

}  // namespace callwire
