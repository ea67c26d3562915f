#include "json/parse.hpp"

#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

namespace callwire::json::detail {
namespace {

constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseFullPrecisionFlag;

// Forwards every SAX event to the document and refuses to open a level past
// kMaxDepth, which stops the reader (kParseErrorTermination) at that point.
class DepthLimited {
 public:
  using Ch = char;
  explicit DepthLimited(rapidjson::Document& doc) : doc_(doc) {}

  bool Null() { return doc_.Null(); }
  bool Bool(bool b) { return doc_.Bool(b); }
  bool Int(int i) { return doc_.Int(i); }
  bool Uint(unsigned u) { return doc_.Uint(u); }
  bool Int64(std::int64_t i) { return doc_.Int64(i); }
  bool Uint64(std::uint64_t u) { return doc_.Uint64(u); }
  bool Double(double d) { return doc_.Double(d); }
  bool RawNumber(const Ch* s, rapidjson::SizeType n, bool copy) { return doc_.RawNumber(s, n, copy); }
  bool String(const Ch* s, rapidjson::SizeType n, bool copy) { return doc_.String(s, n, copy); }
  bool Key(const Ch* s, rapidjson::SizeType n, bool copy) { return doc_.Key(s, n, copy); }
  bool StartObject() { return enter() && doc_.StartObject(); }
  bool EndObject(rapidjson::SizeType members) {
    --depth_;
    return doc_.EndObject(members);
  }
  bool StartArray() { return enter() && doc_.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) {
    --depth_;
    return doc_.EndArray(elements);
  }

  bool too_deep() const noexcept { return too_deep_; }

 private:
  bool enter() {
    if (++depth_ > kMaxDepth) {
      too_deep_ = true;
      return false;
    }
    return true;
  }

  rapidjson::Document& doc_;
  unsigned depth_ = 0;
  bool too_deep_ = false;
};

}  // namespace

std::string ParseStatus::describe() const {
  switch (kind) {
    case Kind::ok:
      return "ok";
    case Kind::too_deep:
      return "nested more than " + std::to_string(kMaxDepth) + " levels deep (at offset " + std::to_string(offset) + ")";
    case Kind::malformed:
      break;
  }
  return "error at offset " + std::to_string(offset);
}

std::string ParseStatus::reason() const {
  if (kind == Kind::too_deep) return "nested more than " + std::to_string(kMaxDepth) + " levels deep";
  return rapidjson::GetParseError_En(code);
}

ParseStatus parse_document(std::string_view text, rapidjson::Document& doc) {
  ParseStatus status;
  auto generate = [&](rapidjson::Document& d) {
    rapidjson::MemoryStream ms(text.data(), text.size());
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(ms);
    rapidjson::Reader reader;
    DepthLimited handler(d);
    const rapidjson::ParseResult r = reader.Parse<kFlags>(in, handler);
    if (r) return true;
    status.kind = handler.too_deep() ? ParseStatus::Kind::too_deep : ParseStatus::Kind::malformed;
    status.offset = r.Offset();
    status.code = r.Code();
    return false;
  };
  doc.SetNull();
  doc.Populate(generate);
  return status;
}

}  // namespace callwire::json::detail
