// Internal: the SQLite schema migrations. Each entry takes a database from
// the version before it to its version; entries are never edited once
// released — a schema change is a new entry (docs/storage.md, "Migrations").
// The list is in ascending version order (a test checks it) and the runner
// applies the entries above a file's version in ascending order, whatever
// their order in the list; a number may be missing (a build without another
// change's migration), never reused.
#pragma once

#include <vector>

namespace callwire::store_detail::sqlite {

struct Migration {
  int version;
  const char* sql;
};

const std::vector<Migration>& migrations();

/// The SQLite schema version this build reads and writes (the last
/// migration). MongoDB's stays store_detail::kSchemaVersion: version 2 only
/// adds SQLite tables (call-log counters and search index), version 3 a
/// column (call_logs.recording_paused), which MongoDB reads as false when absent,
/// version 4 the users table (a collection MongoDB creates with its indexes),
/// version 5 a column (call_logs.machine_greeting), which MongoDB reads as ""
/// when absent, version 6 four columns (call_logs.record_from_answer,
/// call_logs.recording_error, recordings.remote_delete_error,
/// telnyx_config.recording_channels), which MongoDB reads as false / "" when
/// absent, version 7 a column and an index (call_logs.agent_id, and the same
/// on recordings), which MongoDB reads as null when absent and indexes at init.
inline constexpr int kSchemaVersion = 7;

/// PRAGMA application_id of callwire databases ("CWIR").
inline constexpr int kApplicationId = 0x43574952;

}  // namespace callwire::store_detail::sqlite
