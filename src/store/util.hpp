// Internal helpers of the typed stores: ids, input checks, search fragments.
#pragma once

#include <string>
#include <string_view>

#include "callwire/storage.hpp"
#include "store/backend.hpp"

namespace callwire::store_detail {

/// A random UUID v4, lower-case hex with dashes.
std::string new_id();

/// True when s is valid UTF-8 (no overlong forms, no surrogates).
bool valid_utf8(std::string_view s) noexcept;

/// errc::invalid_argument unless `value` is valid UTF-8 of at most max_bytes.
void check_text(std::string_view value, std::string_view field, std::size_t max_bytes);

/// The email address rule of every store: trimmed, at most 254 bytes of
/// UTF-8, exactly one '@' with text on both sides, no whitespace. Returns the
/// trimmed address; errc::invalid_argument naming `field` otherwise. An empty
/// address is returned as is (the caller decides whether one is required).
std::string check_email(std::string_view email, std::string_view field);

/// errc::invalid_argument unless id is 1..128 characters of [A-Za-z0-9._:-].
void check_id(std::string_view id, std::string_view field);

/// errc::invalid_argument unless 1 <= limit <= Page::kMaxPageSize.
void check_page(const Page& page);

/// Search text: valid UTF-8, no NUL, at most 200 bytes; trimmed.
std::string check_search(std::string_view search);

/// The phone-number form of a search fragment: separators (space . - / ( ))
/// removed. Empty when anything but '+' and digits remains, or no digit.
std::string phone_fragment(std::string_view search);

/// Leading and trailing ASCII whitespace removed.
std::string trim(std::string_view s);

/// errc::invalid_argument when a text column of the row is not valid UTF-8.
void check_row(const TableDef& t, const Row& row);
/// The same for one value of `column`.
void check_value(const TableDef& t, std::size_t column, const FieldValue& v);

/// Every column of the row but the id, as assignments.
Assignments all_but_id(const TableDef& t, const Row& row);

/// Filter for id = value.
Filter id_is(std::string_view id);

}  // namespace callwire::store_detail
