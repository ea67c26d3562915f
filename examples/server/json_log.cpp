#include "json_log.hpp"

#include <callwire/json.hpp>

#include <chrono>
#include <cstdio>

namespace callwire::server_app {
namespace {

/// `s` as a JSON string literal. Bytes of 0x80 and above pass through: the
/// SDK's messages are UTF-8.
void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

}  // namespace

std::string json_log_line(const LogRecord& r) {
  std::string line = "{\"time\":";
  append_json_string(line, json::format_time(std::chrono::time_point_cast<std::chrono::milliseconds>(r.time)));
  line += ",\"level\":";
  append_json_string(line, to_string(r.level));
  line += ",\"component\":";
  append_json_string(line, r.component);
  line += ",\"message\":";
  append_json_string(line, r.message);
  if (!r.request_id.empty()) {
    line += ",\"request_id\":";
    append_json_string(line, r.request_id);
  }
  line += "}\n";
  return line;
}

void install_json_log(LogLevel level) {
  // Handler calls are serialised by the SDK: lines never interleave. One
  // fwrite per record; stderr is unbuffered.
  set_log_handler(level, [](const LogRecord& r) {
    const std::string line = json_log_line(r);
    std::fwrite(line.data(), 1, line.size(), stderr);
  });
}

}  // namespace callwire::server_app
