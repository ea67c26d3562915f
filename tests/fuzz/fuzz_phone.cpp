// Fuzzes E.164 parsing: accepted numbers are valid E.164 and normalising is
// idempotent; rejected ones always say why.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "callwire/phone.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto r = callwire::parse_e164(input);
  if (auto* ok = std::get_if<std::string>(&r)) {
    if (!callwire::is_e164(*ok)) __builtin_trap();
    auto again = callwire::parse_e164(*ok);
    if (!std::holds_alternative<std::string>(again) || std::get<std::string>(again) != *ok) __builtin_trap();
  } else if (std::get<callwire::PhoneParseError>(r).message.empty()) {
    __builtin_trap();
  }
  return 0;
}
