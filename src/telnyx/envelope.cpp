// Telnyx Call Control v2 webhook envelopes → CallEvent.
//
// {"data": {"record_type": "event", "event_type": "call.hangup", "id": "…",
//           "occurred_at": "…", "payload": {…}}, "meta": {"attempt": 1, …}}
// Unknown event types and unknown fields pass through: the payload is kept
// whole in CallEvent::payload_json. A typed field is read only for the event
// types that define it (hangup_cause for call.hangup, result for
// call.machine.*, from/to for call.*, the call ids for call.*, conference.*
// and streaming.*): other events give the same names other shapes (`result`
// is an object in call.ai_gather.ended; messaging events have an object
// `from` and an array `to`), and a valid envelope is always accepted — a 400
// would make Telnyx retry it and fail over.
//
// The rules are the carrier's; the JSON is read through the codec's views
// (json/view.hpp), so this file never touches RapidJSON.
#include <utility>

#include "callwire/json.hpp"
#include "callwire/webhook.hpp"
#include "json/view.hpp"

namespace callwire::telnyx {
namespace {

using json::View;

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// A v1 event type is snake_case without a dot: "call_initiated".
bool looks_like_v1_type(std::string_view t) {
  return t.find('.') == std::string_view::npos && t.find('_') != std::string_view::npos;
}

// Reads the fields of one object in order and keeps the first failure. A
// field that is absent or null keeps its default; one of the wrong type is a
// failure naming "<what>.<field>".
class Fields {
 public:
  Fields(View object, std::string what) : object_(object), what_(std::move(what)) {}

  void operator()(const char* key, std::string& slot) {
    if (auto v = present(key)) {
      if (!v->is_string()) return fail(ParseError::wrong_type, key, "a string");
      slot = std::string(v->string());
    }
  }
  void operator()(const char* key, std::optional<std::string>& slot) {
    if (auto v = present(key)) {
      if (!v->is_string()) return fail(ParseError::wrong_type, key, "a string or null");
      slot = std::string(v->string());
    }
  }
  void operator()(const char* key, std::optional<TimePoint>& slot) {
    if (auto v = present(key)) {
      auto t = v->is_string() ? json::parse_time(v->string()) : std::nullopt;
      if (!t) return fail(ParseError::bad_time, key, "an ISO-8601 time string");
      slot = *t;
    }
  }
  /// An object or array member as JSON text.
  void raw(const char* key, std::string& slot) {
    if (auto v = present(key)) {
      if (!v->is_object() && !v->is_array()) return fail(ParseError::wrong_type, key, "an object");
      slot = v->text();
    }
  }

  const std::optional<ParseFailure>& failure() const { return failure_; }

 private:
  std::optional<View> present(const char* key) const {
    if (failure_) return std::nullopt;
    auto v = object_.find(key);
    if (!v || v->is_null()) return std::nullopt;
    return v;
  }
  void fail(ParseError e, const char* key, const char* expected) {
    failure_ = ParseFailure{e, what_ + "." + key + ": expected " + expected};
  }

  View object_;
  std::string what_;
  std::optional<ParseFailure> failure_;
};

std::optional<CallEvent> fail(ParseFailure* out, ParseFailure f) {
  if (out) *out = std::move(f);
  return std::nullopt;
}
std::optional<CallEvent> fail(ParseFailure* out, ParseError e, std::string message) {
  return fail(out, ParseFailure{e, std::move(message)});
}

// Picks the download URL.
void pick_recording_url(View payload, CallEvent& e) {
  // A permanent public URL (accounts that have them) before the signed one
  // that expires after 10 minutes; within each, the payload's own format
  // first, so the stored URL and format agree; then mp3, then wav.
  for (const char* group : {"public_recording_urls", "recording_urls"}) {
    auto g = payload.find(group);
    if (!g || !g->is_object()) continue;
    for (const std::string& fmt : {e.recording_format, std::string("mp3"), std::string("wav")}) {
      if (fmt.empty()) continue;
      auto u = g->find(fmt);
      if (u && u->is_string() && !u->string().empty()) {
        e.recording_url = std::string(u->string());
        e.recording_format = fmt;
        return;
      }
    }
  }
}

// The typed payload fields of the event types that define them.
void read_payload(Fields& p, View payload, CallEvent& e) {
  const std::string_view type = e.event_type;
  if (starts_with(type, "call.") || starts_with(type, "conference.") || starts_with(type, "streaming.")) {
    p("call_control_id", e.call_control_id);
    p("call_leg_id", e.call_leg_id);
    p("call_session_id", e.call_session_id);
    p("connection_id", e.connection_id);
    p("client_state", e.client_state);
  }
  if (starts_with(type, "call.")) {
    p("from", e.from);
    p("to", e.to);
    p("direction", e.direction);
    p("state", e.state);
  }
  if (type == "call.hangup") {
    p("hangup_cause", e.hangup_cause);
    p("hangup_source", e.hangup_source);
    p("sip_hangup_cause", e.sip_hangup_cause);
  }
  if (type == "call.dtmf.received") p("digit", e.digit);
  if (starts_with(type, "call.machine.")) p("result", e.result);
  if (starts_with(type, "call.recording.")) {
    p("recording_id", e.recording_id);
    p("format", e.recording_format);
    p("recording_started_at", e.recording_started_at);
    p("recording_ended_at", e.recording_ended_at);
    if (type == "call.recording.saved") p("channels", e.recording_channels);
    if (type == "call.recording.error") p("reason", e.result);  // why Telnyx could not record
    if (type == "call.recording.saved" && !p.failure()) pick_recording_url(payload, e);
  }
}

}  // namespace

std::optional<CallEvent> parse_webhook(std::string_view body, ParseFailure* failure) {
  std::string why;
  const auto doc = json::Document::parse(body, &why);
  if (!doc) return fail(failure, ParseError::malformed_json, "webhook body is not valid JSON (" + why + ")");
  const View root = doc->root();
  if (!root.is_object()) return fail(failure, ParseError::malformed_json, "webhook body is not a JSON object");

  const auto data = root.find("data");
  if (!data) {
    if (root.find("event_type")) {
      return fail(failure, ParseError::legacy_v1,
                  "legacy Telnyx v1 webhook payload: configure the connection for API v2 webhooks");
    }
    return fail(failure, ParseError::missing_field, "webhook envelope has no 'data' object");
  }
  if (!data->is_object()) return fail(failure, ParseError::wrong_type, "data: expected an object");

  CallEvent e;
  for (const auto& [key, slot] : {std::pair<const char*, std::string*>{"id", &e.id}, {"event_type", &e.event_type}}) {
    auto v = data->find(key);
    if (!v || v->is_null()) return fail(failure, ParseError::missing_field, std::string("data.") + key + " is missing");
    if (!v->is_string()) return fail(failure, ParseError::wrong_type, std::string("data.") + key + ": expected a string");
    *slot = std::string(v->string());
    if (slot->empty()) return fail(failure, ParseError::missing_field, std::string("data.") + key + " is empty");
  }
  if (looks_like_v1_type(e.event_type)) {
    return fail(failure, ParseError::legacy_v1,
                "legacy Telnyx v1 event type '" + e.event_type + "': configure the connection for API v2 webhooks");
  }
  auto occurred = data->find("occurred_at");
  if (!occurred || occurred->is_null()) return fail(failure, ParseError::missing_field, "data.occurred_at is missing");
  if (!occurred->is_string()) return fail(failure, ParseError::wrong_type, "data.occurred_at: expected a string");
  auto t = json::parse_time(occurred->string());
  if (!t) {
    return fail(failure, ParseError::bad_time,
                "data.occurred_at: not an ISO-8601 time: '" + std::string(occurred->string()) + "'");
  }
  e.occurred_at = *t;

  Fields envelope(root, "envelope");
  envelope.raw("meta", e.meta_json);
  if (envelope.failure()) return fail(failure, *envelope.failure());

  auto payload = data->find("payload");
  if (payload && !payload->is_null()) {
    if (!payload->is_object()) return fail(failure, ParseError::wrong_type, "data.payload: expected an object");
    Fields p(*payload, "data.payload");
    read_payload(p, *payload, e);
    if (p.failure()) return fail(failure, *p.failure());
    e.payload_json = payload->text();
  }
  return e;
}

}  // namespace callwire::telnyx
