// Internal RapidJSON helpers shared by the files of src/json/ (the only
// folder that may include RapidJSON). Not installed.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "callwire/error.hpp"
#include "callwire/json.hpp"
#include "callwire/types.hpp"
#include "json/parse.hpp"

namespace callwire::json::detail {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

/// Writes one field per call; the overloads give each C++ type its JSON form.
/// Empty optionals are written as null.
class FieldWriter {
 public:
  explicit FieldWriter(Writer& w) : w_(w) {}

  void operator()(const char* key, const std::string& v) { w_.Key(key); w_.String(v.data(), static_cast<rapidjson::SizeType>(v.size())); }
  void operator()(const char* key, bool v) { w_.Key(key); w_.Bool(v); }
  void operator()(const char* key, std::int64_t v) { w_.Key(key); w_.Int64(v); }
  void operator()(const char* key, double v) { w_.Key(key); w_.Double(v); }
  void operator()(const char* key, TimePoint v) { (*this)(key, format_time(v)); }
  void operator()(const char* key, const std::optional<TimePoint>& v) {
    if (v) (*this)(key, *v); else null(key);
  }
  void operator()(const char* key, const std::optional<std::string>& v) {
    if (v) (*this)(key, *v); else null(key);
  }
  void operator()(const char* key, CallStatus v) { string_view(key, to_string(v)); }
  void operator()(const char* key, Direction v) { string_view(key, to_string(v)); }
  void operator()(const char* key, ContactCategory v) { string_view(key, to_string(v)); }
  void operator()(const char* key, UserRole v) { string_view(key, to_string(v)); }
  void operator()(const char* key, UserStatus v) { string_view(key, to_string(v)); }
  void operator()(const char* key, const std::map<std::string, std::int64_t>& v) {
    w_.Key(key);
    w_.StartObject();
    for (const auto& [k, n] : v) {
      w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
      w_.Int64(n);
    }
    w_.EndObject();
  }
  /// A field computed from the others (written, never read back).
  template <class Compute>
  void derived(const char* key, Compute&& compute) {
    (*this)(key, compute());
  }
  /// Embeds already-encoded JSON text (an object or array) as the value.
  void raw(const char* key, const std::string& json_text) {
    w_.Key(key);
    if (json_text.empty()) w_.Null();
    else w_.RawValue(json_text.data(), json_text.size(), rapidjson::kObjectType);
  }

 private:
  void null(const char* key) { w_.Key(key); w_.Null(); }
  void string_view(const char* key, std::string_view v) {
    w_.Key(key);
    w_.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  }
  Writer& w_;
};

/// Reads one field per call from an object. A missing field or null keeps the
/// default; a field of the wrong type throws Error(invalid_argument) naming
/// "<what>.<field>".
class FieldReader {
 public:
  FieldReader(const rapidjson::Value& obj, std::string what) : obj_(obj), what_(std::move(what)) {}

  void operator()(const char* key, std::string& v) {
    if (const auto* f = find(key)) {
      if (!f->IsString()) type_error(key, "a string");
      v.assign(f->GetString(), f->GetStringLength());
    }
  }
  void operator()(const char* key, bool& v) {
    if (const auto* f = find(key)) {
      if (!f->IsBool()) type_error(key, "a boolean");
      v = f->GetBool();
    }
  }
  void operator()(const char* key, std::int64_t& v) {
    if (const auto* f = find(key)) {
      if (f->IsInt64()) v = f->GetInt64();
      else if (f->IsDouble() && f->GetDouble() == static_cast<double>(static_cast<std::int64_t>(f->GetDouble())))
        v = static_cast<std::int64_t>(f->GetDouble());
      else type_error(key, "an integer");
    }
  }
  void operator()(const char* key, double& v) {
    if (const auto* f = find(key)) {
      if (!f->IsNumber()) type_error(key, "a number");
      v = f->GetDouble();
    }
  }
  void operator()(const char* key, TimePoint& v) {
    if (const auto* f = find(key)) v = time(key, *f);
  }
  void operator()(const char* key, std::optional<TimePoint>& v) {
    if (const auto* f = find(key)) v = time(key, *f);
  }
  void operator()(const char* key, std::optional<std::string>& v) {
    if (const auto* f = find(key)) {
      if (!f->IsString()) type_error(key, "a string or null");
      v = std::string(f->GetString(), f->GetStringLength());
    }
  }
  void operator()(const char* key, CallStatus& v) { enumeration(key, v, parse_call_status); }
  void operator()(const char* key, Direction& v) { enumeration(key, v, parse_direction); }
  void operator()(const char* key, ContactCategory& v) { enumeration(key, v, parse_contact_category); }
  void operator()(const char* key, UserRole& v) { enumeration(key, v, parse_user_role); }
  void operator()(const char* key, UserStatus& v) { enumeration(key, v, parse_user_status); }
  void operator()(const char* key, std::map<std::string, std::int64_t>& v) {
    if (const auto* f = find(key)) {
      if (!f->IsObject()) type_error(key, "an object");
      v.clear();
      for (const auto& m : f->GetObject()) {
        if (!m.value.IsInt64()) type_error(key, "an object of integers");
        v[std::string(m.name.GetString(), m.name.GetStringLength())] = m.value.GetInt64();
      }
    }
  }
  /// A computed field: whatever a client sends in it is ignored.
  template <class Compute>
  void derived(const char*, Compute&&) {}
  /// Re-encodes an object or array member as JSON text ("" when absent/null).
  void raw(const char* key, std::string& v) {
    if (const auto* f = find(key)) {
      if (!f->IsObject() && !f->IsArray()) type_error(key, "an object");
      rapidjson::StringBuffer sb;
      Writer w(sb);
      f->Accept(w);
      v.assign(sb.GetString(), sb.GetSize());
    }
  }

 private:
  const rapidjson::Value* find(const char* key) const {
    auto it = obj_.FindMember(key);
    if (it == obj_.MemberEnd() || it->value.IsNull()) return nullptr;
    return &it->value;
  }
  [[noreturn]] void type_error(const char* key, const char* expected) const {
    throw Error(errc::invalid_argument, what_ + "." + key + ": expected " + expected);
  }
  TimePoint time(const char* key, const rapidjson::Value& f) const {
    if (!f.IsString()) type_error(key, "an ISO-8601 time string");
    auto t = parse_time(std::string_view(f.GetString(), f.GetStringLength()));
    if (!t) type_error(key, "an ISO-8601 time string");
    return *t;
  }
  template <class E, class Parse>
  void enumeration(const char* key, E& v, Parse parse) {
    if (const auto* f = find(key)) {
      if (!f->IsString()) type_error(key, "a string");
      auto parsed = parse(std::string_view(f->GetString(), f->GetStringLength()));
      if (!parsed) {
        throw Error(errc::invalid_argument, what_ + "." + key + ": unknown value '" +
                                                std::string(f->GetString(), f->GetStringLength()) + "'");
      }
      v = *parsed;
    }
  }
  const rapidjson::Value& obj_;
  std::string what_;
};

/// Parses `text` as a JSON object or throws Error(invalid_argument) naming `what`.
inline rapidjson::Document parse_object(std::string_view text, const std::string& what) {
  rapidjson::Document doc;
  if (const auto status = parse_document(text, doc); !status) {
    throw Error(errc::invalid_argument, what + ": malformed JSON (" + status.describe() + ")");
  }
  if (!doc.IsObject()) throw Error(errc::invalid_argument, what + ": expected a JSON object");
  return doc;
}

}  // namespace callwire::json::detail
