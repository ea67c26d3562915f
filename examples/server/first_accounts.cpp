#include "first_accounts.hpp"

#include <callwire/user_store.hpp>

#include <random>
#include <string>

namespace callwire::server_app {
namespace {

// 16 letters and digits from the system's random device: a demo password.
std::string random_password() {
  static constexpr char kAlphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::random_device rd;
  std::uniform_int_distribution<std::size_t> pick(0, sizeof kAlphabet - 2);
  std::string p;
  for (int i = 0; i < 16; ++i) p += kAlphabet[pick(rd)];
  return p;
}

}  // namespace

void first_accounts(Storage& storage, bool seed_demo_accounts, std::ostream& out) {
  UserStore users(storage);
  if (users.count() > 0) return;
  if (!seed_demo_accounts) {
    out << "callwire-server: sign-in is on (JWT_SECRET) and there is no user yet; create the first administrator with\n"
           "                callwire-admin create-user --email you@example.com --name 'Your Name' --role admin\n";
    return;
  }
  struct Demo {
    const char* email;
    const char* name;
    UserRole role;
  };
  out << "callwire-server: demo accounts (sign in with these; change them in Users):\n";
  for (const Demo& d : {Demo{"admin@demo.callwire.dev", "Demo Admin", UserRole::admin},
                        Demo{"agent@demo.callwire.dev", "Demo Agent", UserRole::agent}}) {
    NewUser u;
    u.email = d.email;
    u.name = d.name;
    u.role = d.role;
    u.password = random_password();
    users.create(u);
    out << "                " << to_string(d.role) << ": " << d.email << "  password: " << u.password << '\n';
  }
  out.flush();
}

}  // namespace callwire::server_app
