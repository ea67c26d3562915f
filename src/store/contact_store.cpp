// ContactStore: validation and queries over the `contacts` table.
#include "callwire/contact_store.hpp"

#include "callwire/error.hpp"
#include "callwire/json.hpp"
#include "callwire/phone.hpp"
#include "store/schema.hpp"
#include "store/util.hpp"

namespace callwire {

using namespace store_detail;

namespace {

Backend& be(const Storage& s) { return *s.backend_impl(); }

/// Validates and normalises the user fields of a contact in place.
void validate(Contact& c) {
  c.name = trim(c.name);
  if (c.name.empty()) throw Error(errc::invalid_argument, "name: must not be empty");
  check_text(c.name, "name", 200);
  c.phone = normalize_e164(c.phone, "phone");
  c.email = check_email(c.email, "email");
  if (!parse_contact_category(to_string(c.category))) throw Error(errc::invalid_argument, "category: must be one of lead, client, follow_up, other");
  check_text(c.notes, "notes", 10000);
}

Filter to_filter(const ContactFilter& f) {
  Filter out;
  if (f.category) {
    if (!parse_contact_category(to_string(*f.category))) throw Error(errc::invalid_argument, "category: must be one of lead, client, follow_up, other");
    out.all.push_back({"category", Cond::Op::eq, std::string(to_string(*f.category))});
  }
  if (f.favorites_only) out.all.push_back({"is_favorite", Cond::Op::eq, true});
  const std::string q = check_search(f.search);
  if (!q.empty()) {
    out.any.push_back({"name", Cond::Op::contains_ci, q});
    out.any.push_back({"email", Cond::Op::contains_ci, q});
    if (auto digits = phone_fragment(q); !digits.empty()) out.any.push_back({"phone", Cond::Op::contains, digits});
  }
  return out;
}

std::string not_found(std::string_view id) { return "contact " + std::string(id) + " not found"; }

}  // namespace

ContactStore::ContactStore(Storage storage) : storage_(std::move(storage)) {}

Contact ContactStore::create(Contact c) {
  validate(c);
  if (c.id.empty()) c.id = new_id();
  else check_id(c.id, "id");
  c.created_at = c.updated_at = storage_.now();
  try {
    be(storage_).insert(contacts_table(), to_row(c));
  } catch (const Error& e) {
    if (e.code() == errc::conflict) {
      throw Error(errc::conflict, "This contact already exists.", "contact " + c.id + " already exists: " + e.detail());
    }
    throw;
  }
  return c;
}

std::optional<Contact> ContactStore::find(std::string_view id) const {
  auto row = be(storage_).get(contacts_table(), id);
  if (!row) return std::nullopt;
  return contact_from_row(*row);
}

Contact ContactStore::get(std::string_view id) const {
  auto c = find(id);
  if (!c) throw Error(errc::not_found, not_found(id));
  return *c;
}

std::optional<Contact> ContactStore::find_by_phone(std::string_view phone) const {
  Filter f;
  f.all.push_back({"phone", Cond::Op::eq, normalize_e164(phone, "phone")});
  FindOptions o;
  o.sort = {{"created_at", false}, {"id", false}};
  auto row = be(storage_).find_one(contacts_table(), f, o);
  if (!row) return std::nullopt;
  return contact_from_row(*row);
}

std::vector<Contact> ContactStore::list(const ContactFilter& filter) const {
  check_page(filter.page);
  FindOptions o;
  o.sort = {{"name", false}, {"id", false}};
  o.limit = filter.page.limit;
  o.offset = filter.page.offset;
  std::vector<Contact> out;
  be(storage_).find(contacts_table(), to_filter(filter), o, [&](const Row& r) { out.push_back(contact_from_row(r)); });
  return out;
}

std::int64_t ContactStore::count(const ContactFilter& filter) const {
  return be(storage_).count(contacts_table(), to_filter(filter));
}

Contact ContactStore::update(Contact c) {
  if (c.id.empty()) throw Error(errc::invalid_argument, "id: must not be empty");
  const Contact existing = get(c.id);
  validate(c);
  c.created_at = existing.created_at;
  c.updated_at = storage_.now();
  if (!be(storage_).update(contacts_table(), c.id, all_but_id(contacts_table(), to_row(c)), {})) {
    throw Error(errc::not_found, not_found(c.id));
  }
  return c;
}

Contact ContactStore::patch(std::string_view id, const ContactPatch& p) {
  Contact c = get(id);
  if (p.name) c.name = *p.name;
  if (p.phone) c.phone = *p.phone;
  if (p.email) c.email = *p.email;
  if (p.category) c.category = *p.category;
  if (p.is_favorite) c.is_favorite = *p.is_favorite;
  if (p.notes) c.notes = *p.notes;
  return update(std::move(c));
}

void ContactStore::remove(std::string_view id) {
  if (!be(storage_).remove(contacts_table(), id, {})) throw Error(errc::not_found, not_found(id));
}

Contact ContactStore::toggle_favorite(std::string_view id) {
  // Compare-and-set on the current value: on SQLite and MongoDB each of two
  // concurrent toggles flips once. (FerretDB 1.x evaluates the condition and
  // writes in two steps, so there they can collapse; see contact_store.hpp.)
  for (int attempt = 0; attempt < 1000; ++attempt) {
    Contact c = get(id);
    const bool was = c.is_favorite;
    c.is_favorite = !was;
    c.updated_at = storage_.now();
    Filter expect;
    expect.all.push_back({"is_favorite", Cond::Op::eq, was});
    const Assignments set{{"is_favorite", c.is_favorite}, {"updated_at", json::format_time(c.updated_at)}};
    if (be(storage_).update(contacts_table(), c.id, set, expect)) return c;
  }
  throw Error(errc::conflict, "contact " + std::string(id) + ": favorite changed concurrently too often; try again");
}

}  // namespace callwire
