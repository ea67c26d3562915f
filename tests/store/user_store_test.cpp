// UserStore over both backends (the conformance fixture): accounts, emails
// unique ignoring case, Argon2id hashes that never leave the store, token
// revocation, presence, and authenticate() that tells nobody which half of a
// sign-in was wrong.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <chrono>
#include <thread>

#include "callwire/user_store.hpp"
#include "dump.hpp"
#include "store/backend.hpp"
#include "store/password_hash.hpp"
#include "store/schema.hpp"
#include "store_fixture.hpp"

namespace callwire::test {
namespace {

using ::testing::HasSubstr;

class Users : public StoreTest {
 protected:
  // Cheap hashes for speed; UsersDefaultCost checks the real default.
  UserStore users() { return UserStore(storage(), PasswordHashing{64, 1, 1}); }
};

NewUser ann(std::string email = "Ann@Example.com") {
  NewUser u;
  u.email = std::move(email);
  u.name = "Ann Agent";
  u.password = "correct horse";
  return u;
}

/// The stored row as the backend holds it (what a dump of the database shows).
store_detail::UserRow stored(Storage& s, const std::string& id) {
  auto row = s.backend_impl()->get(store_detail::users_table(), id);
  EXPECT_TRUE(row.has_value());
  return store_detail::user_from_row(*row);
}

TEST_P(Users, AddKeepsTheEmailAsEnteredAndNeverThePassword) {
  auto store = users();
  User u = store.create(ann("  Ann@Example.com "));
  EXPECT_FALSE(u.id.empty());
  EXPECT_EQ(u.email, "Ann@Example.com");
  EXPECT_EQ(u.name, "Ann Agent");
  EXPECT_EQ(u.role, UserRole::agent);
  EXPECT_EQ(u.status, UserStatus::offline);
  EXPECT_EQ(u.token_version, 0);
  EXPECT_FALSE(u.disabled);
  EXPECT_FALSE(u.last_login_at.has_value());
  EXPECT_EQ(store.get(u.id).email, "Ann@Example.com");

  const auto row = stored(storage(), u.id);
  EXPECT_EQ(row.email_key, "ann@example.com");
  EXPECT_EQ(row.password_hash.rfind("$argon2id$v=19$m=64,t=1,p=1$", 0), 0u) << row.password_hash;
  EXPECT_EQ(row.password_hash.find("correct horse"), std::string::npos);
  EXPECT_EQ(json::encode(store.get(u.id)).find("argon2"), std::string::npos);
}

TEST_P(Users, EmailsAreUniqueIgnoringCase) {
  auto store = users();
  store.create(ann("ann@example.com"));
  const auto e = CW_EXPECT_ERROR(store.create(ann("ANN@example.COM")), errc::conflict);
  EXPECT_STREQ(e.what(), "An account with this email already exists.");
  expect_client_safe(e);
  EXPECT_EQ(store.count(), 1);
  ASSERT_TRUE(store.find_by_email(" Ann@EXAMPLE.com").has_value());
  EXPECT_FALSE(store.find_by_email("bob@example.com").has_value());

  User bob = store.create(ann("bob@example.com"));
  UserPatch p;
  p.email = "ANN@example.com";
  const auto taken = CW_EXPECT_ERROR(store.update(bob.id, p), errc::conflict);
  EXPECT_STREQ(taken.what(), "An account with this email already exists.");
  EXPECT_EQ(store.get(bob.id).email, "bob@example.com");
}

TEST_P(Users, ConcurrentAddsOfOneEmailMakeOneAccount) {
  std::atomic<int> added{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      try {
        users().create(ann(i % 2 ? "same@example.com" : "SAME@example.com"));
        ++added;
      } catch (const Error& e) {
        if (e.code() == errc::conflict) ++conflicts;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(added.load(), 1);
  EXPECT_EQ(conflicts.load(), 5);
  EXPECT_EQ(users().count(), 1);
}

TEST_P(Users, BadInputIsRefusedAndNothingIsStored) {
  auto store = users();
  auto with = [](auto change) {
    NewUser u = ann();
    change(u);
    return u;
  };
  CW_EXPECT_ERROR(store.create(with([](NewUser& u) { u.email = ""; })), errc::invalid_argument);
  CW_EXPECT_ERROR(store.create(with([](NewUser& u) { u.email = "ann.example.com"; })), errc::invalid_argument);
  CW_EXPECT_ERROR(store.create(with([](NewUser& u) { u.email = "a@b@c"; })), errc::invalid_argument);
  CW_EXPECT_ERROR(store.create(with([](NewUser& u) { u.name = "  "; })), errc::invalid_argument);
  const auto short_pw = CW_EXPECT_ERROR(store.create(with([](NewUser& u) { u.password = "1234567"; })),
                                        errc::invalid_argument);
  EXPECT_STREQ(short_pw.what(), "password: must be at least 8 characters long");
  CW_EXPECT_ERROR(store.create(with([](NewUser& u) { u.password = std::string(1025, 'x'); })), errc::invalid_argument);
  CW_EXPECT_ERROR(store.create(with([](NewUser& u) { u.password = "\xff\xfe invalid utf8"; })), errc::invalid_argument);
  CW_EXPECT_ERROR(store.create(with([](NewUser& u) { u.default_number_id = "no spaces allowed"; })),
                  errc::invalid_argument);
  EXPECT_EQ(store.count(), 0);
}

TEST_P(Users, AuthenticateAnswersTheSameForAnUnknownEmailAWrongPasswordAndADisabledUser) {
  auto store = users();
  User u = store.create(ann());
  auto ok = store.authenticate("ann@EXAMPLE.com", "correct horse");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->id, u.id);
  ASSERT_TRUE(ok->last_login_at.has_value());
  EXPECT_EQ(store.get(u.id).last_login_at, ok->last_login_at);

  EXPECT_FALSE(store.authenticate("ann@example.com", "wrong horse").has_value());
  EXPECT_FALSE(store.authenticate("nobody@example.com", "correct horse").has_value());
  EXPECT_FALSE(store.authenticate("ann@example.com", std::string(5000, 'x')).has_value());
  UserPatch off;
  off.disabled = true;
  store.update(u.id, off);
  EXPECT_FALSE(store.authenticate("ann@example.com", "correct horse").has_value());
}

TEST_P(Users, PasswordChangeLogoutAndDisablingRevokeTokens) {
  auto store = users();
  User u = store.create(ann());
  EXPECT_TRUE(store.check_password(u.id, "correct horse"));
  EXPECT_FALSE(store.check_password(u.id, "wrong horse"));
  EXPECT_FALSE(store.check_password("no-such-id", "correct horse"));

  User changed = store.set_password(u.id, "battery staple");
  EXPECT_EQ(changed.token_version, 1);
  EXPECT_FALSE(store.authenticate("ann@example.com", "correct horse").has_value());
  EXPECT_TRUE(store.authenticate("ann@example.com", "battery staple").has_value());

  EXPECT_EQ(store.revoke_tokens(u.id).token_version, 2);
  UserPatch off;
  off.disabled = true;
  EXPECT_EQ(store.update(u.id, off).token_version, 3);
  EXPECT_EQ(store.update(u.id, off).token_version, 3);  // already disabled: nothing new to revoke
  UserPatch on;
  on.disabled = false;
  User back = store.update(u.id, on);
  EXPECT_FALSE(back.disabled);
  EXPECT_EQ(back.token_version, 3);
  CW_EXPECT_ERROR(store.set_password(u.id, "short"), errc::invalid_argument);
  EXPECT_TRUE(store.check_password(u.id, "battery staple"));
}

// Presence changes all day (every call) while an admin or the user revokes
// tokens: the presence lives in its own record, so no status write can undo a
// revocation, on any backend (FerretDB rewrites a whole document per update).
TEST_P(Users, PresenceChangesNeverUndoARevocation) {
  User u = users().create(ann());
  std::atomic<bool> done{false};
  std::vector<std::thread> presence;
  for (int i = 0; i < 3; ++i) {
    presence.emplace_back([&, i] {
      auto store = users();
      // A pause between writes, as agents' status changes have: three writers
      // in a tight loop can starve SQLite's busy handler (it polls with
      // sleeps, no queue) past its 10 s timeout on a loaded machine — the
      // revoking thread's writes, or one of these, then failed "unavailable".
      for (int k = 0; !done; ++k) {
        store.set_status(u.id, (i + k) % 2 ? UserStatus::busy : UserStatus::available);
        std::this_thread::sleep_for(std::chrono::microseconds(500));
      }
    });
  }
  auto store = users();
  for (int k = 0; k < 10; ++k) store.revoke_tokens(u.id);
  ASSERT_TRUE(store.authenticate("ann@example.com", "correct horse").has_value());
  done = true;
  for (auto& t : presence) t.join();
  const User after = store.get(u.id);
  EXPECT_EQ(after.token_version, 10);
  // last_login_at shares the presence record: on FerretDB a status write of
  // the same instant may overwrite it (docs/storage.md, "Users") — not checked.
  EXPECT_TRUE(after.status == UserStatus::busy || after.status == UserStatus::available);
}

TEST_P(Users, UpdateStatusListAndRemove) {
  auto store = users();
  User a = store.create(ann("a@example.com"));
  NewUser admin = ann("b@example.com");
  admin.role = UserRole::admin;
  User b = store.create(admin);
  EXPECT_EQ(b.role, UserRole::admin);

  UserPatch p;
  p.name = "Ann A.";
  p.role = UserRole::admin;
  p.default_number_id = std::optional<std::string>("num-1");
  User a2 = store.update(a.id, p);
  EXPECT_EQ(a2.name, "Ann A.");
  EXPECT_EQ(a2.role, UserRole::admin);
  EXPECT_EQ(a2.default_number_id, std::optional<std::string>("num-1"));
  EXPECT_GT(a2.updated_at, a.updated_at);
  UserPatch clear;
  clear.default_number_id = std::optional<std::string>();
  EXPECT_FALSE(store.update(a.id, clear).default_number_id.has_value());
  UserPatch bad;
  bad.name = "";
  CW_EXPECT_ERROR(store.update(a.id, bad), errc::invalid_argument);
  EXPECT_EQ(store.get(a.id).name, "Ann A.");

  EXPECT_EQ(store.set_status(a.id, UserStatus::wrap_up).status, UserStatus::wrap_up);
  EXPECT_EQ(store.get(a.id).status, UserStatus::wrap_up);

  std::vector<std::string> ids;
  for (const auto& u : store.list()) ids.push_back(u.id);
  EXPECT_EQ(ids, (std::vector<std::string>{a.id, b.id}));

  store.remove(a.id);
  EXPECT_FALSE(store.find(a.id).has_value());
  CW_EXPECT_ERROR(store.remove(a.id), errc::not_found);
  CW_EXPECT_ERROR(store.get(a.id), errc::not_found);
  CW_EXPECT_ERROR(store.update(a.id, p), errc::not_found);
  CW_EXPECT_ERROR(store.set_status(a.id, UserStatus::away), errc::not_found);
  CW_EXPECT_ERROR(store.revoke_tokens(a.id), errc::not_found);
  EXPECT_EQ(store.count(), 1);
}

// An update that changes nothing within one millisecond of the clock has no
// column to write (updated_at is the same too): it answers the user as it is
// and writes nothing, instead of sending an UPDATE without columns.
TEST_P(Users, AnUpdateThatChangesNothingWritesNothing) {
  StorageOptions o;
  o.timeout = std::chrono::milliseconds(3000);
  o.clock = [] { return at(42); };  // a clock that stands still
  UserStore store(Storage::open(url(), o), PasswordHashing{64, 1, 1});
  const User a = store.create(ann());

  const User same = store.update(a.id, UserPatch{});
  EXPECT_EQ(json::encode(same), json::encode(a));
  UserPatch name;
  name.name = a.name;
  name.disabled = false;
  EXPECT_EQ(json::encode(store.update(a.id, name)), json::encode(a));
  EXPECT_EQ(json::encode(store.get(a.id)), json::encode(a));

  UserPatch rename;
  rename.name = "Ann B.";
  EXPECT_EQ(store.update(a.id, rename).name, "Ann B.");  // a real change is still written
  EXPECT_EQ(store.get(a.id).name, "Ann B.");
  CW_EXPECT_ERROR(store.update("no-such-user", UserPatch{}), errc::not_found);
}

TEST_P(Users, ASignInReHashesAPasswordMadeWithOtherParameters) {
  User u = UserStore(storage(), PasswordHashing{64, 1, 1}).create(ann());
  UserStore stronger(storage(), PasswordHashing{128, 2, 1});
  ASSERT_TRUE(stronger.authenticate("ann@example.com", "correct horse").has_value());
  EXPECT_EQ(stored(storage(), u.id).password_hash.rfind("$argon2id$v=19$m=128,t=2,p=1$", 0), 0u);
  EXPECT_TRUE(stronger.authenticate("ann@example.com", "correct horse").has_value());
}

TEST_P(Users, DefaultCostIsOwaspArgon2id) {
  User u = UserStore(storage()).create(ann());
  EXPECT_EQ(stored(storage(), u.id).password_hash.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, Users, ::testing::Values("sqlite", "mongodb"), backend_name);

TEST(PasswordHash, VerifiesOnlyItsOwnPasswordAndSaltsEveryHash) {
  const PasswordHashing cheap{64, 1, 1};
  const std::string a = store_detail::hash_password("p4ssw0rd!", cheap);
  const std::string b = store_detail::hash_password("p4ssw0rd!", cheap);
  EXPECT_NE(a, b);  // fresh salt
  EXPECT_TRUE(store_detail::verify_password(a, "p4ssw0rd!"));
  EXPECT_FALSE(store_detail::verify_password(a, "p4ssw0rd?"));
  EXPECT_FALSE(store_detail::verify_password("", "p4ssw0rd!"));
  EXPECT_FALSE(store_detail::verify_password("$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA", "p4ssw0rd!"));
  EXPECT_FALSE(store_detail::verify_password("$argon2id$garbage", "p4ssw0rd!"));
  EXPECT_FALSE(store_detail::needs_rehash(a, cheap));
  EXPECT_TRUE(store_detail::needs_rehash(a, PasswordHashing{}));
}

}  // namespace
}  // namespace callwire::test
