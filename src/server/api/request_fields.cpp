// The requests the REST API and the C ABI share (see request_fields.hpp).
#include "server/api/request_fields.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

#include "callwire/amd.hpp"
#include "callwire/error.hpp"
#include "callwire/json.hpp"

namespace callwire::server {

namespace {

[[noreturn]] void invalid(const std::string& message) { throw Error(errc::invalid_argument, message); }

std::string required(const RequestFields& f, std::string_view field) {
  auto v = f.string(field);
  if (!v || v->empty()) invalid(std::string(field) + ": field required");
  return *v;
}

std::size_t bounded(const RequestFields& f, std::string_view field, std::size_t fallback, std::int64_t min,
                    std::int64_t max) {
  const auto v = f.integer(field);
  if (!v) return fallback;
  if (*v < min || *v > max) {
    invalid(std::string(field) + ": must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return static_cast<std::size_t>(*v);
}

std::optional<std::string> either(const RequestFields& f, std::string_view name, std::string_view alias) {
  if (auto v = f.string(name)) return v;
  return f.string(alias);
}

}  // namespace

RequestFields RequestFields::of(const json::Body& body) {
  RequestFields f;
  f.body_ = &body;
  return f;
}

RequestFields RequestFields::of_query(QueryParam param) {
  RequestFields f;
  f.query_ = std::move(param);
  return f;
}

std::optional<std::string> RequestFields::string(std::string_view field) const {
  if (body_ != nullptr) return body_->string(field);
  auto v = query_(field);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

std::optional<bool> RequestFields::boolean(std::string_view field) const {
  if (body_ != nullptr) return body_->boolean(field);
  auto v = string(field);
  if (!v) return std::nullopt;
  if (*v == "true" || *v == "1" || *v == "yes") return true;
  if (*v == "false" || *v == "0" || *v == "no") return false;
  invalid(std::string(field) + ": expected true or false");
}

std::optional<std::int64_t> RequestFields::integer(std::string_view field) const {
  if (body_ != nullptr) return body_->integer(field);
  auto v = string(field);
  if (!v) return std::nullopt;
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size()) invalid(std::string(field) + ": expected a whole number");
  return n;
}

bool RequestFields::is_string(std::string_view field) const {
  if (body_ != nullptr) return body_->is_string(field);
  return string(field).has_value();
}

std::optional<RequestFields> RequestFields::object(std::string_view field) const {
  if (body_ == nullptr) {
    if (string(field)) invalid(std::string(field) + ": cannot be given in a query string");
    return std::nullopt;
  }
  auto nested = body_->object(field);
  if (!nested) return std::nullopt;
  RequestFields f;
  f.owned_ = std::make_shared<const json::Body>(std::move(*nested));
  f.body_ = f.owned_.get();
  return f;
}

std::vector<std::string> RequestFields::names() const {
  if (body_ == nullptr) return {};
  return body_->fields();
}

ContactCategory contact_category(const std::string& text) {
  auto c = parse_contact_category(text);
  if (!c) invalid("category: must be one of lead, client, follow_up, other (got '" + text + "')");
  return *c;
}

Page page(const RequestFields& f, std::size_t default_limit) {
  Page p;
  p.limit = bounded(f, "limit", default_limit, 1, static_cast<std::int64_t>(Page::kMaxPageSize));
  p.offset = bounded(f, "offset", 0, 0, std::numeric_limits<std::int64_t>::max());
  return p;
}

DialOptions dial_options(const RequestFields& f) {
  DialOptions d;
  d.record = f.boolean("record");
  constexpr std::string_view kAmd = "answering_machine_detection";
  if (f.is_string(kAmd)) {
    const std::string name = *f.string(kAmd);
    const auto mode = parse_amd_mode(name);
    if (!mode) invalid(amd_mode_refusal(name));
    d.answering_machine_detection = *mode;
  } else {
    d.answering_machine_detection = f.boolean(kAmd).value_or(false);
  }
  if (auto config = f.object("answering_machine_detection_config")) {
    for (const std::string& name : config->names()) {
      const auto& fields = amd_config_fields();
      const auto it = std::find_if(fields.begin(), fields.end(), [&](const AmdConfigField& x) { return x.name == name; });
      if (it == fields.end()) invalid(amd_config_name_refusal(name));
      const std::string qualified = "answering_machine_detection_config." + name;
      std::optional<std::int64_t> v;
      try {
        v = config->integer(name);
      } catch (const Error&) {
        invalid(qualified + ": expected a whole number");
      }
      if (!v) continue;  // null: Telnyx's default
      if (*v < std::numeric_limits<std::int32_t>::min() || *v > std::numeric_limits<std::int32_t>::max()) {
        invalid(qualified + ": out of range (at most 2147483647)");
      }
      d.answering_machine_detection_config.*(it->value) = static_cast<std::int32_t>(*v);
    }
  }
  d.connection_id = f.string("connection_id").value_or("");
  if (auto c = f.string("contact_id"); c && !c->empty()) d.contact_id = *c;
  if (auto a = f.string("agent_id"); a && !a->empty()) d.agent_id = *a;
  return d;
}

SpeakOptions speak_options(const RequestFields& f) {
  SpeakOptions o;
  o.voice = f.string("voice").value_or("");
  o.language = f.string("language").value_or("");
  o.payload_type = f.string("payload_type").value_or("");
  return o;
}

Contact new_contact(const RequestFields& f) {
  Contact c;
  c.name = required(f, "name");
  c.phone = required(f, "phone");
  c.email = f.string("email").value_or("");
  if (auto cat = f.string("category")) c.category = contact_category(*cat);
  c.is_favorite = f.boolean("is_favorite").value_or(false);
  c.notes = f.string("notes").value_or("");
  return c;
}

ContactPatch contact_patch(const RequestFields& f) {
  ContactPatch p;
  p.name = f.string("name");
  p.phone = f.string("phone");
  p.email = f.string("email");
  if (auto cat = f.string("category")) p.category = contact_category(*cat);
  p.is_favorite = f.boolean("is_favorite");
  p.notes = f.string("notes");
  if (p.name && p.name->empty()) invalid("name: must not be empty");
  return p;
}

ContactFilter contact_filter(const RequestFields& f) {
  ContactFilter c;
  c.search = f.string("search").value_or("");
  if (auto cat = f.string("category"); cat && !cat->empty() && *cat != "all") c.category = contact_category(*cat);
  auto favorites = f.boolean("favorites_only");
  if (!favorites) favorites = f.boolean("favorites");
  c.favorites_only = favorites.value_or(false);
  c.page = page(f, Page::kMaxPageSize);
  return c;
}

UserRole user_role(const std::string& text) {
  auto r = parse_user_role(text);
  if (!r) invalid("role: must be one of admin, agent (got '" + text + "')");
  return *r;
}

NewUser new_user(const RequestFields& f) {
  NewUser u;
  for (auto [name, field] : {std::pair{"email", &u.email}, std::pair{"name", &u.name}, std::pair{"password", &u.password}}) {
    auto v = f.string(name);
    if (!v || v->empty()) invalid(std::string(name) + ": field required");
    *field = std::move(*v);
  }
  if (auto r = f.string("role"); r && !r->empty()) u.role = user_role(*r);
  if (auto n = f.string("default_number_id"); n && !n->empty()) u.default_number_id = *n;
  return u;
}

UserPatch user_patch(const RequestFields& f) {
  UserPatch p;
  p.email = f.string("email");
  p.name = f.string("name");
  if (auto r = f.string("role")) p.role = user_role(*r);
  if (auto n = f.string("default_number_id")) {
    p.default_number_id = n->empty() ? std::optional<std::string>() : std::optional<std::string>(*n);
  }
  p.disabled = f.boolean("disabled");
  if (p.name && p.name->empty()) invalid("name: must not be empty");
  return p;
}

UserStatus own_status(const RequestFields& f) {
  const auto s = f.string("status");
  if (!s || s->empty()) invalid("status: field required");
  const auto status = parse_user_status(*s);
  if (status != UserStatus::available && status != UserStatus::away) {
    invalid("status: you can set available or away (got '" + *s +
            "'); busy, wrap_up and offline follow your calls and connections");
  }
  return *status;
}

CallFilter call_filter(const RequestFields& f) {
  CallFilter c;
  c.search = either(f, "search", "query").value_or("");
  if (auto s = f.string("status"); s && !s->empty() && *s != "all") {
    c.status = parse_call_status(*s);
    if (!c.status) invalid("status: unknown value '" + *s + "'");
  }
  if (auto a = f.string("agent_id"); a && !a->empty()) c.agent_id = *a;
  for (const char* bound : {"from", "to"}) {
    if (auto v = f.string(bound); v && !v->empty()) {
      auto t = json::parse_time(*v);
      if (!t) invalid(std::string(bound) + ": expected an ISO-8601 time, e.g. 2026-11-26T10:22:45Z");
      (std::string_view(bound) == "from" ? c.from : c.to) = t;
    }
  }
  return c;
}

}  // namespace callwire::server
