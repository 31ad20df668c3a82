// api/metrics: histograms, the family set and per-route request metrics,
// read back with the strict Prometheus reader.

#include <cmath>

#include <gtest/gtest.h>

#include "api/metrics.hpp"
#include "tests/gateway/prometheus_check.hpp"

using namespace tickflow::api;
using tickflow::test::parse_prometheus;

TEST(Histogram, CountsEachValueInTheFirstBucketThatHoldsIt) {
  histogram h{{0.1, 1, 10}};
  for (double v : {0.05, 0.1, 0.5, 1.0, 5.0, 50.0})
    h.observe(v);
  EXPECT_EQ(h.counts(), (std::vector<uint64_t>{2, 2, 1, 1})); // le=0.1, 1, 10, +Inf
  EXPECT_EQ(h.count(), 6u);
  EXPECT_DOUBLE_EQ(h.sum(), 56.65);
}

TEST(Histogram, SortsBoundsAndIgnoresNaN) {
  histogram h{{10, 1, 1}};
  EXPECT_EQ(h.bounds(), (std::vector<double>{1, 10}));
  h.observe(std::nan(""));
  EXPECT_EQ(h.count(), 0u);
}

TEST(MetricText, ValuesAndLabelsAreWrittenAsPrometheusExpects) {
  EXPECT_EQ(format_metric_value(3), "3");
  EXPECT_EQ(format_metric_value(0.25), "0.25");
  EXPECT_EQ(format_metric_value(1.0 / 0.0), "+Inf");
  EXPECT_EQ(format_metric_value(-1.0 / 0.0), "-Inf");
  EXPECT_EQ(format_metric_value(std::nan("")), "NaN");
  EXPECT_EQ(escape_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

TEST(MetricFamilies, RenderEachFamilyOnceWithItsSamplesTogether) {
  metric_families m;
  m.counter("x_total", "Xs", {{"stage", "a"}}, 1);
  m.gauge("y", "Ys", {}, 2.5);
  m.counter("x_total", "Xs", {{"stage", "b\"q"}}, 3);
  histogram h{{0.5, 1}};
  h.observe(0.2);
  h.observe(0.7);
  m.add_histogram("lat_seconds", "Latency", {{"route", "/r"}}, h);
  auto text = m.render();
  auto p = parse_prometheus(text);
  ASSERT_EQ(p.error, "") << text;
  EXPECT_EQ(p.types.at("x_total"), "counter");
  EXPECT_EQ(p.types.at("y"), "gauge");
  EXPECT_EQ(p.types.at("lat_seconds"), "histogram");
  ASSERT_EQ(p.find("x_total").size(), 2u);
  EXPECT_EQ(p.find("x_total", {{"stage", "b\"q"}}).at(0).value, 3);
  // Buckets are cumulative; +Inf equals the count.
  EXPECT_EQ(p.find("lat_seconds_bucket", {{"le", "0.5"}}).at(0).value, 1);
  EXPECT_EQ(p.find("lat_seconds_bucket", {{"le", "1"}}).at(0).value, 2);
  EXPECT_EQ(p.find("lat_seconds_bucket", {{"le", "+Inf"}}).at(0).value, 2);
  EXPECT_EQ(p.find("lat_seconds_count").at(0).value, 2);
  EXPECT_DOUBLE_EQ(p.find("lat_seconds_sum").at(0).value, 0.9);
}

TEST(MetricFamilies, ASampleOfAnotherTypeUnderATakenNameIsDropped) {
  metric_families m;
  m.counter("z", "Zs", {}, 1);
  m.gauge("z", "Zs", {}, 2);
  auto p = parse_prometheus(m.render());
  ASSERT_EQ(p.error, "");
  ASSERT_EQ(p.find("z").size(), 1u);
  EXPECT_EQ(p.find("z").at(0).value, 1);
}

TEST(RequestMetrics, CountByRouteAndStatusClassWithALatencyHistogramPerRoute) {
  request_metrics r;
  r.record("GET", "/api/v1/data/price", 200, 0.002);
  r.record("GET", "/api/v1/data/price", 200, 0.004);
  r.record("GET", "/api/v1/data/price", 404, 0.001);
  r.record("POST", "/webhooks/test", 401, 0.0001);
  EXPECT_EQ(r.total(), 4u);
  metric_families m;
  r.collect(m);
  auto p = parse_prometheus(m.render());
  ASSERT_EQ(p.error, "");
  auto ok = p.find("tickflow_http_requests_total",
                   {{"method", "GET"}, {"route", "/api/v1/data/price"}, {"status", "2xx"}});
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_EQ(ok[0].value, 2);
  EXPECT_EQ(p.find("tickflow_http_requests_total", {{"status", "4xx"}}).size(), 2u);
  auto count = p.find("tickflow_http_request_duration_seconds_count",
                      {{"route", "/api/v1/data/price"}});
  ASSERT_EQ(count.size(), 1u);
  EXPECT_EQ(count[0].value, 3);
}

TEST(PrometheusReader, RefusesWhatTheFormatForbids) {
  EXPECT_NE(parse_prometheus("x 1\n").error, "");                          // no # TYPE
  EXPECT_NE(parse_prometheus("# TYPE x counter\nx one\n").error, "");       // bad value
  EXPECT_NE(parse_prometheus("# TYPE x counter\nx{a=\"1} 1\n").error, "");  // unterminated
  EXPECT_NE(parse_prometheus("# TYPE x counter\n# TYPE y gauge\nx 1\ny 1\nx 2\n").error, "");
  EXPECT_EQ(parse_prometheus("# TYPE x counter\nx{a=\"1\",b=\"2\"} 1\n").error, "");
}
