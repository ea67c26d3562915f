// callwire — Sessions: the tokens of signed-in users (internal).
//
// issue() mints the HS256 token a sign-in answers: `sub` the user's id,
// `role` the role at sign-in, `ver` the account's token version, `iat`, and
// `exp` after `lifetime` (12 h by default; JWT_EXPIRES_HOURS). check() is the
// Authenticator's account check (AuthOptions::check_account): a token is
// good while its account exists, is not disabled and still has the token's
// version — logout, a password change and disabling the account each raise
// the version, so every token issued before stops working. The role a
// request acts with is the account's role now, not the token's.
//
// Accounts are read through a short cache (`cache_ttl`, 2 s) so that the
// network thread rarely reads the database: changes this server makes call
// forget() and apply at once; another server's changes apply within the TTL.
//
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "callwire/user_store.hpp"
#include "server/http_message.hpp"

namespace callwire::server {

struct SessionOptions {
  std::string secret;                          ///< JWT_SECRET
  std::chrono::seconds lifetime{12 * 3600};    ///< a token's life
  std::chrono::milliseconds cache_ttl{2000};   ///< how long an account read is trusted
};

class Sessions {
 public:
  Sessions(UserStore users, SessionOptions options);

  struct Issued {
    std::string access_token;
    std::chrono::seconds expires_in;
  };
  /// A token for `user` (as the store returned it: its token_version).
  Issued issue(const User& user) const;

  /// "" when the token's account may go on (and info.role is set to the
  /// account's role); otherwise why not. Throws the store's Error when the
  /// account cannot be read.
  std::string check(AuthInfo& info);

  /// Drops the cached account: the next request reads it again.
  void forget(std::string_view user_id);

  const SessionOptions& options() const noexcept { return options_; }

 private:
  struct Account {
    bool exists = false;
    bool disabled = false;
    std::int64_t token_version = 0;
    UserRole role = UserRole::agent;
    std::chrono::steady_clock::time_point read_at;
  };

  UserStore users_;
  SessionOptions options_;
  std::mutex mu_;
  std::map<std::string, Account, std::less<>> cache_;
};

}  // namespace callwire::server
