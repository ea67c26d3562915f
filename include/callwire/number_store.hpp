// callwire — NumberStore: the caller-ID numbers (`numbers`).
//
// Exactly one number is the default whenever any number exists, also while
// several threads or servers call set_default at once. The default is a single
// pointer (`telnyx_config` record "default_number", field default_number_id)
// that set_default replaces in one single-record write — no transaction
// needed, so this holds on MongoDB and FerretDB as on SQLite. A number is the
// default when the pointer names it, or — when the pointer is unset or names a
// removed number — when it is the oldest number (created_at, then id). So the
// first number added is the default until another is chosen, removing the
// default hands it to the oldest remaining one, and of concurrent set_default
// calls the last write wins. Do not reuse the id of a removed number: a stale
// pointer would name it again. Thread-safe: see callwire/storage.hpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callwire/storage.hpp"
#include "callwire/types.hpp"

namespace callwire {

class NumberStore {
 public:
  explicit NumberStore(Storage storage);

  /// Normalises number to E.164, assigns id/created_at, status "active" when
  /// empty. errc::conflict when the number (or id) is already there. When
  /// is_default is set, it becomes the default.
  PhoneNumber create(PhoneNumber number);
  /// Oldest first; exactly one has is_default when the list is not empty.
  std::vector<PhoneNumber> list() const;
  PhoneNumber get(std::string_view id) const;  ///< errc::not_found when absent
  std::optional<PhoneNumber> find(std::string_view id) const;
  std::optional<PhoneNumber> default_number() const;
  /// Makes id the default; errc::not_found when absent. Returns it.
  PhoneNumber set_default(std::string_view id);
  /// errc::not_found when absent.
  void remove(std::string_view id);

 private:
  Storage storage_;
};

}  // namespace callwire
