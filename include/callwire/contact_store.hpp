// callwire — ContactStore: the address book (`contacts`).
//
// Every phone number is stored in E.164 (input is normalised with
// callwire::normalize_e164); category is one of lead, client, follow_up,
// other. Ids are UUID v4 strings chosen by the store unless the caller gives
// one. Thread-safe: see callwire/storage.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callwire/storage.hpp"
#include "callwire/types.hpp"

namespace callwire {

/// Which contacts ContactStore::list returns. Ordered by name (byte order of
/// the UTF-8 text), then id.
struct ContactFilter {
  std::optional<ContactCategory> category;
  bool favorites_only = false;
  /// A fragment of the name or email (case-insensitive for ASCII letters) or
  /// of the phone number (separators such as spaces, dashes and parentheses in
  /// the fragment are ignored). Matched literally: never a pattern.
  std::string search;
  Page page{1000, 0};
};

/// A partial update: only the fields that are set change.
struct ContactPatch {
  std::optional<std::string> name;
  std::optional<std::string> phone;
  std::optional<std::string> email;
  std::optional<ContactCategory> category;
  std::optional<bool> is_favorite;
  std::optional<std::string> notes;
};

class ContactStore {
 public:
  explicit ContactStore(Storage storage);

  /// Validates (name not empty, phone E.164-able, email plausible), assigns an
  /// id when empty and created_at/updated_at, and stores. errc::conflict when
  /// the id exists.
  Contact create(Contact contact);
  /// errc::not_found when absent.
  Contact get(std::string_view id) const;
  std::optional<Contact> find(std::string_view id) const;
  /// The oldest contact with this phone number (any spelling; normalised).
  std::optional<Contact> find_by_phone(std::string_view phone) const;
  std::vector<Contact> list(const ContactFilter& filter = {}) const;
  /// Number of contacts matching the filter (its page is ignored).
  std::int64_t count(const ContactFilter& filter = {}) const;
  /// Replaces the user fields of contact.id; created_at is kept, updated_at
  /// set. errc::not_found when absent.
  Contact update(Contact contact);
  Contact patch(std::string_view id, const ContactPatch& patch);
  /// errc::not_found when absent.
  void remove(std::string_view id);
  /// Flips is_favorite with a compare-and-set update. Atomic on SQLite and
  /// MongoDB: two concurrent toggles flip twice. FerretDB 1.x runs a
  /// conditional update as a read followed by a write, so there concurrent
  /// toggles of one contact can collapse into one; patch() with is_favorite
  /// sets a value instead.
  Contact toggle_favorite(std::string_view id);

 private:
  Storage storage_;
};

}  // namespace callwire
