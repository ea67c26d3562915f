// callwire — a small Prometheus metrics registry (internal, Beast-free).
//
// A Registry holds metric families by name: counters, gauges and histograms
// (fixed buckets), each with a fixed list of label names. A family hands out
// one child per combination of label values; children live as long as the
// registry, so a reference to one may be kept and updated without lookups:
//
//   auto requests = registry.counter("callwire_http_requests_total",
//                                    "HTTP requests answered", {"route", "method", "status"});
//   requests->labels({"/api/contacts", "GET", "200"}).inc();
//
// render() writes the text exposition format 0.0.4 (`# HELP`, `# TYPE`,
// label values escaped), families sorted by name, children by label values.
// Keep label values bounded (route patterns, not raw paths).
//
// Thread-safety: everything may be used from any number of threads. Updates
// of one child are lock-free (atomics); creating a child and rendering take
// the family's lock.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace callwire::server::metrics {

using LabelValues = std::vector<std::string>;

class Counter {
 public:
  /// Adds `v` (must be >= 0; negative values are ignored).
  void inc(double v = 1) noexcept;
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
  void inc(double v = 1) noexcept;
  void dec(double v = 1) noexcept { inc(-v); }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  /// `bounds` are the sorted upper bounds, without +Inf.
  explicit Histogram(std::vector<double> bounds);
  void observe(double v) noexcept;

  struct Snapshot {
    std::vector<double> bounds;
    std::vector<std::uint64_t> cumulative;  ///< per bound, then +Inf last
    double sum = 0;
    std::uint64_t count = 0;
  };
  Snapshot snapshot() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  ///< per bucket (not cumulative), +Inf last
  std::atomic<double> sum_{0};
  std::atomic<std::uint64_t> count_{0};
};

enum class Type { counter, gauge, histogram };

/// One metric name with its label names and children.
template <class Child>
class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names,
         std::function<std::unique_ptr<Child>()> make)
      : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)), make_(std::move(make)) {}

  /// The child for these label values (created on first use). Throws
  /// Error(invalid_argument) when the number of values is not the number of
  /// label names.
  Child& labels(const LabelValues& values);
  Child& labels(std::initializer_list<std::string_view> values) {
    return labels(LabelValues(values.begin(), values.end()));
  }

  const std::string& name() const noexcept { return name_; }
  const std::string& help() const noexcept { return help_; }
  const std::vector<std::string>& label_names() const noexcept { return label_names_; }

  /// Calls f(values, child) for every child, sorted by label values.
  void for_each(const std::function<void(const LabelValues&, const Child&)>& f) const;

 private:
  std::string name_;
  std::string help_;
  std::vector<std::string> label_names_;
  std::function<std::unique_ptr<Child>()> make_;
  mutable std::mutex mutex_;
  std::map<LabelValues, std::unique_ptr<Child>> children_;
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

/// Buckets for request latencies in seconds: 5 ms … 10 s.
std::vector<double> default_latency_buckets();

class Registry {
 public:
  Registry();
  ~Registry();

  /// Registers a family, or returns the existing one when a family of that
  /// name, type and label names is already registered (so two components
  /// may share one). Throws Error(invalid_argument) for an invalid metric or
  /// label name ([a-zA-Z_:][a-zA-Z0-9_:]*, labels without ':' and not
  /// starting with "__") or a clash with a different type or labels.
  std::shared_ptr<CounterFamily> counter(const std::string& name, const std::string& help,
                                         std::vector<std::string> label_names = {});
  std::shared_ptr<GaugeFamily> gauge(const std::string& name, const std::string& help,
                                     std::vector<std::string> label_names = {});
  /// `buckets`: strictly increasing finite upper bounds (+Inf is implied).
  std::shared_ptr<HistogramFamily> histogram(const std::string& name, const std::string& help,
                                             std::vector<std::string> label_names = {},
                                             std::vector<double> buckets = default_latency_buckets());

  /// Runs before every render(): refresh gauges computed on demand.
  void on_collect(std::function<void()> collector);

  /// Text exposition format 0.0.4. Content-Type: text/plain; version=0.0.4; charset=utf-8
  std::string render() const;

 private:
  struct Entry;
  void check_new(const std::string& name, Type type, const std::vector<std::string>& labels) const;

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Entry>> families_;
  std::vector<std::function<void()>> collectors_;
};

/// The Content-Type of render()'s output.
inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

/// Prometheus number formatting: shortest round-trip decimal, "+Inf", "-Inf", "NaN".
std::string format_value(double v);
/// Label value escaping: backslash, double quote and newline.
std::string escape_label_value(std::string_view v);

}  // namespace callwire::server::metrics
