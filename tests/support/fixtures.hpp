// Test helpers: read files from tests/fixtures/ (CALLWIRE_FIXTURES_DIR).
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace callwire::test {

inline std::filesystem::path fixtures_dir() { return CALLWIRE_FIXTURES_DIR; }

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read fixture " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string fixture(const std::string& relative) { return read_file(fixtures_dir() / relative); }

}  // namespace callwire::test
