#include "server/jwt.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cmath>

#include "core/base64.hpp"
#include "json/jwt.hpp"

namespace callwire::server {
namespace {

constexpr std::string_view kHeader = R"({"alg":"HS256","typ":"JWT"})";

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
            data.size(), out, &len)) {
    throw Error(errc::internal, "HMAC-SHA256 failed");
  }
  return std::string(reinterpret_cast<const char*>(out), len);
}

[[noreturn]] void reject(const std::string& why) { throw Error(errc::unauthorized, why); }

double seconds_since_epoch(std::chrono::system_clock::time_point t) {
  return static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string s = base64::encode(bytes);
  while (!s.empty() && s.back() == '=') s.pop_back();
  for (auto& c : s) {
    if (c == '+') c = '-';
    else if (c == '/') c = '_';
  }
  return s;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  std::string s(text);
  for (auto& c : s) {
    if (c == '+' || c == '/') return std::nullopt;
    if (c == '-') c = '+';
    else if (c == '_') c = '/';
  }
  if (s.find('=') == std::string::npos) {
    if (s.size() % 4 == 1) return std::nullopt;
    while (s.size() % 4) s.push_back('=');
  }
  return base64::decode(s);
}

std::string jwt_sign_payload(std::string_view payload_json, std::string_view secret) {
  if (secret.empty()) throw Error(errc::invalid_argument, "jwt secret is empty");
  std::string signing_input = base64url_encode(kHeader) + "." + base64url_encode(payload_json);
  std::string sig = base64url_encode(hmac_sha256(secret, signing_input));
  return signing_input + "." + sig;
}

std::string jwt_sign(const JwtClaims& claims, std::string_view secret) {
  json::jwt::Claims c;
  if (!claims.subject.empty()) c.sub = claims.subject;
  if (!claims.role.empty()) c.role = claims.role;
  c.ver = claims.token_version;
  if (claims.issued_at) c.iat = seconds_since_epoch(*claims.issued_at);
  if (claims.not_before) c.nbf = seconds_since_epoch(*claims.not_before);
  if (claims.expires_at) c.exp = seconds_since_epoch(*claims.expires_at);
  return jwt_sign_payload(json::jwt::encode_claims(c), secret);
}

AuthInfo jwt_verify(std::string_view token, std::string_view secret, std::chrono::system_clock::time_point now,
                    std::chrono::seconds leeway) {
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    reject("Not enough segments");
  }
  const auto header_b64 = token.substr(0, dot1);
  const auto payload_b64 = token.substr(dot1 + 1, dot2 - dot1 - 1);
  const auto sig_b64 = token.substr(dot2 + 1);

  auto header_text = base64url_decode(header_b64);
  if (!header_text) reject("Invalid header");
  json::jwt::Header header;
  try {
    header = json::jwt::decode_header(*header_text);
  } catch (const Error&) {
    reject("Invalid header");
  }
  if (header.alg != "HS256") reject("The specified alg value is not allowed");

  auto sig = base64url_decode(sig_b64);
  if (!sig) reject("Signature verification failed");
  const std::string expected = hmac_sha256(secret, token.substr(0, dot2));
  if (sig->size() != expected.size() || CRYPTO_memcmp(sig->data(), expected.data(), expected.size()) != 0) {
    reject("Signature verification failed");
  }

  auto payload = base64url_decode(payload_b64);
  if (!payload) reject("Invalid payload");
  json::jwt::Claims claims;
  try {
    claims = json::jwt::decode_claims(*payload);
  } catch (const Error& e) {
    if (e.code() == errc::malformed) reject("Invalid payload");
    reject(e.what());
  }
  const double t = seconds_since_epoch(now);
  const double slack = static_cast<double>(leeway.count());
  if (claims.exp && !(t <= *claims.exp + slack)) reject("Signature has expired");
  if (claims.nbf && !(t >= *claims.nbf - slack)) reject("The token is not yet valid (nbf)");

  AuthInfo info;
  if (claims.sub) info.subject = *claims.sub;
  if (claims.role) info.role = *claims.role;
  info.token_version = claims.ver;
  info.payload_json = std::move(*payload);
  return info;
}

}  // namespace callwire::server
