// A bar sequence grown from a recorded Binance payload, with an injected
// spike, a duplicate and a bar whose high is below its low.

#include "pipeline/validate/validation_engine.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cmath>
#include <string>
#include <vector>

#include "adapters/binance/binance_provider.hpp"
#include "pipeline/model/time.hpp"
#include "tests/support/fixture_server.hpp"

namespace tickflow {
namespace {

// tests/fixtures/binance/rest/api_v3_klines.docs.json, GET /api/v3/klines:
//   [[1499040000000, "0.01634790", "0.80000000", "0.01575800", "0.01577100",
//     "148976.11427815", 1499644799999, "2434.19055334", 308, ...]]
// open time and close time in ms, prices and volume as strings.
struct kline {
  bar x;
  int64_t close_time_ns = 0;
};

decimal dec(const rapidjson::Value& v) {
  EXPECT_TRUE(v.IsString());
  auto x = decimal::parse(v.IsString() ? v.GetString() : "");
  EXPECT_TRUE(x);
  return x ? *x : decimal{};
}

std::vector<kline> load_klines() {
  auto text = test::read_fixture("binance/rest/api_v3_klines.docs.json");
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  std::vector<kline> out;
  if (doc.HasParseError() || !doc.IsArray()) {
    ADD_FAILURE() << "klines fixture is not a JSON array";
    return out;
  }
  for (auto& k : doc.GetArray()) {
    kline y;
    y.x.instrument = "BNB-BTC";
    y.x.provider_symbol = "BNBBTC";
    y.x.source = providers::binance;
    y.x.open_time_ns = k[0].GetInt64() * ns_per_ms;
    y.x.open = dec(k[1]);
    y.x.high = dec(k[2]);
    y.x.low = dec(k[3]);
    y.x.close = dec(k[4]);
    y.x.volume = dec(k[5]);
    y.close_time_ns = k[6].GetInt64() * ns_per_ms;
    y.x.trade_count = k[8].GetUint64();
    y.x.closed = true;
    out.push_back(y);
  }
  return out;
}

decimal at_scale_8(double v) {
  return decimal::from_parts(static_cast<int64_t>(std::llround(v * 1e8)), 8);
}

// The recorded bar, then `n - 1` weeks of a random walk from its close
// (log steps uniform in +-3%), same interval, 8 decimals like Binance.
std::vector<bar> grow(const kline& first, size_t n) {
  std::vector<bar> out{first.x};
  auto week = interval_ns(first.x.span);
  uint64_t seed = 7;
  double close = first.x.close.to_double();
  for (size_t i = 1; i < n; ++i) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    double u = static_cast<double>(seed >> 11) / 9007199254740992.0;
    double open = close;
    close = open * std::exp((u - 0.5) * 0.06);
    bar b = first.x;
    b.open_time_ns = first.x.open_time_ns + static_cast<int64_t>(i) * week;
    b.open = at_scale_8(open);
    b.close = at_scale_8(close);
    b.high = at_scale_8(std::max(open, close) * 1.004);
    b.low = at_scale_8(std::min(open, close) * 0.996);
    b.volume = at_scale_8(first.x.volume.to_double() * (0.5 + u));
    out.push_back(b);
  }
  return out;
}

TEST(ValidateKlines, RecordedPayloadWithInjectedFaults) {
  auto klines = load_klines();
  ASSERT_EQ(klines.size(), 1u);
  auto& real = klines[0];
  // The payload's open and close times make a week: 1w bars.
  EXPECT_EQ(real.close_time_ns + ns_per_ms - real.x.open_time_ns,
            interval_ns(interval::w1));
  real.x.span = interval::w1;
  auto bars = grow(real, 56);
  // Faults: a spike, a bar re-sent, a bar with high and low swapped.
  const size_t spike = 45, resent = 48, swapped = 52;
  bars[spike].close = decimal::from_parts(bars[spike].open.mantissa * 16 / 10,
                                          bars[spike].open.scale);
  bars[spike].high = bars[spike].close;
  bars.insert(bars.begin() + resent, bars[30]);
  bars[swapped].high = real.x.low;
  bars[swapped].low = real.x.high;
  validation_engine e;
  std::vector<std::vector<rule>> found;
  std::vector<event_action> actions;

  for (auto& b : bars) {
    // Live: each bar arrives one second after it closed.
    auto now = b.open_time_ns + interval_ns(b.span) + ns_per_s;
    auto v = e.check(b, now);
    std::vector<rule> rules;
    for (auto& f : v.findings)
      rules.push_back(f.which);
    found.push_back(rules);
    actions.push_back(v.action);
  }

  for (size_t i = 0; i < bars.size(); ++i) {
    SCOPED_TRACE(i);
    if (i == spike) {
      EXPECT_EQ(found[i], (std::vector<rule>{rule::outlier_zscore,
                                             rule::outlier_mad}));
      EXPECT_EQ(actions[i], event_action::accept);
      EXPECT_EQ(bars[i].flags, quality_outlier);
    } else if (i == resent) {
      EXPECT_EQ(found[i], (std::vector<rule>{rule::duplicate}));
      EXPECT_EQ(actions[i], event_action::drop);
    } else if (i == swapped) {
      EXPECT_EQ(found[i], (std::vector<rule>{rule::ohlc_consistency}));
      EXPECT_EQ(actions[i], event_action::drop);
    } else {
      EXPECT_TRUE(found[i].empty());
      EXPECT_EQ(bars[i].flags, 0u);
    }
  }
  auto q = e.quality_of_instrument("BNB-BTC");
  EXPECT_EQ(q.events, bars.size());
  EXPECT_EQ(q.dropped, 2u);
  EXPECT_EQ(q.flagged, 1u);
  EXPECT_EQ(q.findings(rule::outlier_zscore), 1u);
  EXPECT_EQ(q.findings(rule::duplicate), 1u);
  auto held = e.quarantined().recent(10);
  ASSERT_EQ(held.size(), 3u);
  EXPECT_EQ(held[0].why, rule::ohlc_consistency);
  EXPECT_EQ(held[0].reason, "low 0.8 > high 0.015758");
  EXPECT_EQ(held[1].why, rule::duplicate);
  EXPECT_EQ(held[1].reason, "closed 1w bar opened at "
                            + format_iso8601(bars[30].open_time_ns)
                            + " already seen from binance");
  EXPECT_EQ(held[2].why, rule::outlier_zscore);
  EXPECT_FALSE(held[2].dropped);
}

TEST(ValidateKlines, TheRecordedBarItselfIsClean) {
  auto klines = load_klines();
  ASSERT_FALSE(klines.empty());
  auto x = klines[0].x;
  x.span = interval::w1;
  validation_settings s;
  s.freshness_bound_ns = 0; // a 2017 bar, checked as if live
  validation_engine e{s};

  auto v = e.check(x, klines[0].close_time_ns + ns_per_s);

  EXPECT_TRUE(v.findings.empty());
  EXPECT_EQ(v.score, 100);
}

} // namespace
} // namespace tickflow
