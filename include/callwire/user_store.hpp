// callwire — UserStore: the accounts of the people who use callwire (`users`).
//
// An email is unique ignoring ASCII case ("Ann@X.io" and "ann@x.io" are one
// account; the store keeps the email as entered and a lower-case key with a
// unique index, so two servers adding the same email at once get one account
// and one errc::conflict). Passwords are hashed with Argon2id (PasswordHashing)
// and never stored, returned or logged in clear; the hash never leaves the
// store. Ids are UUID v4 strings. Thread-safe: see callwire/storage.hpp.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callwire/storage.hpp"
#include "callwire/types.hpp"

namespace callwire {

/// Argon2id cost (RFC 9106). The default is OWASP's first recommendation for
/// Argon2id: 19 MiB, 2 passes, 1 lane (about 25 ms per hash on one core of
/// the test machine; docs/storage.md, "Users"). A stored hash carries its own
/// parameters, so changing these affects new hashes only; a successful
/// authenticate() re-hashes a password made with other parameters.
struct PasswordHashing {
  std::uint32_t memory_kib = 19 * 1024;
  std::uint32_t iterations = 2;
  std::uint32_t parallelism = 1;
};

/// The shortest and longest password accepted (bytes of UTF-8). The upper
/// bound keeps a hash request from being a denial of service.
inline constexpr std::size_t kMinPasswordLength = 8;
inline constexpr std::size_t kMaxPasswordLength = 1024;

struct NewUser {
  std::string email;
  std::string name;
  std::string password;
  UserRole role = UserRole::agent;
  std::optional<std::string> default_number_id;
};

/// A partial update: only the fields that are set change. Disabling a user
/// revokes their tokens (token_version + 1).
struct UserPatch {
  std::optional<std::string> email;
  std::optional<std::string> name;
  std::optional<UserRole> role;
  /// Set to std::nullopt inside to clear it.
  std::optional<std::optional<std::string>> default_number_id;
  std::optional<bool> disabled;
};

class UserStore {
 public:
  explicit UserStore(Storage storage, PasswordHashing hashing = {});

  /// Checks and creates a user (status offline, token_version 0).
  /// errc::invalid_argument: an email that is not one (exactly one '@' with
  /// text on both sides, no spaces, ≤ 254 bytes — the contacts' rule), an empty name (≤ 200 bytes),
  /// a password shorter than kMinPasswordLength or longer than
  /// kMaxPasswordLength. errc::conflict: the email is taken.
  User create(const NewUser& user);
  /// Oldest first (created_at, then id).
  std::vector<User> list() const;
  std::int64_t count() const;
  User get(std::string_view id) const;  ///< errc::not_found when absent
  std::optional<User> find(std::string_view id) const;
  /// By email, ignoring ASCII case.
  std::optional<User> find_by_email(std::string_view email) const;

  /// errc::not_found, errc::invalid_argument as create(), errc::conflict when
  /// the new email is taken. Returns the updated user.
  User update(std::string_view id, const UserPatch& patch);
  /// Sets the status (presence). errc::not_found when absent.
  User set_status(std::string_view id, UserStatus status);
  /// Replaces the password and revokes every token of the user.
  /// errc::invalid_argument as create(), errc::not_found.
  User set_password(std::string_view id, std::string_view new_password);
  /// True when `password` is the user's (false for an unknown id too).
  bool check_password(std::string_view id, std::string_view password) const;
  /// Revokes every token issued to the user so far (logout).
  User revoke_tokens(std::string_view id);
  /// The user whose email and password these are, with last_login_at set to
  /// now; std::nullopt for an unknown email, a wrong password or a disabled
  /// user alike — and an unknown email costs one Argon2id hash as a wrong
  /// password does, so the answer's time does not tell them apart.
  std::optional<User> authenticate(std::string_view email, std::string_view password);
  /// errc::not_found when absent.
  void remove(std::string_view id);

 private:
  struct Decoy;  // a hash verified for unknown emails, made once
  const std::string& decoy_hash() const;

  Storage storage_;
  PasswordHashing hashing_;
  std::shared_ptr<Decoy> decoy_;
};

}  // namespace callwire
