// The incremental indicators (one closed bar at a time, for live channels)
// give what the batch functions give for the same series, and live_series
// seeds from stored bars, holds what arrives meanwhile and skips repeats.

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/indicators/indicator_json.hpp"
#include "pipeline/indicators/indicator_spec.hpp"
#include "pipeline/indicators/live_series.hpp"
#include "pipeline/model/time.hpp"
#include "tests/indicators/indicator_support.hpp"

using namespace tickflow;
using namespace tickflow::indicators;
using namespace tickflow::test;
namespace ref = tickflow::test::reference;

namespace {

std::vector<indicator_spec> every_kind() {
  std::vector<indicator_spec> out;
  for (auto name : {"sma5", "sma20", "ema10", "rsi14", "rsi5", "macd", "bb20",
                    "bb1", "atr14", "atr1", "vwap", "vol20", "vol2", "sma1"})
    out.push_back(*parse_indicator(name, 0, 500));
  indicator_spec custom;
  custom.kind = indicator_kind::macd;
  custom.fast = 3;
  custom.slow = 7;
  custom.signal = 4;
  out.push_back(custom);
  indicator_spec session;
  session.kind = indicator_kind::vwap;
  session.reset_ns = 3 * ref::day_ns;
  out.push_back(session);
  indicator_spec wide;
  wide.kind = indicator_kind::bollinger;
  wide.period = 10;
  wide.k = 1.5;
  out.push_back(wide);
  return out;
}

::testing::AssertionResult same_points(const std::vector<point>& a,
                                       const std::vector<point>& b, size_t fields) {
  if (a.size() != b.size())
    return ::testing::AssertionFailure() << a.size() << " vs " << b.size() << " points";
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].t_ns != b[i].t_ns)
      return ::testing::AssertionFailure() << "point " << i << ": time differs";
    for (size_t f = 0; f < fields; ++f)
      if (!close_enough(a[i].values[f], b[i].values[f]))
        return ::testing::AssertionFailure()
               << "point " << i << " field " << f << ": " << a[i].values[f]
               << " vs " << b[i].values[f];
  }
  return ::testing::AssertionSuccess();
}

} // namespace

TEST(IncrementalIndicators, EqualBatchForTheSameSeries) {
  auto bars = reference_bars();
  for (auto& spec : every_kind()) {
    SCOPED_TRACE(spec.name());
    auto batch = compute(spec, bars);
    ASSERT_TRUE(batch);
    indicator_state live{spec};
    std::vector<point> fed;
    size_t absent = 0;
    for (auto& b : bars) {
      if (auto p = live.update(b))
        fed.push_back(*p);
      else
        ++absent;
    }
    EXPECT_TRUE(same_points(fed, *batch, value_names(spec.kind).size()));
    // Exactly the warm-up is absent.
    EXPECT_EQ(absent, spec.warmup());
  }
}

TEST(IncrementalIndicators, Rsi14FedOneByOneMatchesTheReference) {
  indicator_state live{*parse_indicator("rsi14", 0, 500)};
  auto bars = reference_bars();
  for (size_t i = 0; i < bars.size(); ++i) {
    auto p = live.update(bars[i]);
    ASSERT_EQ(p.has_value(), ref::rsi14[i].has_value()) << i;
    if (p) {
      EXPECT_TRUE(close_enough(p->values[0], *ref::rsi14[i])) << i;
    }
  }
}

TEST(LiveSeries, SeedsThenFeedsClosedBars) {
  auto bars = reference_bars();
  live_series s{*parse_indicator("sma5", 0, 500), 100};
  EXPECT_FALSE(s.seeded());
  std::vector<ohlcv> stored(bars.begin(), bars.begin() + 30);
  auto last = s.seed(stored);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->t_ns, bars[29].t_ns);
  EXPECT_TRUE(close_enough(last->values[0], *ref::sma5[29]));
  auto next = s.on_closed_bar(bars[30]);
  ASSERT_TRUE(next);
  EXPECT_TRUE(close_enough(next->values[0], *ref::sma5[30]));
  // A repeat (same open time) and an older bar are skipped.
  EXPECT_FALSE(s.on_closed_bar(bars[30]));
  EXPECT_FALSE(s.on_closed_bar(bars[10]));
  EXPECT_EQ(s.bars_fed(), 31u);
}

TEST(LiveSeries, HoldsBarsWhileSeedingAndMergesWithoutRepeats) {
  auto bars = reference_bars();
  live_series s{*parse_indicator("rsi14", 0, 500), 100};
  // Bars 28..31 arrive live before the stored ones (0..29) come back.
  for (size_t i = 28; i < 32; ++i)
    EXPECT_FALSE(s.on_closed_bar(bars[i]));
  std::vector<ohlcv> stored(bars.begin(), bars.begin() + 30);
  std::reverse(stored.begin(), stored.end()); // any order
  auto last = s.seed(stored);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->t_ns, bars[31].t_ns);
  EXPECT_TRUE(close_enough(last->values[0], *ref::rsi14[31]));
  EXPECT_EQ(s.bars_fed(), 32u);
  auto p = s.on_closed_bar(bars[32]);
  ASSERT_TRUE(p);
  EXPECT_TRUE(close_enough(p->values[0], *ref::rsi14[32]));
}

TEST(LiveSeries, WithoutStoredBarsTheFirstValueComesAfterTheWarmUp) {
  auto bars = reference_bars();
  live_series s{*parse_indicator("sma5", 0, 500), 100};
  EXPECT_FALSE(s.seed({}));
  for (size_t i = 0; i < 4; ++i)
    EXPECT_FALSE(s.on_closed_bar(bars[i]));
  EXPECT_TRUE(s.on_closed_bar(bars[4]));
  s.reset();
  EXPECT_FALSE(s.seeded());
  EXPECT_FALSE(s.last());
  EXPECT_EQ(s.bars_fed(), 0u);
}

TEST(LiveSeries, HeldBarsAreBounded) {
  auto bars = reference_bars();
  live_series s{*parse_indicator("sma5", 0, 500), 3};
  for (size_t i = 0; i < 10; ++i)
    s.on_closed_bar(bars[i]);
  s.seed({});
  EXPECT_EQ(s.bars_fed(), 3u); // only the newest 3 were kept
  EXPECT_FALSE(s.last());
}

TEST(IndicatorJson, PointsRenderWithTheirFieldNames) {
  point p;
  p.t_ns = ref::bars[1].t_ns;
  p.values = {0.1, 65000.5, -2};
  std::string out;
  append_point(out, indicator_kind::macd, p);
  EXPECT_EQ(out, R"({"t":"2024-01-02T00:00:00Z","ts":1704153600000000000,)"
                 R"("macd":0.1,"signal":65000.5,"hist":-2})");
  out.clear();
  append_points(out, indicator_kind::rsi, {p});
  EXPECT_EQ(out, R"([{"t":"2024-01-02T00:00:00Z","ts":1704153600000000000,"value":0.1}])");
  out.clear();
  append_number(out, 1.0 / 3);
  EXPECT_EQ(std::stod(out), 1.0 / 3); // round-trips exactly
  out.clear();
  append_number(out, std::nan(""));
  EXPECT_EQ(out, "null");
}

TEST(LiveSeries, LiveSpecsFollowTheInterval) {
  auto vwap_1m = live_spec("vwap", interval::m1, 500);
  ASSERT_TRUE(vwap_1m);
  EXPECT_EQ(vwap_1m->reset_ns, 86400 * ns_per_s); // a UTC day session
  EXPECT_EQ(live_spec("vwap", interval::d1, 500)->reset_ns, 0);
  EXPECT_DOUBLE_EQ(live_spec("vol20", interval::h1, 500)->bars_per_year, 8760.0);
  EXPECT_EQ(live_spec("rsi", interval::m1, 500)->name(), "rsi14");
  EXPECT_FALSE(live_spec("rsi501", interval::m1, 500));
  EXPECT_FALSE(live_spec("nope", interval::m1, 500));
}
