#include "server/request_path.hpp"

namespace callwire::server {
namespace {

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool unreserved(unsigned char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

bool is_escape_at(std::string_view s, std::size_t i) noexcept {
  return i + 2 < s.size() && s[i] == '%' && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0;
}

std::nullopt_t refuse(std::string* why, std::string reason) {
  if (why != nullptr) *why = std::move(reason);
  return std::nullopt;
}

}  // namespace

std::optional<CanonicalPath> canonical_path(std::string_view raw, std::string* why) {
  if (raw.empty() || raw.front() != '/') return refuse(why, "does not start with '/'");
  std::string_view rest = raw.substr(1);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);  // one trailing slash
  CanonicalPath out;
  if (rest.empty()) {
    if (raw.size() > 1) return refuse(why, "empty segment");  // "//"
    out.text = "/";
    return out;
  }
  while (true) {
    const auto slash = rest.find('/');
    const std::string_view raw_seg = rest.substr(0, slash);
    if (raw_seg.empty()) return refuse(why, "empty segment");
    std::string seg;
    seg.reserve(raw_seg.size());
    for (std::size_t i = 0; i < raw_seg.size(); ++i) {
      const char c = raw_seg[i];
      if (c != '%') {
        seg.push_back(c);
        continue;
      }
      if (i + 2 >= raw_seg.size()) return refuse(why, "incomplete percent escape");
      const int hi = hex_value(raw_seg[i + 1]), lo = hex_value(raw_seg[i + 2]);
      if (hi < 0 || lo < 0) return refuse(why, "invalid percent escape");
      const auto decoded = static_cast<unsigned char>(hi * 16 + lo);
      if (unreserved(decoded)) return refuse(why, "an unreserved character is percent-encoded");
      if (decoded == '/') return refuse(why, "an encoded '/'");
      seg.push_back(static_cast<char>(decoded));
      i += 2;
    }
    if (seg == "." || seg == "..") return refuse(why, "a dot segment");
    for (std::size_t i = 0; i < seg.size(); ++i) {
      const auto c = static_cast<unsigned char>(seg[i]);
      if (c < 0x20 || c == 0x7f) return refuse(why, "a control character");
      if (is_escape_at(seg, i)) return refuse(why, "a percent escape that decodes to another escape");
    }
    out.text += '/';
    out.text += seg;
    out.segments.push_back(std::move(seg));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return out;
}

}  // namespace callwire::server
