// Base64 (RFC 4648, standard alphabet) — internal helper.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace callwire::base64 {

/// Standard alphabet with '=' padding.
std::string encode(std::string_view bytes);

/// Strict decode: standard alphabet only, padding optional but, when present,
/// correct; no whitespace. std::nullopt on anything else.
std::optional<std::string> decode(std::string_view text);

}  // namespace callwire::base64
