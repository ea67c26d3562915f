// Domain value helpers: enum spellings and secret masking.
#include "callwire/types.hpp"

#include <array>
#include <utility>

namespace callwire {
namespace {

constexpr std::array<std::pair<CallStatus, std::string_view>, 8> kStatusNames{{
    {CallStatus::dialing, "dialing"},
    {CallStatus::ringing, "ringing"},
    {CallStatus::active, "active"},
    {CallStatus::completed, "completed"},
    {CallStatus::busy, "busy"},
    {CallStatus::no_answer, "no_answer"},
    {CallStatus::canceled, "canceled"},
    {CallStatus::failed, "failed"},
}};

constexpr std::array<std::pair<ContactCategory, std::string_view>, 4> kCategoryNames{{
    {ContactCategory::lead, "lead"},
    {ContactCategory::client, "client"},
    {ContactCategory::follow_up, "follow_up"},
    {ContactCategory::other, "other"},
}};

constexpr std::array<std::pair<UserRole, std::string_view>, 2> kRoleNames{{
    {UserRole::admin, "admin"},
    {UserRole::agent, "agent"},
}};

constexpr std::array<std::pair<UserStatus, std::string_view>, 5> kUserStatusNames{{
    {UserStatus::available, "available"},
    {UserStatus::busy, "busy"},
    {UserStatus::wrap_up, "wrap_up"},
    {UserStatus::away, "away"},
    {UserStatus::offline, "offline"},
}};

template <class Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum e) noexcept {
  for (const auto& [value, name] : table) {
    if (value == e) return name;
  }
  return "unknown";
}

template <class Enum, std::size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, std::string_view>, N>& table,
                             std::string_view s) noexcept {
  for (const auto& [value, name] : table) {
    if (name == s) return value;
  }
  return std::nullopt;
}

}  // namespace

bool is_terminal(CallStatus s) noexcept {
  switch (s) {
    case CallStatus::dialing:
    case CallStatus::ringing:
    case CallStatus::active:
      return false;
    default:
      return true;
  }
}

std::string_view to_string(CallStatus s) noexcept { return name_of(kStatusNames, s); }
std::optional<CallStatus> parse_call_status(std::string_view s) noexcept { return value_of(kStatusNames, s); }

std::string_view to_string(Direction d) noexcept { return d == Direction::outbound ? "outbound" : "inbound"; }
std::optional<Direction> parse_direction(std::string_view s) noexcept {
  // Telnyx says "outgoing"/"incoming" in payloads; the REST API says outbound/inbound.
  if (s == "outbound" || s == "outgoing") return Direction::outbound;
  if (s == "inbound" || s == "incoming") return Direction::inbound;
  return std::nullopt;
}

std::string_view to_string(ContactCategory c) noexcept { return name_of(kCategoryNames, c); }
std::optional<ContactCategory> parse_contact_category(std::string_view s) noexcept {
  return value_of(kCategoryNames, s);
}

std::string_view to_string(UserRole r) noexcept { return name_of(kRoleNames, r); }
std::optional<UserRole> parse_user_role(std::string_view s) noexcept { return value_of(kRoleNames, s); }

std::string_view to_string(UserStatus s) noexcept { return name_of(kUserStatusNames, s); }
std::optional<UserStatus> parse_user_status(std::string_view s) noexcept { return value_of(kUserStatusNames, s); }

std::string mask_secret(std::string_view secret) {
  if (secret.empty()) return {};
  constexpr std::size_t kShown = 4;
  // Short secrets are masked whole: showing 4 of 6 characters would give them away.
  if (secret.size() <= 2 * kShown) return std::string(secret.size(), '*');
  return std::string("****") + std::string(secret.substr(secret.size() - kShown));
}

Settings masked(const Settings& s) {
  Settings m = s;
  m.api_key = mask_secret(s.api_key);
  m.api_v2_key = mask_secret(s.api_v2_key);
  return m;
}

}  // namespace callwire
