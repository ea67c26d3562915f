#include "store/util.hpp"

#include <cstdint>

#include "callwire/error.hpp"
#include "core/uuid.hpp"

namespace callwire::store_detail {

std::string new_id() { return new_uuid_v4(); }

std::string check_email(std::string_view email, std::string_view field) {
  std::string e = trim(email);
  check_text(e, field, 254);
  if (e.empty()) return e;
  const auto at = e.find('@');
  const bool ok = at != std::string::npos && at > 0 && at + 1 < e.size() && e.find('@', at + 1) == std::string::npos &&
                  e.find_first_of(" \t\r\n") == std::string::npos;
  if (!ok) throw Error(errc::invalid_argument, std::string(field) + ": '" + e + "' is not an email address");
  return e;
}

bool valid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if ((c & 0xe0) == 0xc0) {
      len = 2;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += len;
  }
  return true;
}

void check_text(std::string_view value, std::string_view field, std::size_t max_bytes) {
  if (!valid_utf8(value)) throw Error(errc::invalid_argument, std::string(field) + ": not valid UTF-8");
  if (value.size() > max_bytes) {
    throw Error(errc::invalid_argument,
                std::string(field) + ": too long (" + std::to_string(value.size()) + " bytes, at most " + std::to_string(max_bytes) + ")");
  }
}

void check_id(std::string_view id, std::string_view field) {
  if (id.empty()) throw Error(errc::invalid_argument, std::string(field) + ": must not be empty");
  if (id.size() > 128) throw Error(errc::invalid_argument, std::string(field) + ": longer than 128 characters");
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                    c == '.' || c == ':';
    if (!ok) throw Error(errc::invalid_argument, std::string(field) + ": only letters, digits and . _ : - are allowed");
  }
}

void check_page(const Page& page) {
  if (page.limit < 1 || page.limit > Page::kMaxPageSize) {
    throw Error(errc::invalid_argument,
                "limit: must be between 1 and " + std::to_string(Page::kMaxPageSize) + ", got " + std::to_string(page.limit));
  }
  if (page.offset > 100'000'000) throw Error(errc::invalid_argument, "offset: too large");
}

std::string trim(std::string_view s) {
  const auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::string check_search(std::string_view search) {
  check_text(search, "search", 200);
  if (search.find('\0') != std::string_view::npos) throw Error(errc::invalid_argument, "search: contains a NUL character");
  return trim(search);
}

std::string phone_fragment(std::string_view search) {
  std::string out;
  bool digit = false;
  for (const char c : search) {
    if (c == ' ' || c == '.' || c == '-' || c == '/' || c == '(' || c == ')' || c == '\t') continue;
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c != '+') {
      return {};
    }
    out += c;
  }
  return digit ? out : std::string();
}

void check_value(const TableDef& t, std::size_t column, const FieldValue& v) {
  if (const auto* s = std::get_if<std::string>(&v); s != nullptr && !valid_utf8(*s)) {
    throw Error(errc::invalid_argument, std::string(t.name) + "." + t.columns[column].name + ": not valid UTF-8");
  }
}

void check_row(const TableDef& t, const Row& row) {
  for (std::size_t i = 0; i < row.size() && i < t.columns.size(); ++i) check_value(t, i, row[i]);
}

Assignments all_but_id(const TableDef& t, const Row& row) {
  Assignments a;
  a.reserve(t.columns.size());
  for (std::size_t i = 1; i < t.columns.size() && i < row.size(); ++i) a.emplace_back(t.columns[i].name, row[i]);
  return a;
}

Filter id_is(std::string_view id) {
  Filter f;
  f.all.push_back({"id", Cond::Op::eq, std::string(id)});
  return f;
}

}  // namespace callwire::store_detail
