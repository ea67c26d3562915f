// NumberStore: caller-ID numbers and the one default (see number_store.hpp
// for the rule that keeps exactly one default without transactions).
#include "callwire/number_store.hpp"

#include "callwire/error.hpp"
#include "callwire/phone.hpp"
#include "store/schema.hpp"
#include "store/util.hpp"

namespace callwire {

using namespace store_detail;

namespace {

Backend& be(const Storage& s) { return *s.backend_impl(); }

std::string not_found(std::string_view id) { return "number " + std::string(id) + " not found"; }

/// The stored default pointer, "" when unset.
std::string default_pointer(Backend& b) {
  FindOptions o;
  o.columns = {"id", "default_number_id"};
  auto row = b.find_one(config_table(), id_is(kDefaultNumberId), o);
  if (!row) return {};
  return text_of(*row, config_table().column("default_number_id"));
}

/// Every number, oldest first, with is_default resolved: the pointer's number
/// if it exists, else the oldest.
std::vector<PhoneNumber> resolved(Backend& b) {
  // Two reads, no snapshot: whatever lands between them, the rule below marks
  // exactly one number of a non-empty list.
  const std::string pointer = default_pointer(b);
  std::vector<PhoneNumber> out;
  FindOptions o;
  o.sort = {{"created_at", false}, {"id", false}};
  b.find(numbers_table(), {}, o, [&](const Row& r) { out.push_back(number_from_row(r)); });
  bool found = false;
  for (auto& n : out) {
    n.is_default = !pointer.empty() && n.id == pointer;
    found = found || n.is_default;
  }
  if (!found && !out.empty()) out.front().is_default = true;
  return out;
}

void point_to(Backend& b, const std::string& id) { b.upsert(config_table(), kDefaultNumberId, {{"default_number_id", id}}); }

/// Points the default at `id` only when no default was ever chosen, in one
/// atomic write: a conditional update of an existing config row whose pointer
/// is unset, else an insert that fails if the row appeared meanwhile. So the
/// first number added is the default even when several are added within the
/// same millisecond (where "the oldest" alone would be a coin toss on ids).
void point_if_unset(Backend& b, const std::string& id) {
  Filter unset;
  unset.all.push_back({"default_number_id", Cond::Op::eq, std::monostate{}});
  if (b.update(config_table(), kDefaultNumberId, {{"default_number_id", id}}, unset)) return;
  Row row(config_table().columns.size());
  row[config_table().column("id")] = std::string(kDefaultNumberId);
  row[config_table().column("default_number_id")] = id;
  b.insert_new(config_table(), row);
}

}  // namespace

NumberStore::NumberStore(Storage storage) : storage_(std::move(storage)) {}

PhoneNumber NumberStore::create(PhoneNumber n) {
  n.number = normalize_e164(n.number, "number");
  n.name = trim(n.name);
  check_text(n.name, "name", 200);
  n.status = trim(n.status);
  if (n.status.empty()) n.status = "active";
  check_text(n.status, "status", 32);
  if (n.id.empty()) n.id = new_id();
  else check_id(n.id, "id");
  n.created_at = storage_.now();
  try {
    be(storage_).insert(numbers_table(), to_row(n));
  } catch (const Error& e) {
    if (e.code() != errc::conflict) throw;
    // The number or the id is taken: say which, in the user's terms (the
    // backend's own text, which names the index, goes to the detail).
    bool number_taken = true;
    try {
      Filter same;
      same.all.push_back({"number", Cond::Op::eq, n.number});
      number_taken = be(storage_).find_one(numbers_table(), same).has_value();
    } catch (const Error&) {
      // Cannot tell: the number is what a user adds twice.
    }
    throw Error(errc::conflict,
                number_taken ? "This number is already in your list." : "A number with this id is already in your list.",
                "number " + n.number + " (id " + n.id + ") already exists: " + e.detail());
  }
  if (n.is_default) {
    point_to(be(storage_), n.id);
    return n;
  }
  point_if_unset(be(storage_), n.id);
  return get(n.id);
}

std::vector<PhoneNumber> NumberStore::list() const { return resolved(be(storage_)); }

std::optional<PhoneNumber> NumberStore::find(std::string_view id) const {
  for (auto& n : resolved(be(storage_))) {
    if (n.id == id) return n;
  }
  return std::nullopt;
}

PhoneNumber NumberStore::get(std::string_view id) const {
  auto n = find(id);
  if (!n) throw Error(errc::not_found, not_found(id));
  return *n;
}

std::optional<PhoneNumber> NumberStore::default_number() const {
  for (auto& n : resolved(be(storage_))) {
    if (n.is_default) return n;
  }
  return std::nullopt;
}

PhoneNumber NumberStore::set_default(std::string_view id) {
  auto row = be(storage_).get(numbers_table(), id);
  if (!row) throw Error(errc::not_found, not_found(id));
  // One atomic single-record write: whichever of concurrent calls writes last
  // wins, and at every moment exactly one number is the default.
  point_to(be(storage_), std::string(id));
  PhoneNumber n = number_from_row(*row);
  n.is_default = true;
  return n;
}

void NumberStore::remove(std::string_view id) {
  // The default pointer may now name a removed number: readers then fall back
  // to the oldest one. It is not cleared here — a conditional clear could
  // overwrite a concurrent set_default on backends without atomic
  // read-modify-write (FerretDB).
  if (!be(storage_).remove(numbers_table(), id, {})) throw Error(errc::not_found, not_found(id));
}

}  // namespace callwire
