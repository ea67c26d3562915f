#include "json/body.hpp"

#include "json/detail.hpp"

namespace callwire::json {

struct Body::Doc {
  rapidjson::Document doc;
};

Body Body::parse(std::string_view text) {
  Body b;
  b.doc_ = std::make_shared<Doc>();
  const bool blank = text.find_first_not_of(" \t\r\n") == std::string_view::npos;
  if (blank) {
    b.doc_->doc.SetObject();
    return b;
  }
  if (const auto status = detail::parse_document(text, b.doc_->doc); !status) {
    throw Error(errc::malformed, "request body is not valid JSON (" + status.describe() + ")");
  }
  if (!b.doc_->doc.IsObject()) throw Error(errc::invalid_argument, "request body must be a JSON object");
  return b;
}

namespace {
const rapidjson::Value* member(const rapidjson::Document& d, std::string_view field) {
  auto it = d.FindMember(rapidjson::Value(field.data(), static_cast<rapidjson::SizeType>(field.size())));
  if (it == d.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}
[[noreturn]] void wrong(std::string_view field, const char* expected) {
  throw Error(errc::invalid_argument, std::string(field) + ": expected " + expected);
}
}  // namespace

bool Body::has(std::string_view field) const { return member(doc_->doc, field) != nullptr; }

std::optional<std::string> Body::string(std::string_view field) const {
  const auto* v = member(doc_->doc, field);
  if (!v) return std::nullopt;
  if (!v->IsString()) wrong(field, "a string");
  return std::string(v->GetString(), v->GetStringLength());
}

std::optional<bool> Body::boolean(std::string_view field) const {
  const auto* v = member(doc_->doc, field);
  if (!v) return std::nullopt;
  if (!v->IsBool()) wrong(field, "a boolean");
  return v->GetBool();
}

std::optional<std::int64_t> Body::integer(std::string_view field) const {
  const auto* v = member(doc_->doc, field);
  if (!v) return std::nullopt;
  if (!v->IsInt64()) wrong(field, "an integer");
  return v->GetInt64();
}

bool Body::is_string(std::string_view field) const {
  const auto* v = member(doc_->doc, field);
  return v != nullptr && v->IsString();
}

std::optional<Body> Body::object(std::string_view field) const {
  const auto* v = member(doc_->doc, field);
  if (!v) return std::nullopt;
  if (!v->IsObject()) wrong(field, "an object");
  Body b;
  b.doc_ = std::make_shared<Doc>();
  b.doc_->doc.CopyFrom(*v, b.doc_->doc.GetAllocator());
  return b;
}

std::vector<std::string> Body::fields() const {
  std::vector<std::string> out;
  for (const auto& m : doc_->doc.GetObject()) out.emplace_back(m.name.GetString(), m.name.GetStringLength());
  return out;
}

struct ObjectWriter::Impl {
  rapidjson::StringBuffer sb;
  detail::Writer w{sb};
  void key(std::string_view k) { w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
};

ObjectWriter::ObjectWriter() : impl_(std::make_unique<Impl>()) { impl_->w.StartObject(); }
ObjectWriter::~ObjectWriter() = default;

ObjectWriter& ObjectWriter::add(std::string_view key, std::string_view value) {
  impl_->key(key);
  impl_->w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  return *this;
}
ObjectWriter& ObjectWriter::add(std::string_view key, std::int64_t value) {
  impl_->key(key);
  impl_->w.Int64(value);
  return *this;
}
ObjectWriter& ObjectWriter::add(std::string_view key, double value) {
  impl_->key(key);
  impl_->w.Double(value);
  return *this;
}
ObjectWriter& ObjectWriter::add(std::string_view key, bool value) {
  impl_->key(key);
  impl_->w.Bool(value);
  return *this;
}
ObjectWriter& ObjectWriter::add_null(std::string_view key) {
  impl_->key(key);
  impl_->w.Null();
  return *this;
}
ObjectWriter& ObjectWriter::add_raw(std::string_view key, std::string_view json_text) {
  impl_->key(key);
  impl_->w.RawValue(json_text.data(), json_text.size(), rapidjson::kObjectType);
  return *this;
}
std::string ObjectWriter::finish() {
  impl_->w.EndObject();
  return {impl_->sb.GetString(), impl_->sb.GetSize()};
}

}  // namespace callwire::json
