// callwire-admin — administration of callwire's storage.
//
//   callwire-admin init-db [URL] [--database NAME]
//       Creates every table/collection and index that is missing (and, for
//       SQLite, the file, migrated to the current schema), then lists them.
//       Idempotent, like the original scripts/init_db.py.
//   callwire-admin info [URL] [--database NAME]
//       Lists the tables/collections, their indexes and the schema version.
//   callwire-admin create-user --email E --name N [--role admin|agent]
//                              [--password-stdin] [URL] [--database NAME]
//       Adds an account (the first administrator of a server with sign-in).
//       The password comes from a prompt that does not echo, typed twice,
//       or from the first line of standard input with --password-stdin.
//
// URL defaults as the reference server's: $MONGODB_URL (database
// $DATABASE_NAME, default telnyx_calling), else the SQLite file $CALLWIRE_DB
// (default ./callwire.db). Exit status: 0 done, 1 storage error, 64 usage.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "callwire/error.hpp"
#include "callwire/storage.hpp"
#include "callwire/user_store.hpp"

namespace {

int usage(std::FILE* out, int code) {
  std::fputs(
      "usage: callwire-admin init-db [URL] [--database NAME]\n"
      "       callwire-admin info [URL] [--database NAME]\n"
      "       callwire-admin create-user --email E --name N [--role admin|agent] [--password-stdin]\n"
      "                                  [URL] [--database NAME]\n"
      "\n"
      "  init-db      create the tables/collections and indexes that are missing\n"
      "  info         show the tables/collections, indexes and schema version\n"
      "  create-user  add an account; the password is prompted for (twice, not echoed),\n"
      "               or read from the first line of standard input with --password-stdin\n"
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

// One line from standard input; without echo when it is a terminal.
bool read_password(const char* prompt, bool from_stdin, std::string& out) {
  const bool tty = !from_stdin && ::isatty(STDIN_FILENO) == 1;
  termios saved{};
  if (tty) {
    std::fputs(prompt, stderr);
    std::fflush(stderr);
    ::tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  const bool ok = static_cast<bool>(std::getline(std::cin, out));
  if (tty) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::fputs("\n", stderr);
  }
  if (!out.empty() && out.back() == '\r') out.pop_back();
  return ok;
}

struct NewUserArgs {
  callwire::NewUser user;
  bool password_stdin = false;
};

int create_user(callwire::Storage& storage, NewUserArgs& a) {
  if (a.user.email.empty() || a.user.name.empty()) {
    std::fputs("callwire-admin: create-user needs --email and --name\n", stderr);
    return usage(stderr, 64);
  }
  if (!a.password_stdin && ::isatty(STDIN_FILENO) != 1) {
    std::fputs("callwire-admin: no terminal to ask for the password; pipe it with --password-stdin\n", stderr);
    return 64;
  }
  std::string again;
  if (!read_password("Password: ", a.password_stdin, a.user.password)) {
    std::fputs("callwire-admin: no password given\n", stderr);
    return 64;
  }
  if (!a.password_stdin) {
    if (!read_password("Password again: ", false, again) || again != a.user.password) {
      std::fputs("callwire-admin: the two passwords differ; nothing was added\n", stderr);
      return 64;
    }
  }
  const callwire::User u = callwire::UserStore(storage).create(a.user);
  std::printf("created %s %s (%s), id %s\n", std::string(callwire::to_string(u.role)).c_str(), u.email.c_str(),
              u.name.c_str(), u.id.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage(stderr, 64);
  if (args[0] == "-h" || args[0] == "--help" || args[0] == "help") return usage(stdout, 0);
  const std::string command = args[0];
  if (command != "init-db" && command != "info" && command != "create-user") {
    std::fprintf(stderr, "callwire-admin: unknown command '%s'\n", command.c_str());
    return usage(stderr, 64);
  }
  std::string url;
  callwire::StorageOptions options;
  NewUserArgs user;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const bool has_value = i + 1 < args.size();
    if (args[i] == "--database" && has_value) {
      options.database = args[++i];
    } else if (command == "create-user" && args[i] == "--email" && has_value) {
      user.user.email = args[++i];
    } else if (command == "create-user" && args[i] == "--name" && has_value) {
      user.user.name = args[++i];
    } else if (command == "create-user" && args[i] == "--role" && has_value) {
      const auto role = callwire::parse_user_role(args[++i]);
      if (!role) {
        std::fprintf(stderr, "callwire-admin: --role is admin or agent, not '%s'\n", args[i].c_str());
        return 64;
      }
      user.user.role = *role;
    } else if (command == "create-user" && args[i] == "--password-stdin") {
      user.password_stdin = true;
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
    if (command == "create-user") return create_user(storage, user);
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
