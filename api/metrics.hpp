#pragma once

// Metrics in the Prometheus text exposition format (version 0.0.4): a
// fixed-bucket histogram, per-route request metrics, and a family set that
// renders every family once with its # HELP and # TYPE lines. Pure: the
// caller passes every value and every duration.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace tickflow::api {

/// Label pairs of one sample, in order ({"route", "/health"}).
using metric_labels = std::vector<std::pair<std::string, std::string>>;

/// A cumulative histogram over fixed upper bounds (the "le" buckets).
class histogram {
 public:
  /// `bounds` ascending; an implicit +Inf bucket follows them.
  explicit histogram(std::vector<double> bounds = {});

  void observe(double value) noexcept;

  const std::vector<double>& bounds() const noexcept { return bounds_; }
  /// Observations per bucket (not cumulative); one more than bounds (+Inf).
  const std::vector<uint64_t>& counts() const noexcept { return counts_; }
  double sum() const noexcept { return sum_; }
  uint64_t count() const noexcept { return count_; }

 private:
  std::vector<double> bounds_;
  std::vector<uint64_t> counts_;
  double sum_ = 0;
  uint64_t count_ = 0;
};

/// Request latency buckets in seconds: 0.5 ms .. 10 s.
std::vector<double> latency_buckets();

/// A set of metric families, rendered in the order they were first used.
/// Families of one name keep the type of their first use; a sample of
/// another type under that name is ignored (so the output always parses).
class metric_families {
 public:
  void counter(std::string_view name, std::string_view help,
               const metric_labels& labels, double value);
  void gauge(std::string_view name, std::string_view help,
             const metric_labels& labels, double value);
  /// name_bucket{...,le=".."}, name_sum and name_count.
  void add_histogram(std::string_view name, std::string_view help,
                     const metric_labels& labels, const histogram& h);

  /// The exposition text, every family's # HELP and # TYPE once, its
  /// samples together; ends with a newline.
  std::string render() const;

 private:
  struct family {
    std::string name;
    std::string type;
    std::string help;
    std::string samples;
  };
  family* open(std::string_view name, std::string_view type,
               std::string_view help);

  std::vector<family> families_;
};

/// A sample value as Prometheus writes it: integers without a fraction,
/// "+Inf", "-Inf", "NaN".
std::string format_metric_value(double v);

/// A label value escaped for the text format (\\, \", \n).
std::string escape_label_value(std::string_view v);

/// Per-route request counts by status class and latency histograms.
class request_metrics {
 public:
  /// One answered request: `route` is the route pattern ("unmatched" when
  /// none matched), `status` the HTTP status, `latency_s` in seconds.
  void record(std::string_view method, std::string_view route,
              unsigned status, double latency_s);

  /// Adds tickflow_http_requests_total{method,route,status} and
  /// tickflow_http_request_duration_seconds{route} to `out`.
  void collect(metric_families& out) const;

  /// Requests recorded so far.
  uint64_t total() const noexcept { return total_; }

 private:
  // (method, route, status class "2xx") -> count
  std::map<std::tuple<std::string, std::string, std::string>, uint64_t> counts_;
  std::map<std::string, histogram, std::less<>> latency_;
  uint64_t total_ = 0;
};

} // namespace tickflow::api
