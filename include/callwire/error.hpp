// callwire — error codes and the exception the SDK throws.
#pragma once

#include <stdexcept>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

namespace callwire {

/// SDK error conditions. Values are stable: they match the C ABI's CW_E*
/// codes (negated) and are never renumbered.
enum class errc {
  ok = 0,
  invalid_argument = 1,   ///< bad input: phone number, JSON field, option
  not_found = 2,          ///< unknown id
  conflict = 3,           ///< duplicate, or state does not allow the operation
  unauthorized = 4,       ///< bad or missing signature / token
  too_large = 5,          ///< body over the size limit
  rate_limited = 6,       ///< pacing refused the request
  carrier = 7,            ///< the carrier answered with an error
  unavailable = 8,        ///< carrier or database unreachable
  storage = 9,            ///< the database reported an error
  timeout = 10,           ///< an operation ran out of time
  tls = 11,               ///< TLS handshake or verification failed
  closed = 12,            ///< the object was closed
  internal = 13,          ///< a bug: please report
  malformed = 14,         ///< a body that does not parse
  // 15 and 16 are the C ABI's own CW_EVERSION and CW_ENOMEM.
  forbidden = 17,         ///< signed in, but the role or the account does not allow it
};

const std::error_category& callwire_category() noexcept;
std::error_code make_error_code(errc e) noexcept;

/// The exception thrown by throwing SDK calls.
///
/// Two texts, for two audiences:
///  - what() is safe to show to anyone, including the end user of an
///    application or a REST client: it never carries SQL, file paths or the
///    messages of a database driver. Storage errors make it one plain
///    sentence ("This number is already in your list.", "The database is not
///    available right now; try again.").
///  - detail() is the raw text behind it, for logs and for the developer
///    only, never for end users: for storage errors what the database said
///    (the statement that failed, the SQLite or MongoDB driver message, the
///    file path); for carrier errors the `detail` of Telnyx's error
///    (CarrierError). Empty when there is nothing beyond what().
/// The C ABI carries them as cw_error.message and cw_error.detail, the
/// Python and Node bindings as the error's message and `.detail`.
class Error : public std::runtime_error {
 public:
  Error(errc code, const std::string& message) : std::runtime_error(message), code_(code) {}
  Error(errc code, const std::string& message, std::string detail)
      : std::runtime_error(message), code_(code), detail_(std::move(detail)) {}
  errc code() const noexcept { return code_; }
  std::error_code error_code() const noexcept { return make_error_code(code_); }
  /// The text for logs (see above); empty when there is none.
  const std::string& detail() const noexcept { return detail_; }

 private:
  errc code_;
  std::string detail_;
};

/// An error answered by the carrier (Telnyx), kept whole: the HTTP status
/// (0 when no answer came), the Telnyx error code (`errors[0].code`, a
/// string such as "90018"), its title, and its `detail` — which is this
/// error's detail() (Error::detail(): the text for logs).
class CarrierError : public Error {
 public:
  CarrierError(errc code, const std::string& message, int http_status, std::string telnyx_code, std::string title,
               std::string detail)
      : Error(code, message, std::move(detail)),
        http_status_(http_status),
        telnyx_code_(std::move(telnyx_code)),
        title_(std::move(title)) {}
  int http_status() const noexcept { return http_status_; }
  const std::string& telnyx_code() const noexcept { return telnyx_code_; }
  const std::string& title() const noexcept { return title_; }

 private:
  int http_status_;
  std::string telnyx_code_;
  std::string title_;
};

}  // namespace callwire

namespace std {
template <>
struct is_error_code_enum<callwire::errc> : true_type {};
}  // namespace std
