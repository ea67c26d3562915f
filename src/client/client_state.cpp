// Reading callwire's call id back from a client_state (see client_state.hpp).
#include "client/client_state.hpp"

#include <cctype>

#include "core/base64.hpp"

namespace callwire::client {

std::string call_id_from_client_state(const std::optional<std::string>& client_state) {
  if (!client_state || client_state->empty()) return {};
  auto decoded = base64::decode(*client_state);
  if (!decoded || decoded->size() != 36) return {};
  for (char c : *decoded) {
    if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == '-')) return {};
  }
  return *decoded;
}

std::string transfer_leg_client_state(const std::string& call_id) {
  return base64::encode("callwire-transfer-leg:" + call_id);
}

}  // namespace callwire::client
