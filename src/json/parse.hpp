// How every JSON text of callwire is parsed (internal to src/json/): one
// function, so one set of rules for request bodies, webhooks, the codec,
// tokens and Telnyx's answers.
//
//   - iteratively (RapidJSON's kParseIterativeFlag): the parser's own stack
//     is on the heap, so no input can overflow the thread's stack;
//   - at most kMaxDepth levels of arrays and objects: deeper text is refused
//     before anything walks it recursively (writing a payload back, decoding
//     a Telnyx answer, destroying it);
//   - with full precision: a number printed by our writer parses back to the
//     same double, so a stored payload survives a read-write round trip.
//
// The text must be one JSON value with nothing but white space after it.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace callwire::json::detail {

/// The deepest nesting of arrays and objects accepted. Telnyx webhooks nest
/// 4 levels; request bodies 2.
inline constexpr unsigned kMaxDepth = 64;

struct ParseStatus {
  enum class Kind { ok, malformed, too_deep };
  Kind kind = Kind::ok;
  std::size_t offset = 0;  ///< where it failed, in bytes from the start
  rapidjson::ParseErrorCode code = rapidjson::kParseErrorNone;  ///< RapidJSON's reason when malformed

  explicit operator bool() const noexcept { return kind == Kind::ok; }
  /// "error at offset 12", "nested more than 64 levels deep (at offset 64)".
  std::string describe() const;
  /// "Missing a comma or ']' after an array element.", "nested more than 64 levels deep".
  std::string reason() const;
};

/// Parses `text` into `doc` (which is left null on failure).
ParseStatus parse_document(std::string_view text, rapidjson::Document& doc);

}  // namespace callwire::json::detail
