// The SQLite schema, version by version. Column names equal the MongoDB field
// names (store/schema.cpp); a test checks that the migrated schema has every
// column and index the code expects.
#include "store/sqlite/migrations.hpp"

namespace callwire::store_detail::sqlite {

namespace {

constexpr const char* kV1 = R"sql(
CREATE TABLE contacts (
  id          TEXT PRIMARY KEY NOT NULL,
  name        TEXT NOT NULL,
  phone       TEXT NOT NULL,
  email       TEXT NOT NULL DEFAULT '',
  category    TEXT NOT NULL DEFAULT 'other',
  is_favorite INTEGER NOT NULL DEFAULT 0,
  notes       TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX contacts_name ON contacts (name);
CREATE INDEX contacts_phone ON contacts (phone);
CREATE INDEX contacts_category ON contacts (category);

CREATE TABLE call_logs (
  id                TEXT PRIMARY KEY NOT NULL,
  call_control_id   TEXT NOT NULL DEFAULT '',
  call_leg_id       TEXT NOT NULL DEFAULT '',
  call_session_id   TEXT NOT NULL DEFAULT '',
  connection_id     TEXT NOT NULL DEFAULT '',
  to_number         TEXT NOT NULL DEFAULT '',
  from_number       TEXT NOT NULL DEFAULT '',
  direction         TEXT NOT NULL DEFAULT 'outbound',
  status            TEXT NOT NULL,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  ringing_at        TEXT,
  answered_at       TEXT,
  ended_at          TEXT,
  duration          INTEGER NOT NULL DEFAULT 0,
  hangup_cause      TEXT NOT NULL DEFAULT '',
  hangup_source     TEXT NOT NULL DEFAULT '',
  failure_reason    TEXT NOT NULL DEFAULT '',
  machine_detection TEXT NOT NULL DEFAULT '',
  contact_id        TEXT,
  contact_name      TEXT,
  recording_id      TEXT,
  recording         INTEGER NOT NULL DEFAULT 0,
  muted             INTEGER NOT NULL DEFAULT 0,
  on_hold           INTEGER NOT NULL DEFAULT 0,
  demo              INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX call_logs_created_at ON call_logs (created_at DESC, id DESC);
CREATE INDEX call_logs_call_control_id ON call_logs (call_control_id);
CREATE INDEX call_logs_status ON call_logs (status, created_at DESC);

CREATE TABLE recordings (
  id                  TEXT PRIMARY KEY NOT NULL,
  call_id             TEXT NOT NULL,
  call_control_id     TEXT NOT NULL DEFAULT '',
  telnyx_recording_id TEXT NOT NULL DEFAULT '',
  url                 TEXT NOT NULL DEFAULT '',
  duration            INTEGER NOT NULL DEFAULT 0,
  format              TEXT NOT NULL DEFAULT '',
  channels            TEXT NOT NULL DEFAULT '',
  created_at          TEXT NOT NULL
);
CREATE INDEX recordings_call_id ON recordings (call_id, created_at);
CREATE INDEX recordings_created_at ON recordings (created_at DESC, id DESC);

CREATE TABLE numbers (
  id         TEXT PRIMARY KEY NOT NULL,
  number     TEXT NOT NULL,
  name       TEXT NOT NULL DEFAULT '',
  status     TEXT NOT NULL DEFAULT 'active',
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX numbers_number ON numbers (number);
CREATE INDEX numbers_created_at ON numbers (created_at, id);

CREATE TABLE telnyx_config (
  id                TEXT PRIMARY KEY NOT NULL,
  api_key           TEXT,
  api_v2_key        TEXT,
  webhook_url       TEXT,
  connection_id     TEXT,
  public_key        TEXT,
  api_base          TEXT,
  auto_record       INTEGER,
  demo_mode         INTEGER,
  updated_at        TEXT,
  default_number_id TEXT
);

CREATE TABLE call_events (
  id                   TEXT PRIMARY KEY NOT NULL,
  event_type           TEXT NOT NULL,
  occurred_at          TEXT NOT NULL,
  call_control_id      TEXT NOT NULL DEFAULT '',
  call_leg_id          TEXT NOT NULL DEFAULT '',
  call_session_id      TEXT NOT NULL DEFAULT '',
  connection_id        TEXT NOT NULL DEFAULT '',
  client_state         TEXT,
  from_number          TEXT NOT NULL DEFAULT '',
  to_number            TEXT NOT NULL DEFAULT '',
  direction            TEXT NOT NULL DEFAULT '',
  state                TEXT NOT NULL DEFAULT '',
  hangup_cause         TEXT NOT NULL DEFAULT '',
  hangup_source        TEXT NOT NULL DEFAULT '',
  sip_hangup_cause     TEXT NOT NULL DEFAULT '',
  digit                TEXT NOT NULL DEFAULT '',
  result               TEXT NOT NULL DEFAULT '',
  recording_id         TEXT NOT NULL DEFAULT '',
  recording_url        TEXT NOT NULL DEFAULT '',
  recording_format     TEXT NOT NULL DEFAULT '',
  recording_started_at TEXT,
  recording_ended_at   TEXT,
  payload_json         TEXT NOT NULL DEFAULT '',
  meta_json            TEXT NOT NULL DEFAULT '',
  received_at          TEXT NOT NULL
);
CREATE INDEX call_events_call_control_id ON call_events (call_control_id, occurred_at);
)sql";

// Version 2: call-log statistics from counters and call-log search through
// a full-text index, both kept by triggers so that every writer of the file
// (any process, any statement) keeps them exact; filled here from the rows of
// a version-1 file. docs/storage.md, "Statistics and search on SQLite".
//
// call_log_totals: calls and summed duration per (UTC day of created_at,
// status, answered_at set) — the keys LogStore::stats groups by. A key whose
// count drops to 0 is deleted.
//
// call_logs_search: an external-content FTS5 index (trigram tokenizer,
// detail=column: one entry per trigram and column, no positions) over the
// columns the search matches, keyed by the call_logs rowid. call_logs has
// indexes, so VACUUM copies its rowids unchanged (a test checks it).
constexpr const char* kV2 = R"sql(
CREATE TABLE call_log_totals (
  day      TEXT NOT NULL,
  status   TEXT NOT NULL,
  answered INTEGER NOT NULL,
  calls    INTEGER NOT NULL,
  duration INTEGER NOT NULL,
  PRIMARY KEY (day, status, answered)
) WITHOUT ROWID;
INSERT INTO call_log_totals (day, status, answered, calls, duration)
  SELECT substr(created_at, 1, 10), status, answered_at IS NOT NULL, count(*), coalesce(sum(duration), 0)
  FROM call_logs GROUP BY 1, 2, 3;

CREATE TRIGGER call_log_totals_insert AFTER INSERT ON call_logs BEGIN
  INSERT INTO call_log_totals (day, status, answered, calls, duration)
    VALUES (substr(new.created_at, 1, 10), new.status, new.answered_at IS NOT NULL, 1, new.duration)
    ON CONFLICT (day, status, answered) DO UPDATE SET calls = calls + 1, duration = duration + excluded.duration;
END;
CREATE TRIGGER call_log_totals_delete AFTER DELETE ON call_logs BEGIN
  UPDATE call_log_totals SET calls = calls - 1, duration = duration - old.duration
    WHERE day = substr(old.created_at, 1, 10) AND status = old.status AND answered = (old.answered_at IS NOT NULL);
  DELETE FROM call_log_totals
    WHERE day = substr(old.created_at, 1, 10) AND status = old.status AND answered = (old.answered_at IS NOT NULL)
      AND calls = 0;
END;
CREATE TRIGGER call_log_totals_update AFTER UPDATE OF created_at, status, answered_at, duration ON call_logs
  WHEN substr(old.created_at, 1, 10) IS NOT substr(new.created_at, 1, 10) OR old.status IS NOT new.status
    OR (old.answered_at IS NOT NULL) IS NOT (new.answered_at IS NOT NULL) OR old.duration IS NOT new.duration
BEGIN
  UPDATE call_log_totals SET calls = calls - 1, duration = duration - old.duration
    WHERE day = substr(old.created_at, 1, 10) AND status = old.status AND answered = (old.answered_at IS NOT NULL);
  DELETE FROM call_log_totals
    WHERE day = substr(old.created_at, 1, 10) AND status = old.status AND answered = (old.answered_at IS NOT NULL)
      AND calls = 0;
  INSERT INTO call_log_totals (day, status, answered, calls, duration)
    VALUES (substr(new.created_at, 1, 10), new.status, new.answered_at IS NOT NULL, 1, new.duration)
    ON CONFLICT (day, status, answered) DO UPDATE SET calls = calls + 1, duration = duration + excluded.duration;
END;

CREATE VIRTUAL TABLE call_logs_search USING fts5(
  to_number, from_number, contact_name,
  content = 'call_logs', content_rowid = 'rowid', tokenize = 'trigram', detail = 'column'
);
INSERT INTO call_logs_search (call_logs_search) VALUES ('rebuild');

CREATE TRIGGER call_logs_search_insert AFTER INSERT ON call_logs BEGIN
  INSERT INTO call_logs_search (rowid, to_number, from_number, contact_name)
    VALUES (new.rowid, new.to_number, new.from_number, new.contact_name);
END;
CREATE TRIGGER call_logs_search_delete AFTER DELETE ON call_logs BEGIN
  INSERT INTO call_logs_search (call_logs_search, rowid, to_number, from_number, contact_name)
    VALUES ('delete', old.rowid, old.to_number, old.from_number, old.contact_name);
END;
CREATE TRIGGER call_logs_search_update AFTER UPDATE OF to_number, from_number, contact_name ON call_logs
  WHEN old.to_number IS NOT new.to_number OR old.from_number IS NOT new.from_number
    OR old.contact_name IS NOT new.contact_name
BEGIN
  INSERT INTO call_logs_search (call_logs_search, rowid, to_number, from_number, contact_name)
    VALUES ('delete', old.rowid, old.to_number, old.from_number, old.contact_name);
  INSERT INTO call_logs_search (rowid, to_number, from_number, contact_name)
    VALUES (new.rowid, new.to_number, new.from_number, new.contact_name);
END;
)sql";

// Version 3: a call's recording can be paused (CallClient::pause_recording).
constexpr const char* kV3 = R"sql(
ALTER TABLE call_logs ADD COLUMN recording_paused INTEGER NOT NULL DEFAULT 0;
)sql";

// Version 4: the accounts of the people who use callwire (UserStore) and
// their presence, which changes all day, in a table of its own.
constexpr const char* kV4 = R"sql(
CREATE TABLE users (
  id                TEXT PRIMARY KEY NOT NULL,
  email             TEXT NOT NULL,
  email_key         TEXT NOT NULL,
  name              TEXT NOT NULL,
  role              TEXT NOT NULL,
  default_number_id TEXT,
  disabled          INTEGER NOT NULL DEFAULT 0,
  token_version     INTEGER NOT NULL DEFAULT 0,
  password_hash     TEXT NOT NULL,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email_key);
CREATE INDEX users_created_at ON users (created_at, id);

CREATE TABLE user_presence (
  id            TEXT PRIMARY KEY NOT NULL,
  status        TEXT NOT NULL,
  last_login_at TEXT,
  updated_at    TEXT NOT NULL
);
)sql";

// Version 5: how a machine's greeting ended (Call::machine_greeting, from
// call.machine[.premium].greeting.ended); '' for the calls already there.
constexpr const char* kV5 = R"sql(
ALTER TABLE call_logs ADD COLUMN machine_greeting TEXT NOT NULL DEFAULT '';
)sql";

// Version 6: recordings (issue 15, 2.10) — whether a call was dialled to
// record from its answer and why its recording failed (call.recording.error),
// why Telnyx refused to delete a recording, and the recording channels
// setting. 0 / '' for the rows already there; the setting NULL (not set).
constexpr const char* kV6 = R"sql(
ALTER TABLE call_logs ADD COLUMN record_from_answer INTEGER NOT NULL DEFAULT 0;
ALTER TABLE call_logs ADD COLUMN recording_error TEXT NOT NULL DEFAULT '';
ALTER TABLE recordings ADD COLUMN remote_delete_error TEXT NOT NULL DEFAULT '';
ALTER TABLE telnyx_config ADD COLUMN recording_channels TEXT;
)sql";

// Version 7: who placed a call
// (Call::agent_id, a user's id), NULL for the calls already there, copied to
// their recordings, and the indexes an agent's call log and recordings read.
constexpr const char* kV7 = R"sql(
ALTER TABLE call_logs ADD COLUMN agent_id TEXT;
CREATE INDEX call_logs_agent_id ON call_logs (agent_id, created_at DESC);
ALTER TABLE recordings ADD COLUMN agent_id TEXT;
UPDATE recordings SET agent_id = (SELECT agent_id FROM call_logs WHERE call_logs.id = recordings.call_id);
CREATE INDEX recordings_agent_id ON recordings (agent_id, created_at DESC);
)sql";

}  // namespace

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all{
      {1, kV1},
      {2, kV2},
      {3, kV3},
      {4, kV4},
      {5, kV5},
      {6, kV6},
      {7, kV7},
  };
  return all;
}

}  // namespace callwire::store_detail::sqlite
