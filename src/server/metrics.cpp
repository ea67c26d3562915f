#include "server/metrics.hpp"

#include <charconv>
#include <cmath>

#include "callwire/error.hpp"

namespace callwire::server::metrics {

// ---- children ------------------------------------------------------------------

void Counter::inc(double v) noexcept {
  if (!(v >= 0)) return;
  value_.fetch_add(v, std::memory_order_relaxed);
}

void Gauge::inc(double v) noexcept { value_.fetch_add(v, std::memory_order_relaxed); }

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(new std::atomic<std::uint64_t>[bounds_.size() + 1]) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0);
}

void Histogram::observe(double v) noexcept {
  std::size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  s.bounds = bounds_;
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  // The +Inf bucket is the count by definition; keep them consistent even if
  // an observation is half-recorded while we read.
  s.count = running;
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

// ---- families --------------------------------------------------------------------

template <class Child>
Child& Family<Child>::labels(const LabelValues& values) {
  if (values.size() != label_names_.size()) {
    throw Error(errc::invalid_argument, "metric " + name_ + " takes " + std::to_string(label_names_.size()) +
                                            " label values, got " + std::to_string(values.size()));
  }
  std::lock_guard lock(mutex_);
  auto it = children_.find(values);
  if (it == children_.end()) it = children_.emplace(values, make_()).first;
  return *it->second;
}

template <class Child>
void Family<Child>::for_each(const std::function<void(const LabelValues&, const Child&)>& f) const {
  std::lock_guard lock(mutex_);
  for (const auto& [values, child] : children_) f(values, *child);
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

std::vector<double> default_latency_buckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

// ---- formatting ------------------------------------------------------------------

std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return "NaN";
  return std::string(buf, end);
}

std::string escape_label_value(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

namespace {

std::string escape_help(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

bool valid_metric_name(std::string_view n) {
  if (n.empty()) return false;
  for (std::size_t i = 0; i < n.size(); ++i) {
    char c = n[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool valid_label_name(std::string_view n) {
  if (n.empty() || n.substr(0, 2) == "__" || n == "le" || n == "quantile") return false;
  for (std::size_t i = 0; i < n.size(); ++i) {
    char c = n[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

/// `{a="x",b="y"` — without the closing brace, so "le" can be appended.
std::string label_prefix(const std::vector<std::string>& names, const LabelValues& values) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    out += i ? "," : "{";
    out += names[i];
    out += "=\"";
    out += escape_label_value(values[i]);
    out += '"';
  }
  return out;
}

std::string labels_text(const std::vector<std::string>& names, const LabelValues& values) {
  if (names.empty()) return {};
  return label_prefix(names, values) + "}";
}

const char* type_name(Type t) {
  switch (t) {
    case Type::counter: return "counter";
    case Type::gauge: return "gauge";
    case Type::histogram: return "histogram";
  }
  return "untyped";
}

}  // namespace

// ---- registry --------------------------------------------------------------------

struct Registry::Entry {
  Type type;
  std::vector<std::string> labels;
  std::vector<double> buckets;
  std::shared_ptr<CounterFamily> counter;
  std::shared_ptr<GaugeFamily> gauge;
  std::shared_ptr<HistogramFamily> histogram;
};

Registry::Registry() = default;
Registry::~Registry() = default;

void Registry::check_new(const std::string& name, Type type, const std::vector<std::string>& labels) const {
  if (!valid_metric_name(name)) throw Error(errc::invalid_argument, "invalid metric name '" + name + "'");
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (!valid_label_name(labels[i])) {
      throw Error(errc::invalid_argument, "metric " + name + ": invalid label name '" + labels[i] + "'");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (labels[i] == labels[j]) throw Error(errc::invalid_argument, "metric " + name + ": duplicate label '" + labels[i] + "'");
    }
  }
  auto it = families_.find(name);
  if (it != families_.end() && (it->second->type != type || it->second->labels != labels)) {
    throw Error(errc::invalid_argument,
                "metric " + name + " is already registered as a " + type_name(it->second->type) + " with other labels");
  }
}

std::shared_ptr<CounterFamily> Registry::counter(const std::string& name, const std::string& help,
                                                 std::vector<std::string> label_names) {
  std::lock_guard lock(mutex_);
  check_new(name, Type::counter, label_names);
  auto& e = families_[name];
  if (!e) {
    e = std::make_unique<Entry>();
    e->type = Type::counter;
    e->labels = label_names;
    e->counter = std::make_shared<CounterFamily>(name, help, std::move(label_names),
                                                 [] { return std::make_unique<Counter>(); });
  }
  return e->counter;
}

std::shared_ptr<GaugeFamily> Registry::gauge(const std::string& name, const std::string& help,
                                             std::vector<std::string> label_names) {
  std::lock_guard lock(mutex_);
  check_new(name, Type::gauge, label_names);
  auto& e = families_[name];
  if (!e) {
    e = std::make_unique<Entry>();
    e->type = Type::gauge;
    e->labels = label_names;
    e->gauge = std::make_shared<GaugeFamily>(name, help, std::move(label_names), [] { return std::make_unique<Gauge>(); });
  }
  return e->gauge;
}

std::shared_ptr<HistogramFamily> Registry::histogram(const std::string& name, const std::string& help,
                                                     std::vector<std::string> label_names, std::vector<double> buckets) {
  if (buckets.empty()) throw Error(errc::invalid_argument, "histogram " + name + " needs at least one bucket");
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    if (!std::isfinite(buckets[i]) || (i > 0 && !(buckets[i] > buckets[i - 1]))) {
      throw Error(errc::invalid_argument, "histogram " + name + ": buckets must be finite and strictly increasing");
    }
  }
  std::lock_guard lock(mutex_);
  check_new(name, Type::histogram, label_names);
  auto& e = families_[name];
  if (!e) {
    e = std::make_unique<Entry>();
    e->type = Type::histogram;
    e->labels = label_names;
    e->buckets = buckets;
    e->histogram = std::make_shared<HistogramFamily>(name, help, std::move(label_names),
                                                     [b = std::move(buckets)] { return std::make_unique<Histogram>(b); });
  } else if (e->buckets != buckets) {
    throw Error(errc::invalid_argument, "histogram " + name + " is already registered with other buckets");
  }
  return e->histogram;
}

void Registry::on_collect(std::function<void()> collector) {
  std::lock_guard lock(mutex_);
  collectors_.push_back(std::move(collector));
}

std::string Registry::render() const {
  std::vector<std::function<void()>> collectors;
  {
    std::lock_guard lock(mutex_);
    collectors = collectors_;
  }
  for (const auto& c : collectors) c();

  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, e] : families_) {
    const std::string& help = e->type == Type::counter ? e->counter->help()
                              : e->type == Type::gauge ? e->gauge->help()
                                                       : e->histogram->help();
    out += "# HELP " + name + " " + escape_help(help) + "\n";
    out += "# TYPE " + name + " " + type_name(e->type) + "\n";
    switch (e->type) {
      case Type::counter:
        e->counter->for_each([&](const LabelValues& v, const Counter& c) {
          out += name + labels_text(e->labels, v) + " " + format_value(c.value()) + "\n";
        });
        break;
      case Type::gauge:
        e->gauge->for_each([&](const LabelValues& v, const Gauge& g) {
          out += name + labels_text(e->labels, v) + " " + format_value(g.value()) + "\n";
        });
        break;
      case Type::histogram:
        e->histogram->for_each([&](const LabelValues& v, const Histogram& h) {
          const auto s = h.snapshot();
          const std::string prefix = label_prefix(e->labels, v);
          const std::string open = prefix.empty() ? "{" : prefix + ",";
          for (std::size_t i = 0; i < s.bounds.size(); ++i) {
            out += name + "_bucket" + open + "le=\"" + format_value(s.bounds[i]) + "\"} " + std::to_string(s.cumulative[i]) + "\n";
          }
          out += name + "_bucket" + open + "le=\"+Inf\"} " + std::to_string(s.count) + "\n";
          const std::string plain = labels_text(e->labels, v);
          out += name + "_sum" + plain + " " + format_value(s.sum) + "\n";
          out += name + "_count" + plain + " " + std::to_string(s.count) + "\n";
        });
        break;
    }
  }
  return out;
}

}  // namespace callwire::server::metrics
