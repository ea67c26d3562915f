// JSON request bodies and small ad-hoc answers of the REST API (internal).
// The codec (callwire/json.hpp) handles the domain types; this handles the
// shapes around them ({to_number, from_number}, {"muted": true}, …).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace callwire::json {

/// A parsed JSON object. Lookups of a field with the wrong type throw
/// Error(invalid_argument, "<field>: expected a string"); an absent field or
/// null gives std::nullopt.
class Body {
 public:
  /// Throws Error(malformed, "request body is not valid JSON …") or
  /// Error(invalid_argument, "request body must be a JSON object"). An empty
  /// text is an empty object.
  static Body parse(std::string_view text);

  bool has(std::string_view field) const;
  std::optional<std::string> string(std::string_view field) const;
  std::optional<bool> boolean(std::string_view field) const;
  std::optional<std::int64_t> integer(std::string_view field) const;
  /// The names of every field present.
  std::vector<std::string> fields() const;
  /// True when the field is present and a string.
  bool is_string(std::string_view field) const;
  /// A field that is an object, as a Body of its own; std::nullopt when
  /// absent or null; Error(invalid_argument, "<field>: expected an object")
  /// for another type.
  std::optional<Body> object(std::string_view field) const;

 private:
  struct Doc;
  std::shared_ptr<Doc> doc_;
};

/// Builds one JSON object field by field: {"a":"x","b":1,"c":{…raw…}}.
class ObjectWriter {
 public:
  ObjectWriter();
  ~ObjectWriter();
  ObjectWriter(const ObjectWriter&) = delete;
  ObjectWriter& operator=(const ObjectWriter&) = delete;

  ObjectWriter& add(std::string_view key, std::string_view value);
  ObjectWriter& add(std::string_view key, const char* value) { return add(key, std::string_view(value)); }
  ObjectWriter& add(std::string_view key, std::int64_t value);
  ObjectWriter& add(std::string_view key, double value);
  ObjectWriter& add(std::string_view key, bool value);
  ObjectWriter& add_null(std::string_view key);
  /// Embeds already-encoded JSON (object, array or scalar) as the value.
  ObjectWriter& add_raw(std::string_view key, std::string_view json_text);
  /// Closes the object and returns the text.
  std::string finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace callwire::json
