// Ed25519 webhook signatures, as Telnyx defines them: the signed message is
// `telnyx-timestamp + "|" + raw body`; key and signature are base64.
#include <openssl/evp.h>

#include <charconv>
#include <memory>
#include <string>

#include "callwire/error.hpp"
#include "callwire/webhook.hpp"
#include "core/base64.hpp"

namespace callwire::telnyx {
namespace {

constexpr std::size_t kKeySize = 32;
constexpr std::size_t kSignatureSize = 64;

struct PkeyFree {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const noexcept { EVP_MD_CTX_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

std::string signed_message(std::string_view timestamp, std::string_view body) {
  std::string m;
  m.reserve(timestamp.size() + 1 + body.size());
  m.append(timestamp).append(1, '|').append(body);
  return m;
}

std::optional<std::int64_t> parse_unix(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

Pkey private_key(std::string_view seed_b64) {
  auto seed = base64::decode(seed_b64);
  if (!seed || seed->size() != kKeySize) throw Error(errc::invalid_argument, "Ed25519 seed must be 32 bytes of base64");
  Pkey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                        reinterpret_cast<const unsigned char*>(seed->data()), seed->size()));
  if (!key) throw Error(errc::internal, "OpenSSL could not load the Ed25519 seed");
  return key;
}

// The public key of the last verify_signature() call on this thread, parsed
// once: a server verifies every webhook against the same configured key, and
// loading it (base64 decode + EVP_PKEY_new_raw_public_key) is a fixed cost
// per call. Thread-local, so verifications on different threads never
// contend; a different key string simply replaces the entry.
//
// With it, a verification context initialised for that key is kept and
// reused for every verification (what `openssl speed` measures; a fresh
// EVP_DigestVerifyInit per webhook cost ~5 % more on OpenSSL 3.0). A result
// other than "valid" on the reused context is checked again on a fresh one,
// so an OpenSSL that refused to reuse a context could never turn a good
// signature into a mismatch; it would only stop the reuse.
struct ParsedKey {
  std::string b64;
  bool parsed = false;
  Verdict error = Verdict::valid;  ///< the key's own verdict (encoding/size); valid when usable
  Pkey pkey;                       ///< null when the bytes are not a point on the curve
  MdCtx ctx;                       ///< initialised for pkey; null: make one per verification
  bool reuse = true;               ///< false once a reused context failed where a fresh one did not
};

MdCtx verify_context(EVP_PKEY* pkey) {
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey) != 1) return nullptr;
  return ctx;
}

ParsedKey& public_key(std::string_view public_key_b64) {
  thread_local ParsedKey cached;
  if (cached.parsed && cached.b64 == public_key_b64) return cached;
  cached.b64.assign(public_key_b64);
  cached.parsed = true;
  cached.error = Verdict::valid;
  cached.ctx.reset();
  cached.reuse = true;
  cached.pkey.reset();
  const auto key = base64::decode(public_key_b64);
  if (!key) {
    cached.error = Verdict::invalid_public_key_encoding;
  } else if (key->size() != kKeySize) {
    cached.error = Verdict::invalid_public_key_size;
  } else {
    cached.pkey.reset(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                                  reinterpret_cast<const unsigned char*>(key->data()), key->size()));
  }
  return cached;
}

}  // namespace

Verdict verify_signature(std::string_view public_key_b64, const Headers& headers, std::string_view raw_body,
                         std::int64_t now_unix, std::int64_t tolerance_seconds) {
  const auto signature_b64 = headers.get("telnyx-signature-ed25519");
  const auto timestamp = headers.get("telnyx-timestamp");
  if (!signature_b64 || !timestamp) return Verdict::missing_headers;

  const auto ts = parse_unix(*timestamp);
  if (!ts) return Verdict::invalid_timestamp;
  const std::int64_t skew = now_unix > *ts ? now_unix - *ts : *ts - now_unix;
  if (skew > tolerance_seconds) return Verdict::timestamp_outside_tolerance;

  ParsedKey& key = public_key(public_key_b64);
  if (key.error != Verdict::valid) return key.error;
  const auto signature = base64::decode(*signature_b64);
  if (!signature) return Verdict::invalid_signature_encoding;
  if (signature->size() != kSignatureSize) return Verdict::invalid_signature_size;

  if (!key.pkey) return Verdict::signature_mismatch;  // not a point on the curve
  const std::string message = signed_message(*timestamp, raw_body);
  const auto verify_on = [&](EVP_MD_CTX* ctx) {
    return EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature->data()), signature->size(),
                            reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  };
  if (key.reuse && !key.ctx) key.ctx = verify_context(key.pkey.get());
  if (key.ctx && verify_on(key.ctx.get())) return Verdict::valid;
  // A mismatch (or no reusable context): the verdict of a fresh context.
  const MdCtx fresh = verify_context(key.pkey.get());
  const bool valid = fresh && verify_on(fresh.get());
  if (key.ctx) {
    if (valid) key.reuse = false;  // this OpenSSL does not reuse contexts: stop trying
    key.ctx.reset();               // made again for the next verification, after a failure
  }
  return valid ? Verdict::valid : Verdict::signature_mismatch;
}

std::string sign(std::string_view private_seed_b64, std::string_view timestamp, std::string_view raw_body) {
  Pkey key = private_key(private_seed_b64);
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) {
    throw Error(errc::internal, "OpenSSL could not start an Ed25519 signature");
  }
  const std::string message = signed_message(timestamp, raw_body);
  unsigned char sig[kSignatureSize];
  std::size_t sig_len = sizeof sig;
  if (EVP_DigestSign(ctx.get(), sig, &sig_len, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1) {
    throw Error(errc::internal, "OpenSSL could not sign");
  }
  return base64::encode(std::string_view(reinterpret_cast<const char*>(sig), sig_len));
}

std::string public_key_for_seed(std::string_view private_seed_b64) {
  Pkey key = private_key(private_seed_b64);
  unsigned char pub[kKeySize];
  std::size_t len = sizeof pub;
  if (EVP_PKEY_get_raw_public_key(key.get(), pub, &len) != 1) throw Error(errc::internal, "OpenSSL could not derive the public key");
  return base64::encode(std::string_view(reinterpret_cast<const char*>(pub), len));
}

}  // namespace callwire::telnyx
