#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <future>
#include <vector>

#include "callwire/webhook.hpp"
#include "core/base64.hpp"
#include "fixtures.hpp"

using namespace callwire;
using telnyx::Verdict;

namespace {

std::string from_hex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

rapidjson::Document vectors() {
  rapidjson::Document d;
  d.Parse(test::fixture("telnyx/signature_vectors.json").c_str());
  return d;
}

}  // namespace

TEST(Signature, EveryVectorGivesItsVerdict) {
  auto d = vectors();
  int n = 0;
  for (const auto& c : d["cases"].GetArray()) {
    telnyx::Headers h;
    for (const auto& m : c["headers"].GetObject()) h.set(m.name.GetString(), m.value.GetString());
    const std::string body(c["raw_body"].GetString(), c["raw_body"].GetStringLength());
    const Verdict v = telnyx::verify_signature(c["public_key_b64"].GetString(), h, body, c["now_unix"].GetInt64(),
                                               c["tolerance_seconds"].GetInt64());
    EXPECT_EQ(telnyx::to_string(v), c["expect"].GetString()) << c["name"].GetString();
    ++n;
  }
  EXPECT_GE(n, 18);
}

TEST(Signature, Rfc8032PrimitiveVectors) {
  // RFC 8032 section 7.1: each seed gives the published public key. (The
  // signatures are over bare messages, which the webhook API never signs.)
  auto d = vectors();
  for (const auto& v : d["rfc8032_primitive_vectors"].GetArray()) {
    const std::string seed_b64 = base64::encode(from_hex(v["seed_hex"].GetString()));
    EXPECT_EQ(telnyx::public_key_for_seed(seed_b64), v["public_key_b64"].GetString());
  }
}

TEST(Signature, SignThenVerifyAndHeadersAreCaseInsensitive) {
  auto d = vectors();
  const std::string seed = d["keypairs"]["java_sdk_test"]["private_seed_b64"].GetString();
  const std::string pub = d["keypairs"]["java_sdk_test"]["public_key_b64"].GetString();
  EXPECT_EQ(telnyx::public_key_for_seed(seed), pub);
  const std::string body = R"({"data":{"event_type":"call.answered"}})";
  telnyx::Headers h;
  h.set("Telnyx-Signature-Ed25519", telnyx::sign(seed, "1700000100", body));
  h.set("TELNYX-TIMESTAMP", "1700000100");
  EXPECT_EQ(telnyx::verify_signature(pub, h, body, 1700000000), Verdict::valid);
  EXPECT_EQ(telnyx::verify_signature(pub, h, body + " ", 1700000000), Verdict::signature_mismatch);
  EXPECT_EQ(telnyx::verify_signature(pub, h, body, 1700000401), Verdict::timestamp_outside_tolerance);
  EXPECT_EQ(telnyx::verify_signature(pub, h, body, 1699999799), Verdict::timestamp_outside_tolerance);
  EXPECT_EQ(telnyx::verify_signature("%%%", h, body, 1700000000), Verdict::invalid_public_key_encoding);
}

TEST(Signature, AlternatingKeysOnOneThreadEachGiveTheirOwnVerdict) {
  // verify_signature keeps the last parsed key per thread: switching keys
  // (a settings reload) must never verify against the previous one.
  const std::string seed_a = base64::encode(std::string(32, 'a'));
  const std::string seed_b = base64::encode(std::string(32, 'b'));
  const std::string pub_a = telnyx::public_key_for_seed(seed_a);
  const std::string pub_b = telnyx::public_key_for_seed(seed_b);
  ASSERT_NE(pub_a, pub_b);
  const std::string body = R"({"data":{"event_type":"call.hangup"}})";
  telnyx::Headers by_a, by_b;
  by_a.set("telnyx-timestamp", "1700000000");
  by_a.set("telnyx-signature-ed25519", telnyx::sign(seed_a, "1700000000", body));
  by_b.set("telnyx-timestamp", "1700000000");
  by_b.set("telnyx-signature-ed25519", telnyx::sign(seed_b, "1700000000", body));
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(telnyx::verify_signature(pub_a, by_a, body, 1700000000), Verdict::valid);
    EXPECT_EQ(telnyx::verify_signature(pub_a, by_b, body, 1700000000), Verdict::signature_mismatch);
    EXPECT_EQ(telnyx::verify_signature(pub_b, by_a, body, 1700000000), Verdict::signature_mismatch);
    EXPECT_EQ(telnyx::verify_signature(pub_b, by_b, body, 1700000000), Verdict::valid);
    EXPECT_EQ(telnyx::verify_signature("%%%", by_b, body, 1700000000), Verdict::invalid_public_key_encoding);
    EXPECT_EQ(telnyx::verify_signature(base64::encode(std::string(31, 'k')), by_b, body, 1700000000),
              Verdict::invalid_public_key_size);
  }
}

TEST(Signature, OneKeyManyVerificationsMixingGoodAndBad) {
  // The verification context of a key is kept and reused on its thread; a
  // mismatch re-checks on a fresh one and makes the context again. Good and
  // bad signatures, tampered bodies and other timestamps, in any order, each
  // get their own verdict, on this thread and on others at the same time.
  const std::string seed = base64::encode(std::string(32, 'r'));
  const std::string pub = telnyx::public_key_for_seed(seed);
  const std::string body = R"({"data":{"event_type":"call.answered","id":"e1"}})";
  telnyx::Headers good, other_ts, tampered_sig;
  good.set("telnyx-timestamp", "1700000000");
  good.set("telnyx-signature-ed25519", telnyx::sign(seed, "1700000000", body));
  other_ts.set("telnyx-timestamp", "1700000001");
  other_ts.set("telnyx-signature-ed25519", telnyx::sign(seed, "1700000000", body));
  std::string sig = base64::decode(telnyx::sign(seed, "1700000000", body)).value();
  sig[10] = static_cast<char>(sig[10] ^ 0x01);
  tampered_sig.set("telnyx-timestamp", "1700000000");
  tampered_sig.set("telnyx-signature-ed25519", base64::encode(sig));
  const std::string tampered_body = R"({"data":{"event_type":"call.answered","id":"e2"}})";
  auto run = [&](int rounds) {
    int wrong = 0;
    for (int i = 0; i < rounds; ++i) {
      wrong += telnyx::verify_signature(pub, good, body, 1700000000) != Verdict::valid;
      wrong += telnyx::verify_signature(pub, good, body, 1700000000) != Verdict::valid;
      wrong += telnyx::verify_signature(pub, other_ts, body, 1700000000) != Verdict::signature_mismatch;
      wrong += telnyx::verify_signature(pub, good, body, 1700000000) != Verdict::valid;
      wrong += telnyx::verify_signature(pub, tampered_sig, body, 1700000000) != Verdict::signature_mismatch;
      wrong += telnyx::verify_signature(pub, good, tampered_body, 1700000000) != Verdict::signature_mismatch;
      wrong += telnyx::verify_signature(pub, good, body, 1700000000) != Verdict::valid;
    }
    return wrong;
  };
  EXPECT_EQ(run(20), 0);
  std::vector<std::future<int>> others;
  for (int t = 0; t < 3; ++t) others.push_back(std::async(std::launch::async, run, 20));
  for (auto& f : others) EXPECT_EQ(f.get(), 0);
}

TEST(Signature, MissingHeadersAndToleranceBeforeSignature) {
  telnyx::Headers none;
  EXPECT_EQ(telnyx::verify_signature("jrMBoswHlhhVx2W2Www72WU/xn4UMpjreslD0m2u0qs=", none, "{}", 0), Verdict::missing_headers);
  telnyx::Headers stale;
  stale.set("telnyx-timestamp", "1000");
  stale.set("telnyx-signature-ed25519", "garbage!!");
  // The timestamp is judged before the signature's encoding.
  EXPECT_EQ(telnyx::verify_signature("jrMBoswHlhhVx2W2Www72WU/xn4UMpjreslD0m2u0qs=", stale, "{}", 1700000000),
            Verdict::timestamp_outside_tolerance);
  telnyx::Headers neg;
  neg.set("telnyx-timestamp", "-5");
  neg.set("telnyx-signature-ed25519", "x");
  EXPECT_EQ(telnyx::verify_signature("x", neg, "{}", 0), Verdict::invalid_timestamp);
}
