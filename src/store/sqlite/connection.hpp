// Internal: SQLite connections for SqliteBackend — one sqlite3 handle with a
// cache of prepared statements, a statement cursor, and a pool.
//
// A Connection is used by one thread at a time (the pool hands it out); the
// Pool itself is thread-safe.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
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
  /// WAL checkpoints on the pool's own thread (checkpoint=background, the
  /// default) or on the connection whose commit filled the WAL (inline:
  /// SQLite's own wal_autocheckpoint).
  bool background_checkpoint = true;
  /// WAL size, in pages, that asks for a checkpoint (SQLite's default 1000).
  int checkpoint_pages = 1000;
};

class Checkpointer;

/// Throws callwire::Error for a failed SQLite call: the code by result code,
/// what() a plain sentence by result code ("The database is not available
/// right now; try again."), detail() "sqlite: <what>: <sqlite3_errmsg>
/// (<path>)" (store/errors.hpp).
[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what, const std::string& path);

class Connection {
 public:
  /// With a checkpointer, commits that leave the WAL at
  /// Config::checkpoint_pages or more ask it for a checkpoint instead of
  /// running one themselves (see Checkpointer).
  explicit Connection(const Config& cfg, Checkpointer* checkpointer = nullptr);
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

/// Runs WAL checkpoints on its own thread and connection, so that the
/// connection whose commit filled the WAL (in callwire: the client's ingest
/// writer) does not stall for the checkpoint's page copies and fsyncs.
///
/// Checkpoints are PASSIVE: they copy what they can without waiting for
/// readers or writers. A writer that keeps appending can keep a passive
/// checkpoint from ever finishing the log, and SQLite restarts the WAL from
/// its beginning only after a complete one; so once the WAL reaches
/// kInlineFactor times the threshold, the committing connection runs one
/// passive checkpoint itself (what is left to copy is then small), which
/// completes and lets the next write restart the log. It does not wait for a
/// run of the thread in progress until the log is twice that long, which
/// bounds the WAL at 2 × kInlineFactor × threshold pages (plus one
/// transaction). The thread starts with the first request and is joined by
/// the destructor.
class Checkpointer {
 public:
  static constexpr int kInlineFactor = 4;

  explicit Checkpointer(const Config& cfg) : cfg_(cfg) {}
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  /// Asks for a checkpoint; never blocks on one.
  void request();
  /// Called from a connection's WAL hook after each commit.
  void on_commit(sqlite3* db, const char* schema, int wal_pages);

  struct Counters {
    std::uint64_t background = 0;  ///< checkpoints run on the thread
    std::uint64_t inline_runs = 0;  ///< checkpoints run by a committing connection
  };
  Counters counters() const noexcept { return {background_.load(), inline_.load()}; }

 private:
  void run();

  const Config& cfg_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::mutex run_mu_;  ///< held by whoever runs a checkpoint (SQLite lets one run at a time)
  bool wanted_ = false;
  bool stopping_ = false;
  std::thread thread_;
  std::atomic<std::uint64_t> background_{0}, inline_{0};
  std::atomic<int> copied_{0};  ///< frames of the log checkpointed by the last run
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
  explicit Pool(Config cfg);
  const Config& config() const noexcept { return cfg_; }
  /// A new connection of this pool's file (with the pool's checkpointer).
  std::unique_ptr<Connection> open() { return std::make_unique<Connection>(cfg_, checkpointer_.get()); }
  /// Null unless checkpoints run in the background (read-write files).
  const Checkpointer* checkpointer() const noexcept { return checkpointer_.get(); }

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
  // Declared before the connections: it outlives every connection whose WAL
  // hook points at it.
  std::unique_ptr<Checkpointer> checkpointer_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace callwire::store_detail::sqlite
