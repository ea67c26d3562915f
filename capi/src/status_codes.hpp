// The one mapping between the C++ SDK's callwire::errc and the C ABI's
// cw_status codes, checked at compile time: the two enums cannot drift apart.
//
//  - to_status() switches over every errc and to_errc() over every cw_status,
//    with -Wswitch-enum an error here: a code added to either enum without a
//    case below does not compile.
//  - The static_asserts at the end hold the numeric contract (each errc is its
//    CW_E* code negated, error.hpp and callwire.h), the round trip, and the
//    counts: cw_status has exactly the errc codes plus the C ABI's own
//    CW_EVERSION and CW_ENOMEM.
// tests/capi/status_codes_check.cmake shows that a code added on one side only
// is refused.
#pragma once

#include "callwire.h"

#include <optional>

#include "callwire/error.hpp"

namespace callwire::capi {

#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic error "-Wswitch"
#pragma GCC diagnostic error "-Wswitch-enum"
#endif

/// The CW_* code of an SDK error code; CW_EINTERNAL for a value outside the
/// enum (a bug).
constexpr int to_status(errc code) noexcept {
  switch (code) {
    case errc::ok: return CW_OK;
    case errc::invalid_argument: return CW_EINVAL;
    case errc::not_found: return CW_ENOTFOUND;
    case errc::conflict: return CW_ECONFLICT;
    case errc::unauthorized: return CW_EUNAUTHORIZED;
    case errc::too_large: return CW_ETOOLARGE;
    case errc::rate_limited: return CW_ERATELIMITED;
    case errc::carrier: return CW_ECARRIER;
    case errc::unavailable: return CW_EUNAVAILABLE;
    case errc::storage: return CW_ESTORAGE;
    case errc::timeout: return CW_ETIMEOUT;
    case errc::tls: return CW_ETLS;
    case errc::closed: return CW_ECLOSED;
    case errc::internal: return CW_EINTERNAL;
    case errc::malformed: return CW_EMALFORMED;
    case errc::forbidden: return CW_EFORBIDDEN;
  }
  return CW_EINTERNAL;
}

/// The SDK error code of a CW_* code; std::nullopt for the codes only the C
/// ABI has (CW_EVERSION, CW_ENOMEM).
constexpr std::optional<errc> to_errc(cw_status status) noexcept {
  switch (status) {
    case CW_OK: return errc::ok;
    case CW_EINVAL: return errc::invalid_argument;
    case CW_ENOTFOUND: return errc::not_found;
    case CW_ECONFLICT: return errc::conflict;
    case CW_EUNAUTHORIZED: return errc::unauthorized;
    case CW_ETOOLARGE: return errc::too_large;
    case CW_ERATELIMITED: return errc::rate_limited;
    case CW_ECARRIER: return errc::carrier;
    case CW_EUNAVAILABLE: return errc::unavailable;
    case CW_ESTORAGE: return errc::storage;
    case CW_ETIMEOUT: return errc::timeout;
    case CW_ETLS: return errc::tls;
    case CW_ECLOSED: return errc::closed;
    case CW_EINTERNAL: return errc::internal;
    case CW_EMALFORMED: return errc::malformed;
    case CW_EVERSION: return std::nullopt;  // an options struct version: the C ABI's own
    case CW_ENOMEM: return std::nullopt;    // std::bad_alloc: the C ABI's own
    case CW_EFORBIDDEN: return errc::forbidden;
    default: return std::nullopt;
  }
}

/// True for the values cw_status names (-Wswitch-enum: every one is listed).
/// `value` must lie in [kStatusMin, kStatusMax] (status_check below).
constexpr bool is_status(int value) noexcept {
  switch (static_cast<cw_status>(value)) {
    case CW_OK:
    case CW_EINVAL:
    case CW_ENOTFOUND:
    case CW_ECONFLICT:
    case CW_EUNAUTHORIZED:
    case CW_ETOOLARGE:
    case CW_ERATELIMITED:
    case CW_ECARRIER:
    case CW_EUNAVAILABLE:
    case CW_ESTORAGE:
    case CW_ETIMEOUT:
    case CW_ETLS:
    case CW_ECLOSED:
    case CW_EINTERNAL:
    case CW_EMALFORMED:
    case CW_EVERSION:
    case CW_ENOMEM:
    case CW_EFORBIDDEN: return true;
    default: return false;
  }
}

/// True for the values errc names (-Wswitch-enum: every one is listed).
constexpr bool is_errc(int value) noexcept {
  switch (static_cast<errc>(value)) {
    case errc::ok:
    case errc::invalid_argument:
    case errc::not_found:
    case errc::conflict:
    case errc::unauthorized:
    case errc::too_large:
    case errc::rate_limited:
    case errc::carrier:
    case errc::unavailable:
    case errc::storage:
    case errc::timeout:
    case errc::tls:
    case errc::closed:
    case errc::internal:
    case errc::malformed:
    case errc::forbidden: return true;
    default: return false;
  }
}

#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace status_check {

/// errc has a fixed underlying type (int): any value in ±kRange may be cast to it.
inline constexpr int kRange = 256;
/// cw_status, a C enum, may only hold the values of its smallest two's
/// complement bit-field, [-32, 31] for codes down to -17 (casting others is
/// undefined, and refused in a constant expression). A code below -32 would
/// widen it to [-64, 63]; this loop would then miss it and the count check
/// below would fail, pointing here.
inline constexpr int kStatusMin = -32;
inline constexpr int kStatusMax = 31;

constexpr int count_statuses() noexcept {
  int n = 0;
  for (int v = kStatusMin; v <= kStatusMax; ++v) n += is_status(v) ? 1 : 0;
  return n;
}

constexpr int count_errcs() noexcept {
  int n = 0;
  for (int v = -kRange; v <= kRange; ++v) n += is_errc(v) ? 1 : 0;
  return n;
}

/// Every errc is its CW_E* code negated, and maps back to itself.
constexpr bool errcs_agree() noexcept {
  for (int v = -kRange; v <= kRange; ++v) {
    if (!is_errc(v)) continue;
    const auto e = static_cast<errc>(v);
    if (-v < kStatusMin || -v > kStatusMax || !is_status(-v) || to_status(e) != -v) return false;
    if (to_errc(static_cast<cw_status>(-v)) != e) return false;
  }
  return true;
}

/// Every cw_status but the C ABI's own two has an errc that maps back to it.
constexpr bool statuses_agree() noexcept {
  for (int v = kStatusMin; v <= kStatusMax; ++v) {
    if (!is_status(v)) continue;
    const auto e = to_errc(static_cast<cw_status>(v));
    if (!e) {
      if (v != CW_EVERSION && v != CW_ENOMEM) return false;
      continue;
    }
    if (to_status(*e) != v) return false;
  }
  return true;
}

}  // namespace status_check

static_assert(status_check::errcs_agree(), "callwire::errc and cw_status disagree: each errc must be its CW_E* negated");
static_assert(status_check::statuses_agree(), "a cw_status other than CW_EVERSION / CW_ENOMEM has no callwire::errc");
static_assert(status_check::count_statuses() == status_check::count_errcs() + 2,
              "cw_status must hold exactly the callwire::errc codes plus CW_EVERSION and CW_ENOMEM");
static_assert(!to_errc(CW_EVERSION) && !to_errc(CW_ENOMEM), "CW_EVERSION and CW_ENOMEM are the C ABI's own");

}  // namespace callwire::capi
