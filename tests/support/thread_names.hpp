// Test support: the names of this process's threads, from
// /proc/self/task/*/comm (Linux only; empty elsewhere).
#pragma once

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

namespace callwire::test {

inline std::multiset<std::string> thread_names() {
  std::multiset<std::string> names;
#if defined(__linux__)
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream in(task.path() / "comm");
    std::string name;
    if (std::getline(in, name)) names.insert(name);
  }
#endif
  return names;
}

}  // namespace callwire::test
