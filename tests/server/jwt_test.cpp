#include "server/jwt.hpp"

#include <gtest/gtest.h>

namespace callwire::server {
namespace {

using namespace std::chrono;
const std::string kSecret = "test-secret-0123456789";
const system_clock::time_point kNow = system_clock::time_point(seconds(1'800'000'000));

std::string why(const std::string& token, system_clock::time_point now = kNow, const std::string& secret = kSecret) {
  try {
    jwt_verify(token, secret, now);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), errc::unauthorized);
    return e.what();
  }
  return "accepted";
}

std::string unsigned_token(const std::string& header, const std::string& payload, const std::string& sig = "") {
  return base64url_encode(header) + "." + base64url_encode(payload) + "." + sig;
}

TEST(Jwt, SignsAndVerifiesHs256) {
  JwtClaims c;
  c.subject = "agent-7";
  c.issued_at = kNow;
  c.expires_at = kNow + hours(1);
  const auto token = jwt_sign(c, kSecret);
  EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 2);
  EXPECT_EQ(token.find('='), std::string::npos);
  auto info = jwt_verify(token, kSecret, kNow);
  EXPECT_EQ(info.subject, "agent-7");
  EXPECT_EQ(info.payload_json, R"({"sub":"agent-7","iat":1800000000,"exp":1800003600})");
}

TEST(Jwt, CarriesTheRoleAndTheTokenVersionOfASession) {
  JwtClaims c;
  c.subject = "u-1";
  c.role = "agent";
  c.token_version = 3;
  c.expires_at = kNow + hours(1);
  auto info = jwt_verify(jwt_sign(c, kSecret), kSecret, kNow);
  EXPECT_EQ(info.payload_json, R"({"sub":"u-1","role":"agent","ver":3,"exp":1800003600})");
  EXPECT_EQ(info.role, "agent");
  EXPECT_EQ(info.token_version, 3);
  // Absent: no role, no version (a service token, or one minted elsewhere).
  JwtClaims bare;
  bare.expires_at = kNow + hours(1);
  auto plain = jwt_verify(jwt_sign(bare, kSecret), kSecret, kNow);
  EXPECT_EQ(plain.role, "");
  EXPECT_FALSE(plain.token_version.has_value());
  // Wrong types are refused, naming the claim.
  auto why = [](const std::string& payload) {
    try {
      jwt_verify(jwt_sign_payload(payload, kSecret), kSecret, kNow);
      return std::string("accepted");
    } catch (const callwire::Error& e) {
      return std::string(e.what());
    }
  };
  EXPECT_EQ(why(R"({"sub":"u","ver":"3"})"), "ver must be an integer");
  EXPECT_EQ(why(R"({"sub":"u","ver":3.5})"), "ver must be an integer");
  EXPECT_EQ(why(R"({"sub":"u","role":1})"), "role must be a string");
}

TEST(Jwt, MatchesAKnownPyJwtToken) {
  // jwt.encode({"sub": "1234567890", "name": "John Doe", "iat": 1516239022},
  //            "your-256-bit-secret", algorithm="HS256") — the jwt.io example.
  const std::string token =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
      "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
      "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
  auto info = jwt_verify(token, "your-256-bit-secret", kNow);
  EXPECT_EQ(info.subject, "1234567890");
  EXPECT_EQ(why(token, kNow, "another-secret"), "Signature verification failed");
}

TEST(Jwt, RejectsExpiredAndNotYetValidTokensWithLeeway) {
  JwtClaims c;
  c.expires_at = kNow - seconds(10);
  const auto recently_expired = jwt_sign(c, kSecret);
  EXPECT_EQ(why(recently_expired), "accepted");  // within the 30 s leeway
  c.expires_at = kNow - seconds(31);
  EXPECT_EQ(why(jwt_sign(c, kSecret)), "Signature has expired");

  JwtClaims n;
  n.not_before = kNow + seconds(20);
  EXPECT_EQ(why(jwt_sign(n, kSecret)), "accepted");
  n.not_before = kNow + minutes(5);
  EXPECT_EQ(why(jwt_sign(n, kSecret)), "The token is not yet valid (nbf)");
}

TEST(Jwt, RejectsBadSignatures) {
  JwtClaims c;
  c.subject = "x";
  auto token = jwt_sign(c, kSecret);
  EXPECT_EQ(why(token, kNow, kSecret + "!"), "Signature verification failed");
  auto tampered = token;
  tampered[tampered.size() - 2] = tampered[tampered.size() - 2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(why(tampered), "Signature verification failed");
  // Payload swapped under the original signature.
  auto dot1 = token.find('.');
  auto dot2 = token.find('.', dot1 + 1);
  auto swapped = token.substr(0, dot1 + 1) + base64url_encode(R"({"sub":"admin"})") + token.substr(dot2);
  EXPECT_EQ(why(swapped), "Signature verification failed");
  EXPECT_EQ(why(token.substr(0, dot2 + 1)), "Signature verification failed");  // empty signature
}

TEST(Jwt, RefusesAlgNoneAndOtherAlgorithms) {
  const std::string payload = R"({"sub":"admin"})";
  EXPECT_EQ(why(unsigned_token(R"({"alg":"none","typ":"JWT"})", payload)), "The specified alg value is not allowed");
  EXPECT_EQ(why(unsigned_token(R"({"alg":"None"})", payload)), "The specified alg value is not allowed");
  EXPECT_EQ(why(unsigned_token(R"({"typ":"JWT"})", payload)), "The specified alg value is not allowed");
  // HS512 with a valid HS256 signature over the same input is still refused.
  auto hs256 = jwt_sign_payload(payload, kSecret);
  auto sig = hs256.substr(hs256.rfind('.') + 1);
  EXPECT_EQ(why(unsigned_token(R"({"alg":"HS512","typ":"JWT"})", payload, sig)), "The specified alg value is not allowed");
}

TEST(Jwt, RejectsMalformedTokens) {
  EXPECT_EQ(why(""), "Not enough segments");
  EXPECT_EQ(why("abc"), "Not enough segments");
  EXPECT_EQ(why("a.b"), "Not enough segments");
  EXPECT_EQ(why("a.b.c.d"), "Not enough segments");
  EXPECT_EQ(why("!!!.e30.sig"), "Invalid header");
  EXPECT_EQ(why(base64url_encode("not json") + ".e30.sig"), "Invalid header");
  EXPECT_EQ(why(base64url_encode("[1]") + ".e30.sig"), "Invalid header");
  EXPECT_EQ(why(jwt_sign_payload("not json", kSecret)), "Invalid payload");
  EXPECT_EQ(why(jwt_sign_payload(R"({"exp":"tomorrow"})", kSecret)), "exp must be a number");
  EXPECT_EQ(why(jwt_sign_payload(R"({"sub":42})", kSecret)), "sub must be a string");
}

TEST(Jwt, Base64Url) {
  EXPECT_EQ(base64url_encode("\xfb\xff\xfe"), "-__-");
  EXPECT_EQ(base64url_decode("-__-"), "\xfb\xff\xfe");
  EXPECT_EQ(base64url_decode("YQ"), "a");
  EXPECT_EQ(base64url_decode("YQ=="), "a");
  EXPECT_EQ(base64url_decode("+//+"), std::nullopt);
  EXPECT_EQ(base64url_decode("Y"), std::nullopt);
  EXPECT_THROW(jwt_sign_payload("{}", ""), Error);
}

}  // namespace
}  // namespace callwire::server
