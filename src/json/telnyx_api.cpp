// callwire — JSON of the Telnyx Call Control v2 REST API (see telnyx_api.hpp).
#include "json/telnyx_api.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cmath>

#include "json/detail.hpp"

namespace callwire::json::telnyx_api {

namespace {

const std::string& empty_string() {
  static const std::string empty;
  return empty;
}

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write(Writer& w, const Value& v) {
  switch (v.kind()) {
    case Value::Kind::null: w.Null(); break;
    case Value::Kind::boolean: w.Bool(v.as_bool()); break;
    case Value::Kind::integer: w.Int64(v.as_int()); break;
    case Value::Kind::number:
      // JSON has no NaN or infinity; write null rather than invalid text.
      if (std::isfinite(v.as_double())) w.Double(v.as_double()); else w.Null();
      break;
    case Value::Kind::string:
      w.String(v.as_string().data(), static_cast<rapidjson::SizeType>(v.as_string().size()));
      break;
    case Value::Kind::array:
      w.StartArray();
      for (const auto& item : v.items()) write(w, item);
      w.EndArray();
      break;
    case Value::Kind::object:
      w.StartObject();
      for (const auto& [k, m] : v.members()) {
        w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
        write(w, m);
      }
      w.EndObject();
      break;
  }
}

Value from_rapidjson(const rapidjson::Value& r) {
  if (r.IsNull()) return Value();
  if (r.IsBool()) return Value(r.GetBool());
  if (r.IsInt64()) return Value(static_cast<std::int64_t>(r.GetInt64()));
  if (r.IsNumber()) return Value(r.GetDouble());
  if (r.IsString()) return Value(std::string(r.GetString(), r.GetStringLength()));
  if (r.IsArray()) {
    Value a = Value::array();
    for (const auto& item : r.GetArray()) a.push(from_rapidjson(item));
    return a;
  }
  Value o = Value::object();
  for (const auto& m : r.GetObject()) {
    o.set(std::string(m.name.GetString(), m.name.GetStringLength()), from_rapidjson(m.value));
  }
  return o;
}

/// Reads typed optional fields of one object, remembering the first error.
class Reader {
 public:
  Reader(const Value& obj, std::string what) : obj_(obj), what_(std::move(what)) {}

  void string(const char* key, std::string& out, bool required = false) {
    const Value* f = obj_.find(key);
    if (f == nullptr || f->is_null()) {
      if (required) fail(key, "is required");
      return;
    }
    if (!f->is_string()) return fail(key, "expected a string");
    out = f->as_string();
  }
  void boolean(const char* key, bool& out) {
    const Value* f = obj_.find(key);
    if (f == nullptr || f->is_null()) return;
    if (!f->is_bool()) return fail(key, "expected a boolean");
    out = f->as_bool();
  }
  void integer(const char* key, std::int64_t& out) {
    const Value* f = obj_.find(key);
    if (f == nullptr || f->is_null()) return;
    if (f->is_int()) {
      out = f->as_int();
    } else if (f->is_number() && std::floor(f->as_double()) == f->as_double() && std::fabs(f->as_double()) < 9e18) {
      out = static_cast<std::int64_t>(f->as_double());
    } else {
      fail(key, "expected an integer");
    }
  }
  const Value* object(const char* key) {
    const Value* f = obj_.find(key);
    if (f == nullptr || f->is_null()) return nullptr;
    if (!f->is_object()) {
      fail(key, "expected an object");
      return nullptr;
    }
    return f;
  }
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  void fail(const char* key, const char* why) {
    if (error_.empty()) error_ = what_ + "." + key + ": " + why;
  }
  const Value& obj_;
  std::string what_;
  std::string error_;
};

/// The `data` object of {"data": {...}}, or nullptr with *error set.
std::optional<Value> data_object(std::string_view body, std::string* error) {
  std::string perr;
  auto doc = parse(body, &perr);
  if (!doc) {
    if (error != nullptr) *error = perr;
    return std::nullopt;
  }
  if (!doc->is_object()) {
    if (error != nullptr) *error = "expected a JSON object";
    return std::nullopt;
  }
  const Value* data = doc->find("data");
  if (data == nullptr || !data->is_object()) {
    if (error != nullptr) *error = "data: expected an object";
    return std::nullopt;
  }
  return *data;
}

}  // namespace

// --- Value ----------------------------------------------------------------

std::int64_t Value::as_int() const noexcept {
  if (kind_ == Kind::integer) return i_;
  if (kind_ == Kind::number) return static_cast<std::int64_t>(d_);
  return 0;
}

double Value::as_double() const noexcept {
  if (kind_ == Kind::number) return d_;
  if (kind_ == Kind::integer) return static_cast<double>(i_);
  return 0;
}

const std::string& Value::as_string() const noexcept { return kind_ == Kind::string ? s_ : empty_string(); }

Value& Value::set(std::string key, Value v) {
  if (kind_ == Kind::null) kind_ = Kind::object;
  for (auto& m : members_) {
    if (m.first == key) {
      m.second = std::move(v);
      return m.second;
    }
  }
  members_.emplace_back(std::move(key), std::move(v));
  return members_.back().second;
}

const Value* Value::find(std::string_view key) const noexcept {
  for (const auto& m : members_) {
    if (m.first == key) return &m.second;
  }
  return nullptr;
}

const std::string& Value::string_at(std::string_view key) const noexcept {
  const Value* v = find(key);
  return v != nullptr ? v->as_string() : empty_string();
}

bool Value::erase(std::string_view key) {
  auto it = std::find_if(members_.begin(), members_.end(), [&](const Member& m) { return m.first == key; });
  if (it == members_.end()) return false;
  members_.erase(it);
  return true;
}

Value& Value::push(Value v) {
  if (kind_ == Kind::null) kind_ = Kind::array;
  items_.push_back(std::move(v));
  return items_.back();
}

bool operator==(const Value& a, const Value& b) noexcept {
  if (a.is_number() && b.is_number()) {
    if (a.is_int() && b.is_int()) return a.i_ == b.i_;
    return a.as_double() == b.as_double();
  }
  if (a.kind_ != b.kind_) return false;
  switch (a.kind_) {
    case Value::Kind::null: return true;
    case Value::Kind::boolean: return a.b_ == b.b_;
    case Value::Kind::string: return a.s_ == b.s_;
    case Value::Kind::array: return a.items_ == b.items_;
    case Value::Kind::object: {
      if (a.members_.size() != b.members_.size()) return false;
      for (const auto& [k, v] : a.members_) {
        const Value* other = b.find(k);
        if (other == nullptr || !(*other == v)) return false;
      }
      return true;
    }
    default: return false;
  }
}

const char* kind_name(Value::Kind k) noexcept {
  switch (k) {
    case Value::Kind::null: return "null";
    case Value::Kind::boolean: return "boolean";
    case Value::Kind::integer: return "integer";
    case Value::Kind::number: return "number";
    case Value::Kind::string: return "string";
    case Value::Kind::array: return "array";
    case Value::Kind::object: return "object";
  }
  return "unknown";
}

std::string encode(const Value& v) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  write(w, v);
  return std::string(sb.GetString(), sb.GetSize());
}

std::optional<Value> parse(std::string_view text, std::string* error) {
  rapidjson::Document doc;
  if (const auto status = detail::parse_document(text, doc); !status) {
    if (error != nullptr) *error = "malformed JSON at offset " + std::to_string(status.offset) + ": " + status.reason();
    return std::nullopt;
  }
  return from_rapidjson(doc);
}

// --- Typed bodies -----------------------------------------------------------

std::vector<ApiError> parse_errors(std::string_view body) {
  std::vector<ApiError> out;
  auto doc = parse(body);
  if (!doc || !doc->is_object()) return out;
  const Value* errors = doc->find("errors");
  if (errors == nullptr || !errors->is_array()) return out;
  for (const auto& e : errors->items()) {
    if (!e.is_object()) continue;
    ApiError a;
    if (const Value* code = e.find("code")) {
      if (code->is_string()) a.code = code->as_string();
      else if (code->is_int()) a.code = std::to_string(code->as_int());
    }
    a.title = e.string_at("title");
    a.detail = e.string_at("detail");
    if (const Value* source = e.find("source"); source != nullptr && source->is_object()) {
      a.source_pointer = source->string_at("pointer");
    }
    out.push_back(std::move(a));
  }
  return out;
}

std::string encode_errors(const std::vector<ApiError>& errors) {
  Value arr = Value::array();
  for (const auto& e : errors) {
    Value o = Value::object();
    o.set("code", e.code);
    o.set("title", e.title);
    if (!e.detail.empty()) o.set("detail", e.detail);
    if (!e.source_pointer.empty()) {
      Value source = Value::object();
      source.set("pointer", e.source_pointer);
      o.set("source", std::move(source));
    }
    arr.push(std::move(o));
  }
  Value body = Value::object();
  body.set("errors", std::move(arr));
  return encode(body);
}

namespace {

// The fields of a Call resource that GET /calls/{id} and the active-calls
// list share (call_control_id required); the caller checks r.ok().
void read_call_ids(Reader& r, CallData& c) {
  r.string("call_control_id", c.call_control_id, true);
  r.string("call_leg_id", c.call_leg_id);
  r.string("call_session_id", c.call_session_id);
  r.string("client_state", c.client_state);
  r.string("record_type", c.record_type);
  r.integer("call_duration", c.call_duration);
}

bool read_call(const Value& item, const std::string& what, CallData& c, std::string* error) {
  Reader r(item, what);
  read_call_ids(r, c);
  if (r.ok()) return true;
  if (error != nullptr) *error = r.error();
  return false;
}

}  // namespace

std::optional<CallData> parse_call_response(std::string_view body, std::string* error) {
  auto data = data_object(body, error);
  if (!data) return std::nullopt;
  CallData c;
  Reader r(*data, "data");
  read_call_ids(r, c);
  r.string("recording_id", c.recording_id);
  r.string("state", c.state);
  r.boolean("is_alive", c.is_alive);
  r.string("start_time", c.start_time);
  r.string("end_time", c.end_time);
  if (!r.ok()) {
    if (error != nullptr) *error = r.error();
    return std::nullopt;
  }
  return c;
}

std::optional<ActiveCallsPage> parse_active_calls_response(std::string_view body, std::string* error) {
  std::string perr;
  auto doc = parse(body, &perr);
  if (!doc || !doc->is_object()) {
    if (error != nullptr) *error = doc ? "expected a JSON object" : perr;
    return std::nullopt;
  }
  const Value* data = doc->find("data");
  if (data == nullptr || !data->is_array()) {
    if (error != nullptr) *error = "data: expected an array";
    return std::nullopt;
  }
  ActiveCallsPage page;
  for (std::size_t i = 0; i < data->items().size(); ++i) {
    const Value& item = data->items()[i];
    const std::string what = "data[" + std::to_string(i) + "]";
    if (!item.is_object()) {
      if (error != nullptr) *error = what + ": expected an object";
      return std::nullopt;
    }
    CallData c;
    if (!read_call(item, what, c, error)) return std::nullopt;
    page.calls.push_back(std::move(c));
  }
  if (const Value* meta = doc->find("meta"); meta != nullptr && meta->is_object()) {
    if (const Value* cursors = meta->find("cursors"); cursors != nullptr && cursors->is_object()) {
      if (const Value* after = cursors->find("after"); after != nullptr && after->is_string()) page.after = after->as_string();
    }
  }
  return page;
}

std::optional<RecordingData> parse_recording_response(std::string_view body, std::string* error) {
  auto data = data_object(body, error);
  if (!data) return std::nullopt;
  RecordingData rec;
  Reader r(*data, "data");
  r.string("id", rec.id, true);
  r.string("call_control_id", rec.call_control_id);
  r.string("call_leg_id", rec.call_leg_id);
  r.string("call_session_id", rec.call_session_id);
  r.string("channels", rec.channels);
  r.string("status", rec.status);
  r.integer("duration_millis", rec.duration_millis);
  r.string("created_at", rec.created_at);
  r.string("recording_started_at", rec.recording_started_at);
  r.string("recording_ended_at", rec.recording_ended_at);
  if (const Value* urls = r.object("download_urls")) {
    Reader u(*urls, "data.download_urls");
    u.string("mp3", rec.mp3_url);
    u.string("wav", rec.wav_url);
    if (!u.ok()) {
      if (error != nullptr) *error = u.error();
      return std::nullopt;
    }
  }
  if (!r.ok()) {
    if (error != nullptr) *error = r.error();
    return std::nullopt;
  }
  return rec;
}

}  // namespace callwire::json::telnyx_api
