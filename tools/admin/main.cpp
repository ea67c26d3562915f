// callwire-admin — administration of callwire's storage.
//
//   callwire-admin init-db [URL] [--database NAME]
//       Creates every table/collection and index that is missing (and, for
//       SQLite, the file, migrated to the current schema), then lists them.
//       Idempotent, like the original scripts/init_db.py.
//   callwire-admin info [URL] [--database NAME]
//       Lists the tables/collections, their indexes and the schema version.
//
// URL defaults as the reference server's: $MONGODB_URL (database
// $DATABASE_NAME, default telnyx_calling), else the SQLite file $CALLWIRE_DB
// (default ./callwire.db). Exit status: 0 done, 1 storage error, 64 usage.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "callwire/error.hpp"
#include "callwire/storage.hpp"

namespace {

int usage(std::FILE* out, int code) {
  std::fputs(
      "usage: callwire-admin init-db [URL] [--database NAME]\n"
      "       callwire-admin info [URL] [--database NAME]\n"
      "\n"
      "  init-db  create the tables/collections and indexes that are missing\n"
      "  info     show the tables/collections, indexes and schema version\n"
      "\n"
      "URL: sqlite:///path/to/callwire.db, mongodb://… or mongodb+srv://….\n"
      "Default: $MONGODB_URL (database $DATABASE_NAME, default telnyx_calling),\n"
      "else sqlite:// of $CALLWIRE_DB (default ./callwire.db).\n",
      out);
  return code;
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

void print(const callwire::StorageInfo& info, const char* verb) {
  std::printf("%s %s: %s, schema version %d\n", verb, info.backend.c_str(), info.location.c_str(), info.schema_version);
  for (const auto& t : info.tables) {
    std::string indexes;
    for (const auto& i : t.indexes) indexes += (indexes.empty() ? "" : ", ") + i;
    std::printf("  %-14s indexes: %s\n", t.name.c_str(), indexes.empty() ? "(primary key only)" : indexes.c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage(stderr, 64);
  if (args[0] == "-h" || args[0] == "--help" || args[0] == "help") return usage(stdout, 0);
  const std::string command = args[0];
  if (command != "init-db" && command != "info") {
    std::fprintf(stderr, "callwire-admin: unknown command '%s'\n", command.c_str());
    return usage(stderr, 64);
  }
  std::string url;
  callwire::StorageOptions options;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--database" && i + 1 < args.size()) {
      options.database = args[++i];
    } else if (args[i].rfind("--", 0) == 0 || !url.empty()) {
      std::fprintf(stderr, "callwire-admin: unexpected argument '%s'\n", args[i].c_str());
      return usage(stderr, 64);
    } else {
      url = args[i];
    }
  }
  if (url.empty()) {
    url = env("MONGODB_URL");
    if (!url.empty()) {
      if (options.database.empty()) options.database = env("DATABASE_NAME");
    } else {
      const std::string file = env("CALLWIRE_DB").empty() ? "callwire.db" : env("CALLWIRE_DB");
      url = std::filesystem::absolute(file).string();
    }
  }
  try {
    auto storage = callwire::Storage::open(url, options);
    if (command == "init-db") print(storage.init(), "initialized");
    else print(storage.info(), "database");
    return 0;
  } catch (const callwire::Error& e) {
    // An operator's tool: the storage's own text (path, driver message) too.
    if (e.detail().empty()) std::fprintf(stderr, "callwire-admin: %s\n", e.what());
    else std::fprintf(stderr, "callwire-admin: %s (%s)\n", e.what(), e.detail().c_str());
    return 1;
  }
}
