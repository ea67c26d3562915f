// Internal: the tables/collections of callwire's storage and the mapping of
// the domain types (callwire/types.hpp) to rows. One definition serves both
// backends: SQLite columns and MongoDB document fields carry the same names
// (the id column is `_id` in MongoDB). docs/storage.md describes the schema.
#pragma once

#include <string>
#include <vector>

#include "callwire/types.hpp"
#include "store/backend.hpp"

namespace callwire::store_detail {

const TableDef& contacts_table();
const TableDef& calls_table();       ///< call_logs
const TableDef& recordings_table();
const TableDef& numbers_table();
const TableDef& config_table();      ///< telnyx_config
const TableDef& events_table();      ///< call_events
const TableDef& users_table();
const TableDef& presence_table();    ///< user_presence
/// Every table, in creation order.
const std::vector<const TableDef*>& all_tables();

/// A users row: the User (but for status and last_login_at, which live in
/// user_presence), its lower-case email key (the unique index) and the
/// Argon2id hash, which never leaves the store.
struct UserRow {
  User user;
  std::string email_key;
  std::string password_hash;
};

/// A user_presence row (id = the user's id): what changes all day — the
/// status and the time of the last sign-in — kept out of the account's own
/// record, so these frequent writes never rewrite the account (FerretDB
/// applies an update by rewriting the whole document it read, so a presence
/// change sharing the account's document could undo a concurrent revocation).
struct PresenceRow {
  std::string user_id;
  UserStatus status = UserStatus::offline;
  std::optional<TimePoint> last_login_at;
  TimePoint updated_at{};
};

/// The telnyx_config record of the Telnyx settings (settings columns only).
inline constexpr const char* kSettingsId = "settings";
/// The telnyx_config record of the default caller-ID number (column
/// default_number_id only). A record of its own: FerretDB applies an update by
/// rewriting the whole document it read, so two records that shared one
/// document could overwrite each other's concurrent changes.
inline constexpr const char* kDefaultNumberId = "default_number";

Row to_row(const Contact& v);
Row to_row(const Call& v);
Row to_row(const Recording& v);
Row to_row(const PhoneNumber& v);  ///< is_default is not stored (see number_store.hpp)
Row to_row(const CallEvent& v, TimePoint received_at);
Row to_row(const UserRow& v);
Row to_row(const PresenceRow& v);
/// The settings columns of telnyx_config (no id, no default_number_id).
Assignments settings_assignments(const Settings& v);

Contact contact_from_row(const Row& r);
Call call_from_row(const Row& r);
Recording recording_from_row(const Row& r);
PhoneNumber number_from_row(const Row& r);
CallEvent event_from_row(const Row& r);
Settings settings_from_row(const Row& r);
UserRow user_from_row(const Row& r);
PresenceRow presence_from_row(const Row& r);

/// Text of a row's column, "" when NULL.
std::string text_of(const Row& r, std::size_t column);

}  // namespace callwire::store_detail
