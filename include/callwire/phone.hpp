// callwire — E.164 phone numbers.
#pragma once

#include <string>
#include <string_view>
#include <variant>

namespace callwire {

/// Why a string is not a plausible E.164 number.
enum class PhoneError {
  empty,              ///< nothing but separators
  letters,            ///< contains letters or other characters that are not digits or separators
  no_country_code,    ///< no leading "+" or "00" international prefix
  bad_country_code,   ///< country codes never start with 0
  too_short,          ///< fewer than 7 digits after the "+"
  too_long,           ///< more than 15 digits (E.164 maximum)
};

/// A message that says why, e.g. "phone number is too short: 5 digits, E.164 needs at least 7".
struct PhoneParseError {
  PhoneError error;
  std::string message;
};

/// Normalises user input to E.164 ("+1 (212) 555-1234" → "+12125551234",
/// "00 44 20 7946 0958" → "+442079460958"). Accepts spaces, dots, dashes,
/// slashes and parentheses as separators. Returns the normalised string or
/// the reason it is not a plausible E.164 number.
std::variant<std::string, PhoneParseError> parse_e164(std::string_view input);

/// parse_e164, throwing callwire::Error(errc::invalid_argument) with the
/// message, prefixed with `field` when given ("to_number: …").
std::string normalize_e164(std::string_view input, std::string_view field = {});

/// True when `s` is already normalised E.164: '+' then 7..15 digits, first not 0.
bool is_e164(std::string_view s) noexcept;

}  // namespace callwire
