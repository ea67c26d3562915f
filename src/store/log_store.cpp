// LogStore: call logs, webhook events, recordings, statistics, CSV export.
#include "callwire/log_store.hpp"

#include <array>
#include <ostream>

#include "callwire/error.hpp"
#include "callwire/json.hpp"
#include "store/errors.hpp"
#include "store/schema.hpp"
#include "store/util.hpp"

namespace callwire {

using namespace store_detail;

namespace {

Backend& be(const Storage& s) { return *s.backend_impl(); }

std::string call_not_found(std::string_view id) { return "call " + std::string(id) + " not found"; }
std::string recording_not_found(std::string_view id) { return "recording " + std::string(id) + " not found"; }

Filter to_filter(const CallFilter& f) {
  Filter out;
  if (f.status) {
    if (!parse_call_status(to_string(*f.status))) throw Error(errc::invalid_argument, "status: unknown call status");
    out.all.push_back({"status", Cond::Op::eq, std::string(to_string(*f.status))});
  }
  if (f.from) out.all.push_back({"created_at", Cond::Op::gte, json::format_time(*f.from)});
  if (f.to) out.all.push_back({"created_at", Cond::Op::lt, json::format_time(*f.to)});
  if (f.agent_id) out.all.push_back({"agent_id", Cond::Op::eq, *f.agent_id});
  const std::string q = check_search(f.search);
  if (!q.empty()) {
    out.any.push_back({"contact_name", Cond::Op::contains_ci, q});
    if (auto digits = phone_fragment(q); !digits.empty()) {
      out.any.push_back({"to_number", Cond::Op::contains, digits});
      out.any.push_back({"from_number", Cond::Op::contains, digits});
    }
  }
  return out;
}

/// What the search of a filter looks for (the `any` conditions to_filter
/// makes), or nullopt without a search.
std::optional<CallSearch> call_search(const CallFilter& f) {
  std::string q = check_search(f.search);
  if (q.empty()) return std::nullopt;
  CallSearch s;
  s.number = phone_fragment(q);
  s.name = std::move(q);
  return s;
}

FindOptions newest_first() {
  FindOptions o;
  o.sort = {{"created_at", true}, {"id", true}};
  return o;
}

Row checked_row(const Call& c) {
  Row row = to_row(c);
  check_row(calls_table(), row);
  return row;
}

// ---- CSV ------------------------------------------------------------------

constexpr std::string_view kCsvHeader =
    "call_id,created_at,direction,from_number,to_number,status,duration,answered_at,ended_at,hangup_cause,"
    "hangup_source,failure_reason,contact_id,contact_name,recording_id,call_control_id,demo,agent_id";

bool plain_number(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i == s.size()) return false;
  bool dot = false;
  for (; i < s.size(); ++i) {
    if (s[i] == '.' && !dot) dot = true;
    else if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

void cell(std::string& line, std::string_view v) {
  if (!line.empty()) line += ',';
  std::string text;
  // A leading = + - @ tab or CR makes spreadsheets evaluate the cell; quote
  // it away unless the cell is a plain number such as +12125551234.
  if (!v.empty() && (v[0] == '=' || v[0] == '@' || v[0] == '\t' || v[0] == '\r' ||
                     ((v[0] == '+' || v[0] == '-') && !plain_number(v)))) {
    text = "'";
  }
  text += v;
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    line += text;
    return;
  }
  line += '"';
  for (const char c : text) {
    if (c == '"') line += '"';
    line += c;
  }
  line += '"';
}

std::string csv_line(const Call& c) {
  std::string line;
  const auto opt_time = [](const std::optional<TimePoint>& t) { return t ? json::format_time(*t) : std::string(); };
  cell(line, c.call_id);
  cell(line, json::format_time(c.created_at));
  cell(line, to_string(c.direction));
  cell(line, c.from_number);
  cell(line, c.to_number);
  cell(line, to_string(c.status));
  cell(line, std::to_string(c.duration));
  cell(line, opt_time(c.answered_at));
  cell(line, opt_time(c.ended_at));
  cell(line, c.hangup_cause);
  cell(line, c.hangup_source);
  cell(line, c.failure_reason);
  cell(line, c.contact_id.value_or(""));
  cell(line, c.contact_name.value_or(""));
  cell(line, c.recording_id.value_or(""));
  cell(line, c.call_control_id);
  cell(line, c.demo ? "true" : "false");
  cell(line, c.agent_id.value_or(""));
  line += "\r\n";
  return line;
}

// ---- stats ----------------------------------------------------------------

constexpr std::array<CallStatus, 8> kStatuses{CallStatus::dialing,   CallStatus::ringing, CallStatus::active,
                                              CallStatus::completed, CallStatus::busy,    CallStatus::no_answer,
                                              CallStatus::canceled,  CallStatus::failed};

std::string utc_day(TimePoint t) { return json::format_time(t).substr(0, 10); }

using days = std::chrono::duration<std::int64_t, std::ratio<86400>>;

TimePoint day_start(TimePoint t) { return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::floor<days>(t)); }

/// The groups stats() adds up: status, UTC day, answered. Without a search,
/// a backend with day counters (SQLite) answers the whole days of the range
/// from them, and only the partial days at a from / to that is not midnight
/// UTC from call_logs (a range of the created_at index); the result is the
/// same as one group() over the range.
std::vector<GroupRow> stats_groups(Backend& b, const CallFilter& filter) {
  const std::vector<GroupKey> keys{{"status", 0, false}, {"created_at", 10, false}, {"answered_at", 0, true}};
  const auto group = [&](const Filter& f) { return b.group(calls_table(), f, keys, "duration"); };
  const Filter all = to_filter(filter);
  // The day counters count every agent's calls together.
  if (!all.any.empty() || filter.agent_id || (filter.from && filter.to && *filter.from >= *filter.to)) return group(all);
  // Whole days [first, end): first is the first midnight at or after from,
  // end the last midnight at or before to.
  std::optional<TimePoint> first;
  std::optional<TimePoint> end;
  if (filter.from) first = day_start(*filter.from) == *filter.from ? *filter.from : day_start(*filter.from) + days(1);
  if (filter.to) end = day_start(*filter.to);
  if (first && end && *first >= *end) return group(all);  // under two days
  const std::optional<std::string> status =
      filter.status ? std::optional<std::string>(std::string(to_string(*filter.status))) : std::nullopt;
  auto out = b.call_log_day_totals(first ? utc_day(*first) : std::string(), end ? utc_day(*end) : std::string(), status);
  if (!out) return group(all);
  const auto add_partial = [&](TimePoint from, TimePoint to) {
    CallFilter part;
    part.status = filter.status;
    part.from = from;
    part.to = to;
    for (auto& g : group(to_filter(part))) out->push_back(std::move(g));
  };
  if (first && *filter.from < *first) add_partial(*filter.from, *first);
  if (end && *end < *filter.to) add_partial(*end, *filter.to);
  return std::move(*out);
}

}  // namespace

LogStore::LogStore(Storage storage) : storage_(std::move(storage)) {}

// ---- calls ----------------------------------------------------------------

Call LogStore::insert(Call c) {
  if (c.call_id.empty()) c.call_id = new_id();
  else check_id(c.call_id, "call_id");
  if (c.created_at == TimePoint{}) c.created_at = storage_.now();
  if (c.updated_at == TimePoint{}) c.updated_at = c.created_at;
  try {
    be(storage_).insert(calls_table(), checked_row(c));
  } catch (const Error& e) {
    if (e.code() == errc::conflict) {
      throw Error(errc::conflict, "This call is already in the call log.",
                  "call " + c.call_id + " already exists: " + e.detail());
    }
    throw;
  }
  return c;
}

void LogStore::update(const Call& c) {
  if (c.call_id.empty()) throw Error(errc::invalid_argument, "call_id: must not be empty");
  if (!be(storage_).update(calls_table(), c.call_id, all_but_id(calls_table(), checked_row(c)), {})) {
    throw Error(errc::not_found, call_not_found(c.call_id));
  }
}

void LogStore::update(const Call& c, const Call& stored) {
  if (c.call_id != stored.call_id) throw Error(errc::invalid_argument, "call_id: the stored call is another call");
  Row row = to_row(c);
  const Row old = to_row(stored);
  const auto& cols = calls_table().columns;
  Assignments changed;
  for (std::size_t i = 1; i < cols.size() && i < row.size(); ++i) {
    if (i < old.size() && row[i] == old[i]) continue;
    check_value(calls_table(), i, row[i]);  // what is stored already was checked when it was written
    changed.emplace_back(cols[i].name, std::move(row[i]));
  }
  if (changed.empty()) return;
  if (!be(storage_).update(calls_table(), c.call_id, changed, {})) throw Error(errc::not_found, call_not_found(c.call_id));
}

std::optional<Call> LogStore::find(std::string_view id) const {
  auto row = be(storage_).get(calls_table(), id);
  if (!row) return std::nullopt;
  return call_from_row(*row);
}

Call LogStore::get(std::string_view id) const {
  auto c = find(id);
  if (!c) throw Error(errc::not_found, call_not_found(id));
  return *c;
}

std::optional<Call> LogStore::find_by_control_id(std::string_view ccid) const {
  if (ccid.empty()) return std::nullopt;
  Filter f;
  f.all.push_back({"call_control_id", Cond::Op::eq, std::string(ccid)});
  auto row = be(storage_).find_one(calls_table(), f, newest_first());
  if (!row) return std::nullopt;
  return call_from_row(*row);
}

std::vector<Call> LogStore::list(const CallFilter& filter, Page page) const {
  check_page(page);
  FindOptions o = newest_first();
  o.limit = page.limit;
  o.offset = page.offset;
  std::vector<Call> out;
  const Filter f = to_filter(filter);
  const RowSink sink = [&](const Row& r) { out.push_back(call_from_row(r)); };
  const auto search = call_search(filter);
  if (search && be(storage_).find_call_logs(f, *search, o, sink)) return out;
  be(storage_).find(calls_table(), f, o, sink);
  return out;
}

std::int64_t LogStore::count(const CallFilter& filter) const {
  const Filter f = to_filter(filter);
  if (const auto search = call_search(filter)) {
    if (const auto n = be(storage_).count_call_logs(f, *search)) return *n;
  }
  return be(storage_).count(calls_table(), f);
}

Stats LogStore::stats(const CallFilter& filter) const {
  Stats s;
  for (const auto st : kStatuses) s.by_status[std::string(to_string(st))] = 0;
  // Every UTC day of a bounded range appears, with 0 when it had no calls.
  if (filter.from && filter.to && *filter.from < *filter.to) {
    const auto first = std::chrono::floor<days>(*filter.from);
    const auto last = *filter.to - std::chrono::milliseconds(1);
    if (last - first <= days(400)) {
      for (auto d = first; d <= last; d += days(1)) {
        s.per_day[utc_day(std::chrono::time_point_cast<std::chrono::milliseconds>(d))] = 0;
      }
    }
  }
  std::int64_t completed_duration = 0;
  std::int64_t ended = 0;
  std::int64_t answered = 0;
  for (const auto& g : stats_groups(be(storage_), filter)) {
    const auto* status_text = std::get_if<std::string>(&g.keys[0]);
    const auto* day = std::get_if<std::string>(&g.keys[1]);
    const auto* was_answered = std::get_if<bool>(&g.keys[2]);
    const auto status = status_text != nullptr ? parse_call_status(*status_text) : std::nullopt;
    if (!status) {
      throw Error(errc::storage, sentence::kUnreadable,
                  "storage: call_logs holds an unknown status '" + (status_text ? *status_text : std::string()) + "'");
    }
    s.total_calls += g.count;
    s.by_status[*status_text] += g.count;
    if (day != nullptr) s.per_day[*day] += g.count;
    s.total_duration += g.sum;
    if (*status == CallStatus::completed) completed_duration += g.sum;
    if (is_terminal(*status)) {
      ended += g.count;
      if (was_answered != nullptr && *was_answered) answered += g.count;
    }
  }
  s.completed_calls = s.by_status["completed"];
  s.failed_calls = s.by_status["failed"] + s.by_status["busy"] + s.by_status["no_answer"] + s.by_status["canceled"];
  s.active_calls = s.by_status["dialing"] + s.by_status["ringing"] + s.by_status["active"];
  s.average_duration = s.completed_calls > 0 ? static_cast<double>(completed_duration) / static_cast<double>(s.completed_calls) : 0.0;
  s.answer_rate = ended > 0 ? static_cast<double>(answered) / static_cast<double>(ended) : 0.0;
  return s;
}

std::string_view LogStore::csv_header() noexcept { return kCsvHeader; }

std::int64_t LogStore::export_csv(const CallFilter& filter, const std::function<void(std::string_view)>& sink) const {
  const Filter f = to_filter(filter);
  sink(std::string(kCsvHeader) + "\r\n");
  std::int64_t n = 0;
  be(storage_).find(calls_table(), f, newest_first(), [&](const Row& r) {
    sink(csv_line(call_from_row(r)));
    ++n;
  });
  return n;
}

std::int64_t LogStore::export_csv(const CallFilter& filter, std::ostream& out) const {
  return export_csv(filter, [&](std::string_view line) {
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
    if (!out) throw Error(errc::storage, "csv export: writing to the output stream failed");
  });
}

// ---- events ---------------------------------------------------------------

bool LogStore::record_event(const CallEvent& e) {
  if (e.id.empty()) throw Error(errc::invalid_argument, "event id: must not be empty");
  check_text(e.id, "event id", 256);
  Row row = to_row(e, storage_.now());
  check_row(events_table(), row);
  return be(storage_).insert_new(events_table(), row);
}

void LogStore::transaction(const std::function<void()>& fn) { be(storage_).transaction(fn); }

bool LogStore::atomic_transactions() const noexcept { return be(storage_).atomic_transactions(); }

std::vector<CallEvent> LogStore::events_for_call(std::string_view ccid) const {
  Filter f;
  f.all.push_back({"call_control_id", Cond::Op::eq, std::string(ccid)});
  FindOptions o;
  o.sort = {{"occurred_at", false}, {"id", false}};
  std::vector<CallEvent> out;
  be(storage_).find(events_table(), f, o, [&](const Row& r) { out.push_back(event_from_row(r)); });
  return out;
}

// ---- recordings -----------------------------------------------------------

Recording LogStore::attach_recording(Recording r) {
  if (r.call_id.empty()) throw Error(errc::invalid_argument, "call_id: must not be empty");
  const auto call = find(r.call_id);
  if (!call) throw Error(errc::not_found, call_not_found(r.call_id));
  r.agent_id = call->agent_id;
  if (r.id.empty()) r.id = new_id();
  else check_id(r.id, "id");
  if (r.created_at == TimePoint{}) r.created_at = storage_.now();
  Row row = to_row(r);
  check_row(recordings_table(), row);
  try {
    be(storage_).insert(recordings_table(), row);
  } catch (const Error& e) {
    if (e.code() == errc::conflict) {
      throw Error(errc::conflict, "This recording already exists.", "recording " + r.id + " already exists: " + e.detail());
    }
    throw;
  }
  return r;
}

std::vector<Recording> LogStore::list_recordings(Page page, const std::optional<std::string>& agent_id) const {
  check_page(page);
  FindOptions o = newest_first();
  o.limit = page.limit;
  o.offset = page.offset;
  Filter f;
  if (agent_id) f.all.push_back({"agent_id", Cond::Op::eq, *agent_id});
  std::vector<Recording> out;
  be(storage_).find(recordings_table(), f, o, [&](const Row& row) { out.push_back(recording_from_row(row)); });
  return out;
}

std::vector<Recording> LogStore::list_recordings_for_call(std::string_view call_id) const {
  Filter f;
  f.all.push_back({"call_id", Cond::Op::eq, std::string(call_id)});
  FindOptions o;
  o.sort = {{"created_at", false}, {"id", false}};
  std::vector<Recording> out;
  be(storage_).find(recordings_table(), f, o, [&](const Row& row) { out.push_back(recording_from_row(row)); });
  return out;
}

std::optional<Recording> LogStore::find_recording(std::string_view id) const {
  auto row = be(storage_).get(recordings_table(), id);
  if (!row) return std::nullopt;
  return recording_from_row(*row);
}

Recording LogStore::get_recording(std::string_view id) const {
  auto r = find_recording(id);
  if (!r) throw Error(errc::not_found, recording_not_found(id));
  return *r;
}

void LogStore::update_recording(const Recording& r) {
  Row row = to_row(r);
  check_row(recordings_table(), row);
  // One write when the recording is there and stays on its call; a read only
  // to say which of the two it was not.
  Filter same_call;
  same_call.all.push_back({"call_id", Cond::Op::eq, r.call_id});
  if (be(storage_).update(recordings_table(), r.id, all_but_id(recordings_table(), row), same_call)) return;
  if (!find_recording(r.id)) throw Error(errc::not_found, recording_not_found(r.id));
  throw Error(errc::invalid_argument, "call_id: a recording cannot move to another call");
}

void LogStore::remove_recording(std::string_view id) {
  if (!be(storage_).remove(recordings_table(), id, {})) throw Error(errc::not_found, recording_not_found(id));
}

}  // namespace callwire
