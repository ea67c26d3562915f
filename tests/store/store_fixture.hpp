// The storage conformance fixture: one set of tests, run against every
// backend. GetParam() is "sqlite" (a fresh file in a temporary folder) or
// "mongodb" (a FerretDB server started for this test process, a fresh
// database per test). A missing ferretdb binary fails the MongoDB tests —
// they are never skipped.
#pragma once

#include <gtest/gtest.h>

#include <stdlib.h>

#include <atomic>
#include <cctype>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "callwire/error.hpp"
#include "callwire/json.hpp"
#include "callwire/storage.hpp"
#include "ferretdb.hpp"

namespace callwire::test {

/// A temporary folder, removed with its contents.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "callwire-store-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

/// The FerretDB server of this test process, started on first use and
/// stopped at exit. Throws std::runtime_error when it cannot be started.
FerretDb& shared_ferretdb();

/// 2026-01-01T00:00:00Z plus `seconds`.
inline TimePoint at(std::int64_t seconds) {
  return TimePoint(std::chrono::milliseconds(1'767'225'600'000LL + seconds * 1000));
}

/// Asserts that `stmt` throws callwire::Error with `code` and returns it.
#define CW_EXPECT_ERROR(stmt, code_)                                                                  \
  [&]() -> ::callwire::Error {                                                                        \
    try {                                                                                             \
      stmt;                                                                                           \
    } catch (const ::callwire::Error& e_) {                                                           \
      EXPECT_EQ(e_.code(), (code_)) << "message: " << e_.what();                                      \
      return e_;                                                                                      \
    }                                                                                                 \
    ADD_FAILURE() << #stmt " did not throw";                                                          \
    return ::callwire::Error(::callwire::errc::ok, "");                                               \
  }()

/// Checks that a storage error's what() is a plain sentence any client may
/// see — capitalised, ending with '.', and without SQL, driver text, paths or
/// URLs — and that the raw text is in its detail() instead.
inline void expect_client_safe(const ::callwire::Error& e) {
  const std::string what = e.what();
  ASSERT_FALSE(what.empty());
  EXPECT_TRUE(what.front() >= 'A' && what.front() <= 'Z') << what;
  EXPECT_EQ(what.back(), '.') << what;
  std::string lower = what;
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (const char* leak : {"sqlite", "mongodb", "mongoc", "sql", "unique", "constraint", "duplicate key", "e11000",
                           "insert into", "select ", "index", "/", "\\", "://", "127.0.0.1", "errmsg", "(", ")"}) {
    EXPECT_EQ(lower.find(leak), std::string::npos) << "what() carries '" << leak << "': " << what;
  }
  EXPECT_FALSE(e.detail().empty()) << "no detail for: " << what;
}

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    try {
      storage_ = open();
    } catch (const std::exception& e) {
      GTEST_FAIL() << GetParam() << " backend: " << e.what()
                   << (mongo() ? "\n--- ferretdb log ---\n" + shared_ferretdb().log_tail() : std::string());
    }
  }

  /// A URL for this test's database (the same on every call).
  std::string url() {
    if (GetParam() == "sqlite") return "sqlite://" + dir_.file("callwire.db");
    return shared_ferretdb().url(database_name());
  }

  /// Opens (another handle on) this test's database, with the fake clock.
  Storage open() {
    StorageOptions o;
    o.timeout = std::chrono::milliseconds(3000);
    o.clock = [this] { return at(ticks_.fetch_add(1)); };
    return Storage::open(url(), o);
  }

  Storage& storage() { return *storage_; }
  bool mongo() const { return GetParam() == "mongodb"; }

  TempDir dir_;
  std::atomic<std::int64_t> ticks_{1};
  std::optional<Storage> storage_;

 private:
  static std::string database_name() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string n = std::string("t_") + info->name();
    for (auto& c : n) {
      if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    }
    return n.substr(0, 60);
  }
};

inline std::string backend_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace callwire::test
