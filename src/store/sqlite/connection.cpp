// SQLite connections, statements and the connection pool.
#include "store/sqlite/connection.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "callwire/error.hpp"
#include "store/errors.hpp"
#include "support/log.hpp"
#include "support/thread_name.hpp"

namespace callwire::store_detail::sqlite {

namespace {

errc code_for(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return errc::unavailable;
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE) return errc::conflict;
      return errc::storage;
    default:
      return errc::storage;
  }
}

std::string hint_for(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "another connection holds a lock on the database; try again";
    case SQLITE_READONLY:
      return "the database is read-only";
    case SQLITE_NOTADB:
      return "the file is not an SQLite database";
    case SQLITE_CORRUPT:
      return "the database file is damaged";
    case SQLITE_FULL:
      return "the disk is full";
    case SQLITE_CANTOPEN:
      return "cannot open the file (does its folder exist and is it accessible?)";
    default:
      return {};
  }
}

/// The sentence of a failed SQLite call, for any client (no path, no SQL,
/// no driver text: those go to the detail).
const char* sentence_for(int rc) {
  switch (rc & 0xff) {
    case SQLITE_READONLY:
      return "The database is read-only.";
    case SQLITE_NOTADB:
      return "The database file is damaged or is not a database.";
    case SQLITE_CORRUPT:
      return "The database file is damaged.";
    case SQLITE_FULL:
      return "The disk that holds the database is full.";
    case SQLITE_CANTOPEN:
      return "The database cannot be opened.";
    default:
      return store_detail::sentence_for(code_for(rc));
  }
}

}  // namespace

void fail(sqlite3* db, int rc, std::string_view what, const std::string& path) {
  std::string detail = "sqlite: ";
  detail += what;
  detail += ": ";
  // sqlite3_errmsg describes the most recent failure on this handle, which is
  // this one: the handle is used by one thread at a time.
  detail += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const std::string hint = hint_for(rc);
  if (!hint.empty() && detail.find(hint) == std::string::npos) detail += " — " + hint;
  detail += " (" + path + ")";
  throw Error(code_for(rc), sentence_for(rc), std::move(detail));
}

namespace {

// A new database file is readable by its owner only: it holds the Telnyx
// API key and every call. SQLite creates the -wal and -shm files with the
// database file's permissions. An existing file keeps the ones it has.
void create_private_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);  // EEXIST: already there; other errors surface in sqlite3_open_v2
}

}  // namespace

Connection::Connection(const Config& cfg, Checkpointer* checkpointer) : cfg_(cfg) {
  if (!cfg.read_only) create_private_file(cfg.path);
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  flags |= cfg.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  const int rc = sqlite3_open_v2(cfg.path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string detail = "sqlite: cannot open database: ";
    detail += db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    detail += " (" + cfg.path + ")";
    sqlite3_close_v2(db_);
    db_ = nullptr;
    const bool specific = (rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_FULL;
    throw Error(errc::storage, specific ? sentence_for(rc) : "The database cannot be opened.", std::move(detail));
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, cfg.busy_timeout_ms);
  if (!cfg.read_only && sqlite3_db_readonly(db_, "main") == 1) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw Error(errc::storage, "The database cannot be opened for writing: the file or its folder is read-only.",
                "sqlite: cannot open database for writing: the file or its folder is read-only (" + cfg.path +
                    "); add ?mode=ro to the URL to open it read-only");
  }
  try {
    // Durability: in WAL mode synchronous=FULL syncs the log on every commit
    // (a committed write survives a power cut), NORMAL only at checkpoints
    // (it survives a process crash, not a power cut).
    exec(("PRAGMA synchronous=" + cfg.synchronous).c_str(), "set synchronous");
    exec("PRAGMA foreign_keys=ON", "enable foreign keys");
    if (checkpointer != nullptr && !cfg.read_only) {
      // Replaces SQLite's auto-checkpoint (itself a WAL hook) on this handle.
      sqlite3_wal_hook(
          db_,
          [](void* ctx, sqlite3* db, const char* schema, int pages) {
            static_cast<Checkpointer*>(ctx)->on_commit(db, schema, pages);
            return SQLITE_OK;
          },
          checkpointer);
    }
  } catch (...) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw;
  }
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

sqlite3_stmt* Connection::prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return it->second;
  // The SQL texts come from a small set of code paths (values are bound), so
  // the cache stays small; the bound keeps it so even if that ever changes.
  if (cache_.size() > 256) {
    for (auto& [s, st] : cache_) sqlite3_finalize(st);
    cache_.clear();
  }
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) fail(rc, "prepare");
  cache_.emplace(sql, stmt);
  return stmt;
}

void Connection::exec(const char* sql, std::string_view what) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) fail(rc, what);
}

void Connection::fail(int rc, std::string_view what) const { sqlite::fail(db_, rc, what, cfg_.path); }

Statement::Statement(Connection& c, const std::string& sql, std::string_view what)
    : c_(c), stmt_(c.prepare(sql)), what_(what) {}

Statement::~Statement() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void Statement::bind(int index, const FieldValue& v) {
  int rc = SQLITE_OK;
  if (const auto* s = std::get_if<std::string>(&v)) {
    rc = sqlite3_bind_text64(stmt_, index, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
    rc = sqlite3_bind_int64(stmt_, index, *i);
  } else if (const auto* b = std::get_if<bool>(&v)) {
    rc = sqlite3_bind_int(stmt_, index, *b ? 1 : 0);
  } else {
    rc = sqlite3_bind_null(stmt_, index);
  }
  if (rc != SQLITE_OK) c_.fail(rc, what_);
}

void Statement::bind_all(const std::vector<FieldValue>& values) {
  for (std::size_t i = 0; i < values.size(); ++i) bind(static_cast<int>(i + 1), values[i]);
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  c_.fail(rc, what_);
}

std::string Statement::text(int i) const {
  const auto* p = sqlite3_column_text(stmt_, i);
  if (p == nullptr) return {};
  return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i))};
}

FieldValue Statement::value(int i, ColumnType type) const {
  switch (sqlite3_column_type(stmt_, i)) {
    case SQLITE_NULL:
      return std::monostate{};
    case SQLITE_INTEGER:
    case SQLITE_FLOAT:
      if (type == ColumnType::boolean) return sqlite3_column_int64(stmt_, i) != 0;
      if (type == ColumnType::text) return text(i);
      return static_cast<std::int64_t>(sqlite3_column_int64(stmt_, i));
    default:
      return text(i);
  }
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Checkpointer::request() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    wanted_ = true;
    if (!thread_.joinable()) {
      try {
        thread_ = std::thread([this] { run(); });
      } catch (const std::system_error&) {
        wanted_ = false;  // no thread: the inline fallback still bounds the WAL
        return;
      }
    }
  }
  cv_.notify_one();
}

void Checkpointer::on_commit(sqlite3* db, const char* schema, int wal_pages) {
  if (wal_pages < cfg_.checkpoint_pages) return;
  if (wal_pages >= cfg_.checkpoint_pages * kInlineFactor) {
    // Usually little is left to copy by now. While the thread is copying, a
    // later commit tries again — unless the log is twice as long as this
    // already: then this connection waits for the thread's run and finishes.
    std::unique_lock run(run_mu_, std::try_to_lock);
    if (!run.owns_lock()) {
      if (wal_pages < 2 * cfg_.checkpoint_pages * kInlineFactor) return;
      run.lock();
    }
    int copied = 0;
    if (sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, &copied) == SQLITE_OK) {
      ++inline_;
      copied_ = copied;
    }
    return;
  }
  int copied = copied_.load();
  if (wal_pages < copied) {  // the log restarted since the last checkpoint
    copied_ = 0;
    copied = 0;
  }
  // Only when a threshold's worth of frames is new since the last one: a
  // log that is not restarting stays above the threshold.
  if (wal_pages - copied >= cfg_.checkpoint_pages) request();
}

void Checkpointer::run() {
  support::set_current_thread_name("cw-checkpoint");
  std::unique_ptr<Connection> conn;
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return wanted_ || stopping_; });
    if (stopping_) return;
    wanted_ = false;
    lock.unlock();
    try {
      if (!conn) conn = std::make_unique<Connection>(cfg_);
      std::lock_guard run(run_mu_);
      int copied = 0;
      const int rc = sqlite3_wal_checkpoint_v2(conn->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, &copied);
      if (rc == SQLITE_OK) {
        ++background_;
        copied_ = copied;
      } else if ((rc & 0xff) != SQLITE_BUSY) {
        log::write(log::Level::warn, "sqlite", std::string("background checkpoint failed: ") + sqlite3_errmsg(conn->handle()));
      }
    } catch (const std::exception& e) {
      // The next request tries again; meanwhile the inline fallback bounds the WAL.
      log::write(log::Level::warn, "sqlite", std::string("background checkpoint: ") + e.what());
      conn.reset();
    }
    lock.lock();
  }
}

Pool::Pool(Config cfg) : cfg_(std::move(cfg)) {
  if (cfg_.background_checkpoint && !cfg_.read_only) checkpointer_ = std::make_unique<Checkpointer>(cfg_);
}

namespace {
// The connection a transaction pinned on this thread, and its pool.
thread_local const Pool* t_pinned_pool = nullptr;
thread_local Connection* t_pinned_conn = nullptr;
}  // namespace

Pool::Lease::~Lease() {
  if (conn_) pool_->release(std::move(conn_));
}

Pool::Pin::Pin(Pool& p, Connection& c) : prev_pool_(t_pinned_pool), prev_conn_(t_pinned_conn) {
  t_pinned_pool = &p;
  t_pinned_conn = &c;
}

Pool::Pin::~Pin() {
  t_pinned_pool = prev_pool_;
  t_pinned_conn = prev_conn_;
}

bool Pool::pinned() const noexcept { return t_pinned_pool == this && t_pinned_conn != nullptr; }

Pool::Lease Pool::acquire() {
  if (pinned()) return Lease(*t_pinned_conn);
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(c));
    }
  }
  return Lease(*this, open());
}

void Pool::adopt(std::unique_ptr<Connection> c) { release(std::move(c)); }

void Pool::release(std::unique_ptr<Connection> c) {
  // A connection left inside a transaction (an exception between BEGIN and
  // COMMIT that the caller did not roll back) is not reused.
  if (sqlite3_get_autocommit(c->handle()) == 0) return;
  std::lock_guard lock(mutex_);
  if (idle_.size() < cfg_.max_idle) idle_.push_back(std::move(c));
}

}  // namespace callwire::store_detail::sqlite
