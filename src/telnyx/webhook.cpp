// Case-insensitive header map for webhook verification.
#include <algorithm>
#include <cctype>

#include "callwire/webhook.hpp"

namespace callwire::telnyx {
namespace {
std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}
}  // namespace

void Headers::set(std::string_view name, std::string_view value) { map_[lower(name)] = std::string(value); }

std::optional<std::string_view> Headers::get(std::string_view name) const {
  auto it = map_.find(lower(name));
  if (it == map_.end()) return std::nullopt;
  return std::string_view(it->second);
}

std::string_view to_string(Verdict v) noexcept {
  switch (v) {
    case Verdict::valid: return "valid";
    case Verdict::missing_headers: return "missing_headers";
    case Verdict::invalid_timestamp: return "invalid_timestamp";
    case Verdict::timestamp_outside_tolerance: return "timestamp_outside_tolerance";
    case Verdict::invalid_signature_encoding: return "invalid_signature_encoding";
    case Verdict::invalid_signature_size: return "invalid_signature_size";
    case Verdict::invalid_public_key_encoding: return "invalid_public_key_encoding";
    case Verdict::invalid_public_key_size: return "invalid_public_key_size";
    case Verdict::signature_mismatch: return "signature_mismatch";
  }
  return "unknown";
}

}  // namespace callwire::telnyx
