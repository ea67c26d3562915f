// Read-only views of a parsed JSON text (see view.hpp).
#include "json/view.hpp"

#include "json/detail.hpp"

namespace callwire::json {
namespace {
const rapidjson::Value& value(const void* v) noexcept { return *static_cast<const rapidjson::Value*>(v); }
}  // namespace

bool View::is_null() const noexcept { return value(value_).IsNull(); }
bool View::is_string() const noexcept { return value(value_).IsString(); }
bool View::is_object() const noexcept { return value(value_).IsObject(); }
bool View::is_array() const noexcept { return value(value_).IsArray(); }

std::string_view View::string() const noexcept {
  const auto& v = value(value_);
  if (!v.IsString()) return {};
  return {v.GetString(), v.GetStringLength()};
}

std::optional<View> View::find(std::string_view key) const noexcept {
  const auto& v = value(value_);
  if (!v.IsObject()) return std::nullopt;
  auto it = v.FindMember(rapidjson::Value(rapidjson::StringRef(key.data(), static_cast<rapidjson::SizeType>(key.size()))));
  if (it == v.MemberEnd()) return std::nullopt;
  return View(&it->value);
}

std::string View::text() const {
  rapidjson::StringBuffer sb;
  detail::Writer w(sb);
  value(value_).Accept(w);
  return {sb.GetString(), sb.GetSize()};
}

struct Document::Impl {
  rapidjson::Document doc;
};

Document::Document() : impl_(std::make_unique<Impl>()) {}
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;
Document::~Document() = default;

std::optional<Document> Document::parse(std::string_view text, std::string* error) {
  Document d;
  if (const auto status = detail::parse_document(text, d.impl_->doc); !status) {
    if (error) *error = status.describe();
    return std::nullopt;
  }
  return d;
}

View Document::root() const noexcept { return View(&impl_->doc); }

}  // namespace callwire::json
