// Storage::open: picks the backend from the URL.
#include "callwire/storage.hpp"

#include "callwire/error.hpp"
#include "store/backend.hpp"
#include "store/mongo/mongo_backend.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_backend.hpp"

namespace callwire {

using store_detail::Backend;

Storage Storage::open(std::string_view url, StorageOptions options) {
  if (url.empty()) throw Error(errc::invalid_argument, "storage URL is empty (use sqlite:///path/to/callwire.db or mongodb://…)");
  std::shared_ptr<Backend> b;
  const auto starts = [&](std::string_view p) { return url.substr(0, p.size()) == p; };
  if (starts("mongodb://") || starts("mongodb+srv://")) {
    b = std::make_shared<store_detail::MongoBackend>(url, options);
  } else if (starts("sqlite:") || url.find("://") == std::string_view::npos) {
    b = std::make_shared<store_detail::SqliteBackend>(store_detail::parse_sqlite_url(url, options));
  } else {
    const auto scheme = url.substr(0, url.find("://"));
    throw Error(errc::invalid_argument, "storage URL scheme '" + std::string(scheme) +
                                            "' is not supported (use sqlite:///path/to/callwire.db, mongodb:// or mongodb+srv://)");
  }
  b->set_clock(std::move(options.clock));
  return Storage(std::move(b));
}

int Storage::latest_schema_version(std::string_view backend) noexcept {
  if (backend == "sqlite") return store_detail::sqlite::kSchemaVersion;
  if (backend == "mongodb") return store_detail::kSchemaVersion;
  return 0;
}

std::string_view Storage::backend() const noexcept { return backend_->kind(); }
std::string Storage::location() const { return backend_->location(); }
StorageInfo Storage::init() { return backend_->init(); }
StorageInfo Storage::info() const { return backend_->info(); }
void Storage::ping() const { backend_->ping(); }
TimePoint Storage::now() const { return backend_->now(); }

}  // namespace callwire
