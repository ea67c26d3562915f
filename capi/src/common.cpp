// Versions, status codes, errors, buffers and phone numbers; the exception
// mapping every entry point shares.
#include <cstdlib>
#include <cstring>
#include <new>

#include "callwire/phone.hpp"
#include "internal.hpp"
#include "status_codes.hpp"

namespace callwire::capi {
namespace {

// Marks a buffer callwire filled: reserved == ptr ^ kBufTag. A buffer whose
// tag does not match was not filled here (e.g. never zero-initialised) and is
// overwritten rather than freed.
constexpr auto kBufTag = static_cast<std::uintptr_t>(0x63776275665f7631ull);  // "cwbuf_v1"

void copy_truncated(char* dst, std::size_t size, std::string_view src) {
  std::size_t n = src.size() < size - 1 ? src.size() : size - 1;
  // Never cut a UTF-8 sequence in half: back up to the start of the last one.
  if (n < src.size()) {
    while (n > 0 && (static_cast<unsigned char>(src[n]) & 0xC0u) == 0x80u) --n;
  }
  if (n > 0) std::memcpy(dst, src.data(), n);  // an empty view may have a null data()
  dst[n] = '\0';
}

cw_error_domain domain_of(errc code, Origin origin) {
  switch (code) {
    case errc::storage: return CW_DOMAIN_STORAGE;
    case errc::unavailable: return origin == Origin::storage ? CW_DOMAIN_STORAGE : CW_DOMAIN_SDK;
    case errc::carrier: return CW_DOMAIN_CARRIER;
    case errc::tls: return CW_DOMAIN_TLS;
    default: return CW_DOMAIN_SDK;
  }
}

// An exception's code: errc::ok in an exception is a bug, as is a value outside the enum.
int code_of(errc code) {
  const int c = to_status(code);
  return c == CW_OK ? CW_EINTERNAL : c;
}

}  // namespace

int fail(cw_error* err, int code, cw_error_domain domain, std::string_view message, std::string_view detail) {
  if (err != nullptr) {
    err->domain = static_cast<uint32_t>(domain);
    err->code = code;
    err->http_status = 0;
    err->carrier_code[0] = '\0';
    copy_truncated(err->message, sizeof err->message, message);
    copy_truncated(err->detail, sizeof err->detail, detail);
  }
  return code;
}

int fail_current(cw_error* err, Origin origin) noexcept {
  try {
    throw;
  } catch (const CarrierError& e) {
    const int code = code_of(e.code());
    // A CarrierError is always the carrier's, also when it says "unavailable"
    // (no answer) or "tls".
    const cw_error_domain domain = e.code() == errc::tls ? CW_DOMAIN_TLS : CW_DOMAIN_CARRIER;
    fail(err, code, domain, e.what(), e.detail());  // detail: Telnyx's errors[0].detail
    if (err != nullptr) {
      err->http_status = e.http_status();
      copy_truncated(err->carrier_code, sizeof err->carrier_code, e.telnyx_code());
    }
    return code;
  } catch (const Error& e) {
    return fail(err, code_of(e.code()), domain_of(e.code(), origin), e.what(), e.detail());
  } catch (const CError& e) {
    const cw_error_domain domain = e.code == CW_ESTORAGE ? CW_DOMAIN_STORAGE : CW_DOMAIN_SDK;
    return fail(err, e.code, domain, e.message);
  } catch (const std::bad_alloc&) {
    return fail(err, CW_ENOMEM, CW_DOMAIN_SDK, "out of memory");
  } catch (const std::exception& e) {
    return fail(err, CW_EINTERNAL, CW_DOMAIN_SDK, std::string("internal error: ") + e.what());
  } catch (...) {
    return fail(err, CW_EINTERNAL, CW_DOMAIN_SDK, "internal error: an unknown exception");
  }
}

void invalid(std::string message) { throw Error(errc::invalid_argument, message); }

void check_version(unsigned version, unsigned known, const char* what) {
  if (version == 0 || version > known) {
    throw CError{CW_EVERSION, std::string(what) + ".version " + std::to_string(version) +
                                  " is not known to this libcallwire_c (it knows 1 to " + std::to_string(known) +
                                  "; initialise the struct with its _INIT macro or _options_init)"};
  }
}

void reset_buf(cw_buf* out) noexcept { cw_buf_dispose(out); }

void set_buf(cw_buf* out, std::string_view data) {
  reset_buf(out);
  auto* p = static_cast<char*>(std::malloc(data.size() + 1));
  if (p == nullptr) throw std::bad_alloc();
  if (!data.empty()) std::memcpy(p, data.data(), data.size());
  p[data.size()] = '\0';
  out->ptr = p;
  out->size = data.size();
  out->reserved = static_cast<std::size_t>(reinterpret_cast<std::uintptr_t>(p) ^ kBufTag);
}

json::Body parse_object(const char* text, const char* param) {
  try {
    return json::Body::parse(text == nullptr ? std::string_view() : std::string_view(text));
  } catch (const Error& e) {
    if (e.code() == errc::malformed) {
      // "request body is not valid JSON (error at offset 3)" → "filter_json is not valid JSON (…)"
      std::string msg = e.what();
      const std::string_view prefix = "request body";
      if (msg.rfind(prefix, 0) == 0) msg.replace(0, prefix.size(), param);
      throw Error(errc::malformed, msg);
    }
    if (e.code() == errc::invalid_argument) throw Error(errc::invalid_argument, std::string(param) + " must be a JSON object");
    throw;
  }
}

void check_object(const char* text, const char* param) { (void)parse_object(text, param); }

std::string json_string(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += ch;  // UTF-8 passes through
        }
    }
  }
  out += '"';
  return out;
}

}  // namespace callwire::capi

using namespace callwire::capi;

extern "C" {

CW_API uint32_t cw_version_number(void) { return CW_VERSION_NUMBER; }

CW_API const char* cw_version_string(void) { return CW_VERSION_STRING; }

CW_API const char* cw_status_name(int code) {
  switch (code) {
    case CW_OK: return "CW_OK";
    case CW_EINVAL: return "CW_EINVAL";
    case CW_ENOTFOUND: return "CW_ENOTFOUND";
    case CW_ECONFLICT: return "CW_ECONFLICT";
    case CW_EUNAUTHORIZED: return "CW_EUNAUTHORIZED";
    case CW_ETOOLARGE: return "CW_ETOOLARGE";
    case CW_ERATELIMITED: return "CW_ERATELIMITED";
    case CW_ECARRIER: return "CW_ECARRIER";
    case CW_EUNAVAILABLE: return "CW_EUNAVAILABLE";
    case CW_ESTORAGE: return "CW_ESTORAGE";
    case CW_ETIMEOUT: return "CW_ETIMEOUT";
    case CW_ETLS: return "CW_ETLS";
    case CW_ECLOSED: return "CW_ECLOSED";
    case CW_EINTERNAL: return "CW_EINTERNAL";
    case CW_EMALFORMED: return "CW_EMALFORMED";
    case CW_EVERSION: return "CW_EVERSION";
    case CW_ENOMEM: return "CW_ENOMEM";
    case CW_EFORBIDDEN: return "CW_EFORBIDDEN";
    default: return "CW_UNKNOWN";
  }
}

CW_API void cw_error_clear(cw_error* err) {
  if (err == nullptr) return;
  std::memset(err, 0, sizeof *err);
}

CW_API void cw_buf_dispose(cw_buf* buf) {
  if (buf == nullptr) return;
  const auto p = reinterpret_cast<std::uintptr_t>(buf->ptr);
  if (buf->ptr != nullptr && buf->reserved == static_cast<std::size_t>(p ^ kBufTag)) std::free(buf->ptr);
  buf->ptr = nullptr;
  buf->size = 0;
  buf->reserved = 0;
}

CW_API int cw_phone_normalize(cw_buf* out, const char* input, cw_error* err) {
  return guarded(err, Origin::sdk, [&] {
    require(out, "out");
    reset_buf(out);
    require(input, "input");
    auto r = callwire::parse_e164(input);
    if (auto* bad = std::get_if<callwire::PhoneParseError>(&r)) invalid(bad->message);
    set_buf(out, std::get<std::string>(r));
  });
}

}  // extern "C"
