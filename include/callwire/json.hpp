// callwire — JSON codec for every public type.
//
// Encoding gives compact UTF-8 JSON text with the field names of the REST API
// (DESIGN.md). Decoding is strict about types and lenient about presence:
// unknown fields are ignored, missing fields keep their defaults, and a field
// of the wrong type throws callwire::Error(errc::invalid_argument) with a
// message naming the field ("contact.is_favorite: expected a boolean").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callwire/types.hpp"

namespace callwire::json {

/// ISO-8601 UTC with milliseconds: "2026-11-26T10:22:45.123Z".
std::string format_time(TimePoint t);
/// Parses ISO-8601 with a Z or ±hh:mm offset and any number of fractional
/// digits (Telnyx sends microseconds). std::nullopt when malformed.
std::optional<TimePoint> parse_time(std::string_view s);

std::string encode(const Call& v);
std::string encode(const CallEvent& v);
std::string encode(const Contact& v);
std::string encode(const Recording& v);
std::string encode(const PhoneNumber& v);
std::string encode(const Settings& v);
std::string encode(const Stats& v);
/// A user without any password material (UserStore never hands that out).
std::string encode(const User& v);

/// Arrays: "[{…},{…}]".
std::string encode(const std::vector<Call>& v);
std::string encode(const std::vector<Contact>& v);
std::string encode(const std::vector<Recording>& v);
std::string encode(const std::vector<PhoneNumber>& v);
std::string encode(const std::vector<User>& v);

Call decode_call(std::string_view text);
CallEvent decode_call_event(std::string_view text);
Contact decode_contact(std::string_view text);
Recording decode_recording(std::string_view text);
PhoneNumber decode_phone_number(std::string_view text);
Settings decode_settings(std::string_view text);
Stats decode_stats(std::string_view text);
User decode_user(std::string_view text);

/// `{"detail": message}` — the error body of the REST API.
std::string error_body(std::string_view message);

}  // namespace callwire::json
