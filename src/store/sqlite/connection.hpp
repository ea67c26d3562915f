// Internal: SQLite connections for SqliteBackend — one sqlite3 handle with a
// cache of prepared statements, a statement cursor, and a pool.
//
// A Connection is used by one thread at a time (the pool hands it out); the
// Pool itself is thread-safe.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/backend.hpp"

namespace callwire::store_detail::sqlite {

struct Config {
  std::string path;             ///< file name given to sqlite3_open_v2
  int busy_timeout_ms = 10000;  ///< how long a write waits for a lock
  std::string synchronous = "FULL";
  bool read_only = false;       ///< mode=ro
  std::size_t max_idle = 8;     ///< idle connections kept by the pool
};

/// Throws callwire::Error for a failed SQLite call: the message is
/// "sqlite: <what>: <sqlite3_errmsg> (<path>)", the code by result code.
[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what, const std::string& path);

class Connection {
 public:
  explicit Connection(const Config& cfg);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* handle() const noexcept { return db_; }
  const Config& config() const noexcept { return cfg_; }
  /// A cached prepared statement (reset, bindings cleared).
  sqlite3_stmt* prepare(const std::string& sql);
  /// Runs SQL without results; `what` names it in errors.
  void exec(const char* sql, std::string_view what);
  [[noreturn]] void fail(int rc, std::string_view what) const;

 private:
  const Config& cfg_;
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

/// Runs one cached statement: binds, steps, reads columns; resets on scope exit.
class Statement {
 public:
  Statement(Connection& c, const std::string& sql, std::string_view what);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void bind(int index, const FieldValue& v);
  void bind_all(const std::vector<FieldValue>& values);  ///< ?1 … ?n
  /// True for a row, false when done; throws on error.
  bool step();
  int columns() const { return sqlite3_column_count(stmt_); }
  /// Column i as a FieldValue of the given type (booleans from 0/1).
  FieldValue value(int i, ColumnType type) const;
  std::int64_t int64(int i) const { return sqlite3_column_int64(stmt_, i); }
  std::string text(int i) const;

 private:
  Connection& c_;
  sqlite3_stmt* stmt_;
  std::string what_;
};

/// A pool of connections to one file. acquire() never blocks: when every
/// pooled connection is busy it opens another (kept afterwards up to
/// Config::max_idle). While a Pin is alive, acquire() on the pinning thread
/// returns the pinned connection (a transaction's statements all run on it).
class Pool {
 public:
  explicit Pool(Config cfg) : cfg_(std::move(cfg)) {}
  const Config& config() const noexcept { return cfg_; }

  class Lease {
   public:
    Lease(Pool& p, std::unique_ptr<Connection> c) : pool_(&p), conn_(std::move(c)), raw_(conn_.get()) {}
    /// A lease of the pinned connection: not returned to the pool on release.
    explicit Lease(Connection& pinned) : pool_(nullptr), raw_(&pinned) {}
    Lease(Lease&& o) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease();
    Connection& operator*() const { return *raw_; }
    Connection* operator->() const { return raw_; }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> conn_;
    Connection* raw_;
  };

  /// Pins a connection to the current thread for this pool until destroyed.
  class Pin {
   public:
    Pin(Pool& p, Connection& c);
    ~Pin();
    Pin(const Pin&) = delete;
    Pin& operator=(const Pin&) = delete;

   private:
    const Pool* prev_pool_;
    Connection* prev_conn_;
  };

  Lease acquire();
  /// True when this thread has a connection of this pool pinned.
  bool pinned() const noexcept;
  /// Puts a connection opened elsewhere (e.g. the first one) into the pool.
  void adopt(std::unique_ptr<Connection> c);

 private:
  friend class Lease;
  void release(std::unique_ptr<Connection> c);
  Config cfg_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace callwire::store_detail::sqlite
