#include "json/jwt.hpp"

#include <cmath>

#include "json/detail.hpp"

namespace callwire::json::jwt {
namespace {

rapidjson::Document parse(std::string_view text, const char* what) {
  rapidjson::Document doc;
  if (!detail::parse_document(text, doc) || !doc.IsObject()) {
    throw Error(errc::malformed, std::string(what) + " is not a JSON object");
  }
  return doc;
}

std::optional<double> number_claim(const rapidjson::Document& doc, const char* key) {
  auto it = doc.FindMember(key);
  if (it == doc.MemberEnd()) return std::nullopt;
  if (!it->value.IsNumber()) throw Error(errc::invalid_argument, std::string(key) + " must be a number");
  return it->value.GetDouble();
}

void write_number(detail::Writer& w, const char* key, double v) {
  w.Key(key);
  if (std::trunc(v) == v && std::fabs(v) < 9e15) w.Int64(static_cast<std::int64_t>(v));
  else w.Double(v);
}

}  // namespace

Header decode_header(std::string_view text) {
  auto doc = parse(text, "token header");
  Header h;
  for (auto [key, field] : {std::pair{"alg", &h.alg}, std::pair{"typ", &h.typ}}) {
    auto it = doc.FindMember(key);
    if (it == doc.MemberEnd()) continue;
    if (!it->value.IsString()) throw Error(errc::malformed, std::string("token header ") + key + " must be a string");
    field->assign(it->value.GetString(), it->value.GetStringLength());
  }
  return h;
}

Claims decode_claims(std::string_view text) {
  auto doc = parse(text, "token payload");
  Claims c;
  auto sub = doc.FindMember("sub");
  if (sub != doc.MemberEnd()) {
    if (!sub->value.IsString()) throw Error(errc::invalid_argument, "sub must be a string");
    c.sub = std::string(sub->value.GetString(), sub->value.GetStringLength());
  }
  auto role = doc.FindMember("role");
  if (role != doc.MemberEnd()) {
    if (!role->value.IsString()) throw Error(errc::invalid_argument, "role must be a string");
    c.role = std::string(role->value.GetString(), role->value.GetStringLength());
  }
  auto ver = doc.FindMember("ver");
  if (ver != doc.MemberEnd()) {
    if (!ver->value.IsInt64()) throw Error(errc::invalid_argument, "ver must be an integer");
    c.ver = ver->value.GetInt64();
  }
  c.exp = number_claim(doc, "exp");
  c.nbf = number_claim(doc, "nbf");
  c.iat = number_claim(doc, "iat");
  return c;
}

std::string encode_claims(const Claims& claims) {
  rapidjson::StringBuffer sb;
  detail::Writer w(sb);
  w.StartObject();
  if (claims.sub) {
    w.Key("sub");
    w.String(claims.sub->data(), static_cast<rapidjson::SizeType>(claims.sub->size()));
  }
  if (claims.role) {
    w.Key("role");
    w.String(claims.role->data(), static_cast<rapidjson::SizeType>(claims.role->size()));
  }
  if (claims.ver) {
    w.Key("ver");
    w.Int64(*claims.ver);
  }
  if (claims.iat) write_number(w, "iat", *claims.iat);
  if (claims.nbf) write_number(w, "nbf", *claims.nbf);
  if (claims.exp) write_number(w, "exp", *claims.exp);
  w.EndObject();
  return {sb.GetString(), sb.GetSize()};
}

}  // namespace callwire::json::jwt
