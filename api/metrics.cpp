#include "api/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace tickflow::api {

// -- histogram ------------------------------------------------------------------

histogram::histogram(std::vector<double> bounds) : bounds_(std::move(bounds)) {
  std::sort(bounds_.begin(), bounds_.end());
  bounds_.erase(std::unique(bounds_.begin(), bounds_.end()), bounds_.end());
  counts_.assign(bounds_.size() + 1, 0);
}

void histogram::observe(double value) noexcept {
  if (std::isnan(value))
    return;
  auto at = std::lower_bound(bounds_.begin(), bounds_.end(), value);
  counts_[static_cast<size_t>(at - bounds_.begin())] += 1;
  sum_ += value;
  count_ += 1;
}

std::vector<double> latency_buckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
          0.1,    0.25,  0.5,    1,     2.5,  5,     10};
}

// -- text format ----------------------------------------------------------------

std::string format_metric_value(double v) {
  if (std::isnan(v))
    return "NaN";
  if (std::isinf(v))
    return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  // Integral values below 2^53 print as integers (counters stay readable).
  if (std::fabs(v) < 9007199254740992.0 && v == std::floor(v)) {
    auto r = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(v));
    return std::string(buf, r.ptr);
  }
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string escape_label_value(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

namespace {

void append_labels(std::string& out, const metric_labels& labels,
                   const std::pair<std::string, std::string>* extra = nullptr) {
  if (labels.empty() && extra == nullptr)
    return;
  out += '{';
  bool first = true;
  auto add = [&](const std::string& k, const std::string& v) {
    if (!first)
      out += ',';
    first = false;
    out += k;
    out += "=\"";
    out += escape_label_value(v);
    out += '"';
  };
  for (auto& [k, v] : labels)
    add(k, v);
  if (extra != nullptr)
    add(extra->first, extra->second);
  out += '}';
}

void append_sample(std::string& out, std::string_view name,
                   const metric_labels& labels, double value,
                   const std::pair<std::string, std::string>* extra = nullptr) {
  out.append(name);
  append_labels(out, labels, extra);
  out += ' ';
  out += format_metric_value(value);
  out += '\n';
}

/// HELP text escaping: backslash and newline only.
std::string escape_help(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

} // namespace

metric_families::family* metric_families::open(std::string_view name,
                                               std::string_view type,
                                               std::string_view help) {
  for (auto& f : families_)
    if (f.name == name)
      return f.type == type ? &f : nullptr;
  families_.push_back(family{std::string{name}, std::string{type},
                             std::string{help}, {}});
  return &families_.back();
}

void metric_families::counter(std::string_view name, std::string_view help,
                              const metric_labels& labels, double value) {
  if (auto f = open(name, "counter", help))
    append_sample(f->samples, name, labels, value);
}

void metric_families::gauge(std::string_view name, std::string_view help,
                            const metric_labels& labels, double value) {
  if (auto f = open(name, "gauge", help))
    append_sample(f->samples, name, labels, value);
}

void metric_families::add_histogram(std::string_view name, std::string_view help,
                                    const metric_labels& labels,
                                    const histogram& h) {
  auto f = open(name, "histogram", help);
  if (f == nullptr)
    return;
  auto bucket = std::string{name} + "_bucket";
  uint64_t cumulative = 0;
  auto& counts = h.counts();
  for (size_t i = 0; i < counts.size(); ++i) {
    cumulative += counts[i];
    std::pair<std::string, std::string> le{
      "le", i < h.bounds().size() ? format_metric_value(h.bounds()[i]) : "+Inf"};
    append_sample(f->samples, bucket, labels, static_cast<double>(cumulative), &le);
  }
  append_sample(f->samples, std::string{name} + "_sum", labels, h.sum());
  append_sample(f->samples, std::string{name} + "_count", labels,
                static_cast<double>(h.count()));
}

std::string metric_families::render() const {
  std::string out;
  for (auto& f : families_) {
    out += "# HELP " + f.name + ' ' + escape_help(f.help) + '\n';
    out += "# TYPE " + f.name + ' ' + f.type + '\n';
    out += f.samples;
  }
  return out;
}

// -- request_metrics ------------------------------------------------------------

void request_metrics::record(std::string_view method, std::string_view route,
                             unsigned status, double latency_s) {
  std::string klass = status >= 100 && status <= 599
                        ? std::to_string(status / 100) + "xx"
                        : std::string{"other"};
  counts_[{std::string{method}, std::string{route}, std::move(klass)}] += 1;
  auto it = latency_.find(route);
  if (it == latency_.end())
    it = latency_.emplace(std::string{route}, histogram{latency_buckets()}).first;
  it->second.observe(latency_s);
  total_ += 1;
}

void request_metrics::collect(metric_families& out) const {
  static constexpr std::string_view requests = "tickflow_http_requests_total";
  static constexpr std::string_view latency = "tickflow_http_request_duration_seconds";
  for (auto& [key, n] : counts_) {
    auto& [method, route, klass] = key;
    out.counter(requests, "REST requests answered, by route and status class",
                {{"method", method}, {"route", route}, {"status", klass}},
                static_cast<double>(n));
  }
  for (auto& [route, h] : latency_)
    out.add_histogram(latency, "Time from receiving a REST request to its answer",
                      {{"route", route}}, h);
  if (counts_.empty()) // declare the families even before the first request
    out.counter(requests, "REST requests answered, by route and status class", {}, 0);
}

} // namespace tickflow::api
