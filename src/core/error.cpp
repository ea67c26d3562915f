// The callwire error category.
#include "callwire/error.hpp"

namespace callwire {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "callwire"; }
  std::string message(int code) const override {
    switch (static_cast<errc>(code)) {
      case errc::ok: return "ok";
      case errc::invalid_argument: return "invalid argument";
      case errc::not_found: return "not found";
      case errc::conflict: return "conflict";
      case errc::unauthorized: return "unauthorized";
      case errc::too_large: return "too large";
      case errc::rate_limited: return "rate limited";
      case errc::carrier: return "carrier error";
      case errc::unavailable: return "unavailable";
      case errc::storage: return "storage error";
      case errc::timeout: return "timed out";
      case errc::tls: return "TLS error";
      case errc::closed: return "closed";
      case errc::internal: return "internal error";
      case errc::malformed: return "malformed";
      case errc::forbidden: return "forbidden";
    }
    return "unknown callwire error";
  }
};

}  // namespace

const std::error_category& callwire_category() noexcept {
  static const Category category;
  return category;
}

std::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), callwire_category()}; }

}  // namespace callwire
