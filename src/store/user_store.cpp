// UserStore: accounts, their Argon2id password hashes and token versions over
// the `users` table (see user_store.hpp).
#include "callwire/user_store.hpp"

#include <map>
#include <mutex>

#include "callwire/error.hpp"
#include "callwire/json.hpp"
#include "store/password_hash.hpp"
#include "store/schema.hpp"
#include "store/util.hpp"

namespace callwire {

using namespace store_detail;

namespace {

Backend& be(const Storage& s) { return *s.backend_impl(); }

std::string not_found(std::string_view id) { return "user " + std::string(id) + " not found"; }

std::string email_key(std::string_view email) {
  std::string k(email);
  for (char& c : k) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return k;
}

std::string checked_email(std::string_view email) {
  std::string e = check_email(email, "email");
  if (e.empty()) throw Error(errc::invalid_argument, "email: must not be empty");
  return e;
}

std::string checked_name(std::string_view name) {
  std::string n = trim(name);
  if (n.empty()) throw Error(errc::invalid_argument, "name: must not be empty");
  check_text(n, "name", 200);
  return n;
}

void check_new_password(std::string_view password) {
  if (password.size() < kMinPasswordLength) {
    throw Error(errc::invalid_argument,
                "password: must be at least " + std::to_string(kMinPasswordLength) + " characters long");
  }
  if (password.size() > kMaxPasswordLength) {
    throw Error(errc::invalid_argument,
                "password: must be at most " + std::to_string(kMaxPasswordLength) + " bytes long");
  }
  if (!valid_utf8(password)) throw Error(errc::invalid_argument, "password: must be valid UTF-8");
}

std::optional<std::string> checked_number_id(const std::optional<std::string>& id) {
  if (!id || id->empty()) return std::nullopt;
  check_id(*id, "default_number_id");
  return id;
}

Error email_taken(const std::string& email, const Error& e) {
  return Error(errc::conflict, "An account with this email already exists.",
               "user email " + email + " already exists: " + e.detail());
}

/// The presence half of a user (offline, never signed in, when absent).
PresenceRow presence_of(const Storage& s, std::string_view id) {
  if (auto row = be(s).get(presence_table(), id)) return presence_from_row(*row);
  PresenceRow p;
  p.user_id = std::string(id);
  return p;
}

void merge(User& u, const PresenceRow& p) {
  u.status = p.status;
  u.last_login_at = p.last_login_at;
}

std::optional<UserRow> read(const Storage& s, std::string_view id) {
  auto row = be(s).get(users_table(), id);
  if (!row) return std::nullopt;
  return user_from_row(*row);
}

/// The columns whose values differ between two rows of one table.
Assignments changed(const TableDef& t, const Row& before, const Row& after) {
  Assignments out;
  for (std::size_t i = 1; i < t.columns.size(); ++i) {
    if (before[i] != after[i]) out.emplace_back(t.columns[i].name, after[i]);
  }
  return out;
}

/// Applies `change` to the stored account and writes the columns it changed,
/// provided no other writer bumped token_version meanwhile (else it reads
/// again and retries): a revocation is never undone by a concurrent edit on
/// backends with atomic single-document updates (SQLite, MongoDB). Returns
/// the account with its presence.
template <class Change>
User modify(const Storage& s, std::string_view id, Change&& change) {
  for (int attempt = 0;; ++attempt) {
    auto row = read(s, id);
    if (!row) throw Error(errc::not_found, not_found(id));
    const Row before = to_row(*row);
    const std::int64_t seen = row->user.token_version;
    const std::string key_before = row->email_key;
    change(*row);
    row->user.updated_at = s.now();
    const Assignments changes = changed(users_table(), before, to_row(*row));
    if (changes.empty()) {
      // Nothing differs, not even updated_at (a change that changes nothing
      // within the clock's millisecond): there is nothing to write, and no
      // UPDATE without columns to send.
      merge(row->user, presence_of(s, id));
      return row->user;
    }
    Filter unchanged;
    unchanged.all.push_back({"token_version", Cond::Op::eq, seen});
    bool written = false;
    try {
      written = be(s).update(users_table(), id, changes, unchanged);
    } catch (const Error& e) {
      // FerretDB reports a unique violation of an update as a plain error:
      // whether the new email belongs to someone else decides.
      if (e.code() == errc::conflict) throw email_taken(row->user.email, e);
      if (row->email_key != key_before) {
        Filter same;
        same.all.push_back({"email_key", Cond::Op::eq, row->email_key});
        same.all.push_back({"id", Cond::Op::ne, std::string(id)});
        bool taken = false;
        try {
          taken = be(s).find_one(users_table(), same).has_value();
        } catch (const Error&) {
        }
        if (taken) throw email_taken(row->user.email, e);
      }
      throw;
    }
    if (written) {
      merge(row->user, presence_of(s, id));
      return row->user;
    }
    if (!read(s, id)) throw Error(errc::not_found, not_found(id));
    if (attempt >= 16) {
      throw Error(errc::unavailable, "The account is being changed by someone else; try again.",
                  "user " + std::string(id) + ": token_version kept changing");
    }
  }
}

}  // namespace

struct UserStore::Decoy {
  std::once_flag once;
  std::string hash;
};

UserStore::UserStore(Storage storage, PasswordHashing hashing)
    : storage_(std::move(storage)), hashing_(hashing), decoy_(std::make_shared<Decoy>()) {}

User UserStore::create(const NewUser& in) {
  UserRow row;
  row.user.email = checked_email(in.email);
  row.user.name = checked_name(in.name);
  check_new_password(in.password);
  if (!parse_user_role(to_string(in.role))) throw Error(errc::invalid_argument, "role: must be admin or agent");
  row.user.role = in.role;
  row.user.default_number_id = checked_number_id(in.default_number_id);
  row.user.id = new_id();
  row.user.status = UserStatus::offline;
  row.user.created_at = row.user.updated_at = storage_.now();
  row.email_key = email_key(row.user.email);
  row.password_hash = hash_password(in.password, hashing_);
  try {
    be(storage_).insert(users_table(), to_row(row));
  } catch (const Error& e) {
    if (e.code() == errc::conflict) throw email_taken(row.user.email, e);
    throw;
  }
  // A presence row left by an account of this id that was removed (ids are
  // UUIDs: only in theory) must not carry over.
  be(storage_).remove(presence_table(), row.user.id, {});
  return row.user;
}

std::vector<User> UserStore::list() const {
  std::vector<User> out;
  FindOptions o;
  o.sort = {{"created_at", false}, {"id", false}};
  be(storage_).find(users_table(), {}, o, [&](const Row& r) { out.push_back(user_from_row(r).user); });
  std::map<std::string, PresenceRow> presence;
  be(storage_).find(presence_table(), {}, {}, [&](const Row& r) {
    PresenceRow p = presence_from_row(r);
    presence.emplace(p.user_id, std::move(p));
  });
  for (auto& u : out) {
    if (auto it = presence.find(u.id); it != presence.end()) merge(u, it->second);
  }
  return out;
}

std::int64_t UserStore::count() const { return be(storage_).count(users_table(), {}); }

std::optional<User> UserStore::find(std::string_view id) const {
  auto row = read(storage_, id);
  if (!row) return std::nullopt;
  merge(row->user, presence_of(storage_, id));
  return row->user;
}

User UserStore::get(std::string_view id) const {
  auto u = find(id);
  if (!u) throw Error(errc::not_found, not_found(id));
  return *u;
}

std::optional<User> UserStore::find_by_email(std::string_view email) const {
  Filter f;
  f.all.push_back({"email_key", Cond::Op::eq, email_key(trim(email))});
  auto row = be(storage_).find_one(users_table(), f);
  if (!row) return std::nullopt;
  User u = user_from_row(*row).user;
  merge(u, presence_of(storage_, u.id));
  return u;
}

User UserStore::update(std::string_view id, const UserPatch& p) {
  // Check everything before touching the row, so a bad patch changes nothing.
  const std::optional<std::string> email = p.email ? std::optional(checked_email(*p.email)) : std::nullopt;
  const std::optional<std::string> name = p.name ? std::optional(checked_name(*p.name)) : std::nullopt;
  if (p.role && !parse_user_role(to_string(*p.role))) throw Error(errc::invalid_argument, "role: must be admin or agent");
  std::optional<std::optional<std::string>> number;
  if (p.default_number_id) number = checked_number_id(*p.default_number_id);
  return modify(storage_, id, [&](UserRow& row) {
    if (email) {
      row.user.email = *email;
      row.email_key = email_key(*email);
    }
    if (name) row.user.name = *name;
    if (p.role) row.user.role = *p.role;
    if (number) row.user.default_number_id = *number;
    if (p.disabled) {
      if (*p.disabled && !row.user.disabled) ++row.user.token_version;
      row.user.disabled = *p.disabled;
    }
  });
}

User UserStore::set_status(std::string_view id, UserStatus status) {
  if (!parse_user_status(to_string(status))) {
    throw Error(errc::invalid_argument, "status: must be one of available, busy, wrap_up, away, offline");
  }
  User u = get(id);
  be(storage_).upsert(presence_table(), id,
                      {{"status", std::string(to_string(status))}, {"updated_at", json::format_time(storage_.now())}});
  u.status = status;
  return u;
}

User UserStore::set_password(std::string_view id, std::string_view new_password) {
  check_new_password(new_password);
  const std::string hash = hash_password(new_password, hashing_);
  return modify(storage_, id, [&](UserRow& row) {
    row.password_hash = hash;
    ++row.user.token_version;
  });
}

bool UserStore::check_password(std::string_view id, std::string_view password) const {
  auto row = read(storage_, id);
  if (!row) {
    verify_password(decoy_hash(), password);
    return false;
  }
  return verify_password(row->password_hash, password);
}

User UserStore::revoke_tokens(std::string_view id) {
  return modify(storage_, id, [](UserRow& row) { ++row.user.token_version; });
}

std::optional<User> UserStore::authenticate(std::string_view email, std::string_view password) {
  if (password.size() > kMaxPasswordLength) return std::nullopt;  // never hash a megabyte
  Filter f;
  f.all.push_back({"email_key", Cond::Op::eq, email_key(trim(email))});
  auto found = be(storage_).find_one(users_table(), f);
  if (!found) {
    verify_password(decoy_hash(), password);  // the same work as a wrong password
    return std::nullopt;
  }
  const UserRow row = user_from_row(*found);
  if (!verify_password(row.password_hash, password) || row.user.disabled) return std::nullopt;
  if (needs_rehash(row.password_hash, hashing_)) {
    const std::string fresh = hash_password(password, hashing_);
    const std::string old_hash = row.password_hash;
    modify(storage_, row.user.id, [&](UserRow& r) {
      if (r.password_hash == old_hash) r.password_hash = fresh;  // unless it was changed meanwhile
    });
  }
  const PresenceRow p = presence_of(storage_, row.user.id);
  const TimePoint now = storage_.now();
  be(storage_).upsert(presence_table(), row.user.id,
                      {{"status", std::string(to_string(p.status))},
                       {"last_login_at", json::format_time(now)},
                       {"updated_at", json::format_time(now)}});
  User u = row.user;
  u.status = p.status;
  u.last_login_at = now;
  return u;
}

void UserStore::remove(std::string_view id) {
  if (!be(storage_).remove(users_table(), id, {})) throw Error(errc::not_found, not_found(id));
  be(storage_).remove(presence_table(), id, {});
}

const std::string& UserStore::decoy_hash() const {
  std::call_once(decoy_->once, [this] { decoy_->hash = hash_password("callwire decoy password", hashing_); });
  return decoy_->hash;
}

}  // namespace callwire
