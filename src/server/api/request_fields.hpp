// The requests the REST API and the C ABI both take — dial and speak options, contact
// records and patches, contact and call-log filters, pages — decoded in one
// place, with one set of rules and one wording for every refusal
// (docs/server.md, "Request fields"). The REST API reads them from a JSON
// body or, for the filters of a GET, from the query string; the C ABI from
// its JSON parameters. Either way a field is looked up by name through
// RequestFields, which gives the same types from both sources.
//
// Refusals are Error(invalid_argument) whose message starts with the field
// name ("category: must be one of lead, client, follow_up, other (got 'x')");
// the C ABI prefixes its parameter name ("filter_json.category: …").
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>
#include <optional>
#include <string>
#include <string_view>

#include "callwire/call_client.hpp"
#include "callwire/contact_store.hpp"
#include "callwire/log_store.hpp"
#include "callwire/types.hpp"
#include "callwire/user_store.hpp"
#include "json/body.hpp"

namespace callwire::server {

/// A request's named fields, from a JSON object or a query string.
class RequestFields {
 public:
  using QueryParam = std::function<std::optional<std::string>(std::string_view name)>;

  /// A JSON body: each field has its JSON type (a string where a boolean is
  /// wanted is refused).
  static RequestFields of(const json::Body& body);
  /// A query string: every value is text; booleans are true/false/1/0/yes/no,
  /// integers digits only. An empty value counts as absent.
  static RequestFields of_query(QueryParam param);

  std::optional<std::string> string(std::string_view field) const;
  std::optional<bool> boolean(std::string_view field) const;
  std::optional<std::int64_t> integer(std::string_view field) const;
  /// True when the field is present as text (always so in a query string).
  bool is_string(std::string_view field) const;
  /// A field that is an object (JSON only; refused in a query string).
  std::optional<RequestFields> object(std::string_view field) const;
  /// The names of the fields present (JSON only; empty for a query string).
  std::vector<std::string> names() const;

 private:
  const json::Body* body_ = nullptr;
  std::shared_ptr<const json::Body> owned_;  ///< a nested object's Body
  QueryParam query_;
};

/// category: lead, client, follow_up or other.
ContactCategory contact_category(const std::string& text);

/// {limit, offset}: limit 1 to Page::kMaxPageSize (default `default_limit`),
/// offset from 0.
Page page(const RequestFields& f, std::size_t default_limit);

/// {record, answering_machine_detection (a mode name — amd.hpp — or true =
/// detect / false = disabled), answering_machine_detection_config (an object
/// of the thresholds, whole numbers), connection_id, contact_id, agent_id}.
DialOptions dial_options(const RequestFields& f);

/// {voice, language, payload_type} of a speak request (CallClient::speak
/// checks the values: the speak rule of core/media.hpp).
SpeakOptions speak_options(const RequestFields& f);

/// A new contact: {name, phone (both required), email, category,
/// is_favorite, notes}. The store checks the values themselves.
Contact new_contact(const RequestFields& f);

/// A partial contact update: only the fields present change; a name, if
/// present, is not empty.
ContactPatch contact_patch(const RequestFields& f);

/// {search, category ("all" or empty: any), favorites_only (also
/// "favorites"), limit (default Page::kMaxPageSize), offset}.
ContactFilter contact_filter(const RequestFields& f);

/// {search (also "query"), status ("all" or empty: any), from, to (ISO-8601
/// times, created_at within [from, to)), agent_id}.
CallFilter call_filter(const RequestFields& f);

/// role: admin or agent.
UserRole user_role(const std::string& text);

/// A new user: {email, name, password (all required), role (default agent),
/// default_number_id}. The store checks the values themselves.
NewUser new_user(const RequestFields& f);

/// A partial user update: {email, name, role, default_number_id ("" clears
/// it), disabled}; only the fields present change.
UserPatch user_patch(const RequestFields& f);

/// The status a user sets themself: available or away (busy, wrap_up and
/// offline follow their calls and connections).
UserStatus own_status(const RequestFields& f);

}  // namespace callwire::server
