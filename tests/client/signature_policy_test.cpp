// The webhook signature policy on its own (src/client/signature_policy.hpp),
// over every combination of key, public key, requirement and signature.
#include <gtest/gtest.h>

#include "client/signature_policy.hpp"

namespace callwire {
namespace {

constexpr const char* kSeed = "i1xxSkIuQOY9H8laaRslIoYGTJ1NwBAFdjsQwiwJH04=";
constexpr const char* kPublicKey = "jrMBoswHlhhVx2W2Www72WU/xn4UMpjreslD0m2u0qs=";
constexpr std::int64_t kNow = 1'700'000'000;
constexpr std::string_view kBody = R"({"data":{"event_type":"call.initiated"}})";

telnyx::Headers signed_headers(std::string_view body, std::int64_t ts = kNow) {
  telnyx::Headers h;
  h.set("telnyx-timestamp", std::to_string(ts));
  h.set("telnyx-signature-ed25519", telnyx::sign(kSeed, std::to_string(ts), body));
  return h;
}

Settings settings(bool key, bool public_key) {
  Settings s;
  if (key) s.api_key = "KEY_live";
  if (public_key) s.public_key = kPublicKey;
  return s;
}

using client::check_signature;
using client::SignaturePolicy;

TEST(SignaturePolicy, ALiveKeyRequiresAValidSignature) {
  const SignaturePolicy p;
  EXPECT_FALSE(check_signature(p, settings(true, true), signed_headers(kBody), kBody, kNow));
  auto unsigned_one = check_signature(p, settings(true, true), telnyx::Headers{}, kBody, kNow);
  ASSERT_TRUE(unsigned_one);
  EXPECT_EQ(unsigned_one->code, errc::unauthorized);
  auto tampered = check_signature(p, settings(true, true), signed_headers(kBody), std::string(kBody) + " ", kNow);
  ASSERT_TRUE(tampered);
  EXPECT_NE(tampered->message.find("invalid webhook signature"), std::string::npos);
  auto stale = check_signature(p, settings(true, true), signed_headers(kBody, kNow - 301), kBody, kNow);
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->code, errc::unauthorized);
}

TEST(SignaturePolicy, ALiveKeyWithoutAPublicKeyRefusesEverything) {
  auto r = check_signature(SignaturePolicy{}, settings(true, false), signed_headers(kBody), kBody, kNow);
  ASSERT_TRUE(r);
  EXPECT_NE(r->message.find("no Telnyx public key is configured"), std::string::npos);
}

TEST(SignaturePolicy, DemoModeAcceptsUnsignedButChecksASignatureItCan) {
  const SignaturePolicy p;
  EXPECT_FALSE(check_signature(p, settings(false, false), telnyx::Headers{}, kBody, kNow));
  EXPECT_FALSE(check_signature(p, settings(false, true), telnyx::Headers{}, kBody, kNow));
  EXPECT_FALSE(check_signature(p, settings(false, true), signed_headers(kBody), kBody, kNow));
  EXPECT_TRUE(check_signature(p, settings(false, true), signed_headers(kBody), std::string(kBody) + "x", kNow));
  // Signed, but nothing to check it with: accepted as unsigned would be.
  EXPECT_FALSE(check_signature(p, settings(false, false), signed_headers(kBody), std::string(kBody) + "x", kNow));
}

TEST(SignaturePolicy, TheDevelopmentSwitchStillRefusesAWrongSignature) {
  const SignaturePolicy off{true, 300};  // insecure_webhooks
  EXPECT_FALSE(check_signature(off, settings(true, true), telnyx::Headers{}, kBody, kNow));
  EXPECT_TRUE(check_signature(off, settings(true, true), signed_headers(kBody), std::string(kBody) + "x", kNow));
}

TEST(SignaturePolicy, TheToleranceIsTheWindow) {
  const SignaturePolicy wide{false, 3600};
  EXPECT_FALSE(check_signature(wide, settings(true, true), signed_headers(kBody, kNow - 1000), kBody, kNow));
  const SignaturePolicy narrow{false, 10};
  EXPECT_TRUE(check_signature(narrow, settings(true, true), signed_headers(kBody, kNow - 11), kBody, kNow));
}

}  // namespace
}  // namespace callwire
