// callwire — JSON of the Telnyx Call Control v2 REST API (internal header).
//
// src/json/ is the only folder that may include RapidJSON (DESIGN.md), so the
// Telnyx transport (src/telnyx/) and the fake Telnyx of the tests build and
// read request, response and error bodies through this header:
//
//  - `Value`, a small JSON tree (objects keep insertion order) with encode()
//    and parse(); request bodies are built as Values, and tests compare bodies
//    with Value equality (member order ignored);
//  - typed decoders for the bodies Telnyx answers with: the `Call` resource
//    (POST /v2/calls, GET /v2/calls/{id}), the `Recording` resource
//    (GET /v2/recordings/{id}) and the `errors` array of every error answer.
//
// Everything here is a pure value or function: thread-safe to use from any
// thread as long as one Value is not mutated concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace callwire::json::telnyx_api {

/// A JSON value. Integers that fit in int64 are kept exact; other numbers are
/// doubles. Objects are ordered lists of members (encode() writes them in that
/// order); operator== compares objects as unordered maps and numbers by value.
class Value {
 public:
  enum class Kind { null, boolean, integer, number, string, array, object };
  using Member = std::pair<std::string, Value>;

  Value() = default;
  Value(std::nullptr_t) {}
  Value(bool b) : kind_(Kind::boolean), b_(b) {}
  Value(int i) : kind_(Kind::integer), i_(i) {}
  Value(std::int64_t i) : kind_(Kind::integer), i_(i) {}
  Value(double d) : kind_(Kind::number), d_(d) {}
  Value(std::string s) : kind_(Kind::string), s_(std::move(s)) {}
  Value(std::string_view s) : kind_(Kind::string), s_(s) {}
  Value(const char* s) : kind_(Kind::string), s_(s) {}

  static Value array() { Value v; v.kind_ = Kind::array; return v; }
  static Value object() { Value v; v.kind_ = Kind::object; return v; }

  Kind kind() const noexcept { return kind_; }
  bool is_null() const noexcept { return kind_ == Kind::null; }
  bool is_bool() const noexcept { return kind_ == Kind::boolean; }
  bool is_int() const noexcept { return kind_ == Kind::integer; }
  /// True for integers and doubles.
  bool is_number() const noexcept { return kind_ == Kind::integer || kind_ == Kind::number; }
  bool is_string() const noexcept { return kind_ == Kind::string; }
  bool is_array() const noexcept { return kind_ == Kind::array; }
  bool is_object() const noexcept { return kind_ == Kind::object; }

  /// Scalar accessors; each returns a neutral value (false, 0, "") for a
  /// Value of another kind.
  bool as_bool() const noexcept { return kind_ == Kind::boolean && b_; }
  std::int64_t as_int() const noexcept;
  double as_double() const noexcept;
  const std::string& as_string() const noexcept;

  /// Object members. set() replaces an existing member of the same name (its
  /// position is kept) or appends; it turns a null Value into an object.
  Value& set(std::string key, Value v);
  const Value* find(std::string_view key) const noexcept;
  /// find(key) when it is a string, else "".
  const std::string& string_at(std::string_view key) const noexcept;
  bool erase(std::string_view key);
  const std::vector<Member>& members() const noexcept { return members_; }

  /// Array items; push() turns a null Value into an array.
  Value& push(Value v);
  const std::vector<Value>& items() const noexcept { return items_; }

  friend bool operator==(const Value& a, const Value& b) noexcept;
  friend bool operator!=(const Value& a, const Value& b) noexcept { return !(a == b); }

 private:
  Kind kind_ = Kind::null;
  bool b_ = false;
  std::int64_t i_ = 0;
  double d_ = 0;
  std::string s_;
  std::vector<Value> items_;
  std::vector<Member> members_;
};

/// "null", "boolean", "integer", "number", "string", "array", "object".
const char* kind_name(Value::Kind k) noexcept;

/// Compact UTF-8 JSON text.
std::string encode(const Value& v);

/// Parses any JSON text. std::nullopt on malformed input, with the reason
/// ("malformed JSON at offset 12: …") in *error when given.
std::optional<Value> parse(std::string_view text, std::string* error = nullptr);

// ---------------------------------------------------------------------------
// Typed Telnyx bodies

/// One element of a Telnyx `errors` array. `code` is always a string (Telnyx
/// documents it as one; a numeric code is converted).
struct ApiError {
  std::string code;
  std::string title;
  std::string detail;
  std::string source_pointer;  ///< errors[].source.pointer, e.g. "/to"
};

/// The `errors` of an error body ({"errors": [...]}); empty when the body is
/// not JSON or has no errors array. Elements that are not objects are skipped.
std::vector<ApiError> parse_errors(std::string_view body);

/// {"errors":[{code,title,detail?,source?:{pointer}}...]}
std::string encode_errors(const std::vector<ApiError>& errors);

/// The `Call` resource: data of POST /v2/calls and GET /v2/calls/{id}.
struct CallData {
  std::string call_control_id;
  std::string call_leg_id;
  std::string call_session_id;
  std::string client_state;
  std::string recording_id;  ///< dial with record-from-answer only
  std::string record_type;
  std::string state;         ///< not in the spec's schema; kept when Telnyx sends it
  bool is_alive = false;
  std::int64_t call_duration = 0;
  std::string start_time;
  std::string end_time;
};

/// Parses {"data": Call}. Requires data.call_control_id (string); every other
/// field is optional but must have its documented type. On failure returns
/// std::nullopt and names the field in *error.
std::optional<CallData> parse_call_response(std::string_view body, std::string* error = nullptr);

/// One page of GET /v2/connections/{id}/active_calls: {"data": [Call …],
/// "meta": {"cursors": {"after": …}}}. Each item as in parse_call_response
/// (call_control_id required); `after` is empty on the last page.
struct ActiveCallsPage {
  std::vector<CallData> calls;
  std::string after;
};
std::optional<ActiveCallsPage> parse_active_calls_response(std::string_view body, std::string* error = nullptr);

/// The `Recording` resource of GET /v2/recordings/{id}.
struct RecordingData {
  std::string id;
  std::string call_control_id;
  std::string call_leg_id;
  std::string call_session_id;
  std::string channels;
  std::string status;
  std::string mp3_url;  ///< download_urls.mp3
  std::string wav_url;  ///< download_urls.wav
  std::int64_t duration_millis = 0;
  std::string created_at;
  std::string recording_started_at;
  std::string recording_ended_at;
};

/// Parses {"data": Recording}; requires data.id. As parse_call_response.
std::optional<RecordingData> parse_recording_response(std::string_view body, std::string* error = nullptr);

}  // namespace callwire::json::telnyx_api
