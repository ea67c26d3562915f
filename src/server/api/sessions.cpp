#include "server/api/sessions.hpp"

#include "server/jwt.hpp"

namespace callwire::server {

namespace {
constexpr std::size_t kMaxCachedAccounts = 10'000;
}

Sessions::Sessions(UserStore users, SessionOptions options) : users_(std::move(users)), options_(std::move(options)) {
  if (options_.lifetime <= std::chrono::seconds::zero()) {
    throw Error(errc::invalid_argument, "the session lifetime must be positive");
  }
}

Sessions::Issued Sessions::issue(const User& user) const {
  const auto now = std::chrono::system_clock::now();
  JwtClaims c;
  c.subject = user.id;
  c.role = std::string(to_string(user.role));
  c.token_version = user.token_version;
  c.issued_at = now;
  c.expires_at = now + options_.lifetime;
  return {jwt_sign(c, options_.secret), options_.lifetime};
}

std::string Sessions::check(AuthInfo& info) {
  const auto now = std::chrono::steady_clock::now();
  Account a;
  bool cached = false;
  {
    std::lock_guard lock(mu_);
    if (auto it = cache_.find(info.subject); it != cache_.end() && now - it->second.read_at < options_.cache_ttl) {
      a = it->second;
      cached = true;
    }
  }
  if (!cached) {
    const auto user = users_.find(info.subject);  // may throw: the Authenticator answers 503
    a.read_at = now;
    if (user) {
      a.exists = true;
      a.disabled = user->disabled;
      a.token_version = user->token_version;
      a.role = user->role;
    }
    std::lock_guard lock(mu_);
    if (cache_.size() >= kMaxCachedAccounts) cache_.clear();
    cache_[info.subject] = a;
  }
  if (!a.exists) return "it names no callwire user";
  if (a.disabled) return "the account is disabled";
  if (!info.token_version || *info.token_version != a.token_version) return "the session has ended; sign in again";
  info.role = std::string(to_string(a.role));
  return "";
}

void Sessions::forget(std::string_view user_id) {
  std::lock_guard lock(mu_);
  if (auto it = cache_.find(user_id); it != cache_.end()) cache_.erase(it);
}

}  // namespace callwire::server
