// The tables of callwire's storage and the row mapping of each domain type.
#include "store/schema.hpp"

#include <functional>
#include <utility>

#include "callwire/error.hpp"
#include "callwire/json.hpp"
#include "store/errors.hpp"

namespace callwire::store_detail {

std::size_t TableDef::column(std::string_view n) const {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (n == columns[i].name) return i;
  }
  throw Error(errc::internal, "callwire's storage layer failed (a bug); please report it.",
              std::string("storage: table ") + name + " has no column " + std::string(n));
}

namespace {

// ---- field descriptors ------------------------------------------------------

struct Where {
  const char* table;
  const std::string* id;  // may be null while the id itself is read
};

[[noreturn]] void bad(const Where& w, const char* column, const std::string& what) {
  std::string msg = "storage: ";
  msg += w.table;
  if (w.id != nullptr && !w.id->empty()) msg += "/" + *w.id;
  msg += ".";
  msg += column;
  msg += ": ";
  msg += what;
  throw Error(errc::storage, sentence::kUnreadable, msg);
}

const char* type_name(const FieldValue& v) {
  switch (v.index()) {
    case 0: return "null";
    case 1: return "text";
    case 2: return "an integer";
    default: return "a boolean";
  }
}

template <class T>
struct Field {
  Column column;
  std::function<FieldValue(const T&)> get;
  std::function<void(T&, FieldValue&&, const Where&)> set;
};

template <class T>
struct Record {
  TableDef def;
  std::vector<Field<T>> fields;
};

template <class T>
Record<T> make_record(const char* table, std::vector<Field<T>> fields, std::vector<IndexDef> indexes) {
  Record<T> r;
  r.def.name = table;
  for (const auto& f : fields) r.def.columns.push_back(f.column);
  r.def.indexes = std::move(indexes);
  r.fields = std::move(fields);
  return r;
}

template <class T, class A>
Field<T> text(const char* name, A acc) {
  return {{name, ColumnType::text, false},
          [acc](const T& v) -> FieldValue { return std::string(acc(v)); },
          [acc, name](T& v, FieldValue&& x, const Where& w) {
            if (auto* s = std::get_if<std::string>(&x)) acc(v) = std::move(*s);
            else if (std::holds_alternative<std::monostate>(x)) acc(v).clear();
            else bad(w, name, std::string("expected text, found ") + type_name(x));
          }};
}

template <class T, class A>
Field<T> opt_text(const char* name, A acc) {
  return {{name, ColumnType::text, true},
          [acc](const T& v) -> FieldValue {
            const auto& o = acc(v);
            if (!o) return std::monostate{};
            return *o;
          },
          [acc, name](T& v, FieldValue&& x, const Where& w) {
            if (auto* s = std::get_if<std::string>(&x)) acc(v) = std::move(*s);
            else if (std::holds_alternative<std::monostate>(x)) acc(v).reset();
            else bad(w, name, std::string("expected text, found ") + type_name(x));
          }};
}

template <class T, class A>
Field<T> integer(const char* name, A acc) {
  return {{name, ColumnType::integer, false},
          [acc](const T& v) -> FieldValue { return static_cast<std::int64_t>(acc(v)); },
          [acc, name](T& v, FieldValue&& x, const Where& w) {
            if (auto* i = std::get_if<std::int64_t>(&x)) acc(v) = *i;
            else if (std::holds_alternative<std::monostate>(x)) acc(v) = 0;
            else bad(w, name, std::string("expected an integer, found ") + type_name(x));
          }};
}

template <class T, class A>
Field<T> boolean(const char* name, A acc) {
  return {{name, ColumnType::boolean, false},
          [acc](const T& v) -> FieldValue { return static_cast<bool>(acc(v)); },
          [acc, name](T& v, FieldValue&& x, const Where& w) {
            if (auto* b = std::get_if<bool>(&x)) acc(v) = *b;
            else if (std::holds_alternative<std::monostate>(x)) acc(v) = false;
            else bad(w, name, std::string("expected a boolean, found ") + type_name(x));
          }};
}

TimePoint parse_stored_time(const std::string& s, const Where& w, const char* name) {
  auto t = json::parse_time(s);
  if (!t) bad(w, name, "malformed time '" + s + "'");
  return *t;
}

template <class T, class A>
Field<T> time(const char* name, A acc) {
  return {{name, ColumnType::text, false},
          [acc](const T& v) -> FieldValue { return json::format_time(acc(v)); },
          [acc, name](T& v, FieldValue&& x, const Where& w) {
            if (auto* s = std::get_if<std::string>(&x)) acc(v) = parse_stored_time(*s, w, name);
            else if (std::holds_alternative<std::monostate>(x)) acc(v) = TimePoint{};
            else bad(w, name, std::string("expected a time, found ") + type_name(x));
          }};
}

template <class T, class A>
Field<T> opt_time(const char* name, A acc) {
  return {{name, ColumnType::text, true},
          [acc](const T& v) -> FieldValue {
            const auto& o = acc(v);
            if (!o) return std::monostate{};
            return json::format_time(*o);
          },
          [acc, name](T& v, FieldValue&& x, const Where& w) {
            if (auto* s = std::get_if<std::string>(&x)) acc(v) = parse_stored_time(*s, w, name);
            else if (std::holds_alternative<std::monostate>(x)) acc(v).reset();
            else bad(w, name, std::string("expected a time, found ") + type_name(x));
          }};
}

template <class T, class E, class A>
Field<T> enumeration(const char* name, A acc, std::string_view (*to_str)(E) noexcept,
                     std::optional<E> (*parse)(std::string_view) noexcept) {
  return {{name, ColumnType::text, false},
          [acc, to_str](const T& v) -> FieldValue { return std::string(to_str(acc(v))); },
          [acc, name, parse](T& v, FieldValue&& x, const Where& w) {
            auto* s = std::get_if<std::string>(&x);
            if (s == nullptr) bad(w, name, std::string("expected text, found ") + type_name(x));
            auto e = parse(*s);
            if (!e) bad(w, name, "unknown value '" + *s + "'");
            acc(v) = *e;
          }};
}

template <class T>
Row to_row_of(const Record<T>& rec, const T& v) {
  Row r;
  r.reserve(rec.fields.size());
  for (const auto& f : rec.fields) r.push_back(f.get(v));
  return r;
}

template <class T>
T from_row_of(const Record<T>& rec, const Row& row) {
  T v{};
  std::string id;
  if (!row.empty()) {
    if (const auto* s = std::get_if<std::string>(&row[0])) id = *s;
  }
  const Where w{rec.def.name, &id};
  for (std::size_t i = 0; i < rec.fields.size() && i < row.size(); ++i) {
    FieldValue x = row[i];
    rec.fields[i].set(v, std::move(x), w);
  }
  return v;
}

#define CW_ACC(expr) [](auto& r) -> auto& { return r.expr; }

// ---- the tables -----------------------------------------------------------

const Record<Contact>& contact_record() {
  static const Record<Contact> rec = make_record<Contact>(
      "contacts",
      {
          text<Contact>("id", CW_ACC(id)),
          text<Contact>("name", CW_ACC(name)),
          text<Contact>("phone", CW_ACC(phone)),
          text<Contact>("email", CW_ACC(email)),
          enumeration<Contact, ContactCategory>("category", CW_ACC(category), &to_string, &parse_contact_category),
          boolean<Contact>("is_favorite", CW_ACC(is_favorite)),
          text<Contact>("notes", CW_ACC(notes)),
          time<Contact>("created_at", CW_ACC(created_at)),
          time<Contact>("updated_at", CW_ACC(updated_at)),
      },
      {
          {"contacts_name", {{"name", false}}},
          {"contacts_phone", {{"phone", false}}},
          {"contacts_category", {{"category", false}}},
      });
  return rec;
}

const Record<Call>& call_record() {
  static const Record<Call> rec = make_record<Call>(
      "call_logs",
      {
          text<Call>("id", CW_ACC(call_id)),
          text<Call>("call_control_id", CW_ACC(call_control_id)),
          text<Call>("call_leg_id", CW_ACC(call_leg_id)),
          text<Call>("call_session_id", CW_ACC(call_session_id)),
          text<Call>("connection_id", CW_ACC(connection_id)),
          text<Call>("to_number", CW_ACC(to_number)),
          text<Call>("from_number", CW_ACC(from_number)),
          enumeration<Call, Direction>("direction", CW_ACC(direction), &to_string, &parse_direction),
          enumeration<Call, CallStatus>("status", CW_ACC(status), &to_string, &parse_call_status),
          time<Call>("created_at", CW_ACC(created_at)),
          time<Call>("updated_at", CW_ACC(updated_at)),
          opt_time<Call>("ringing_at", CW_ACC(ringing_at)),
          opt_time<Call>("answered_at", CW_ACC(answered_at)),
          opt_time<Call>("ended_at", CW_ACC(ended_at)),
          integer<Call>("duration", CW_ACC(duration)),
          text<Call>("hangup_cause", CW_ACC(hangup_cause)),
          text<Call>("hangup_source", CW_ACC(hangup_source)),
          text<Call>("failure_reason", CW_ACC(failure_reason)),
          text<Call>("machine_detection", CW_ACC(machine_detection)),
          opt_text<Call>("contact_id", CW_ACC(contact_id)),
          opt_text<Call>("contact_name", CW_ACC(contact_name)),
          opt_text<Call>("recording_id", CW_ACC(recording_id)),
          boolean<Call>("recording", CW_ACC(recording)),
          boolean<Call>("muted", CW_ACC(muted)),
          boolean<Call>("on_hold", CW_ACC(on_hold)),
          boolean<Call>("demo", CW_ACC(demo)),
          boolean<Call>("recording_paused", CW_ACC(recording_paused)),  // schema version 3
          text<Call>("machine_greeting", CW_ACC(machine_greeting)),     // schema version 5
          boolean<Call>("record_from_answer", CW_ACC(record_from_answer)),  // schema version 6
          text<Call>("recording_error", CW_ACC(recording_error)),           // schema version 6
          opt_text<Call>("agent_id", CW_ACC(agent_id)),                 // schema version 7
      },
      {
          {"call_logs_created_at", {{"created_at", true}, {"id", true}}},
          {"call_logs_call_control_id", {{"call_control_id", false}}},
          {"call_logs_status", {{"status", false}, {"created_at", true}}},
          {"call_logs_agent_id", {{"agent_id", false}, {"created_at", true}}},  // schema version 7
      });
  return rec;
}

const Record<Recording>& recording_record() {
  static const Record<Recording> rec = make_record<Recording>(
      "recordings",
      {
          text<Recording>("id", CW_ACC(id)),
          text<Recording>("call_id", CW_ACC(call_id)),
          text<Recording>("call_control_id", CW_ACC(call_control_id)),
          text<Recording>("telnyx_recording_id", CW_ACC(telnyx_recording_id)),
          text<Recording>("url", CW_ACC(url)),
          integer<Recording>("duration", CW_ACC(duration)),
          text<Recording>("format", CW_ACC(format)),
          text<Recording>("channels", CW_ACC(channels)),
          time<Recording>("created_at", CW_ACC(created_at)),
          text<Recording>("remote_delete_error", CW_ACC(remote_delete_error)),  // schema version 6
          opt_text<Recording>("agent_id", CW_ACC(agent_id)),  // schema version 7
      },
      {
          {"recordings_call_id", {{"call_id", false}, {"created_at", false}}},
          {"recordings_created_at", {{"created_at", true}, {"id", true}}},
          {"recordings_agent_id", {{"agent_id", false}, {"created_at", true}}},  // schema version 7
      });
  return rec;
}

const Record<PhoneNumber>& number_record() {
  static const Record<PhoneNumber> rec = make_record<PhoneNumber>(
      "numbers",
      {
          text<PhoneNumber>("id", CW_ACC(id)),
          text<PhoneNumber>("number", CW_ACC(number)),
          text<PhoneNumber>("name", CW_ACC(name)),
          text<PhoneNumber>("status", CW_ACC(status)),
          time<PhoneNumber>("created_at", CW_ACC(created_at)),
      },
      {
          {"numbers_number", {{"number", false}}, true},
          {"numbers_created_at", {{"created_at", false}, {"id", false}}},
      });
  return rec;
}

struct StoredEvent {
  CallEvent event;
  TimePoint received_at{};
};

const Record<StoredEvent>& event_record() {
  static const Record<StoredEvent> rec = make_record<StoredEvent>(
      "call_events",
      {
          text<StoredEvent>("id", CW_ACC(event.id)),
          text<StoredEvent>("event_type", CW_ACC(event.event_type)),
          time<StoredEvent>("occurred_at", CW_ACC(event.occurred_at)),
          text<StoredEvent>("call_control_id", CW_ACC(event.call_control_id)),
          text<StoredEvent>("call_leg_id", CW_ACC(event.call_leg_id)),
          text<StoredEvent>("call_session_id", CW_ACC(event.call_session_id)),
          text<StoredEvent>("connection_id", CW_ACC(event.connection_id)),
          opt_text<StoredEvent>("client_state", CW_ACC(event.client_state)),
          text<StoredEvent>("from_number", CW_ACC(event.from)),
          text<StoredEvent>("to_number", CW_ACC(event.to)),
          text<StoredEvent>("direction", CW_ACC(event.direction)),
          text<StoredEvent>("state", CW_ACC(event.state)),
          text<StoredEvent>("hangup_cause", CW_ACC(event.hangup_cause)),
          text<StoredEvent>("hangup_source", CW_ACC(event.hangup_source)),
          text<StoredEvent>("sip_hangup_cause", CW_ACC(event.sip_hangup_cause)),
          text<StoredEvent>("digit", CW_ACC(event.digit)),
          text<StoredEvent>("result", CW_ACC(event.result)),
          text<StoredEvent>("recording_id", CW_ACC(event.recording_id)),
          text<StoredEvent>("recording_url", CW_ACC(event.recording_url)),
          text<StoredEvent>("recording_format", CW_ACC(event.recording_format)),
          opt_time<StoredEvent>("recording_started_at", CW_ACC(event.recording_started_at)),
          opt_time<StoredEvent>("recording_ended_at", CW_ACC(event.recording_ended_at)),
          text<StoredEvent>("payload_json", CW_ACC(event.payload_json)),
          text<StoredEvent>("meta_json", CW_ACC(event.meta_json)),
          time<StoredEvent>("received_at", CW_ACC(received_at)),
      },
      {
          {"call_events_call_control_id", {{"call_control_id", false}, {"occurred_at", false}}},
      });
  return rec;
}

const Record<UserRow>& user_record() {
  static const Record<UserRow> rec = make_record<UserRow>(
      "users",
      {
          text<UserRow>("id", CW_ACC(user.id)),
          text<UserRow>("email", CW_ACC(user.email)),
          text<UserRow>("email_key", CW_ACC(email_key)),
          text<UserRow>("name", CW_ACC(user.name)),
          enumeration<UserRow, UserRole>("role", CW_ACC(user.role), &to_string, &parse_user_role),
          opt_text<UserRow>("default_number_id", CW_ACC(user.default_number_id)),
          boolean<UserRow>("disabled", CW_ACC(user.disabled)),
          integer<UserRow>("token_version", CW_ACC(user.token_version)),
          text<UserRow>("password_hash", CW_ACC(password_hash)),
          time<UserRow>("created_at", CW_ACC(user.created_at)),
          time<UserRow>("updated_at", CW_ACC(user.updated_at)),
      },
      {
          {"users_email_key", {{"email_key", false}}, true},
          {"users_created_at", {{"created_at", false}, {"id", false}}},
      });
  return rec;
}

const Record<PresenceRow>& presence_record() {
  static const Record<PresenceRow> rec = make_record<PresenceRow>(
      "user_presence",
      {
          text<PresenceRow>("id", CW_ACC(user_id)),
          enumeration<PresenceRow, UserStatus>("status", CW_ACC(status), &to_string, &parse_user_status),
          opt_time<PresenceRow>("last_login_at", CW_ACC(last_login_at)),
          time<PresenceRow>("updated_at", CW_ACC(updated_at)),
      },
      {});
  return rec;
}

struct SettingsRow {
  std::string id;
  Settings s;
};

// Every telnyx_config column but the id is nullable: records are written
// field by field (settings vs. default_number_id) with upserts.
template <class F>
F nullable(F f) {
  f.column.nullable = true;
  return f;
}

const Record<SettingsRow>& settings_record() {
  static const Record<SettingsRow> rec = make_record<SettingsRow>(
      "telnyx_config",
      {
          text<SettingsRow>("id", CW_ACC(id)),
          nullable(text<SettingsRow>("api_key", CW_ACC(s.api_key))),
          nullable(text<SettingsRow>("api_v2_key", CW_ACC(s.api_v2_key))),
          nullable(text<SettingsRow>("webhook_url", CW_ACC(s.webhook_url))),
          nullable(text<SettingsRow>("connection_id", CW_ACC(s.connection_id))),
          nullable(text<SettingsRow>("public_key", CW_ACC(s.public_key))),
          nullable(text<SettingsRow>("api_base", CW_ACC(s.api_base))),
          nullable(boolean<SettingsRow>("auto_record", CW_ACC(s.auto_record))),
          nullable(boolean<SettingsRow>("demo_mode", CW_ACC(s.demo_mode))),
          nullable(time<SettingsRow>("updated_at", CW_ACC(s.updated_at))),
          // Not a Settings field: the default caller-ID number (number_store.hpp).
          {{"default_number_id", ColumnType::text, true},
           [](const SettingsRow&) -> FieldValue { return std::monostate{}; },
           [](SettingsRow&, FieldValue&&, const Where&) {}},
          nullable(text<SettingsRow>("recording_channels", CW_ACC(s.recording_channels))),  // schema version 6
      },
      {});
  return rec;
}

#undef CW_ACC

}  // namespace

const TableDef& contacts_table() { return contact_record().def; }
const TableDef& calls_table() { return call_record().def; }
const TableDef& recordings_table() { return recording_record().def; }
const TableDef& numbers_table() { return number_record().def; }
const TableDef& config_table() { return settings_record().def; }
const TableDef& events_table() { return event_record().def; }
const TableDef& users_table() { return user_record().def; }
const TableDef& presence_table() { return presence_record().def; }

const std::vector<const TableDef*>& all_tables() {
  static const std::vector<const TableDef*> tables{&contacts_table(), &calls_table(),  &recordings_table(),
                                                   &numbers_table(),  &config_table(), &events_table(),
                                                   &users_table(),    &presence_table()};
  return tables;
}

Row to_row(const Contact& v) { return to_row_of(contact_record(), v); }
Row to_row(const Call& v) { return to_row_of(call_record(), v); }
Row to_row(const Recording& v) { return to_row_of(recording_record(), v); }
Row to_row(const PhoneNumber& v) { return to_row_of(number_record(), v); }
Row to_row(const UserRow& v) { return to_row_of(user_record(), v); }
Row to_row(const PresenceRow& v) { return to_row_of(presence_record(), v); }
Row to_row(const CallEvent& v, TimePoint received_at) { return to_row_of(event_record(), StoredEvent{v, received_at}); }

Assignments settings_assignments(const Settings& v) {
  const auto& rec = settings_record();
  const SettingsRow row{kSettingsId, v};
  Assignments a;
  for (std::size_t i = 1; i < rec.fields.size(); ++i) {
    if (std::string_view(rec.fields[i].column.name) == "default_number_id") continue;
    a.emplace_back(rec.fields[i].column.name, rec.fields[i].get(row));
  }
  return a;
}

Contact contact_from_row(const Row& r) { return from_row_of(contact_record(), r); }
Call call_from_row(const Row& r) { return from_row_of(call_record(), r); }
Recording recording_from_row(const Row& r) { return from_row_of(recording_record(), r); }
PhoneNumber number_from_row(const Row& r) { return from_row_of(number_record(), r); }
CallEvent event_from_row(const Row& r) { return from_row_of(event_record(), r).event; }
UserRow user_from_row(const Row& r) { return from_row_of(user_record(), r); }
PresenceRow presence_from_row(const Row& r) { return from_row_of(presence_record(), r); }
Settings settings_from_row(const Row& r) { return from_row_of(settings_record(), r).s; }

std::string text_of(const Row& r, std::size_t column) {
  if (column < r.size()) {
    if (const auto* s = std::get_if<std::string>(&r[column])) return *s;
  }
  return {};
}

}  // namespace callwire::store_detail
