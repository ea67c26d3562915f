// callwire — LogStore: call logs (`call_logs`), received webhook events
// (`call_events`), recordings (`recordings`), statistics and CSV export.
// Thread-safe: see callwire/storage.hpp.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callwire/storage.hpp"
#include "callwire/types.hpp"

namespace callwire {

/// Which calls a query covers.
struct CallFilter {
  /// A fragment of to_number / from_number (separators in the fragment are
  /// ignored) or of contact_name (case-insensitive for ASCII letters).
  /// Matched literally: never a pattern or an operator.
  std::string search;
  std::optional<CallStatus> status;
  std::optional<TimePoint> from;  ///< created_at >= from
  std::optional<TimePoint> to;    ///< created_at < to
  std::optional<std::string> agent_id;  ///< only the calls this user placed
};

class LogStore {
 public:
  explicit LogStore(Storage storage);

  // ---- calls (`call_logs`) -------------------------------------------------

  /// Stores a new call. Assigns call_id (UUID v4) when empty and
  /// created_at/updated_at when unset. errc::conflict when call_id exists.
  Call insert(Call call);
  /// Replaces the stored call with the same call_id. errc::not_found when absent.
  void update(const Call& call);
  /// The same, given the call as it is stored now (read in the same
  /// transaction): writes only the fields that differ from `stored`, so the
  /// indexes of unchanged fields are not rewritten. Nothing is written when
  /// nothing differs. errc::invalid_argument when the ids differ.
  void update(const Call& call, const Call& stored);
  Call get(std::string_view call_id) const;  ///< errc::not_found when absent
  std::optional<Call> find(std::string_view call_id) const;
  /// The newest call with this Telnyx call_control_id.
  std::optional<Call> find_by_control_id(std::string_view call_control_id) const;
  /// Newest first (created_at, then call_id, descending).
  std::vector<Call> list(const CallFilter& filter = {}, Page page = {}) const;
  /// How many calls match (no paging).
  std::int64_t count(const CallFilter& filter = {}) const;

  /// Totals by status, average duration, answer rate, per-day counts (UTC
  /// dates of created_at) over the calls the filter covers.
  Stats stats(const CallFilter& filter = {}) const;

  /// Writes the matching calls as CSV (RFC 4180, CRLF, a header line first),
  /// newest first, one line per sink call, read from the database row by row
  /// — never the whole export in memory. Cells that a spreadsheet would take
  /// for a formula get a leading apostrophe. An exception from the sink stops
  /// the export and propagates. Returns the number of calls written.
  std::int64_t export_csv(const CallFilter& filter, const std::function<void(std::string_view line)>& sink) const;
  /// The same into a stream; errc::storage when the stream fails.
  std::int64_t export_csv(const CallFilter& filter, std::ostream& out) const;
  /// The CSV header line export_csv writes first (without the CRLF).
  static std::string_view csv_header() noexcept;

  // ---- webhook events (`call_events`) ---------------------------------------

  /// Stores the event unless one with the same id is already stored. True
  /// when it was new. Atomic: of any number of concurrent calls with one id,
  /// exactly one returns true.
  bool record_event(const CallEvent& event);
  /// The stored events of one call, by occurred_at then id.
  std::vector<CallEvent> events_for_call(std::string_view call_control_id) const;

  // ---- batches ---------------------------------------------------------------

  /// Runs fn as one storage transaction, for writers that group many changes
  /// into one commit (CallClient's webhook ingest). SQLite: BEGIN IMMEDIATE …
  /// COMMIT — every operation fn makes on this thread, through this or any
  /// other store on the same Storage, runs inside it and sees the earlier
  /// ones; all of them commit together or none does (an exception from fn or
  /// a failed commit rolls back and propagates). fn must not wait for other
  /// threads that use the storage: the write lock is held until it returns.
  /// MongoDB: no multi-document transaction — fn's operations commit one by
  /// one as they run; atomic_transactions() is false.
  void transaction(const std::function<void()>& fn);
  /// True when transaction() is all-or-nothing (SQLite).
  bool atomic_transactions() const noexcept;

  // ---- recordings (`recordings`) -------------------------------------------

  /// Attaches a recording to call_id (which must exist: errc::not_found).
  /// Assigns id/created_at when unset.
  Recording attach_recording(Recording recording);
  /// Newest first.
  /// Only the recordings of `agent_id`'s calls when it is set.
  std::vector<Recording> list_recordings(Page page = {},
                                         const std::optional<std::string>& agent_id = std::nullopt) const;
  /// The recordings of one call, oldest first.
  std::vector<Recording> list_recordings_for_call(std::string_view call_id) const;
  Recording get_recording(std::string_view id) const;  ///< errc::not_found when absent
  std::optional<Recording> find_recording(std::string_view id) const;
  /// Rewrites a stored recording's fields (all but `id`; `call_id` must stay
  /// the same: errc::invalid_argument otherwise) — e.g. a fresh download
  /// URL. errc::not_found when absent.
  void update_recording(const Recording& recording);
  /// errc::not_found when absent.
  void remove_recording(std::string_view id);

 private:
  Storage storage_;
};

}  // namespace callwire
