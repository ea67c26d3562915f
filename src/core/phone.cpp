// E.164 normalisation: separators stripped, "00" read as "+", lengths checked.
#include "callwire/phone.hpp"

#include "callwire/error.hpp"

namespace callwire {
namespace {

constexpr std::size_t kMinDigits = 7;   // the shortest numbers in use (e.g. +290 xxxx)
constexpr std::size_t kMaxDigits = 15;  // ITU-T E.164

bool is_separator(char c) noexcept {
  return c == ' ' || c == '\t' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')';
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

PhoneParseError fail(PhoneError e, std::string message) { return {e, std::move(message)}; }

}  // namespace

std::variant<std::string, PhoneParseError> parse_e164(std::string_view input) {
  std::string digits;
  bool plus = false;
  bool seen_digit = false;
  for (char c : input) {
    if (is_digit(c)) {
      digits.push_back(c);
      seen_digit = true;
    } else if (c == '+') {
      if (plus || seen_digit) {
        return fail(PhoneError::letters, "phone number has a '+' that is not at the start");
      }
      plus = true;
    } else if (!is_separator(c)) {
      return fail(PhoneError::letters, std::string("phone number contains '") + c +
                                           "': only digits, '+', spaces, dots, dashes, slashes and "
                                           "parentheses are allowed");
    }
    if (digits.size() > 64) {
      return fail(PhoneError::too_long, "phone number is too long: more than 64 digits");
    }
  }
  if (digits.empty()) return fail(PhoneError::empty, "phone number is empty");
  if (!plus) {
    if (digits.size() >= 2 && digits[0] == '0' && digits[1] == '0') {
      digits.erase(0, 2);  // "00" is the international call prefix in most countries
    } else {
      return fail(PhoneError::no_country_code,
                  "phone number has no country code: start it with '+' or '00' (e.g. +12125551234)");
    }
  }
  if (digits.empty()) return fail(PhoneError::empty, "phone number has no digits after the international prefix");
  if (digits[0] == '0') {
    return fail(PhoneError::bad_country_code, "phone number has no valid country code: country codes never start with 0");
  }
  if (digits.size() < kMinDigits) {
    return fail(PhoneError::too_short, "phone number is too short: " + std::to_string(digits.size()) +
                                           " digits, E.164 needs at least " + std::to_string(kMinDigits));
  }
  if (digits.size() > kMaxDigits) {
    return fail(PhoneError::too_long, "phone number is too long: " + std::to_string(digits.size()) +
                                          " digits, E.164 allows at most " + std::to_string(kMaxDigits));
  }
  return "+" + digits;
}

std::string normalize_e164(std::string_view input, std::string_view field) {
  auto parsed = parse_e164(input);
  if (auto* err = std::get_if<PhoneParseError>(&parsed)) {
    std::string message = field.empty() ? err->message : std::string(field) + ": " + err->message;
    throw Error(errc::invalid_argument, message);
  }
  return std::get<std::string>(std::move(parsed));
}

bool is_e164(std::string_view s) noexcept {
  if (s.size() < kMinDigits + 1 || s.size() > kMaxDigits + 1 || s[0] != '+' || s[1] == '0') return false;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (!is_digit(s[i])) return false;
  }
  return true;
}

}  // namespace callwire
