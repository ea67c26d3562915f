// The storage conformance suite: every test runs against SQLite and against
// MongoDB (a real FerretDB server). See store_fixture.hpp.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include "callwire/contact_store.hpp"
#include "callwire/log_store.hpp"
#include "callwire/number_store.hpp"
#include "callwire/settings_store.hpp"
#include "dump.hpp"
#include "store_fixture.hpp"

namespace callwire::test {
namespace {

using ::testing::HasSubstr;

class Conformance : public StoreTest {};

std::vector<std::string> names(const std::vector<Contact>& cs) {
  std::vector<std::string> out;
  for (const auto& c : cs) out.push_back(c.name);
  return out;
}

std::vector<std::string> ids(const std::vector<Call>& cs) {
  std::vector<std::string> out;
  for (const auto& c : cs) out.push_back(c.call_id);
  return out;
}

Contact contact(std::string name, std::string phone, ContactCategory cat = ContactCategory::other, std::string email = {}) {
  Contact c;
  c.name = std::move(name);
  c.phone = std::move(phone);
  c.category = cat;
  c.email = std::move(email);
  return c;
}

Call call(std::string id, std::int64_t created, CallStatus status, std::string to = "+12125550100",
          std::string from = "+13105550199") {
  Call c;
  c.call_id = std::move(id);
  c.created_at = at(created);
  c.updated_at = at(created);
  c.status = status;
  c.to_number = std::move(to);
  c.from_number = std::move(from);
  return c;
}

// ---- Storage ----------------------------------------------------------------

TEST_P(Conformance, InitIsIdempotentAndReportsTheSchema) {
  auto first = storage().init();
  auto info = storage().init();
  EXPECT_EQ(info.backend, GetParam());
  // SQLite is at version 7 (2: its call-log counters and search index; 3:
  // call_logs.recording_paused; 4: users and user_presence; 5:
  // call_logs.machine_greeting; 6: call_logs.record_from_answer and
  // recording_error, recordings.remote_delete_error,
  // telnyx_config.recording_channels; 7: agent_id on calls and recordings);
  // MongoDB needed no change (init creates a missing collection and its
  // indexes) and stays at 1.
  EXPECT_EQ(info.schema_version, Storage::latest_schema_version(GetParam()));
  EXPECT_EQ(Storage::latest_schema_version("sqlite"), 7);
  EXPECT_EQ(Storage::latest_schema_version("mongodb"), 1);
  EXPECT_EQ(Storage::latest_schema_version("redis"), 0);
  std::map<std::string, std::vector<std::string>> tables;
  for (const auto& t : info.tables) tables[t.name] = t.indexes;
  std::map<std::string, std::vector<std::string>> expected{
      {"contacts", {"contacts_category", "contacts_name", "contacts_phone"}},
      {"call_logs", {"call_logs_agent_id", "call_logs_call_control_id", "call_logs_created_at", "call_logs_status"}},
      {"recordings", {"recordings_agent_id", "recordings_call_id", "recordings_created_at"}},
      {"numbers", {"numbers_created_at", "numbers_number"}},
      {"telnyx_config", {}},
      {"call_events", {"call_events_call_control_id"}},
      {"users", {"users_created_at", "users_email_key"}},
      {"user_presence", {}},
  };
  EXPECT_EQ(tables, expected);
  EXPECT_EQ(first.tables.size(), info.tables.size());
  EXPECT_NO_THROW(storage().ping());
  EXPECT_EQ(storage().backend(), GetParam());
}

TEST_P(Conformance, DataSurvivesReopening) {
  ContactStore(storage()).create(contact("Ada", "+442079460958"));
  storage_.reset();
  auto again = open();
  auto all = ContactStore(again).list();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].name, "Ada");
}

// ---- contacts -------------------------------------------------------------

TEST_P(Conformance, ContactCreateNormalisesAndRoundTrips) {
  ContactStore contacts(storage());
  Contact in = contact("  Alice Smith ", "+1 (212) 555-1234", ContactCategory::lead, "alice@example.com");
  in.notes = "met at the fair, ünïcödé ✓";
  in.is_favorite = true;
  const Contact out = contacts.create(in);
  EXPECT_TRUE(std::regex_match(out.id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << out.id;
  EXPECT_EQ(out.name, "Alice Smith");
  EXPECT_EQ(out.phone, "+12125551234");
  EXPECT_NE(out.created_at, TimePoint{});
  EXPECT_EQ(out.created_at, out.updated_at);
  EXPECT_EQ(dump(contacts.get(out.id)), dump(out));
  EXPECT_EQ(dump(*contacts.find(out.id)), dump(out));

  Contact with_id = contact("Bob", "+44 20 7946 0958");
  with_id.id = "my-own-id";
  EXPECT_EQ(contacts.create(with_id).id, "my-own-id");
  const auto err = CW_EXPECT_ERROR(contacts.create(with_id), errc::conflict);
  EXPECT_STREQ(err.what(), "This contact already exists.");
  EXPECT_THAT(err.detail(), HasSubstr("contact my-own-id already exists: "));
}

TEST_P(Conformance, ContactCreateRejectsBadInput) {
  ContactStore contacts(storage());
  EXPECT_THAT(CW_EXPECT_ERROR(contacts.create(contact(" ", "+12125551234")), errc::invalid_argument).what(),
              HasSubstr("name"));
  EXPECT_THAT(CW_EXPECT_ERROR(contacts.create(contact("A", "555-1234")), errc::invalid_argument).what(),
              HasSubstr("phone:"));
  EXPECT_THAT(CW_EXPECT_ERROR(contacts.create(contact("A", "+12125551234", ContactCategory::lead, "not-an-email")),
                              errc::invalid_argument)
                  .what(),
              HasSubstr("email"));
  EXPECT_THAT(CW_EXPECT_ERROR(contacts.create(contact("bad \xff\xfe", "+12125551234")), errc::invalid_argument).what(),
              HasSubstr("UTF-8"));
  EXPECT_THAT(CW_EXPECT_ERROR(contacts.create(contact("A", "+12125551234", static_cast<ContactCategory>(42))),
                              errc::invalid_argument)
                  .what(),
              HasSubstr("category"));
  Contact bad_id = contact("A", "+12125551234");
  bad_id.id = "a b";
  CW_EXPECT_ERROR(contacts.create(bad_id), errc::invalid_argument);
  EXPECT_EQ(contacts.count(), 0);
}

TEST_P(Conformance, ContactMissingIsNotFound) {
  ContactStore contacts(storage());
  EXPECT_FALSE(contacts.find("nope"));
  EXPECT_THAT(CW_EXPECT_ERROR(contacts.get("nope"), errc::not_found).what(), HasSubstr("contact nope not found"));
  CW_EXPECT_ERROR(contacts.remove("nope"), errc::not_found);
  CW_EXPECT_ERROR(contacts.toggle_favorite("nope"), errc::not_found);
  CW_EXPECT_ERROR(contacts.patch("nope", {}), errc::not_found);
  Contact c = contact("A", "+12125551234");
  c.id = "nope";
  CW_EXPECT_ERROR(contacts.update(c), errc::not_found);
}

TEST_P(Conformance, ContactListFiltersSearchesAndPages) {
  ContactStore contacts(storage());
  auto alice = contact("Alice", "+12125551234", ContactCategory::lead, "alice@example.com");
  alice.is_favorite = true;
  contacts.create(alice);
  contacts.create(contact("bob", "+13105550000", ContactCategory::client, "BOB@Corp.example"));
  contacts.create(contact("Carol", "+442079460958", ContactCategory::lead));
  auto dave = contact("Dave", "+12125559999", ContactCategory::follow_up, "dave@example.org");
  dave.is_favorite = true;
  contacts.create(dave);

  // Byte order of the name: upper-case letters sort before lower-case.
  EXPECT_EQ(names(contacts.list()), (std::vector<std::string>{"Alice", "Carol", "Dave", "bob"}));
  ContactFilter f;
  f.category = ContactCategory::lead;
  EXPECT_EQ(names(contacts.list(f)), (std::vector<std::string>{"Alice", "Carol"}));
  EXPECT_EQ(contacts.count(f), 2);
  f = {};
  f.favorites_only = true;
  EXPECT_EQ(names(contacts.list(f)), (std::vector<std::string>{"Alice", "Dave"}));
  f.category = ContactCategory::follow_up;
  EXPECT_EQ(names(contacts.list(f)), (std::vector<std::string>{"Dave"}));

  const auto search = [&](std::string q) {
    ContactFilter s;
    s.search = std::move(q);
    return names(contacts.list(s));
  };
  EXPECT_EQ(search("ALI"), (std::vector<std::string>{"Alice"}));        // name, any case
  EXPECT_EQ(search("corp.EX"), (std::vector<std::string>{"bob"}));      // email, any case
  EXPECT_EQ(search("example"), (std::vector<std::string>{"Alice", "Dave", "bob"}));
  EXPECT_EQ(search("(212) 555"), (std::vector<std::string>{"Alice", "Dave"}));  // phone, separators ignored
  EXPECT_EQ(search("+4420"), (std::vector<std::string>{"Carol"}));
  EXPECT_EQ(search("9999"), (std::vector<std::string>{"Dave"}));
  EXPECT_EQ(search("  dave "), (std::vector<std::string>{"Dave"}));     // trimmed
  EXPECT_EQ(search("zzz"), (std::vector<std::string>{}));

  ContactFilter page;
  page.page = {2, 1};
  EXPECT_EQ(names(contacts.list(page)), (std::vector<std::string>{"Carol", "Dave"}));
  page.page = {2, 3};
  EXPECT_EQ(names(contacts.list(page)), (std::vector<std::string>{"bob"}));
  page.page = {0, 0};
  CW_EXPECT_ERROR(contacts.list(page), errc::invalid_argument);
  page.page = {Page::kMaxPageSize + 1, 0};
  CW_EXPECT_ERROR(contacts.list(page), errc::invalid_argument);
}

TEST_P(Conformance, SearchTextIsNeverAPatternOrOperator) {
  ContactStore contacts(storage());
  const std::vector<std::string> tricky{".*", "a+b", "(x)", "[abc]", "$where", "\\d", "^start", "end$", "a|b",
                                        "{\"$gt\": \"\"}", "' OR 1=1 --", "100%", "under_score", "x?"};
  int i = 0;
  for (const auto& n : tricky) contacts.create(contact(n, "+1212555" + std::to_string(1000 + i++)));
  contacts.create(contact("plain", "+12125559999"));
  for (const auto& n : tricky) {
    ContactFilter f;
    f.search = n;
    const auto found = names(contacts.list(f));
    EXPECT_THAT(found, ::testing::Contains(n)) << "search " << n;
    for (const auto& m : found) EXPECT_NE(m.find(n), std::string::npos) << "search " << n << " matched " << m;
  }
  ContactFilter nul;
  nul.search = std::string("a\0b", 3);
  CW_EXPECT_ERROR(contacts.list(nul), errc::invalid_argument);
  // Field values that look like operators are stored as text.
  auto weird = contacts.create(contact("$set", "+12125558888", ContactCategory::other, "x@$where.example"));
  EXPECT_EQ(contacts.get(weird.id).email, "x@$where.example");
}

TEST_P(Conformance, ContactUpdatePatchRemove) {
  ContactStore contacts(storage());
  const Contact c = contacts.create(contact("Ann", "+12125551234", ContactCategory::lead));
  Contact u = c;
  u.name = "Ann B";
  u.phone = "001 212 555 4321";
  u.category = ContactCategory::client;
  u.created_at = at(-99999);  // ignored
  const Contact updated = contacts.update(u);
  EXPECT_EQ(updated.phone, "+12125554321");
  EXPECT_EQ(updated.created_at, c.created_at);
  EXPECT_GT(updated.updated_at, c.updated_at);
  EXPECT_EQ(dump(contacts.get(c.id)), dump(updated));

  ContactPatch p;
  p.email = "ann@example.com";
  p.notes = "vip";
  const Contact patched = contacts.patch(c.id, p);
  EXPECT_EQ(patched.name, "Ann B");
  EXPECT_EQ(patched.email, "ann@example.com");
  EXPECT_EQ(patched.notes, "vip");
  EXPECT_EQ(dump(contacts.get(c.id)), dump(patched));
  p = {};
  p.phone = "12";
  CW_EXPECT_ERROR(contacts.patch(c.id, p), errc::invalid_argument);
  EXPECT_EQ(dump(contacts.get(c.id)), dump(patched));

  EXPECT_EQ(contacts.find_by_phone("+1 212 555 4321")->id, c.id);
  EXPECT_FALSE(contacts.find_by_phone("+12125550000"));
  contacts.remove(c.id);
  EXPECT_FALSE(contacts.find(c.id));
  CW_EXPECT_ERROR(contacts.remove(c.id), errc::not_found);
}

TEST_P(Conformance, ToggleFavoriteFlipsAndPersists) {
  ContactStore contacts(storage());
  const Contact c = contacts.create(contact("Fav", "+12125551234"));
  const Contact on = contacts.toggle_favorite(c.id);
  EXPECT_TRUE(on.is_favorite);
  EXPECT_GT(on.updated_at, c.updated_at);
  EXPECT_EQ(dump(contacts.get(c.id)), dump(on));
  EXPECT_FALSE(contacts.toggle_favorite(c.id).is_favorite);
  EXPECT_FALSE(contacts.get(c.id).is_favorite);
  ContactPatch p;
  p.is_favorite = true;
  EXPECT_TRUE(contacts.patch(c.id, p).is_favorite);
  EXPECT_TRUE(contacts.patch(c.id, p).is_favorite);  // setting is idempotent
}

// ---- calls ----------------------------------------------------------------

Call full_call() {
  Call c = call("c-full", 100, CallStatus::completed);
  c.call_control_id = "v3:ccid-full";
  c.call_leg_id = "leg-1";
  c.call_session_id = "session-1";
  c.connection_id = "conn-1";
  c.direction = Direction::outbound;
  c.ringing_at = at(101);
  c.answered_at = at(105);
  c.ended_at = at(165);
  c.duration = 60;
  c.hangup_cause = "normal_clearing";
  c.hangup_source = "callee";
  c.failure_reason = "";
  c.machine_detection = "machine";
  c.machine_greeting = "beep_detected";
  c.contact_id = "contact-1";
  c.contact_name = "Zoë O'Brien, \"Z\"";
  c.agent_id = "user-7";
  c.recording_id = "rec-1";
  c.recording = true;
  c.recording_paused = true;
  c.muted = true;
  c.on_hold = true;
  c.demo = true;
  c.record_from_answer = true;
  c.recording_error = "Telnyx could not record the call: Internal server error";
  return c;
}

TEST_P(Conformance, CallRoundTripsEveryField) {
  LogStore logs(storage());
  const Call in = full_call();
  EXPECT_EQ(dump(logs.insert(in)), dump(in));
  EXPECT_EQ(dump(logs.get("c-full")), dump(in));
  EXPECT_EQ(dump(*logs.find_by_control_id("v3:ccid-full")), dump(in));

  Call minimal;
  minimal.to_number = "+12125550100";
  const Call m = logs.insert(minimal);
  EXPECT_EQ(m.call_id.size(), 36u);
  EXPECT_NE(m.created_at, TimePoint{});
  EXPECT_EQ(m.updated_at, m.created_at);
  const Call got = logs.get(m.call_id);
  EXPECT_EQ(dump(got), dump(m));
  EXPECT_FALSE(got.answered_at);
  EXPECT_FALSE(got.contact_name);

  Call changed = got;
  changed.status = CallStatus::failed;
  changed.failure_reason = "carrier said no";
  changed.ended_at = at(500);
  changed.contact_name = "Someone";
  logs.update(changed);
  EXPECT_EQ(dump(logs.get(m.call_id)), dump(changed));
  changed.contact_name.reset();
  logs.update(changed);
  EXPECT_FALSE(logs.get(m.call_id).contact_name);
}

// update(call, stored) writes only what differs from the stored call: the
// result is the same as a whole update, including fields cleared to null and
// the counters and search index kept by the SQLite triggers.
TEST_P(Conformance, CallUpdateOfTheChangedFieldsOnly) {
  LogStore logs(storage());
  const Call stored = logs.insert(call("c-diff", 100, CallStatus::dialing, "+12125550111"));
  Call now = stored;
  now.status = CallStatus::active;
  now.call_control_id = "v3:ccid-diff";
  now.answered_at = at(105);
  now.contact_name = "Ada";
  now.muted = true;
  now.updated_at = at(105);
  logs.update(now, stored);
  EXPECT_EQ(dump(logs.get("c-diff")), dump(now));
  EXPECT_EQ(dump(*logs.find_by_control_id("v3:ccid-diff")), dump(now));
  CallFilter active;
  active.status = CallStatus::active;
  EXPECT_EQ(logs.count(active), 1);
  EXPECT_EQ(logs.stats().active_calls, 1);
  CallFilter by_name;
  by_name.search = "Ada";
  EXPECT_EQ(logs.count(by_name), 1);

  Call later = now;
  later.status = CallStatus::completed;
  later.ended_at = at(165);
  later.duration = 60;
  later.contact_name.reset();
  later.muted = false;
  logs.update(later, now);
  EXPECT_EQ(dump(logs.get("c-diff")), dump(later));
  EXPECT_EQ(logs.count(active), 0);
  EXPECT_EQ(logs.count(by_name), 0);
  const Stats st = logs.stats();
  EXPECT_EQ(st.completed_calls, 1);
  EXPECT_EQ(st.total_duration, 60);
  EXPECT_EQ(st.answer_rate, 1.0);

  // Only what differs is written: a field another writer changed after
  // `stored` was read, and that this update leaves alone, is kept.
  Call elsewhere = logs.get("c-diff");
  elsewhere.hangup_source = "caller";
  logs.update(elsewhere);
  Call mine = later;
  mine.machine_detection = "machine";
  mine.machine_greeting = "ended";
  mine.record_from_answer = true;
  mine.recording_error = "Telnyx could not record the call: Unsupported backend";
  logs.update(mine, later);
  EXPECT_EQ(logs.get("c-diff").hangup_source, "caller");
  EXPECT_EQ(logs.get("c-diff").machine_detection, "machine");
  EXPECT_EQ(logs.get("c-diff").machine_greeting, "ended");
  EXPECT_TRUE(logs.get("c-diff").record_from_answer);
  EXPECT_EQ(logs.get("c-diff").recording_error, "Telnyx could not record the call: Unsupported backend");
  later = logs.get("c-diff");

  logs.update(later, later);  // nothing differs: nothing to write, no error
  EXPECT_EQ(dump(logs.get("c-diff")), dump(later));
  CW_EXPECT_ERROR(logs.update(later, now = call("other", 1, CallStatus::dialing)), errc::invalid_argument);
  const Call missing = call("missing", 1, CallStatus::dialing);
  Call missing_now = missing;
  missing_now.status = CallStatus::active;
  CW_EXPECT_ERROR(logs.update(missing_now, missing), errc::not_found);
}

TEST_P(Conformance, CallErrors) {
  LogStore logs(storage());
  logs.insert(call("dup", 1, CallStatus::dialing));
  const auto dup = CW_EXPECT_ERROR(logs.insert(call("dup", 2, CallStatus::dialing)), errc::conflict);
  EXPECT_STREQ(dup.what(), "This call is already in the call log.");
  EXPECT_THAT(dup.detail(), HasSubstr("call dup already exists: "));
  CW_EXPECT_ERROR(logs.update(call("missing", 1, CallStatus::active)), errc::not_found);
  EXPECT_THAT(CW_EXPECT_ERROR(logs.get("missing"), errc::not_found).what(), HasSubstr("call missing not found"));
  EXPECT_FALSE(logs.find_by_control_id(""));
  EXPECT_FALSE(logs.find_by_control_id("unknown"));
  Call bad = call("bad", 1, CallStatus::dialing);
  bad.contact_name = std::string("\xc3\x28");
  CW_EXPECT_ERROR(logs.insert(bad), errc::invalid_argument);
  EXPECT_EQ(logs.count(), 1);
}

TEST_P(Conformance, FindByControlIdTakesTheNewest) {
  LogStore logs(storage());
  Call a = call("a", 10, CallStatus::failed);
  a.call_control_id = "v3:same";
  Call b = call("b", 20, CallStatus::active);
  b.call_control_id = "v3:same";
  logs.insert(b);
  logs.insert(a);
  EXPECT_EQ(logs.find_by_control_id("v3:same")->call_id, "b");
}

TEST_P(Conformance, ListIsNewestFirstWithPaging) {
  LogStore logs(storage());
  for (int i = 0; i < 25; ++i) {
    char id[8];
    std::snprintf(id, sizeof id, "c%02d", i);
    logs.insert(call(id, i, CallStatus::completed));
  }
  // Two calls in the same millisecond: by id, descending.
  logs.insert(call("tie-a", 24, CallStatus::completed));
  logs.insert(call("tie-b", 24, CallStatus::completed));
  const auto first = ids(logs.list({}, {5, 0}));
  EXPECT_EQ(first, (std::vector<std::string>{"tie-b", "tie-a", "c24", "c23", "c22"}));
  EXPECT_EQ(ids(logs.list({}, {3, 24})), (std::vector<std::string>{"c02", "c01", "c00"}));
  EXPECT_EQ(ids(logs.list({}, {3, 25})), (std::vector<std::string>{"c01", "c00"}));
  EXPECT_TRUE(logs.list({}, {10, 100}).empty());
  EXPECT_EQ(logs.list().size(), 27u);  // default page: 50
  EXPECT_EQ(logs.count(), 27);
  CW_EXPECT_ERROR(logs.list({}, {0, 0}), errc::invalid_argument);
}

TEST_P(Conformance, SearchByNumberContactNameStatusAndDate) {
  LogStore logs(storage());
  Call a = call("a", 10, CallStatus::completed, "+12125551234", "+13105550000");
  a.contact_name = "Alice Smith";
  Call b = call("b", 20, CallStatus::failed, "+442079460958", "+13105550000");
  b.contact_name = "Bob";
  Call c = call("c", 30, CallStatus::completed, "+12125559999", "+13105551111");
  Call d = call("d", 86400 + 5, CallStatus::busy, "+33142685300", "+12125551234");
  for (const auto& x : {a, b, c, d}) logs.insert(x);

  const auto q = [&](std::string search, std::optional<CallStatus> st = std::nullopt) {
    CallFilter f;
    f.search = std::move(search);
    f.status = st;
    return ids(logs.list(f));
  };
  EXPECT_EQ(q("212 555-1234"), (std::vector<std::string>{"d", "a"}));  // to or from
  EXPECT_EQ(q("+44"), (std::vector<std::string>{"b"}));
  EXPECT_EQ(q("3105550000"), (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(q("smith"), (std::vector<std::string>{"a"}));
  EXPECT_EQ(q("ALICE s"), (std::vector<std::string>{"a"}));
  EXPECT_EQ(q("212", CallStatus::completed), (std::vector<std::string>{"c", "a"}));
  EXPECT_EQ(q("", CallStatus::failed), (std::vector<std::string>{"b"}));
  EXPECT_EQ(q(".*"), (std::vector<std::string>{}));
  EXPECT_EQ(q("nobody"), (std::vector<std::string>{}));

  CallFilter day1;
  day1.from = at(0);
  day1.to = at(86400);
  EXPECT_EQ(ids(logs.list(day1)), (std::vector<std::string>{"c", "b", "a"}));
  EXPECT_EQ(logs.count(day1), 3);
  day1.from = at(20);  // inclusive
  day1.to = at(30);    // exclusive
  EXPECT_EQ(ids(logs.list(day1)), (std::vector<std::string>{"b"}));
  CallFilter s;
  s.search = "212";
  EXPECT_EQ(logs.count(s), 3);
}

TEST_P(Conformance, StatsTotalsRatesAndDays) {
  LogStore logs(storage());
  const auto add = [&](std::string id, std::int64_t at_s, CallStatus st, std::int64_t duration, bool answered) {
    Call c = call(std::move(id), at_s, st);
    c.duration = duration;
    if (answered) c.answered_at = at(at_s + 1);
    logs.insert(c);
  };
  add("c1", 10, CallStatus::completed, 30, true);
  add("c2", 20, CallStatus::completed, 90, true);
  add("c3", 30, CallStatus::busy, 0, false);
  add("c4", 40, CallStatus::no_answer, 0, false);
  add("c5", 86400 + 10, CallStatus::failed, 0, false);
  add("c6", 86400 + 20, CallStatus::active, 0, true);
  add("c7", 2 * 86400 + 5, CallStatus::canceled, 0, false);
  add("c8", 2 * 86400 + 6, CallStatus::dialing, 0, false);

  const Stats s = logs.stats();
  EXPECT_EQ(s.total_calls, 8);
  EXPECT_EQ(s.completed_calls, 2);
  EXPECT_EQ(s.failed_calls, 4);
  EXPECT_EQ(s.active_calls, 2);
  EXPECT_EQ(s.total_duration, 120);
  EXPECT_DOUBLE_EQ(s.average_duration, 60.0);
  EXPECT_DOUBLE_EQ(s.answer_rate, 2.0 / 6.0);  // answered of the 6 ended calls
  EXPECT_EQ(s.by_status.at("completed"), 2);
  EXPECT_EQ(s.by_status.at("busy"), 1);
  EXPECT_EQ(s.by_status.at("ringing"), 0);
  EXPECT_EQ(s.by_status.size(), 8u);
  EXPECT_EQ(s.per_day, (std::map<std::string, std::int64_t>{{"2026-01-01", 4}, {"2026-01-02", 2}, {"2026-01-03", 2}}));

  CallFilter range;
  range.from = at(86400);
  range.to = at(5 * 86400);
  const Stats r = logs.stats(range);
  EXPECT_EQ(r.total_calls, 4);
  EXPECT_EQ(r.per_day, (std::map<std::string, std::int64_t>{
                           {"2026-01-02", 2}, {"2026-01-03", 2}, {"2026-01-04", 0}, {"2026-01-05", 0}}));
  EXPECT_DOUBLE_EQ(r.average_duration, 0.0);
  EXPECT_DOUBLE_EQ(r.answer_rate, 0.0);

  const Stats empty = LogStore(storage()).stats([] {
    CallFilter f;
    f.status = CallStatus::ringing;
    return f;
  }());
  EXPECT_EQ(empty.total_calls, 0);
  EXPECT_DOUBLE_EQ(empty.answer_rate, 0.0);
}

TEST_P(Conformance, CsvExportStreamsOneLinePerCall) {
  LogStore logs(storage());
  logs.insert(full_call());
  Call formula = call("c-formula", 200, CallStatus::failed);
  formula.contact_name = "=HYPERLINK(\"http://evil\")";
  formula.hangup_cause = "-dial";
  logs.insert(formula);
  logs.insert(call("c-other", 50, CallStatus::busy));

  std::vector<std::string> lines;
  CallFilter f;
  f.from = at(90);
  const auto n = logs.export_csv(f, [&](std::string_view line) { lines.emplace_back(line); });
  EXPECT_EQ(n, 2);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], std::string(LogStore::csv_header()) + "\r\n");
  EXPECT_EQ(lines[1],
            "c-formula,2026-01-01T00:03:20.000Z,outbound,+13105550199,+12125550100,failed,0,,,'-dial,,,,"
            "\"'=HYPERLINK(\"\"http://evil\"\")\",,,false,\r\n");
  EXPECT_EQ(lines[2],
            "c-full,2026-01-01T00:01:40.000Z,outbound,+13105550199,+12125550100,completed,60,2026-01-01T00:01:45.000Z,"
            "2026-01-01T00:02:45.000Z,normal_clearing,callee,,contact-1,\"Zoë O'Brien, \"\"Z\"\"\",rec-1,v3:ccid-full,true,user-7\r\n");

  std::ostringstream out;
  EXPECT_EQ(logs.export_csv({}, out), 3);
  const std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4);

  // A failing sink stops the export after the first row.
  int rows = 0;
  EXPECT_THROW(logs.export_csv({}, [&](std::string_view line) {
    if (line.substr(0, 7) == "call_id") return;
    ++rows;
    throw std::runtime_error("disk full");
  }),
               std::runtime_error);
  EXPECT_EQ(rows, 1);
  std::ostringstream broken;
  broken.setstate(std::ios::badbit);
  CW_EXPECT_ERROR(logs.export_csv({}, broken), errc::storage);
}

// ---- events ---------------------------------------------------------------

CallEvent event(std::string id, std::string ccid, std::int64_t at_s, std::string type = "call.initiated") {
  CallEvent e;
  e.id = std::move(id);
  e.call_control_id = std::move(ccid);
  e.occurred_at = at(at_s);
  e.event_type = std::move(type);
  return e;
}

TEST_P(Conformance, EventsAreStoredOnceAndListedInOrder) {
  LogStore logs(storage());
  CallEvent full = event("ev-1", "v3:c1", 10, "call.recording.saved");
  full.call_leg_id = "leg";
  full.call_session_id = "sess";
  full.connection_id = "conn";
  full.client_state = "YWJj";
  full.from = "+13105550199";
  full.to = "+12125550100";
  full.direction = "outgoing";
  full.state = "bridging";
  full.hangup_cause = "normal_clearing";
  full.hangup_source = "callee";
  full.sip_hangup_cause = "200";
  full.digit = "5";
  full.result = "human";
  full.recording_id = "rec";
  full.recording_url = "https://example.com/r.mp3";
  full.recording_format = "mp3";
  full.recording_started_at = at(11);
  full.recording_ended_at = at(12);
  full.payload_json = R"({"a":{"$gt":1},"b":[1,2]})";
  full.meta_json = R"({"attempt":1})";
  EXPECT_TRUE(logs.record_event(full));
  EXPECT_FALSE(logs.record_event(full));
  CallEvent changed = full;
  changed.event_type = "call.hangup";
  EXPECT_FALSE(logs.record_event(changed));  // same id: dropped, first one kept
  EXPECT_TRUE(logs.record_event(event("ev-3", "v3:c1", 5)));
  EXPECT_TRUE(logs.record_event(event("ev-2", "v3:c1", 10, "call.answered")));
  EXPECT_TRUE(logs.record_event(event("ev-9", "v3:other", 1)));
  const auto evs = logs.events_for_call("v3:c1");
  ASSERT_EQ(evs.size(), 3u);
  EXPECT_EQ(evs[0].id, "ev-3");
  EXPECT_EQ(dump(evs[1]), dump(full));
  EXPECT_EQ(evs[2].id, "ev-2");
  EXPECT_FALSE(evs[1].client_state == std::nullopt);
  EXPECT_FALSE(evs[0].client_state);
  CW_EXPECT_ERROR(logs.record_event(event("", "v3:c1", 1)), errc::invalid_argument);
}

TEST_P(Conformance, ConcurrentDuplicateEventsAreNewExactlyOnce) {
  constexpr int kThreads = 8;
  constexpr int kEvents = 10;
  LogStore logs(storage());
  for (int e = 0; e < kEvents; ++e) {
    std::atomic<int> fresh{0};
    std::atomic<int> errors{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    const std::string id = "dup-" + std::to_string(e);
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        while (!go.load()) std::this_thread::yield();
        try {
          CallEvent ev = event(id, "v3:race", i);
          if (logs.record_event(ev)) ++fresh;
        } catch (const std::exception& ex) {
          ADD_FAILURE() << ex.what();
          ++errors;
        }
      });
    }
    go = true;
    for (auto& t : threads) t.join();
    EXPECT_EQ(fresh.load(), 1) << id;
    EXPECT_EQ(errors.load(), 0);
  }
  EXPECT_EQ(logs.events_for_call("v3:race").size(), static_cast<std::size_t>(kEvents));
}

// ---- recordings -----------------------------------------------------------

TEST_P(Conformance, AnAgentsCallsAndRecordingsAreTheirsOnly) {
  LogStore logs(storage());
  for (auto [id, day, agent] : {std::tuple{"a1", 0, "u1"}, std::tuple{"a2", 1, "u2"}, std::tuple{"a3", 2, ""},
                                std::tuple{"a4", 3, "u1"}}) {
    Call c = call(id, day * 86400 + 10, CallStatus::completed);
    if (*agent) c.agent_id = agent;
    c.duration = 30;
    logs.insert(c);
  }
  EXPECT_EQ(logs.get("a1").agent_id, "u1");
  EXPECT_FALSE(logs.get("a3").agent_id.has_value());
  CallFilter mine;
  mine.agent_id = "u1";
  const auto listed = logs.list(mine, {});
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].call_id, "a4");
  EXPECT_EQ(listed[1].call_id, "a1");
  EXPECT_EQ(logs.count(mine), 2);
  EXPECT_EQ(logs.stats(mine).total_calls, 2);
  // Whole days in the range: the per-day counters count every agent, so the
  // agent's stats must not come from them.
  mine.from = at(0);
  mine.to = at(4 * 86400);
  EXPECT_EQ(logs.stats(mine).total_calls, 2);
  EXPECT_EQ(logs.stats(mine).total_duration, 60);
  mine.from.reset();
  mine.to.reset();
  std::vector<std::string> rows;
  EXPECT_EQ(logs.export_csv(mine, [&](std::string_view line) { rows.emplace_back(line); }), 2);
  EXPECT_TRUE(rows[0].ends_with(",agent_id\r\n"));
  EXPECT_TRUE(rows[1].ends_with(",u1\r\n"));
  CallFilter nobody;
  nobody.agent_id = "u9";
  EXPECT_TRUE(logs.list(nobody, {}).empty());

  Recording r;
  r.call_id = "a1";
  const Recording r1 = logs.attach_recording(r);
  EXPECT_EQ(r1.agent_id, "u1");  // copied from the call
  r.call_id = "a2";
  logs.attach_recording(r);
  r.call_id = "a3";
  logs.attach_recording(r);
  EXPECT_EQ(logs.list_recordings().size(), 3u);
  const auto theirs = logs.list_recordings({}, std::string("u1"));
  ASSERT_EQ(theirs.size(), 1u);
  EXPECT_EQ(theirs[0].id, r1.id);
  EXPECT_EQ(logs.get_recording(r1.id).agent_id, "u1");
}

TEST_P(Conformance, RecordingsAttachListGetRemove) {
  LogStore logs(storage());
  logs.insert(call("c1", 1, CallStatus::completed));
  logs.insert(call("c2", 2, CallStatus::completed));
  Recording r;
  r.call_id = "missing";
  EXPECT_THAT(CW_EXPECT_ERROR(logs.attach_recording(r), errc::not_found).what(), HasSubstr("call missing not found"));
  r.call_id = "c1";
  r.call_control_id = "v3:c1";
  r.telnyx_recording_id = "tx-1";
  r.url = "https://example.com/1.mp3";
  r.duration = 42;
  r.format = "mp3";
  r.channels = "dual";
  const Recording r1 = logs.attach_recording(r);
  EXPECT_EQ(r1.id.size(), 36u);
  Recording second;
  second.call_id = "c1";
  second.created_at = at(100000);
  const Recording r2 = logs.attach_recording(second);
  Recording third;
  third.call_id = "c2";
  third.id = "rec-three";
  third.created_at = at(50000);
  const Recording r3 = logs.attach_recording(third);
  EXPECT_STREQ(CW_EXPECT_ERROR(logs.attach_recording(third), errc::conflict).what(), "This recording already exists.");

  EXPECT_EQ(dump(logs.get_recording(r1.id)), dump(r1));
  const auto all = logs.list_recordings();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].id, r2.id);
  EXPECT_EQ(all[1].id, "rec-three");
  EXPECT_EQ(all[2].id, r1.id);
  EXPECT_EQ(logs.list_recordings({1, 1})[0].id, "rec-three");
  const auto for_c1 = logs.list_recordings_for_call("c1");
  ASSERT_EQ(for_c1.size(), 2u);
  EXPECT_EQ(dump(for_c1[0]), dump(r1));
  EXPECT_EQ(for_c1[1].id, r2.id);
  // A fresh URL (Telnyx's expire after 10 minutes) replaces the stored one.
  Recording fresh = r1;
  fresh.url = "https://example.com/1-fresh.mp3";
  fresh.duration = 43;
  logs.update_recording(fresh);
  EXPECT_EQ(dump(logs.get_recording(r1.id)), dump(fresh));
  EXPECT_EQ(logs.list_recordings_for_call("c1")[0].url, "https://example.com/1-fresh.mp3");
  Recording moved = fresh;
  moved.call_id = "c2";
  CW_EXPECT_ERROR(logs.update_recording(moved), errc::invalid_argument);
  EXPECT_EQ(logs.get_recording(r1.id).call_id, "c1");
  // Telnyx refused to delete it: the row stays, marked.
  Recording marked = fresh;
  marked.remote_delete_error = "Telnyx did not delete the recording (HTTP 503): it is kept here; try again later.";
  logs.update_recording(marked);
  EXPECT_EQ(dump(logs.get_recording(r1.id)), dump(marked));
  EXPECT_EQ(logs.list_recordings()[2].remote_delete_error, marked.remote_delete_error);
  fresh = marked;
  Recording unknown = fresh;
  unknown.id = "no-such-recording";
  CW_EXPECT_ERROR(logs.update_recording(unknown), errc::not_found);
  EXPECT_FALSE(logs.find_recording("no-such-recording"));
  logs.remove_recording(r1.id);
  EXPECT_FALSE(logs.find_recording(r1.id));
  CW_EXPECT_ERROR(logs.remove_recording(r1.id), errc::not_found);
  CW_EXPECT_ERROR(logs.get_recording(r1.id), errc::not_found);
  EXPECT_EQ(logs.list_recordings_for_call("c1").size(), 1u);
  EXPECT_EQ(logs.list_recordings_for_call("c2")[0].id, r3.id);
}

// ---- numbers --------------------------------------------------------------

PhoneNumber number(std::string n, std::string name = {}) {
  PhoneNumber p;
  p.number = std::move(n);
  p.name = std::move(name);
  return p;
}

std::vector<std::string> defaults(const std::vector<PhoneNumber>& ns) {
  std::vector<std::string> out;
  for (const auto& n : ns) {
    if (n.is_default) out.push_back(n.number);
  }
  return out;
}

TEST_P(Conformance, NumbersHaveExactlyOneDefault) {
  NumberStore numbers(storage());
  EXPECT_TRUE(numbers.list().empty());
  EXPECT_FALSE(numbers.default_number());
  const auto a = numbers.create(number("+1 212 555 0001", "Main"));
  EXPECT_TRUE(a.is_default);  // the first number is the default
  EXPECT_EQ(a.number, "+12125550001");
  EXPECT_EQ(a.status, "active");
  const auto b = numbers.create(number("+12125550002"));
  EXPECT_FALSE(b.is_default);
  const auto c = numbers.create(number("+12125550003"));
  EXPECT_EQ(defaults(numbers.list()), (std::vector<std::string>{"+12125550001"}));

  EXPECT_TRUE(numbers.set_default(c.id).is_default);
  EXPECT_EQ(defaults(numbers.list()), (std::vector<std::string>{"+12125550003"}));
  EXPECT_EQ(numbers.default_number()->id, c.id);
  EXPECT_FALSE(numbers.get(a.id).is_default);
  EXPECT_TRUE(numbers.get(c.id).is_default);

  auto d_in = number("+12125550004");
  d_in.is_default = true;
  const auto d = numbers.create(d_in);
  EXPECT_TRUE(d.is_default);
  EXPECT_EQ(defaults(numbers.list()), (std::vector<std::string>{"+12125550004"}));

  // Removing the default hands it to the oldest number.
  numbers.remove(d.id);
  EXPECT_EQ(defaults(numbers.list()), (std::vector<std::string>{"+12125550001"}));
  numbers.remove(a.id);
  EXPECT_EQ(defaults(numbers.list()), (std::vector<std::string>{"+12125550002"}));
  const auto listed = numbers.list();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, b.id);  // oldest first
  EXPECT_EQ(listed[1].id, c.id);

  CW_EXPECT_ERROR(numbers.set_default("missing"), errc::not_found);
  CW_EXPECT_ERROR(numbers.remove("missing"), errc::not_found);
  CW_EXPECT_ERROR(numbers.get("missing"), errc::not_found);
  EXPECT_THAT(CW_EXPECT_ERROR(numbers.create(number("bogus")), errc::invalid_argument).what(), HasSubstr("number:"));
  const auto dup = CW_EXPECT_ERROR(numbers.create(number("+1-212-555-0002")), errc::conflict);
  EXPECT_STREQ(dup.what(), "This number is already in your list.");
  EXPECT_THAT(dup.detail(), HasSubstr("number +12125550002 (id "));
  // The backend's own message is kept, in the detail.
  std::string lower = dup.detail();
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
  EXPECT_THAT(lower, ::testing::AnyOf(HasSubstr("unique constraint failed"), HasSubstr("duplicate key")));
  EXPECT_EQ(numbers.list().size(), 2u);
}

// What a client may see of a conflict is a sentence in its own terms; the
// backend's text (the SQL constraint or the duplicate key error, the file)
// is in the detail, for logs.
TEST_P(Conformance, ConflictsAreSentencesWithTheBackendTextInTheDetail) {
  const auto backend_text = [&](const Error& e) {
    std::string lower = e.detail();
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
    if (mongo()) {
      EXPECT_THAT(lower, HasSubstr("mongodb: insert into "));
      EXPECT_THAT(lower, HasSubstr("duplicate key"));
    } else {
      EXPECT_THAT(lower, HasSubstr("sqlite: insert into "));
      EXPECT_THAT(lower, HasSubstr("unique constraint failed"));
      EXPECT_THAT(e.detail(), HasSubstr(dir_.file("callwire.db")));
    }
  };

  NumberStore numbers(storage());
  const auto first = numbers.create(number("+1 212 555 0001", "Main"));
  const auto twice = CW_EXPECT_ERROR(numbers.create(number("+1 (212) 555-0001", "Again")), errc::conflict);
  EXPECT_STREQ(twice.what(), "This number is already in your list.");
  expect_client_safe(twice);
  backend_text(twice);
  EXPECT_THAT(twice.detail(), HasSubstr("number +12125550001 (id "));
  if (!mongo()) {
    EXPECT_THAT(twice.detail(), HasSubstr("numbers.number"));
  }
  auto same_id = number("+12125550009");
  same_id.id = first.id;
  const auto taken = CW_EXPECT_ERROR(numbers.create(same_id), errc::conflict);
  EXPECT_STREQ(taken.what(), "A number with this id is already in your list.");
  expect_client_safe(taken);
  backend_text(taken);
  EXPECT_EQ(numbers.list().size(), 1u);

  ContactStore contacts(storage());
  Contact c = contact("Ann", "+12125550111");
  c.id = "ann";
  contacts.create(c);
  const auto contact_twice = CW_EXPECT_ERROR(contacts.create(c), errc::conflict);
  EXPECT_STREQ(contact_twice.what(), "This contact already exists.");
  expect_client_safe(contact_twice);
  backend_text(contact_twice);

  LogStore logs(storage());
  logs.insert(call("c1", 1, CallStatus::completed));
  const auto call_twice = CW_EXPECT_ERROR(logs.insert(call("c1", 2, CallStatus::dialing)), errc::conflict);
  EXPECT_STREQ(call_twice.what(), "This call is already in the call log.");
  expect_client_safe(call_twice);
  backend_text(call_twice);

  Recording r;
  r.call_id = "c1";
  r.id = "rec-1";
  logs.attach_recording(r);
  const auto recording_twice = CW_EXPECT_ERROR(logs.attach_recording(r), errc::conflict);
  EXPECT_STREQ(recording_twice.what(), "This recording already exists.");
  expect_client_safe(recording_twice);
  backend_text(recording_twice);
}

TEST_P(Conformance, FirstNumberStaysTheDefaultWhenAllShareOneTimestamp) {
  // Numbers added within one millisecond tie on created_at; the first one
  // added must still be the default (not whichever has the smallest id).
  StorageOptions o;
  o.timeout = std::chrono::milliseconds(3000);
  o.clock = [] { return at(7); };
  NumberStore numbers(Storage::open(url(), o));
  const auto first = numbers.create(number("+12125550009"));
  EXPECT_TRUE(first.is_default);
  for (int i = 1; i <= 8; ++i) {
    EXPECT_FALSE(numbers.create(number("+1212555000" + std::to_string(i))).is_default) << i;
  }
  EXPECT_EQ(defaults(numbers.list()), (std::vector<std::string>{"+12125550009"}));
  EXPECT_EQ(numbers.default_number()->id, first.id);
}

TEST_P(Conformance, ConcurrentSetDefaultKeepsExactlyOneDefault) {
  NumberStore numbers(storage());
  std::vector<std::string> idv;
  for (int i = 0; i < 4; ++i) idv.push_back(numbers.create(number("+1212555010" + std::to_string(i))).id);
  std::atomic<bool> stop{false};
  std::atomic<int> violations{0};
  std::atomic<int> reads{0};
  std::thread reader([&] {
    while (!stop.load()) {
      const auto list = numbers.list();
      if (defaults(list).size() != 1 || list.size() != 4) ++violations;
      ++reads;
    }
  });
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      for (int k = 0; k < 15; ++k) {
        try {
          numbers.set_default(idv[static_cast<std::size_t>((w + k) % 4)]);
        } catch (const std::exception& e) {
          ADD_FAILURE() << e.what();
        }
      }
    });
  }
  for (auto& t : writers) t.join();
  stop = true;
  reader.join();
  EXPECT_EQ(violations.load(), 0) << "over " << reads.load() << " reads";
  EXPECT_GT(reads.load(), 0);
  const auto list = numbers.list();
  ASSERT_EQ(defaults(list).size(), 1u);
  EXPECT_EQ(numbers.default_number()->number, defaults(list)[0]);
}

// ---- settings -------------------------------------------------------------

TEST_P(Conformance, SettingsSaveGetAndMask) {
  SettingsStore settings(storage());
  EXPECT_FALSE(settings.find());
  EXPECT_EQ(dump(settings.get()), dump(Settings{}));  // nothing invented: an empty field is "not set"
  // The default-number pointer lives in the same record: still "never saved".
  NumberStore numbers(storage());
  numbers.set_default(numbers.create(number("+12125550001")).id);
  EXPECT_FALSE(settings.find());

  Settings s;
  s.api_key = "KEY0123456789abcdef";
  s.api_v2_key = "V2KEY_secret_wxyz";
  s.webhook_url = "https://hooks.example.com/webhooks/call";
  s.connection_id = "1234567890";
  s.public_key = "jrMBoswHlhhVx2W2Www72WU/xn4UMpjreslD0m2u0qs=";
  s.auto_record = true;
  s.recording_channels = "single";
  s.demo_mode = true;
  const Settings saved = settings.save(s);
  EXPECT_EQ(saved.api_base, "");  // stored as saved; the default base is the client's and the carrier's
  EXPECT_NE(saved.updated_at, TimePoint{});
  EXPECT_EQ(dump(*settings.find()), dump(saved));
  EXPECT_EQ(numbers.default_number()->number, "+12125550001");  // untouched by the save

  const Settings m = settings.get_masked();
  EXPECT_EQ(m.api_key, "****cdef");
  EXPECT_EQ(m.api_v2_key, "****wxyz");
  EXPECT_EQ(m.webhook_url, s.webhook_url);

  // Sending the masked view back keeps the secrets; a new key replaces them.
  Settings round = m;
  round.auto_record = false;
  round.recording_channels = "dual";
  settings.save(round);
  EXPECT_EQ(settings.get().api_key, "KEY0123456789abcdef");
  EXPECT_EQ(settings.get().api_v2_key, "V2KEY_secret_wxyz");
  EXPECT_FALSE(settings.get().auto_record);
  EXPECT_EQ(settings.get().recording_channels, "dual");
  round.api_key = "NEWKEY987654321";
  settings.save(round);
  EXPECT_EQ(settings.get().api_key, "NEWKEY987654321");

  Settings bad = settings.get();
  bad.webhook_url = "javascript:alert(1)";
  EXPECT_THAT(CW_EXPECT_ERROR(settings.save(bad), errc::invalid_argument).what(), HasSubstr("webhook_url"));
  EXPECT_EQ(settings.get().webhook_url, s.webhook_url);
}

INSTANTIATE_TEST_SUITE_P(Backends, Conformance, ::testing::Values("sqlite", "mongodb"), backend_name);

}  // namespace
}  // namespace callwire::test
