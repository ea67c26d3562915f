// callwire — reading a JSON text without RapidJSON (internal header of the codec).
//
// Only src/json/ includes RapidJSON (DESIGN.md, "Layers"). A layer below the
// codec that must read a JSON text whose shape it owns — the carrier's Telnyx
// webhook envelope (src/telnyx/envelope.cpp) — reads it through these two
// types: a Document parsed by the codec's one parser (json/parse.hpp:
// iterative, at most kMaxDepth levels, full precision) and read-only Views
// into it. Nothing is copied: a View is a pointer into the Document.
//
// A View is valid while its Document lives and is not moved. Both are plain
// values: one Document may be read from several threads at once.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace callwire::json {

/// One value inside a Document.
class View {
 public:
  bool is_null() const noexcept;
  bool is_string() const noexcept;
  bool is_object() const noexcept;
  bool is_array() const noexcept;

  /// The text of a string ("" for any other kind).
  std::string_view string() const noexcept;
  /// The member `key` of an object, null members included; std::nullopt when
  /// absent or when this is not an object.
  std::optional<View> find(std::string_view key) const noexcept;
  /// The value as compact JSON text, in the codec's normal form (numbers at
  /// full precision, printed in their shortest exact form): a text written
  /// once reads back and writes again unchanged.
  std::string text() const;

 private:
  friend class Document;
  explicit View(const void* value) noexcept : value_(value) {}
  const void* value_;  // a rapidjson::Value of the Document
};

/// A parsed JSON text of any kind.
class Document {
 public:
  /// Parses `text` (one JSON value, nothing but white space after it). On
  /// failure returns std::nullopt and, when given, puts where and why in
  /// *error ("error at offset 12", "nested more than 64 levels deep (at offset 64)").
  static std::optional<Document> parse(std::string_view text, std::string* error = nullptr);

  Document(Document&&) noexcept;
  Document& operator=(Document&&) noexcept;
  ~Document();

  View root() const noexcept;

 private:
  struct Impl;
  Document();
  std::unique_ptr<Impl> impl_;
};

}  // namespace callwire::json
