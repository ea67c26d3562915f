// The MongoDB backend: rows as BSON documents, filters as query documents.
#include "store/mongo/mongo_backend.hpp"

#include <mongoc/mongoc.h>

#include <algorithm>
#include <mutex>

#include "callwire/error.hpp"
#include "callwire/json.hpp"
#include "store/errors.hpp"
#include "store/schema.hpp"
#include "support/log.hpp"

namespace callwire::store_detail {

namespace {

constexpr const char* kDefaultDatabase = "telnyx_calling";
constexpr const char* kSchemaDocId = "callwire_schema";

/// The driver's own messages (its default handler writes them to stderr,
/// which breaks a JSON log) go to callwire's log as component "mongoc".
void forward_driver_log(mongoc_log_level_t level, const char* domain, const char* message, void*) {
  log::Level l = log::Level::trace;
  switch (level) {
    case MONGOC_LOG_LEVEL_ERROR:
    case MONGOC_LOG_LEVEL_CRITICAL: l = log::Level::error; break;
    case MONGOC_LOG_LEVEL_WARNING: l = log::Level::warn; break;
    case MONGOC_LOG_LEVEL_MESSAGE:
    case MONGOC_LOG_LEVEL_INFO: l = log::Level::info; break;
    case MONGOC_LOG_LEVEL_DEBUG: l = log::Level::debug; break;
    case MONGOC_LOG_LEVEL_TRACE: l = log::Level::trace; break;
  }
  if (!log::enabled(l)) return;
  log::print(l, "mongoc", domain != nullptr ? domain : "", ": ", message != nullptr ? message : "");
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    mongoc_log_set_handler(forward_driver_log, nullptr);  // before mongoc_init, which may already warn
    mongoc_init();
  });
}

// ---- RAII -----------------------------------------------------------------

struct Bson {
  bson_t b = BSON_INITIALIZER;
  Bson() = default;
  Bson(const Bson&) = delete;
  Bson& operator=(const Bson&) = delete;
  ~Bson() { bson_destroy(&b); }
  bson_t* get() { return &b; }
};

struct UriDeleter {
  void operator()(mongoc_uri_t* u) const { mongoc_uri_destroy(u); }
};
struct PoolDeleter {
  void operator()(mongoc_client_pool_t* p) const { mongoc_client_pool_destroy(p); }
};
struct CollectionDeleter {
  void operator()(mongoc_collection_t* c) const { mongoc_collection_destroy(c); }
};
struct CursorDeleter {
  void operator()(mongoc_cursor_t* c) const { mongoc_cursor_destroy(c); }
};
using Collection = std::unique_ptr<mongoc_collection_t, CollectionDeleter>;
using Cursor = std::unique_ptr<mongoc_cursor_t, CursorDeleter>;

const char* field_name(const TableDef& t, std::string_view column) {
  const char* name = t.columns[t.column(column)].name;
  return std::string_view(name) == "id" ? "_id" : name;
}

// ---- errors ---------------------------------------------------------------

bool is_duplicate_key(const bson_error_t& e) { return e.code == 11000 || e.code == 11001; }

[[noreturn]] void fail(const bson_error_t& e, std::string_view what) {
  errc code = errc::storage;
  if (e.domain == MONGOC_ERROR_SERVER_SELECTION || e.domain == MONGOC_ERROR_STREAM) code = errc::unavailable;
  if ((e.domain == MONGOC_ERROR_SERVER || e.domain == MONGOC_ERROR_WRITE_CONCERN) && is_duplicate_key(e)) code = errc::conflict;
  std::string detail = "mongodb: ";
  detail += what;
  detail += ": ";
  detail += e.message[0] != '\0' ? e.message : "unknown error";
  detail += " [domain " + std::to_string(e.domain) + " code " + std::to_string(e.code) + "]";
  throw storage_error(code, std::move(detail));
}

// ---- values ---------------------------------------------------------------

/// Appends text with its length, so an embedded NUL stays data.
void append_text(bson_t* doc, const char* key, const std::string& s) {
  bson_append_utf8(doc, key, -1, s.data(), static_cast<int>(s.size()));
}

void append_value(bson_t* doc, const char* key, const FieldValue& v) {
  if (const auto* s = std::get_if<std::string>(&v)) {
    append_text(doc, key, *s);
  } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
    bson_append_int64(doc, key, -1, *i);
  } else if (const auto* b = std::get_if<bool>(&v)) {
    bson_append_bool(doc, key, -1, *b);
  } else {
    bson_append_null(doc, key, -1);
  }
}

std::string_view bson_type_name(bson_type_t t) {
  switch (t) {
    case BSON_TYPE_DOCUMENT: return "a document";
    case BSON_TYPE_ARRAY: return "an array";
    case BSON_TYPE_BINARY: return "binary data";
    case BSON_TYPE_REGEX: return "a regular expression";
    case BSON_TYPE_DECIMAL128: return "a decimal";
    case BSON_TYPE_TIMESTAMP: return "a timestamp";
    default: return "an unsupported BSON type";
  }
}

FieldValue read_value(const bson_iter_t* it, const Column& col, const TableDef& t) {
  switch (bson_iter_type(it)) {
    case BSON_TYPE_UTF8: {
      uint32_t len = 0;
      const char* s = bson_iter_utf8(it, &len);
      return std::string(s, len);
    }
    case BSON_TYPE_INT32:
      if (col.type == ColumnType::boolean) return bson_iter_int32(it) != 0;
      return static_cast<std::int64_t>(bson_iter_int32(it));
    case BSON_TYPE_INT64:
      if (col.type == ColumnType::boolean) return bson_iter_int64(it) != 0;
      return static_cast<std::int64_t>(bson_iter_int64(it));
    case BSON_TYPE_DOUBLE:
      if (col.type == ColumnType::boolean) return bson_iter_double(it) != 0.0;
      return static_cast<std::int64_t>(bson_iter_double(it));
    case BSON_TYPE_BOOL:
      return bson_iter_bool(it);
    case BSON_TYPE_NULL:
    case BSON_TYPE_UNDEFINED:
      return std::monostate{};
    case BSON_TYPE_DATE_TIME:  // written by another program: read as ISO-8601 text
      return json::format_time(TimePoint(std::chrono::milliseconds(bson_iter_date_time(it))));
    case BSON_TYPE_OID: {
      char hex[25];
      bson_oid_to_string(bson_iter_oid(it), hex);
      return std::string(hex);
    }
    default:
      throw Error(errc::storage, sentence::kUnreadable,
                  std::string("mongodb: ") + t.name + "." + col.name + ": found " +
                      std::string(bson_type_name(bson_iter_type(it))) + ", expected a scalar");
  }
}

Row to_row(const bson_t* doc, const TableDef& t) {
  Row row(t.columns.size());
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    const char* key = i == 0 ? "_id" : t.columns[i].name;
    bson_iter_t it;
    if (bson_iter_init_find(&it, doc, key)) row[i] = read_value(&it, t.columns[i], t);
  }
  return row;
}

void append_row(bson_t* doc, const TableDef& t, const Row& row) {
  for (std::size_t i = 0; i < t.columns.size() && i < row.size(); ++i) {
    append_value(doc, i == 0 ? "_id" : t.columns[i].name, row[i]);
  }
}

// ---- filters --------------------------------------------------------------

void append_cond(bson_t* doc, const TableDef& t, const Cond& c) {
  const char* f = field_name(t, c.column);
  const bool null = std::holds_alternative<std::monostate>(c.value);
  bson_t sub;
  switch (c.op) {
    case Cond::Op::eq:
      append_value(doc, f, c.value);
      return;
    case Cond::Op::ne:
    case Cond::Op::not_null:
      bson_append_document_begin(doc, f, -1, &sub);
      append_value(&sub, "$ne", c.op == Cond::Op::not_null || null ? FieldValue{} : c.value);
      bson_append_document_end(doc, &sub);
      return;
    case Cond::Op::gte:
    case Cond::Op::lt:
      bson_append_document_begin(doc, f, -1, &sub);
      append_value(&sub, c.op == Cond::Op::gte ? "$gte" : "$lt", c.value);
      bson_append_document_end(doc, &sub);
      return;
    case Cond::Op::contains:
    case Cond::Op::contains_ci: {
      const auto* s = std::get_if<std::string>(&c.value);
      const std::string pattern = literal_pattern(s != nullptr ? *s : std::string(), c.op == Cond::Op::contains_ci);
      bson_append_document_begin(doc, f, -1, &sub);
      append_text(&sub, "$regex", pattern);
      bson_append_document_end(doc, &sub);
      return;
    }
  }
}

/// {$and: [{…}, {…}, {$or: […]}]}: each condition in its own document, so two
/// conditions on one field never collide.
void build_filter(bson_t* doc, const TableDef& t, const Filter& f, std::string_view id = {}) {
  if (f.all.empty() && f.any.empty() && id.data() == nullptr) return;
  bson_t arr;
  bson_append_array_begin(doc, "$and", -1, &arr);
  std::uint32_t n = 0;
  auto next = [&](bson_t* child) {
    const std::string key = std::to_string(n++);
    bson_append_document_begin(&arr, key.c_str(), -1, child);
  };
  bson_t child;
  if (id.data() != nullptr) {
    next(&child);
    const std::string s(id);
    append_text(&child, "_id", s);
    bson_append_document_end(&arr, &child);
  }
  for (const auto& c : f.all) {
    next(&child);
    append_cond(&child, t, c);
    bson_append_document_end(&arr, &child);
  }
  if (!f.any.empty()) {
    next(&child);
    bson_t ors;
    bson_append_array_begin(&child, "$or", -1, &ors);
    for (std::size_t i = 0; i < f.any.size(); ++i) {
      const std::string key = std::to_string(i);
      bson_t one;
      bson_append_document_begin(&ors, key.c_str(), -1, &one);
      append_cond(&one, t, f.any[i]);
      bson_append_document_end(&ors, &one);
    }
    bson_append_array_end(&child, &ors);
    bson_append_document_end(&arr, &child);
  }
  bson_append_array_end(doc, &arr);
}

std::int64_t reply_count(const bson_t* reply, const char* key) {
  bson_iter_t it;
  if (bson_iter_init_find(&it, reply, key) && BSON_ITER_HOLDS_NUMBER(&it)) return bson_iter_as_int64(&it);
  return 0;
}

}  // namespace

std::string literal_pattern(std::string_view text, bool fold_ascii) {
  static constexpr std::string_view kMeta = "\\^$.|?*+()[]{}";
  std::string out;
  out.reserve(text.size() * 2);
  for (const char c : text) {
    const bool upper = c >= 'A' && c <= 'Z';
    const bool lowerc = c >= 'a' && c <= 'z';
    if (fold_ascii && (upper || lowerc)) {
      const char lo = upper ? static_cast<char>(c - 'A' + 'a') : c;
      out += '[';
      out += lo;
      out += static_cast<char>(lo - 'a' + 'A');
      out += ']';
    } else if (kMeta.find(c) != std::string_view::npos) {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

std::string redact_url(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const auto host_start = scheme + 3;
  const auto at = url.find('@', host_start);
  const auto slash = url.find('/', host_start);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at)) return std::string(url);
  const auto colon = url.find(':', host_start);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return std::string(url.substr(0, colon + 1)) + "****" + std::string(url.substr(at));
}

struct MongoBackend::Impl {
  std::string url;  // redacted
  std::string database;
  std::unique_ptr<mongoc_uri_t, UriDeleter> uri;
  std::unique_ptr<mongoc_client_pool_t, PoolDeleter> pool;

  /// A client popped from the pool for one call.
  class Client {
   public:
    explicit Client(Impl& i) : impl_(i), c_(mongoc_client_pool_pop(i.pool.get())) {}
    ~Client() { mongoc_client_pool_push(impl_.pool.get(), c_); }
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;
    mongoc_client_t* get() const { return c_; }
    Collection collection(const char* name) const {
      return Collection(mongoc_client_get_collection(c_, impl_.database.c_str(), name));
    }

   private:
    Impl& impl_;
    mongoc_client_t* c_;
  };

  void command(const bson_t* cmd, bson_t* reply, std::string_view what) {
    Client c(*this);
    bson_error_t err;
    const bool ok = mongoc_client_command_simple(c.get(), database.c_str(), cmd, nullptr, reply, &err);
    if (!ok) fail(err, what);
  }
};

MongoBackend::MongoBackend(std::string_view url, const StorageOptions& options) : impl_(std::make_unique<Impl>()) {
  global_init();
  impl_->url = redact_url(url);
  bson_error_t err;
  const std::string u(url);
  impl_->uri.reset(mongoc_uri_new_with_error(u.c_str(), &err));
  if (!impl_->uri) {
    throw Error(errc::invalid_argument, "The storage URL is not a valid MongoDB URL.",
                "storage URL '" + impl_->url + "': " + err.message);
  }
  mongoc_uri_t* uri = impl_->uri.get();

  if (!options.database.empty()) impl_->database = options.database;
  else if (const char* db = mongoc_uri_get_database(uri); db != nullptr && *db != '\0') impl_->database = db;
  else impl_->database = kDefaultDatabase;
  if (impl_->database.size() > 63 || impl_->database.find_first_of("/\\. \"$*<>:|?") != std::string::npos) {
    throw Error(errc::invalid_argument, "MongoDB database name '" + impl_->database +
                                            "' is not valid (at most 63 characters, none of /\\. \"$*<>:|?)");
  }

  const auto ms = static_cast<std::int32_t>(options.timeout.count());
  if (!mongoc_uri_has_option(uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS))
    mongoc_uri_set_option_as_int32(uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS, ms);
  if (!mongoc_uri_has_option(uri, MONGOC_URI_CONNECTTIMEOUTMS))
    mongoc_uri_set_option_as_int32(uri, MONGOC_URI_CONNECTTIMEOUTMS, ms);
  if (!mongoc_uri_has_option(uri, MONGOC_URI_SOCKETTIMEOUTMS))
    mongoc_uri_set_option_as_int32(uri, MONGOC_URI_SOCKETTIMEOUTMS, ms < 30000 ? 60000 : 2 * ms);
  // Durability: a write returns only once the majority has it in its journal
  // (unless the URL asks for something else).
  const mongoc_write_concern_t* wc = mongoc_uri_get_write_concern(uri);
  if (mongoc_write_concern_get_w(wc) == MONGOC_WRITE_CONCERN_W_DEFAULT && !mongoc_write_concern_journal_is_set(wc)) {
    mongoc_write_concern_t* majority = mongoc_write_concern_new();
    mongoc_write_concern_set_w(majority, MONGOC_WRITE_CONCERN_W_MAJORITY);
    mongoc_write_concern_set_journal(majority, true);
    mongoc_uri_set_write_concern(uri, majority);
    mongoc_write_concern_destroy(majority);
  }

  impl_->pool.reset(mongoc_client_pool_new_with_error(uri, &err));
  if (!impl_->pool) {
    throw Error(errc::invalid_argument, "The storage URL is not a valid MongoDB URL.",
                "storage URL '" + impl_->url + "': " + err.message);
  }
  mongoc_client_pool_set_error_api(impl_->pool.get(), MONGOC_ERROR_API_VERSION_2);
  mongoc_client_pool_set_appname(impl_->pool.get(), "callwire");
  mongoc_client_pool_max_size(impl_->pool.get(),
                              static_cast<std::uint32_t>(options.max_connections == 0 ? 1 : options.max_connections));
  init();
}

MongoBackend::~MongoBackend() = default;

std::string MongoBackend::location() const { return impl_->url + " (database " + impl_->database + ")"; }

void MongoBackend::ping() {
  Bson cmd;
  BSON_APPEND_INT32(cmd.get(), "ping", 1);
  Bson reply;
  impl_->command(cmd.get(), reply.get(), "ping");
}

StorageInfo MongoBackend::init() {
  // The schema version first: refuse a database written by a newer callwire
  // before touching it.
  const TableDef& config = config_table();
  {
    Impl::Client c(*impl_);
    auto coll = c.collection(config.name);
    Bson filter;
    BSON_APPEND_UTF8(filter.get(), "_id", kSchemaDocId);
    bson_error_t err;
    Cursor cur(mongoc_collection_find_with_opts(coll.get(), filter.get(), nullptr, nullptr));
    const bson_t* doc = nullptr;
    if (mongoc_cursor_next(cur.get(), &doc)) {
      bson_iter_t it;
      if (bson_iter_init_find(&it, doc, "version") && BSON_ITER_HOLDS_NUMBER(&it)) {
        const auto version = bson_iter_as_int64(&it);
        if (version > kSchemaVersion) {
          throw Error(errc::storage, sentence::kNewerSchema,
                      "mongodb: database " + impl_->database + " has schema version " + std::to_string(version) +
                          ", newer than this callwire understands (" + std::to_string(kSchemaVersion) +
                          "); use a newer callwire or another database");
        }
      }
    }
    if (mongoc_cursor_error(cur.get(), &err)) fail(err, "read the schema version");
  }
  for (const TableDef* t : all_tables()) {
    {
      Bson cmd;
      BSON_APPEND_UTF8(cmd.get(), "create", t->name);
      Impl::Client c(*impl_);
      Bson reply;
      bson_error_t err;
      if (!mongoc_client_command_simple(c.get(), impl_->database.c_str(), cmd.get(), nullptr, reply.get(), &err) &&
          err.code != 48 /* NamespaceExists */) {
        fail(err, std::string("create collection ") + t->name);
      }
    }
    if (t->indexes.empty()) continue;
    // Only the missing indexes, one per command: FerretDB 1.24 drops the
    // connection when one createIndexes names several indexes that exist.
    const auto existing = index_names(*t);
    for (const IndexDef& ix : t->indexes) {
      if (std::find(existing.begin(), existing.end(), ix.name) != existing.end()) continue;
      Bson cmd;
      BSON_APPEND_UTF8(cmd.get(), "createIndexes", t->name);
      bson_t arr;
      bson_t spec;
      bson_t keys;
      bson_append_array_begin(cmd.get(), "indexes", -1, &arr);
      bson_append_document_begin(&arr, "0", -1, &spec);
      bson_append_document_begin(&spec, "key", -1, &keys);
      for (const auto& [col, desc] : ix.keys) BSON_APPEND_INT32(&keys, field_name(*t, col), desc ? -1 : 1);
      bson_append_document_end(&spec, &keys);
      BSON_APPEND_UTF8(&spec, "name", ix.name);
      if (ix.unique) BSON_APPEND_BOOL(&spec, "unique", true);
      bson_append_document_end(&arr, &spec);
      bson_append_array_end(cmd.get(), &arr);
      Bson reply;
      impl_->command(cmd.get(), reply.get(), std::string("create index ") + ix.name + " on " + t->name);
    }
  }
  {
    Impl::Client c(*impl_);
    auto coll = c.collection(config.name);
    Bson selector;
    BSON_APPEND_UTF8(selector.get(), "_id", kSchemaDocId);
    Bson update;
    bson_t set;
    bson_append_document_begin(update.get(), "$set", -1, &set);
    BSON_APPEND_INT32(&set, "version", kSchemaVersion);
    bson_append_document_end(update.get(), &set);
    Bson opts;
    BSON_APPEND_BOOL(opts.get(), "upsert", true);
    bson_error_t err;
    Bson reply;
    if (!mongoc_collection_update_one(coll.get(), selector.get(), update.get(), opts.get(), reply.get(), &err) &&
        !is_duplicate_key(err)) {
      fail(err, "record the schema version");
    }
  }
  return info();
}

std::vector<std::string> MongoBackend::index_names(const TableDef& t) {
  Impl::Client c(*impl_);
  auto coll = c.collection(t.name);
  Cursor cur(mongoc_collection_find_indexes_with_opts(coll.get(), nullptr));
  std::vector<std::string> names;
  const bson_t* doc = nullptr;
  while (mongoc_cursor_next(cur.get(), &doc)) {
    bson_iter_t it;
    if (bson_iter_init_find(&it, doc, "name") && BSON_ITER_HOLDS_UTF8(&it)) {
      std::string name = bson_iter_utf8(&it, nullptr);
      if (name != "_id_") names.push_back(std::move(name));
    }
  }
  bson_error_t err;
  if (mongoc_cursor_error(cur.get(), &err)) fail(err, std::string("list the indexes of ") + t.name);
  std::sort(names.begin(), names.end());
  return names;
}

StorageInfo MongoBackend::info() {
  StorageInfo out;
  out.backend = "mongodb";
  out.location = location();
  std::vector<std::string> existing;
  {
    Impl::Client c(*impl_);
    bson_error_t err;
    auto coll = c.collection(config_table().name);
    Bson filter;
    BSON_APPEND_UTF8(filter.get(), "_id", kSchemaDocId);
    Cursor cur(mongoc_collection_find_with_opts(coll.get(), filter.get(), nullptr, nullptr));
    const bson_t* doc = nullptr;
    bson_iter_t it;
    if (mongoc_cursor_next(cur.get(), &doc) && bson_iter_init_find(&it, doc, "version") && BSON_ITER_HOLDS_NUMBER(&it))
      out.schema_version = static_cast<int>(bson_iter_as_int64(&it));
    if (mongoc_cursor_error(cur.get(), &err)) fail(err, "read the schema version");
    mongoc_database_t* db = mongoc_client_get_database(c.get(), impl_->database.c_str());
    char** names = mongoc_database_get_collection_names_with_opts(db, nullptr, &err);
    mongoc_database_destroy(db);
    if (names == nullptr) fail(err, "list collections");
    for (char** n = names; *n != nullptr; ++n) existing.emplace_back(*n);
    bson_strfreev(names);
  }
  // One pooled client at a time (index_names takes its own).
  for (const TableDef* t : all_tables()) {
    if (std::find(existing.begin(), existing.end(), t->name) == existing.end()) continue;
    out.tables.push_back({t->name, index_names(*t)});
  }
  return out;
}

// Writes and connection loss. A pooled connection can be dead without the
// driver knowing yet (the server restarted while we were idle); the first
// write on it then fails with a stream error although the new server never
// saw it. MongoDB's own retryable writes need a replica set, so each write
// below is retried once after a stream error, where that is safe:
//   - updates that set values by _id and deletes by _id are idempotent;
//   - an insert whose retry meets a duplicate _id checks whether the stored
//     document is exactly the one it sent (the first attempt landed);
//   - conditional (compare-and-set) updates are not retried: a lost reply
//     cannot be told from a lost request.
// Reads are retried by the driver itself (retryable reads).
namespace {
bool stream_error(const bson_error_t& e) { return e.domain == MONGOC_ERROR_STREAM; }
}  // namespace

MongoBackend::InsertResult MongoBackend::try_insert(const TableDef& t, const Row& row) {
  Bson doc;
  append_row(doc.get(), t, row);
  bson_error_t err;
  InsertResult r;
  for (int attempt = 0;; ++attempt) {
    {
      Impl::Client c(*impl_);
      auto coll = c.collection(t.name);
      if (mongoc_collection_insert_one(coll.get(), doc.get(), nullptr, nullptr, &err)) return r;
    }
    if (attempt == 0 && stream_error(err)) {
      r.retried = true;
      continue;
    }
    break;
  }
  if ((err.domain == MONGOC_ERROR_SERVER || err.domain == MONGOC_ERROR_WRITE_CONCERN) && is_duplicate_key(err)) {
    r.duplicate = err.message;
    return r;
  }
  fail(err, std::string("insert into ") + t.name);
}

void MongoBackend::insert(const TableDef& t, const Row& row) {
  const InsertResult r = try_insert(t, row);
  if (!r.duplicate) return;
  // After a retry the duplicate may be our own first attempt.
  if (r.retried) {
    auto stored = get(t, text_of(row, 0));
    if (stored && *stored == row) return;
  }
  throw storage_error(errc::conflict, std::string("mongodb: insert into ") + t.name + ": " + *r.duplicate);
}

bool MongoBackend::insert_new(const TableDef& t, const Row& row) {
  const InsertResult r = try_insert(t, row);
  if (!r.duplicate) return true;
  // The unique _id index decided atomically which of concurrent inserts won;
  // after a retry the winner may be our own first attempt.
  if (!r.retried) return false;
  auto stored = get(t, text_of(row, 0));
  return stored && *stored == row;
}

namespace {
void append_set(bson_t* update, const TableDef& t, const Assignments& set) {
  bson_t doc;
  bson_append_document_begin(update, "$set", -1, &doc);
  for (const auto& [col, v] : set) append_value(&doc, field_name(t, col), v);
  bson_append_document_end(update, &doc);
}
}  // namespace

bool MongoBackend::update(const TableDef& t, std::string_view id, const Assignments& set, const Filter& where) {
  Bson selector;
  build_filter(selector.get(), t, where, id);
  Bson update;
  append_set(update.get(), t, set);
  const bool idempotent = where.all.empty() && where.any.empty();
  bson_error_t err;
  for (int attempt = 0;; ++attempt) {
    Bson reply;
    {
      Impl::Client c(*impl_);
      auto coll = c.collection(t.name);
      if (mongoc_collection_update_one(coll.get(), selector.get(), update.get(), nullptr, reply.get(), &err))
        return reply_count(reply.get(), "matchedCount") > 0;
    }
    if (attempt > 0 || !idempotent || !stream_error(err)) fail(err, std::string("update ") + t.name);
  }
}

void MongoBackend::upsert(const TableDef& t, std::string_view id, const Assignments& set) {
  Bson selector;
  const std::string sid(id);
  append_text(selector.get(), "_id", sid);
  Bson update;
  append_set(update.get(), t, set);
  Bson opts;
  BSON_APPEND_BOOL(opts.get(), "upsert", true);
  bson_error_t err;
  // Retried once after a stream error (idempotent), and once after a
  // duplicate _id: two concurrent upserts of a missing _id may both try to
  // insert; the loser then updates the winner's document.
  bool retried_stream = false;
  bool retried_duplicate = false;
  for (;;) {
    Bson reply;
    {
      Impl::Client c(*impl_);
      auto coll = c.collection(t.name);
      if (mongoc_collection_update_one(coll.get(), selector.get(), update.get(), opts.get(), reply.get(), &err)) return;
    }
    if (!retried_stream && stream_error(err)) {
      retried_stream = true;
    } else if (!retried_duplicate && is_duplicate_key(err)) {
      retried_duplicate = true;
    } else {
      fail(err, std::string("upsert into ") + t.name);
    }
  }
}

bool MongoBackend::remove(const TableDef& t, std::string_view id, const Filter& where) {
  Bson selector;
  build_filter(selector.get(), t, where, id);
  const bool idempotent = where.all.empty() && where.any.empty();
  bson_error_t err;
  for (int attempt = 0;; ++attempt) {
    Bson reply;
    {
      Impl::Client c(*impl_);
      auto coll = c.collection(t.name);
      if (mongoc_collection_delete_one(coll.get(), selector.get(), nullptr, reply.get(), &err)) {
        // After a retry the document may be gone because the first attempt
        // deleted it: the caller's goal (it is gone) holds either way.
        return reply_count(reply.get(), "deletedCount") > 0 || attempt > 0;
      }
    }
    if (attempt > 0 || !idempotent || !stream_error(err)) fail(err, std::string("delete from ") + t.name);
  }
}

void MongoBackend::find(const TableDef& t, const Filter& where, const FindOptions& opts, const RowSink& sink) {
  Bson filter;
  build_filter(filter.get(), t, where);
  Bson o;
  if (!opts.sort.empty()) {
    bson_t sort;
    bson_append_document_begin(o.get(), "sort", -1, &sort);
    for (const auto& k : opts.sort) BSON_APPEND_INT32(&sort, field_name(t, k.column), k.descending ? -1 : 1);
    bson_append_document_end(o.get(), &sort);
  }
  if (opts.offset > 0) BSON_APPEND_INT64(o.get(), "skip", static_cast<std::int64_t>(opts.offset));
  if (opts.limit > 0) BSON_APPEND_INT64(o.get(), "limit", static_cast<std::int64_t>(opts.limit));
  if (!opts.columns.empty()) {
    bson_t proj;
    bson_append_document_begin(o.get(), "projection", -1, &proj);
    for (const auto& col : opts.columns) BSON_APPEND_INT32(&proj, field_name(t, col), 1);
    bson_append_document_end(o.get(), &proj);
  }
  Impl::Client c(*impl_);
  auto coll = c.collection(t.name);
  Cursor cur(mongoc_collection_find_with_opts(coll.get(), filter.get(), o.get(), nullptr));
  const bson_t* doc = nullptr;
  while (mongoc_cursor_next(cur.get(), &doc)) sink(to_row(doc, t));
  bson_error_t err;
  if (mongoc_cursor_error(cur.get(), &err)) fail(err, std::string("read ") + t.name);
}

std::int64_t MongoBackend::count(const TableDef& t, const Filter& where) {
  Bson filter;
  build_filter(filter.get(), t, where);
  Impl::Client c(*impl_);
  auto coll = c.collection(t.name);
  bson_error_t err;
  const std::int64_t n = mongoc_collection_count_documents(coll.get(), filter.get(), nullptr, nullptr, nullptr, &err);
  if (n < 0) fail(err, std::string("count ") + t.name);
  return n;
}

}  // namespace callwire::store_detail
