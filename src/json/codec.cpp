// Encode/decode of every public type. Each type's fields are listed once, in
// a fields() function used by both directions, so the two cannot drift apart.
#include "json/detail.hpp"

#include "callwire/status_text.hpp"

namespace callwire::json {
namespace {

using detail::FieldReader;
using detail::FieldWriter;
using detail::Writer;

template <class V, class T>
void fields(V& f, T& c, Call*) {
  f("call_id", c.call_id);
  f("call_control_id", c.call_control_id);
  f("call_leg_id", c.call_leg_id);
  f("call_session_id", c.call_session_id);
  f("connection_id", c.connection_id);
  f("to_number", c.to_number);
  f("from_number", c.from_number);
  f("direction", c.direction);
  f("status", c.status);
  f.derived("status_text", [&c] { return status_text(c); });
  f("created_at", c.created_at);
  f("updated_at", c.updated_at);
  f("ringing_at", c.ringing_at);
  f("answered_at", c.answered_at);
  f("ended_at", c.ended_at);
  f("duration", c.duration);
  f("hangup_cause", c.hangup_cause);
  f("hangup_source", c.hangup_source);
  f("failure_reason", c.failure_reason);
  f("machine_detection", c.machine_detection);
  f("machine_greeting", c.machine_greeting);
  f("contact_id", c.contact_id);
  f("agent_id", c.agent_id);
  f("contact_name", c.contact_name);
  f("recording_id", c.recording_id);
  f("recording", c.recording);
  f("recording_paused", c.recording_paused);
  f("muted", c.muted);
  f("on_hold", c.on_hold);
  f("demo", c.demo);
  f("record_from_answer", c.record_from_answer);
  f("recording_error", c.recording_error);
}

template <class V, class T>
void fields(V& f, T& e, CallEvent*) {
  f("id", e.id);
  f("event_type", e.event_type);
  f("occurred_at", e.occurred_at);
  f("call_control_id", e.call_control_id);
  f("call_leg_id", e.call_leg_id);
  f("call_session_id", e.call_session_id);
  f("connection_id", e.connection_id);
  f("client_state", e.client_state);
  f("from", e.from);
  f("to", e.to);
  f("direction", e.direction);
  f("state", e.state);
  f("hangup_cause", e.hangup_cause);
  f("hangup_source", e.hangup_source);
  f("sip_hangup_cause", e.sip_hangup_cause);
  f("digit", e.digit);
  f("result", e.result);
  f("recording_id", e.recording_id);
  f("recording_url", e.recording_url);
  f("recording_format", e.recording_format);
  f("recording_started_at", e.recording_started_at);
  f("recording_ended_at", e.recording_ended_at);
  f.raw("payload", e.payload_json);
  f.raw("meta", e.meta_json);
}

template <class V, class T>
void fields(V& f, T& c, Contact*) {
  f("id", c.id);
  f("name", c.name);
  f("phone", c.phone);
  f("email", c.email);
  f("category", c.category);
  f("is_favorite", c.is_favorite);
  f("notes", c.notes);
  f("created_at", c.created_at);
  f("updated_at", c.updated_at);
}

template <class V, class T>
void fields(V& f, T& r, Recording*) {
  f("id", r.id);
  f("call_id", r.call_id);
  f("call_control_id", r.call_control_id);
  f("telnyx_recording_id", r.telnyx_recording_id);
  f("url", r.url);
  f("duration", r.duration);
  f("format", r.format);
  f("channels", r.channels);
  f("created_at", r.created_at);
  f("agent_id", r.agent_id);
  f("remote_delete_error", r.remote_delete_error);
}

template <class V, class T>
void fields(V& f, T& n, PhoneNumber*) {
  f("id", n.id);
  f("number", n.number);
  f("name", n.name);
  f("status", n.status);
  f("is_default", n.is_default);
  f("created_at", n.created_at);
}

template <class V, class T>
void fields(V& f, T& u, User*) {
  f("id", u.id);
  f("email", u.email);
  f("name", u.name);
  f("role", u.role);
  f("status", u.status);
  f("default_number_id", u.default_number_id);
  f("disabled", u.disabled);
  f("token_version", u.token_version);
  f("created_at", u.created_at);
  f("updated_at", u.updated_at);
  f("last_login_at", u.last_login_at);
}

template <class V, class T>
void fields(V& f, T& s, Settings*) {
  f("api_key", s.api_key);
  f("api_v2_key", s.api_v2_key);
  f("webhook_url", s.webhook_url);
  f("connection_id", s.connection_id);
  f("public_key", s.public_key);
  f("api_base", s.api_base);
  f("auto_record", s.auto_record);
  f("recording_channels", s.recording_channels);
  f("demo_mode", s.demo_mode);
  f("updated_at", s.updated_at);
}

template <class V, class T>
void fields(V& f, T& s, Stats*) {
  f("total_calls", s.total_calls);
  f("completed_calls", s.completed_calls);
  f("failed_calls", s.failed_calls);
  f("active_calls", s.active_calls);
  f("average_duration", s.average_duration);
  f("answer_rate", s.answer_rate);
  f("total_duration", s.total_duration);
  f("by_status", s.by_status);
  f("per_day", s.per_day);
}

template <class T>
void write_object(Writer& w, const T& v) {
  FieldWriter f(w);
  w.StartObject();
  fields(f, v, static_cast<T*>(nullptr));
  w.EndObject();
}

template <class T>
std::string encode_one(const T& v) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  write_object(w, v);
  return {sb.GetString(), sb.GetSize()};
}

template <class T>
std::string encode_array(const std::vector<T>& items) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartArray();
  for (const auto& v : items) write_object(w, v);
  w.EndArray();
  return {sb.GetString(), sb.GetSize()};
}

template <class T>
T decode_one(std::string_view text, const char* what) {
  auto doc = detail::parse_object(text, what);
  T v{};
  FieldReader f(doc, what);
  fields(f, v, static_cast<T*>(nullptr));
  return v;
}

}  // namespace

std::string encode(const Call& v) { return encode_one(v); }
std::string encode(const CallEvent& v) { return encode_one(v); }
std::string encode(const Contact& v) { return encode_one(v); }
std::string encode(const Recording& v) { return encode_one(v); }
std::string encode(const PhoneNumber& v) { return encode_one(v); }
std::string encode(const Settings& v) { return encode_one(v); }
std::string encode(const Stats& v) { return encode_one(v); }
std::string encode(const User& v) { return encode_one(v); }
std::string encode(const std::vector<User>& v) { return encode_array(v); }
std::string encode(const std::vector<Call>& v) { return encode_array(v); }
std::string encode(const std::vector<Contact>& v) { return encode_array(v); }
std::string encode(const std::vector<Recording>& v) { return encode_array(v); }
std::string encode(const std::vector<PhoneNumber>& v) { return encode_array(v); }

Call decode_call(std::string_view text) {
  auto doc = detail::parse_object(text, "call");
  Call c{};
  FieldReader f(doc, "call");
  fields(f, c, static_cast<Call*>(nullptr));
  if (c.call_id.empty()) f("id", c.call_id);  // stored records may carry only "id"
  return c;
}
CallEvent decode_call_event(std::string_view text) { return decode_one<CallEvent>(text, "call_event"); }
Contact decode_contact(std::string_view text) { return decode_one<Contact>(text, "contact"); }
Recording decode_recording(std::string_view text) { return decode_one<Recording>(text, "recording"); }
PhoneNumber decode_phone_number(std::string_view text) { return decode_one<PhoneNumber>(text, "phone_number"); }
Settings decode_settings(std::string_view text) { return decode_one<Settings>(text, "settings"); }
Stats decode_stats(std::string_view text) { return decode_one<Stats>(text, "stats"); }
User decode_user(std::string_view text) { return decode_one<User>(text, "user"); }

std::string error_body(std::string_view message) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("detail");
  w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  w.EndObject();
  return {sb.GetString(), sb.GetSize()};
}

}  // namespace callwire::json
