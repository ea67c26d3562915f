// The text of an exception for a log line: what() and, for a callwire::Error
// that has one, its detail (the storage's or driver's own text, which
// clients never get).
#pragma once

#include <exception>
#include <string>

#include "callwire/error.hpp"

namespace callwire::client {

inline std::string exception_text(const std::exception& e) {
  const auto* err = dynamic_cast<const Error*>(&e);
  if (err == nullptr || err->detail().empty()) return e.what();
  return std::string(e.what()) + " (" + err->detail() + ")";
}

}  // namespace callwire::client
