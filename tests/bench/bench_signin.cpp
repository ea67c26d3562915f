// Benchmark 7 — sign-in timing: does UserStore::authenticate take the same
// time for an unknown email, a wrong password and a disabled account?
//
// The reference server answers all three with one 401 sentence; if their
// times differed, an attacker could still tell which emails have accounts.
// authenticate() verifies a decoy Argon2id hash for an unknown email
// (docs/storage.md, "users and user_presence"). This measures the four
// cases — the right password too, which also stores last_login_at —
// interleaved round by round in a rotating order, on one SQLite file, with
// the store's hashing cost (--memory_kib, --iterations; OWASP's default at
// full size, a tiny cost for the smoke run).
//
// Figures: p50 / p90 per case in ms; the unknown email's and the disabled
// account's p50 against the wrong password's (target: within 10 %).
// Checks: the right password signs in, the other three never do.
#include <array>
#include <cmath>
#include <iostream>

#include "bench_common.hpp"
#include "callwire/user_store.hpp"

using namespace callwire;
using namespace callwire::bench;

int main(int argc, char** argv) {
  const Args args = parse_args(argc, argv, "bench_signin: UserStore::authenticate time by outcome");
  Report report("signin_timing", args);
  const int rounds = static_cast<int>(args.size("rounds", 60, 4));
  PasswordHashing cost;
  cost.memory_kib = static_cast<std::uint32_t>(args.size("memory_kib", 19 * 1024, 64));
  cost.iterations = static_cast<std::uint32_t>(args.size("iterations", 2, 1));
  report.figure("Argon2id memory", cost.memory_kib, "KiB");
  report.figure("Argon2id iterations", cost.iterations);
  report.figure("rounds", rounds);

  TempDir dir("callwire-bench-signin");
  Storage storage = Storage::open("sqlite://" + dir.path() + "/signin.db");
  UserStore users(storage, cost);
  users.create({"ann@example.com", "Ann", "the-right-password", UserRole::agent, {}});
  const User off = users.create({"off@example.com", "Off", "the-right-password", UserRole::agent, {}});
  UserPatch disable;
  disable.disabled = true;
  users.update(off.id, disable);

  struct Case {
    const char* name;
    const char* email;
    const char* password;
    bool signs_in;
    Samples ms;
    bool as_expected = true;
  };
  std::array<Case, 4> cases{{{"right password", "ann@example.com", "the-right-password", true, {}},
                             {"wrong password", "ann@example.com", "not-the-password", false, {}},
                             {"unknown email", "nobody@example.com", "the-right-password", false, {}},
                             {"disabled account", "off@example.com", "the-right-password", false, {}}}};
  // Warm up: the decoy hash is made at the first unknown email.
  for (auto& c : cases) (void)users.authenticate(c.email, c.password);

  for (int r = 0; r < rounds; ++r) {
    for (std::size_t k = 0; k < cases.size(); ++k) {
      Case& c = cases[(k + static_cast<std::size_t>(r)) % cases.size()];
      const auto t0 = Clock::now();
      const auto user = users.authenticate(c.email, c.password);
      c.ms.add(seconds_since(t0) * 1000);
      if (user.has_value() != c.signs_in) c.as_expected = false;
    }
  }
  for (auto& c : cases) {
    report.figure(std::string(c.name) + " p50", c.ms.pct(50), "ms");
    report.figure(std::string(c.name) + " p90", c.ms.pct(90), "ms");
    report.check(std::string(c.name) + (c.signs_in ? " signs in" : " never signs in"), c.as_expected);
  }
  const double wrong = cases[1].ms.pct(50);
  for (const std::size_t k : {std::size_t{2}, std::size_t{3}}) {
    const double diff = wrong > 0 ? std::fabs(cases[k].ms.pct(50) - wrong) / wrong * 100 : 0;
    report.target(std::string(cases[k].name) + " p50 vs wrong password", diff, 10, true, "% apart");
  }
  report.note("one thread; the right password's time includes storing last_login_at");
  return report.finish();
}
