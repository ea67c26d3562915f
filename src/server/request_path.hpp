// callwire — the canonical form of a request path (internal, Beast-free).
//
// Every decision about a request — which route, whether it needs a token,
// which file, which WebSocket hub — is made on one form of its path, decoded
// and split once (DESIGN.md, "Security defaults"). Deciding protection on the
// raw text while routing on the decoded one let `/%61pi/contacts` reach the
// API without a token.
//
// A path is canonical when it
//   - starts with '/';
//   - has no empty segment ("//"), except that one trailing slash is allowed;
//   - has no dot segment ("." or ".."), decoded or not;
//   - percent-encodes only what must be encoded: no encoded unreserved
//     character (A-Z a-z 0-9 - . _ ~, RFC 3986 §2.3), no encoded '/', no
//     invalid escape ("%zz", "%4");
//   - decodes to no control character (NUL, CR, LF, …) and no further escape
//     ("%2561" decodes to "%61": a second decoding anywhere would change it).
// Anything else is answered 400 {"detail":"The request path is not in
// canonical form."} before any route, token or file is looked at.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace callwire::server {

struct CanonicalPath {
  /// Decoded segments: "/api/contacts/a%20b/" → {"api", "contacts", "a b"}; "/" → {}.
  std::vector<std::string> segments;
  /// The segments joined: "/api/contacts/a b" ("/" for none). Unambiguous,
  /// since no segment holds a '/'.
  std::string text;
};

/// The canonical form of `raw_path` (the request target without its query),
/// or std::nullopt with the reason in *why (for the log).
std::optional<CanonicalPath> canonical_path(std::string_view raw_path, std::string* why = nullptr);

/// The client's answer to a path canonical_path() refused.
inline constexpr std::string_view kNonCanonicalPath = "The request path is not in canonical form.";

}  // namespace callwire::server
