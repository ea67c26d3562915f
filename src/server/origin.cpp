#include "server/origin.hpp"

#include <arpa/inet.h>

#include <cstring>

#include "server/http_message.hpp"

namespace callwire::server {
bool is_loopback_host(const std::string& host) {
  const std::string_view suffix = ".localhost";
  if (host == "localhost" || (host.size() > suffix.size() && host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0)) {
    return true;
  }
  unsigned char buf[16];
  if (inet_pton(AF_INET, host.c_str(), buf) == 1) return buf[0] == 127;
  if (inet_pton(AF_INET6, host.c_str(), buf) == 1) {
    static const unsigned char v6_loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(buf, v6_loopback, 16) == 0) return true;
    return std::memcmp(buf, v4_mapped, 12) == 0 && buf[12] == 127;
  }
  return false;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::pair<std::string, std::string> split_authority(std::string_view authority) {
  authority = trim_ows(authority);
  std::string_view host = authority, port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    host = authority.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1);
    if (close != std::string_view::npos && close + 1 < authority.size() && authority[close + 1] == ':') {
      port = authority.substr(close + 2);
    }
  } else if (const auto colon = authority.rfind(':');
             colon != std::string_view::npos && authority.find(':') == colon) {  // "::1" alone is a v6 address, no port
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  std::string h = ascii_lower(host);
  while (!h.empty() && h.back() == '.') h.pop_back();
  return {h, std::string(port)};
}

std::string normalize_origin(std::string_view origin) {
  origin = trim_ows(origin);
  while (!origin.empty() && origin.back() == '/') origin.remove_suffix(1);
  const auto sep = origin.find("://");
  if (sep == std::string_view::npos || sep == 0) return {};
  const std::string scheme = ascii_lower(origin.substr(0, sep));
  auto [host, port] = split_authority(origin.substr(sep + 3));
  if (host.empty()) return {};
  if ((scheme == "http" && port == "80") || (scheme == "https" && port == "443")) port.clear();
  const bool v6 = host.find(':') != std::string::npos;
  std::string out = scheme + "://" + (v6 ? "[" + host + "]" : host);
  if (!port.empty()) out += ":" + port;
  return out;
}

}  // namespace callwire::server
