// The JSON of the simulator's webhooks (see payloads.hpp).
#include "sim/payloads.hpp"

#include <cstdio>

#include "callwire/json.hpp"

namespace callwire::sim {

namespace {

std::string two_decimals(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

}  // namespace

std::string format_time_micros(SysMicros t) {
  const auto ms = std::chrono::floor<std::chrono::milliseconds>(t);
  const auto us = (t - ms).count();  // 0..999
  std::string s = json::format_time(TimePoint{ms.time_since_epoch()});
  // format_time ends in ".mmmZ": append the microsecond digits before the Z.
  char extra[4];
  std::snprintf(extra, sizeof extra, "%03lld", static_cast<long long>(us));
  s.insert(s.size() - 1, extra);
  return s;
}

std::string with_attempt(std::string_view body, int attempt) {
  auto doc = json::telnyx_api::parse(body);
  if (!doc || !doc->is_object()) return std::string(body);
  Value meta = Value::object();
  if (const Value* old = doc->find("meta"); old != nullptr && old->is_object()) meta = *old;
  meta.set("attempt", attempt);
  doc->set("meta", std::move(meta));
  return json::telnyx_api::encode(*doc);
}

Value call_base(const Ids& leg, const std::string& connection_id, const Value& client_state) {
  Value p = Value::object();
  p.set("call_control_id", leg.call_control_id);
  p.set("connection_id", connection_id);
  p.set("call_leg_id", leg.call_leg_id);
  p.set("call_session_id", leg.call_session_id);
  p.set("client_state", client_state);
  return p;
}

Value with_parties(Value p, const std::string& from, const std::string& to) {
  p.set("from", from);
  p.set("to", to);
  return p;
}

Value call_quality_stats(const KeyedRandom& random, const std::string& key, Micros talk) {
  if (talk <= Micros(0)) return Value(nullptr);
  const std::int64_t packets = talk.count() / 20'000;  // 20 ms packets
  const std::uint64_t r = random.u64(key + "/quality");
  Value in = Value::object();
  in.set("jitter_max_variance", two_decimals(0.5 + static_cast<double>(r % 300) / 100.0));
  in.set("jitter_packet_count", std::to_string(packets / 50));
  in.set("mos", two_decimals(4.30 + static_cast<double>((r >> 16) % 21) / 100.0));
  in.set("packet_count", std::to_string(packets));
  in.set("skip_packet_count", std::to_string(static_cast<std::int64_t>((r >> 32) % 10)));
  Value out = Value::object();
  out.set("packet_count", std::to_string(packets));
  out.set("skip_packet_count", "0");
  Value q = Value::object();
  q.set("inbound", std::move(in));
  q.set("outbound", std::move(out));
  return q;
}

Value hangup_payload(Value base, const std::string& from, const std::string& to, const std::string& start_time,
                     const std::string& end_time, const End& end, Value quality) {
  Value p = with_parties(std::move(base), from, to);
  p.set("start_time", start_time);
  p.set("end_time", end_time);
  p.set("state", "hangup");
  p.set("hangup_cause", end.cause);
  p.set("hangup_source", end.source);
  p.set("sip_hangup_cause", end.sip);
  p.set("call_quality_stats", std::move(quality));
  return p;
}

Value recording_urls(const std::string& format, const std::string& url) {
  Value urls = Value::object();
  urls.set("mp3", format == "mp3" ? Value(url) : Value(nullptr));
  urls.set("wav", format == "wav" ? Value(url) : Value(nullptr));
  return urls;
}

std::string envelope_body(const std::string& event_type, const std::string& event_id, SysMicros occurred_at,
                          Value payload, const std::string& delivered_to) {
  Value data = Value::object();
  data.set("record_type", "event");
  data.set("event_type", event_type);
  data.set("id", event_id);
  data.set("occurred_at", format_time_micros(occurred_at));
  data.set("payload", std::move(payload));
  Value meta = Value::object();
  meta.set("attempt", 1);
  meta.set("delivered_to", delivered_to);
  Value doc = Value::object();
  doc.set("data", std::move(data));
  doc.set("meta", std::move(meta));
  return json::telnyx_api::encode(doc);
}

std::string recording_error_body(std::string_view saved_body, const std::string& event_id, SysMicros occurred_at,
                                 std::string_view reason) {
  auto doc = json::telnyx_api::parse(saved_body);
  if (!doc) return std::string(saved_body);
  const Value* data = doc->find("data");
  const Value* payload = data != nullptr ? data->find("payload") : nullptr;
  Value p = Value::object();
  for (const char* key : {"call_control_id", "connection_id", "call_leg_id", "call_session_id", "client_state"}) {
    if (payload != nullptr) {
      if (const Value* v = payload->find(key)) p.set(key, *v);
    }
  }
  p.set("reason", std::string(reason));
  Value d = Value::object();
  d.set("record_type", "event");
  d.set("event_type", "call.recording.error");
  d.set("id", event_id);
  d.set("occurred_at", format_time_micros(occurred_at));
  d.set("payload", std::move(p));
  Value out = Value::object();
  out.set("data", std::move(d));
  if (const Value* meta = doc->find("meta")) out.set("meta", *meta);
  return json::telnyx_api::encode(out);
}

}  // namespace callwire::sim
