// Internal: the sentences of storage errors, shared by both backends and the
// typed stores.
//
// A storage error's what() is one of these plain sentences, safe for any
// client (a REST answer, an application's UI); the raw text — the statement
// that failed, the SQLite or MongoDB driver message, the file path or URL —
// goes to Error::detail(), for logs only (callwire/error.hpp). Codes stay
// what they were: the sentence never decides the code.
#pragma once

#include <string>

#include "callwire/error.hpp"

namespace callwire::store_detail {

namespace sentence {
/// errc::unavailable: the database is unreachable, busy or locked.
inline constexpr const char* kUnavailable = "The database is not available right now; try again.";
/// errc::storage when nothing more specific can be said.
inline constexpr const char* kFailed = "The database reported an error.";
/// errc::conflict from a backend (the typed stores name the record instead).
inline constexpr const char* kExists = "This record already exists.";
/// errc::storage: a stored value that does not decode (written by hand or by
/// another program).
inline constexpr const char* kUnreadable = "The database holds a record that callwire cannot read.";
/// errc::storage: a schema version newer than this build knows.
inline constexpr const char* kNewerSchema =
    "The database was written by a newer version of callwire; use that version or a newer one.";
}  // namespace sentence

/// The generic sentence for a storage error code (kUnavailable, kExists, kFailed).
inline const char* sentence_for(errc code) noexcept {
  switch (code) {
    case errc::unavailable: return sentence::kUnavailable;
    case errc::conflict: return sentence::kExists;
    default: return sentence::kFailed;
  }
}

/// An error with the generic sentence of its code and `detail` for the logs.
inline Error storage_error(errc code, std::string detail) { return Error(code, sentence_for(code), std::move(detail)); }

}  // namespace callwire::store_detail
