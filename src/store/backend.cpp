// Backend helpers shared by both backends.
#include "store/backend.hpp"

#include <map>

namespace callwire::store_detail {

std::optional<Row> Backend::find_one(const TableDef& t, const Filter& where, const FindOptions& opts) {
  FindOptions o = opts;
  o.limit = 1;
  std::optional<Row> out;
  find(t, where, o, [&](const Row& r) { out = r; });
  return out;
}

void Backend::transaction(const std::function<void()>& fn) { fn(); }

std::optional<Row> Backend::get(const TableDef& t, std::string_view id) {
  Filter f;
  f.all.push_back({"id", Cond::Op::eq, std::string(id)});
  return find_one(t, f);
}

namespace {
// Orders FieldValues (of one variant kind per key position) for std::map.
struct KeyLess {
  bool operator()(const std::vector<FieldValue>& a, const std::vector<FieldValue>& b) const { return a < b; }
};
}  // namespace

std::vector<GroupRow> Backend::group(const TableDef& t, const Filter& where, const std::vector<GroupKey>& keys,
                                     const std::string& sum_column) {
  FindOptions opts;
  std::vector<std::size_t> key_cols;
  for (const auto& k : keys) {
    key_cols.push_back(t.column(k.column));
    opts.columns.push_back(k.column);
  }
  std::size_t sum_col = 0;
  if (!sum_column.empty()) {
    sum_col = t.column(sum_column);
    opts.columns.push_back(sum_column);
  }
  std::map<std::vector<FieldValue>, GroupRow, KeyLess> groups;
  find(t, where, opts, [&](const Row& r) {
    std::vector<FieldValue> key;
    key.reserve(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const FieldValue& v = r[key_cols[i]];
      if (keys[i].is_set) {
        key.emplace_back(!std::holds_alternative<std::monostate>(v));
      } else if (keys[i].prefix > 0) {
        const auto* s = std::get_if<std::string>(&v);
        key.emplace_back(s != nullptr ? s->substr(0, keys[i].prefix) : std::string());
      } else {
        key.push_back(v);
      }
    }
    auto& g = groups[key];
    if (g.keys.empty()) g.keys = key;
    g.count += 1;
    if (!sum_column.empty()) {
      if (const auto* n = std::get_if<std::int64_t>(&r[sum_col])) g.sum += *n;
    }
  });
  std::vector<GroupRow> out;
  out.reserve(groups.size());
  for (auto& [k, g] : groups) out.push_back(std::move(g));
  return out;
}

}  // namespace callwire::store_detail
