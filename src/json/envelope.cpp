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
#include "callwire/webhook.hpp"
#include "json/detail.hpp"

namespace callwire::telnyx {
namespace {

std::optional<CallEvent> fail(ParseFailure* out, ParseError e, std::string message) {
  if (out) *out = ParseFailure{e, std::move(message)};
  return std::nullopt;
}

std::string_view str(const rapidjson::Value& v) { return {v.GetString(), v.GetStringLength()}; }

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// A v1 event type is snake_case without a dot: "call_initiated".
bool looks_like_v1_type(std::string_view t) {
  return t.find('.') == std::string_view::npos && t.find('_') != std::string_view::npos;
}

// Picks the download URL: the signed recording_urls first (valid 10 minutes),
// then public_recording_urls; mp3 before wav.
void pick_recording_url(const rapidjson::Value& payload, CallEvent& e) {
  for (const char* group : {"recording_urls", "public_recording_urls"}) {
    auto g = payload.FindMember(group);
    if (g == payload.MemberEnd() || !g->value.IsObject()) continue;
    for (const char* fmt : {"mp3", "wav"}) {
      auto u = g->value.FindMember(fmt);
      if (u != g->value.MemberEnd() && u->value.IsString() && u->value.GetStringLength() > 0) {
        e.recording_url = std::string(str(u->value));
        if (e.recording_format.empty()) e.recording_format = fmt;
        return;
      }
    }
  }
}

}  // namespace

std::optional<CallEvent> parse_webhook(std::string_view body, ParseFailure* failure) {
  rapidjson::Document doc;
  if (const auto status = json::detail::parse_document(body, doc); !status) {
    return fail(failure, ParseError::malformed_json, "webhook body is not valid JSON (" + status.describe() + ")");
  }
  if (!doc.IsObject()) return fail(failure, ParseError::malformed_json, "webhook body is not a JSON object");

  auto data_it = doc.FindMember("data");
  if (data_it == doc.MemberEnd()) {
    if (doc.HasMember("event_type")) {
      return fail(failure, ParseError::legacy_v1,
                  "legacy Telnyx v1 webhook payload: configure the connection for API v2 webhooks");
    }
    return fail(failure, ParseError::missing_field, "webhook envelope has no 'data' object");
  }
  const rapidjson::Value& data = data_it->value;
  if (!data.IsObject()) return fail(failure, ParseError::wrong_type, "data: expected an object");

  CallEvent e;
  for (const auto& [key, slot] : {std::pair<const char*, std::string*>{"id", &e.id}, {"event_type", &e.event_type}}) {
    auto it = data.FindMember(key);
    if (it == data.MemberEnd() || it->value.IsNull()) {
      return fail(failure, ParseError::missing_field, std::string("data.") + key + " is missing");
    }
    if (!it->value.IsString()) return fail(failure, ParseError::wrong_type, std::string("data.") + key + ": expected a string");
    *slot = std::string(str(it->value));
    if (slot->empty()) return fail(failure, ParseError::missing_field, std::string("data.") + key + " is empty");
  }
  if (looks_like_v1_type(e.event_type)) {
    return fail(failure, ParseError::legacy_v1,
                "legacy Telnyx v1 event type '" + e.event_type + "': configure the connection for API v2 webhooks");
  }
  auto occurred = data.FindMember("occurred_at");
  if (occurred == data.MemberEnd() || occurred->value.IsNull()) {
    return fail(failure, ParseError::missing_field, "data.occurred_at is missing");
  }
  if (!occurred->value.IsString()) return fail(failure, ParseError::wrong_type, "data.occurred_at: expected a string");
  auto t = json::parse_time(str(occurred->value));
  if (!t) return fail(failure, ParseError::bad_time, "data.occurred_at: not an ISO-8601 time: '" + std::string(str(occurred->value)) + "'");
  e.occurred_at = *t;

  try {
    json::detail::FieldReader envelope(doc, "envelope");
    envelope.raw("meta", e.meta_json);

    auto payload_it = data.FindMember("payload");
    if (payload_it != data.MemberEnd() && !payload_it->value.IsNull()) {
      const rapidjson::Value& payload = payload_it->value;
      if (!payload.IsObject()) return fail(failure, ParseError::wrong_type, "data.payload: expected an object");
      json::detail::FieldReader p(payload, "data.payload");
      const std::string_view type = e.event_type;
      const bool call_control = starts_with(type, "call.") || starts_with(type, "conference.") ||
                                starts_with(type, "streaming.");
      if (call_control) {
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
        if (type == "call.recording.saved") pick_recording_url(payload, e);
      }
      json::detail::FieldReader d(data, "data");
      d.raw("payload", e.payload_json);
    }
  } catch (const Error& err) {
    const std::string message = err.what();
    const bool time_field = message.find("ISO-8601") != std::string::npos;
    return fail(failure, time_field ? ParseError::bad_time : ParseError::wrong_type, message);
  }
  return e;
}

}  // namespace callwire::telnyx
